"""Reading fields that may be anything: the expected shape or an empty one, never an exception."""

from __future__ import annotations

from adapters import shapes


def test_objects_and_lists_are_what_they_claim_or_empty() -> None:
    body = {"user": {"id": "U1"}, "team": "T1", "actions": [{"a": 1}, "x", 3, None]}
    assert shapes.obj(body, "user") == {"id": "U1"} and shapes.obj(body, "team") == {}
    assert shapes.obj(body, "user", "id") == {} and shapes.obj("not an object", "user") == {}
    assert shapes.objects(body, "actions") == [{"a": 1}] and shapes.objects(body, "team") == []


def test_text_is_cleaned_and_numbers_read_as_text() -> None:
    body = {"a": "x\x00y", "b": 12, "c": True, "d": ["x"], "e": None}
    assert [shapes.text(body, k) for k in "abcdef"] == ["xy", "12", "", "", "", ""]


def test_ids_are_bounded_and_never_empty() -> None:
    body = {"a": " U1 ", "b": 7, "c": "", "d": "U" * 129, "e": False, "f": {"id": 1}}
    assert [shapes.ident(body, k) for k in "abcdef"] == ["U1", "7", None, None, None, None]
    assert shapes.ident(body, "d", limit=200) == "U" * 129


def test_names_are_one_line_within_the_column() -> None:
    assert shapes.name({"n": "Amina\n\tW."}, "n") == "Amina W."
    assert len(shapes.name({"n": "x" * 1000}, "n")) == shapes.MAX_NAME


def test_whole_numbers_and_zones() -> None:
    assert [shapes.whole(v) for v in (3, "42", -2, 1.9, True, float("nan"), "4e2", "1" * 30)] == [
        3,
        42,
        -2,
        1,
        None,
        None,
        None,
        None,
    ]
    assert shapes.zone("Africa/Nairobi") == "Africa/Nairobi"
    assert [shapes.zone(z) for z in ("Mars/Olympus", "../../etc/passwd", "", 5, "A" * 100)] == [None] * 5
    assert shapes.flag({"x": "yes"}, "x") is False and shapes.flag({"x": True}, "x") is True
