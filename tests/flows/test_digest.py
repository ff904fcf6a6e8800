"""The community digest over a simulated quarter: written from the period's own records, each section only when it
has something, nothing repeated from the last issue, consent honoured, and subscribers reached in their own zone."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.flows.test_peer_assist import introduce
from tests.flows.test_stories import tell
from tests.flows.test_webinars import announce
from tests.harness import ConsoleBot

QUESTION = "How do you keep control-room dashboards from going stale?"


async def until(bot: ConsoleBot, moment: datetime) -> str:
    return await bot.wait(moment - bot.clock.now())


async def a_month_of_community(bot: ConsoleBot) -> None:
    """Ada coordinates; Baraka introduces himself; Amina (in São Paulo) reads the digest by DM; things happen."""
    await bot.say("Ada", "/cop community")
    await introduce(bot, "Baraka", "dashboards, grafana", "Grafana dashboards for control rooms")
    await bot.say("Amina", "/cop join")
    await bot.say("Amina", "/cop timezone America/Sao_Paulo")
    await bot.say("Chidi", "/cop join")
    await bot.say("Amina", f"/cop ask {QUESTION}")
    await bot.say("Baraka", "/cop library add https://example.org/alerting-guide.pdf Alerting guide #alerting")
    await bot.say("Amina", "/cop thanks Baraka for the Grafana alert templates")
    await tell(bot, "Amina", "Our dashboards are trusted again", "community")
    await tell(bot, "Chidi", "A secret win for coordinators only", "coordinators")
    await announce(bot)  # Tue 10 Mar 2026, 14:00 Africa/Nairobi


def section_of(text: str, title: str) -> str:
    """The lines of one section of a printed digest (up to the next blank-looking title)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if title in line)
    out = []
    for line in lines[start + 1 :]:
        if not line.strip().startswith("- "):
            break
        out.append(line)
    return "\n".join(out)


