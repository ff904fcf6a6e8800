"""Reading typed answers: numbers for choices, dates and times that exist, limits named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.answers import InvalidAnswer, check_submission, clock_note, parse_answer, read_datetime
from bot.forms import Choice, FieldKind, Form, FormField

CHOICES = (Choice("going", "Going"), Choice("maybe", "Maybe"))


def field(kind: FieldKind, **kw: object) -> FormField:
    return FormField("f", "F", kind, **kw)  # type: ignore[arg-type]


def test_single_choice_by_number_or_label() -> None:
    f = field(FieldKind.SINGLE_SELECT, choices=CHOICES)
    assert parse_answer(f, "2", "UTC") == "maybe"
    assert parse_answer(f, "going", "UTC") == "going"
    with pytest.raises(InvalidAnswer, match="from 1 to 2"):
        parse_answer(f, "3", "UTC")
    with pytest.raises(InvalidAnswer):
        parse_answer(f, "perhaps", "UTC")


def test_multi_choice_with_free_tags_and_no_repeats() -> None:
    f = field(FieldKind.MULTI_SELECT, choices=CHOICES, allow_other=True)
    assert parse_answer(f, "1, 2, 1; grafana", "UTC") == ["going", "maybe", "grafana"]


@pytest.mark.parametrize("text", ["30/02/2026", "next blue moon"])
def test_unreadable_dates_are_refused_with_the_format(text: str) -> None:
    with pytest.raises(InvalidAnswer, match="YYYY-MM-DD"):
        parse_answer(field(FieldKind.DATE), text, "UTC")


def test_an_impossible_date_is_named() -> None:
    with pytest.raises(InvalidAnswer, match="2026-02-30 is not a day on the calendar"):
        parse_answer(field(FieldKind.DATE), "2026-02-30", "UTC")
    with pytest.raises(InvalidAnswer, match="2026-02-30 is not a day on the calendar"):
        parse_answer(field(FieldKind.DATETIME), "2026-02-30 10:00", "UTC")


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tomorrow 14:00", datetime(2026, 3, 3, 14, 0, tzinfo=ZoneInfo("Africa/Nairobi"))),
        ("friday 3pm", datetime(2026, 3, 6, 15, 0, tzinfo=ZoneInfo("Africa/Nairobi"))),
        ("5 March 10:00 Europe/Lisbon", datetime(2026, 3, 5, 10, 0, tzinfo=ZoneInfo("Europe/Lisbon"))),
        ("in 2 days at 10:00", datetime(2026, 3, 4, 10, 0, tzinfo=ZoneInfo("Africa/Nairobi"))),
        ("5/3 14:00", datetime(2026, 3, 5, 14, 0, tzinfo=ZoneInfo("Africa/Nairobi"))),  # day first
    ],
)
def test_dates_in_words_are_read_in_the_members_zone_from_now(text: str, expected: datetime) -> None:
    moment = read_datetime(parse_answer(field(FieldKind.DATETIME), text, "Africa/Nairobi", NOW))
    assert moment == expected and str(moment.tzinfo) == str(expected.tzinfo)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("tomorrow", "Add the time of day"),
        ("whenever 10:00", "in words like"),
        ("2026-03-05 10:00 Mars/Olympus", "I do not know the timezone Mars/Olympus"),
    ],
)
def test_dates_in_words_that_cannot_be_used_say_why(text: str, reason: str) -> None:
    with pytest.raises(InvalidAnswer, match=reason):
        parse_answer(field(FieldKind.DATETIME), text, "Africa/Nairobi", NOW)


def test_an_instant_from_a_picker_is_shown_in_the_members_zone() -> None:
    moment = read_datetime(parse_answer(field(FieldKind.DATETIME), f"@{int(NOW.timestamp())}", "America/Sao_Paulo"))
    assert moment == NOW and str(moment.tzinfo) == "America/Sao_Paulo" and moment.hour == 6


def test_skipped_and_doubled_hours_are_stated() -> None:
    skipped = read_datetime(parse_answer(field(FieldKind.DATETIME), "2026-03-29 01:30", "Europe/London"))
    assert (
        clock_note(skipped)
        == "01:30 does not exist on 2026-03-29 in Europe/London (the clocks change); I took 02:30 BST."
    )
    doubled = read_datetime(parse_answer(field(FieldKind.DATETIME), "2026-10-25 01:30", "Europe/London"))
    assert "happens twice" in (clock_note(doubled) or "") and doubled.utcoffset() == timedelta(hours=1)
    assert (
        clock_note(read_datetime(parse_answer(field(FieldKind.DATETIME), "2026-10-26 01:30", "Europe/London"))) is None
    )


def test_times_on_a_24_hour_clock() -> None:
    assert parse_answer(field(FieldKind.TIME), "9:05", "UTC") == "09:05"
    with pytest.raises(InvalidAnswer, match="HH:MM"):
        parse_answer(field(FieldKind.TIME), "25:00", "UTC")


def test_datetimes_are_read_in_the_members_zone_unless_one_is_named() -> None:
    f = field(FieldKind.DATETIME)
    mine = read_datetime(parse_answer(f, "2026-03-14 14:30", "Africa/Nairobi"))
    assert (
        mine == datetime(2026, 3, 14, 14, 30, tzinfo=ZoneInfo("Africa/Nairobi"))
        and str(mine.tzinfo) == "Africa/Nairobi"
    )
    named = read_datetime(parse_answer(f, "2026-03-14 14:30 Europe/Lisbon", "Africa/Nairobi"))
    assert named.utcoffset() == timedelta(0) and str(named.tzinfo) == "Europe/Lisbon"
    with pytest.raises(InvalidAnswer, match="Mars/Olympus"):
        parse_answer(f, "2026-03-14 14:30 Mars/Olympus", "UTC")


def test_length_limit_is_named() -> None:
    with pytest.raises(InvalidAnswer, match="under 200 characters"):
        parse_answer(field(FieldKind.SHORT_TEXT), "x" * 201, "UTC")


def test_a_whole_submission_reports_every_bad_field() -> None:
    form = Form(
        "f", "F", (FormField("a", "A"), FormField("b", "B", FieldKind.DATE), FormField("c", "C", required=False))
    )
    values, errors = check_submission(form, {"a": "", "b": "soon"}, "UTC")
    assert set(errors) == {"a", "b"} and values["c"] is None


def test_a_form_survives_a_round_trip_through_json() -> None:
    form = Form("f", "F", (FormField("t", "T", FieldKind.MULTI_SELECT, choices=CHOICES),), state={"id": 3})
    assert Form.from_json(form.to_json()) == form


def test_a_number_where_there_is_nothing_to_choose_asks_for_words() -> None:
    f = field(FieldKind.SINGLE_SELECT, allow_other=True)
    with pytest.raises(InvalidAnswer, match="nothing to choose from yet"):
        parse_answer(f, "1", "UTC")
    assert parse_answer(f, "alert fatigue", "UTC") == "alert fatigue"
