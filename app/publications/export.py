"""A list in the official layout (contract.md: Exports, fixed) — CSV, XLSX — and its checksum."""

import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import Workbook

from app import exporting
from app.publications.models import Publication, PublicationLine, PublicationSpecialty
from app.publications.schemas import length_cn

HEADER = ("序号", "学校", "专业", "专业类别", "专业代码", "层次", "级别", "学制", "备注")
SPECIALTY_HEADER = ("专业名称", "专业编码", "培养层次", "学制", "专业大类", "申报学校")
CODE_COLUMN = 4  # 专业代码
SPECIALTY_CODE_COLUMN = 1  # 专业编码


def line_cells(line: PublicationLine) -> tuple[Any, ...]:
    """One offering, every cell filled as printed (no merged-cell blanks)."""
    return (
        line.seq,
        line.college,
        line.major_name,
        line.category,
        line.major_code,
        line.intake,
        line.level,
        length_cn(line.length_years),
        line.remark,
    )


def specialty_cells(s: PublicationSpecialty) -> tuple[Any, ...]:
    return (
        s.major_name,
        s.major_code,
        s.level,
        length_cn(s.length_years),
        s.category,
        s.applicant_college,
    )


def lines_csv(lines: Sequence[PublicationLine], *, bom: bool = True) -> bytes:
    return exporting.csv_text(HEADER, (line_cells(line) for line in lines), bom=bom)


def specialties_csv(specialties: Sequence[PublicationSpecialty], *, bom: bool = True) -> bytes:
    return exporting.csv_text(SPECIALTY_HEADER, (specialty_cells(s) for s in specialties), bom=bom)


def checksum(lines: Sequence[PublicationLine]) -> str:
    """SHA-256 of the canonical CSV: the default download (UTF-8 with BOM, CRLF)."""
    return hashlib.sha256(lines_csv(lines, bom=True)).hexdigest()


def lines_xlsx(
    lines: Sequence[PublicationLine], specialties: Sequence[PublicationSpecialty]
) -> Iterator[bytes]:
    """附件1 on the first sheet, 附件2 on the second; codes as text cells, formula-guarded."""

    def fill(book: Workbook) -> None:
        first = exporting.Sheet(book.create_sheet("附件1"), text_columns=(CODE_COLUMN,))
        first.append(HEADER)
        first.extend([exporting.guard(c) for c in line_cells(line)] for line in lines)
        second = exporting.Sheet(book.create_sheet("附件2"), text_columns=(SPECIALTY_CODE_COLUMN,))
        second.append(SPECIALTY_HEADER)
        second.extend([exporting.guard(c) for c in specialty_cells(s)] for s in specialties)

    return exporting.xlsx_stream(fill)


def file_names(publication: Publication, ext: str, part: str = "") -> tuple[str, str]:
    """(Chinese download name, ASCII fallback): 2024年广州市技工院校新增专业名单.csv."""
    suffix = f"_第{publication.revision}版" if publication.revision > 1 else ""
    fallback_part = f"-{part}" if part else ""
    label = {"specialties": "_附件2"}.get(part, "")
    return (
        f"{publication.title}{suffix}{label}.{ext}",
        f"publication-{publication.id}{fallback_part}.{ext}",
    )
