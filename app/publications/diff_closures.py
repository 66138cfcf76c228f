"""The closures annex (停招、撤销专业名单) in a diff between lists (issue 24).

A list suspends or withdraws programs as well as approving them, so comparing two lists compares
their closures too, keyed like the lines (college + major code + intake + level): revisions of
one year answer 新增 / 删除 / 修改 (类型 or 起始年份 changed), lists of different years side by
side answer only_from / only_to / both. In the files, a closure row fills the compared layout's
own columns (序号, 学校, 专业, 专业代码, 层次, 级别; 备注 ``2025年起停招``) after the lines, its
变更 cell naming the kind: ``新增（停招）``."""

from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import BaseModel, Field
from sqlmodel import Session, col, select

from app.publications.models import PublicationClosure

COMPARED = (
    ("college", "学校"),
    ("major_name", "专业"),
    ("kind", "类型"),
    ("effective_year", "起始年份"),
)
CHANGE_CN = {"added": "新增", "removed": "删除", "changed": "修改"}


class ClosurePublic(BaseModel):
    seq: int = Field(description="序号 in the list's closures annex")
    college_code: str
    college: str
    major_code: str
    major_name: str
    intake: str
    level: str | None
    kind: str = Field(description="停招 or 撤销")
    effective_year: int = Field(description="起始年份")
    publication_id: int


class ClosureChange(BaseModel):
    key: dict[str, str | None]
    fields: list[str]
    before: ClosurePublic
    after: ClosurePublic


class ClosureDiff(BaseModel):
    """The two sides' closures annexes compared (the keys of the diff's own ``kind``)."""

    summary: dict[str, int] = Field(
        default_factory=dict,
        description="revisions: added, removed, changed, unchanged; years: only_from, only_to, "
        "both",
    )
    added: list[ClosurePublic] = Field(default_factory=list)
    removed: list[ClosurePublic] = Field(default_factory=list)
    changed: list[ClosureChange] = Field(default_factory=list)
    only_from: list[ClosurePublic] = Field(default_factory=list)
    only_to: list[ClosurePublic] = Field(default_factory=list)
    both: list[ClosureChange] = Field(default_factory=list)


def of(session: Session, publication_ids: Sequence[int]) -> list[PublicationClosure]:
    """The closures of these lists, list by list in the order given, each in printed order."""
    if not publication_ids:
        return []
    query = select(PublicationClosure).where(
        col(PublicationClosure.publication_id).in_(publication_ids)
    )
    found = session.exec(query.order_by(col(PublicationClosure.position))).all()
    order = {pid: i for i, pid in enumerate(publication_ids)}
    return sorted(found, key=lambda row: (order[row.publication_id], row.position))


def public(row: PublicationClosure) -> ClosurePublic:
    return ClosurePublic(
        seq=row.position + 1,
        college_code=row.college_code,
        college=row.college,
        major_code=row.major_code,
        major_name=row.major_name,
        intake=row.intake,
        level=row.level or None,
        kind=row.kind,
        effective_year=row.effective_year,
        publication_id=row.publication_id,
    )


def _keyed(rows: Sequence[PublicationClosure]) -> dict[tuple[str, str, str, str], ClosurePublic]:
    keyed: dict[tuple[str, str, str, str], ClosurePublic] = {}
    for row in rows:
        keyed.setdefault((row.college_code, row.major_code, row.intake, row.level), public(row))
    return keyed


def _change(old: ClosurePublic, new: ClosurePublic, always: bool) -> ClosureChange | None:
    fields = [f for f, _ in COMPARED if getattr(old, f) != getattr(new, f)]
    if not fields and not always:
        return None
    key = {
        "college_code": new.college_code,
        "major_code": new.major_code,
        "intake": new.intake,
        "level": new.level,
    }
    return ClosureChange(key=key, fields=fields, before=old, after=new)


def compare(
    old: Sequence[PublicationClosure], new: Sequence[PublicationClosure], *, years: bool
) -> ClosureDiff:
    """Revisions (``years`` False): added, removed, changed; years: only_from, only_to, both."""
    a, b = _keyed(old), _keyed(new)
    pairs = [_change(a[key], row, years) for key, row in b.items() if key in a]
    matched = [p for p in pairs if p is not None]
    later = [row for key, row in b.items() if key not in a]
    earlier = [row for key, row in a.items() if key not in b]
    if years:
        summary = {"only_from": len(earlier), "only_to": len(later), "both": len(matched)}
        return ClosureDiff(summary=summary, only_from=earlier, only_to=later, both=matched)
    summary = {
        "added": len(later),
        "removed": len(earlier),
        "changed": len(matched),
        "unchanged": len(pairs) - len(matched),
    }
    return ClosureDiff(summary=summary, added=later, removed=earlier, changed=matched)


def _cells(header: Sequence[str], row: ClosurePublic) -> list[Any]:
    """The closure in the compared layout's columns (what it has no value for stays blank)."""
    values = {
        "序号": row.seq,
        "学校": row.college,
        "学校名称": row.college,
        "专业": row.major_name,
        "专业名称": row.major_name,
        "专业代码": row.major_code,
        "层次": row.intake,
        "级别": row.level or "",
        "备注": f"{row.effective_year}年起{row.kind}",
    }
    return [values.get(name, "") for name in header]


def _note(change: ClosureChange) -> str:
    return "; ".join(
        f"{name}: {getattr(change.before, f)} → {getattr(change.after, f)}"
        for f, name in COMPARED
        if f in change.fields
    )


def rows(found: ClosureDiff, header: Sequence[str]) -> Iterator[tuple[Any, ...]]:
    """Revisions' rows of the diff file: removed, changed (new values), added."""
    for row in found.removed:
        yield (f"删除（{row.kind}）", *_cells(header, row), "")
    for change in found.changed:
        yield (f"修改（{change.after.kind}）", *_cells(header, change.after), _note(change))
    for row in found.added:
        yield (f"新增（{row.kind}）", *_cells(header, row), "")


def year_rows(
    found: ClosureDiff, header: Sequence[str], earlier: str, later: str
) -> Iterator[tuple[Any, ...]]:
    """Years' rows: the later lists' closures (仅/均有, in their order), then the earlier's."""
    for change in found.both:
        note = f"{earlier}年名单序号 {change.before.seq}"
        if change.fields:
            note += "; " + _note(change)
        kind = change.after.kind
        yield (f"{earlier}年、{later}年均有（{kind}）", *_cells(header, change.after), note)
    for row in found.only_to:
        yield (f"仅{later}年（{row.kind}）", *_cells(header, row), "")
    for row in found.only_from:
        yield (f"仅{earlier}年（{row.kind}）", *_cells(header, row), "")
