"""The package's folders are the stages of its flow: imports run one way, and each kind rebuilds for its own code."""

from __future__ import annotations

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from generator.build.fingerprint import PACKAGE, code_hash
from generator.build.kinds import KINDS, STAGES, excluded_stages
from tests.conftest import ROOT, SOURCES

ORDER = {"read": {"read"}, "tickets": {"read", "tickets"}, "story": {"read", "tickets", "story"},
         "deck": {"read", "tickets", "story", "deck"}, "meetings": {"read", "tickets", "meetings"},
         "build": {"read", "tickets", "story", "deck", "meetings", "build"}}
"""Stage folder -> the stage folders its modules may import (besides the shared top-level modules)."""
SHARED = {"errors", "fonts", "hashing", "cache", "ticks", "pdfstamp"}
"""Top-level modules every stage may use; they import no stage folder."""
ENTRY = {"cli", "__main__", "__init__"}
"""The command line: it may start any stage."""
MAX_LINES = 420


def module_name(path: Path) -> str:
    """Return the dotted module name of a file of the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Return the generator modules `path` imports anywhere in it (inside functions too), as dotted names."""
    found: set[str] = set()
    package = module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else module_name(path)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    modules = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {name for name in found if name in modules and name != "generator"}


GRAPH = {module_name(path): imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def stage(module: str) -> str:
    """Return the stage folder of a module ('deck' for generator.deck.charts.picture), or its top-level name."""
    return module.split(".")[1] if "." in module else ""


def test_there_is_no_import_circle_not_even_through_imports_inside_functions() -> None:
    state: dict[str, int] = {}

    def visit(module: str, path: list[str]) -> None:
        state[module] = 1
        for target in sorted(GRAPH.get(module, ())):
            if state.get(target) == 1:
                raise AssertionError("import circle: " + " -> ".join(path[path.index(target):] + [target]))
            if target not in state:
                visit(target, path + [target])
        state[module] = 2

    for module in sorted(GRAPH):
        if module not in state:
            visit(module, [module])


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_a_module_imports_only_its_own_stage_the_stages_before_it_and_the_shared_modules(module: str) -> None:
    own = stage(module)
    if own in ENTRY or module == "generator":
        return
    allowed = ORDER.get(own, set())
    for target in GRAPH[module]:
        other = stage(target)
        if other in SHARED:
            continue
        assert own not in SHARED, f"the shared module {module} imports the stage module {target}"
        assert other in allowed, f"{module} (stage {own}) imports {target} (stage {other})"


def test_every_folder_of_the_package_is_a_stage_with_a_docstring_saying_what_it_takes_and_gives() -> None:
    folders = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert set(folders) == set(ORDER)
    for name in folders:
        docstring = ast.get_docstring(ast.parse((PACKAGE / name / "__init__.py").read_text())) or ""
        assert "Takes" in docstring and "gives" in docstring, f"{name}/__init__.py does not say what it takes and gives"
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top <= SHARED | ENTRY, f"modules outside any stage: {sorted(top - SHARED - ENTRY)}"


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_is_much_over_400_lines(path: Path) -> None:
    assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_LINES


def test_nothing_is_imported_at_run_time_that_pyproject_does_not_declare() -> None:
    declared = {_normal(requirement) for requirement in
                tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]}
    distributions = packages_distributions()
    undeclared = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
            for name in names:
                top = name.split(".")[0]
                if top == "generator" or top in sys.stdlib_module_names or _type_checking_only(path, name):
                    continue
                if not {_normal(d) for d in distributions.get(top, [top])} & declared:
                    undeclared.add(f"{path.relative_to(PACKAGE)}: {top}")
    assert not undeclared, sorted(undeclared)


def _normal(requirement: str) -> str:
    """Return the distribution name of a requirement ('python-pptx>=1.0' -> 'python_pptx')."""
    name = requirement.split(";")[0].strip()
    for mark in "<>=!~[ ":
        name = name.split(mark)[0]
    return name.lower().replace("-", "_").replace(".", "_")


def _type_checking_only(path: Path, name: str) -> bool:
    """Return True when `name` is imported only under `if TYPE_CHECKING:` in `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            guarded = {a.name for n in ast.walk(node) if isinstance(n, ast.Import) for a in n.names}
            guarded |= {n.module for n in ast.walk(node) if isinstance(n, ast.ImportFrom) and n.module}
            if name in guarded:
                return True
    return False


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_editing_a_module_changes_the_code_hash_of_exactly_the_kinds_that_run_it(source: str) -> None:
    edited = {**SOURCES, source: "edited"}
    owner = source.split("/")[0] if "/" in source else ""
    for kind in KINDS:
        changed = code_hash(edited, excluded_stages(kind)) != code_hash(SOURCES, excluded_stages(kind))
        runs_it = owner not in STAGES or owner in KINDS[kind].stages
        assert changed == runs_it, f"editing {source} {'rebuilds' if changed else 'does not rebuild'} {kind} units"


def test_a_deck_runs_the_story_and_deck_stages_and_pages_the_meeting_stage() -> None:
    assert excluded_stages("deck") == ("meetings",)
    assert excluded_stages("account") == excluded_stages("index") == ("story", "deck")
