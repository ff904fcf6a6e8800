"""Help: what the caller may do here, generated from every routine's registrations."""

from __future__ import annotations

from bot.context import Context
from bot.help import help_message, unknown_verb, usage_line
from bot.i18n import N_, _
from bot.registry import Routine

routine = Routine("help")


@routine.command("help", usage=N_("help [command]"), help=N_("What you can do here"), example="help join", role=None)
async def show_help(ctx: Context, text: str) -> None:
    registry = ctx.services.registry
    verb = text.split()[0].casefold().lstrip("/") if text.split() else ""
    if not verb:
        await ctx.reply(help_message(registry, ctx.role, ctx.community.name if ctx.community else None))
        return
    command = registry.commands.get(verb)
    if command is None or command not in registry.visible_commands(ctx.role):
        await ctx.reply(unknown_verb(registry, verb, ctx.role))
        return
    await ctx.reply(f"{_(command.help)}\n{usage_line(command)}")
