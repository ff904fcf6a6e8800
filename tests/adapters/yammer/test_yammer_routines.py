"""Routines on Yammer, which has no buttons and no forms: numbered replies, and forms asked in private messages."""

from __future__ import annotations

from datetime import timedelta

from tests.adapters.yammer.harness import AMINA, BARAKA, CHIDI, GROUP, YammerBot

ANSWERS = [
    "keep",
    "Data engineer, Kenya Power",
    "Nairobi",
    "Africa/Nairobi",
    "skip",
    "1",
    "alerting at scale",
    "Grafana for control rooms",
    "skip",
]


async def join_and_introduce(yammer: YammerBot, who: int) -> None:
    """`who` joins in the group, replies 1 privately to "Introduce myself", then answers each question privately."""
    yammer.fake.post(who, "/cop join", GROUP)
    await yammer.poll()
    assert "Reply 1 to Introduce myself" in yammer.fake.texts(to=who)[-1]
    yammer.fake.dm(who, "1")
    await yammer.poll()
    for answer in ANSWERS:
        yammer.fake.dm(who, answer)
        await yammer.poll()


async def test_an_introduction_is_completed_field_by_field_in_private_messages(yammer: YammerBot) -> None:
    await join_and_introduce(yammer, BARAKA)
    asked = yammer.fake.texts(to=BARAKA)
    assert any("1/9 · How should we call you?" in t for t in asked)
    assert any("6/9 · Areas of expertise" in t and "1. dashboards" in t for t in asked)
    card = next(m for m in yammer.fake.bot_messages(group=GROUP) if "Please welcome Baraka" in m["body"]["plain"])
    assert card["replied_to_id"] is None  # a post of its own in the group, not a reply
    assert (
        "Role: Data engineer, Kenya Power" in card["body"]["plain"] and "Expertise: dashboards" in card["body"]["plain"]
    )
    assert "Reply 1 to Welcome · 2 to Connect" in card["body"]["plain"]

    yammer.fake.post(AMINA, "1", GROUP, replied_to=card["id"])  # Amina welcomes Baraka with a numbered reply
    await yammer.poll()
    assert any("Welcomed by 1" in t for t in yammer.fake.texts(thread=card["id"]))


async def test_a_peer_assist_request_reaches_an_expert_and_is_resolved_by_numbered_replies(yammer: YammerBot) -> None:
    await join_and_introduce(yammer, BARAKA)
    ask = yammer.fake.post(AMINA, "/cop ask How do you keep control-room dashboards from going stale?", GROUP)
    await yammer.poll()
    card = next(m for m in yammer.fake.bot_messages(group=GROUP) if "Amina Wanjiru asks:" in m["body"]["plain"])
    assert "Reply 1 to I can help · 2 to Follow · 3 to Resolved" in card["body"]["plain"]
    assert any("Request #1 is posted" in t and "Baraka" in t for t in yammer.fake.texts(thread=ask))
    asked = yammer.fake.texts(to=BARAKA)[-1]
    assert (
        "could use your help" in asked and "because you listed dashboards" in asked and "Reply 1 to I can help" in asked
    )

    yammer.fake.dm(BARAKA, "1")  # Baraka offers, privately
    await yammer.poll()
    in_thread = yammer.fake.texts(thread=card["id"])
    assert any("Baraka Otieno offered to help." in t for t in in_thread)
    assert any("1 offer so far" in t for t in in_thread)  # the card's update, in its own thread
    assert any("can help with your request #1" in t for t in yammer.fake.texts(to=AMINA))

    yammer.fake.post(AMINA, "3", GROUP, replied_to=card["id"])  # Amina presses Resolved, in the card's thread
    await yammer.poll()
    assert "Who helped?" in yammer.fake.texts(to=AMINA)[-1]
    yammer.fake.dm(AMINA, "1")
    await yammer.poll()
    yammer.fake.dm(AMINA, "An alert when a panel's newest point is older than five minutes")
    await yammer.poll()
    assert any("Resolved. Thank you Baraka Otieno!" in t for t in yammer.fake.texts(thread=card["id"]))
    assert "Request #1 is closed" in yammer.fake.texts(to=AMINA)[-1]


async def test_a_number_nobody_offered_is_just_a_reply(yammer: YammerBot) -> None:
    post = yammer.fake.post(AMINA, "/cop help", GROUP)
    await yammer.poll()
    yammer.fake.post(BARAKA, "2", GROUP, replied_to=post)
    yammer.fake.dm(BARAKA, "7")
    await yammer.poll()
    assert len(yammer.fake.texts(thread=post)) == 1
    assert "I answer commands" in yammer.fake.texts(to=BARAKA)[-1]


async def test_a_newcomer_to_the_group_is_welcomed_after_the_daily_comparison(yammer: YammerBot) -> None:
    yammer.fake.groups[GROUP].add(CHIDI)
    await yammer.poll()
    assert not yammer.fake.texts(to=CHIDI)  # compared once a day only
    yammer.clock.advance(timedelta(days=1, minutes=1))
    await yammer.poll()
    assert "Reply 1 to Introduce myself" in yammer.fake.texts(to=CHIDI)[-1]
    assert not yammer.fake.texts(to=BARAKA)  # already there at the first comparison: the baseline
