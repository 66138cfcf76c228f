"""Edits a clerk makes on a draft's page: accepting a finding's suggestion (one click), and the
values of a typed grid — both through ``service.update_filing`` (versioned, checked, audited)."""

from sqlmodel import Session

from app.access.principal import Principal
from app.errors import Conflict, NotFound
from app.filings.models import Filing
from app.filings.schemas import EntryIn, FilingUpdate
from app.filings.service import entries_of, entry_input, get_filing, update_filing

# The entry fields a finding may name and a suggestion may fill (Finding.field → EntryIn).
EDITABLE = ("major_code", "major_name", "category", "intake", "level", "length_years", "kind")


def apply_suggestion(
    session: Session, filing_id: int, index: int, code: str, *, version: int, actor: Principal
) -> Filing:
    """Put the suggestion of the entry's finding ``code`` into the field it names, and check the
    filing again. A stale ``version`` is refused like any save (409 stale_version)."""
    filing = get_filing(session, filing_id, actor=actor)
    entries = list(entries_of(session, filing))
    entry = next((e for e in entries if e.index == index), None)
    if entry is None:
        raise NotFound({"index": index}, error="entry_not_found", id=filing_id, index=index)
    finding = next(
        (f for f in entry.findings if f["code"] == code and f.get("suggestion") is not None), None
    )
    if finding is None or finding["field"] not in EDITABLE:
        raise Conflict({"index": index, "code": code}, error="no_suggestion")
    inputs: list[EntryIn] = [entry_input(e) for e in entries]
    position = entries.index(entry)
    before = getattr(inputs[position], finding["field"])
    inputs[position] = inputs[position].model_copy(update={finding["field"]: finding["suggestion"]})
    change = {
        "accepted": code,
        "index": index,
        "field": finding["field"],
        "from": before,
        "to": finding["suggestion"],
    }
    data = FilingUpdate(version=version, entries=inputs)
    return update_filing(session, filing_id, data, actor=actor, change=change)
