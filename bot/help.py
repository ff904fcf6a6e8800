"""Help texts generated from the registrations, filtered by what the caller may do."""

from __future__ import annotations

import difflib

from bot.i18n import N_, _
from bot.messages import Message, Section
from bot.registry import Command, Registry
from storage.models import Role

PREFIX = "/cop"
_ROLE_NAMES = {Role.MEMBER: N_("member"), Role.MODERATOR: N_("moderator"), Role.COORDINATOR: N_("coordinator")}


def role_name(role: Role) -> str:
    """A role as members read it, translated."""
    return _(_ROLE_NAMES[role])


def help_message(registry: Registry, role: Role | None, community_name: str | None) -> Message:
    commands = registry.visible_commands(role)
    lines = [f"`{PREFIX} {_short(c.usage)}` — {_(c.help)}" for c in commands]
    where = _(" in *{name}*").format(name=community_name) if community_name else ""
    title = _("What you can do{where}:").format(where=where)
    footer = (
        (
            _("You are a {role} here.").format(role=role_name(role))
            if role
            else _("Type /cop join to join this community.")
        )
        + " "
        + _("/cop help <command> shows all its forms and an example.")
    )
    return Message(title, sections=(Section("\n".join(lines)),), footer=footer)


def _short(usage: str) -> str:
    """The first form of a usage with several ("webinar add | list | ...") marked as having more."""
    first, more, _rest = usage.partition(" | ")
    return f"{first} …" if more else first


def usage_line(command: Command) -> str:
    example = f"{PREFIX} {command.example}"
    return _("Usage: `{prefix} {usage}` — for example `{example}`").format(
        prefix=PREFIX, usage=command.usage, example=example
    )


def unknown_verb(registry: Registry, verb: str, role: Role | None) -> str:
    """The answer to a verb nobody registered: the closest one the caller may use, and where to look."""
    visible = [c.verb for c in registry.visible_commands(role)]
    close = difflib.get_close_matches(verb.casefold(), visible, n=1, cutoff=0.6)
    text = _("I don't know “{verb}”.").format(verb=verb[:40])
    if close:
        command = registry.commands[close[0]]
        text += (
            " " + _("Did you mean `{prefix} {verb}`?").format(prefix=PREFIX, verb=close[0]) + "\n" + usage_line(command)
        )
    text += "\n" + _("Type `/cop help` to see everything you can do.")
    return text


def needs_role(needed: Role) -> str:
    return _("Only a {role} can do that. Ask one of the community's coordinators (see /cop community).").format(
        role=role_name(needed)
    )
