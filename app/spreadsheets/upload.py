"""The file of a multipart import request, read within the configured limits
(REGISTRY_MAX_BODY_BYTES, REGISTRY_MAX_UPLOAD_ROWS)."""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, File, Request, UploadFile

from app.errors import TooLarge


@dataclass
class Upload:
    data: bytes
    filename: str
    max_rows: int


def uploaded_file(
    request: Request,
    file: Annotated[UploadFile, File(description="CSV (UTF-8, BOM or GBK) or XLSX")],
) -> Upload:
    settings = request.app.state.settings
    data = file.file.read(settings.max_body_bytes + 1)
    if len(data) > settings.max_body_bytes:
        raise TooLarge(error="file_too_large", limit=settings.max_body_bytes)
    return Upload(data=data, filename=file.filename or "", max_rows=settings.max_upload_rows)


UploadDep = Annotated[Upload, Depends(uploaded_file)]

# Responses every import route documents besides 401/403.
IMPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    413: {"description": "The file is larger than REGISTRY_MAX_BODY_BYTES or has too many rows"},
    422: {"description": "Rows with errors (each names its row and column); nothing written"},
}
