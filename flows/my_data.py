"""A member's own data: everything Cultivate keeps about them, sent to them privately; and the log of the exports
coordinators made, for coordinators."""

from __future__ import annotations

import json

from bot.context import MemberContext
from bot.errors import UsageError
from bot.i18n import N_, _, ngettext
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content, split_lines
from storage import audit, member_export, members
from storage.models import ExportLog, Role

routine = Routine("my_data")
# Each part fits every platform's message (Slack's section limit is the smallest).
PART = 2500
PAGE = 10


@routine.command(
    "my-data",
    usage=N_("my-data"),
    help=N_("Everything Cultivate keeps about you, sent to you privately (JSON)"),
    example="my-data",
    role=None,
)
async def my_data(ctx: MemberContext, text: str) -> None:
    data = await member_export.export(ctx.db, ctx.member)
    data["exported_at"] = ctx.now.isoformat()
    parts = split_lines(json.dumps(data, ensure_ascii=False, indent=1), PART)
    for n, part in enumerate(parts, 1):
        title = _("Your data, part {n} of {total} (JSON):").format(n=n, total=len(parts))
        if not await ctx.dm(ctx.member, Message(title, sections=(Section(content(part)),))):
            await ctx.reply(Message(title, sections=(Section(content(part)),)), private=True)
    await ctx.record("member.data_sent", parts=len(parts))
    await ctx.reply(
        ngettext(
            "I have sent you everything I keep about you in {n} private message. To have it deleted: `/cop forget-me`.",
            "I have sent you everything I keep about you in {n} private messages; put the parts together in order. "
            "To have it deleted: `/cop forget-me`.",
            len(parts),
        ).format(n=len(parts)),
        private=True,
    )


@routine.command(
    "audit",
    usage=N_("audit [page]"),
    help=N_("Who exported personal data, when, and what"),
    example="audit 2",
    role=Role.COORDINATOR,
)
async def audit_log(ctx: MemberContext, text: str) -> None:
    arg = text.strip() or "1"
    if not arg.isdigit() or int(arg) < 1:
        raise UsageError(_("The page is a number, starting at 1."))
    page = int(arg)
    rows = await audit.entries(ctx.db, ctx.community.id, limit=PAGE + 1, offset=(page - 1) * PAGE)
    if not rows:
        await ctx.reply(_("No exports of personal data so far.") if page == 1 else _("No more entries."), private=True)
        return
    lines = [await _line(ctx, row) for row in rows[:PAGE]]
    footer = _("More: `/cop audit {next}`").format(next=page + 1) if len(rows) > PAGE else ""
    await ctx.reply(
        Message(
            _("Exports of personal data (page {page}):").format(page=page),
            sections=(Section("\n".join(lines)),),
            footer=footer,
        ),
        private=True,
    )


async def _line(ctx: MemberContext, row: ExportLog) -> str:
    who = row.actor
    if row.member_id is not None:
        member = await members.by_id(ctx.db, row.member_id)
        who = member.called if member is not None else who
    detail = ", ".join(f"{k}: {v}" for k, v in sorted(row.detail.items()))
    return _("- {when} · {who} · {what}{detail}").format(
        when=ctx.when(row.at),
        who=content(who),
        what=content(row.what),
        detail=f" ({content(detail)})" if detail else "",
    )
