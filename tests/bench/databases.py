"""The PostgreSQL databases the benchmarks run in, made before Django connects to them."""

from __future__ import annotations


def bench_database_ensure(url: str, *, fresh: bool = False) -> None:
    """Create the database named by a postgres:// URL if missing; with fresh, drop it first."""
    import psycopg

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    server = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server, autocommit=True) as connection:
        if fresh:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
