"""Every kind of record a member can have, made directly in storage: what linking, my-data and forget-me must
handle. `tests/storage/test_member_columns.py` checks this covers every member column the schema has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.member_columns import MEMBER_COLUMNS
from storage.models import (
    ActionItem,
    Activity,
    AgendaItem,
    AssistParticipant,
    AssistRequest,
    Attendance,
    Base,
    CampaignRound,
    ChampionOffer,
    Checkin,
    CheckinAnswer,
    CheckinCall,
    CheckinMember,
    Community,
    Consent,
    Contribution,
    Conversation,
    Delivery,
    DigestSubscription,
    DirectoryEntry,
    Discussion,
    DiscussionReply,
    ExportLog,
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
    Role,
    RoundInvite,
    Rsvp,
    Story,
    StoryCampaign,
    TopicFollow,
    Webinar,
    WebSession,
    WebSignIn,
    WolCircle,
    WolCycle,
    WolMember,
    WolShare,
)


@dataclass
class Shared:
    """Things both members of a pair take part in: their rows about them collide when the two become one."""

    community: Community
    webinar: Webinar
    round: CampaignRound
    request: AssistRequest
    discussion: Discussion
    other: Member  # someone else, who asked the shared request
    item: KnowledgeItem  # someone else's, found in both members' searches
    checkin: Checkin
    call: CheckinCall
    circle: WolCircle
    cycle: WolCycle


async def shared(db: AsyncSession, community: Community, now: datetime) -> Shared:
    other = Member(display_name="Someone Else", profile={}, created_at=now)
    db.add(other)
    await db.flush()
    webinar = Webinar(
        community_id=community.id,
        title="Dashboards that work",
        starts_at=now + timedelta(days=3),
        timezone="UTC",
        minutes=60,
        join_url="https://meet.example.org/x",
        cards=[],
        created_at=now,
    )
    campaign = StoryCampaign(
        community_id=community.id, question="?", cron="0 10 1 * *", sample_size=5, rest_days=30, created_at=now
    )
    db.add_all([webinar, campaign])
    await db.flush()
    round_ = CampaignRound(campaign_id=campaign.id, started_at=now, ends_at=now + timedelta(days=7))
    request = AssistRequest(
        community_id=community.id, asker_id=other.id, question="How?", topics=[], cards=[], created_at=now
    )
    discussion = Discussion(
        community_id=community.id,
        topic="alerting",
        question="What fatigues you?",
        opens_at=now,
        closes_at=now + timedelta(days=2),
        timezone="UTC",
        status="open",
        moderator_ids=[],
        created_at=now,
    )
    item = KnowledgeItem(community_id=community.id, kind="link", title="Runbook", tags=[], created_at=now)
    checkin = Checkin(
        community_id=community.id,
        title="Focal points call",
        rule="FREQ=MONTHLY;BYDAY=1TU;BYHOUR=10;BYMINUTE=0",
        timezone="UTC",
        anchor=now,
        questions=[],
        lead_minutes=2880,
        created_at=now,
    )
    circle = WolCircle(community_id=community.id, topic="dashboards", every_days=7, created_at=now)
    db.add_all([round_, request, discussion, item, checkin, circle])
    await db.flush()
    call = CheckinCall(checkin_id=checkin.id, starts_at=now + timedelta(days=7), agenda_cards=[])
    cycle = WolCycle(circle_id=circle.id, opens_at=now, compiles_at=now + timedelta(days=2), cards=[])
    db.add_all([call, cycle])
    await db.flush()
    return Shared(community, webinar, round_, request, discussion, other, item, checkin, call, circle, cycle)


async def give_everything(
    db: AsyncSession, member: Member, on: Shared, now: datetime, *, tag: str, answer: str = "going"
) -> None:
    """One row of every kind for `member` (`tag` keeps texts apart; `answer` is their RSVP)."""
    c = on.community.id
    tombstone = Member(display_name=f"merged earlier {tag}", profile={}, created_at=now, merged_into_id=member.id)
    on.webinar.presenter_ids = [*on.webinar.presenter_ids, member.id]
    db.add_all(
        [
            Membership(community_id=c, member_id=member.id, role=Role.MEMBER, joined_at=now),
            Introduction(
                community_id=c,
                member_id=member.id,
                status=IntroStatus.DONE,
                cards=[],
                welcomed_by=[on.other.id],
                created_at=now,
                introduced_at=now,
            ),
            DirectoryEntry(
                community_id=c, member_id=member.id, expertise=f"dashboards {tag}", offer="", learn="", updated_at=now
            ),
            AssistRequest(
                community_id=c, asker_id=member.id, question=f"Question {tag}?", topics=[], cards=[], created_at=now
            ),
            AssistParticipant(request_id=on.request.id, member_id=member.id, part="offered", at=now),
            Recognition(community_id=c, member_id=member.id, by_id=on.other.id, kind="thanks", reason=tag, at=now),
            Recognition(community_id=c, member_id=on.other.id, by_id=member.id, kind="thanks", reason=tag, at=now),
            KnowledgeItem(
                community_id=c, kind="link", title=f"Link {tag}", tags=[], added_by=member.id, created_at=now
            ),
            Story(
                community_id=c,
                teller_id=member.id,
                situation=f"Private {tag}",
                outcome="o",
                consent=Consent.COORDINATORS,
                created_at=now,
                updated_at=now,
            ),
            Story(
                community_id=c,
                teller_id=member.id,
                situation=f"Shared {tag}",
                outcome="o",
                consent=Consent.COMMUNITY,
                created_at=now,
                updated_at=now,
            ),
            RoundInvite(round_id=on.round.id, member_id=member.id, stratum="active", invited_at=now),
            Rsvp(webinar_id=on.webinar.id, member_id=member.id, answer=answer, at=now),
            Webinar(
                community_id=c,
                title=f"Session {tag}",
                starts_at=now + timedelta(days=9),
                timezone="UTC",
                minutes=30,
                join_url="https://meet.example.org/y",
                cards=[],
                created_by=member.id,
                created_at=now,
            ),
            AgendaItem(community_id=c, topic=f"topic {tag}", position=1, added_by=member.id, created_at=now),
            Discussion(
                community_id=c,
                topic=f"topic {tag}",
                question="?",
                opens_at=now + timedelta(days=5),
                closes_at=now + timedelta(days=6),
                timezone="UTC",
                moderator_ids=[member.id],
                created_by=member.id,
                created_at=now,
            ),
            DiscussionReply(discussion_id=on.discussion.id, member_id=member.id, at=now),
            TopicFollow(community_id=c, member_id=member.id, topic="alerting", created_at=now),
            DigestSubscription(
                community_id=c,
                member_id=member.id,
                chat=True,
                email=f"{tag}@example.org",
                email_failures=0,
                updated_at=now,
            ),
            Conversation(
                member_id=member.id,
                community_id=c,
                platform=f"platform-{tag}",
                form={"form_id": "x"},
                answers={},
                started_at=now,
                updated_at=now,
            ),
            Activity(community_id=c, member_id=member.id, kind="command", subject="help", at=now, data={}),
            LinkCode(
                member_id=member.id,
                code_hash=f"hash-{tag}-{member.id}",
                platform="console",
                created_at=now,
                expires_at=now + timedelta(minutes=10),
            ),
            LinkProposal(
                first_id=member.id,
                second_id=on.other.id,
                proposed_by=member.id,
                created_at=now,
                expires_at=now + timedelta(days=7),
            ),
            LinkProposal(first_id=on.other.id, second_id=member.id, created_at=now, expires_at=now + timedelta(days=7)),
            ExportLog(community_id=c, member_id=member.id, actor="console:x", what="stories", detail={}, at=now),
            WebSignIn(
                member_id=member.id,
                community_id=c,
                nonce_hash=f"nonce-{tag}-{member.id}",
                created_at=now,
                expires_at=now + timedelta(minutes=10),
            ),
            WebSession(
                member_id=member.id,
                token_hash=f"token-{tag}-{member.id}",
                created_at=now,
                expires_at=now + timedelta(days=14),
            ),
            tombstone,
            Contribution(community_id=c, member_id=member.id, kind="asked", at=now),
            Attendance(webinar_id=on.webinar.id, member_id=member.id, at=now),
            LibraryUse(item_id=on.item.id, member_id=member.id, at=now),
            Invitation(community_id=c, member_id=member.id, kind="assist", sent_at=now),
            ChampionOffer(
                community_id=c,
                member_id=member.id,
                kind="discussion",
                subject_id=1,
                offered_by=member.id,
                offered_at=now,
            ),
            Checkin(
                community_id=c,
                title=f"Call {tag}",
                rule="FREQ=WEEKLY;BYHOUR=9;BYMINUTE=0",
                timezone="UTC",
                anchor=now,
                questions=[],
                lead_minutes=60,
                created_by=member.id,
                created_at=now,
            ),
            CheckinMember(checkin_id=on.checkin.id, member_id=member.id, added_at=now),
            CheckinAnswer(
                call_id=on.call.id,
                member_id=member.id,
                answers=[{"question": "Progress?", "answer": tag, "support": False}],
                answered_at=now,
            ),
            CheckinCall(
                checkin_id=on.checkin.id,
                starts_at=now - timedelta(days=7),
                agenda_cards=[],
                minutes=f"Minutes {tag}",
                minutes_by=member.id,
                minutes_at=now,
            ),
            WolCircle(community_id=c, topic=f"circle {tag}", every_days=14, started_by=member.id, created_at=now),
            WolMember(circle_id=on.circle.id, member_id=member.id, joined_at=now),
            WolShare(cycle_id=on.cycle.id, member_id=member.id, working_on=f"work {tag}", shared_at=now),
            Delivery(
                kind="intro.nudge",
                key=f"nudge:{tag}:{member.id}",
                community_id=c,
                due_at=now + timedelta(days=3),
                payload={"community": c, "member": member.id, "last": False},
                status="pending",
                created_at=now,
            ),
        ]
    )
    await db.flush()
    db.add(ActionItem(checkin_id=on.checkin.id, call_id=on.call.id, owner_id=member.id, text=tag, created_at=now))
    await db.flush()


async def counts(db: AsyncSession) -> dict[str, int]:
    """Rows in every table."""
    out = {}
    for table in Base.metadata.sorted_tables:
        out[table.name] = await db.scalar(select(func.count()).select_from(table)) or 0
    return out


async def rows_of(db: AsyncSession, member_id: int) -> dict[str, int]:
    """Rows naming the member, by "table.column"."""
    out: dict[str, int] = {}
    for spec in MEMBER_COLUMNS:
        n = await db.scalar(select(func.count()).select_from(spec.column.class_).where(spec.column == member_id))
        out[spec.name] = n or 0
    return out


def covered(rows: dict[str, Any]) -> set[str]:
    return {name for name, n in rows.items() if n}


async def orphans(db: AsyncSession) -> list[str]:
    """Foreign keys pointing at nothing, by "table.column" (none, on either database)."""
    found = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            parent, target = fk.parent, fk.column
            query = text(
                f'SELECT count(*) FROM "{table.name}" t LEFT JOIN "{target.table.name}" r '
                f'ON t."{parent.name}" = r."{target.name}" '
                f'WHERE t."{parent.name}" IS NOT NULL AND r."{target.name}" IS NULL'
            )
            if await db.scalar(query):
                found.append(f"{table.name}.{parent.name}")
    return found
