"""``registry catalog adopt``: adopt a new catalog edition through its crosswalk (contract.md).

Prints the plan, one line per program, and last the line
``moved N, decisions D, withdrawn W, collisions C``; changes the registry only with ``--apply``.
The plan is read a chunk at a time (``app.adoption.stream``): printed as it is read, or, when
applied, written to a temporary file as the chunks are written and printed after the commit.
"""

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from tempfile import SpooledTemporaryFile
from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.common import cli_actor, engine, print_errors, say
from app.config import get_settings
from app.db import session_scope
from app.errors import AppError
from app.i18n import t

if TYPE_CHECKING:  # imported where used: the command line starts without them
    from app.adoption.plan import Counts, Row, Target
    from app.adoption.stream import Collision, Plan

catalog_app = typer.Typer(help="Catalog editions: adopting a new edition.", no_args_is_help=True)


def plan_lines(plan: "Plan", counts: "Counts") -> Iterator[str]:
    """The plan as text lines (tab-separated, for a terminal and for scripts), read a chunk at a
    time: programs needing a decision, collisions, withdrawals, moves; ``counts`` counted."""
    for pending in plan.needs_decision():
        counts.decisions += len(pending)
        for row, relation, candidates in pending:
            yield _pending_line(row, relation, candidates)
    collisions = plan.collisions()
    counts.collisions = len(collisions)
    yield from _collision_lines(collisions)
    for withdrawals in plan.withdrawn():
        counts.withdrawn += len(withdrawals)
        yield from _withdrawn_lines(withdrawals)
    for moves in plan.moved():
        counts.moved += len(moves)
        yield from _moved_lines(moves)


def _pending_line(row: "Row", relation: str, candidates: list["Target"]) -> str:
    cands = " | ".join(f"{c.code} {c.name}" for c in candidates) or t("cli.adopt.any_major")
    return _line(t("cli.adopt.pending"), row, f"{relation}: {cands}")


def _collision_lines(collisions: list["Collision"]) -> Iterator[str]:
    for keep, losers, target in collisions:
        first = losers[0]
        retired = ", ".join(f"#{r.id} {r.code}" for r in losers)
        yield "\t".join(
            (t("cli.adopt.collision"), first.college_code, first.college, first.level)
            + (first.intake, f"→ {target.code} {target.name}: ")
        ) + t("cli.adopt.keep_retire", keep=keep.program_id, retired=retired)


def _withdrawn_lines(withdrawals: list[tuple["Row", date | None]]) -> Iterator[str]:
    for row, until in withdrawals:
        becomes = t("cli.adopt.active_until", until=until) if until else t("cli.adopt.suspend")
        yield _line(t("cli.adopt.withdrawn"), row, f"→ {becomes}")


def _moved_lines(moves: list[tuple["Row", "Target", str, bool]]) -> Iterator[str]:
    for row, target, relation, decided in moves:
        how = f"{relation}, {t('cli.adopt.decided')}" if decided else relation
        yield _line(t("cli.adopt.moved"), row, f"→ {target.code} {target.name} ({how})")


def _line(what: str, row: "Row", tail: str) -> str:
    return "\t".join(
        (what, f"#{row.id}", row.college_code, row.college, row.code, row.name)
        + (row.level, row.intake, tail)
    )


class _Printed:
    """The lines of what applying writes (its ``Sections``), kept in temporary files until the
    transaction has committed: collisions, withdrawals, moves, as ``plan_lines`` orders them."""

    def __init__(self) -> None:
        self.files = [SpooledTemporaryFile(max_size=256 * 1024) for _ in range(3)]  # noqa: SIM115 (closed by echo)

    def _write(self, section: int, lines: Iterator[str]) -> None:
        self.files[section].write("".join(f"{line}\n" for line in lines).encode())

    def collisions(self, items: list["Collision"]) -> None:
        self._write(0, _collision_lines(items))

    def withdrawn(self, items: list[tuple["Row", date | None]]) -> None:
        self._write(1, _withdrawn_lines(items))

    def moved(self, items: list[tuple["Row", "Target", str, bool]]) -> None:
        self._write(2, _moved_lines(items))

    def echo(self) -> None:
        for file in self.files:
            file.seek(0)
            for line in file:
                typer.echo(line.decode(), nl=False)
            file.close()


@catalog_app.command("adopt")
def adopt_cmd(
    new: Annotated[str, typer.Argument(help="key of the new edition, e.g. technician-2026")],
    from_: Annotated[str, typer.Option("--from", help="key of the edition it replaces")],
    decisions: Annotated[
        Path | None,
        typer.Option(
            exists=True,
            dir_okay=False,
            help="CSV/XLSX college_code,old_code,level,intake,new_code (e.g. the plan's CSV)",
        ),
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="carry the plan out")] = False,
    keep_until: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="programs of withdrawn codes stay active until this day (default: suspended)",
        ),
    ] = None,
) -> None:
    """Show (and with --apply carry out) moving every program to the new edition."""
    from app.adoption import decisions as decision_rows
    from app.adoption import service, stream
    from app.adoption.plan import Counts

    database = engine()
    until = keep_until.date() if keep_until else None
    refused: AppError | None = None
    counts, printed, done = Counts(), _Printed(), None
    try:
        rows = (
            decision_rows.from_file(
                decisions.read_bytes(),
                filename=decisions.name,
                max_rows=get_settings().max_upload_rows,
            )
            if decisions
            else []
        )
        if apply:
            try:
                with session_scope(database) as session:
                    done = service.adopt(
                        session,
                        new,
                        from_key=from_,
                        decisions=rows,
                        actor=cli_actor(),
                        out=printed,
                        keep_until=until,
                    )
            except AppError as exc:
                if exc.error != "adoption_needs_decisions":
                    raise
                refused, until = exc, None  # the plan shown with the refusal, as it was
        if done is None:
            with stream.opened(database, new, from_, decisions=rows, keep_until=until) as plan:
                for line in plan_lines(plan, counts):
                    typer.echo(line)
    except AppError as exc:
        print_errors(exc)
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    if done is not None:
        printed.echo()
        counts = done.counts
        if done.applied:
            say(t("cli.adopt.applied", old=from_, new=new, day=done.superseded_on))
        else:
            say(t("cli.adopt.nothing"))
    elif refused is not None:
        say(t("cli.adopt.refused", message=refused.detail["message"]))
    typer.echo(counts.line())
    if refused is not None:
        raise typer.Exit(1)
