"""What the fuzz suite tried and what went wrong, per front door: counted as the examples run, printed at the end
of the run (and asserted zero where it must be)."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

from tests.log_lines import long_lines, tracebacks


@dataclass
class Counts:
    tried: int = 0
    server_errors: int = 0  # 5xx answers
    tracebacks: int = 0  # log records carrying one
    long_lines: int = 0  # formatted log lines of 500 characters or more
    stored_without_auth: int = 0  # rows added by a request that was not authenticated
    unescaped: int = 0  # outgoing text carrying markup that came in


COUNTS: defaultdict[str, Counts] = defaultdict(Counts)


def note(
    door: str,
    *,
    status: int | None = None,
    records: list[logging.LogRecord] | None = None,
    stored: int = 0,
    unescaped: bool = False,
) -> Counts:
    """Count one input tried at `door`; returns the door's counts so far."""
    counts = COUNTS[door]
    counts.tried += 1
    counts.server_errors += status is not None and status >= 500
    counts.tracebacks += len(tracebacks(records or []))
    counts.long_lines += len(long_lines(records or []))
    counts.stored_without_auth += stored
    counts.unescaped += unescaped
    return counts


def summary() -> list[str]:
    lines = [f"{'door':34} {'tried':>6} {'5xx':>4} {'tracebacks':>10} {'long lines':>10} {'stored w/o auth':>15}"]
    total = Counts()
    for door, c in sorted(COUNTS.items()):
        lines.append(
            f"{door:34} {c.tried:>6} {c.server_errors:>4} {c.tracebacks:>10} {c.long_lines:>10} "
            f"{c.stored_without_auth:>15}"
        )
        total.tried += c.tried
        total.server_errors += c.server_errors
        total.tracebacks += c.tracebacks
        total.long_lines += c.long_lines
        total.stored_without_auth += c.stored_without_auth
        total.unescaped += c.unescaped
    lines.append(
        f"{'all':34} {total.tried:>6} {total.server_errors:>4} {total.tracebacks:>10} {total.long_lines:>10} "
        f"{total.stored_without_auth:>15}   (unescaped output: {total.unescaped})"
    )
    return lines
