"""examples/digest.txt, a month's digest previewed and sent, runs in the console as a coordinator would type it."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_cli import EXAMPLES, run

ROOT = Path(__file__).resolve().parents[2]


def test_the_digest_demo_previews_and_sends_a_month(tmp_path: Path) -> None:
    stdin = (EXAMPLES / "digest.txt").read_text()
    # This checkout's code, whichever one the `cultivate` script was installed from.
    result = run("console", "--start", "2026-03-02T09:00Z", cwd=tmp_path, stdin=stdin, PYTHONPATH=str(ROOT))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "The digest goes out monthly; the next one Mon 6 Apr 2026, 09:00 (UTC)." in out
    preview = out.split("Preview only: nothing was sent.")[0].rsplit("/cop digest preview", 1)[1]
    sent = out.split("Digest sent:")[0].rsplit("/cop digest send", 1)[1]
    digest = preview.split("(only Ada sees this)", 1)[1].split("  Cultivate", 1)[0].split("]:", 1)[1]
    assert digest.strip() and digest in sent, "the preview is what went out"
    for step in (
        "📌 A note from the coordinators",
        "- Baraka — dashboards, grafana",
        "- #1 Alerting that people trust — Tue 14 Apr 2026, 11:00 (UTC)",
        "- #1 Who has tuned alert thresholds for pumping stations? (Amina)",
        "- Amina: We cut false alarms by half after Baraka's review",
        "- Alerting guide for control rooms https://example.org/alerting-guide.pdf",
        "- Baraka thanked Amina: the pumping station data",
        "Cultivate → DM to Amina",
        "Tue 14 Apr 2026, 08:00 (America/Sao_Paulo)",
        "Digest sent: 1 home channel(s), 1 direct message(s), 0 email(s).",
        "Nothing new since the last digest, and no note: nothing was sent.",
    ):
        assert step in out, step
    assert "Traceback" not in out + result.stderr
