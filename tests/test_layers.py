"""The package's layers: every module imports only from its own room or from rooms on lower layers, never inside a
function (the CLI's lazy stage imports and the package's lazy names excepted), and there is no import cycle.

The rooms and layers are ``LAYERS`` below, bottom first; ``docs/architecture.md`` shows the same list (checked).
A new module must be placed in a room here, or this test fails and says so.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "bemanning"

#: Bottom first. Each layer is a list of rooms; a room is (name, module prefixes). Rooms of one layer are
#: independent of each other (``erlang``, ``prognos`` and ``schema`` know nothing of one another).
LAYERS: list[list[tuple[str, tuple[str, ...]]]] = [
    [("base", ("bemanning.errors", "bemanning.config", "bemanning.display", "bemanning.files.outputs",
               "bemanning.executor", "bemanning.words"))],
    [("calendar", ("bemanning.calendar",))],
    [("files", ("bemanning.files",))],
    [("ingest", ("bemanning.ingest",))],
    [("erlang", ("bemanning.erlang",)), ("prognos", ("bemanning.prognos",)), ("schema", ("bemanning.schema",))],
    [("staffing", ("bemanning.staffing",)), ("tables", ("bemanning.plan_tables",)), ("plots", ("bemanning.plots",))],
    [("simulate", ("bemanning.simulate",))],
    [("demo", ("bemanning.demo",)), ("overview", ("bemanning.overview",))],
    [("planner", ("bemanning.planner",))],
    [("report", ("bemanning.page", "bemanning.workbook", "bemanning.plan_folder", "bemanning.report",
                 "bemanning.followup"))],
    [("rotation", ("bemanning.rotation",))],
    [("intraday", ("bemanning.intraday",)), ("period", ("bemanning.period",))],
    [("scenarios", ("bemanning.scenarios",)), ("replay", ("bemanning.replay",)),
     ("batch", ("bemanning.batch",))],
    [("year", ("bemanning.capacity", "bemanning.vacation")), ("sizing", ("bemanning.sizing",))],
    [("reference", ("bemanning.reference",))],
    [("front", ("bemanning.cli", "bemanning"))],
]

#: Modules whose functions may import (the stages a command needs, on use; the package's lazy names).
LAZY_IMPORTS_ALLOWED = {"bemanning.cli", "bemanning"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def room_of(module: str) -> tuple[int, str] | None:
    """(layer, room) of the longest prefix that names ``module``, or None."""
    best: tuple[int, int, str] | None = None
    for layer, rooms in enumerate(LAYERS):
        for room, prefixes in rooms:
            for prefix in prefixes:
                if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), layer, room)
    return None if best is None else (best[1], best[2])


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")
    base = base if is_package else base[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The package's modules an import statement imports (``from . import planner`` names the module)."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        base = _absolute(module, node)
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
    return sorted({n for n in names if n == "bemanning" or n.startswith("bemanning.")})


def _is_type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, (ast.Name, ast.Attribute)) and (
        getattr(node.test, "id", None) == "TYPE_CHECKING" or getattr(node.test, "attr", None) == "TYPE_CHECKING")


def _imports(module: str) -> tuple[set[str], list[tuple[int, str]]]:
    """(modules imported when the module runs; (line, target) of imports inside functions). Imports under
    ``if TYPE_CHECKING:`` are for annotations only and never run (``from __future__ import annotations``): like
    import-linter's ``exclude_type_checking_imports``, they are not arrows."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    top: set[str] = set()
    nested: list[tuple[int, str]] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if _is_type_checking(child):
                continue
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                for target in _targets(module, child):
                    (nested.append((child.lineno, target)) if in_function else top.add(target))
            visit(child, in_function or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))

    visit(tree, False)
    return top, nested


GRAPH = {m: _imports(m)[0] - {m} for m in MODULES}


def test_every_module_has_a_room():
    lost = [m for m in MODULES if room_of(m) is None]
    assert not lost, f"place these modules in a room of tests/test_layers.py LAYERS: {lost}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_go_down_or_stay_in_the_room(module):
    layer, room = room_of(module)
    wrong = []
    for target in sorted(GRAPH[module]):
        t_layer, t_room = room_of(target)
        if t_room != room and t_layer >= layer:
            wrong.append(f"{target} ({t_room}, layer {t_layer})")
    assert not wrong, f"{module} ({room}, layer {layer}) imports upward or sideways: {wrong}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_import_inside_a_function(module):
    nested = _imports(module)[1]
    if module in LAZY_IMPORTS_ALLOWED:
        return
    assert not nested, f"{module} imports inside functions (line, module): {nested}"


def test_no_import_cycle():
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for t in sorted(GRAPH.get(m, ())):
            if t not in MODULES:
                continue
            if state.get(t) == 1:
                cycle = path[path.index(t):] + [t] if t in path else [m, t]
                raise AssertionError(f"import cycle: {' -> '.join(cycle)}")
            if t not in state:
                visit(t, path + [t])
        state[m] = 2

    for m in sorted(MODULES):
        if m not in state:
            visit(m, [m])


def test_the_rules_catch_an_upward_import():
    # the check itself: the planner may use erlang, erlang may not use the planner
    assert room_of("bemanning.erlang.formulas")[0] < room_of("bemanning.planner")[0]
    assert room_of("bemanning.schema.model")[0] == room_of("bemanning.prognos.auto")[0]  # siblings: independent
    assert room_of("bemanning.files.outputs") == (0, "base") and room_of("bemanning.files.staff")[1] == "files"  # the longest prefix wins


def rooms_text() -> str:
    """The rooms as ``docs/architecture.md`` lists them, top layer first."""
    lines = []
    for layer in reversed(range(len(LAYERS))):
        for room, prefixes in LAYERS[layer]:
            lines.append(f"{layer:>2}  {room:<10} {', '.join(p.removeprefix('bemanning.') for p in prefixes)}")
    return "\n".join(lines)


def test_the_architecture_document_lists_these_rooms():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- rooms -->\n```text\n(.*?)\n```\n<!-- /rooms -->", doc, re.DOTALL)
    assert block, "docs/architecture.md needs the rooms block (<!-- rooms --> ... <!-- /rooms -->)"
    assert block.group(1) == rooms_text(), "docs/architecture.md's rooms differ from tests/test_layers.py:\n" + rooms_text()
