"""What directory and library search share: query words, and spelling corrected against the index's vocabulary."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

_WORD = re.compile(r"[^\W_]+")
# A run of words joined without spaces: "M&E", "R&D", "U.S.", "don't", "CI/CD".
_GROUP = re.compile(r"[^\W_]+(?:[&.'’/+-][^\W_]+)*")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "it",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
        "who",
        "what",
        "how",
        "i",
        "s",
        "t",
    ]
)


def words(query: str) -> list[str]:
    """The words of a query worth searching for: letters and digits only, so they are safe in any query syntax.

    Short acronyms count: a lone letter ("R") is a word, and letters joined by & or . ("M&E", "R&D") are one term,
    a phrase of their letters ("m e"), which is how both full-text indexes split them."""
    found: list[str] = []
    for group in _GROUP.findall(query.casefold()):
        parts = _WORD.findall(group)
        joiners = set(re.sub(r"[^\W_]+", "", group))
        if len(parts) > 1 and joiners <= {"&", "."} and all(len(p) <= 3 for p in parts):
            term = " ".join(parts)
        elif len(parts) == 1:
            term = parts[0]
        else:  # joined words ("monitoring/alerting", "don't") are looked for one by one, as before
            found.extend(p for p in parts if len(p) >= 2 and p not in _STOP and p not in found)
            continue
        if term not in _STOP and term not in found:
            found.append(term)
    return found


def mentions(text: str, term: str) -> bool:
    """Whether `text` holds a search term: a short term or phrase as whole words, a longer one by its first five
    letters (so "dashboards" finds "dashboard")."""
    plain = " " + " ".join(_WORD.findall(text.casefold())) + " "
    return f" {term} " in plain if len(term) <= 3 or " " in term else term[:5] in plain


def expand(wanted: list[str], vocabulary: Mapping[str, Sequence[str]]) -> list[str]:
    """Each word, plus the index's words closest to it (a misspelt 'dashbord' also looks for 'dashboard').

    `vocabulary` gives, per word, the index's words to consider (see storage.spelling)."""
    terms: list[str] = []
    for word in wanted:
        # A letter or an acronym ("r", "m e") is near too many words to correct: it is looked for as typed.
        near = [] if len(word) < 2 or " " in word else vocabulary.get(word, ())
        for term in [word, *difflib.get_close_matches(word, near, n=3, cutoff=0.75)]:
            if term not in terms:
                terms.append(term)
    return terms


def letter_pairs(word: str) -> set[str]:
    """The word's letter pairs, padded with a space at each end; the same pairs the search_term_gram trigger keeps
    (which stops at the 100th position, as this does)."""
    padded = f" {word} "
    return {padded[i : i + 2] for i in range(min(len(word) + 1, 100))}


def fts5_any(terms: list[str], columns: str = "") -> str:
    """An FTS5 MATCH expression for any of the terms, optionally limited to `{col1 col2}` columns."""
    expression = "(" + " OR ".join(f'"{t}"' for t in terms) + ")"
    return f"{columns} : {expression}" if columns else expression


def tsquery_any(terms: list[str]) -> str:
    """A PostgreSQL to_tsquery text for any of the terms (a phrase's words must follow each other)."""
    return " | ".join(" <-> ".join(t.split()) for t in terms)
