"""How routines declare what they handle: decorators that fill a typed registry. No other magic.

Commands may have several words ("webinar add"): the registry matches the longest declared prefix of what was
typed, checks the role the command needs, and hands the handler the rest of the text."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.events import Event
from bot.exports import ExportRequest
from storage.models import Role

if TYPE_CHECKING:
    from aiohttp import web

    from bot.context import DeliveryContext, MemberContext
    from bot.services import Services

T = TypeVar("T")
K = TypeVar("K")
P = TypeVar("P")
CommandHandler = Callable[["MemberContext", str], Awaitable[None]]
ActionHandler = Callable[["MemberContext", str], Awaitable[None]]
FormHandler = Callable[["MemberContext", dict[str, Any]], Awaitable[None]]
EventHandler = Callable[["MemberContext", Any], Awaitable[None]]
DeliveryHandler = Callable[["DeliveryContext", Any], Awaitable[None]]
# A page or link `cultivate serve` answers for a routine (an unsubscribe link, the web pages).
PageHandler = Callable[["web.Request", "Services"], Awaitable["web.StreamResponse"]]
# A whole sub-application (the web pages) served under a prefix, built with the running services.
SiteFactory = Callable[["Services"], "web.Application"]
# `cultivate export <name>`: (database session, what was asked) -> the text to write out.
Exporter = Callable[[AsyncSession, ExportRequest], Awaitable[str]]
MAX_WORDS = 3  # the longest command path ("stories campaign start")


@dataclass(frozen=True)
class Command:
    """`/cop <verb> ...`, where the verb may be several words ("webinar add")."""

    verb: str
    handler: CommandHandler
    usage: str
    help: str
    example: str
    # None: anyone, even before joining a community.
    role: Role | None
    routine: str
    # Run when only the first word of the verb is typed ("/cop webinar" runs "webinar list").
    default: bool = False
    # Other verbs that run it too ("library find" for "library search"); help shows only `verb`.
    aliases: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.verb.split())

    @property
    def group(self) -> str:
        """The first word: what `help` lists it under."""
        return self.words[0]


@dataclass(frozen=True)
class DeliveryKind:
    """A scheduled delivery's handler and the dataclass its payload is stored as."""

    kind: str
    handler: DeliveryHandler
    payload: type[Any] | None

    def decode(self, data: Mapping[str, Any]) -> Any:
        """The stored payload as the handler expects it; unknown keys (from an older version) are ignored."""
        if self.payload is None:
            return dict(data)
        names = {f.name for f in dataclasses.fields(self.payload)}
        return self.payload(**{k: v for k, v in data.items() if k in names})


def encode_payload(payload: Any) -> dict[str, Any]:
    """A payload dataclass (or plain dict) as stored in the delivery row."""
    if payload is None:
        return {}
    if dataclasses.is_dataclass(payload) and not isinstance(payload, type):
        return dataclasses.asdict(payload)
    if isinstance(payload, dict):
        return dict(payload)
    raise TypeError(f"a delivery payload is a dataclass instance, not {type(payload).__name__}")


@dataclass
class Routine:
    """One community routine's registrations, declared with decorators in its flows/ module."""

    name: str
    commands: dict[str, Command] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    forms: dict[str, FormHandler] = field(default_factory=dict)
    events: list[tuple[type[Event], EventHandler]] = field(default_factory=list)
    deliveries: dict[str, DeliveryKind] = field(default_factory=dict)
    # What a group of sub-commands is for, as `help` lists it ("role": "Give or take a role").
    group_help: dict[str, str] = field(default_factory=dict)
    exports: dict[str, tuple[Exporter, str]] = field(default_factory=dict)
    routes: dict[tuple[str, str], PageHandler] = field(default_factory=dict)
    sites: dict[str, SiteFactory] = field(default_factory=dict)

    def site(self, prefix: str, factory: SiteFactory) -> None:
        """A sub-application `cultivate serve` mounts under `prefix` ("/c"): pages with their own middleware."""
        if prefix in self.sites:
            raise DuplicateRegistration(f"{prefix!r} is registered twice (routine {self.name})")
        self.sites[prefix] = factory

    def route(self, method: str, path: str) -> Callable[[PageHandler], PageHandler]:
        """An HTTP route `cultivate serve` answers for this routine (`GET /digest/unsubscribe`); the handler gets the
        request and the running services."""

        def register(handler: PageHandler) -> PageHandler:
            self.routes[(method.upper(), path)] = handler
            return handler

        return register

    def export(self, name: str, *, help: str) -> Callable[[Exporter], Exporter]:
        """`cultivate export <name> [--format csv|json] [--since DATE] [--community SLUG]`: a report for
        leadership, written to standard output."""

        def register(exporter: Exporter) -> Exporter:
            self.exports[name] = (exporter, help)
            return exporter

        return register

    def group(self, verb: str, *, help: str) -> None:
        """Describe the first word of several sub-commands in one line for `help`."""
        self.group_help[_verb(verb)] = help

    def command(
        self,
        verb: str,
        *,
        usage: str,
        help: str,
        example: str = "",
        role: Role | None = Role.MEMBER,
        default: bool = False,
        aliases: tuple[str, ...] = (),
    ) -> Callable[[CommandHandler], CommandHandler]:
        """`/cop <verb> ...`; `verb` may have several words. Usage and help are marked with N_() and shown
        translated; `role` is checked before the handler runs."""
        verb = _verb(verb)
        others = tuple(_verb(a) for a in aliases)

        def register(handler: CommandHandler) -> CommandHandler:
            if verb in self.commands:
                raise DuplicateRegistration(f"{verb!r} is registered twice (routine {self.name})")
            self.commands[verb] = Command(
                verb, handler, usage, help, example or usage, role, self.name, default, others
            )
            return handler

        return register

    def action(self, action_id: str) -> Callable[[ActionHandler], ActionHandler]:
        def register(handler: ActionHandler) -> ActionHandler:
            self.actions[action_id] = handler
            return handler

        return register

    def form(self, form_id: str) -> Callable[[FormHandler], FormHandler]:
        def register(handler: FormHandler) -> FormHandler:
            self.forms[form_id] = handler
            return handler

        return register

    def on(self, event_type: type[Event]) -> Callable[[EventHandler], EventHandler]:
        def register(handler: EventHandler) -> EventHandler:
            self.events.append((event_type, handler))
            return handler

        return register

    def delivery(self, kind: str, *, payload: type[P] | None = None) -> Callable[[DeliveryHandler], DeliveryHandler]:
        """A scheduled delivery of `kind`; its payload is stored as the `payload` dataclass and handed back as one."""
        if payload is not None and not dataclasses.is_dataclass(payload):
            raise TypeError(f"the payload of {kind!r} must be a dataclass")

        def register(handler: DeliveryHandler) -> DeliveryHandler:
            self.deliveries[kind] = DeliveryKind(kind, handler, payload)
            return handler

        return register


