"""Platforms and routines are plug-ins: another package adds one through entry points, and the core imports none."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import plugins
from flows import all_routines
from tests.bot.test_server import CULTIVATE, _env

ROOT = Path(__file__).resolve().parents[2]
STUB = """
from bot.context import MemberContext
from bot.registry import Routine

routine = Routine("stub")


@routine.command("stub", usage="stub", help="A routine from another package", role=None)
async def stub(ctx: MemberContext, text: str) -> None:
    await ctx.reply("The stub routine says hello.")


class StubPlatform:
    name = "stub"

    def configured(self, settings):
        return False

    def create(self, host):
        raise AssertionError("not configured, never created")


platform = StubPlatform()
"""


@pytest.fixture
def stub_distribution(tmp_path: Path) -> Iterator[Path]:
    """A separately installed package ("stub-cop"), as pip leaves one: its module and its dist-info on sys.path."""
    (tmp_path / "stub_cop.py").write_text(STUB)
    info = tmp_path / "stub_cop-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: stub-cop\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(
        "[cultivate.adapters]\nstub = stub_cop:platform\n\n[cultivate.routines]\nstub = stub_cop:routine\n"
    )
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    try:
        yield tmp_path
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("stub_cop", None)


def test_a_separate_package_adds_a_platform_and_a_routine(stub_distribution: Path) -> None:
    assert {"console", "slack", "teams", "yammer", "stub"} <= set(plugins.platforms())
    names = [r.name for r in plugins.routines()]
    ours = [r.name for r in all_routines()]
    assert names[: len(ours)] == ours and "stub" in names[len(ours) :], "ours first, in help's order; others after"


def test_the_console_runs_a_routine_another_package_installed(stub_distribution: Path, tmp_path: Path) -> None:
    result = subprocess.run(
        [str(CULTIVATE), "console"],
        input="/cop stub\n/cop help\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(PYTHONPATH=str(stub_distribution)),
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "The stub routine says hello." in result.stdout
    assert "/cop stub — A routine from another package" in result.stdout


def test_a_broken_plugin_is_named_in_one_line(tmp_path: Path) -> None:
    info = tmp_path / "broken_cop-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-cop\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[cultivate.routines]\nbroken = no_such_module:routine\n")
    result = subprocess.run(
        [str(CULTIVATE), "console"],
        input="/cop help\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(PYTHONPATH=str(tmp_path)),
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip().startswith("cultivate: the cultivate.routines plug-in 'broken'")
    assert len(result.stderr.strip().splitlines()) == 1


def _imports(path: Path) -> Iterator[tuple[str, bool]]:
    """Every module a file imports, and whether the import sits inside a function body."""
    tree = ast.parse(path.read_text())
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    inner = {id(n) for f in functions for n in ast.walk(f) if isinstance(n, ast.Import | ast.ImportFrom)}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, id(node) in inner
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in inner


def test_the_core_imports_no_adapter_and_no_routine() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for module, _inner in _imports(path)
        if module.split(".")[0] in ("adapters", "flows")
    ]
    assert offenders == []


# Imports deferred on purpose (a large library most runs never need), not to dodge an import cycle.
DEFERRED = {
    ("bot/answers.py", "dateparser"),
    ("bot/cli.py", "bot.server"),
    ("bot/cli.py", "storage.db"),
    ("bot/cli.py", "storage"),
    ("adapters/slack/app.py", "slack_bolt.adapter.socket_mode.async_handler"),
    ("bot/runtime.py", "sqlalchemy.engine"),
    # Only the Teams SDK chosen by TEAMS_SDK is loaded (the other may not even be installed).
    ("adapters/teams/sdk.py", "adapters.teams.sdk_agents"),
    ("adapters/teams/sdk.py", "adapters.teams.sdk_botbuilder"),
}


def test_no_import_hides_in_a_function_body() -> None:
    found = {
        (str(path.relative_to(ROOT)), module)
        for folder in ("bot", "flows", "adapters", "storage")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
        for module, inner in _imports(path)
        if inner
    }
    assert found <= DEFERRED, f"imports inside functions: {sorted(found - DEFERRED)}"
