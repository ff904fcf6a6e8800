"""Every place a member is referred to, and what happens to it when two members become one (/cop link), when a
member asks for their data (/cop my-data) and when they ask to be forgotten (/cop forget-me).

A new table with a member column is one more line in MEMBER_COLUMNS; tests/storage/test_member_columns.py fails
until it is there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy.orm import InstrumentedAttribute

from storage.models import (
    ActionItem,
    Activity,
    AgendaItem,
    AssistParticipant,
    AssistRequest,
    AssistStatus,
    Attendance,
    ChampionOffer,
    Checkin,
    CheckinAnswer,
    CheckinCall,
    CheckinMember,
    Consent,
    Contribution,
    Conversation,
    DigestSubscription,
    DirectoryEntry,
    Discussion,
    DiscussionReply,
    ExportLog,
    Identity,
    Introduction,
    IntroStatus,
    Invitation,
    KnowledgeItem,
    LibraryUse,
    LinkCode,
    LinkProposal,
    Member,
    Membership,
    Recognition,
    RoundInvite,
    Rsvp,
    Story,
    TeamsConversation,
    TopicFollow,
    Webinar,
    WebSession,
    WebSignIn,
    WolCircle,
    WolMember,
    WolShare,
    YammerPost,
)
from storage.reconcile import OnMerge, Unique


class OnForget(StrEnum):
    DELETE = "delete"  # personal: goes with the member
    KEEP = "keep"  # others depend on it: stays, told as "a former member" (the member row keeps no name)


@dataclass(frozen=True)
class MemberColumn:
    """One column holding a member's id, and the rules for it."""

    column: InstrumentedAttribute[Any]
    on_merge: OnMerge
    on_forget: OnForget
    unique: Unique | None = None
    # With OnForget.DELETE: only these rows go, the others are kept (a story told for coordinators only goes, one
    # the community may read stays).
    forget_only: ColumnElement[bool] | None = None
    # Kept rows matching the first element get the values the second makes from the moment (open requests close).
    forget_update: tuple[ColumnElement[bool], Callable[[datetime], dict[str, Any]]] | None = None
    # In the member's own data (/cop my-data).
    export: bool = True

    @property
    def name(self) -> str:
        """ "table.column", as my-data and the coverage test name it."""
        return f"{self.column.class_.__tablename__}.{self.column.key}"


def membership_settle(winner: Membership, loser: Membership) -> None:
    """One membership per community: the higher role, the earlier joining, active if either was."""
    winner.role = max(winner.role, loser.role)
    winner.joined_at = min(winner.joined_at, loser.joined_at)
    if winner.left_at is not None and loser.left_at is None:
        winner.left_at = None


def membership_rank(m: Membership) -> tuple[bool, int]:
    return (m.left_at is None, m.role)


def intro_rank(i: Introduction) -> tuple[bool, datetime]:
    """An introduction given beats one still expected; between two given, the more recent."""
    return (i.status == IntroStatus.DONE, i.introduced_at or i.created_at)


def intro_settle(winner: Introduction, loser: Introduction) -> None:
    winner.welcomed_by = list(dict.fromkeys([*winner.welcomed_by, *loser.welcomed_by]))


def _invite_rank(r: RoundInvite) -> tuple[bool, datetime]:
    return (r.responded_at is not None, r.invited_at)


def _close_open_request(now: datetime) -> dict[str, Any]:
    return {"status": AssistStatus.CANCELLED, "closed_at": now}


