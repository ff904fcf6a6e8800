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
    """For each word, the vocabulary terms worth asking difflib about, in one query."""
    rows: list[str] = []
    params: dict[str, Any] = {"community": community_id, "field": field}
    for w, word in enumerate(dict.fromkeys(wanted)):
        pairs = letter_pairs(word)
        # Only lengths whose ratio could reach difflib's cutoff of 0.75 (its real_quick_ratio).
        params |= {f"w{w}": word, f"n{w}": len(pairs), f"lo{w}": (3 * len(word) + 4) // 5, f"hi{w}": 5 * len(word) // 3}
        for p, pair in enumerate(sorted(pairs)):
            params[f"g{w}_{p}"] = pair
            rows.append(f"(:w{w}, :g{w}_{p}, CAST(:n{w} AS INTEGER), CAST(:lo{w} AS INTEGER), CAST(:hi{w} AS INTEGER))")
    if not rows:
        return {}
    result = await db.execute(
        text(f"""
        WITH wanted(word, gram, pairs, shortest, longest) AS (VALUES {", ".join(rows)})
        SELECT hits.word, t.term FROM (
            SELECT w.word AS word, g.term_id AS term_id
            FROM wanted AS w JOIN search_term_gram AS g
              ON g.community_id = :community AND g.field = :field AND g.gram = w.gram
             AND g.length BETWEEN w.shortest AND w.longest
            GROUP BY w.word, w.pairs, g.term_id, g.grams
            HAVING {OVERLAP + 1} * count(*) >= w.pairs + g.grams
        ) AS hits JOIN search_term AS t ON t.id = hits.term_id"""),
        params,
    )
    found: dict[str, list[str]] = {word: [] for word in wanted}
    for word, term in result:
        found[word].append(term)
    return found
