"""``registry catalog adopt``: adopt a new catalog edition through its crosswalk (contract.md).

Prints the plan, one line per program, and last the line
``moved N, decisions D, withdrawn W, collisions C``; changes the registry only with ``--apply``.
"""

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from app.cli.common import cli_actor, engine, print_errors, say
from app.config import get_settings
from app.db import session_scope
from app.errors import AppError
from app.i18n import t

if TYPE_CHECKING:  # imported where used: the command line starts without them
    from app.adoption.schemas import AdoptionPlan, ProgramRef

catalog_app = typer.Typer(help="Catalog editions: adopting a new edition.", no_args_is_help=True)


def plan_lines(plan: "AdoptionPlan") -> list[str]:
    """The plan as text lines (tab-separated, for a terminal and for scripts)."""
    out = []
    for n in plan.needs_decision:
        cands = " | ".join(f"{c.code} {c.name}" for c in n.candidates) or t("cli.adopt.any_major")
        out.append(_line(t("cli.adopt.pending"), n, f"{n.relation}: {cands}"))
    for c in plan.collisions:
        retired = ", ".join(f"#{r.program_id} {r.old_code}" for r in c.retire)
        out.append(
            "\t".join(
                (t("cli.adopt.collision"), c.college_code, c.college, c.level or "", c.intake)
                + (
                    f"→ {c.new_code} {c.new_name}: "
                    + t("cli.adopt.keep_retire", keep=c.keep.program_id, retired=retired),
                )
            )
        )
    for w in plan.withdrawn:
        becomes = t("cli.adopt.active_until", until=w.until) if w.until else t("cli.adopt.suspend")
        out.append(_line(t("cli.adopt.withdrawn"), w, f"→ {becomes}"))
    for m in plan.moved:
        how = f"{m.relation}, {t('cli.adopt.decided')}" if m.decided else m.relation
        out.append(_line(t("cli.adopt.moved"), m, f"→ {m.new_code} {m.new_name} ({how})"))
    return out


def _line(what: str, p: "ProgramRef", tail: str) -> str:
    return "\t".join(
        (what, f"#{p.program_id}", p.college_code, p.college, p.old_code, p.old_name)
        + (p.level or "", p.intake, tail)
    )


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
    from app.adoption import service

    settings = get_settings()
    database = engine()
    refused: AppError | None = None
    try:
        with session_scope(database) as session:
            rows = (
                decision_rows.from_file(
                    decisions.read_bytes(),
                    filename=decisions.name,
                    max_rows=settings.max_upload_rows,
                )
                if decisions
                else []
            )
            try:
                plan = service.adopt(
                    session,
                    new,
                    from_key=from_,
                    decisions=rows,
                    apply=apply,
                    actor=cli_actor(),
                    keep_until=keep_until.date() if keep_until else None,
                )
            except AppError as exc:
                if exc.error != "adoption_needs_decisions":
                    raise
                refused, plan = (
                    exc,
                    service.adopt(
                        session, new, from_key=from_, decisions=rows, apply=False, actor=cli_actor()
                    ),
                )
    except AppError as exc:
        print_errors(exc)
        raise typer.Exit(1) from exc
    finally:
        database.dispose()
    for line in plan_lines(plan):
        typer.echo(line)
    if refused is not None:
        say(t("cli.adopt.refused", message=refused.detail["message"]))
    elif plan.applied:
        say(t("cli.adopt.applied", old=from_, new=new, day=plan.superseded_on))
    elif apply:
        say(t("cli.adopt.nothing"))
    typer.echo(plan.summary_line())
    if refused is not None:
        raise typer.Exit(1)
