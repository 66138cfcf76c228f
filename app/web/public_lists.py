"""Public pages of the published lists (the notice, its revisions, the difference between two
lists) and the approval statistics with charts — the services behind ``/api/v1/publications``
and ``/api/v1/statistics/approvals``."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from app.db.depends import SessionDep
from app.i18n import t
from app.params import IdPath, LimitQuery
from app.publications import closures, diff_page, presenters, stats
from app.publications import diff as diffs
from app.publications.service import today_in
from app.spreadsheets import writing
from app.vocab import System
from app.web.charts import bar_chart
from app.web.templating import redirect, render

router = APIRouter(include_in_schema=False)
STAT_GROUPS = ("by_year", "by_category", "by_level", "by_intake", "by_college")
COLLEGE_BARS = 20
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/publications")
def publication_list(
    request: Request, session: SessionDep, year: int | None = None
) -> HTMLResponse:
    """The current lists (a correction replaces what it corrects), newest year first."""
    current = presenters.current_publications(session, year=year)
    items = sorted(
        (presenters.summary(session, p) for p in current), key=lambda s: (-s.year, s.authority)
    )
    today = today_in(request.app.state.settings.zone)
    announced = [presenters.summary(session, p, today) for p in presenters.announced(session)]
    return render(request, "public/publications.html", items=items, year=year, announced=announced)


@router.get("/publications/series/{series}")
def latest_of_series(session: SessionDep, series: str) -> RedirectResponse:
    """A link that always shows the newest revision of a list."""
    return redirect(f"/publications/{presenters.latest_of(session, series).id}", status_code=307)


@router.get("/publications/diff")
def publication_diff(
    request: Request,
    session: SessionDep,
    from_: Annotated[str, Query(alias="from")] = "",
    to: str = "",
    system: System | None = None,
    limit: LimitQuery = diff_page.PAGE_LINES,
) -> HTMLResponse:
    """The summary, the downloads, and each section ``limit`` lines at a time: a section's
    cursor (its name in the query) says where its page starts."""
    shown = None
    if from_ and to:
        refs = diffs.Refs(from_, to, system=system.value if system else None)
        shown = diff_page.page(session, None, refs, at=request.query_params, limit=limit)
    return render(
        request,
        "public/diff.html",
        page=shown,
        pagers={s.name: _pager(request, s) for s in shown.sections} if shown else {},
        from_ref=from_,
        to_ref=to,
        system=system.value if system else "",
    )


def _pager(request: Request, section: diff_page.Section) -> dict[str, str | None]:
    """The links to a section's next page and back to its first, the rest of the query kept
    (the other sections stay where they are)."""
    kept = {k: v for k, v in request.query_params.items() if k != section.name}

    def link(query: dict[str, str]) -> str:
        return f"/publications/diff?{urlencode(query)}#{section.anchor}"

    return {
        "next": link(kept | {section.name: section.next}) if section.next else None,
        "first": link(kept) if section.start else None,
    }


@router.get("/publications/{publication_id:int}")
def publication_page(request: Request, session: SessionDep, publication_id: IdPath) -> HTMLResponse:
    """One revision as the notice prints it, with its revisions and corrections."""
    today = today_in(request.app.state.settings.zone)
    publication = presenters.public(
        session, presenters.get_visible(session, publication_id, None), None, today
    )
    revisions = presenters.list_publications(
        session,
        None,
        year=None,
        series=publication.series,
        authority=None,
        status=None,
        after=None,
        limit=100,
    )
    return render(
        request,
        "public/publication.html",
        pub=publication,
        revisions=sorted(revisions, key=lambda r: r.revision),
        closures=closures.rows_of(session, publication_id),  # 停招、撤销专业名单 (issue 24)
    )


@router.get("/statistics")
def statistics(
    request: Request, session: SessionDep, year: int | None = None, system: System | None = None
) -> HTMLResponse:
    figures = stats.approvals(session, year=year, system=system.value if system else None)
    charts = {
        group: bar_chart(
            [(c.key or t("web.stats.none"), c.count) for c in getattr(figures, group)][
                :COLLEGE_BARS
            ],
            title=t(f"web.stats.{group}"),
        )
        for group in STAT_GROUPS
        if group != "by_college"
    }
    charts["by_college"] = bar_chart(
        [(c.name, c.count) for c in figures.by_college][:COLLEGE_BARS],
        title=t("web.stats.by_college"),
    )
    return render(
        request,
        "public/statistics.html",
        figures=figures,
        charts=charts,
        year=year,
        system=system.value if system else "",
    )


def _stat_table(
    session: SessionDep, year: int | None, system: System | None
) -> tuple[tuple[str, str, str], list[tuple[str, str, int]], str]:
    """The figures the charts draw, one row per (grouping, value): what a report pastes; and
    the file name's stem (``statistics-2024-technician``)."""
    figures = stats.approvals(session, year=year, system=system.value if system else None)
    rows = [
        (t(f"web.stats.{group}"), c.key or "", c.count)
        for group in STAT_GROUPS
        if group != "by_college"
        for c in getattr(figures, group)
    ]
    rows += [(t("web.stats.by_college"), f"{c.code} {c.name}", c.count) for c in figures.by_college]
    header = (t("web.stats.grouping"), t("web.stats.value"), t("web.stats.count"))
    scope = "-".join(str(part) for part in (year, figures.system) if part)
    return header, rows, f"statistics-{scope}" if scope else "statistics"


@router.get("/statistics.csv")
def statistics_csv(
    session: SessionDep, year: int | None = None, system: System | None = None, bom: bool = True
) -> Response:
    header, rows, stem = _stat_table(session, year, system)
    return Response(
        writing.csv_text(header, rows, bom=bom),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'},
    )


@router.get("/statistics.xlsx")
def statistics_xlsx(
    session: SessionDep, year: int | None = None, system: System | None = None
) -> Response:
    """The same figures as the CSV in one sheet (clerks open them in Excel); the value column
    is text, so a code keeps its leading zeros."""
    header, rows, stem = _stat_table(session, year, system)

    def fill(book: Any) -> None:  # an xlsxwriter Workbook, as writing.fast_xlsx_stream gives
        sheet = writing.FastSheet(book, t("web.stats.sheet"), text_columns=(1,))
        sheet.widths((14, 40, 10))
        sheet.append(header, book.add_format({"bold": True}))
        sheet.extend([[writing.guard(v) for v in row] for row in rows])

    return Response(
        b"".join(writing.fast_xlsx_stream(fill)),
        media_type=XLSX_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'},
    )
