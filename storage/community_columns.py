"""Every table that belongs to a community, and how its rows move when one community is merged into another
(/cop community merge). A new table with a community column is one more line in COMMUNITY_COLUMNS;
tests/storage/test_member_columns.py fails until it is there."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import InstrumentedAttribute

from storage.member_columns import intro_rank, intro_settle, membership_rank, membership_settle
from storage.models import (
    Activity,
    AgendaItem,
    AssistRequest,
    ChampionOffer,
    Checkin,
    Community,
    CommunityChannel,
    Contribution,
    Conversation,
    Delivery,
    DigestIssue,
    DigestPlan,
    DigestSubscription,
    DirectoryEntry,
    Discussion,
    ExportLog,
    Introduction,
    Invitation,
    KnowledgeItem,
    Membership,
    OutboundMessage,
    Recognition,
    SearchTerm,
    Story,
    StoryCampaign,
    TopicFollow,
    Webinar,
    WebSignIn,
    WolCircle,
)
from storage.reconcile import OnMerge, Unique


@dataclass(frozen=True)
class CommunityColumn:
    column: InstrumentedAttribute[Any]
    on_merge: OnMerge
    unique: Unique | None = None

    @property
    def name(self) -> str:
        return f"{self.column.class_.__tablename__}.{self.column.key}"


COMMUNITY_COLUMNS: tuple[CommunityColumn, ...] = (
    CommunityColumn(CommunityChannel.community_id, OnMerge.REPOINT),
    # Members of both: one membership, the higher role.
    CommunityColumn(
        Membership.community_id,
        OnMerge.UNIQUE,
        Unique(("member_id",), prefer=membership_rank, settle=membership_settle),
    ),
    CommunityColumn(
        Introduction.community_id, OnMerge.UNIQUE, Unique(("member_id",), prefer=intro_rank, settle=intro_settle)
    ),
    CommunityColumn(DirectoryEntry.community_id, OnMerge.UNIQUE, Unique(("member_id",), prefer=lambda d: d.updated_at)),
    CommunityColumn(TopicFollow.community_id, OnMerge.UNIQUE, Unique(("member_id", "topic"))),
    # The digest: the target keeps its own cadence and note; issues (what was carried) and readers move over.
    CommunityColumn(DigestPlan.community_id, OnMerge.DROP),
    CommunityColumn(DigestIssue.community_id, OnMerge.REPOINT),
    CommunityColumn(
        DigestSubscription.community_id, OnMerge.UNIQUE, Unique(("member_id",), prefer=lambda s: s.updated_at)
    ),
    # A topic on both agendas keeps the target's place; the others follow its agenda (see community_merge).
    CommunityColumn(AgendaItem.community_id, OnMerge.UNIQUE, Unique(("topic",))),
    CommunityColumn(AssistRequest.community_id, OnMerge.REPOINT),
    CommunityColumn(Recognition.community_id, OnMerge.REPOINT),
    CommunityColumn(KnowledgeItem.community_id, OnMerge.REPOINT),
    CommunityColumn(Story.community_id, OnMerge.REPOINT),
    CommunityColumn(StoryCampaign.community_id, OnMerge.REPOINT),
    CommunityColumn(Webinar.community_id, OnMerge.REPOINT),
    CommunityColumn(Discussion.community_id, OnMerge.REPOINT),
    CommunityColumn(Conversation.community_id, OnMerge.REPOINT),
    CommunityColumn(Delivery.community_id, OnMerge.REPOINT),
    CommunityColumn(Activity.community_id, OnMerge.REPOINT),
    CommunityColumn(ExportLog.community_id, OnMerge.REPOINT),
    CommunityColumn(Contribution.community_id, OnMerge.REPOINT),
    CommunityColumn(Invitation.community_id, OnMerge.REPOINT),
    CommunityColumn(ChampionOffer.community_id, OnMerge.REPOINT),
    CommunityColumn(Checkin.community_id, OnMerge.REPOINT),
    CommunityColumn(WolCircle.community_id, OnMerge.REPOINT),
    # Messages already on their way keep going; the target is who they now concern.
    CommunityColumn(OutboundMessage.community_id, OnMerge.REPOINT),
    # The search vocabulary is kept by triggers: moving the library and directory moves their words with them.
    CommunityColumn(SearchTerm.community_id, OnMerge.DROP),
    # A sign-in link names the community it opens; after a merge it means nothing (a new one is one command away).
    CommunityColumn(WebSignIn.community_id, OnMerge.DROP),
    # A community merged earlier into the one merged now points on to the target.
    CommunityColumn(Community.merged_into_id, OnMerge.REPOINT),
)

# Scheduled deliveries name their community in this payload key (e.g. introductions' Nudge(community, member)).
PAYLOAD_COMMUNITY = "community"
