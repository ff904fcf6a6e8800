"""Member text is content, never markup; plain rendering is readable aloud."""

from __future__ import annotations

from datetime import UTC, datetime

from bot import plaintext
from bot.i18n import local_time
from bot.messages import Button, Fact, Message, Section
from bot.text import MAX_ID, clean, content, parse_id, shorten, split_lines, unescape


def test_broadcast_mentions_are_defused() -> None:
    for raw in ("@channel", "@here", "@everyone", "<!channel>", "<!here|here>", "@All"):
        escaped = content(raw)
        assert escaped != raw
        assert "\u2060" in escaped


def test_markup_characters_are_escaped_and_come_back_in_plain_text() -> None:
    raw = "*not bold* _nor italic_ `nor code` [a](link) |x|"
    assert "\\*not bold\\*" in content(raw)
    assert unescape(content(raw)) == raw


def test_plain_rendering_drops_emphasis_but_keeps_member_asterisks() -> None:
    message = Message(
        f"*Welcome* {content('2*3*4 = 24')}",
        sections=(Section("Body", facts=(Fact("Who", "Amina"),)),),
        buttons=(Button("Going", "rsvp", "going"), Button("Maybe", "rsvp", "maybe")),
        footer="`/cop help`",
    )
    text = plaintext.render(message)
    assert text.splitlines() == ["Welcome 2*3*4 = 24", "Body", "Who: Amina", "[1] Going   [2] Maybe", "/cop help"]


def test_times_are_shown_in_the_readers_zone_with_the_zone_named() -> None:
    moment = datetime(2026, 3, 2, 11, 0, tzinfo=UTC)
    assert local_time(moment, "Africa/Nairobi") == "Mon 2 Mar 2026, 14:00 (Africa/Nairobi)"
    assert local_time(moment, "America/Sao_Paulo") == "Mon 2 Mar 2026, 08:00 (America/Sao_Paulo)"


def test_shorten_marks_the_cut() -> None:
    assert shorten("abcdef", 4) == "abc…" and shorten("abc", 4) == "abc"


def test_split_lines_keeps_order_and_limits() -> None:
    assert split_lines("ab\ncd\nef", 5) == ["ab\n", "cd\nef"]
    parts = split_lines("short\n" + "x" * 12 + "\nend", 5)
    assert all(len(p) <= 5 for p in parts) and "".join(parts) == "short\n" + "x" * 12 + "\nend"
    assert split_lines("\n\n", 5) == []


def test_inbound_text_loses_control_characters_but_keeps_lines_and_tabs() -> None:
    assert clean("a\x00b\x1b[31mc\x7f\x85d") == "ab[31mcd"
    assert clean("one\r\ntwo\rthree\tfour\n") == "one\ntwo\nthree\tfour\n"
    assert clean("lone \ud800 surrogate") == "lone  surrogate"
    assert clean("Zürich 🌍 مرحبا") == "Zürich 🌍 مرحبا"


def test_ids_are_plain_numbers_within_32_bits() -> None:
    assert [parse_id(v) for v in ("12", "#12", " #7 ", "0012", str(MAX_ID))] == [12, 12, 7, 12, MAX_ID]
    refused = ("0", "-1", str(MAX_ID + 1), "9" * 40, "²", "١٢", "1e3", "12 13", "#", "", "##1", "0x1f")
    assert [parse_id(v) for v in refused] == [None] * len(refused)
