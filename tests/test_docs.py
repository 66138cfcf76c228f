"""Every setting and every route is documented in README.md or docs/*.md.

Routes are matched by their path with any parameter names (``/programs/{id}`` documents
``/programs/{program_id}``), as a whole path: ``/api/v1/filings/{id}`` or, in the route tables of
README.md whose heading says so, the same path without ``/api/v1``. A failure names the missing
setting or route and where to document it. Every relative link of README.md and docs/ points to a
file that exists (and, with ``#anchor``, to one of its headings)."""

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import app.web
from app.config import Settings
from app.main import create_app

ROOT = Path(__file__).resolve().parents[1]
API = "/api/v1"
# FastAPI's own pages (the OpenAPI UI the README points to at /docs).
FRAMEWORK_PAGES = {"/docs", "/docs/oauth2-redirect", "/redoc", "/openapi.json"}


def documentation_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]


# The notes the project was given (copied into docs/, cited by the code); what they say does not
# count as documenting this project's own settings and routes.
GIVEN_NOTES = ("contract.md", "domain.md")


def documentation() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in documentation_files()
        if path.name not in GIVEN_NOTES
    )


# [text](target) outside code spans; a target with a scheme (https:, mailto:) is not relative.
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)|!\[[^\]]*\]\(([^)\s]+)\)")
CODE_SPAN = re.compile(r"```.*?```|`[^`\n]*`", re.S)


