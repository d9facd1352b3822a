"""The index of known people: every folded word of their names -> the people, and each
family name -> the people, kept per process until a name changes (name_index_current)."""

from __future__ import annotations

import gc
import hashlib
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    Func,
    Max,
    Q,
    QuerySet,
    TextField,
    Value,
)
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from casework.models import Person, PersonAlias
from casework.models.people import keys_hold_readings_of
from casework.names import READING_PREFIX, READING_WORDS, family_near_key, name_parts

if TYPE_CHECKING:
    from django.contrib.postgres.aggregates import BitXor


# (given words, family name) of one name, folded.
Reading = tuple[tuple[str, ...], str]


@dataclass
class NameIndex:
    """Known people by the folded words of all their names.

    What is looked up on every word of a text is built at once: the people by word, by
    family name, by a family name's near key, and the given words. What is read only for a
    candidate (their names as written, their readings) is kept as the rows were read and
    worked out when first asked for, so that building for 100,000 people costs one pass.

    Names go in (add, and the build's own loop) by given word and by family name only;
    `complete` then makes the rest, once, from those two."""

    names: dict[int, str] = field(default_factory=dict)
    by_given: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_family: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    # Filled by complete: the people by any word of their names (given or family; a set of
    # by_given or by_family itself where only one of them has the word), family names by
    # their near key (casework.names.keys: the candidates for a spelling of a family name
    # off by a letter or by vowels), and the words that are someone's given name (beside a
    # family name they say whose).
    by_word: dict[str, set[int]] = field(default_factory=dict)
    by_near: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    given_words: set[str] = field(default_factory=set)
    # What the rows said, kept as read: native names and stored keys by person (dictionaries
    # of strings, which the garbage collector never has to walk), and each alias with its
    # keys. `names` holds the primary names.
    native_names: dict[int, str] = field(default_factory=dict)
    keys: dict[int, str] = field(default_factory=dict)
    aliases: dict[int, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    # Names the keys had no reading for (parsed at the build), and their readings.
    parsed_names: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    parsed_readings: dict[int, list[Reading]] = field(default_factory=lambda: defaultdict(list))

    # Each name read by casework.names, or None when it has no family name; kept so that
    # rebuilding after a change parses only the new names.
    parsed: dict[str, Reading | None] = field(default_factory=dict)
    # readings_of, remembered: a person is a candidate for many words of a text.
    _readings: dict[int, list[Reading]] = field(default_factory=dict)

    def add(
        self,
        *,
        person_id: int,
        name: str,
        parsed_before: dict[str, Reading | None] | None = None,
    ) -> None:
        """Add a name by parsing it (a name without a stored reading, or no database)."""
        reading = self.parsed.get(name, _UNPARSED)
        if reading is _UNPARSED:
            reading = (parsed_before or {}).get(name, _UNPARSED)
            if reading is _UNPARSED:
                parts = name_parts(name)
                reading = (parts.given, parts.family) if parts.family else None
            self.parsed[name] = reading
        if reading is None:
            return
        self.parsed_names[person_id].append(name)
        self.parsed_readings[person_id].append(reading)
        self._index_reading(person_id, reading)

    def _index_reading(self, person_id: int, reading: Reading) -> None:
        given, family = reading
        for word in given:
            self.by_given[word].add(person_id)
        self.by_family[family].add(person_id)

    def complete(self) -> None:
        """Once all names are in: the people by any word, the given words, and every family
        name by its near key. (Filling by_word and given_words as each name went in was
        a third of the build's own work at 100,000 people.)"""
        by_word = dict(self.by_family)
        for word, people in self.by_given.items():
            family_of = by_word.get(word)
            by_word[word] = people if family_of is None else people | family_of
        self.by_word = by_word
        self.given_words = set(self.by_given)
        for family, people in self.by_family.items():
            key = family_near_key(family)
            if key:
                self.by_near[key] |= people

    def written_of(self, person_id: int) -> list[str]:
        """Every name the person is recorded under, as written: what casework.names scores."""
        written = list(self.parsed_names.get(person_id, ()))
        if person_id in self.keys:
            written.append(self.names[person_id])
            if self.native_names.get(person_id):
                written.append(self.native_names[person_id])
        written += [alias for alias, _ in self.aliases.get(person_id, ())]
        return written

    def readings_of(self, person_id: int) -> list[Reading]:
        """The (given words, family name) of each of the person's names."""
        readings = self._readings.get(person_id)
        if readings is None:
            readings = self._readings[person_id] = self._readings_read(person_id)
        return readings

    def _readings_read(self, person_id: int) -> list[Reading]:
        readings = list(self.parsed_readings.get(person_id, ()))
        stored = [self.keys.get(person_id, "")]
        stored += [keys for _, keys in self.aliases.get(person_id, ())]
        for keys in stored:
            for given, family in READING_WORDS.findall(keys):
                reading = (tuple(given.split(".")) if given else (), family)
                if reading not in readings:
                    readings.append(reading)
        return readings

    def words_of(self, person_id: int) -> set[str]:
        return {word for given, family in self.readings_of(person_id) for word in (*given, family)}


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
        return _frozen_if_large(_index_build(people=people, previous=previous))


def name_index_from_names(names: dict[int, list[str]]) -> NameIndex:
    """An index of the given people (id -> their names, the first one shown), without the
    database: for labelled test sets and benchmarks."""
    index = NameIndex()
    for person_id, written in names.items():
        index.names[person_id] = written[0]
        for name in written:
            index.add(person_id=person_id, name=name)
    index.complete()
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


# From this many people on, a built index is frozen out of the garbage collector's walks
# (gc.freeze: whatever the process holds then is never walked again; reference counting
# still frees an index that is replaced). Otherwise the first scan after a build paid for
# walking it: the first detection in a process took over a second at 100,000 people.
# Small indexes (and test runs) are left to the collector.
_FREEZE_FROM_PEOPLE = 10_000


def _frozen_if_large(index: NameIndex) -> NameIndex:
    if len(index.names) >= _FREEZE_FROM_PEOPLE:
        gc.freeze()
    return index


def _fresh(*names: str) -> Q:
    """The row's keys hold a reading made for each of these names as they are now (a bare
    UPDATE of a name leaves the keys behind). PostgreSQL keeps the answer in a stored
    generated column on every write; elsewhere it is worked out here, one MD5 per name."""
    if connection.vendor == "postgresql":
        return Q(readings_current=True)
    return keys_hold_readings_of(*names)


def _index_build(*, people: QuerySet[Person], previous: NameIndex | None) -> NameIndex:
    index = NameIndex()
    unread: list[tuple[int, str]] = []
    rows = people.annotate(
        fresh=ExpressionWrapper(_fresh("full_name", "native_name"), output_field=BooleanField())
    ).values_list("pk", "full_name", "native_name", "match_keys", "fresh")
    # No order: Person's default ordering by name would make PostgreSQL walk the name
    # index and fetch every row by it (measured: over a second for 100,000 people).
    rows = rows.order_by()
    findall = READING_WORDS.findall
    by_given, by_family = index.by_given, index.by_family
    for person_id, full_name, native_name, keys, fresh in rows.iterator(chunk_size=20_000):
        index.names[person_id] = full_name
        if not fresh:
            unread += [(person_id, name) for name in (full_name, native_name) if name]
            continue
        # The loop a build spends its time in: no call per word. What follows the last
        # reading among the keys (words, pairs: most of them) is not searched.
        last = keys.rfind(READING_PREFIX)
        end = keys.find(" ", last) if last >= 0 else 0
        keys = keys[:end] if end >= 0 else keys
        index.keys[person_id] = keys
        if native_name:
            index.native_names[person_id] = native_name
        for given, family in findall(keys):
            if given:
                for word in given.split("."):
                    by_given[word].add(person_id)
            by_family[family].add(person_id)
    aliases = (
        PersonAlias.objects.filter(person_id__in=people.values("pk"))
        .annotate(fresh=ExpressionWrapper(_fresh("name"), output_field=BooleanField()))
        .values_list("person_id", "name", "match_keys", "fresh")
        .order_by()
    )
    for person_id, alias, keys, fresh in aliases:
        if person_id not in index.names:
            continue
        if not fresh:
            unread.append((person_id, alias))
            continue
        index.aliases[person_id].append((alias, keys))
        for given, family in findall(keys):
            index._index_reading(person_id, (tuple(given.split(".")) if given else (), family))
    parsed_before = previous.parsed if previous is not None else None
    for person_id, name in unread:
        index.add(person_id=person_id, name=name, parsed_before=parsed_before)
    index.complete()
    return index


# The index of all people, built at most once per process for each state of the names:
# building it reads every name's stored reading (under a second for 100,000 people, and
# again after a change), scanning a text with it takes milliseconds.
_current_index: tuple[tuple, NameIndex] | None = None
_current_index_lock = threading.Lock()
# Bumped whenever this process saves or deletes a person or an alias, at once and again when
# the transaction commits (a thread building the index in between saw the old names).
_names_generation = 0
# With Redis configured, the same count is kept there too (the shared cache), so a save in
# any process on any machine makes every other process rebuild its copy: the index itself
# stays in each process's memory, but only ever as a copy checked against shared state.
SHARED_GENERATION_KEY = "detection:names-generation"


def _names_changed() -> None:
    global _names_generation
    _names_generation += 1


def _names_changed_everywhere() -> None:
    _names_changed()
    if settings.REDIS_URL:
        try:
            cache.incr(SHARED_GENERATION_KEY)
        except ValueError:  # the first change since Redis was emptied
            cache.add(SHARED_GENERATION_KEY, 1, timeout=None)


def _shared_generation() -> int:
    return int(cache.get(SHARED_GENERATION_KEY, 0)) if settings.REDIS_URL else 0


@receiver(post_save, sender=Person, dispatch_uid="detection_person_saved")
@receiver(post_delete, sender=Person, dispatch_uid="detection_person_deleted")
@receiver(post_save, sender=PersonAlias, dispatch_uid="detection_alias_saved")
@receiver(post_delete, sender=PersonAlias, dispatch_uid="detection_alias_deleted")
def _forget_index_on_name_change(sender, **kwargs) -> None:
    _names_changed()
    transaction.on_commit(_names_changed_everywhere)


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
            _shared_generation(),
            tuple(
                people.aggregate(
                    count=Count("pk"), sum=_checksum("full_name", "native_name")
                ).values()
            ),
            tuple(
                aliases.aggregate(count=Count("pk"), sum=_checksum("person_id", "name")).values()
            ),
        )
    summary = {"count": Count("pk"), "last": Max("pk"), "changed": Max("updated_at")}
    return (
        _names_generation,
        _shared_generation(),
        tuple(people.aggregate(**summary).values()),
        tuple(aliases.aggregate(**summary).values()),
    )


