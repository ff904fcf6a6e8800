"""Forms shown natively where the platform can (a modal), checked whole on submission."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.clock import ManualClock
from bot.events import Actor, CommandInvoked, FormSubmitted, MessagePosted, Place
from bot.runtime import Runtime
from bot.settings import Settings
from flows import all_routines
from tests import routines
from tests.conftest import START
from tests.fakes import RecordingAdapter

AMINA = Actor("fake", "T1", "U1", "Amina")
CHANNEL = Place("fake", "T1", "C1")
DM = Place("fake", "T1", "D-U1", direct=True, to_user="U1")


@pytest.fixture
async def runtime(database_url: str) -> AsyncIterator[tuple[Runtime, RecordingAdapter]]:
    routines.received.clear()
    rt = await Runtime.open(
        Settings(database_url=database_url), all_routines() + [routines.routine], clock=ManualClock(START)
    )
    adapter = RecordingAdapter()
    rt.add_adapter(adapter)
    await rt.handle(CommandInvoked(actor=AMINA, place=CHANNEL, name="join", text="practice"))
    yield rt, adapter
    await rt.close()


async def test_with_a_trigger_the_form_opens_natively_and_is_submitted_whole(
    runtime: tuple[Runtime, RecordingAdapter],
) -> None:
    rt, adapter = runtime
    await rt.handle(CommandInvoked(actor=AMINA, place=CHANNEL, name="trip", trigger="trig-1"))
    assert [f.form_id for f in adapter.forms] == ["trip"]
    outcome = await rt.handle(
        FormSubmitted(
            actor=AMINA,
            place=DM,
            form_id="trip",
            values={"place": "Kisumu", "topics": ["alerting"], "mood": "good", "day": "2026-02-27", "notes": ""},
        )
    )
    assert outcome.form_errors == {}
    assert routines.received[0]["place"] == "Kisumu" and routines.received[0]["_state"] == {"origin": "test"}
    assert "Thanks, filed your report on Kisumu." in adapter.texts()


async def test_invalid_values_come_back_as_errors_by_field(runtime: tuple[Runtime, RecordingAdapter]) -> None:
    rt, _adapter = runtime
    await rt.handle(CommandInvoked(actor=AMINA, place=CHANNEL, name="trip", trigger="trig-1"))
    outcome = await rt.handle(
        FormSubmitted(actor=AMINA, place=DM, form_id="trip", values={"place": "", "mood": "awful", "day": "2026-13-01"})
    )
    assert set(outcome.form_errors) == {"place", "mood", "day"}
    assert "required" in outcome.form_errors["place"]
    refused = await rt.handle(
        FormSubmitted(
            actor=AMINA, place=DM, form_id="trip", values={"place": "nowhere", "mood": "good", "day": "2026-02-27"}
        )
    )
    assert refused.form_errors == {"place": "Nowhere is not a place we can file."}
    assert routines.received == []


async def test_without_a_trigger_the_form_falls_back_to_a_direct_conversation(
    runtime: tuple[Runtime, RecordingAdapter],
) -> None:
    rt, adapter = runtime
    await rt.handle(CommandInvoked(actor=AMINA, place=CHANNEL, name="trip", trigger="expired"))
    assert adapter.forms == []
    question_place, question = adapter.sent[-1]
    assert question_place == DM and "1/5 · Where did you go?" in question.message.text
    await rt.handle(MessagePosted(actor=AMINA, place=DM, text="Kisumu"))
    assert "2/5" in adapter.sent[-1][1].message.text


async def test_a_submission_for_a_form_never_opened_is_refused(runtime: tuple[Runtime, RecordingAdapter]) -> None:
    rt, adapter = runtime
    await rt.handle(FormSubmitted(actor=AMINA, place=DM, form_id="trip", values={"place": "x"}))
    assert "expired" in adapter.texts()[-1]
    assert routines.received == []
