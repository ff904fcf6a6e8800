"""How routines declare what they handle: decorators that fill a typed registry. No other magic."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from bot.events import Event
from storage.models import Role

if TYPE_CHECKING:
    from bot.context import Context

T = TypeVar("T")
CommandHandler = Callable[["Context", str], Awaitable[None]]
ActionHandler = Callable[["Context", str], Awaitable[None]]
FormHandler = Callable[["Context", dict[str, Any]], Awaitable[None]]
EventHandler = Callable[["Context", Any], Awaitable[None]]
DeliveryHandler = Callable[["Context", dict[str, Any]], Awaitable[None]]


@dataclass(frozen=True)
class Command:
    verb: str
    handler: CommandHandler
    usage: str
    help: str
    example: str
    # None: anyone, even before joining a community.
    role: Role | None
    routine: str


@dataclass
class Routine:
    """One community routine's registrations, declared with decorators in its flows/ module."""

    name: str
    commands: dict[str, Command] = field(default_factory=dict)
    actions: dict[str, ActionHandler] = field(default_factory=dict)
    forms: dict[str, FormHandler] = field(default_factory=dict)
    events: list[tuple[type[Event], EventHandler]] = field(default_factory=list)
    deliveries: dict[str, DeliveryHandler] = field(default_factory=dict)

    def command(
        self, verb: str, *, usage: str, help: str, example: str = "", role: Role | None = Role.MEMBER
    ) -> Callable[[CommandHandler], CommandHandler]:
        """`/cop <verb> ...`; usage and help are marked with N_() and shown translated."""

        def register(handler: CommandHandler) -> CommandHandler:
            self.commands[verb] = Command(verb, handler, usage, help, example or usage, role, self.name)
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

    def delivery(self, kind: str) -> Callable[[DeliveryHandler], DeliveryHandler]:
        def register(handler: DeliveryHandler) -> DeliveryHandler:
            self.deliveries[kind] = handler
            return handler

        return register


class DuplicateRegistration(Exception):
    pass


def _merge(table: dict[str, T], mine: dict[str, T], routine: str) -> None:
    for key, value in mine.items():
        if key in table:
            raise DuplicateRegistration(f"{key!r} is registered twice (routine {routine})")
        table[key] = value


class Registry:
    """All routines of a running bot; lookups by verb, action, form, event type and delivery kind."""

    def __init__(self, routines: Iterable[Routine]) -> None:
        self.routines = list(routines)
        self.commands: dict[str, Command] = {}
        self.actions: dict[str, ActionHandler] = {}
        self.forms: dict[str, FormHandler] = {}
        self.deliveries: dict[str, DeliveryHandler] = {}
        self._events: list[tuple[type[Event], EventHandler]] = []
        for routine in self.routines:
            _merge(self.commands, routine.commands, routine.name)
            _merge(self.actions, routine.actions, routine.name)
            _merge(self.forms, routine.forms, routine.name)
            _merge(self.deliveries, routine.deliveries, routine.name)
            self._events.extend(routine.events)

    def event_handlers(self, event: Event) -> list[EventHandler]:
        return [handler for kind, handler in self._events if isinstance(event, kind)]

    def visible_commands(self, role: Role | None) -> list[Command]:
        """The commands a caller with this role may use, in registration order."""
        rank = role or 0
        return [c for c in self.commands.values() if c.role is None or c.role <= rank]
