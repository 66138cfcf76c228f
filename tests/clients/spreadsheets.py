"""An OpenDocument spreadsheet (.ods) made by hand: every cell a text cell, as LibreOffice and
WPS write codes that keep their leading zero. Enough for the readers under test; LibreOffice
(``soffice``) turns it into a legacy ``.xls`` when it is installed."""

import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/"
  manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""

CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">
<office:body><office:spreadsheet><table:table table:name="programs">{rows}</table:table>
</office:spreadsheet></office:body></office:document-content>"""


def ods(rows: list[list[str]]) -> bytes:
    body = "".join(
        "<table:table-row>"
        + "".join(
            f'<table:table-cell office:value-type="string"><text:p>{escape(c)}</text:p>'
            "</table:table-cell>"
            for c in row
        )
        + "</table:table-row>"
        for row in rows
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        # the mimetype first and stored, as the OpenDocument format asks
        archive.writestr(
            "mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED
        )
        archive.writestr("META-INF/manifest.xml", MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", CONTENT.format(rows=body), zipfile.ZIP_DEFLATED)
    return out.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, target_ext: str, outdir: Path) -> Path:
    """``soffice --headless --convert-to``; its own profile, so parallel runs never share one."""
    profile = outdir / "lo-profile"
    command = [
        soffice() or "soffice",
        f"-env:UserInstallation=file://{profile}",
        "--headless",
        "--convert-to",
        target_ext,
        "--outdir",
        str(outdir),
        str(source),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    produced = outdir / (source.stem + "." + target_ext.split(":", 1)[0])
    assert done.returncode == 0, done.stdout + done.stderr
    assert produced.exists(), done.stdout + done.stderr
    return produced
