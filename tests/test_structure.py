"""Structure the code promises: no import cycle in app/, and the authority tree walked in one
place (app/authorities/service.py)."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, modules: set[str]) -> set[str]:
    """Every app module this file imports: at the top, inside functions or TYPE_CHECKING blocks
    alike (a cycle hidden in a function is still a cycle)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found & modules


def import_graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in APP.rglob("*.py")}
    modules = set(paths)
    return {name: imported_modules(path, modules) - {name} for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle_in_app():
    assert cycles(import_graph()) == []


def test_only_the_authorities_service_walks_the_authority_tree():
    """``parent_id`` of an authority is read in app/authorities/ only (seed.py sets it)."""
    allowed = {
        APP / "authorities" / "service.py",
        APP / "authorities" / "models.py",
        APP / "seed.py",
    }
    walkers = [
        str(path.relative_to(APP.parent))
        for path in APP.rglob("*.py")
        if path not in allowed and "parent_id" in path.read_text(encoding="utf-8")
    ]
    assert walkers == []


def test_only_the_write_path_calls_audit_record():
    """A write is recorded by one call (app/writes.py), which adds its audit entry: no service
    pairs ``audit.record`` with the feed and the events by hand (issue 22)."""
    callers = [
        str(path.relative_to(APP.parent))
        for path in APP.rglob("*.py")
        if path != APP / "writes.py" and "audit.record(" in path.read_text(encoding="utf-8")
    ]
    assert callers == []
