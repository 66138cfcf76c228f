"""The message catalog against the code base: every finding code, row-error code and error name the
application can answer with, and every ``t("…")`` key it uses, has a Chinese and an English text.

Seven engineers add codes in parallel; a failure names the key, where it was found and the exact
line to add to which catalog file."""

import ast
import re
import string
from pathlib import Path

import pytest

from app.i18n import CATALOG, t, use_locale
from app.i18n.catalog import AREAS

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"
FINDINGS_FILE, ERRORS_FILE = "app/i18n/messages/findings.py", "app/i18n/messages/errors.py"

# contract.md "Checking a filing": the fixed finding codes (some are produced by code another
# branch is still writing; they need their messages all the same).
CONTRACT_FINDING_CODES = {
    "entry.missing_field",
    "entry.invalid_value",
    "major.code_format",
    "major.unknown_code",
    "major.not_in_province",
    "major.superseded",
    "major.name_mismatch",
    "major.category_mismatch",
    "major.out_of_catalog",
    "level.not_offered",
    "level.above_college_type",
    "program.unknown_intake_level",
    "program.length_mismatch",
    "program.exists",
    "program.duplicate_in_filing",
    "program.pending",
    "filing.kind_mismatch",
    "round.closed",
    "major.direction_unregistered",
}
CODE_SHAPE = re.compile(r"^[a-z]+\.[a-z_]+$")
NAME_SHAPE = re.compile(r"^[a-z][a-z0-9_]*$")


def _sources() -> list[tuple[str, ast.AST]]:
    out = []
    for path in sorted(APP.rglob("*.py")):
        if "i18n/messages" in path.as_posix():
            continue
        out.append((path.relative_to(ROOT).as_posix(), ast.parse(path.read_text("utf-8"))))
    return out


SOURCES = _sources()


