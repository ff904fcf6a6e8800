"""The search vocabulary: the words each community's indexes hold, kept in step with the indexes on write.

Spelling correction reads its candidates here instead of listing the whole full-text index per query. The rows
are written only by database triggers (migration 0015), so every way of changing an entry or an item keeps them
right; Python only reads them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SearchTerm(Base):
    """One word (as the index stores it: stemmed, lower case) of one community's index, and in how many documents.

    `field` names the index: "library" (knowledge items), "knows" (expertise and offers), "learns"."""

    __tablename__ = "search_term"
    __table_args__ = (UniqueConstraint("community_id", "field", "term"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("community.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(16))
    term: Mapped[str] = mapped_column(Text)
    documents: Mapped[int] = mapped_column(Integer)


class SearchTermGram(Base):
    """A letter pair of a term, padded with a space at each end ("dash" has " d", "da", "as", "sh", "h "): a
    misspelt word finds the terms it shares enough pairs with without reading the whole vocabulary."""

    __tablename__ = "search_term_gram"
    # The lookup reads only this index (grams and term_id included), never the table.
    __table_args__ = (
        Index("ix_search_term_gram_lookup", "community_id", "field", "gram", "length", "grams", "term_id"),
    )

    term_id: Mapped[int] = mapped_column(ForeignKey("search_term.id", ondelete="CASCADE"), primary_key=True)
    gram: Mapped[str] = mapped_column(String(8), primary_key=True)
    community_id: Mapped[int] = mapped_column(Integer)
    field: Mapped[str] = mapped_column(String(16))
    length: Mapped[int] = mapped_column(Integer)  # of the term, to keep only terms difflib could accept
    grams: Mapped[int] = mapped_column(Integer)  # how many distinct pairs the term has, for the overlap ratio
