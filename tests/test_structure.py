"""Structure the code promises: no import cycle in app/, and the authority tree walked in one
place (app/authorities/service.py)."""

import ast
import inspect
import re
import typing
from pathlib import Path

import pytest

from app import vocab
from app.directions import routes as direction_routes
from app.filings import schemas as filing_schemas
from app.programs import lifecycle_routes
from app.programs.schemas import STATUS_LABELS
from app.publications import routes as publication_routes
from app.publications import schemas as publication_schemas

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


# ---- workflow states and roles: one vocabulary each (app/vocab.py, app/access/principal.py)

STATE_NAMES = ("status", "role", "decision")


def _is_state(node: ast.expr) -> bool:
    """``x.status``, ``status``, ``referral_status``, ``col(Filing.status)``, ``x.role``…"""
    if isinstance(node, ast.Call) and len(node.args) == 1:  # col(Filing.status)
        node = node.args[0]
    if isinstance(node, ast.Attribute):
        return node.attr.endswith(STATE_NAMES)
    return isinstance(node, ast.Name) and node.id.endswith(STATE_NAMES)


def _is_bare_string(node: ast.expr) -> bool:
    """A str constant, or a tuple/set/list made only of str constants."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Tuple | ast.Set | ast.List):
        return bool(node.elts) and all(_is_bare_string(e) for e in node.elts)
    return False


def bare_state_comparisons(source: str) -> list[int]:
    """The lines comparing a status, role or decision with a bare string (or strings)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        sides = [node.left, *node.comparators]
        for left, right in zip(sides, sides[1:], strict=False):
            if (_is_state(left) and _is_bare_string(right)) or (
                _is_state(right) and _is_bare_string(left)
            ):
                lines.append(node.lineno)
                break
    return lines


def test_bare_state_finder_finds_bare_strings():
    snippet = "\n".join(
        [
            'a = filing.status == "draft"',  # 1
            'b = principal.role != "admin"',  # 2
            'c = col(Filing.status) == "decided"',  # 3
            'd = e.decision in ("approved", "rejected")',  # 4
            'e = "pending" == referral.status',  # 5
            'f = referral_status not in {"approved"}',  # 6
            "g = filing.status == FilingStatus.DRAFT",  # 7: fine
            'h = e.kind == "改名"',  # 8: not a state
            "i = status in STATES",  # 9: fine
            'j = form.get("select") == "clean"',  # 10: not a state
        ]
    )
    assert bare_state_comparisons(snippet) == [1, 2, 3, 4, 5, 6]


def test_app_compares_states_and_roles_with_their_vocabulary_only():
    """``filing.status == FilingStatus.DRAFT``, ``actor.role == Role.ADMIN``: never a bare string
    (issue 22), so a state or role is spelled in one place."""
    found = [
        f"{path.relative_to(APP.parent)}:{line}"
        for path in sorted(APP.rglob("*.py"))
        for line in bare_state_comparisons(path.read_text(encoding="utf-8"))
    ]
    assert found == []


TEMPLATE_BARE_STATE = re.compile(
    r"""\w*(?:status|role|decision)\s*(?:==|!=|\bnot in\b|\bin\b)\s*[(\[{]?\s*["']"""
)


def test_templates_compare_states_and_roles_with_their_vocabulary_only():
    """Templates get the vocabularies as globals (app/web/templating.py)."""
    assert TEMPLATE_BARE_STATE.search('{% if pub.status != "published" %}')
    assert TEMPLATE_BARE_STATE.search("{% if actor.role in ('reviewer', 'admin') %}")
    assert not TEMPLATE_BARE_STATE.search("{% if pub.status != PublicationStatus.PUBLISHED %}")
    found = [
        f"{path.relative_to(APP.parent)}:{number}"
        for path in sorted((APP / "web" / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if TEMPLATE_BARE_STATE.search(line)
    ]
    assert found == []


@pytest.mark.parametrize(
    ("accepted", "vocabulary"),
    [
        (filing_schemas.DecisionIn.model_fields["decision"].annotation, vocab.Decision),
        (filing_schemas.ReferralDecisionIn.model_fields["decision"].annotation, vocab.Decision),
        (
            publication_schemas.ObjectionUpdate.model_fields["status"].annotation,
            vocab.ObjectionStatus,
        ),
        (
            inspect.signature(publication_routes.list_publications).parameters["status"].annotation,
            vocab.PublicationStatus,
        ),
        (
            inspect.signature(direction_routes.list_directions).parameters["status"].annotation,
            vocab.DirectionStatus,
        ),
    ],
)
def test_request_literals_are_values_of_their_vocabulary(accepted, vocabulary):
    """Requests spell the accepted values as ``Literal`` strings (a 422 names them as written),
    and they are values of the one vocabulary."""
    values = {a for a in typing.get_args(accepted) if a is not type(None)}
    values = {v for a in values for v in (typing.get_args(a) or (a,))}  # Literal[...] | None
    assert values
    assert values <= {v.value for v in vocabulary}


def test_the_coverage_status_words_are_the_program_statuses_and_their_labels():
    assert set(typing.get_args(lifecycle_routes.Status)) == {
        *(s.value for s in vocab.ProgramStatus),
        *STATUS_LABELS,
    }
