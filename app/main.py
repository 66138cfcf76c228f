"""The application factory."""

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from sqlalchemy.engine import Engine
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES

from app import (
    apidocs,
    metrics,
    models,  # noqa: F401  (complete metadata)
    openapi,
    queryparams,
)
from app.access.throttle import make_throttle
from app.accounts.hashing import dummy_hash
from app.accounts.routes import router as accounts_router
from app.adoption.routes import router as adoption_router
from app.audit.routes import router as audit_router
from app.caching import DataVersion, HttpCache
from app.catalog.routes import router as catalog_router
from app.changes import recorder
from app.changes.routes import router as changes_router
from app.colleges.routes import router as colleges_router
from app.compression import Gzip
from app.config import Settings, get_settings
from app.db import close_sqlite_readers, make_engine, make_read_engine
from app.db.async_reads import AsyncReader
from app.db.reads import read_planner_settings
from app.directions.routes import router as directions_router
from app.error_handlers import document_error_bodies, install_error_handlers
from app.fields import TextRuleGuard
from app.filings.college_end_routes import router as college_end_router
from app.filings.routes import router as filings_router
from app.head import HeadAsGet
from app.i18n.middleware import LocaleMiddleware
from app.limits import BodySizeLimit
from app.middleware import Cors, RequestContext, configure_logging
from app.programs.routes import ListFastPath
from app.programs.routes import router as programs_router
from app.programs.routes import tail as programs_tail_router
from app.publications.routes import router as publications_router
from app.web.cycle import install_cycle_pages
from app.web.setup import install_web
from app.webhooks.routes import router as webhooks_router


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(settings.database_url, settings)
    read_engine = make_read_engine(engine, settings)
    async_reader = (
        None
        if read_engine.dialect.name == "sqlite"
        else AsyncReader(read_engine.url, settings.db_pool_size, read_planner_settings(settings))
    )
    # the writers' commits advance the version at once (app/changes/recorder.py)
    versions = DataVersion(engine, read_engine, commit_hooks=recorder.on_commit)
    versions.always_read = settings.nodes > 1  # another node's write is read back at once

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # What exists now (modules, routes, compiled statements) lives as long as the process:
        # out of the collector's way, a full collection no longer walks it (p99 of GET /programs
        # under load, docs/benchmarks.md).
        gc.freeze()
        dummy_hash()  # before the first sign-in of an unknown username, as long as later ones
        versions.start()
        yield
        await versions.stop()
        if async_reader is not None:
            await async_reader.close()
        close_sqlite_readers(read_engine)
        read_engine.dispose()
        engine.dispose()

    app = FastAPI(
        title="Vocational program registry",
        version="1.0",
        # the description is the catalog's (openapi.info), in the reader's language
        lifespan=lifespan,
        docs_url=None,  # served by app.apidocs from vendored assets, not a CDN
        redoc_url=None,
        # a GET /api/v1/... refuses a query parameter its route does not declare (422)
        dependencies=[Depends(queryparams.refuse_unknown)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.read_engine = read_engine  # GET /programs: db.read_rows
    app.state.async_reader = async_reader  # GET /api/v1/programs on PostgreSQL
    app.state.versions = versions  # the registry's version: ETags (app/caching/)
    app.state.auth_throttle = make_throttle(  # in the database on PostgreSQL: every node's
        read_engine, settings.auth_fail_limit, settings.auth_fail_window_seconds
    )
    install_error_handlers(app)
    app.add_middleware(ListFastPath)  # innermost: GET /api/v1/programs before the router
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    # ETag/304 of every public GET /api/v1/... before routing (app/caching/)
    app.add_middleware(
        HttpCache, versions=lambda: versions, page_cache_bytes=settings.page_cache_mb << 20
    )
    app.add_middleware(TextRuleGuard)  # the text rule for paths and query strings
    # the body limit's 413 and every handler below speak the reader's language
    app.add_middleware(LocaleMiddleware)
    # gzip of text answers (docs/deploy.md); a streamed export stays streamed (each chunk is
    # flushed), spreadsheets are zip files already; a client that does not ask for gzip goes
    # through a lean pass-through (app/compression.py)
    app.add_middleware(
        Gzip,
        minimum_size=1024,
        compresslevel=5,
        exclude_content_types=(*DEFAULT_EXCLUDED_CONTENT_TYPES, *metrics.SPREADSHEET_TYPES),
    )
    # HEAD on every GET route: answered as GET, no body; outside the gzip so a HEAD carries the
    # headers (Content-Encoding, Content-Length) of the compressed GET
    app.add_middleware(HeadAsGet)
    # CORS (app/middleware/cors.py) inside the request context: its refusals get a request id
    app.add_middleware(Cors, origins=settings.cors_origin_list)
    # Added last, so outermost: it sees every response, the 413 above included.
    configure_logging(settings.log_level)
    app.add_middleware(
        RequestContext,
        trusted_proxies=settings.trusted_proxy_list,
        access_log_enabled=settings.access_log,
        metrics=(
            metrics.RequestMetrics(
                {"write": engine, "read": read_engine},
                {"pages": async_reader.counts} if async_reader is not None else None,
            )
            if settings.metrics
            else None
        ),
    )
    # programs first (with its exports /programs.csv and .xlsx): GET /programs is the hottest
    # route and routes are matched in order. Numeric ids are {name:int} in every path, so no
    # router's path parameter takes another's literal path: otherwise the order is only that of
    # the tags in /docs.
    for router in (
        programs_router,
        college_end_router,
        programs_tail_router,
        publications_router,
        catalog_router,
        adoption_router,
        colleges_router,
        directions_router,
        filings_router,
        accounts_router,
        audit_router,
        changes_router,
        webhooks_router,
    ):
        app.include_router(router)
    apidocs.install(app)  # /docs, /redoc, /healthz, /readyz
    if settings.metrics:
        metrics.install(app)  # /metrics (app/metrics.py)
    install_web(app)  # pages after the API: /api/v1/... is matched first
    install_cycle_pages(app)  # the yearly cycle's pages (app/web/cycle.py)
    document_error_bodies(app)
    openapi.install(app)  # /openapi.json in the reader's language (app/openapi.py)

    return app