def anchor(heading: str) -> str:
    """GitHub's id of a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = CODE_SPAN.sub("", path.read_text(encoding="utf-8"))
    return {anchor(m) for m in re.findall(r"^#+ (.+)$", text, re.M)}


def relative_links(path: Path) -> list[str]:
    text = CODE_SPAN.sub("", path.read_text(encoding="utf-8"))
    targets = [a or b for a, b in LINK.findall(text)]
    return [t for t in targets if not re.match(r"^[a-z][a-z0-9+.-]*:", t, re.I)]


def broken_links(path: Path) -> list[str]:
    broken = []
    for target in relative_links(path):
        file, _, fragment = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.exists():
            broken.append(f"{target} (no such file)")
        elif fragment and resolved.suffix == ".md" and fragment not in anchors(resolved):
            broken.append(f"{target} (no such heading)")
    return broken


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def documented(path: str, text: str) -> bool:
    """The path as a whole word of the text: not part of a longer path."""
    pattern = r"(?<![\w/.{}-])" + re.escape(_shape(path)) + r"(?![\w/.{}-])"
    return re.search(pattern, _shape(text)) is not None


def api_routes() -> list[tuple[str, str]]:
    schema = create_app(Settings(database_url="sqlite://")).openapi()
    return sorted(
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if method in ("get", "post", "put", "patch", "delete")
    )


def page_routes() -> list[tuple[str, str]]:
    """The pages (``app/web``'s routers) and the app's own routes outside the OpenAPI schema."""
    found = {("GET", "/healthz")}
    for module in pkgutil.iter_modules(app.web.__path__):
        router = getattr(importlib.import_module(f"app.web.{module.name}"), "router", None)
        for route in getattr(router, "routes", []):
            for method in sorted(getattr(route, "methods", None) or ()):
                if method != "HEAD" and route.path not in FRAMEWORK_PAGES:
                    found.add((method, route.path))
    return sorted(found)


def test_every_setting_is_documented():
    text = documentation()
    missing = [
        f"REGISTRY_{name.upper()}"
        for name in Settings.model_fields
        if f"REGISTRY_{name.upper()}" not in text
    ]
    assert not missing, (
        f"settings not documented: {', '.join(missing)} — add a row for each to the table under "
        "'## Settings' in README.md (variable, default, meaning)"
    )


def test_every_api_route_is_documented():
    text = documentation()
    missing = [
        f"{method} {path}"
        for method, path in api_routes()
        if not (documented(path, text) or documented(path.removeprefix(API), text))
    ]
    assert not missing, (
        "API routes not documented in README.md or docs/*.md — add each, with its path written "
        "out (parameters in braces), to the route table of its domain:\n  " + "\n  ".join(missing)
    )


def test_every_page_is_documented():
    text = documentation()
    missing = [f"{method} {path}" for method, path in page_routes() if not documented(path, text)]
    assert not missing, (
        "pages not documented in README.md or docs/*.md — add each, with its path written out, "
        "to the page list of docs/web.md (or the docs/ file of its area):\n  "
        + "\n  ".join(missing)
    )


def test_every_relative_link_points_to_a_file_that_exists():
    broken = {
        str(path.relative_to(ROOT)): found
        for path in documentation_files()
        if (found := broken_links(path))
    }
    assert not broken, f"broken relative links in the documentation: {broken}"


def test_the_link_check_finds_a_missing_file_and_a_missing_heading(tmp_path):
    (tmp_path / "there.md").write_text("# Core measurements\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "[ok](there.md) [ok](there.md#core-measurements) [web](https://example.org/x.md) "
        "`[code](nowhere.md)` [gone](gone.md) [bad](there.md#latest) ![img](pic.png)",
        encoding="utf-8",
    )
    assert broken_links(page) == [
        "gone.md (no such file)",
        "there.md#latest (no such heading)",
        "pic.png (no such file)",
    ]


@pytest.mark.parametrize(
    ("text", "path", "expected"),
    [
        ("`GET /api/v1/programs/{id}` one program", "/api/v1/programs/{program_id}", True),
        ("`GET /api/v1/programs/{id}.csv`", "/api/v1/programs/{program_id}", False),
        ("`GET /api/v1/programs`", "/programs", False),
        ("| `GET /rounds` | anyone |", "/rounds", True),
    ],
)
def test_a_path_counts_only_as_a_whole_path(text, path, expected):
    assert documented(path, text) is expected


# `contract.md "Exports"`, `contract.md, "Access"`, `contract.md: Messages)`,
# `contract.md (Accounts)`, `contract.md's Exports;`: a section named after the file, quoted or
# closed by a bracket.
CITATION = re.compile(
    r"contract\.md(?:'s)?[,:]?\s*\(?(?:\"([^\"\n]+)\"|([A-Z\u4e00-\u9fff][\w' ]*?)[);])"
)


def cited_sections(text: str) -> set[str]:
    return {quoted or bare for quoted, bare in CITATION.findall(text)}


def contract_sections() -> set[str]:
    headings = re.findall(r"^##+ (.+)$", (ROOT / "docs" / "contract.md").read_text("utf-8"), re.M)
    return {re.sub(r" \(fixed[^)]*\)$", "", heading) for heading in headings}


SELF_AND_NOTES = {"contract.md", "test_docs.py"}  # the notes themselves; this file's examples


def test_every_cited_contract_section_exists_in_docs():
    sections = contract_sections()
    cited: dict[str, set[str]] = {}
    for folder in ("app", "tests", "bench", "migrations", "docs"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".md", ".html"} and path.name not in SELF_AND_NOTES:
                for section in cited_sections(path.read_text(encoding="utf-8")):
                    cited.setdefault(section, set()).add(str(path.relative_to(ROOT)))
    assert {"Exports", "Access", "Checking a filing", "Planners' layout"} <= cited.keys()
    unknown = {
        section: sorted(paths) for section, paths in cited.items() if section not in sections
    }
    assert not unknown, f"sections cited but not headings of docs/contract.md: {unknown}"


def test_the_citation_check_reads_every_form_and_ignores_prose():
    text = (
        'contract.md "Exports"; (contract.md, "Access"): contract.md: Messages). '
        "(contract.md (Accounts)) contract.md's Exports; contract.md sends 5): the schema"
    )
    assert cited_sections(text) == {"Exports", "Access", "Messages", "Accounts"}
