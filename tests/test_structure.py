"""Structure the code promises: no import cycle in app/, between modules or between packages
(``app.programs``, ``app.access``…; a module of app/ itself, ``app.writes``, is its own), and the
authority tree walked in one place (app/authorities/service.py)."""

import ast
import inspect
import re
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from app import vocab
from app.directions import routes as direction_routes
from app.filings import schemas as filing_schemas
from app.programs import statistics_routes
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


def package_of(module: str) -> str:
    """``app.programs.service`` -> ``app.programs``; ``app.writes`` stays ``app.writes``."""
    return ".".join(module.split(".")[:2])


def package_graph(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """The module graph with each package's modules as one node."""
    packages: dict[str, set[str]] = {}
    for module, imported in graph.items():
        packages.setdefault(package_of(module), set()).update(map(package_of, imported))
    return {package: imported - {package} for package, imported in packages.items()}


def crossing(graph: dict[str, set[str]], packages: list[str]) -> list[str]:
    """The module imports that tie these packages into a cycle (what a failure names)."""
    return sorted(
        f"{module} -> {other}"
        for module, imported in graph.items()
        for other in imported
        if package_of(module) in packages
        and package_of(other) in packages
        and package_of(other) != package_of(module)
    )


def test_cycle_finder_finds_a_cycle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycle_in_app():
    assert cycles(import_graph()) == []


def test_package_graph_finds_a_cycle_no_module_cycle_shows():
    """``app.a.x`` imports ``app.b.y`` and ``app.b.z`` imports ``app.a.w``: no module goes round,
    the packages do."""
    graph = {
        "app.a.x": {"app.b.y"},
        "app.a.w": set(),
        "app.b.y": set(),
        "app.b.z": {"app.a.w"},
        "app.c": {"app.a.x"},
    }
    assert cycles(graph) == []
    assert cycles(package_graph(graph)) == [["app.a", "app.b"]]
    assert crossing(graph, ["app.a", "app.b"]) == ["app.a.x -> app.b.y", "app.b.z -> app.a.w"]


def test_no_import_cycle_between_packages_of_app():
    """Packages are layered: ``access`` (who calls, what it may do) and ``changes`` (the feed)
    import no domain package; ``audit`` and ``writes`` sit above them and below the domains;
    ``accounts`` above ``colleges`` (docs/development.md, "Layout")."""
    graph = import_graph()
    found = cycles(package_graph(graph))
    assert found == [], [crossing(graph, packages) for packages in found]


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


# ---- infrastructure never imports a domain (issue 22) ---------------------------------------

# The domain: what the registry is about. Its packages may import the infrastructure below,
# never the other way round (app/main.py, the composition root, wires the two together).
DOMAIN = {
    "access",
    "adoption",
    "audit",
    "authorities",
    "catalog",
    "changes",
    "cli",
    "colleges",
    "directions",
    "filings",
    "mail",
    "models",
    "notices",
    "programs",
    "publications",
    "seed",
    "web",
    "webhooks",
    "writes",
}
# Pure infrastructure, under app/: HTTP plumbing, the database layer, settings, errors, the
# message catalog, spreadsheets and the operational helpers.
INFRASTRUCTURE = (
    "middleware",
    "db",
    "caching",
    "headers.py",
    "compression.py",
    "metrics.py",
    "limits.py",
    "head.py",
    "fields.py",
    "queryparams.py",
    "pagination.py",
    "errors.py",
    "error_handlers.py",
    "params.py",
    "config.py",
    "clock.py",
    "localtime.py",
    "text.py",
    "sizing.py",
    "openapi.py",
    "apidocs.py",
    "migrate.py",
    "backup.py",
    "i18n",
    "spreadsheets",
)


def domain_imports(source: str, dotted_path: str) -> list[str]:
    """The domain modules ``source`` (the file ``dotted_path``: ``app.caching.__init__``)
    imports — at the top, inside functions or TYPE_CHECKING blocks alike, relative imports
    resolved."""
    found: list[str] = []
    package = dotted_path.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join([*package[: len(package) - node.level], base]).strip(".")
            names = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            parts = name.split(".")
            if len(parts) > 1 and parts[0] == "app" and parts[1] in DOMAIN:
                found.append(name)
    return sorted(set(found))


def dotted(path: Path) -> str:
    return ".".join(path.relative_to(APP.parent).with_suffix("").parts)


def infrastructure_files() -> list[Path]:
    files: list[Path] = []
    for entry in INFRASTRUCTURE:
        path = APP / entry
        assert path.exists(), f"app/{entry} is listed as infrastructure but does not exist"
        files.extend(sorted(path.rglob("*.py")) if path.is_dir() else [path])
    return files


def test_domain_import_finder_finds_one():
    source = (
        "from app.db import SessionDep\n"
        "from app import headers, audit\n"
        "def start():\n"
        "    from app.changes import recorder\n"
        "    import app.web.session\n"
        "    from ..programs import listing\n"
    )
    assert domain_imports(source, "app.caching.version") == [
        "app.audit",
        "app.changes",
        "app.changes.recorder",
        "app.programs",
        "app.programs.listing",
        "app.web.session",
    ]
    assert domain_imports("from .pages import PageCache\n", "app.caching.__init__") == []
    assert domain_imports("from .. import writes\n", "app.caching.__init__") == ["app.writes"]


def test_no_infrastructure_module_imports_a_domain_module():
    """The middleware, the database layer, the HTTP cache… are used by the domain; they never
    reach into it (a domain hook is handed in by app/main.py instead)."""
    offenders = {
        str(path.relative_to(APP.parent)): found
        for path in infrastructure_files()
        if (found := domain_imports(path.read_text(encoding="utf-8"), dotted(path)))
    }
    assert offenders == {}


# ---- FastAPI is the routes' and the middleware's: the commands and the services start without it


def command_modules() -> list[str]:
    """The ``registry`` command's modules, what they import (at the top or inside a command),
    every service and the models — but the middleware, whose JSON log lines ``serve`` and the
    webhook worker configure: the one starts the server, the other lives as long."""
    modules = {module_name(p) for p in APP.rglob("*.py")}
    found = {"app.cli", "app.models"} | {module_name(p) for p in APP.glob("*/service.py")}
    for path in (APP / "cli").glob("*.py"):
        found |= {module_name(path)} | imported_modules(path, modules)
    return sorted(found - {"app.middleware"})


def loaded_after_import(modules: list[str]) -> list[str]:
    """The top-level packages loaded by importing ``modules`` in a fresh interpreter."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    return done.stdout.split()


def test_the_commands_and_the_services_import_no_fastapi():
    """FastAPI and its OpenAPI models are 0.15 s of a command's start (of ~0.5 s): the error
    family, the fields, the cursors, the sessions and the services import none of it
    (``app.params``, ``app.db.depends`` and ``app.error_handlers`` hold what the routes need)."""
    modules = command_modules()
    assert {"app.cli.commands", "app.programs.importer", "app.seed", "app.programs.service"} <= set(
        modules
    )
    assert "fastapi" in loaded_after_import(["app.main"])  # what the check sees, it can see
    assert "fastapi" not in loaded_after_import(modules)


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
    assert set(typing.get_args(statistics_routes.Status)) == {
        *(s.value for s in vocab.ProgramStatus),
        *STATUS_LABELS,
    }
