"""The `cultivate` command as operators meet it: one clear line and status 2 for their mistakes, never a traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from storage import migrate
from tests.databases import POSTGRES_URL, on_postgres

CULTIVATE = Path(sys.executable).parent / "cultivate"
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SERVE = ("serve", "--port", "0")
DB_UPGRADE = ("db", "upgrade")


def run(*args: str, cwd: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    prefixes = ("DATABASE_URL", "CULTIVATE_", "SLACK_", "Microsoft", "YAMMER_", "TEAMS_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}
    # The code under test is this checkout's, not whichever one the environment has installed.
    clean["PYTHONPATH"] = os.pathsep.join(p for p in (str(EXAMPLES.parent), clean.get("PYTHONPATH")) if p)
    clean.update(env)
    return subprocess.run(
        [str(CULTIVATE), *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean,
        timeout=60,
        check=False,
    )


def assert_one_line_refusal(result: subprocess.CompletedProcess[str], *needles: str) -> str:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cultivate: "), result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize(
    ("url", "needle"),
    [
        ("nonsense", "not a database URL"),
        ("nonsense://x", "DATABASE_URL uses 'nonsense'"),
        ("mysql://root@127.0.0.1/test", "supports sqlite+aiosqlite:// and postgresql+asyncpg://"),
        ("postgresql://postgres@127.0.0.1:99999/x", "DATABASE_URL has port 99999"),
        (
            "postgresql+asyncpg://postgres@127.0.0.1:1/nowhere",
            "the database at postgresql+asyncpg://postgres@127.0.0.1:1/nowhere cannot be used",
        ),
        ("sqlite+aiosqlite:////no/such/directory/cultivate.db", "unable to open database file"),
    ],
)
@pytest.mark.parametrize("command", [SERVE, DB_UPGRADE], ids=["serve", "db-upgrade"])
def test_a_bad_or_unreachable_database_stops_with_one_line(
    tmp_path: Path, url: str, needle: str, command: tuple[str, ...]
) -> None:
    assert_one_line_refusal(run(*command, cwd=tmp_path, DATABASE_URL=url), needle)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+asyncpg://cop:s3cret@127.0.0.1:1/x",
        "postgresql://cop:s3cret@db:port/x",
        "postgresql:/cop:s3cret@db/x",
    ],
)
def test_the_refusal_never_shows_the_database_password(tmp_path: Path, url: str) -> None:
    line = assert_one_line_refusal(run(*DB_UPGRADE, cwd=tmp_path, DATABASE_URL=url))
    assert "s3cret" not in line and "cop:***@" in line


@pytest.mark.skipif(not on_postgres(), reason="needs a PostgreSQL server to ask for a database it does not have")
def test_a_missing_postgres_database_is_named(tmp_path: Path) -> None:
    assert POSTGRES_URL is not None
    missing = f"cultivate_missing_{uuid.uuid4().hex[:8]}"
    url = make_url(POSTGRES_URL).set(database=missing).render_as_string(hide_password=False)
    assert_one_line_refusal(run(*DB_UPGRADE, cwd=tmp_path, DATABASE_URL=url), f'database "{missing}" does not exist')


@pytest.mark.parametrize(
    ("env", "needle"),
    [
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is missing"),
        ({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET is missing"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is missing"),
        ({"MicrosoftAppId": "app"}, "MicrosoftAppPassword is missing"),
        ({"YAMMER_ACCESS_TOKEN": "t"}, "YAMMER_GROUP_IDS is missing"),
        ({"YAMMER_POLL_SECONDS": "often"}, "YAMMER_POLL_SECONDS must be a whole number of seconds, not 'often'"),
    ],
)
def test_a_half_configured_platform_stops_serve_naming_what_is_missing(
    tmp_path: Path, env: dict[str, str], needle: str
) -> None:
    assert_one_line_refusal(run(*SERVE, cwd=tmp_path, **env), needle)
    assert not (tmp_path / "cultivate.db").exists()  # refused before touching the database


def test_teams_without_authentication_refuses_a_public_address(tmp_path: Path) -> None:
    assert_one_line_refusal(
        run("serve", "--host", "0.0.0.0", cwd=tmp_path, TEAMS_LOCAL_NO_AUTH="1"), "loopback", "0.0.0.0"
    )


def test_a_port_out_of_range_is_refused(tmp_path: Path) -> None:
    assert_one_line_refusal(run("serve", "--port", "70000", cwd=tmp_path), "--port must be a number from 0 to 65535")


def test_a_port_already_in_use_stops_serve_with_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("serve", "--port", str(port), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    refusals = [line for line in result.stderr.splitlines() if line.startswith("cultivate:")]
    assert refusals == [result.stderr.strip().splitlines()[-1]]  # start-up logs may come first; the reason is last
    assert f"cannot listen on 127.0.0.1:{port}" in refusals[0] and "stopped cleanly" not in result.stderr


def test_db_upgrade_reports_the_revision_and_can_run_again(tmp_path: Path) -> None:
    for _ in range(2):
        result = run(*DB_UPGRADE, cwd=tmp_path)
        assert result.returncode == 0 and result.stdout == f"Database is at revision {migrate.head_revision()}.\n"
    assert (tmp_path / "cultivate.db").exists()  # the default DATABASE_URL is a file in the working directory


def test_the_console_echoes_each_line_after_the_speakers_prompt(tmp_path: Path) -> None:
    result = run("console", cwd=tmp_path, stdin="/cop help\n/as Baraka\n/cop join\n")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0] == "Ada> /cop help" and "Baraka> /cop join" in lines
    assert len(lines) > 3  # the answers are in between
    assert (tmp_path / "cultivate.db").exists()


def test_end_of_input_leaves_the_console_cleanly(tmp_path: Path) -> None:
    result = run("console", "--as", "Zawadi", cwd=tmp_path, stdin="/cop help")  # no newline, no /quit
    assert result.returncode == 0 and "Zawadi> /cop help" in result.stdout and result.stderr == ""


def test_quit_leaves_the_console_and_ignores_what_follows(tmp_path: Path) -> None:
    db = tmp_path / "elsewhere.db"
    result = run(
        "console", cwd=tmp_path, stdin="/cop help\n/quit\n/cop join\n", DATABASE_URL=f"sqlite+aiosqlite:///{db}"
    )
    assert result.returncode == 0 and result.stderr == ""
    assert result.stdout.splitlines()[-1] == "Ada> /quit" and "Ada> /cop join" not in result.stdout
    assert db.exists() and not (tmp_path / "cultivate.db").exists()


def test_the_demo_script_prints_a_transcript_with_the_refusal(tmp_path: Path) -> None:
    result = run("console", cwd=tmp_path, stdin=(EXAMPLES / "demo.txt").read_text())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Ada> /cop help" in out and "Baraka> /cop join" in out
    assert "Only a coordinator can do that" in out and "Baraka is now a moderator" in out
    assert "Did you mean /cop help?" in out and "Traceback" not in out + result.stderr


def test_fresh_runs_an_example_on_a_throwaway_database_leaving_the_users_own_alone(tmp_path: Path) -> None:
    mine = run("console", cwd=tmp_path, stdin="/as Zuri\n/cop join\n/cop ask How do we keep alerts quiet at night?\n")
    assert mine.returncode == 0 and (tmp_path / "cultivate.db").exists(), "the console keeps ./cultivate.db"
    before = (tmp_path / "cultivate.db").read_bytes()
    for _twice in range(2):
        result = run("console", "--fresh", cwd=tmp_path, stdin=(EXAMPLES / "demo.txt").read_text())
        assert result.returncode == 0, result.stderr
        assert "Baraka is now a moderator" in result.stdout and "already" not in result.stdout, "an empty database"
    assert (tmp_path / "cultivate.db").read_bytes() == before


def test_the_peer_assist_demo_tells_the_whole_story(tmp_path: Path) -> None:
    result = run("console", cwd=tmp_path, stdin=(EXAMPLES / "peer_assist.txt").read_text())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in (
        "Tell a bit more",
        "I thought of you because you listed dashboards",
        "Baraka offered to help.",
        "Resolved. Thank you Baraka!",
        "Thanked: 1 time",
        "has had no offer for a day",
    ):
        assert step in out, step


def test_the_stories_demo_runs_a_campaign_round(tmp_path: Path) -> None:
    result = run("console", cwd=tmp_path, stdin=(EXAMPLES / "stories.txt").read_text())
    assert result.returncode == 0, result.stderr
    for step in (
        "A round has started: 2 members asked.",
        "story #1 is kept",
        "This is the only reminder.",
        "1 of 2 answered (50%)",
        "#1 Chidi: A member shared a mobile layout",
    ):
        assert step in result.stdout, step


def test_the_webinar_demo_shows_a_sessions_whole_life(tmp_path: Path) -> None:
    result = run("console", "--start", "2026-03-02T09:00Z", cwd=tmp_path, stdin=(EXAMPLES / "webinar.txt").read_text())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in (
        "Read as Tue 10 Mar 2026, 14:00 (Africa/Nairobi).",
        "1 going · 1 maybe · 0 not going",
        "- #1 Tue 10 Mar 2026, 11:00 (Europe/Lisbon) — Alert fatigue",
        "DTSTART:20260310T110000Z",
        "has moved to Tue 10 Mar 2026, 15:00 (Africa/Nairobi)",
        "In 24 hours: Alert fatigue: what to page for starts Tue 10 Mar 2026, 15:00 (Africa/Nairobi)",
        "In 24 hours: Alert fatigue: what to page for starts Tue 10 Mar 2026, 12:00 (Europe/Lisbon)",
        "In 60 minutes",
        "says in #general [m",
        "In 15 minutes",
        "› thread m",
        "2 attendees were asked for feedback",
        "The review is kept in the library as #3",
        "2 answers, average 4.5/5",
        "[lesson] AAR: Webinar: Alert fatigue",
    ):
        assert step in out, step
    assert "Traceback" not in out + result.stderr


def test_the_health_demo_builds_a_community_over_months_and_shows_its_health(tmp_path: Path) -> None:
    result = run("console", "--start", "2026-03-02T09:00Z", cwd=tmp_path, stdin=(EXAMPLES / "health.txt").read_text())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in (
        "Onboarding that sticks took place Wed 8 Apr 2026, 10:00 (UTC).",
        "Noted: you were at “Onboarding that sticks”.",
        "A discussion on “onboarding”, which you hope to learn about, opens Wed 20 May 2026, 12:00 (UTC).",
        "You joined Community of Practice a while ago. Would you introduce yourself?",
        "Health of Community of Practice · last 90 days (8 Feb – 9 May 2026)",
        "8 members: core 1 (+1) · active 1 (+1) · occasional 4 (+4) · silent 1 (+1) · new 1",
        "2 sent · 1 converted (50%)",
        "1. Baraka — offered help with 2 requests on onboarding; presented 1 webinar",
        "Baraka said yes: co-moderating discussion #1.",
        "before: 43 · 43 · 14",
    ):
        assert step in out, step
    assert "Traceback" not in out + result.stderr


def test_the_console_start_needs_a_zone(tmp_path: Path) -> None:
    result = run("console", "--start", "2026-03-02 09:00", cwd=tmp_path, stdin="/quit\n")
    assert result.returncode == 2 and "--start must be a date and time with its zone" in result.stderr


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
    script = (
        "/cop community\n"
        "/as Baraka\n/cop join\n/cop role grant Baraka coordinator\n"  # running the console makes nobody a coordinator
        "/as Amina\n/cop role grant Baraka moderator\n"
    )
    result = run(
        "console", "--as", "Amina", "--community", "rtm", cwd=tmp_path, CULTIVATE_CONFIG=str(config), stdin=script
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "in #monitoring" in out and "Real-time monitoring" in out
    assert "Coordinators: Amina" in out and "Other communities here: water" in out
    assert "Only a coordinator can do that" in out
    assert "Baraka is now a moderator of Real-time monitoring" in out


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "cannot be read: No such file or directory"),
        ("communities: [", "not valid YAML"),
        ("communities:\n  - slug: x\n    timezone: Mars/Olympus\n", "unknown timezone 'Mars/Olympus'"),
        ("communities:\n  - slug: x\n    channels: [console]\n", "'channels' must map a platform to a channel"),
    ],
)
@pytest.mark.parametrize("command", [("console",), SERVE], ids=["console", "serve"])
def test_a_broken_config_stops_with_one_line(
    tmp_path: Path, content: str | None, needle: str, command: tuple[str, ...]
) -> None:
    config = tmp_path / "cultivate.yaml"
    if content is not None:
        config.write_text(content)
    assert_one_line_refusal(run(*command, cwd=tmp_path, CULTIVATE_CONFIG=str(config)), needle)


def test_a_config_cannot_give_away_a_channel_another_community_already_has(tmp_path: Path) -> None:
    tried = run("console", cwd=tmp_path, stdin="/cop help\n")  # the built-in community takes console #general
    assert tried.returncode == 0, tried.stderr
    config = tmp_path / "cultivate.yaml"
    config.write_text("communities:\n  - slug: rtm\n    channels: {console: general}\n")
    assert_one_line_refusal(
        run("console", cwd=tmp_path, CULTIVATE_CONFIG=str(config)),
        "gives console channel 'general' to 'rtm', but it is already the home of 'practice'",
    )
