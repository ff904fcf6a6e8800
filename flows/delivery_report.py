"""What went wrong with scheduled deliveries, for coordinators: failed and skipped ones, with the reason."""

from __future__ import annotations

from bot.context import Context
from bot.errors import UsageError
from bot.i18n import N_, _
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content, parse_id, shorten
from storage import deliveries
from storage.models import Role

routine = Routine("delivery_report")
PAGE = 10


@routine.command(
    "deliveries",
    usage=N_("deliveries [page]"),
    help=N_("Scheduled messages that failed or were skipped"),
    example="deliveries 2",
    role=Role.COORDINATOR,
)
async def report(ctx: Context, text: str) -> None:
    arg = text.strip() or "1"
    page = parse_id(arg)
    if page is None:
        raise UsageError(_("The page is a number, starting at 1."))
    community = ctx.require_community()
    rows = await deliveries.problems(ctx.db, community.id, limit=PAGE + 1, offset=(page - 1) * PAGE)
    if not rows:
        await ctx.reply(_("Nothing has failed or been skipped.") if page == 1 else _("No more entries."), private=True)
        return
    lines = [
        _("- {status} · {kind} · due {due} · {attempts} attempt(s): {error}").format(
            status=row.status,
            kind=row.kind,
            due=ctx.when(row.due_at),
            attempts=row.attempts,
            error=content(shorten(row.last_error or "", 160)),
        )
        for row in rows[:PAGE]
    ]
    footer = _("More: `/cop deliveries {next}`").format(next=page + 1) if len(rows) > PAGE else ""
    await ctx.reply(
        Message(
            _("Deliveries that did not go out (page {page}):").format(page=page),
            sections=(Section("\n".join(lines)),),
            footer=footer,
        ),
        private=True,
    )