def _checksum(*columns: str) -> BitXor:
    """PostgreSQL: the exclusive or of a 64-bit hash of each row's columns, seeded with the
    row's id (the columns joined with the unit separator, so ("Ab", "c") and ("A", "bc")
    differ). A bigint aggregate: summed as numeric, the check every detection makes took a
    quarter longer (median 53.7 -> 39.4 ms at 100,000 people, bench_names' database)."""
    joined = Func(
        Value("\x1f"),
        *(Cast(column, output_field=TextField()) for column in columns),
        function="concat_ws",
        output_field=TextField(),
    )
    hashed = Func(joined, F("pk"), function="hashtextextended", output_field=BigIntegerField())
    # Imported here: django.contrib.postgres loads psycopg (0.14 s of CPU), which a process
    # on SQLite (the tests' workers and commands) otherwise imports for this name alone.
    from django.contrib.postgres.aggregates import BitXor

    return BitXor(hashed, default=0)


def name_index_current() -> NameIndex:
    """The index of all people not archived, rebuilt only when a name has changed since it
    was built (two small queries to find out). With Redis configured, a process that finds
    its copy stale first looks for the index of the same names in the shared cache (built
    by another process, on any machine), and builds it from the database only when it is
    not there, then leaves it there for the others."""
    global _current_index
    fingerprint = _names_fingerprint()
    cached = _current_index
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _current_index_lock:
        cached = _current_index
        if cached is not None and cached[0] == fingerprint:
            return cached[1]  # another thread built it meanwhile
        index = _shared_index_get(fingerprint)
        if index is None:
            index = name_index_build(previous=cached[1] if cached is not None else None)
            _shared_index_put(fingerprint, index)
        _current_index = (fingerprint, index)
        return index


