"""The 专业方向 check of a 中职 entry — pure: values in, findings out.

2024 中职 notice of 广州市教育局: 未进行规范名称备案的专业方向均按《职业教育专业目录》对应专业管理，
2024 年起原则上不再接受以专业方向形式的招生备案. So a name ``<catalog major>（<direction>）`` is
valid only as a direction the bureau kept for this school, and then under its catalog major's code;
otherwise it is ``major.direction_unregistered`` (error) suggesting the catalog name the bureau
recorded for it, else the catalog major it belongs to."""

from app.directions.names import split_direction
from app.filings.facts import ERROR, CatalogMajor, Context, EntryValues, Finding
from app.i18n import t
from app.text import normalize_name


def check_direction(
    v: EntryValues, major: CatalogMajor | None, ctx: Context
) -> tuple[list[Finding], bool]:
    """(findings, whether they account for the name — then ``major.name_mismatch`` is dropped)."""
    if ctx.system != "secondary" or not v.major_name:
        return [], False
    norm = normalize_name(v.major_name)
    parts = split_direction(v.major_name)
    if parts is None or norm in ctx.names:  # not a direction, or itself a catalog name
        return [], False
    fact = ctx.directions.get(norm)
    if fact is not None and fact.kept:
        # registered for this school: valid under its catalog major's code
        return [], major is None or major.code == fact.major_code
    base = ctx.names.get(parts[0])
    if fact is not None:
        key, target, code = "normalised", fact.normalised_name, fact.normalised_code
    elif base is not None:
        key, target, code = "base", base.name, base.code
    else:
        key, target, code = "", "", None
    message = t(
        f"major.direction_unregistered.{key}" if key else "major.direction_unregistered",
        name=v.major_name,
        target=target,
        code=code or "",
    )
    finding = Finding("major.direction_unregistered", ERROR, "major_name", message, target or None)
    related = {code, base.code if base else None} - {None}
    return [finding], major is None or major.code in related
