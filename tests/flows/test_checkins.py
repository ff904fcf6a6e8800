"""Check-ins through the console: the focal points asked in their own mornings, the agenda compiled for everyone,
support needs routed to peers, minutes kept and found, action items reminded and carried into the next agenda."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.answers import InvalidAnswer
from flows.checkin_cards import questions_text, read_questions
from storage import activity
from tests.flows.test_peer_assist import introduce
from tests.harness import ConsoleBot

ZONES = {"Amina": "Africa/Nairobi", "Baraka": "America/Sao_Paulo", "Chidi": "Asia/Manila"}
CADENCE = "first Tuesday of every month 10:00 Africa/Nairobi"
# START is Mon 2 Mar 2026: the call on Tue 3 Mar leaves no time to answer, so the first call is Tue 7 Apr, 10:00 in
# Nairobi (07:00 UTC); its agenda is posted two days before, and everyone is asked two days before that.
CALL = datetime(2026, 4, 7, 7, tzinfo=UTC)
AGENDA = CALL - timedelta(days=2)


async def focal_points(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community")
    await introduce(bot, "Tomás", "data quality", "data quality checks for surveys")
    for name, zone in ZONES.items():
        await bot.say(name, "/cop join")
        await bot.say(name, f"/cop timezone {zone}")


async def schedule(bot: ConsoleBot, people: str = "Amina, Baraka, Chidi", cadence: str = CADENCE) -> str:
    await bot.say("Ada", "/cop checkin schedule")
    out = ""
    for answer in ("Focal points call", people, cadence, "https://meet.example.org/rtm", "keep", "keep"):
        out = await bot.say("Ada", answer)
    return out


async def until(bot: ConsoleBot, moment: datetime, step: timedelta = timedelta(hours=1)) -> list[tuple[datetime, str]]:
    """Let time pass an hour at a time (so each thing happens at its own moment); what was printed, and when."""
    seen = []
    while bot.clock.now() < moment:
        out = await bot.wait(min(step, moment - bot.clock.now()))
        if out:
            seen.append((bot.clock.now(), out))
    return seen


def dms(out: str, containing: str = "") -> set[str]:
    """Who got a direct message (whose text contains `containing`) in this stretch of transcript."""
    names = set()
    for block in out.split("  Cultivate ")[1:]:
        header, _sep, body = block.partition("\n")
        if header.startswith("→ DM to ") and containing in body:
            names.add(header.removeprefix("→ DM to ").split(" [")[0])
    return names


def first_time(seen: list[tuple[datetime, str]], name: str, containing: str) -> datetime:
    return next(at for at, out in seen if name in dms(out, containing))


async def press(bot: ConsoleBot, name: str, action_id: str, value: str) -> str:
    """`name` presses a button they were shown earlier (found again, as if they scrolled up)."""
    shown = next(
        s for s in reversed(bot.adapter.shown) if any(b.action_id == action_id and b.value == value for b in s.buttons)
    )
    bot.adapter.shown.append(shown)
    number = next(i for i, b in enumerate(shown.buttons, 1) if b.action_id == action_id and b.value == value)
    out = await bot.say(name, str(number))
    # Take the copy away again, so the next bare number presses what each person really saw last.
    del bot.adapter.shown[max(i for i, s in enumerate(bot.adapter.shown) if s is shown)]
    return out


async def answer(bot: ConsoleBot, name: str, *answers: str) -> str:
    out = await bot.say(name, "/cop checkin answer")
    for text in answers:
        out = await bot.say(name, text)
    return out


async def test_a_months_cycle_from_questions_to_minutes_and_the_next_agenda(bot: ConsoleBot) -> None:
    await focal_points(bot)
    scheduled = await schedule(bot)
    assert "Check-in #1 “Focal points call” is scheduled: every first Tuesday of the month, 10:00 (Africa/Nairobi)" in (
        scheduled
    )
    assert "Next call: Tue 7 Apr 2026, 07:00 (UTC)" in scheduled and "3 participants were told." in scheduled
    await bot.wait(datetime(2026, 4, 1, tzinfo=UTC) - bot.clock.now())

    # Asked in their own morning: 08:00 in Manila, Nairobi and São Paulo are three different moments.
    asked = await until(bot, datetime(2026, 4, 3, 12, tzinfo=UTC))
    for name, zone in ZONES.items():
        at = first_time(asked, name, "Your recap for the agenda")
        assert at.astimezone(ZoneInfo(zone)).strftime("%a %H:%M") == "Fri 08:00", (name, at)
    assert first_time(asked, "Chidi", "Your recap") < first_time(asked, "Amina", "Your recap")
    assert first_time(asked, "Amina", "Your recap") < first_time(asked, "Baraka", "Your recap")

    await bot.say("Amina", "1")  # the Answer button in her DM
    for text in ("Dashboards live in two regions", "Survey data arrive late", "automating data quality checks"):
        thanked = await bot.say("Amina", text)
    assert "your recap for “Focal points call” is in" in thanked and "Sun 5 Apr 2026, 10:00 (Africa/Nairobi)" in thanked
    await answer(bot, "Chidi", "Trained 12 district officers", "skip", "none")

    # One reminder, only to the silent one, the morning before the agenda in his zone.
    reminded = await until(bot, AGENDA - timedelta(hours=1))
    assert {n for _at, out in reminded for n in dms(out, "A gentle reminder")} == {"Baraka"}
    at = first_time(reminded, "Baraka", "A gentle reminder")
    assert at.astimezone(ZoneInfo(ZONES["Baraka"])).strftime("%a %H:%M") == "Sat 08:00"
    assert "This is the only reminder." in reminded[-1][1] or any("only reminder" in o for _a, o in reminded)
    assert "has not had a call yet" in await bot.say("Ada", "/cop checkin minutes 1")

    posted = "\n".join(out for _at, out in await until(bot, AGENDA + timedelta(hours=1)))
    agenda = posted[posted.index("📋 Agenda") :]
    assert (
        "says in #general [" in posted
        and "Agenda — Focal points call, Tue 7 Apr 2026, 10:00 (Africa/Nairobi)" in posted
    )
    progress = agenda.index("What progress since last time?")
    assert agenda.index("Amina: Dashboards live in two regions") > progress
    assert agenda.index("Chidi: Trained 12 district officers") > progress
    assert "Amina: Survey data arrive late" in agenda and "Chidi: none" not in agenda.split("🆘")[0]
    assert "🆘 What support do you need?" in agenda and "Amina: automating data quality checks" in agenda
    assert "→ peer assist #1: I asked Tomás (listed data quality)" in agenda
    assert "Not answered yet: Baraka" in agenda and "2 of 3 participants answered" in agenda
    assert "[3] I can help Amina" in agenda
    assert "Tomás" in dms(posted, "Amina could use your help: “automating data quality checks”")
    assert "A gentle reminder" not in "\n".join(o for _a, o in await until(bot, CALL - timedelta(hours=1)))

    started = "\n".join(o for _a, o in await until(bot, CALL + timedelta(hours=1)))
    assert "the call has started" in started and "Add or change my answers" not in started.split("updated in")[1]
    assert "Ada" in dms(started, "Focal points call starts now")
    assert "answers are closed" in await press(bot, "Baraka", "checkin.answer", "1"), "the old question's button"
    assert "For the call Tue 5 May 2026" in await bot.say("Baraka", "/cop checkin answer 1"), "the next call's"
    await bot.say("Baraka", "cancel")

    await bot.say("Ada", "1")  # Take minutes, in her DM
    await bot.say("Ada", "One dashboard template for every country; Tomás to help Amina with the checks.")
    taken = await bot.say(
        "Ada", "Amina: share the dashboard template by 20 April\nChidi: translate the template by 2026-05-02"
    )
    assert "says in #general › thread m" in taken and "Minutes of Focal points call, Tue 7 Apr 2026" in taken
    assert "- #1 Amina: share the dashboard template · due Mon 20 Apr 2026" in taken
    assert {"Amina", "Chidi"} <= dms(taken, "From the minutes of Focal points call, for you")
    assert "kept in the library as #" in taken and "2 action items · 2 owners told" in taken
    found = await bot.say("Baraka", "/cop library search dashboard template")
    assert "[summary] Minutes: Focal points call, 2026-04-07" in found

    due = await until(bot, datetime(2026, 4, 20, tzinfo=UTC))
    at = first_time(due, "Amina", "Due tomorrow, from Focal points call: share the dashboard template")
    assert at.astimezone(ZoneInfo("Africa/Nairobi")).strftime("%a %d %H:%M") == "Sun 19 08:00"
    assert "Action item #1 is done" in await bot.say("Amina", "1")

    # The next call's agenda carries what is still open: Chidi's item, not Amina's.
    following = "\n".join(o for _a, o in await until(bot, datetime(2026, 5, 3, 8, tzinfo=UTC), timedelta(hours=6)))
    nxt = following[following.index("Agenda — Focal points call, Tue 5 May 2026") :]
    assert "Open action items from earlier calls" in nxt and "#2 Chidi: translate the template" in nxt
    assert "#1 Amina" not in nxt and "No recap yet." in nxt
    async with bot.runtime.services.sessions() as db:
        assert await activity.count(db, "checkin.answered") == 2
        assert await activity.count(db, "checkin.minutes") == 1


async def test_pause_resume_and_cancel(bot: ConsoleBot) -> None:
    await focal_points(bot)
    await schedule(bot, cadence="every Monday 09:00 UTC")
    assert "Only a coordinator" in await bot.say("Amina", "/cop checkin pause 1")
    assert "is paused" in await bot.say("Ada", "/cop checkin pause 1")
    assert "already paused" in await bot.say("Ada", "/cop checkin pause 1")
    assert "paused" in await bot.say("Amina", "/cop checkin")
    quiet = await bot.wait(timedelta(days=14))
    assert "Your recap" not in quiet and "Agenda" not in quiet, "a paused check-in asks nobody and posts nothing"

    resumed = await bot.say("Ada", "/cop checkin resume 1")
    assert "Check-in #1 is running again. Next call: Mon 23 Mar 2026, 09:00 (UTC)." in resumed
    assert "Your recap" in "\n".join(o for _a, o in await until(bot, datetime(2026, 3, 20, tzinfo=UTC)))

    assert "is cancelled; its minutes stay in the library" in await bot.say("Ada", "/cop checkin cancel 1")
    assert "Agenda" not in await bot.wait(timedelta(days=7))
    assert "No check-in is scheduled" in await bot.say("Amina", "/cop checkin")
    assert "is cancelled" in await bot.say("Ada", "/cop checkin resume 1")


async def test_bad_input_is_answered_and_asked_again(bot: ConsoleBot) -> None:
    await focal_points(bot)
    assert "Only a coordinator" in await bot.say("Amina", "/cop checkin schedule")
    await bot.say("Ada", "/cop checkin schedule")
    for text in ("Focal points call", "Amina, Zawadi", "every full moon", "skip", "keep", "keep"):
        out = await bot.say("Ada", text)
    assert "⚠ I find no member called Zawadi here; a participant must have joined the community" in out
    assert "Also, When is the call?: I cannot read that as a cadence." in out and "2/6" in out
    for text in ("Amina", "every monday", "keep", "keep", "6 days"):
        out = await bot.say("Ada", text)
    assert "⚠ Add the time of the call, like 10:00." in out and "3/6" in out
    for text in ("every Monday 09:00", "keep", "keep", "keep"):
        out = await bot.say("Ada", text)
    assert "⚠ Between 1 hour and 4 days before the call, so there is time to answer." in out and "6/6" in out
    done = await bot.say("Ada", "1 day")
    assert "Check-in #1 “Focal points call” is scheduled: every Monday, 09:00 (UTC)" in done

    assert "Check-in #1 has not had a call yet: minutes are taken after one." in await bot.say(
        "Ada", "/cop checkin minutes 1"
    )
    assert "There is no check-in #7 here." in await bot.say("Ada", "/cop checkin minutes 7")
    assert "Which check-in?" in await bot.say("Ada", "/cop checkin minutes")
    assert "I find no member called Zawadi" in await bot.say("Ada", "/cop checkin members add 1 Zawadi")
    assert "Only the participants" in await bot.say("Baraka", "/cop checkin answer 1")


async def test_minutes_button_before_the_call_is_refused(bot: ConsoleBot) -> None:
    await focal_points(bot)
    await schedule(bot, people="Amina", cadence="every Monday 09:00 UTC")
    await until(bot, datetime(2026, 3, 14, 10, tzinfo=UTC), timedelta(hours=6))  # call #2's agenda is out, not it
    refused = await press(bot, "Ada", "checkin.minutes", "2")
    assert "That call has not happened yet (Mon 16 Mar 2026, 09:00 (UTC))" in refused


async def test_a_participant_who_leaves_or_is_removed_is_not_asked(bot: ConsoleBot) -> None:
    await focal_points(bot)
    await schedule(bot, cadence="every Monday 09:00 UTC")
    await bot.say("Chidi", "/cop leave")
    removed = await bot.say("Ada", "/cop checkin members remove 1 Baraka")
    assert "Baraka will no longer be asked. Participants of #1 now: Amina." in removed
    added = await bot.say("Ada", "/cop checkin members add 1 Tomás")
    assert "Participants of #1 now: Amina, Tomás. 1 was told." in added
    out = "\n".join(o for _a, o in await until(bot, datetime(2026, 3, 14, 10, tzinfo=UTC), timedelta(hours=3)))
    assert dms(out, "Your recap for the agenda") == {"Amina", "Tomás"}
    assert "Not answered yet: Amina, Tomás" in out


async def test_edit_moves_the_call_and_changes_the_questions(bot: ConsoleBot) -> None:
    await focal_points(bot)
    await schedule(bot, people="Amina", cadence="every Monday 09:00 UTC")
    await bot.say("Ada", "/cop checkin edit 1")
    for text in ("keep", "Amina, Chidi", "every other Thursday 14:00 UTC", "keep"):
        await bot.say("Ada", text)
    await bot.say("Ada", "What did you ship?\nWhat is blocking you? (optional, support)")
    changed = await bot.say("Ada", "keep")
    assert "Check-in #1 “Focal points call” is changed: every other Thursday, 14:00 (UTC)." in changed
    assert "Participants: Amina, Chidi." in changed and "Next call: Thu 5 Mar 2026, 14:00 (UTC)" in changed
    assert dms(changed, "what did you ship, what is blocking you") == {"Amina", "Chidi"}, "asked at once: it is soon"
    out = "\n".join(o for _a, o in await until(bot, datetime(2026, 3, 10, tzinfo=UTC), timedelta(hours=3)))
    assert "Agenda — Focal points call, Thu 5 Mar 2026" in out and "Mon 9 Mar" not in out


def test_questions_are_read_with_their_marks_and_written_back() -> None:
    typed = "What did you ship?; What is blocking you? (optional, support)\n- Anything else (Optional)"
    questions = read_questions(typed)
    assert questions == [
        {"text": "What did you ship?", "required": True, "support": False},
        {"text": "What is blocking you?", "required": False, "support": True},
        {"text": "Anything else", "required": False, "support": False},
    ]
    assert read_questions(questions_text(questions)) == questions
    assert read_questions("Progress (as of today)") == [
        {"text": "Progress (as of today)", "required": True, "support": False}
    ], "brackets that are not marks stay in the question"
    with pytest.raises(InvalidAnswer, match="is there twice"):
        read_questions("Progress?\nprogress?")
    with pytest.raises(InvalidAnswer, match="Ask 1 to 6 questions"):
        read_questions(";".join(f"Question {n}?" for n in range(7)))
