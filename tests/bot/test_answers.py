"""Reading typed answers: numbers for choices, dates and times that exist, limits named."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.answers import InvalidAnswer, check_submission, parse_answer, read_datetime
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


@pytest.mark.parametrize("text", ["2026-02-30", "30/02/2026", "tomorrow"])
def test_impossible_or_unreadable_dates_are_refused_with_the_format(text: str) -> None:
    with pytest.raises(InvalidAnswer, match="YYYY-MM-DD"):
        parse_answer(field(FieldKind.DATE), text, "UTC")


def test_times_on_a_24_hour_clock() -> None:
    assert parse_answer(field(FieldKind.TIME), "9:05", "UTC") == "09:05"
    with pytest.raises(InvalidAnswer, match="HH:MM"):
        parse_answer(field(FieldKind.TIME), "25:00", "UTC")


def test_datetimes_are_read_in_the_members_zone_unless_one_is_named() -> None:
    f = field(FieldKind.DATETIME)
    mine = read_datetime(parse_answer(f, "2026-03-14 14:30", "Africa/Nairobi"))
    assert mine == datetime(2026, 3, 14, 14, 30, tzinfo=ZoneInfo("Africa/Nairobi")) and str(mine.tzinfo) == "Africa/Nairobi"
    named = read_datetime(parse_answer(f, "2026-03-14 14:30 Europe/Lisbon", "Africa/Nairobi"))
    assert named.utcoffset() == timedelta(0) and str(named.tzinfo) == "Europe/Lisbon"
    with pytest.raises(InvalidAnswer, match="Mars/Olympus"):
        parse_answer(f, "2026-03-14 14:30 Mars/Olympus", "UTC")


def test_length_limit_is_named() -> None:
    with pytest.raises(InvalidAnswer, match="under 200 characters"):
        parse_answer(field(FieldKind.SHORT_TEXT), "x" * 201, "UTC")


def test_a_whole_submission_reports_every_bad_field() -> None:
    form = Form("f", "F", (FormField("a", "A"), FormField("b", "B", FieldKind.DATE), FormField("c", "C", required=False)))
    values, errors = check_submission(form, {"a": "", "b": "soon"}, "UTC")
    assert set(errors) == {"a", "b"} and values["c"] is None


def test_a_form_survives_a_round_trip_through_json() -> None:
    form = Form("f", "F", (FormField("t", "T", FieldKind.MULTI_SELECT, choices=CHOICES),), state={"id": 3})
    assert Form.from_json(form.to_json()) == form
