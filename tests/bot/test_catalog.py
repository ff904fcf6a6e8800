"""Every translatable string is in the shipped catalog template, so translators see all of it."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}


def _extracted() -> set[str]:
    found: set[str] = set()
    for package in ("bot", "flows", "adapters", "web"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_catalog_template_lists_every_message() -> None:
    with (ROOT / "bot" / "locale" / "cultivate.pot").open("rb") as f:
        catalog = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    missing = _extracted() - catalog
    assert not missing, (
        "bot/locale/cultivate.pot is out of date; run: "
        "pybabel extract -F babel.cfg -k N_ --no-location --sort-output "
        "-o bot/locale/cultivate.pot bot flows adapters web\n" + "\n".join(sorted(missing))
    )
