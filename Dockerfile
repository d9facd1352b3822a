FROM python:3.11-slim-bookworm

# STATIC_ROOT lies outside the persistent var volume: the collected files (and whitenoise's
# manifest) belong to the image they were built with, so a rebuild never serves stale ones.
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ADVOCASE_VAR_DIR=/var/lib/advocase \
    STATIC_ROOT=/app/staticfiles

# `manage.py backup` and `restore` run pg_dump and pg_restore: Debian bookworm's client is
# PostgreSQL 15, the server version docker-compose.yml runs (pg_dump refuses a newer server).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 10001 advocase \
    && mkdir -p /var/lib/advocase /app \
    && chown advocase:advocase /var/lib/advocase

WORKDIR /app
# What production runs only: the tools and test runners are in requirements-dev.txt, which
# is not even in the build context.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
# Code and collected static files stay owned by root: the app user can read, not change them.
COPY . .
# A throwaway var dir, so the build leaves nothing (broker folders, keys) in the volume's seed.
RUN DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    ADVOCASE_VAR_DIR=/tmp/build-var \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var

USER advocase
EXPOSE 8000
# Bind, workers (WEB_CONCURRENCY, default 3) and an access log without query strings:
# config/gunicorn.py.
CMD ["gunicorn", "--config", "python:config.gunicorn", "config.wsgi:application"]
