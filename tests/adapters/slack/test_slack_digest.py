"""The digest on Slack: a busy month cut to fit (under 3,000 plain characters), sent as Block Kit within Slack's
limits, with RSVP and I-can-help buttons Slack can tell apart."""

from __future__ import annotations

from adapters.slack import render
from tests.adapters.slack.harness import SlackBot
from tests.digest_records import busy_month


async def test_a_busy_months_digest_fits_slack(slack_home: SlackBot) -> None:
    slack = slack_home
    await busy_month(slack.runtime, "rtm")
    await slack.command("U1", "digest send")
    await slack.settled()
    [post] = [c for c in slack.fake.called("chat.postMessage") if c.args["channel"] == "C1"]
    blocks = post.args["blocks"]
    assert len(blocks) <= render.MAX_BLOCKS
    assert len(post.args["text"]) <= render.MAX_FALLBACK
    texts = [b["text"]["text"] for b in blocks if b["type"] == "section"]
    assert all(len(t) <= render.MAX_SECTION_TEXT for t in texts)
    shown = "\n".join(texts)
    assert "Coming up" in shown and "Can you help?" in shown and "New in the library" in shown
    assert 0 < shown.count("https://example.org/guides/") < 30, "cut to fit, the rest left for next time"
    actions = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert 1 <= len(actions) <= render.MAX_BUTTONS
    assert len({a["action_id"] for a in actions}) == len(actions), "each button its own action id"
    assert {a["action_id"].split("#")[0] for a in actions} == {"webinar.rsvp", "assist.offer"}
    footer = blocks[-1]
    assert footer["type"] == "context" and "/cop library recent" in footer["elements"][0]["text"]
    answer = [c for c in slack.fake.called("chat.postEphemeral") if "Digest sent" in str(c.args)]
    assert answer, "the coordinator is told where it went"
