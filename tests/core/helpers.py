"""Helpers of the core tests: count rows, read audit records, build XLSX, import errors."""

import io

from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.access.principal import Principal
from app.audit import AuditLog

ADMIN = Principal(name="test-admin", role="admin")


def xlsx(rows: list[list[object]], *, text_columns: tuple[int, ...] = ()) -> bytes:
    """A real workbook made with openpyxl; cells of ``text_columns`` are stored as text (@)."""
    book = Workbook()
    sheet = book.active
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            if c - 1 in text_columns and isinstance(value, str):
                cell.number_format = "@"
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(engine: Engine, model) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def audits(engine: Engine, action: str) -> list[AuditLog]:
    with Session(engine) as session:
        query = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        return list(session.scalars(query).all())


def errors_of(exc_info) -> list[tuple[int, str, str]]:
    """(row, column, code) of every error an import rejected the file with."""
    return [(e["row"], e["column"], e["code"]) for e in exc_info.value.detail["errors"]]