async def test_a_quarter_of_digests_tells_each_thing_once_in_each_readers_zone(bot: ConsoleBot) -> None:
    await a_month_of_community(bot)
    assert "You will get the digest of *" not in await bot.say("Amina", "/cop digest subscribe")  # escaped, in plain
    preview = await bot.say("Ada", "/cop digest preview")
    assert "Preview only: nothing was sent. It would go to 1 home channel(s), 1 by direct message" in preview
    assert "New members" in preview and "Baraka" in section_of(preview, "New members")
    assert "Coming up" in preview and "Alerting that people trust" in section_of(preview, "Coming up")
    assert "Can you help?" in preview and "#1 How do you keep control-room" in preview
    assert "Stories" in preview and "Amina: Our dashboards are trusted again" in preview
    assert "secret win" not in preview, "a story told for coordinators only stays out"
    assert "New in the library" in preview and "Alerting guide https://example.org/alerting-guide.pdf" in preview
    assert "Amina thanked Baraka: the Grafana alert templates" in preview
    assert "Webinars held" not in preview and "Requests resolved" not in preview and "Discussions closed" not in preview
    assert "In figures" in preview
    assert "Going: Alerting that people trust" in preview and "I can help with #1" in preview

    sent = await bot.say("Ada", "/cop digest send")
    assert "Digest sent: 1 home channel(s), 1 direct message(s), 0 email(s)." in sent
    channel = _block(sent, "Cultivate says in #general")
    shown = _block(preview, "(only Ada sees this)")
    assert channel == shown, "the preview is exactly what went out"
    dm = _block(sent, "DM to Amina")
    assert "(America/Sao_Paulo)" in dm and "Tue 10 Mar 2026, 08:00" in dm, "times in the reader's own zone"
    assert "DM to Chidi" not in sent and "DM to Baraka" not in sent
    assert len(channel) < 3000

    again = await bot.say("Ada", "/cop digest preview")
    assert "Nothing new since the last digest" in again
    for title in ("New members", "Coming up", "Can you help?", "Stories", "New in the library", "Thanks"):
        assert title not in again, f"{title} was carried already"
    assert "nothing was sent" in await bot.say("Ada", "/cop digest send")

    # The webinar is held and recorded; the request is resolved; the monthly digest (first Monday) tells just that.
    await until(bot, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    await bot.say("Ada", "/cop webinar recording 1 https://example.org/rec https://example.org/slides.pdf")
    await bot.say("Amina", "/cop ask close 1")
    await bot.say("Amina", "1")
    await bot.say("Amina", "Pin a refresh panel with data age")
    await bot.say("Ada", "/cop digest note Welcome to our new members from the field offices!")
    april = await until(bot, datetime(2026, 4, 6, 9, 0, tzinfo=UTC))
    channel = _block(april, "Cultivate says in #general")
    assert "A note from the coordinators" in channel and "field offices" in channel
    assert "Webinars held" in channel and "recording: https://example.org/rec" in channel
    assert "slides: https://example.org/slides.pdf" in channel
    assert "Requests resolved" in channel and "what worked: Pin a refresh panel with data age" in channel
    for title in ("New members", "Coming up", "Can you help?", "Stories", "New in the library", "Thanks"):
        assert title not in channel, f"{title} was carried in March"
    assert "DM to Amina" in april

    # Nothing happens in April: May's issue is skipped rather than sent empty; the note went with April's.
    may = await until(bot, datetime(2026, 5, 4, 9, 0, tzinfo=UTC))
    assert "Cultivate says in #general" not in may
    assert "(none)" in await bot.say("Ada", "/cop digest note")


async def test_subscribing_unsubscribing_and_the_cadence(bot: ConsoleBot) -> None:
    await bot.say("Ada", "/cop community")
    await bot.say("Amina", "/cop join")
    assert "Only a coordinator" in await bot.say("Amina", "/cop digest send") or "coordinator" in await bot.say(
        "Amina", "/cop digest preview"
    )
    status = await bot.say("Amina", "/cop digest")
    assert "monthly; the next one Mon 6 Apr 2026, 09:00" in status
    assert "You read it in the home channel" in status
    weekly = await bot.say("Ada", "/cop digest schedule weekly friday 16:00")
    assert "weekly; the next one Fri 6 Mar 2026, 16:00" in weekly
    assert "Choose one of" in await bot.say("Ada", "/cop digest schedule daily")
    await bot.say("Amina", "/cop digest subscribe")
    assert "by direct message" in await bot.say("Amina", "/cop digest")
    await bot.say("Baraka", "/cop join")
    await bot.say("Baraka", "/cop library add https://example.org/a A first link")
    friday = await until(bot, datetime(2026, 3, 6, 16, 0, tzinfo=UTC))
    assert "DM to Amina" in friday and "A first link" in friday
    assert "no more digests" in await bot.say("Amina", "/cop digest unsubscribe")
    await bot.say("Baraka", "/cop library add https://example.org/b A second link")
    next_friday = await until(bot, datetime(2026, 3, 13, 16, 0, tzinfo=UTC))
    assert "A second link" in next_friday and "A first link" not in next_friday
    assert "DM to Amina" not in next_friday
    assert "The digest is off" in await bot.say("Ada", "/cop digest schedule off")
    await bot.say("Baraka", "/cop library add https://example.org/c A third link")
    assert "A third link" not in await until(bot, datetime(2026, 3, 20, 16, 0, tzinfo=UTC))
    assert "Email is not set up here" in await bot.say("Amina", "/cop digest email amina@example.org")


def _block(printed: str, header: str) -> str:
    """The text of the first message printed under a header line containing `header`."""
    lines = printed.splitlines()
    start = next(i for i, line in enumerate(lines) if header in line)
    body = []
    for line in lines[start + 1 :]:
        if line.startswith("  Cultivate"):
            break
        body.append(line)
    return "\n".join(body).strip()


async def test_a_subscriber_reads_the_digest_in_their_language_and_the_channel_in_the_communitys(
    bot: ConsoleBot,
) -> None:
    await a_month_of_community(bot)
    await bot.say("Amina", "/cop language pt")
    await bot.say("Amina", "/cop digest subscribe")
    out = await bot.say("Ada", "/cop digest send")
    assert out.count("👋 ") == 2, out  # the home channel's copy and Amina's
    assert out.count("👋 New members") == 1, "the channel's copy is in English, Amina's in Portuguese"
