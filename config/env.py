"""A small typed reader of environment variables; settings.py is its only caller."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse


class ImproperlyConfiguredEnvironment(Exception):
    pass


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, *, default: str | None = None, required: bool = False) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfiguredEnvironment(f"The environment variable {name} must be set.")
        return default if default is not None else ""
    return value


def env_bool(name: str, *, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfiguredEnvironment(
        f"The environment variable {name} must be a boolean (true/false), not {value!r}."
    )


def env_int(name: str, *, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfiguredEnvironment(
            f"The environment variable {name} must be a whole number, not {value!r}."
        ) from None


def env_list(name: str, *, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str) -> dict[str, Any]:
    """Turn postgres://user:pass@host:port/name or sqlite:///path into a DATABASES entry."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "sqlite":
        # As elsewhere: sqlite:///relative/path and sqlite:////absolute/path.
        path = unquote(url[len("sqlite:///") :])
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or ":memory:",
            "OPTIONS": {
                # Web, worker and beat share one file: WAL lets readers run beside one
                # writer, IMMEDIATE takes the write lock up front so two writers queue
                # instead of failing with "database is locked" half-way through.
                "transaction_mode": "IMMEDIATE",
                "timeout": 30,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "advocase",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfiguredEnvironment(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {scheme!r}."
    )


def secret_key_from_file(path: Path) -> str:
    """Generate a secret key once for the embedded run and keep it, so sessions survive restarts."""
    if path.exists():
        return path.read_text().strip()
    from django.utils.crypto import get_random_string

    path.parent.mkdir(parents=True, exist_ok=True)
    key = get_random_string(64, "abcdefghijklmnopqrstuvwxyz0123456789!@#%^&*(-_=+)")
    path.write_text(key)
    path.chmod(0o600)
    return key


def storages_from_url(
    url: str, *, access_key: str = "", secret_key: str = ""
) -> dict[str, dict[str, Any]]:
    """The "default" and "uploads" STORAGES entries: with url unset, the local MEDIA_ROOT
    folder; with s3://bucket/prefix?endpoint=https://host:port&region=name, that bucket of an
    S3-compatible store (AWS, MinIO, Ceph, Garage…) through django-storages. The keys come
    from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (empty: boto3's own lookup, e.g. an
    instance role)."""
    # "uploads" rewrites a run's progress under one name; "default" (attachments) never
    # replaces a file, as Django's own storages do not.
    if not url:
        local = "common.storage.AtomicFileSystemStorage"
        return {
            "default": {"BACKEND": local, "OPTIONS": {"allow_overwrite": False}},
            "uploads": {"BACKEND": local},
        }
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.hostname:
        raise ImproperlyConfiguredEnvironment(
            f"STORAGE_URL must look like s3://bucket?endpoint=https://host:9000, not {url!r}."
        )
    query = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
    options: dict[str, Any] = {
        "bucket_name": parsed.netloc.rsplit("@", 1)[-1],
        "location": unquote(parsed.path.strip("/")),
        # Uploads hold names of people at risk: never a public object, never a public URL.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": True,
        "signature_version": "s3v4",
    }
    if query.get("endpoint"):
        options["endpoint_url"] = query["endpoint"]
    if query.get("region"):
        options["region_name"] = query["region"]
    if query.get("addressing") in {"path", "virtual"}:
        options["addressing_style"] = query["addressing"]
    elif query.get("endpoint"):
        # MinIO and most self-hosted stores answer at host/bucket, not bucket.host.
        options["addressing_style"] = "path"
    if access_key or secret_key:
        options["access_key"] = access_key
        options["secret_key"] = secret_key
    backend = "storages.backends.s3.S3Storage"
    return {
        "default": {"BACKEND": backend, "OPTIONS": {**options, "file_overwrite": False}},
        "uploads": {"BACKEND": backend, "OPTIONS": options},
    }
