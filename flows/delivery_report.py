"""What went wrong with what Cultivate tried to send, for coordinators: scheduled deliveries that failed or were
skipped, and messages a platform would not take (an unreachable member, say), with the reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import arguments
from bot.context import MemberContext
from bot.errors import UsageError
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content, shorten
from storage import deliveries, outbound
from storage.models import Role

routine = Routine("delivery_report")
PAGE = 10


@dataclass(frozen=True)
class Problem:
    at: datetime
    line: str


@routine.command(
    "deliveries",
    usage=N_("deliveries [page]"),
    help=N_("What failed to go out or was skipped, and why"),
    example="deliveries 2",
    role=Role.COORDINATOR,
)
async def report(ctx: MemberContext, text: str) -> None:
    page = arguments.parse_id(text) if text.strip() else 1
    if page is None:
        raise UsageError(_("The page is a number, starting at 1."))
    # Each kind newest first; enough of each to fill this page whichever kind it holds.
    wanted = page * PAGE + 1
    scheduled = [
        Problem(
            row.finished_at or row.due_at,
            ngettext(
                "- {status} · {kind} · due {due} · {attempts} attempt: {error}",
                "- {status} · {kind} · due {due} · {attempts} attempts: {error}",
                row.attempts,
            ).format(
                status=_(row.status),
                kind=row.kind,
                due=ctx.when(row.due_at),
                attempts=row.attempts,
                error=content(shorten(row.last_error or "", 160)),
            ),
        )
        for row in await deliveries.problems(ctx.db, ctx.community.id, limit=wanted)
    ]
    messages = [
        Problem(
            row.sent_at or row.created_at,
            _("- failed · message on {platform} ({origin}) · {when}: {error}").format(
                platform=row.platform,
                origin=row.origin or _("unknown origin"),
                when=ctx.when(row.created_at),
                error=content(shorten(row.error or "", 160)),
            ),
        )
        for row in await outbound.failures(ctx.db, ctx.community.id, limit=wanted)
    ]
    everything = sorted(scheduled + messages, key=lambda p: p.at, reverse=True)
    rows = everything[(page - 1) * PAGE : page * PAGE + 1]
    if not rows:
        await ctx.reply(_("Nothing has failed or been skipped.") if page == 1 else _("No more entries."), private=True)
        return
    footer = _("More: `/cop deliveries {next}`").format(next=page + 1) if len(rows) > PAGE else ""
    await ctx.reply(
        Message(
            _("What did not go out (page {page}):").format(page=page),
            sections=(Section("\n".join(p.line for p in rows[:PAGE])),),
            footer=footer,
        ),
        private=True,
    )
