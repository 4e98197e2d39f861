"""The import contracts of pyproject.toml, checked by `pytest` itself (not only by `lint-imports`
in scripts/test.sh), and the allow-list contract type refusing what it does not name."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.import_rules import AllowListContract

ROOT = Path(__file__).resolve().parents[1]
# What the `lint-imports` script runs (click reads the arguments after "-c CODE").
LINT_IMPORTS = "from importlinter.cli import lint_imports_command; lint_imports_command()"


def test_the_import_contracts_are_kept() -> None:
    # A process of its own: import-linter reads pyproject.toml from the working directory and
    # imports the contract type from `tests`, as `lint-imports` does.
    done = subprocess.run(
        [sys.executable, "-c", LINT_IMPORTS, "--no-cache"],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for name in ("app", "app.core", "app.domain"):  # the packages, as grimp lists them
        graph.add_module(name)
    for importer, imported in imports:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return graph


def _contract(**options: object) -> AllowListContract:
    return AllowListContract(name="test", session_options={}, contract_options=options)


@pytest.mark.parametrize(
    ("imported", "kept"),
    [
        ("decimal", True),  # the standard library
        ("app.domain.money", True),  # named
        ("app.core.rules", True),  # itself
        ("pydantic", False),  # a third-party package not named
        ("app.adapters.store", False),  # a package of the project not named
    ],
)
def test_the_allow_list_refuses_what_it_does_not_name(imported: str, kept: bool) -> None:
    graph = _graph(("app.core.rules", "app.core.util"), ("app.core.util", imported))
    contract = _contract(source_modules=["app.core"], allowed_modules=["app.domain"])
    check = contract.check(graph, verbose=False)
    assert check.kept is kept
    if not kept:
        assert check.metadata["broken"][0]["importer"] == "app.core.util"


def test_the_standard_library_can_be_refused_too() -> None:
    graph = _graph(("app.core.rules", "sqlite3"))
    assert not _contract(source_modules=["app.core"], allow_stdlib="false").check(graph, False).kept


def test_a_known_exception_is_let_through() -> None:
    graph = _graph(("app.core.rules", "httpx"))
    contract = _contract(source_modules=["app.core"], ignore_imports=["app.core.rules -> httpx"])
    assert contract.check(graph, verbose=False).kept
