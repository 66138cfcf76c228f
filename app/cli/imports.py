"""``registry import catalog|colleges|programs|crosswalk|directions``: the import services from
the command line.

Each import is one transaction (all or nothing); errors are printed one per line, naming the
row and the column, and nothing is written. A progress bar is drawn on stderr on a terminal.
"""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from sqlmodel import Session

from app.cli.common import cli_actor, engine, err, print_errors
from app.db import session_scope
from app.errors import AppError
from app.i18n import has, t
from app.spreadsheets.reading import ImportResult, gc_paused
from app.vocab import System

import_app = typer.Typer(
    help="Load catalogs, colleges or programs from CSV/XLSX.", no_args_is_help=True
)
SUMMARY_FIELDS = {"rows", "inserted", "updated", "unchanged"}
# REGISTRY_MAX_UPLOAD_ROWS caps what a client sends over HTTP (one request's memory and time in a
# shared server); the operator's own file read from the server's disk is not capped by it: the
# national programs file (1.5 million rows at ten times today's registry) imports as it is.
NO_ROW_LIMIT = sys.maxsize

FileArg = Annotated[
    Path,
    typer.Argument(
        exists=True, dir_okay=False, readable=True, help="CSV (UTF-8, BOM or GBK) or XLSX"
    ),
]


@contextmanager
def _progress() -> Iterator[Callable[[str, int, int], None] | None]:
    """A Rich bar on stderr when it is a terminal; nothing in pipes, logs and tests."""
    if not sys.stderr.isatty():
        yield None
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as bar:
        tasks: dict[str, TaskID] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                label = t(f"cli.phase.{phase}") if has(f"cli.phase.{phase}") else phase
                tasks[phase] = bar.add_task(label, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield update


def _run(work: Callable[[Session, Callable[[str, int, int], None] | None], ImportResult]) -> None:
    """Runs ``work(session, progress)`` in one unit of work and prints its summary.

    The cyclic garbage collector stays off until the unit of work has committed and let go of
    its objects (``gc_paused``): an import's rows, checks and feed items are hundreds of
    thousands of objects without cycles, which the first collection after the importer's own
    pause would scan while they are still held (0.2 s at 150,000 rows), and the commit's more."""
    try:
        with gc_paused(), _progress() as progress, session_scope(engine()) as session:
            result: ImportResult = work(session, progress)
    except AppError as exc:
        print_errors(exc)
        raise typer.Exit(1) from exc
    typer.echo(t("cli.import.summary", **result.model_dump(include=SUMMARY_FIELDS)))


@import_app.command("catalog")
def import_catalog_cmd(
    file: FileArg,
    edition: Annotated[str, typer.Option(help="edition key, e.g. technician-2022")],
    title: Annotated[str | None, typer.Option(help="title of a new edition")] = None,
    system: Annotated[
        System | None, typer.Option(help="of a new edition (default technician)")
    ] = None,
    province: Annotated[
        str | None, typer.Option(help="makes it a provincial specialty catalog")
    ] = None,
    partial: Annotated[
        bool | None,
        typer.Option(
            "--partial/--complete", help="mark the edition an extract / the whole official catalog"
        ),
    ] = None,
) -> None:
    """Columns code,name,category[,levels] (levels like 中级|高级|预备技师); creates the edition
    when new and updates majors already in it (by code)."""
    from app.catalog.importer import import_catalog
    from app.catalog.schemas import EditionOptions

    options = EditionOptions(title=title, system=system, province=province, partial=partial)
    _run(
        lambda session, progress: import_catalog(
            session,
            file.read_bytes(),
            key=edition,
            options=options,
            actor=cli_actor(),
            filename=file.name,
            max_rows=NO_ROW_LIMIT,
            progress=progress,
        )
    )


@import_app.command("colleges")
def import_colleges_cmd(file: FileArg) -> None:
    """Columns code,name,type,ownership,province,city; updates colleges already known by code."""
    from app.colleges.importer import import_colleges

    _run(
        lambda session, progress: import_colleges(
            session,
            file.read_bytes(),
            actor=cli_actor(),
            filename=file.name,
            max_rows=NO_ROW_LIMIT,
            progress=progress,
        )
    )


@import_app.command("programs")
def import_programs_cmd(
    file: FileArg,
    base_seq: Annotated[
        int | None,
        typer.Option(
            "--base-seq",
            min=0,
            help="X-Registry-Seq of the export the file was made from: refuse to overwrite "
            "programs changed after it",
        ),
    ] = None,
    force_reason: Annotated[
        str | None,
        typer.Option("--force-reason", help="overwrite them anyway, for this recorded reason"),
    ] = None,
) -> None:
    """The programs.csv export layout; its colleges and majors must already exist."""
    from app.programs.importer import import_programs

    _run(
        lambda session, progress: import_programs(
            session,
            file.read_bytes(),
            actor=cli_actor(),
            filename=file.name,
            source=f"import:{file.name}",
            max_rows=NO_ROW_LIMIT,
            progress=progress,
            base_seq=base_seq,
            force_reason=force_reason,
        )
    )


@import_app.command("crosswalk")
def import_crosswalk_cmd(
    file: FileArg,
    edition: Annotated[str, typer.Option(help="key of the new edition, e.g. technician-2026")],
    from_: Annotated[str, typer.Option("--from", help="key of the edition it replaces")],
) -> None:
    """The 新旧专业对照表: old_code,old_name,new_code,new_name,relation (or its Chinese headers
    原专业代码, 原专业名称, 新专业代码, 新专业名称, 对应关系); optional old_edition per row."""
    from app.catalog.crosswalk_import import import_crosswalk

    _run(
        lambda session, progress: import_crosswalk(
            session,
            file.read_bytes(),
            key=edition,
            from_edition=from_,
            actor=cli_actor(),
            filename=file.name,
            max_rows=NO_ROW_LIMIT,
            progress=progress,
        )
    )


@import_app.command("directions")
def import_directions_cmd(
    file: FileArg,
    year: Annotated[int | None, typer.Option(help="year of the rows without a year column")] = None,
) -> None:
    """专业方向名称规范备案 (附件3 as printed: 学校名称,原专业方向名称,规范专业名称,说明); upsert by
    school and name."""
    from app.directions.importer import import_directions

    _run(
        lambda session, progress: import_directions(
            session,
            file.read_bytes(),
            actor=cli_actor(),
            filename=file.name,
            year=year,
            max_rows=NO_ROW_LIMIT,
        )
    )
