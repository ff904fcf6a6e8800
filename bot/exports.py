"""Exports a routine offers for reports (`cultivate export <name>`): what is asked, and the one way tables are written
as CSV or JSON — safe to open in a spreadsheet, and valid JSON."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.settings import Settings

FORMATS = ("csv", "json")
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection): such cells get a leading '.
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ValueError):
    """What was asked cannot be exported (an unknown community, a period that is not one): one line for the operator."""


@dataclass(frozen=True)
class ExportRequest:
    format: str = "csv"
    since: datetime | None = None
    community: str | None = None  # a slug; None: every community
    include_private: bool = False
    period: str | None = None  # 30d, 90d, quarter, year: for reports over a period
    settings: Settings | None = None


def safe_cell(value: Any) -> Any:
    """A value as it may go into a CSV cell: text that a spreadsheet would run as a formula is made inert."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return value


def finite(value: Any) -> Any:
    """JSON has no Infinity or NaN: such numbers are written as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def render(rows: Sequence[dict[str, Any]], columns: Sequence[str], fmt: str) -> str:
    """Rows (dicts) as CSV (with a header, formulas made inert) or as a JSON list (finite numbers only)."""
    if fmt == "json":
        clean = [{k: finite(v) for k, v in row.items()} for row in rows]
        return json.dumps(clean, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows({k: safe_cell(finite(v)) for k, v in row.items()} for row in rows)
    return buffer.getvalue()
