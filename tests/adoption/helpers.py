"""A small new technician edition (technician-2026) and its 对照表 over the seeded registry.

The crosswalk renames 0445 (same code) and 0610 → 0611, merges 0515 + 0528 → 0515 (two
collisions at 广州城市职业技工学校) and 0138 + 0139 → 0140, splits 0314 into 0321 / 0322,
withdraws 0307 and 0442, moves 0529 → 1320 (another category) and absorbs the Guangdong specialty
code 8172 as 0330; the other 27 codes are unchanged."""

from pathlib import Path
from types import SimpleNamespace

from sqlmodel import Session, col, select

from app.catalog.models import CatalogEdition, Major

DATA = Path(__file__).resolve().parent / "data"
NEW, OLD = "technician-2026", "technician-2022"
UNMAPPED = "0699"  # a code of the old edition the crosswalk does not name (``decided``)
ADOPTION = f"/api/v1/catalogs/{NEW}/adoption"
# Where each old code goes when one line decides it (the crosswalk file, read by hand).
AUTOMATIC = {
    "0445": ("0445", "renamed"),
    "0610": ("0611", "renamed"),
    "0515": ("0515", "merged"),
    "0528": ("0515", "merged"),
    "0138": ("0140", "merged"),
    "0139": ("0140", "merged"),
    "0529": ("1320", "moved"),
    "8172": ("0330", "moved"),
}
SPLIT = {"0314": ["0321", "0322"]}
WITHDRAWN = {"0307", "0442"}
DECISIONS = [
    {
        "college_code": "4401J001",
        "old_code": "0314",
        "level": "高级",
        "intake": "高中起点",
        "new_code": "0321",
    },
    {
        "college_code": "4401J002",
        "old_code": "0314",
        "level": "高级",
        "intake": "初中起点",
        "new_code": "0322",
    },
]


def upload(path: Path) -> dict:
    return {"file": (path.name, path.read_bytes(), "text/csv")}


def plan_csv(plan) -> bytes:
    """The CSV of a whole plan (an ``AdoptionPlan``, what ``POST …/adoption`` answers) the way
    ``adoption.csv`` was written before it streamed: the streamed file must equal it, byte for
    byte."""
    from app.adoption.export import HEADER
    from app.spreadsheets.writing import csv_text

    def row(p, plan: str, relation: str, new: tuple[str, str, str], cands: str = "") -> tuple:
        code, name, category = new
        return (p.college_code, p.old_code, p.level or "", p.intake, code, plan, relation,
                p.college, p.old_edition, p.old_name, name, category, p.status, cands,
                p.program_id)  # fmt: skip

    def rows():
        for n in plan.needs_decision:
            cands = "|".join(f"{c.code} {c.name}" for c in n.candidates)
            yield row(n, "needs_decision", n.relation, ("", "", ""), cands)
        for c in plan.collisions:
            for r in c.retire:
                ref = SimpleNamespace(
                    program_id=r.program_id, college_code=c.college_code, college=c.college,
                    old_edition=r.old_edition, old_code=r.old_code, old_name=r.old_name,
                    level=c.level, intake=c.intake, status=r.status,
                )  # fmt: skip
                yield row(ref, "collision", f"merged into {c.keep.program_id}",
                          (c.new_code, c.new_name, ""))  # fmt: skip
        for w in plan.withdrawn:
            yield row(w, "withdrawn", w.relation, ("", "", ""))
        for m in plan.moved:
            yield row(m, "moved", m.relation, (m.new_code, m.new_name, m.category))

    return csv_text(HEADER, list(rows()))


def major_id(session: Session, edition: str, code: str) -> int:
    query = (
        select(Major.id)
        .join(CatalogEdition, col(CatalogEdition.id) == Major.edition_id)
        .where(CatalogEdition.key == edition, Major.code == code)
    )
    found = session.exec(query).one()
    assert found is not None
    return found


def plan_json(plan) -> bytes:
    """A whole plan (an ``AdoptionPlan``) serialized as ``POST …/adoption`` answered it before
    the dry run streamed (FastAPI's response model: pydantic's JSON, by alias): the streamed
    answer must equal it, byte for byte."""
    from pydantic import TypeAdapter

    from app.adoption.schemas import AdoptionPlan

    return TypeAdapter(AdoptionPlan).dump_json(plan, by_alias=True)