# The built index in the shared cache, under the state of the names it was built from
# (the fingerprint less this process's own counter). Its format's version is part of the
# key, and it expires: a data migration rewriting the stored readings changes no name.
SHARED_INDEX_KEY = "detection:names-index:v2:{}"
SHARED_INDEX_SECONDS = 6 * 60 * 60


def _shared_index_key(fingerprint: tuple) -> str:
    shared_state = repr(fingerprint[1:]).encode()
    return SHARED_INDEX_KEY.format(hashlib.sha256(shared_state).hexdigest()[:32])


def _shared_index_get(fingerprint: tuple) -> NameIndex | None:
    """The index another process built for the same names, or None (no Redis, not there,
    or unreadable: then this process builds it)."""
    if not settings.REDIS_URL:
        return None
    with _garbage_collection_paused():
        try:
            index = cache.get(_shared_index_key(fingerprint))
        except Exception:  # an unreadable entry (another version of the code) costs a build
            return None
        return _frozen_if_large(index) if isinstance(index, NameIndex) else None


def _shared_index_put(fingerprint: tuple, index: NameIndex) -> None:
    if not settings.REDIS_URL:
        return
    try:
        cache.set(_shared_index_key(fingerprint), index, timeout=SHARED_INDEX_SECONDS)
    except Exception:  # a value the cache refuses only costs the next process a build
        return


def name_index_forget() -> None:
    """Drop the cached index (tests, and after restoring a database under a running process)."""
    global _current_index
    _current_index = None
