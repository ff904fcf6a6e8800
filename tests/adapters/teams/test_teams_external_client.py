"""`cultivate serve` driven from outside, as Microsoft's Agents testing client drives a bot: activities built with
Microsoft's published types go to the real /api/messages, replies come back to a callback server of ours."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.adapters.teams.external_client import ExternalClient
from tests.adapters.teams.test_teams_serve import _serve, _stop


async def test_help_join_ask_a_duplicate_and_an_unknown_verb_from_an_external_client(
    tmp_path: Path, teams_sdk: str
) -> None:
    client = ExternalClient()
    await client.start()
    proc, port = await _serve(tmp_path, TEAMS_LOCAL_NO_AUTH="1", TEAMS_SDK=teams_sdk)
    client.agent_url = f"http://127.0.0.1:{port}/api/messages"
    try:
        assert await client.send(client.message("help")) == 201
        [help_] = await client.wait_for(1)
        assert help_.kind == "send" and help_.conversation == "a:chat-29:amina" and "What you can do" in help_.text

        await client.send(client.message("join"))
        assert "Welcome to **Community of Practice**, Amina!" in await _reply_containing(client, "Amina!")

        await client.send(client.message("ask How do you alert on stale dashboards?"))
        asked = await _reply_containing(client, "Request #1")
        assert "has no channel here to post it in" in asked, "the asker is told where it went: nowhere yet"

        before = len(client.replies)
        again = client.message("community")
        assert [await client.send(again), await client.send(again)] == [201, 201]
        await client.send(client.message("cop frobnicate"))
        unknown = await _reply_containing(client, "frobnicate")
        assert "I don't know" in unknown and "help" in unknown, "an unknown verb gets a usage line"
        await asyncio.sleep(0.3)
        about = [r for r in client.replies[before:] if "Community of Practice" in r.text and "frobnicate" not in r.text]
        assert len(about) == 1, "the same activity delivered twice is answered once"
        assert all(r.activity.from_property and r.activity.from_property.id == "28:cultivate" for r in client.replies)
        await _stop(proc)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        await client.close()


async def _reply_containing(client: ExternalClient, words: str, timeout: float = 15) -> str:
    for _ in range(int(timeout / 0.02)):
        found = [r.text for r in client.replies if words in r.text]
        if found:
            return found[0]
        await asyncio.sleep(0.02)
    raise AssertionError(f"no reply with {words!r} in {[r.text[:60] for r in client.replies]}")
