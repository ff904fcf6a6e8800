"""Private messages on Yammer need no conversation opened first: a fan-out is one POST per member, nothing else."""

from __future__ import annotations

from bot.context import DeliveryContext
from bot.events import Place
from tests.adapters.yammer.fake_yammer import NETWORK
from tests.adapters.yammer.harness import AMINA, BARAKA, CHIDI, YammerBot


async def test_a_private_fan_out_posts_once_per_member_and_opens_nothing(yammer: YammerBot) -> None:
    services = yammer.runtime.services
    before = len(yammer.fake.requests)
    async with services.sessions() as db:
        ctx = DeliveryContext(services=services, db=db, origin="delivery:test")
        for member in (AMINA, BARAKA, CHIDI):
            await ctx.post(Place.direct_to("yammer", str(NETWORK), str(member)), f"Reminder for {member}")
        await db.commit()
    await yammer.runtime.settle(patience=5.0)
    for member in (AMINA, BARAKA, CHIDI):
        assert yammer.fake.texts(to=member) == [f"Reminder for {member}"]
    assert yammer.fake.requests[before:] == [("POST", "messages.json")] * 3, "one request each, no opening"
