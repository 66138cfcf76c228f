# The registry's image (docs/deploy.md). Two stages: the first installs the locked dependencies
# into a virtual environment (a compiler is there in case a wheel is missing); the second copies
# only that environment and the source onto the slim base, so no compiler ships.
#
# Start:   docker run -v registry-data:/data -p 8000:8000 registry
# Migrate: docker run --rm -v registry-data:/data registry registry migrate   (its own step)
# Seed:    REGISTRY_SEED=gz2024, or `registry seed` by hand — never by default.

FROM python:3.11 AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/registry
WORKDIR /srv/registry
# The versions CI tested (requirements.lock, refreshed with `make lock`), then the project itself.
COPY requirements.lock ./
RUN /opt/registry/bin/pip install -r requirements.lock
COPY pyproject.toml README.md ./
COPY app ./app
COPY migrations ./migrations
COPY seed ./seed
RUN /opt/registry/bin/pip install --no-deps -e . \
    && /opt/registry/bin/python -m compileall -q app migrations

FROM python:3.11-slim AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PATH=/opt/registry/bin:$PATH \
    REGISTRY_HOST=0.0.0.0 REGISTRY_PORT=8000 \
    REGISTRY_DATABASE_URL=sqlite:////data/registry.db \
    PROMETHEUS_MULTIPROC_DIR=/tmp/registry-metrics
COPY --from=build /opt/registry /opt/registry
COPY --from=build /srv/registry /srv/registry
WORKDIR /srv/registry
# A numeric user (Kubernetes' runAsNonRoot can check it) owning only the data volume.
RUN mkdir -p /data && chown 10001:10001 /data
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
# Ready = the database answers (/readyz); python's urllib: the slim image has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/readyz' % os.environ.get('REGISTRY_PORT', '8000'), timeout=4)"]
# Exec form: the server is PID 1 and gets SIGTERM itself; it stops accepting, lets requests in
# flight finish (REGISTRY_TIMEOUT_GRACEFUL_SHUTDOWN, 8 s: inside docker stop's 10 s) and exits.
# It neither migrates nor seeds unless REGISTRY_MIGRATE_ON_START / REGISTRY_SEED say so.
STOPSIGNAL SIGTERM
CMD ["registry", "serve"]
