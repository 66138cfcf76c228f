"""The authority tree: lookups by code and the one walk of the tree (up: ``chain``; down:
``descendants``). Everything that asks "which bureau is above / below this one" calls these."""

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select
from sqlmodel import Session, col, select

from app.authorities.models import Authority, AuthorityCatalog
from app.errors import NotFound

# A guard, not a rule: real trees are two deep (city → province); a cycle must not hang a request.
MAX_DEPTH = 10


def find_by_code(session: Session, code: str) -> Authority | None:
    return session.exec(select(Authority).where(Authority.code == code)).first()


def get_by_code(session: Session, code: str) -> Authority:
    found = find_by_code(session, code)
    if found is None:
        raise NotFound(error="authority_not_found", code=code)
    return found


def _by_id(session: Session) -> dict[int, Authority]:
    # One query: the table holds tens of rows, and callers (the filing checks) count statements.
    return {a.id: a for a in session.exec(select(Authority)).all() if a.id is not None}


def chain(session: Session, authority_id: int | None) -> list[Authority]:
    """The authority and its ancestors (a city bureau, then its province), nearest first."""
    by_id = _by_id(session)
    rows: list[Authority] = []
    current = authority_id
    while current is not None and current in by_id and len(rows) < MAX_DEPTH:
        if any(a.id == current for a in rows):  # a cycle in the data must not hang a request
            break
        rows.append(by_id[current])
        current = by_id[current].parent_id
    return rows


def chain_ids(session: Session, authority_id: int | None) -> list[int]:
    """``chain`` as ids."""
    return [a.id for a in chain(session, authority_id) if a.id is not None]


def descendants(session: Session, authority_id: int) -> list[int]:
    """The authority and every authority under it (广东省人社厅 → itself and 广州市人社局)."""
    children: dict[int, list[int]] = {}
    for child in _by_id(session).values():
        if child.parent_id is not None and child.id is not None:
            children.setdefault(child.parent_id, []).append(child.id)
    found = [authority_id]
    frontier = [authority_id]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, []) if c not in found]
        found.extend(frontier)
    return found


def subtree_ids(code: Any) -> Select[int]:
    """``descendants`` as SQL: ``SELECT id`` of the authority ``code`` (a value or a bind
    parameter) and every authority under it, a recursive CTE (UNION: a cycle ends the walk)."""
    tree = select(col(Authority.id)).where(col(Authority.code) == code).cte("tree", recursive=True)
    tree = tree.union(select(col(Authority.id)).where(col(Authority.parent_id) == tree.c.id))
    return select(tree.c.id)


def is_within(session: Session, authority_id: int | None, governor_id: int) -> bool:
    """Whether ``authority_id`` is ``governor_id`` or lies under it."""
    return authority_id is not None and governor_id in chain_ids(session, authority_id)


def province_of(session: Session, authority_id: int | None) -> Authority | None:
    """The province-level authority of the chain (the authority itself when it is one)."""
    rows = chain(session, authority_id)
    return next((a for a in rows if a.level == "province"), rows[-1] if rows else None)


def nearest_editions(session: Session, chain_rows: Sequence[Authority]) -> list[int]:
    """The nearest authority's catalogs (authority_catalog), climbing when one has none (a city
    may apply the province's)."""
    ids = [a.id for a in chain_rows]
    if not ids:
        return []
    rows = session.exec(
        select(AuthorityCatalog).where(col(AuthorityCatalog.authority_id).in_(ids))
    ).all()
    for authority in chain_rows:
        mine = [r.edition_id for r in rows if r.authority_id == authority.id]
        if mine:
            return mine
    return []
