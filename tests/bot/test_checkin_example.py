"""examples/checkin.txt, a coordination call's whole cycle, runs in the console as a member would type it."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_cli import EXAMPLES, run


def test_the_checkin_demo_runs_one_coordination_call_cycle(tmp_path: Path) -> None:
    result = run("console", "--start", "2026-03-02T09:00Z", cwd=tmp_path, stdin=(EXAMPLES / "checkin.txt").read_text())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for step in (
        "Check-in #1 “Country focal points call” is scheduled: every Monday, 10:00 (Africa/Nairobi).",
        "It is now Fri 6 Mar 2026, 01:00 (UTC).\n  Cultivate → DM to Chidi",  # 08:00 in Manila
        "It is now Fri 6 Mar 2026, 06:00 (UTC).\n  Cultivate → DM to Amina",  # 08:00 in Nairobi
        "It is now Fri 6 Mar 2026, 12:00 (UTC).\n  Cultivate → DM to Baraka",  # 08:00 in Sao Paulo
        "your recap for “Country focal points call” is in",
        "This is the only reminder.",
        "→ peer assist #1: I asked Tomás (listed data quality)",
        "Not answered yet: Baraka",
        "has not had a call yet",
        "the call has started",
        "Minutes of Country focal points call, Mon 9 Mar 2026",
        "[summary] Minutes: Country focal points call, 2026-03-09",
        "Due tomorrow, from Country focal points call: share the dashboard template",
        "Action item #1 is done",
        "Open action items from earlier calls\n    - #2 Chidi: write up the training guide",
    ):
        assert step in out, step
    assert "Traceback" not in out + result.stderr
