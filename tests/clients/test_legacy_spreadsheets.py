"""Finding 6: a legacy .xls (and an .ods) upload is read like an XLSX — it answered 422
``bad_encoding`` ("neither UTF-8 nor GBK"), sending the clerk after the wrong problem; a file
that is no spreadsheet at all says what to do."""

import csv
import io
import os

import pytest

from tests.changes.helpers import API
from tests.clients.spreadsheets import convert, ods, soffice

GZ = "4401J001"


def _rows(client) -> list[list[str]]:
    exported = client.get(f"{API}/programs.csv", params={"college": GZ, "bom": "false"})
    return list(csv.reader(io.StringIO(exported.text)))


def _import(client, headers, name: str, data: bytes):
    return client.post(f"{API}/programs/import", files={"file": (name, data)}, headers=headers)


def test_an_ods_upload_is_read_with_its_codes_as_text(seeded_client, admin_headers):
    rows = _rows(seeded_client)
    assert any(r[2].startswith("0") for r in rows[1:])  # codes with a leading zero are in it
    answer = _import(seeded_client, admin_headers, "programs.ods", ods(rows))
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"rows": 7, "inserted": 0, "updated": 0, "unchanged": 7}
    # known by its bytes, whatever its name says
    renamed = _import(seeded_client, admin_headers, "programs.csv", ods(rows))
    assert renamed.status_code == 200
    assert renamed.json()["unchanged"] == 7


def test_a_legacy_xls_upload_is_read(seeded_client, admin_headers, tmp_path):
    if soffice() is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice is missing: make libreoffice")
        pytest.skip("LibreOffice (soffice) makes the .xls: `make libreoffice` installs it")
    rows = _rows(seeded_client)
    source = tmp_path / "programs.ods"
    source.write_bytes(ods(rows))
    xls = convert(source, "xls", tmp_path).read_bytes()
    assert xls.startswith(b"\xd0\xcf\x11\xe0")  # an OLE2 file: Excel 97-2003
    answer = _import(seeded_client, admin_headers, "programs.xls", xls)
    assert answer.status_code == 200, answer.text
    assert answer.json()["unchanged"] == 7


def test_a_damaged_xls_or_other_binary_says_what_to_do(seeded_client, admin_headers):
    damaged = _import(
        seeded_client, admin_headers, "old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    )
    assert damaged.status_code == 422
    body = damaged.json()
    assert body["error"] == "bad_spreadsheet"
    assert ".xlsx" in body["detail"]
    binary = _import(seeded_client, admin_headers, "data.bin", bytes(range(256)) * 4)
    assert binary.json()["error"] == "bad_encoding"
    assert ".xlsx" in binary.json()["detail"]
