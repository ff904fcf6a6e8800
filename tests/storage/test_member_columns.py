"""Every member column is declared once, with what linking, my-data and forget-me do to it; and they do it: two
members with every kind of record become one with nothing duplicated or lost, my-data holds every kind, forgetting
leaves only what others depend on."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import member_export, member_forget, member_merge, migrate
from storage.community_columns import COMMUNITY_COLUMNS
from storage.db import create_engine, session_factory
from storage.member_columns import MEMBER_COLUMNS, OnForget
from storage.models import (
    FORMER_MEMBER,
    AssistRequest,
    AssistStatus,
    Base,
    Community,
    Delivery,
    Discussion,
    Identity,
    Member,
    Rsvp,
    Story,
    TeamsConversation,
    Webinar,
)
from storage.reconcile import OnMerge
from tests.conftest import START
from tests.records import counts, covered, give_everything, rows_of, shared


def _references(table: str) -> set[str]:
    """Every column of the schema that holds a foreign key to `table`.id, as "table.column"."""
    return {
        f"{t.name}.{fk.parent.name}"
        for t in Base.metadata.tables.values()
        for fk in t.foreign_keys
        if fk.column.table.name == table and fk.column.name == "id"
    }


def test_every_member_column_says_what_linking_my_data_and_forget_me_do_with_it() -> None:
    declared = [spec.name for spec in MEMBER_COLUMNS]
    missing = _references("member") - set(declared)
    assert not missing, f"declare these in storage/member_columns.py MEMBER_COLUMNS: {sorted(missing)}"
    assert len(declared) == len(set(declared)), "a member column is declared twice"
    assert set(declared) <= _references("member")


def test_every_community_column_says_how_a_merge_moves_it() -> None:
    declared = [spec.name for spec in COMMUNITY_COLUMNS]
    missing = _references("community") - set(declared)
    assert not missing, f"declare these in storage/community_columns.py COMMUNITY_COLUMNS: {sorted(missing)}"
    assert len(declared) == len(set(declared))


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[AsyncSession]:
    engine = create_engine(database_url)
    await migrate.upgrade(engine)
    async with session_factory(engine)() as session:
        yield session
    await engine.dispose()


async def _member(db: AsyncSession, name: str, platform: str, profile: dict[str, str] | None = None) -> Member:
    member = Member(display_name=name, profile=profile or {}, created_at=START, identities=[])
    member.identities.append(Identity(platform=platform, tenant="t", user_id=name.lower()))
    db.add(member)
    await db.flush()
    return member


async def _community(db: AsyncSession) -> Community:
    community = Community(slug="rtm", name="RTM", topics=[], settings={}, created_at=START, channels=[])
    db.add(community)
    await db.flush()
    return community


async def test_the_records_helper_gives_a_row_in_every_member_column(db: AsyncSession) -> None:
    """So the merge, export and forget tests below exercise every table (extend tests/records.py with a new one)."""
    on = await shared(db, await _community(db), START)
    amina = await _member(db, "Amina", "slack")
    await give_everything(db, amina, on, START, tag="a")
    assert covered(await rows_of(db, amina.id)) == {spec.name for spec in MEMBER_COLUMNS}


async def test_two_members_with_every_kind_of_record_become_one(db: AsyncSession) -> None:
    on = await shared(db, await _community(db), START)
    slack = await _member(db, "Amina", "slack", {"role": "Analyst", "location": "Nairobi"})
    teams = await _member(db, "Amina W.", "teams", {"role": "Data lead", "organisation": "RTM"})
    await give_everything(db, slack, on, START, tag="slack", answer="going")
    later = START + timedelta(hours=2)  # the Teams account answered more recently
    await give_everything(db, teams, on, later, tag="teams", answer="no")
    before = await counts(db)
    mine, theirs = await rows_of(db, slack.id), await rows_of(db, teams.id)

    keep, report = await member_merge.merge(db, teams, slack, later)
    await db.commit()

    assert keep.id == slack.id and {i.platform for i in keep.identities} == {"slack", "teams"}
    after = await counts(db)
    now_mine, now_theirs = await rows_of(db, keep.id), await rows_of(db, teams.id)
    assert not covered(now_theirs), f"left with the merged member: {covered(now_theirs)}"
    for spec in MEMBER_COLUMNS:
        if spec.name == "link_proposal.proposed_by":
            continue  # the merged member's own proposals went with them (link_proposal.first_id is dropped)
        dropped = report.dropped.get(spec.name, 0)
        expected = mine[spec.name] + (0 if spec.on_merge is OnMerge.DROP else theirs[spec.name] - dropped)
        if spec.name == "member.merged_into_id":
            expected += 1  # the merged member itself points at the survivor until it is swept
        assert now_mine[spec.name] == expected, spec.name
    # Duplicates only where a unique rule says one per (member, key): one membership, introduction, entry, RSVP...
    assert report.dropped == {
        "membership.member_id": 1,
        "introduction.member_id": 1,
        "directory_entry.member_id": 1,
        "assist_participant.member_id": 1,
        "round_invite.member_id": 1,
        "rsvp.member_id": 1,
        "topic_follow.member_id": 1,
        "digest_subscription.member_id": 1,
        "link_proposal.first_id": 1,
        "link_proposal.second_id": 1,
        "attendance.member_id": 1,
        "library_use.member_id": 1,
        "checkin_member.member_id": 1,
        "checkin_answer.member_id": 1,
        "wol_member.member_id": 1,
        "wol_share.member_id": 1,
        "web_sign_in.member_id": 1,
        "web_session.member_id": 1,
    }
    # (The search vocabulary follows the directory by itself: a word only the dropped entry held goes with it.)
    lost = {t: before[t] - after[t] for t in before if before[t] != after[t] and not t.startswith("search_term")}
    assert lost == {
        "web_sign_in": 1,
        "web_session": 1,
        "attendance": 1,
        "library_use": 1,
        "checkin_member": 1,
        "checkin_answer": 1,
        "wol_member": 1,
        "wol_share": 1,
        "membership": 1,
        "introduction": 1,
        "directory_entry": 1,
        "assist_participant": 1,
        "round_invite": 1,
        "rsvp": 1,
        "topic_follow": 1,
        "digest_subscription": 1,
        "link_proposal": 2,
    }
    # The most recent answer wins, and each disagreement is listed.
    rsvp = await db.scalar(select(Rsvp).where(Rsvp.member_id == keep.id, Rsvp.webinar_id == on.webinar.id))
    assert rsvp is not None and rsvp.answer == "no"
    assert {c.table for c in report.conflicts} == {
        "rsvp",
        "directory_entry",
        "introduction",
        "checkin_answer",
        "digest_subscription",
    }
    assert keep.profile == {"role": "Data lead", "location": "Nairobi", "organisation": "RTM"}
    assert [(p.key, p.kept, p.dropped) for p in report.profile_conflicts] == [("role", "Data lead", "Analyst")]
    # Ids kept in lists and scheduled deliveries follow; a delivery due twice is due once.
    moderated = (await db.scalars(select(Discussion.moderator_ids))).all()
    assert [keep.id] in moderated and all(teams.id not in ids for ids in moderated)
    presenters = await db.scalar(select(Webinar.presenter_ids).where(Webinar.id == on.webinar.id))
    assert presenters == [keep.id], "an id list holds the survivor once"
    pending = (await db.scalars(select(Delivery).where(Delivery.status == "pending"))).all()
    assert [d.payload["member"] for d in pending] == [keep.id]  # the merged member's nudge repeated the survivor's

    # A late write for the merged member (an event under way during the merge) is swept over, then it goes.
    session = await db.scalar(select(Webinar).where(Webinar.created_by == keep.id).limit(1))
    assert session is not None
    db.add(Rsvp(webinar_id=session.id, member_id=teams.id, answer="maybe", at=later))
    await db.commit()
    swept = await member_merge.sweep(db, teams.id, later + timedelta(minutes=10))
    await db.commit()
    assert swept is not None and swept.moved == {"rsvp.member_id": 1}
    assert await db.get(Member, teams.id) is None


async def test_my_data_holds_every_kind_of_record(db: AsyncSession) -> None:
    on = await shared(db, await _community(db), START)
    amina = await _member(db, "Amina", "teams")
    await give_everything(db, amina, on, START, tag="a")
    db.add(
        TeamsConversation(
            conversation_id="a:chat-amina",
            tenant="t",
            kind="personal",
            user_id="amina",
            service_url="https://smba.example",
            bot_id="28:bot",
            reference={},
            updated_at=START,
        )
    )
    await db.flush()
    data = await member_export.export(db, amina)
    wanted = {spec.name for spec in MEMBER_COLUMNS if spec.export}
    assert wanted <= set(data["records"]), sorted(wanted - set(data["records"]))
    assert {
        "discussion.moderator_ids",
        "introduction.welcomed_by",
        "delivery.payload.member",
        "teams_conversation.user_id",
    } - set(data["records"]) == {"introduction.welcomed_by"}
    assert data["member"]["display_name"] == "Amina"


async def test_forgetting_keeps_only_what_others_depend_on_as_a_former_member(db: AsyncSession) -> None:
    on = await shared(db, await _community(db), START)
    amina = await _member(db, "Amina", "teams", {"role": "Analyst"})
    await give_everything(db, amina, on, START, tag="a")
    db.add(
        TeamsConversation(
            conversation_id="a:chat-amina",
            tenant="t",
            kind="personal",
            user_id="amina",
            service_url="https://smba.example",
            bot_id="28:bot",
            reference={},
            updated_at=START,
        )
    )
    await db.flush()

    done = await member_forget.forget(db, amina, START + timedelta(days=7))
    await db.commit()

    left = covered(await rows_of(db, amina.id))
    kept = {spec.name for spec in MEMBER_COLUMNS if spec.on_forget is OnForget.KEEP} | {"story.teller_id"}
    assert left <= kept, f"should have gone: {left - kept}"
    assert "discussion_reply.member_id" in left and "assist_request.asker_id" in left
    assert amina.display_name == FORMER_MEMBER and amina.profile == {} and amina.identities == []
    assert done.deleted["teams_conversation.user_id"] == 1
    stories = (await db.scalars(select(Story).where(Story.teller_id == amina.id))).all()
    assert [s.situation for s in stories] == ["Shared a"]  # the one for coordinators only went
    request = await db.scalar(select(AssistRequest).where(AssistRequest.asker_id == amina.id))
    assert request is not None and request.status == AssistStatus.CANCELLED
    assert all(amina.id not in ids for ids in (await db.scalars(select(Discussion.moderator_ids))).all())
    assert (await db.scalars(select(Delivery.status))).all() == ["cancelled"]