class DuplicateRegistration(Exception):
    pass


def _verb(text: str) -> str:
    verb = " ".join(text.casefold().split())
    if not verb or len(verb.split()) > MAX_WORDS:
        raise ValueError(f"a command is one to {MAX_WORDS} words, not {text!r}")
    return verb


def _merge(table: dict[K, T], mine: dict[K, T], routine: str) -> None:
    for key, value in mine.items():
        if key in table:
            raise DuplicateRegistration(f"{key!r} is registered twice (routine {routine})")
        table[key] = value


@dataclass(frozen=True)
class Resolved:
    """What a typed command line means: the command (None if nothing matches), and the text after its verb.
    `group` is set when the first word names a group of sub-commands but what follows names none of them."""

    command: Command | None
    rest: str
    group: str | None = None


class Registry:
    """All routines of a running bot; lookups by verb, action, form, event type and delivery kind."""

    def __init__(self, routines: Iterable[Routine]) -> None:
        self.routines = list(routines)
        self.commands: dict[str, Command] = {}
        self.actions: dict[str, ActionHandler] = {}
        self.forms: dict[str, FormHandler] = {}
        self.deliveries: dict[str, DeliveryKind] = {}
        self.group_help: dict[str, str] = {}
        self.exports: dict[str, tuple[Exporter, str]] = {}
        self.routes: dict[tuple[str, str], PageHandler] = {}
        self.sites: dict[str, SiteFactory] = {}
        self._events: list[tuple[type[Event], EventHandler]] = []
        for routine in self.routines:
            _merge(self.commands, routine.commands, routine.name)
            _merge(self.actions, routine.actions, routine.name)
            _merge(self.forms, routine.forms, routine.name)
            _merge(self.deliveries, routine.deliveries, routine.name)
            _merge(self.group_help, routine.group_help, routine.name)
            _merge(self.exports, routine.exports, routine.name)
            _merge(self.routes, routine.routes, routine.name)
            _merge(self.sites, routine.sites, routine.name)
            self._events.extend(routine.events)
        self.groups: dict[str, list[Command]] = {}
        self._verbs: dict[str, Command] = {}
        for command in self.commands.values():
            self.groups.setdefault(command.group, []).append(command)
            _merge(self._verbs, dict.fromkeys((command.verb, *command.aliases), command), command.routine)
        for group, members in self.groups.items():
            defaults = [c.verb for c in members if c.default]
            if len(defaults) > 1:
                raise DuplicateRegistration(f"{group!r} has more than one default sub-command: {defaults}")

    def resolve(self, line: str) -> Resolved:
        """The command a typed line names: the longest registered prefix of its words wins."""
        words = line.split()
        lowered = [w.casefold() for w in words]
        for n in range(min(MAX_WORDS, len(words)), 0, -1):
            command = self._verbs.get(" ".join(lowered[:n]))
            if command is not None:
                return Resolved(command, _after_words(line, n))
        if not words:
            return Resolved(None, "")
        group = lowered[0]
        if group in self.groups:
            default = next((c for c in self.groups[group] if c.default), None)
            if default is not None and len(words) == 1:
                return Resolved(default, "")
            return Resolved(None, _after_words(line, 1), group=group)
        return Resolved(None, _after_words(line, 1))

    def sub_commands(self, group: str) -> list[Command]:
        """The commands under a first word, in registration order (the bare verb first when there is one)."""
        return list(self.groups.get(group.casefold(), []))

    def event_handlers(self, event: Event) -> list[EventHandler]:
        return [handler for kind, handler in self._events if isinstance(event, kind)]

    def visible_commands(self, role: Role | None) -> list[Command]:
        """The commands a caller with this role may use, in registration order."""
        return [c for c in self.commands.values() if allowed(c, role)]


def allowed(command: Command, role: Role | None) -> bool:
    """Whether a caller with `role` (None: not a member) may use the command."""
    return command.role is None or (role is not None and role >= command.role)


def _after_words(line: str, n: int) -> str:
    """What follows the first `n` words of a line, as typed (inner spacing and line breaks kept)."""
    rest = line.lstrip()
    for _ in range(n):
        parts = rest.split(maxsplit=1)
        rest = parts[1] if len(parts) > 1 else ""
    return rest.strip()
