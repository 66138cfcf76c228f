"""FastAPI's path, query and form parameters the routes share, with the bounds of ``app.fields``
(the integers and the text rule the database needs) and the page of ``app.pagination``. Apart
from those two so that the services and the CLI, which use them, never import FastAPI.
"""

from typing import Annotated

from fastapi import Depends, Form, Path, Query
from pydantic import AfterValidator

from app.fields import DB_INT_MAX, YEAR_FILTER_MAX, YEAR_FILTER_MIN, text_rule_or_none
from app.pagination import DEFAULT_LIMIT, MAX_LIMIT, PageParams, decode_after

IdPath = Annotated[int, Path(ge=1, le=DB_INT_MAX, description="an id (1 … 2³¹−1)")]
# A year filter finds nothing outside the data, which is no error; it only has to be a year.
YearQuery = Annotated[int | None, Query(ge=YEAR_FILTER_MIN, le=YEAR_FILTER_MAX)]
# The index of an entry within a filing (at most filings.schemas.MAX_ENTRIES entries).
EntryIndex = Annotated[int, Path(ge=0, le=1_000_000)]

# Multipart form fields (uploads): no model reads them, so the rule and the column's length here.
FormTitle = Annotated[str | None, Form(max_length=200), AfterValidator(text_rule_or_none)]
FormProvince = Annotated[str | None, Form(max_length=20), AfterValidator(text_rule_or_none)]
FormCollege = Annotated[
    str | None, Form(max_length=20, description="college code"), AfterValidator(text_rule_or_none)
]

CursorQuery = Annotated[str | None, Query(description="`next` of the previous page")]
LimitQuery = Annotated[int, Query(ge=1, le=MAX_LIMIT)]


def id_page(cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT) -> PageParams[int]:
    return PageParams(after=decode_after(cursor, int), limit=limit)


def code_page(cursor: CursorQuery = None, limit: LimitQuery = DEFAULT_LIMIT) -> PageParams[str]:
    return PageParams(after=decode_after(cursor, str), limit=limit)


IdPage = Annotated[PageParams[int], Depends(id_page)]
CodePage = Annotated[PageParams[str], Depends(code_page)]
