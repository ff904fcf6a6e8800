"""The learning agenda: the topics a community has chosen to learn about, in priority order."""

from __future__ import annotations

from bot.context import MemberContext
from bot.errors import Answer, UsageError
from bot.i18n import N_, _
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content
from storage import agenda
from storage.models import Role

routine = Routine("agenda")


@routine.command(
    "agenda list",
    usage=N_("agenda [list]"),
    help=N_("The learning agenda: the topics we have chosen to learn about"),
    example="agenda",
    default=True,
)
async def agenda_list(ctx: MemberContext, text: str) -> None:
    entries = await agenda.items(ctx.db, ctx.community.id)
    if not entries:
        raise Answer(_("The learning agenda is empty. Coordinators add topics with `/cop agenda add <topic>`."))
    lines = [f"{e.position}. {content(e.topic)}" for e in entries]
    await ctx.reply(
        Message(
            _("Learning agenda of *{name}*, most important first:").format(name=ctx.community.name),
            sections=(Section("\n".join(lines)),),
        )
    )


@routine.command(
    "agenda add",
    usage=N_("agenda add <topic> [at <position>]"),
    help=N_("Put a topic on the agenda, at the end unless you say where"),
    example="agenda add alert fatigue at 1",
    role=Role.COORDINATOR,
)
async def agenda_add(ctx: MemberContext, text: str) -> None:
    topic, _at, position = text.rpartition(" at ")
    if not topic or not position.strip().isdigit():
        topic, position = text, ""
    topic = " ".join(topic.split())
    if not 2 <= len(topic) <= 200:
        raise UsageError(_("Name the topic, in 2 to 200 characters."))
    if await agenda.find(ctx.db, ctx.community.id, topic) is not None:
        raise Answer(_("“{topic}” is already on the agenda.").format(topic=content(topic)))
    at = int(position) if position else None
    added = await agenda.add(ctx.db, ctx.community.id, topic, at, ctx.member.id, ctx.now)
    await ctx.reply(_("Added “{topic}” to the agenda at {n}.").format(topic=content(topic), n=added.position))


@routine.command(
    "agenda remove",
    usage=N_("agenda remove <topic>"),
    help=N_("Take a topic off the agenda"),
    example="agenda remove alert fatigue",
    role=Role.COORDINATOR,
)
async def agenda_remove(ctx: MemberContext, text: str) -> None:
    item = await agenda.find(ctx.db, ctx.community.id, " ".join(text.split()))
    if item is None:
        raise Answer(
            _("“{topic}” is not on the agenda; `/cop agenda` lists it.").format(topic=content(text.strip()[:60]))
        )
    await agenda.remove(ctx.db, item)
    await ctx.reply(_("Removed “{topic}” from the agenda.").format(topic=content(item.topic)))
