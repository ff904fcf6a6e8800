"""`cultivate manifest teams` writes a package Teams accepts: the manifest names the bot, scopes, commands, icons."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

from adapters.teams.manifest import MAX_COMMANDS, manifest
from bot.i18n import _

CULTIVATE = Path(sys.executable).parent / "cultivate"
APP_ID = "00000000-0000-0000-0000-0000000000ab"


def _size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def test_the_package_holds_the_manifest_and_both_icons(tmp_path: Path) -> None:
    out = tmp_path / "cultivate.zip"
    done = subprocess.run(
        [str(CULTIVATE), "manifest", "teams", "--app-id", APP_ID, "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},  # this checkout's code
    )
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as zf:
        assert {"color.png", "manifest.json", "outline.png", "fr.json", "pt.json"} <= set(zf.namelist())
        data = json.loads(zf.read("manifest.json"))
        french = json.loads(zf.read("fr.json"))
        assert _size(zf.read("color.png")) == (192, 192) and _size(zf.read("outline.png")) == (32, 32)
    [bot] = data["bots"]
    assert (
        data["id"] == APP_ID
        and bot["botId"] == APP_ID
        and data["icons"] == {"color": "color.png", "outline": "outline.png"}
    )
    assert set(bot["scopes"]) == {"personal", "team", "groupChat"}
    # Replies in a discussion's thread reach the bot without a mention (resource-specific consent).
    assert data["authorization"]["permissions"]["resourceSpecific"] == [
        {"name": "ChannelMessage.Read.Group", "type": "Application"}
    ]
    assert data["webApplicationInfo"]["id"] == APP_ID
    commands = [c["title"] for c in bot["commandLists"][0]["commands"]]
    assert commands[0] == "help" and "join" in commands and len(commands) <= MAX_COMMANDS
    assert all(len(c["description"]) <= 128 for c in bot["commandLists"][0]["commands"])
    # Members whose Teams is in French read the command list in French; the verbs stay what they type.
    assert {"languageTag": "fr", "file": "fr.json"} in data["localizationInfo"]["additionalLanguages"]
    assert french["bots[0].commandLists[0].commands[0].title"] == "help"
    assert french["bots[0].commandLists[0].commands[0].description"] == _("What you can do here", "fr")
    assert french["bots[0].commandLists[0].commands[0].description"] != "What you can do here"


def test_an_app_id_that_is_not_a_guid_is_refused_in_one_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [str(CULTIVATE), "manifest", "teams", "--app-id", "my-bot"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "GUID" in done.stderr
    assert not (tmp_path / "cultivate-teams.zip").exists()


def test_the_manifest_keeps_within_teams_limits() -> None:
    data = manifest(APP_ID, [(f"verb{i}", "x" * 300) for i in range(20)])
    assert len(data["description"]["short"]) <= 80 and len(data["description"]["full"]) <= 4000
    assert len(data["bots"][0]["commandLists"][0]["commands"]) == MAX_COMMANDS
