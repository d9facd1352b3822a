FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ADVOCASE_VAR_DIR=/var/lib/advocase

RUN useradd --create-home --uid 10001 advocase \
    && mkdir -p /var/lib/advocase /app \
    && chown advocase:advocase /var/lib/advocase

WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY --chown=advocase:advocase . .
RUN DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput

USER advocase
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
