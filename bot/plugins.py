"""Adapters and routines are plug-ins, found through Python entry points, so that `bot/` imports neither and another
package can add a platform or a routine by declaring one:

    [project.entry-points."cultivate.adapters"]
    matrix = "cultivate_matrix:platform"        # an object that satisfies `Platform`

    [project.entry-points."cultivate.routines"]
    kudos = "cultivate_kudos:routine"           # a Routine, or a function returning a list of them
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.metadata import EntryPoint, entry_points
from typing import Any, Protocol, runtime_checkable

import typer

from bot.host import Host
from bot.platform import Adapter
from bot.registry import Routine
from bot.settings import Settings

log = logging.getLogger(__name__)
ADAPTERS = "cultivate.adapters"
ROUTINES = "cultivate.routines"


class PluginError(Exception):
    """A plug-in cannot be loaded; the message is one line for the operator."""


@runtime_checkable
class Platform(Protocol):
    """What a platform's package offers: whether the settings turn it on, and the adapter for a running core."""

    name: str

    def configured(self, settings: Settings) -> bool: ...

    def create(self, host: Host) -> Adapter: ...


@dataclass(frozen=True)
class CommandLine:
    """What a plug-in's own commands (`cultivate manifest <platform>`) may use of the command line."""

    routines: Callable[[], list[Routine]]
    fail: Callable[[str], None]


@runtime_checkable
class HasCommands(Protocol):
    """A platform with commands of its own under `cultivate manifest` (an app manifest, a package to upload)."""

    def add_commands(self, manifest: typer.Typer, line: CommandLine) -> None: ...


@runtime_checkable
class Interactive(Protocol):
    """A platform a person talks to in this terminal: `cultivate console` runs it."""

    async def run(self, settings: Settings, routines: list[Routine], options: dict[str, Any]) -> int: ...


def _load(entry: EntryPoint) -> Any:
    try:
        return entry.load()
    except Exception as e:  # a broken plug-in is named, in one line, whatever it raised
        raise PluginError(f"the {entry.group} plug-in {entry.name!r} ({entry.value}) cannot be loaded: {e}") from e


def platforms() -> dict[str, Platform]:
    """Every platform installed, by name."""
    found: dict[str, Platform] = {}
    for entry in entry_points(group=ADAPTERS):
        platform = _load(entry)
        if not isinstance(platform, Platform):
            raise PluginError(f"the {ADAPTERS} plug-in {entry.name!r} is not a platform (name, configured, create)")
        if platform.name in found:
            raise PluginError(f"two plug-ins are called {platform.name!r}")
        found[platform.name] = platform
    return found


def routines() -> list[Routine]:
    """Every routine installed: this package's first (in the order help lists them), then others' by name."""
    entries = sorted(entry_points(group=ROUTINES), key=lambda e: (e.name != "cultivate", e.name))
    found: list[Routine] = []
    for entry in entries:
        loaded = _load(entry)
        items: Sequence[Any] = loaded() if callable(loaded) and not isinstance(loaded, Routine) else [loaded]
        for item in items:
            if not isinstance(item, Routine):
                raise PluginError(f"the {ROUTINES} plug-in {entry.name!r} gave {type(item).__name__}, not a Routine")
            found.append(item)
    return found