MEMBER_COLUMNS: tuple[MemberColumn, ...] = (
    MemberColumn(Identity.member_id, OnMerge.REPOINT, OnForget.DELETE),
    MemberColumn(
        Membership.member_id,
        OnMerge.UNIQUE,
        OnForget.DELETE,
        Unique(("community_id",), prefer=membership_rank, settle=membership_settle),
    ),
    MemberColumn(
        Introduction.member_id,
        OnMerge.UNIQUE,
        OnForget.DELETE,
        Unique(("community_id",), prefer=intro_rank, settle=intro_settle, answer=("introduced_at",)),
    ),
    MemberColumn(
        DirectoryEntry.member_id,
        OnMerge.UNIQUE,
        OnForget.DELETE,
        Unique(("community_id",), prefer=lambda d: d.updated_at, answer=("expertise", "offer", "learn")),
    ),
    MemberColumn(
        AssistRequest.asker_id,
        OnMerge.REPOINT,
        OnForget.KEEP,
        forget_update=(AssistRequest.status == AssistStatus.OPEN, _close_open_request),
    ),
    MemberColumn(AssistParticipant.member_id, OnMerge.UNIQUE, OnForget.KEEP, Unique(("request_id", "part"))),
    MemberColumn(Recognition.member_id, OnMerge.REPOINT, OnForget.DELETE),
    MemberColumn(Recognition.by_id, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(KnowledgeItem.added_by, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(Story.teller_id, OnMerge.REPOINT, OnForget.DELETE, forget_only=Story.consent == Consent.COORDINATORS),
    MemberColumn(RoundInvite.member_id, OnMerge.UNIQUE, OnForget.DELETE, Unique(("round_id",), prefer=_invite_rank)),
    MemberColumn(
        Rsvp.member_id,
        OnMerge.UNIQUE,
        OnForget.DELETE,
        Unique(("webinar_id",), prefer=lambda r: r.at, answer=("answer",)),
    ),
    MemberColumn(Webinar.created_by, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(AgendaItem.added_by, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(Discussion.created_by, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(DiscussionReply.member_id, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(TopicFollow.member_id, OnMerge.UNIQUE, OnForget.DELETE, Unique(("community_id", "topic"))),
    MemberColumn(
        DigestSubscription.member_id,
        OnMerge.UNIQUE,
        OnForget.DELETE,
        Unique(("community_id",), prefer=lambda s: s.updated_at, answer=("email",)),
    ),
    MemberColumn(
        Conversation.member_id, OnMerge.UNIQUE, OnForget.DELETE, Unique(("platform",), prefer=lambda c: c.updated_at)
    ),
    MemberColumn(Activity.member_id, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(LinkCode.member_id, OnMerge.REPOINT, OnForget.DELETE),
    MemberColumn(LinkProposal.first_id, OnMerge.DROP, OnForget.DELETE),
    MemberColumn(LinkProposal.second_id, OnMerge.DROP, OnForget.DELETE),
    MemberColumn(LinkProposal.proposed_by, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(ExportLog.member_id, OnMerge.REPOINT, OnForget.KEEP),
    # Web sign-in: a merged member's links and sessions end (they sign in again); nothing of it is their data.
    MemberColumn(WebSignIn.member_id, OnMerge.DROP, OnForget.DELETE, export=False),
    MemberColumn(WebSession.member_id, OnMerge.DROP, OnForget.DELETE, export=False),
    # The participation ledger and what health keeps: counts others read, so kept (as "a former member").
    MemberColumn(Contribution.member_id, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(Attendance.member_id, OnMerge.UNIQUE, OnForget.KEEP, Unique(("webinar_id",))),
    MemberColumn(LibraryUse.member_id, OnMerge.UNIQUE, OnForget.KEEP, Unique(("item_id",))),
    MemberColumn(Invitation.member_id, OnMerge.REPOINT, OnForget.DELETE),
    MemberColumn(ChampionOffer.member_id, OnMerge.REPOINT, OnForget.DELETE),
    MemberColumn(ChampionOffer.offered_by, OnMerge.REPOINT, OnForget.KEEP),
    # Check-ins: being asked is personal; answers and minutes the group read stay, told as "a former member".
    MemberColumn(Checkin.created_by, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(CheckinMember.member_id, OnMerge.UNIQUE, OnForget.DELETE, Unique(("checkin_id",))),
    MemberColumn(CheckinCall.minutes_by, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(
        CheckinAnswer.member_id,
        OnMerge.UNIQUE,
        OnForget.KEEP,
        Unique(("call_id",), prefer=lambda a: (a.answered_at is not None, a.answered_at or a.id), answer=("answers",)),
    ),
    MemberColumn(ActionItem.owner_id, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(WolCircle.started_by, OnMerge.REPOINT, OnForget.KEEP),
    MemberColumn(WolMember.member_id, OnMerge.UNIQUE, OnForget.DELETE, Unique(("circle_id",))),
    MemberColumn(WolShare.member_id, OnMerge.UNIQUE, OnForget.KEEP, Unique(("cycle_id",))),
    # A member merged earlier into the one now merged: it points at the survivor until it is swept.
    MemberColumn(Member.merged_into_id, OnMerge.REPOINT, OnForget.KEEP, export=False),
)

# Member ids kept in lists rather than columns: on merge the id is replaced, on forget it is removed.
MEMBER_ID_LISTS: tuple[InstrumentedAttribute[list[int]], ...] = (
    Discussion.moderator_ids,
    Introduction.welcomed_by,
    Webinar.presenter_ids,
)

# Scheduled deliveries name their member in this payload key (flows' payload dataclasses: `member: int`).
PAYLOAD_MEMBER = "member"


@dataclass(frozen=True)
class IdentityKeyed:
    """A platform's own record about one of the member's accounts, found by its user id (not by member id)."""

    platform: str
    user_id: InstrumentedAttribute[Any]
    tenant: InstrumentedAttribute[Any] | None = None

    @property
    def name(self) -> str:
        return f"{self.user_id.class_.__tablename__}.{self.user_id.key}"


# Exported with the member's data and deleted when they are forgotten (a merge leaves them: identities stay).
IDENTITY_KEYED: tuple[IdentityKeyed, ...] = (
    IdentityKeyed("teams", TeamsConversation.user_id, TeamsConversation.tenant),
    IdentityKeyed("yammer", YammerPost.audience),
)
