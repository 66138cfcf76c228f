"""The diff routes write what they read, a chunk of lines at a time (app/publications/
diff_answer.py): the JSON of ``GET /api/v1/publications/diff`` byte for byte what FastAPI wrote
for the whole ``DiffResult``, and ``diff.csv`` the same bytes as the CSV written from it, at any
chunk size — for revisions and for years, with keys repeated within a list and across the lists
of a year (the first line wins), changed fields, hostile text and closures. The oracle is the
diff as it was computed before (``diff_reference``: both sides in Python dicts)."""

import io
from dataclasses import dataclass

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select, update

from app.authorities.models import Authority
from app.programs.models import Program
from app.publications import diff as diffs
from app.publications import diff_lines
from app.publications.models import Publication, PublicationClosure, PublicationLine
from app.publications.service import lines_of
from tests.publications import diff_reference
from tests.publications.helpers import API, GZ, SERIES_2024

HOSTILE_REMARK = '=1+"x",y\n第二行 \u2028 𠀀'
HOSTILE_COLLEGE = '-广州,"市"\r\n技师学院'


@dataclass
class Lists:
    base: int  # the seeded 2024 list
    a: int  # 2025, GZ-DIFF-2025-A
    b: int  # 2025, GZ-DIFF-2025-B
    c: int  # 2026, GZ-DIFF-2026


def _copy(line: PublicationLine, **changes) -> dict:
    fields = PublicationLine.model_fields.keys() - {"id", "publication_id", "position", "reason"}
    return {**{f: getattr(line, f) for f in fields}, **changes}


def _closure(line: PublicationLine, kind: str, year: int) -> dict:
    return {
        "college_id": line.college_id,
        "college_code": line.college_code,
        "college": line.college,
        "major_code": line.major_code,
        "major_name": line.major_name,
        "intake": line.intake,
        "level": line.level,
        "kind": kind,
        "effective_year": year,
    }


def _publish(session: Session, series: str, year: int, lines: list[dict], closures=()) -> int:
    """A published list of GZ-HRSS written as it stands (the checks of drafting left out)."""
    authority = session.exec(select(Authority).where(Authority.code == GZ)).one()
    assert authority.id is not None
    publication = Publication(
        series=series,
        year=year,
        title=series,
        authority_id=authority.id,
        system=authority.system,
        line_count=len(lines),
    )
    session.add(publication)
    session.flush()
    assert publication.id is not None
    program_id = session.exec(select(Program.id)).first()  # closures name a program
    assert program_id is not None
    for position, values in enumerate(lines):
        session.add(PublicationLine(publication_id=publication.id, position=position, **values))
    for position, values in enumerate(closures):
        session.add(
            PublicationClosure(
                publication_id=publication.id, position=position, program_id=program_id, **values
            )
        )
    session.flush()
    session.exec(
        update(Publication).where(Publication.id == publication.id).values(status="published")
    )
    return publication.id


@pytest.fixture
def lists(seeded) -> Lists:
    with Session(seeded) as session:
        base_id = session.exec(
            select(Publication.id).where(Publication.series == SERIES_2024)
        ).one()
        assert base_id is not None
        base = lines_of(session, base_id)
        assert len(base) == 82
        a_lines = [
            _copy(base[0], length_years=3),
            *(_copy(line) for line in base[1:3]),
            _copy(base[3], remark=HOSTILE_REMARK),
            _copy(base[4]),
            _copy(base[5], college=HOSTILE_COLLEGE),
            _copy(base[6]),
            _copy(base[7]),
            _copy(base[8], level=""),  # a line without 级别: a key of its own, null in JSON
            *(_copy(line) for line in base[13:40]),
            _copy(base[20], major_code="9901", major_name="新专业", seq=99),
            _copy(base[7], remark="重复：首行为准", seq=100),  # a repeated key: the first wins
        ]
        a = _publish(
            session,
            "GZ-DIFF-2025-A",
            2025,
            a_lines,
            [
                _closure(base[1], "停招", 2025),
                _closure(base[2], "撤销", 2025),
                _closure(base[1], "撤销", 2026),  # repeated: the first wins
            ],
        )
        b_lines = [
            _copy(base[0], length_years=4),  # A's key: on year:2025, A's line wins
            *(_copy(line) for line in base[41:46]),
            _copy(base[41], category="重复类"),
            _copy(base[60], intake="高中起点", level="预备技师"),
        ]
        b = _publish(
            session,
            "GZ-DIFF-2025-B",
            2025,
            b_lines,
            [_closure(base[2], "停招", 2025), _closure(base[4], "停招", 2026)],
        )
        c_lines = [
            _copy(base[30], remark="改备注"),
            _copy(base[31], category="新类别"),
            _copy(base[32], major_name="改名专业"),
            *(_copy(line) for line in base[33:50]),
            _copy(base[33], remark="重复"),
            _copy(base[70], major_code="9902", major_name="另一新专业"),
            _copy(base[3], remark=HOSTILE_REMARK),
        ]
        c = _publish(
            session,
            "GZ-DIFF-2026",
            2026,
            c_lines,
            [_closure(base[1], "停招", 2025), _closure(base[9], "撤销", 2026)],
        )
        session.commit()
    return Lists(base=base_id, a=a, b=b, c=c)


