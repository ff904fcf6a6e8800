"""Spelling correction against a community's search vocabulary, kept in search_term by triggers on write.

difflib still decides, as before, which words are close enough; but instead of handing it the whole vocabulary
(tens of thousands of words at scale), each query word gets only the terms of a plausible length that share at
least a fifth of their letter pairs with it, found through an index on the pairs."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from storage.text_search import expand, letter_pairs

# A term is a candidate when the pairs the two words share are at least 1/OVERLAP of all the pairs they have
# between them. Measured against difflib over whole vocabularies, 1/5 keeps the same corrections for nearly every
# typo (a missing, extra, swapped or wrong letter, or two), where pg_trgm-style trigrams lose short words' typos.
OVERLAP = 5


async def corrected(db: AsyncSession, community_id: int, field: str, wanted: Sequence[str]) -> list[str]:
    """Each wanted word, plus the closest words of the community's `field` index ("library", "knows", "learns")."""
    return expand(list(wanted), await candidates(db, community_id, field, wanted))


async def vocabulary(db: AsyncSession, community_id: int, field: str) -> list[str]:
    """All the words of one index: what correction read on every query before migration 0015 (for comparisons)."""
    result = await db.execute(
        text("SELECT term FROM search_term WHERE community_id = :community AND field = :field"),
        {"community": community_id, "field": field},
    )
    return [row[0] for row in result]


async def candidates(db: AsyncSession, community_id: int, field: str, wanted: Sequence[str]) -> dict[str, list[str]]:
    """For each word, the vocabulary terms worth asking difflib about, in one query. (The term of each hit is
    looked up by id: there are a few hundred hits, and a join would tempt the planner into reading every term.)"""
    branches: list[str] = []
    params: dict[str, Any] = {"community": community_id, "field": field}
    for w, word in enumerate(dict.fromkeys(wanted)):
        pairs = sorted(letter_pairs(word))
        names = [f"g{w}_{p}" for p in range(len(pairs))]
        params |= dict(zip(names, pairs, strict=True))
        # Only lengths whose ratio could reach difflib's cutoff of 0.75 (its real_quick_ratio).
        params |= {f"w{w}": word, f"n{w}": len(pairs), f"lo{w}": (3 * len(word) + 4) // 5, f"hi{w}": 5 * len(word) // 3}
        # One index range per pair; grouping by the term alone keeps the count cheap.
        branches.append(f"""
            SELECT CAST(:w{w} AS TEXT) AS word, term_id FROM search_term_gram
            WHERE community_id = :community AND field = :field AND gram IN ({", ".join(f":{n}" for n in names)})
              AND length BETWEEN :lo{w} AND :hi{w}
            GROUP BY term_id, grams HAVING {OVERLAP + 1} * count(*) >= :n{w} + grams""")
    if not branches:
        return {}
    result = await db.execute(
        text(f"""
        SELECT hits.word, (SELECT term FROM search_term WHERE id = hits.term_id)
        FROM ({" UNION ALL ".join(branches)}) AS hits"""),
        params,
    )
    found: dict[str, list[str]] = {word: [] for word in wanted}
    for word, term in result:
        found[word].append(term)
    return found
