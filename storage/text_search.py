"""What directory and library search share: query words, and spelling corrected against the index's vocabulary."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence

_WORD = re.compile(r"[^\W_]{2,}", re.UNICODE)
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
    ]
)


def words(query: str) -> list[str]:
    """The words of a query worth searching for: letters and digits only, so they are safe in any query syntax."""
    return [w for w in _WORD.findall(query.casefold()) if w not in _STOP]


def expand(wanted: list[str], vocabulary: Mapping[str, Sequence[str]]) -> list[str]:
    """Each word, plus the index's words closest to it (a misspelt 'dashbord' also looks for 'dashboard').

    `vocabulary` gives, per word, the index's words to consider (see storage.spelling)."""
    terms: list[str] = []
    for word in wanted:
        for term in [word, *difflib.get_close_matches(word, vocabulary.get(word, ()), n=3, cutoff=0.75)]:
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
    """A PostgreSQL to_tsquery text for any of the terms."""
    return " | ".join(terms)
