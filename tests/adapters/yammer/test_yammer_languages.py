"""On Yammer, what the adapter adds to a message (its numbered replies) is in the reader's language too."""

from __future__ import annotations

from bot.i18n import _
from tests.adapters.yammer.harness import BARAKA, GROUP, YammerBot


async def test_a_french_member_is_told_how_to_reply_in_french(yammer: YammerBot) -> None:
    yammer.fake.dm(BARAKA, "/cop language fr")
    await yammer.poll()
    yammer.fake.post(BARAKA, "/cop join", GROUP)
    await yammer.poll()
    welcome = yammer.fake.texts(to=BARAKA)[-1]
    how = _("Reply {n} to {label}", "fr").format(n=1, label=_("Introduce myself", "fr"))
    assert how in welcome and "Reply 1 to" not in welcome
