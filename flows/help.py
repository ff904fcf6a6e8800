"""Help: what the caller may do here, generated from every routine's registrations."""

from __future__ import annotations

from bot.context import MemberContext
from bot.help import command_help, help_message, unknown_verb
from bot.i18n import N_
from bot.registry import Routine

routine = Routine("help")


@routine.command(
    "help",
    usage=N_("help [command]"),
    help=N_("What you can do here"),
    example="help join",
    role=None,
    aliases=("aide", "ajuda"),  # what French and Portuguese speakers type first
)
async def show_help(ctx: MemberContext, text: str) -> None:
    registry = ctx.services.registry
    verb = text.split()[0].casefold().lstrip("/") if text.split() else ""
    if not verb:
        await ctx.reply(help_message(registry, ctx.role, ctx.community.name))
        return
    found = command_help(registry, verb, ctx.role)
    await ctx.reply(found if found is not None else unknown_verb(registry, verb, ctx.role))
