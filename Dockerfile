FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    REGISTRY_HOST=0.0.0.0 REGISTRY_DATABASE_URL=sqlite:////data/registry.db
WORKDIR /srv/registry
COPY pyproject.toml README.md requirements.lock ./
COPY app ./app
COPY migrations ./migrations
COPY seed ./seed
# The versions CI tested (requirements.lock, refreshed with `make lock`), then the project itself.
RUN pip install --no-cache-dir -r requirements.lock && pip install --no-cache-dir --no-deps -e . \
    && mkdir -p /data && useradd --system registry && chown registry /data
USER registry
EXPOSE 8000
CMD ["sh", "-c", "registry migrate && registry seed && registry serve"]
