"""Fail fast, with a message, when the PostgreSQL, Redis or object storage that the
environment names is unreachable; create the storage's bucket on its first start."""

from __future__ import annotations

import os
import sys


def main() -> int:
    problems = []
    database_url = os.environ.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        try:
            with psycopg.connect(
                database_url.rsplit("/", 1)[0] + "/postgres", connect_timeout=5
            ) as connection:
                connection.execute("SELECT 1")
        except Exception as error:
            problems.append(f"PostgreSQL at {database_url} is unreachable: {error}")
    redis_url = os.environ.get("REDIS_URL", "")
    if redis_url:
        import redis

        try:
            redis.Redis.from_url(redis_url, socket_connect_timeout=5).ping()
        except Exception as error:
            problems.append(f"Redis at {redis_url} is unreachable: {error}")
    storage_url = os.environ.get("STORAGE_URL", "")
    if storage_url:
        from common.storage import bucket_ensure
        from config.env import storages_from_url

        options = storages_from_url(
            storage_url,
            access_key=os.environ.get("AWS_ACCESS_KEY_ID", ""),
            secret_key=os.environ.get("AWS_SECRET_ACCESS_KEY", ""),
        )["uploads"]["OPTIONS"]
        try:
            if bucket_ensure(options):
                print(f"Created the bucket {options['bucket_name']}.")
        except Exception as error:
            problems.append(f"The object storage at {storage_url} is unreachable: {error}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
