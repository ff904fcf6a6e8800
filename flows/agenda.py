"""The learning agenda: the topics a community has chosen to learn about, in priority order."""

from __future__ import annotations

from bot.context import Context
from bot.errors import Answer, UsageError
from bot.help import needs_role
from bot.i18n import N_, _
from bot.messages import Message, Section
from bot.registry import Routine
from bot.text import content
from storage import agenda
from storage.models import Role

routine = Routine("agenda")


@routine.command(
    "agenda",
    usage=N_("agenda [list] | agenda add <topic> [at <position>] | agenda remove <topic>"),
    help=N_("The learning agenda: the topics we have chosen to learn about"),
    example="agenda add alert fatigue at 1",
)
async def agenda_command(ctx: Context, text: str) -> None:
    verb, _sep, rest = text.strip().partition(" ")
    verb = verb.casefold() or "list"
    community, member = ctx.require_community(), ctx.member
    assert member is not None
    if verb in ("add", "remove") and (ctx.role or 0) < Role.COORDINATOR:
        raise Answer(needs_role(Role.COORDINATOR))
    match verb:
        case "list":
            entries = await agenda.items(ctx.db, community.id)
            if not entries:
                raise Answer(_("The learning agenda is empty. Coordinators add topics with `/cop agenda add <topic>`."))
            lines = [f"{e.position}. {content(e.topic)}" for e in entries]
            await ctx.reply(
                Message(
                    _("Learning agenda of *{name}*, most important first:").format(name=community.name),
                    sections=(Section("\n".join(lines)),),
                )
            )
        case "add":
            topic, _at, position = rest.rpartition(" at ")
            if not topic or not position.strip().isdigit():
                topic, position = rest, ""
            topic = " ".join(topic.split())
            if not 2 <= len(topic) <= 200:
                raise UsageError(_("Name the topic, in 2 to 200 characters."))
            if await agenda.find(ctx.db, community.id, topic) is not None:
                raise Answer(_("“{topic}” is already on the agenda.").format(topic=content(topic)))
            added = await agenda.add(
                ctx.db, community.id, topic, int(position) if position else None, member.id, ctx.now
            )
            await ctx.reply(_("Added “{topic}” to the agenda at {n}.").format(topic=content(topic), n=added.position))
        case "remove":
            item = await agenda.find(ctx.db, community.id, " ".join(rest.split()))
            if item is None:
                raise Answer(
                    _("“{topic}” is not on the agenda; `/cop agenda` lists it.").format(
                        topic=content(rest.strip()[:60])
                    )
                )
            await agenda.remove(ctx.db, item)
            await ctx.reply(_("Removed “{topic}” from the agenda.").format(topic=content(item.topic)))
        case _:
            raise UsageError(_("I know list, add and remove."))