def _strings(node: ast.AST) -> list[str]:
    """String constants of an expression, through ``a if c else b``."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return []


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _found() -> dict[str, dict[str, str]]:
    """{"finding": {code: where}, "error": {name: where}, "key": {t-key: where}}"""
    found: dict[str, dict[str, str]] = {"finding": {}, "error": {}, "key": {}}
    for where, tree in SOURCES:
        for node in ast.walk(tree):
            at = f"{where}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call):
                _from_call(node, at, found)
            elif isinstance(node, ast.Dict):
                _from_dict(node, at, found)
            elif isinstance(node, ast.ClassDef):
                _from_class(node, where, found)
    for code in CONTRACT_FINDING_CODES:
        found["finding"].setdefault(code, "contract.md (Checking a filing)")
    return found


def _from_call(node: ast.Call, at: str, found: dict[str, dict[str, str]]) -> None:
    name = _call_name(node)
    if name in ("Finding", "finding") and node.args:
        for code in _strings(node.args[0]):
            found["finding"].setdefault(code, at)
    if name == "add" and len(node.args) >= 3:  # RowErrors.add(row, column, code, message)
        for code in _strings(node.args[2]):
            if CODE_SHAPE.match(code):
                found["finding"].setdefault(code, at)
    # app/error_handlers.py: _body(error, detail), _respond(request, status, error, detail)
    position = {"_body": 0, "_respond": 2}.get(name)
    if position is not None and len(node.args) > position:
        for error in _strings(node.args[position]):
            found["error"].setdefault(error, at)
    if name in ("t", "t_all") and node.args:
        for key in _strings(node.args[0]):
            found["key"].setdefault(key, at)
    for keyword in node.keywords:
        if keyword.arg == "error":
            for error in _strings(keyword.value):
                found["error"].setdefault(error, at)
        if keyword.arg == "msg":
            for key in _strings(keyword.value):
                found["key"].setdefault(key, at)


def _from_dict(node: ast.Dict, at: str, found: dict[str, dict[str, str]]) -> None:
    for key, value in zip(node.keys, node.values, strict=False):
        if not (isinstance(key, ast.Constant) and value is not None):
            continue
        if isinstance(key.value, int) and 400 <= key.value < 600:  # {404: "not_found", ...}
            for error in _strings(value):
                found["error"].setdefault(error, at)
        if key.value == "error":
            for error in _strings(value):
                if NAME_SHAPE.match(error):
                    found["error"].setdefault(error, at)
        elif key.value == "code":
            for code in _strings(value):
                if CODE_SHAPE.match(code):
                    found["finding"].setdefault(code, at)


def _from_class(node: ast.ClassDef, where: str, found: dict[str, dict[str, str]]) -> None:
    for stmt in node.body:
        if (
            isinstance(stmt, ast.Assign)
            and [getattr(t_, "id", None) for t_ in stmt.targets] == ["error"]
            and isinstance(stmt.value, ast.Constant)
        ):
            found["error"].setdefault(stmt.value.value, f"{where}:{stmt.lineno}")


TEMPLATE_KEY = re.compile(r"""\bt\(\s*["']([^"']+)["']""")


def _template_keys(found: dict[str, dict[str, str]]) -> None:
    """``{{ t("web.…") }}`` in the page templates."""
    for path in sorted((APP / "web" / "templates").rglob("*.html")):
        text = path.read_text("utf-8")
        for match in TEMPLATE_KEY.finditer(text):
            if match.group(1).endswith("."):  # t("web.col." ~ name): a prefix, not a key
                continue
            line = text.count("\n", 0, match.start()) + 1
            where = f"{path.relative_to(ROOT).as_posix()}:{line}"
            found["key"].setdefault(match.group(1), where)


FOUND = _found()
_template_keys(FOUND)


def _missing(kind: str) -> list[tuple[str, str]]:
    return sorted((key, where) for key, where in FOUND[kind].items() if key not in CATALOG)


def _advice(kind: str, missing: list[tuple[str, str]], file: str) -> str:
    lines = [f"{len(missing)} {kind} without a message in the catalog. Add to MESSAGES in {file}:"]
    for key, where in missing:
        lines.append(f'    "{key}": ("中文…", "English…"),   # used at {where}')
    return "\n".join(lines)


def test_code_base_scan_finds_the_known_codes_and_names():
    # the scan itself works: a scan that found nothing would pass everything below
    assert {"program.length_mismatch", "entry.missing_field"} <= FOUND["finding"].keys()
    assert {"college_not_found", "validation_error", "not_found"} <= FOUND["error"].keys()
    assert len(FOUND["error"]) > 50
    assert any(where.startswith("app/web/templates/") for where in FOUND["key"].values())


def test_every_finding_code_has_a_message():
    missing = _missing("finding")
    assert not missing, _advice("finding codes", missing, FINDINGS_FILE)


def test_every_error_name_has_a_message():
    missing = _missing("error")
    assert not missing, _advice("error names", missing, ERRORS_FILE)


def test_every_message_key_used_in_the_code_exists():
    missing = _missing("key")
    advice = "\n".join(
        f'    "{key}": ("中文…", "English…"),   # used at {where}' for key, where in missing
    )
    assert not missing, (
        f"t()/msg= keys without a text. Add each to MESSAGES of the area's file under "
        f"app/i18n/messages/ (findings.py: finding codes and their variants; errors.py: error "
        f"names and their variants; cli.py: 'cli.…'; web.py: 'web.…'):\n{advice}"
    )


def test_no_key_is_defined_twice_across_the_catalog_files():
    seen: dict[str, str] = {}
    twice = []
    for file, messages in AREAS.items():
        for key in messages:
            if key in seen:
                twice.append(f"{key!r} in {seen[key]} and {file}")
            seen[key] = file
    assert not twice, "keep one text per key:\n" + "\n".join(twice)


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_both_languages_have_a_text_with_the_same_parameters(key):
    zh, en = CATALOG[key]
    assert zh.strip(), f"{key}: both texts must be non-empty"
    assert en.strip(), f"{key}: both texts must be non-empty"
    assert _fields(zh) == _fields(en), f"{key}: zh {_fields(zh)} vs en {_fields(en)}"
    # a Chinese text is Chinese: at least one CJK character (codes and values aside)
    assert re.search(r"[\u4e00-\u9fff]", zh), f"{key}: the zh-CN text has no Chinese: {zh!r}"


def test_contract_example_reads_naturally_in_both_languages():
    from app.i18n import Years

    params = {"intake": "初中起点", "level": "高级", "years": Years(5)}
    assert t("program.length_mismatch", **params) == "初中起点高级班学制为五年"
    with use_locale("en"):
        assert t("program.length_mismatch", **params) == "初中起点 高级 lasts 5 years"


def test_a_missing_parameter_shows_its_name_instead_of_failing():
    assert t("program.length_mismatch", intake="初中起点") == "初中起点{level}班学制为{years}"
