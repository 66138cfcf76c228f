"""Loading a generated registry through the project's own path: ``registry migrate|seed|import``.

Every file goes through the ``registry`` command a bureau would run. ``run_registry`` starts it as
a process (what the benchmark times); ``registry_in_process`` calls the same Typer app in this
process (what the smoke test uses, so it runs on the test's database in seconds).
"""

import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlmodel import select

from app.authorities.models import Authority, AuthorityCatalog, CollegeTypeLevel, LengthRule
from app.catalog.models import CatalogEdition
from app.db import make_engine, session_scope
from bench.generate import Manifest

# A command runner: (args after `registry`, database URL) -> seconds it took.
Runner = Callable[[list[str], str], float]
REGISTRY = Path(sys.executable).with_name("registry")
TEMPLATE_AUTHORITY = "GD-HRSS"  # generated provinces copy its length table and type norms


class CommandFailed(RuntimeError):
    pass


def registry_process(args: list[str], url: str) -> tuple[float, str]:
    """``registry ARGS`` as its own process on database ``url``: (seconds, stdout)."""
    env = {**os.environ, "REGISTRY_DATABASE_URL": url}
    started = time.perf_counter()
    done = subprocess.run([str(REGISTRY), *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        last = ([line for line in done.stderr.splitlines() if line.strip()] or ["?"])[-1]
        raise CommandFailed(f"registry {' '.join(args)} failed: {last}\n{done.stderr[-4000:]}")
    return elapsed, done.stdout


def run_registry(args: list[str], url: str) -> float:
    return registry_process(args, url)[0]


def registry_in_process(args: list[str], url: str) -> float:
    """The same command through the Typer app in this process (settings read afresh)."""
    from typer.testing import CliRunner

    from app.cli.commands import app as cli_app
    from app.config import get_settings

    get_settings.cache_clear()
    started = time.perf_counter()
    try:
        result = CliRunner().invoke(cli_app, args, env={"REGISTRY_DATABASE_URL": url})
    finally:
        get_settings.cache_clear()
    if result.exit_code != 0:
        detail = result.output[-4000:] + (repr(result.exception) if result.exception else "")
        raise CommandFailed(f"registry {' '.join(args)} failed ({result.exit_code}):\n{detail}")
    return time.perf_counter() - started


def import_catalogs(url: str, data: Path, manifest: Manifest, run: Runner) -> None:
    for edition in manifest.editions:
        args = ["import", "catalog", str(data / edition.file), "--edition", edition.key]
        if not edition.existing:
            args += ["--title", edition.title, "--system", "technician"]
            if edition.province:
                args += ["--province", edition.province]
        run(args, url)


def add_authorities(url: str, manifest: Manifest) -> int:
    """The 人社厅 of each generated province, with the catalogs and rules of the seeded one.

    No `registry` command creates authorities, so this writes the rows the way `registry seed`
    does for seed/authorities.csv.
    """
    engine = make_engine(url)
    added = 0
    try:
        with session_scope(engine) as session:
            template = session.exec(
                select(Authority).where(Authority.code == TEMPLATE_AUTHORITY)
            ).one()
            rules = session.exec(
                select(LengthRule).where(LengthRule.authority_id == template.id)
            ).all()
            norms = session.exec(
                select(CollegeTypeLevel).where(CollegeTypeLevel.authority_id == template.id)
            ).all()
            for spec in manifest.authorities:
                if session.exec(select(Authority).where(Authority.code == spec.code)).first():
                    continue
                authority = Authority(
                    code=spec.code,
                    name=spec.name,
                    level="province",
                    system="technician",
                    province=spec.province,
                )
                session.add(authority)
                session.flush()
                for key in spec.catalogs:
                    edition = session.exec(
                        select(CatalogEdition).where(CatalogEdition.key == key)
                    ).one()
                    session.add(AuthorityCatalog(authority_id=authority.id, edition_id=edition.id))
                session.add_all(
                    [
                        LengthRule(
                            authority_id=authority.id, intake=r.intake, level=r.level, years=r.years
                        )
                        for r in rules
                    ]
                )
                session.add_all(
                    [
                        CollegeTypeLevel(
                            authority_id=authority.id, college_type=n.college_type, level=n.level
                        )
                        for n in norms
                    ]
                )
                added += 1
    finally:
        engine.dispose()
    return added


def prepare(url: str, run: Runner, *, create_all: bool = False) -> None:
    """An empty database brought to the newest schema and seeded.

    ``create_all`` makes the tables from the models instead of ``registry migrate``: for trying
    the benchmarks while a migration lags behind its models.
    """
    if create_all:
        from app import models  # noqa: F401  (complete metadata)
        from app.db import SQLModel

        engine = make_engine(url)
        SQLModel.metadata.create_all(engine)
        engine.dispose()
    else:
        run(["migrate"], url)
    try:
        run(["seed"], url)
    except CommandFailed as exc:
        # Keeps the benchmark going past a seed bug, loudly: the in-process command has the
        # complete model metadata (app.models) that a bare `registry seed` process may lack.
        print(f"WARNING: {str(exc).splitlines()[0]}; seeding in-process instead", flush=True)
        from app import models  # noqa: F401

        registry_in_process(["seed"], url)


def load_registry(
    url: str,
    data: Path,
    manifest: Manifest,
    *,
    run: Runner = run_registry,
    programs: bool = True,
) -> dict[str, float]:
    """Catalogs, authorities, colleges and (unless ``programs`` is false) the base programs.

    Returns the seconds each step took; the programs import is benchmark 4's figure.
    """
    timings: dict[str, float] = {}
    started = time.perf_counter()
    import_catalogs(url, data, manifest, run)
    add_authorities(url, manifest)
    timings["catalogs"] = time.perf_counter() - started
    timings["colleges"] = run(["import", "colleges", str(data / manifest.colleges_file)], url)
    if programs:
        cpu = children_cpu()
        timings["programs"] = run(["import", "programs", str(data / manifest.programs_file)], url)
        timings["programs_cpu"] = children_cpu() - cpu  # 0 when run in-process
    return timings


def children_cpu() -> float:
    """CPU seconds used by finished child processes (the `registry` commands run)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
