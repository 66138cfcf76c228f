"""Finding 4: an import knows the registry version its file was exported at. programs.csv and
.xlsx say it (``X-Registry-Seq``, and the XLSX's sheet ``registry``); an import with
``base_seq`` refuses (409 ``changed_since_export``, nothing written, the file's rows in
``detail.rows``) to overwrite a program changed after it, unless forced with a reason."""

import io

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select
from typer.testing import CliRunner

from app.audit import AuditLog
from app.cli.commands import app as cli_app
from app.config import get_settings
from tests.changes.helpers import API

GZ = "4401J001"  # 广州市技师学院: seven 2024 programs in the seed


def _export(client) -> tuple[bytes, int]:
    response = client.get(f"{API}/programs.csv", params={"college": GZ})
    assert response.status_code == 200
    return response.content, int(response.headers["X-Registry-Seq"])


def _status(client, program_id: int) -> str:
    return client.get(f"{API}/programs/{program_id}").json()["status"]


def _import(client, headers, data: bytes, **form):
    return client.post(
        f"{API}/programs/import",
        files={"file": ("programs.csv", data, "text/csv")},
        data={k: str(v) for k, v in form.items()},
        headers=headers,
    )


def _first_two(client) -> list[int]:
    items = client.get(f"{API}/programs", params={"college": GZ, "limit": 2}).json()["items"]
    return [item["id"] for item in items]


def test_re_importing_an_old_export_no_longer_undoes_later_changes(seeded_client, admin_headers):
    client = seeded_client
    exported, seq = _export(client)
    changed = _first_two(client)
    for program_id in changed:  # two changes after the export, as in the issue
        response = client.patch(
            f"{API}/programs/{program_id}",
            json={"status": "suspended", "reason": "更正"},
            headers=admin_headers,
        )
        assert response.status_code == 200
    head = client.get(f"{API}/changes/head").json()["last_seq"]
    assert head > seq

    refused = _import(client, admin_headers, exported, base_seq=seq)
    assert refused.status_code == 409, refused.text
    body = refused.json()
    assert body["error"] == "changed_since_export"
    rows = body["detail"]["rows"]
    assert sorted(r["program_id"] for r in rows) == sorted(changed)
    lines = exported.decode("utf-8-sig").splitlines()
    for row in rows:  # each names the file's row, and that row is the program's offering
        assert row["college_code"] == GZ
        assert row["major_code"] in lines[row["row"] - 1]
        assert seq < row["changed_seq"] <= head
    assert [_status(client, i) for i in changed] == ["suspended", "suspended"]  # nothing written
    assert client.get(f"{API}/changes/head").json()["last_seq"] == head

    # as a query parameter too; an export taken after the changes imports cleanly
    again = client.post(
        f"{API}/programs/import",
        params={"base_seq": seq},
        files={"file": ("programs.csv", exported, "text/csv")},
        headers=admin_headers,
    )
    assert again.status_code == 409
    fresh, fresh_seq = _export(client)
    ok = _import(client, admin_headers, fresh, base_seq=fresh_seq)
    assert ok.status_code == 200
    assert ok.json()["updated"] == 0

    # forced with a reason: written, and the audit record says why and what it overrode
    forced = _import(client, admin_headers, exported, base_seq=seq, force_reason="恢复导出时的状态")
    assert forced.status_code == 200
    assert forced.json()["updated"] == 2
    assert [_status(client, i) for i in changed] == ["active", "active"]


def test_the_english_message_and_an_untouched_program_pass(seeded_client, admin_headers):
    client = seeded_client
    exported, seq = _export(client)
    (first, second) = _first_two(client)
    client.patch(
        f"{API}/programs/{first}",
        json={"status": "suspended", "reason": "更正"},
        headers=admin_headers,
    )
    # the file changes only the second program (never changed since): accepted
    lines = exported.decode("utf-8-sig").splitlines(keepends=True)
    program = client.get(f"{API}/programs/{second}").json()
    edited = [
        line.replace(",active,", ",suspended,")
        if line.startswith(GZ)
        and f",{program['major_code']}," in line
        and f",{program['level']}," in line
        and f",{program['intake']}," in line
        else line
        for line in lines
    ]
    first_row = client.get(f"{API}/programs/{first}").json()
    kept = [
        line
        for line in edited
        if not (
            f",{first_row['major_code']}," in line
            and f",{first_row['level']}," in line
            and f",{first_row['intake']}," in line
        )
    ]
    response = _import(client, admin_headers, "".join(kept).encode("utf-8-sig"), base_seq=seq)
    assert response.status_code == 200, response.text
    assert response.json()["updated"] == 1
    assert _status(client, second) == "suspended"
    english = _import(
        client,
        {**admin_headers, "Accept-Language": "en"},
        exported,
        base_seq=seq,
    )
    assert english.status_code == 409
    assert "changed after the export" in english.json()["detail"]["message"]


def test_the_xlsx_carries_its_seq_and_still_imports(seeded_client, admin_headers):
    response = seeded_client.get(f"{API}/programs.xlsx", params={"college": GZ})
    seq = int(response.headers["X-Registry-Seq"])
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[1] == "registry"
    assert book["registry"]["A1"].value == "registry_seq"
    assert book["registry"]["B1"].value == seq
    imported = seeded_client.post(
        f"{API}/programs/import",
        files={"file": ("programs.xlsx", response.content)},
        data={"base_seq": str(seq)},
        headers=admin_headers,
    )
    assert imported.status_code == 200
    assert imported.json()["unchanged"] == 7


@pytest.fixture
def cli(seeded, database_url, monkeypatch):
    monkeypatch.setenv("REGISTRY_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(cli_app, list(args))
    get_settings.cache_clear()


def test_the_cli_takes_base_seq_and_force_reason(
    cli, seeded, seeded_client, admin_headers, tmp_path
):
    exported, seq = _export(seeded_client)
    (first,) = _first_two(seeded_client)[:1]
    seeded_client.patch(
        f"{API}/programs/{first}",
        json={"status": "suspended", "reason": "更正"},
        headers=admin_headers,
    )
    path = tmp_path / "programs.csv"
    path.write_bytes(exported)
    refused = cli("import", "programs", str(path), "--base-seq", str(seq))
    assert refused.exit_code == 1
    assert "changed_since_export" in refused.output
    assert f"({first})" not in refused.output
    assert f"专业 {first}" in refused.output
    assert _status(seeded_client, first) == "suspended"
    forced = cli(
        "import", "programs", str(path), "--base-seq", str(seq), "--force-reason", "核对后恢复"
    )
    assert forced.exit_code == 0, forced.output
    assert _status(seeded_client, first) == "active"
    with Session(seeded) as session:
        record = session.exec(
            select(AuditLog).where(AuditLog.action == "program.import").order_by(AuditLog.id.desc())  # type: ignore[union-attr]
        ).first()
    assert record is not None
    assert record.reason == "核对后恢复"
    assert record.summary["after"]["overridden"] == [first]
    assert record.summary["after"]["base_seq"] == seq
