"""The index of known people: every folded word of their names -> the people, and each
family name -> the people, kept per process until a name changes (name_index_current)."""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    Func,
    Max,
    QuerySet,
    Sum,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from casework.models import Person, PersonAlias
from casework.names import family_near_key, name_checksum, name_parts, name_readings_in_keys


@dataclass
class NameIndex:
    """Known people by the folded words of all their names."""

    names: dict[int, str] = field(default_factory=dict)
    # Every name each person is recorded under, as written: what casework.names scores.
    written: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Each person's names as (given words, family word) in folded form.
    variants: dict[int, list[tuple[tuple[str, ...], str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_word: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_family: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # Family names by their near key (casework.names.keys): the candidates for a spelling
    # of a family name off by a letter or by vowels. Filled by near_keys_fill.
    by_near: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # Folded words that are someone's given name: beside a family name they say whose.
    given_words: set[str] = field(default_factory=set)

    # Each name read by casework.names as (given words, family word), or None when it has no
    # family name; kept so that rebuilding after a change parses only the new names.
    parsed: dict[str, tuple[tuple[str, ...], str] | None] = field(default_factory=dict)

    def add(
        self,
        *,
        person_id: int,
        name: str,
        parsed_before: dict[str, tuple[tuple[str, ...], str] | None] | None = None,
    ) -> None:
        """Add a name by parsing it (a name without a stored reading, or no database)."""
        variant = self.parsed.get(name, _UNPARSED)
        if variant is _UNPARSED:
            variant = (parsed_before or {}).get(name, _UNPARSED)
            if variant is _UNPARSED:
                parts = name_parts(name)
                variant = (parts.given, parts.family) if parts.family else None
            self.parsed[name] = variant
        if variant is None:
            return
        self.written[person_id].append(name)
        self.add_reading(person_id=person_id, given=variant[0], family=variant[1])

    def add_reading(self, *, person_id: int, given: tuple[str, ...], family: str) -> None:
        variant = (given, family)
        if variant in self.variants[person_id]:
            return
        self.variants[person_id].append(variant)
        for word in given:
            self.by_word[word].add(person_id)
        self.by_word[family].add(person_id)
        self.by_family[family].add(person_id)
        self.given_words.update(given)

    def near_keys_fill(self) -> None:
        """Index every family name by its near key, once all names are in."""
        for family, people in self.by_family.items():
            key = family_near_key(family)
            if key:
                self.by_near[key] |= people

    def words_of(self, person_id: int) -> set[str]:
        return {word for given, family in self.variants[person_id] for word in (*given, family)}


_UNPARSED = object()


def name_index_build(
    *, people: QuerySet[Person] | None = None, previous: NameIndex | None = None
) -> NameIndex:
    """Load the people (and their aliases) into an index, in two queries, from the readings
    stored among their match keys; a name whose stored reading is missing or was made for
    another spelling is parsed (names already parsed for `previous` are not parsed again; a
    fresh index all the same: one in use by another thread is never changed)."""
    if people is None:
        people = Person.objects.filter(archived_at__isnull=True)
    with _garbage_collection_paused():
        return _index_build(people=people, previous=previous)


def name_index_from_names(names: dict[int, list[str]]) -> NameIndex:
    """An index of the given people (id -> their names, the first one shown), without the
    database: for labelled test sets and benchmarks."""
    index = NameIndex()
    for person_id, written in names.items():
        index.names[person_id] = written[0]
        for name in written:
            index.add(person_id=person_id, name=name)
    index.near_keys_fill()
    return index


@contextmanager
def _garbage_collection_paused():
    """Hundreds of thousands of new sets and tuples would set off the cyclic garbage
    collector again and again, each time walking everything allocated so far: that was a
    third of the build (measured in bench_names). The index holds no cycles to collect."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _index_build(*, people: QuerySet[Person], previous: NameIndex | None) -> NameIndex:
    parsed_before = previous.parsed if previous is not None else None
    index = NameIndex()
    rows = people.values_list("pk", "full_name", "native_name", "match_keys")
    for person_id, full_name, native_name, keys in rows:
        index.names[person_id] = full_name
        _add_names(index, person_id, (full_name, native_name), keys, parsed_before)
    aliases = PersonAlias.objects.filter(person_id__in=people.values("pk")).values_list(
        "person_id", "name", "match_keys"
    )
    for person_id, alias, keys in aliases:
        if person_id in index.names:
            _add_names(index, person_id, (alias,), keys, parsed_before)
    index.near_keys_fill()
    return index


def _add_names(
    index: NameIndex,
    person_id: int,
    names: tuple[str, ...],
    keys: str,
    parsed_before: dict | None,
) -> None:
    """A row's names, by the readings stored in its keys that were made for these very
    spellings; any other name (keys written before readings were, or a rename by a bare
    UPDATE that left the keys behind) is parsed."""
    checksums = {name_checksum(name): name for name in names if name}
    for given, family, checksum in name_readings_in_keys(keys):
        name = checksums.pop(checksum, None)
        if name is not None:
            index.written[person_id].append(name)
            index.add_reading(person_id=person_id, given=given, family=family)
    for name in checksums.values():
        index.add(person_id=person_id, name=name, parsed_before=parsed_before)


# The index of all people, built at most once per process for each state of the names:
# building it reads every name's stored reading (under a second for 100,000 people, and
# again after a change), scanning a text with it takes milliseconds.
_current_index: tuple[tuple, NameIndex] | None = None
_current_index_lock = threading.Lock()
# Bumped whenever this process saves or deletes a person or an alias, at once and again when
# the transaction commits (a thread building the index in between saw the old names).
_names_generation = 0


def _names_changed() -> None:
    global _names_generation
    _names_generation += 1


@receiver(post_save, sender=Person, dispatch_uid="detection_person_saved")
@receiver(post_delete, sender=Person, dispatch_uid="detection_person_deleted")
@receiver(post_save, sender=PersonAlias, dispatch_uid="detection_alias_saved")
@receiver(post_delete, sender=PersonAlias, dispatch_uid="detection_alias_deleted")
def _forget_index_on_name_change(sender, **kwargs) -> None:
    _names_changed()
    transaction.on_commit(_names_changed)


def _names_fingerprint() -> tuple:
    """A value that changes whenever a name the index holds changes, in any process and by
    any path (forms, imports' bulk inserts, QuerySet.update).

    On PostgreSQL it is a checksum over the names themselves (one pass over the people,
    tens of milliseconds for 100,000). Elsewhere it is the counts, highest ids and latest
    changes, which with this process's own saves (_names_generation) miss only another
    process renaming someone without touching updated_at. The latest updated_at alone would
    not do even there: a transaction that commits late can carry an older timestamp.
    """
    people = Person.objects.filter(archived_at__isnull=True)
    aliases = PersonAlias.objects.all()
    if connection.vendor == "postgresql":
        return (
            _names_generation,
            tuple(
                people.aggregate(
                    count=Count("pk"), sum=_checksum("pk", "full_name", "native_name")
                ).values()
            ),
            tuple(
                aliases.aggregate(count=Count("pk"), sum=_checksum("person_id", "name")).values()
            ),
        )
    summary = {"count": Count("pk"), "last": Max("pk"), "changed": Max("updated_at")}
    return (
        _names_generation,
        tuple(people.aggregate(**summary).values()),
        tuple(aliases.aggregate(**summary).values()),
    )


def _checksum(*columns: str) -> Sum:
    """PostgreSQL: the sum of a 64-bit hash of each row's columns (joined with the unit
    separator, so ("Ab", "c") and ("A", "bc") differ)."""
    joined = Func(
        Value("\x1f"),
        *(Cast(column, output_field=TextField()) for column in columns),
        function="concat_ws",
        output_field=TextField(),
    )
    hashed = Func(joined, Value(0), function="hashtextextended", output_field=BigIntegerField())
    return Sum(hashed, default=0, output_field=DecimalField())


def name_index_current() -> NameIndex:
    """The index of all people not archived, rebuilt only when a name has changed since it
    was built (two small queries to find out)."""
    global _current_index
    fingerprint = _names_fingerprint()
    cached = _current_index
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _current_index_lock:
        cached = _current_index
        if cached is not None and cached[0] == fingerprint:
            return cached[1]  # another thread built it meanwhile
        index = name_index_build(previous=cached[1] if cached is not None else None)
        _current_index = (fingerprint, index)
        return index


def name_index_forget() -> None:
    """Drop the cached index (tests, and after restoring a database under a running process)."""
    global _current_index
    _current_index = None