def _comparisons(ids: Lists) -> list[dict[str, str]]:
    return [
        {"from": str(ids.a), "to": str(ids.b)},  # revisions of 2025, repeats on both sides
        {"from": str(ids.b), "to": str(ids.a)},
        {"from": str(ids.a), "to": "year:2025"},  # one list against two
        {"from": "year:2025", "to": "year:2025", "authority": GZ},  # nothing changed
        {"from": "year:2024", "to": "year:2025"},  # years; 2024 has both systems
        {"from": "year:2025", "to": "year:2026"},
        {"from": str(ids.c), "to": "year:2025"},  # the later year first
        {"from": str(ids.base), "to": str(ids.a)},
        {"from": "GZ-DIFF-2025-A", "to": "GZ-DIFF-2026"},  # series
        {"from": "year:2024", "to": "year:2024", "system": "secondary"},
        {"from": str(ids.base), "to": str(ids.base)},
    ]


def _reference(engine, params: dict[str, str]) -> tuple[diffs.DiffResult, list]:
    with Session(engine) as session:
        return diff_reference.diff(
            session,
            None,
            from_ref=params["from"],
            to_ref=params["to"],
            authority=params.get("authority"),
            system=params.get("system"),
        )


@pytest.mark.parametrize("chunk", [1, 3, 2000])
def test_the_streamed_diff_is_the_whole_diffs_json_and_csv_at_any_chunk_size(
    seeded_client, seeded, lists, monkeypatch, chunk
):
    monkeypatch.setattr(diff_lines, "BATCH_ROWS", chunk)
    kinds = set()
    for params in _comparisons(lists):
        result, order = _reference(seeded, params)
        kinds.add(result.kind)
        response = seeded_client.get(f"{API}/diff", params=params)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        assert response.content == diff_reference.json_bytes(result), params
        for bom in (True, False):
            expected = diff_reference.csv_bytes(result, order, bom=bom)
            query = {**params, "bom": str(bom).lower()}
            as_csv = seeded_client.get(f"{API}/diff.csv", params=query)
            assert as_csv.status_code == 200
            assert as_csv.content == expected, params
            as_format = seeded_client.get(f"{API}/diff", params={**query, "format": "csv"})
            assert as_format.content == expected, params
    assert kinds == {"revisions", "years"}


def test_the_diffs_are_of_every_kind_of_line(seeded, lists):
    """The comparisons above meet what they are meant to: repeats, changes, closures."""
    a_b, _ = _reference(seeded, {"from": str(lists.a), "to": str(lists.b)})
    assert a_b.kind == "revisions"
    assert a_b.summary.model_dump() == {"added": 6, "removed": 36, "changed": 1, "unchanged": 0}
    assert a_b.changed[0].fields == ["length_years"]
    assert a_b.closures.summary == {"added": 1, "removed": 1, "changed": 1, "unchanged": 0}
    years, _ = _reference(seeded, {"from": "year:2025", "to": "year:2026"})
    assert years.kind == "years"
    # A's and B's lines (B repeats A's first key: A's wins) against C's
    assert years.summary.model_dump() == {"only_from": 27, "only_to": 6, "both": 16}
    changed = [c.fields for c in years.both if c.fields]
    assert changed == [["remark"], ["category"], ["major_name"]]
    assert years.closures.summary == {"only_from": 2, "only_to": 1, "both": 1}


def test_the_page_and_the_xlsx_show_the_reference_diff(seeded_client, seeded, lists):
    for params in _comparisons(lists):
        result, order = _reference(seeded, params)
        with Session(seeded) as session:
            whole = diffs.diff(
                session,
                None,
                from_ref=params["from"],
                to_ref=params["to"],
                authority=params.get("authority"),
                system=params.get("system"),
            )
        assert whole == result, params
        response = seeded_client.get(f"{API}/diff.xlsx", params=params)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet.title == ("对照" if result.kind == "years" else "对比")
        got = [[_unescaped(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        assert got == diff_reference.xlsx_rows(result, order), params


def _unescaped(value):
    """A cell as Excel reads it: xlsxwriter writes a CR as OOXML's ``_x000D_``, which Excel
    decodes and openpyxl leaves as it is."""
    return value.replace("_x000D_", "\r") if isinstance(value, str) else value


def test_the_json_route_still_declares_diffresult(seeded_client):
    schema = seeded_client.get("/openapi.json").json()
    ok = schema["paths"][f"{API}/diff"]["get"]["responses"]["200"]["content"]
    assert ok["application/json"]["schema"]["$ref"].endswith("/DiffResult")


def test_a_side_listed_out_of_id_order_is_read_in_that_order(seeded, lists):
    """``diff.resolve`` lists a side's lists by id; listed otherwise, a side is read in the
    order given, and the first line of a repeated key in that order is the one compared."""

    def line_of(row: PublicationLine) -> diff_lines.Line:
        return diff_lines.Line(*(getattr(row, c) for c in diff_lines.COLUMNS))

    with Session(seeded) as session:
        earlier, later = [lists.b, lists.a], [lists.c, lists.base]

        def keyed(ids: list[int]) -> dict:
            out: dict = {}
            for pid in ids:
                for row in lines_of(session, pid):
                    key = (row.college_code, row.major_code, row.intake, row.level)
                    out.setdefault(key, line_of(row))
            return out

        old, new = keyed(earlier), keyed(later)
        matched = diff_lines.Matched(
            session.connection(), earlier=earlier, later=later, compared=["remark", "college"]
        )
        pairs = [pair for chunk in matched.later_pairs() for pair in chunk]
        assert pairs == [(line, old.get(key)) for key, line in new.items()]
        alone = [line for chunk in matched.earlier_alone() for line in chunk]
        assert alone == [line for key, line in old.items() if key not in new]
        changed = [
            k
            for k, line in new.items()
            if k in old and (old[k].college, old[k].remark) != (line.college, line.remark)
        ]
        assert matched.counts() == diff_lines.Counts(
            later=len(new),
            matched=sum(k in old for k in new),
            changed=len(changed),
            earlier_only=len(alone),
        )
        assert changed  # the comparison meets each case
        assert alone
        assert len(pairs) > len(changed)
