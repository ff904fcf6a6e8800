"""Help texts generated from the registrations, filtered by what the caller may do."""

from __future__ import annotations

import difflib

from bot.i18n import N_, _
from bot.messages import Message, Section
from bot.registry import Command, Registry, allowed
from storage.models import Role

PREFIX = "/cop"
_ROLE_NAMES = {Role.MEMBER: N_("member"), Role.MODERATOR: N_("moderator"), Role.COORDINATOR: N_("coordinator")}


def role_name(role: Role) -> str:
    """A role as members read it, translated."""
    return _(_ROLE_NAMES[role])


def _groups(registry: Registry, role: Role | None) -> dict[str, list[Command]]:
    """The commands the caller may use, under their first word, in registration order."""
    groups: dict[str, list[Command]] = {}
    for command in registry.visible_commands(role):
        groups.setdefault(command.group, []).append(command)
    return groups


def help_message(registry: Registry, role: Role | None, community_name: str | None) -> Message:
    lines = []
    for group, commands in _groups(registry, role).items():
        lead = next((c for c in commands if c.verb == group), None) or next(
            (c for c in commands if c.default), commands[0]
        )
        usage = _usage(lead)
        subs = [c.words[1] for c in commands if len(c.words) > 1]
        if len(commands) > 1 and subs and lead.verb != group:
            usage = f"{group} {'|'.join(dict.fromkeys(subs))}"
        marker = " …" if len(commands) > 1 else ""
        about = registry.group_help.get(group, lead.help)
        lines.append(f"`{PREFIX} {usage}{marker}` — {_(about)}")
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


def command_help(registry: Registry, group: str, role: Role | None) -> Message | None:
    """`help <verb>`: each form of the command with its usage, what it does, the role it needs, and an example.
    None when the caller may use none of them."""
    commands = list(registry.sub_commands(group))
    if not any(allowed(c, role) for c in commands):
        return None
    lines = []
    for command in commands:
        who = {Role.MODERATOR: " · " + _("moderators and coordinators"), Role.COORDINATOR: " · " + _("coordinators")}
        who_text = who.get(_needed(command), "")
        lines.append(f"`{PREFIX} {_usage(command)}` — {_(command.help)}{who_text}")
    first = next(c for c in commands if allowed(c, role))
    footer = _("For example: `{prefix} {example}`").format(prefix=PREFIX, example=first.example)
    return Message(f"*{PREFIX} {group}*", sections=(Section("\n".join(lines)),), footer=footer)


def _needed(command: Command) -> Role:
    return command.role if command.role is not None else Role.MEMBER


def _usage(command: Command) -> str:
    return _(command.usage)


def usage_line(command: Command) -> str:
    example = f"{PREFIX} {command.example}"
    return _("Usage: `{prefix} {usage}` — for example `{example}`").format(
        prefix=PREFIX, usage=_usage(command), example=example
    )


def group_usage(registry: Registry, group: str, role: Role | None, typed: str) -> str:
    """The answer to `/cop webinar frobnicate`: what follows `webinar` can be, with each usage line."""
    commands = [c for c in registry.sub_commands(group) if allowed(c, role)]
    if not commands:
        return needs_role(min((_needed(c) for c in registry.sub_commands(group)), default=Role.MEMBER))
    word = typed.split()[0][:40] if typed.split() else ""
    subs = [c.words[1] for c in commands if len(c.words) > 1]
    close = difflib.get_close_matches(word.casefold(), subs, n=1, cutoff=0.6)
    text = _("I don't know “{verb}” after {group}.").format(verb=word, group=group) if word else ""
    if close:
        text += " " + _("Did you mean `{prefix} {group} {verb}`?").format(prefix=PREFIX, group=group, verb=close[0])
    lines = [f"`{PREFIX} {_usage(c)}` — {_(c.help)}" for c in commands]
    example = _("For example: `{prefix} {example}`").format(prefix=PREFIX, example=commands[0].example)
    return "\n".join([t for t in (text.strip(),) if t] + lines + [example])


def unknown_verb(registry: Registry, verb: str, role: Role | None) -> str:
    """The answer to a verb nobody registered: the closest one the caller may use, and where to look."""
    visible = list(_groups(registry, role))
    close = difflib.get_close_matches(verb.casefold(), visible, n=1, cutoff=0.6)
    text = _("I don't know “{verb}”.").format(verb=verb[:40])
    if close:
        command = next(c for c in registry.sub_commands(close[0]) if allowed(c, role))
        text += (
            " " + _("Did you mean `{prefix} {verb}`?").format(prefix=PREFIX, verb=close[0]) + "\n" + usage_line(command)
        )
    text += "\n" + _("Type `/cop help` to see everything you can do.")
    return text


def needs_role(needed: Role) -> str:
    return _("Only a {role} can do that. Ask one of the community's coordinators (see /cop community).").format(
        role=role_name(needed)
    )
