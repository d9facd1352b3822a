"""Reading seed YAML: the record reader every seed file goes through, and its errors.

Every error names the file, the record and the field, so a wrong seed file is fixed
without reading the loader.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml


class _SeedYamlLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """libyaml when available (the loader runs on every `make run`); dates stay text, so
    an impossible date is reported with its file, record and field, not as a YAML crash."""


_SeedYamlLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class SeedError(Exception):
    """A seed file is wrong; the message names the file, the record and the field."""


def text_normalise(text: str) -> str:
    """Whitespace-insensitive form, so a quote folded over several YAML lines still matches."""
    return " ".join(text.split())


class Record:
    """One YAML mapping being read; every error it raises names file, record and field."""

    def __init__(self, *, file: str, where: str, data: Any, texts: dict[str, str]):
        self.file = file
        self.where = where
        self.texts = texts
        if not isinstance(data, dict):
            raise self.error(None, f"expected a mapping, got {type(data).__name__}")
        self.data = data
        self.used: set[str] = set()

    def error(self, name: str | None, message: str) -> SeedError:
        field_part = f", field '{name}'" if name else ""
        return SeedError(f"{self.file}: {self.where}{field_part}: {message}")

    def raw(self, name: str, *, required: bool) -> Any:
        self.used.add(name)
        value = self.data.get(name)
        if value is None and required:
            raise self.error(name, "is required")
        return value

    def text(self, name: str, *, required: bool = False, choices=None) -> str:
        value = self.raw(name, required=required)
        if value is None:
            value = ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise self.error(name, f"expected text, got {type(value).__name__}")
        value = value.strip()
        if required and not value:
            raise self.error(name, "must not be empty")
        if choices is not None and value not in choices:
            raise self.error(name, f"{value!r} is not one of {', '.join(sorted(choices))}")
        return value

    def date(self, name: str, *, required: bool = False) -> datetime.date | None:
        value = self.raw(name, required=required)
        if value is None:
            return None
        if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.error(name, f"{value!r} is not a date (YYYY-MM-DD)")

    def integer(self, name: str, *, minimum: int = 0) -> int | None:
        value = self.raw(name, required=False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.error(name, f"{value!r} is not a whole number of at least {minimum}")
        return value

    def boolean(self, name: str) -> bool:
        value = self.raw(name, required=False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.error(name, f"{value!r} is not true or false")
        return value

    def strings(self, name: str, *, choices=None) -> tuple[str, ...]:
        value = self.raw(name, required=False)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self.error(name, "expected a list of text")
        items = tuple(item.strip() for item in value)
        if choices is not None:
            for item in items:
                if item not in choices:
                    raise self.error(name, f"{item!r} is not one of {', '.join(sorted(choices))}")
        return items

    def records(self, name: str, *, label: str) -> list[Record]:
        value = self.raw(name, required=False)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(name, "expected a list")
        return [
            Record(
                file=self.file,
                where=f"{self.where} > {label} {index}",
                data=item,
                texts=self.texts,
            )
            for index, item in enumerate(value, start=1)
        ]

    def finish(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise self.error(unknown[0], "is not a field this file knows (a typo?)")


def yaml_load(directory: Path, name: str) -> Any:
    path = directory / name
    if not path.exists():
        raise SeedError(f"{name}: the file is missing from {directory}")
    try:
        with path.open(encoding="utf-8") as stream:
            return yaml.load(stream, Loader=_SeedYamlLoader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        raise SeedError(f"{name}: not valid YAML: {error}") from error


def record_list(directory: Path, name: str, *, key: str | None = None) -> list[Any]:
    data = yaml_load(directory, name)
    if key is not None:
        if not isinstance(data, dict) or key not in data:
            raise SeedError(f"{name}: expected a mapping with a '{key}' list")
        unknown = sorted(name for name in data if name != key and not str(name).startswith("_"))
        if unknown:
            raise SeedError(f"{name}: top-level key '{unknown[0]}' is not known")
        data = data[key]
    if not isinstance(data, list):
        raise SeedError(f"{name}: expected a list of records")
    return data


class SeedFile:
    """The records of one seed file, each a Record, and the keys seen so far in it."""

    def __init__(
        self,
        *,
        directory: Path,
        name: str,
        texts: dict[str, str],
        key: str | None = None,
        label: str = "record",
    ):
        self.name = name
        self.items = record_list(directory, name, key=key)
        self.texts = texts
        self.label = label
        self.seen: set = set()

    def __iter__(self):
        for index, data in enumerate(self.items, start=1):
            yield Record(file=self.name, where=f"{self.label} {index}", data=data, texts=self.texts)

    def keyed(self, field: str):
        """Each record with its natural key `field`: required, unique in the file, named in
        every error about the record; the record is checked for unknown fields after."""
        for record in self:
            key = record.text(field, required=True)
            record.where += f" ({key})"
            self.unique(record, key, field)
            yield record, key
            record.finish()

    def unique(self, record: Record, key, what: str) -> None:
        unique_check(self.name, self.seen, key, record.where, what)


def unique_check(file: str, seen: set, key, where: str, what: str) -> None:
    if key in seen:
        raise SeedError(f"{file}: {where}: {what} {key!r} appears twice")
    seen.add(key)
