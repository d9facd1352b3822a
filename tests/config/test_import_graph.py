"""The import graph of the application modules: no circle, even through an import inside a
function, except through a Celery task module (see the README's Layout section), and the
layers stay apart (casework below advocacy and accountability; common below every app).

Read from the source (ast), so a function-level import counts as much as one at the top;
an import under `if TYPE_CHECKING:` runs never, and does not count."""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("casework", "advocacy", "accountability", "common", "config")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.parts
    }


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement at any depth, leaving out `if TYPE_CHECKING:` blocks."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _imports(other)
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _imports(child)


def _package_of(module: str, path: Path) -> str:
    return module if path.name == "__init__.py" else module.rpartition(".")[0]


def _targets(
    statement: ast.Import | ast.ImportFrom, *, module: str, path: Path, modules: set[str]
) -> Iterator[str]:
    """The modules a statement imports: `from a import b` is a.b when a.b is a module,
    else a (whose __init__ holds b)."""
    if isinstance(statement, ast.Import):
        yield from (alias.name for alias in statement.names)
        return
    base = statement.module or ""
    if statement.level:
        package = _package_of(module, path)
        for _ in range(statement.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    for alias in statement.names:
        submodule = f"{base}.{alias.name}"
        yield submodule if submodule in modules else base


def _graph() -> dict[str, set[str]]:
    """A copy of the graph, so a test that changes it changes nothing for the next one."""
    return {module: set(targets) for module, targets in _graph_once().items()}


@functools.cache
def _graph_once() -> dict[str, frozenset[str]]:
    """Parsed once per test process: the sources do not change while the tests run."""
    sources = _sources()
    modules = set(sources)
    graph: dict[str, frozenset[str]] = {}
    for module, path in sources.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        edges: set[str] = set()
        for statement in _imports(tree):
            targets = _targets(statement, module=module, path=path, modules=modules)
            edges.update(target for target in targets if target in sources)
        edges.discard(module)
        graph[module] = frozenset(edges)
    return graph


def is_task_module(module: str) -> bool:
    return module.split(".")[-1] == "tasks" or ".tasks." in module


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_it_reads_imports_inside_functions():
    graph = _graph()
    # Both imported inside a function only.
    assert "casework.importing.runs" in graph["casework.tasks"]
    assert "casework.security" in graph["casework.signals"]


def test_it_leaves_out_imports_for_the_type_checker_only():
    tree = ast.parse(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from casework.models import Case\n"
        "def f():\n    from casework.status import timeline_order\n"
    )
    assert [statement.module for statement in _imports(tree)] == ["typing", "casework.status"]


def test_it_finds_a_circle_of_three():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_it_has_no_import_circle_except_through_a_celery_task_module():
    graph = _graph()
    without_tasks = {
        module: {target for target in targets if not is_task_module(target)}
        for module, targets in graph.items()
        if not is_task_module(module)
    }
    assert _cycles(without_tasks) == []


def _crossing(*, below: str, above: tuple[str, ...]) -> set[tuple[str, str]]:
    """Imports from a module of package `below` into one of the packages `above` it."""
    return {
        (module, target)
        for module, targets in _graph().items()
        if module.split(".")[0] == below
        for target in targets
        if target.split(".")[0] in above
    }


def test_it_keeps_casework_below_advocacy_and_accountability():
    assert _crossing(below="casework", above=("advocacy", "accountability")) == set()


def test_it_keeps_advocacy_below_accountability():
    assert _crossing(below="advocacy", above=("accountability",)) == set()


def test_it_keeps_common_below_every_app():
    assert _crossing(below="common", above=("casework", "advocacy", "accountability")) == set()
