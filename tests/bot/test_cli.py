"""The `cultivate` command as operators meet it: one clear line and status 2 for their mistakes, never a traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from storage import migrate

CULTIVATE = Path(sys.executable).parent / "cultivate"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def run(*args: str, cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "CULTIVATE_", "SLACK_", "Microsoft", "YAMMER_", "TEAMS_"))}
    clean.update(env)
    return subprocess.run([str(CULTIVATE), *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=clean, timeout=60)


def assert_one_line_refusal(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cultivate: "), result.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("nonsense", "not a database URL"),
        ("mysql://root@127.0.0.1/test", "supports sqlite+aiosqlite:// and postgresql+asyncpg://"),
        ("postgresql+asyncpg://postgres@127.0.0.1:1/nowhere", "cannot be used"),
    ],
)
@pytest.mark.parametrize("command", [("serve", "--port", "0"), ("db", "upgrade")])
def test_a_bad_or_unreachable_database_stops_with_one_line(tmp_path: Path, url: str, needle: str, command: tuple[str, ...]) -> None:
    assert_one_line_refusal(run(*command, cwd=tmp_path, DATABASE_URL=url), needle)


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is missing"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is missing"),
        ({"MicrosoftAppId": "app"}, "MicrosoftAppPassword is missing"),
        ({"YAMMER_ACCESS_TOKEN": "t"}, "YAMMER_GROUP_IDS is missing"),
        ({"YAMMER_POLL_SECONDS": "often"}, "YAMMER_POLL_SECONDS"),
    ],
)
def test_a_half_configured_platform_stops_serve_naming_what_is_missing(tmp_path: Path, env: dict[str, str], needle: str) -> None:
    assert_one_line_refusal(run("serve", "--port", "0", cwd=tmp_path, **env), needle)


def test_teams_without_authentication_refuses_a_public_address(tmp_path: Path) -> None:
    assert_one_line_refusal(run("serve", "--host", "0.0.0.0", cwd=tmp_path, TEAMS_LOCAL_NO_AUTH="1"), "loopback")


def test_db_upgrade_reports_the_revision(tmp_path: Path) -> None:
    result = run("db", "upgrade", cwd=tmp_path)
    assert result.returncode == 0 and f"Database is at revision {migrate.head_revision()}." in result.stdout
    assert (tmp_path / "cultivate.db").exists()


def test_the_demo_script_prints_a_transcript_with_the_refusal(tmp_path: Path) -> None:
    result = run("console", cwd=tmp_path, stdin=(EXAMPLES / "demo.txt").read_text())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Ada> /cop help" in out and "Baraka> /cop join" in out
    assert "Only a coordinator can do that" in out and "Baraka is now a moderator" in out
    assert "Did you mean /cop help?" in out and "Traceback" not in out + result.stderr


def test_the_peer_assist_demo_tells_the_whole_story(tmp_path: Path) -> None:
    result = run("console", cwd=tmp_path, stdin=(EXAMPLES / "peer_assist.txt").read_text())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in ("Tell a bit more", "I thought of you because you listed dashboards", "Baraka offered to help.",
                 "Resolved. Thank you Baraka!", "Thanked: 1 time", "has had no offer for a day"):
        assert step in out, step


def test_the_stories_demo_runs_a_campaign_round(tmp_path: Path) -> None:
    result = run("console", cwd=tmp_path, stdin=(EXAMPLES / "stories.txt").read_text())
    assert result.returncode == 0, result.stderr
    for step in ("A round has started: 2 member(s) asked.", "story #1 is kept", "This is the only reminder.",
                 "1 of 2 answered (50%)", "#1 Chidi: A member shared a mobile layout"):
        assert step in result.stdout, step


def test_end_of_input_leaves_the_console_cleanly(tmp_path: Path) -> None:
    result = run("console", "--as", "Zawadi", cwd=tmp_path, stdin="/cop help")  # no newline, no /quit
    assert result.returncode == 0 and "Zawadi> /cop help" in result.stdout and result.stderr == ""


CONFIG = """
communities:
  - slug: rtm
    name: Real-time monitoring
    domain: Monitoring systems in real time across four countries
    topics: [dashboards, alerting]
    timezone: Africa/Nairobi
    channels: {console: monitoring}
    coordinators: ["console:amina"]
  - slug: water
    name: Water utilities
"""


def test_communities_and_first_coordinators_come_from_the_config(tmp_path: Path) -> None:
    config = tmp_path / "cultivate.yaml"
    config.write_text(CONFIG)
    result = run(
        "console", "--as", "Amina", "--community", "rtm", cwd=tmp_path, CULTIVATE_CONFIG=str(config),
        stdin="/cop community\n/as Baraka\n/cop join\n/as Amina\n/cop role grant Baraka moderator\n",
    )
    assert result.returncode == 0, result.stderr
    assert "in #monitoring" in result.stdout and "Real-time monitoring" in result.stdout
    assert "Coordinators: Amina" in result.stdout and "Other communities here: water" in result.stdout
    assert "Baraka is now a moderator of Real-time monitoring" in result.stdout


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "cannot be read"),
        ("communities: [", "not valid YAML"),
        ("communities: []", "non-empty 'communities:' list"),
        ("communities:\n  - slug: x\n    timezone: Mars/Olympus\n", "unknown timezone 'Mars/Olympus'"),
        ("communities:\n  - slug: x\n    coordinators: [amina]\n", "platform:user_id"),
    ],
)
def test_a_broken_config_stops_with_one_line(tmp_path: Path, content: str | None, needle: str) -> None:
    config = tmp_path / "cultivate.yaml"
    if content is not None:
        config.write_text(content)
    assert_one_line_refusal(run("console", cwd=tmp_path, CULTIVATE_CONFIG=str(config)), needle)
