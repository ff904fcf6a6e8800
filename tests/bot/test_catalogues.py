"""Every catalogue under bot/locale keeps up with the template: each text translated, none fuzzy, the same
placeholders; plural forms follow each language's rules; catalogues compile to .mo on first use, again when edited."""

from __future__ import annotations

import re
import shutil
import string
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot import i18n
from bot.i18n import LOCALE_DIR, _, ngettext, reading

TEMPLATE = LOCALE_DIR / "cultivate.pot"
CATALOGUES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/cultivate.po"))
# A plural text every catalogue has, where a number meets a noun.
WELCOME = ("🌱 Please welcome our new member: {names}!", "🌱 Please welcome our {n} new members: {names}!")


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def placeholders(text: str) -> Counter[str]:
    """The {fields} of a str.format text, with their format specs ({avg:.1f}); "{{" is not one."""
    return Counter(
        f"{name}:{spec}" if spec else name for _lit, name, spec, _conv in string.Formatter().parse(text) if name
    )


def _ids(message: Message) -> tuple[str, str | None]:
    if isinstance(message.id, tuple):
        return str(message.id[0]), str(message.id[1])
    return str(message.id), None


def lagging(template: Catalog, catalogue: Catalog) -> list[str]:
    """What keeps a catalogue from being complete, one line per text."""
    problems = []
    for source in template:
        if not source.id:
            continue
        singular, plural = _ids(source)
        found = catalogue.get(singular)
        if found is None:
            problems.append(f"missing: {singular!r}")
            continue
        if found.fuzzy:
            problems.append(f"fuzzy: {singular!r}")
        forms = list(found.string) if isinstance(found.string, tuple | list) else [found.string]
        if not all(forms):
            problems.append(f"untranslated: {singular!r}")
            continue
        if plural is None:
            if placeholders(forms[0]) != placeholders(singular):
                problems.append(f"placeholders differ: {singular!r} -> {forms[0]!r}")
            continue
        if len(forms) != catalogue.num_plurals:
            problems.append(f"{len(forms)} plural forms, {catalogue.num_plurals} wanted: {singular!r}")
        allowed = set(placeholders(singular)) | set(placeholders(plural))
        if not set(placeholders(forms[0])) >= set(placeholders(singular)) or placeholders(forms[-1]) != placeholders(
            plural
        ):
            problems.append(f"placeholders differ: {plural!r} -> {forms!r}")
        elif any(not set(placeholders(form)) <= allowed for form in forms):
            problems.append(f"unknown placeholder: {plural!r} -> {forms!r}")
    return problems


def test_there_are_catalogues_to_check() -> None:
    assert {p.parents[1].name for p in CATALOGUES} >= {"fr", "pt"}


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parents[1].name)
def test_the_catalogue_has_every_text_of_the_template_translated_with_the_same_placeholders(po: Path) -> None:
    problems = lagging(_read(TEMPLATE), _read(po))
    assert not problems, f"{po} lags the template ({len(problems)}):\n" + "\n".join(problems[:40])


def test_the_check_finds_a_lagging_catalogue() -> None:
    template = Catalog()
    template.add("Hello {name}")
    template.add("Bye")
    template.add(("{n} day", "{n} days"))
    catalogue = Catalog(locale="fr")
    catalogue.add("Hello {name}", "Bonjour {nom}")
    catalogue.add("Bye", "Salut", flags=["fuzzy"])
    catalogue.add(("{n} day", "{n} days"), ("{n} jour", ""))
    problems = lagging(template, catalogue)
    assert [p.split(":")[0] for p in problems] == ["placeholders differ", "fuzzy", "untranslated"]


@pytest.mark.parametrize(
    ("language", "forms"),
    # French counts 0 like 1 ("0 nouveau membre"); Portuguese as spoken in Mozambique and Angola (pt-PT), like 2.
    [("fr", {0: 0, 1: 0, 2: 1, 5: 1}), ("pt", {0: 1, 1: 0, 2: 1, 5: 1})],
)
def test_plural_forms_for_0_1_2_and_5(language: str, forms: dict[int, int]) -> None:
    entry = _read(LOCALE_DIR / language / "LC_MESSAGES" / "cultivate.po")[WELCOME[0]]
    assert entry is not None and isinstance(entry.string, tuple)
    assert entry.string[0] != entry.string[1]
    for n, form in forms.items():
        assert ngettext(*WELCOME, n, language) == entry.string[form], n
        with reading(language):
            assert ngettext(*WELCOME, n) == entry.string[form], n
    assert ngettext(*WELCOME, 1, "en") == WELCOME[0] and ngettext(*WELCOME, 0, "en") == WELCOME[1]


def test_a_catalogue_is_compiled_to_mo_on_first_use_and_again_when_the_po_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CULTIVATE_LOCALE_CACHE", str(tmp_path / "cache"))
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE_DIR, copy)
    monkeypatch.setattr(i18n, "LOCALE_DIR", copy)
    i18n.reload_catalogues()
    try:
        mo = i18n.compiled("fr")
        assert mo is not None and mo.is_relative_to(tmp_path / "cache") and mo.stat().st_size > 0
        assert _("What you can do here", "fr") != "What you can do here"
        assert i18n.compiled("fr") == mo  # compiled once
        po = copy / "fr" / "LC_MESSAGES" / "cultivate.po"
        po.write_text(po.read_text() + '\nmsgid "A text added since"\nmsgstr "Un texte ajouté depuis"\n')
        again = i18n.compiled("fr")
        assert again is not None and again != mo and again.stat().st_size > mo.stat().st_size
        assert i18n.compiled("xx") is None
    finally:
        i18n.reload_catalogues()


def test_mo_files_are_not_committed() -> None:
    assert re.search(r"^\*\.mo$", (LOCALE_DIR.parents[1] / ".gitignore").read_text(), re.MULTILINE)


@pytest.mark.parametrize(
    ("code", "expected"),
    [("fr-FR", "fr"), ("pt_BR", "pt"), ("PT", "pt"), ("en-US", "en"), ("de-DE", None), ("", None), (None, None)],
)
def test_platform_locales_are_read_as_the_languages_cultivate_speaks(code: str | None, expected: str | None) -> None:
    assert i18n.supported(code) == expected
