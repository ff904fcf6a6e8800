"""examples/francais.txt, a community in French from the first day to a webinar's reminder, runs in the console with
no English left in what members read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from bot.i18n import _, local_time
from tests.bot.test_cli import EXAMPLES, run
from tests.flows.test_languages import english_leaks

TUESDAY = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # 14:00 in Maputo


def test_the_french_demo_runs_an_introduction_a_peer_assist_and_a_webinar_reminder_in_french(tmp_path: Path) -> None:
    result = run("console", "--start", "2026-03-02T09:00Z", cwd=tmp_path, stdin=(EXAMPLES / "francais.txt").read_text())
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Traceback" not in out + result.stderr
    for step in (
        _("What you can do here", "fr"),
        _("👋 Please welcome *{name}*", "fr").format(name="Baraka").replace("*", ""),
        _("I can help", "fr"),
        _("{name} offered to help.", "fr").format(name="Baraka"),
        _("Read as {when}.", "fr").format(when=local_time(TUESDAY, "Africa/Maputo", "fr")),
        local_time(TUESDAY, "Africa/Maputo", "fr"),
    ):
        assert step in out, step
    assert "⏰" in out
    assert english_leaks(out, "fr") == []
