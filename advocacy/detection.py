"""Finding the known people a document names, in English or Russian text.

The people are loaded into an in-memory index (folded word -> people, folded family
name -> people), kept per process until a name changes (name_index_current); the text's
words are then scanned once. Each written word is read through
casework.names, so "Жумагуловым", "Zhumagulov" and "Jumagulov" all reach the same entry.

A person is detected when consecutive capitalised words of the text are words of one of
their names and include the family name plus a given name or an initial ("Almat
Zhumagulov", "Zhumagulov Almat", "A. Zhumagulov", "Алмата Жумагулова"). A family name
alone ("Mr Zhumagulov", "Жумагулову") is taken only when the same document names exactly
one person of that family name in full, or when exactly one known person has it — so the
father and the son of the Agadil family are never confused.
"""

from __future__ import annotations

import bisect
import gc
import re
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
from casework.names import (
    TITLES,
    initials_compatible,
    name_parts,
    normalise_name,
    word_forms,
)


@dataclass(frozen=True)
class DetectedName:
    person_id: int
    name: str
    matched_text: str
    start: int
    end: int
    sentence: str


@dataclass
class NameIndex:
    """Known people by the folded words of all their names."""

    names: dict[int, str] = field(default_factory=dict)
    # Each person's names as (given words, family word) in folded form.
    variants: dict[int, list[tuple[tuple[str, ...], str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_word: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_family: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))

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
        variant = self.parsed.get(name, _UNPARSED)
        if variant is _UNPARSED:
            variant = (parsed_before or {}).get(name, _UNPARSED)
            if variant is _UNPARSED:
                parts = name_parts(name)
                variant = (parts.given, parts.family) if parts.family else None
            self.parsed[name] = variant
        if variant is None:
            return
        if variant in self.variants[person_id]:
            return
        self.variants[person_id].append(variant)
        given, family = variant
        for word in (*given, family):
            self.by_word[word].add(person_id)
        self.by_family[family].add(person_id)


_UNPARSED = object()


def name_index_build(
    *, people: QuerySet[Person] | None = None, previous: NameIndex | None = None
) -> NameIndex:
    """Load the people (and their aliases) into an index, in two queries. Names already
    read for `previous` are not read again (a fresh index all the same: one in use by
    another thread is never changed)."""
    if people is None:
        people = Person.objects.filter(archived_at__isnull=True)
    with _garbage_collection_paused():
        return _index_build(people=people, previous=previous)


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
    for person_id, full_name, native_name in people.values_list("pk", "full_name", "native_name"):
        index.names[person_id] = full_name
        index.add(person_id=person_id, name=full_name, parsed_before=parsed_before)
        if native_name:
            index.add(person_id=person_id, name=native_name, parsed_before=parsed_before)
    aliases = PersonAlias.objects.filter(person_id__in=people.values("pk")).values_list(
        "person_id", "name"
    )
    for person_id, alias in aliases:
        if person_id in index.names:
            index.add(person_id=person_id, name=alias, parsed_before=parsed_before)
    return index


# The index of all people, built at most once per process for each state of the names:
# building it reads and parses every name (seconds for 100,000 people), rebuilding it after
# a change parses only the changed names (a fraction of a second), scanning a text with it
# takes milliseconds.
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


@dataclass
class _Word:
    start: int
    end: int
    forms: tuple[str, ...] = ()
    initial: str = ""
    title: bool = False
    # A capitalised word that is no known name ("Aset" when only Kenzhebek Abishev is known).
    foreign: bool = False


_WORD = re.compile(r"[^\W\d_]+")
_LINE_BREAK_HYPHEN = re.compile(r"[-\u00ad][ \t]*\r?\n\s*")
# Capitalised words that start sentences and never stand for a given name.
_CAPITALISED_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "by",
        "with",
        "from",
        "as",
        "that",
        "this",
        "these",
        "those",
        "it",
        "he",
        "she",
        "his",
        "her",
        "their",
        "they",
        "we",
        "our",
        "its",
        "mr",
        "mrs",
        "ms",
        "dr",
        "whereas",
        "calls",
        "recalls",
        "notes",
        "urges",
        "considers",
        "i",
        "v",
        "na",
        "po",
        "s",
        "k",
        "o",
        "ob",
        "ot",
        "do",
        "za",
        "ne",
        "i",
        "a",
        "no",
    ]
)
_INITIAL_DIGRAPHS = frozenset({"zh", "kh", "sh", "ch", "ts", "yu", "ya", "ye", "dzh"})


def _read_word(text: str, start: int, end: int, written: str, index: NameIndex) -> _Word | None:
    """A capitalised word that may be part of a name, or None."""
    if not written[0].isupper():
        return None
    followed_by_dot = text[end : end + 1] == "."
    normalised = normalise_name(written)
    if followed_by_dot and normalised in TITLES:
        return _Word(start, end, title=True)
    if normalised in {"mr", "mrs", "ms", "dr"}:
        return _Word(start, end, title=True)
    if followed_by_dot and (len(written) == 1 or normalised in _INITIAL_DIGRAPHS):
        forms = word_forms(written)
        return _Word(start, end, initial=forms[0][0]) if forms else None
    if len(written) == 1:
        return None  # "I", "A", Russian "В": words, not initials, without a dot
    forms = tuple(form for form in word_forms(written) if form in index.by_word)
    if not forms:
        if normalised in _CAPITALISED_FUNCTION_WORDS:
            return None
        return _Word(start, end, foreign=True)
    return _Word(start, end, forms=forms)


def _written_words(text: str, index: NameIndex) -> list[tuple[int, int, str]]:
    """(start, end, word) for every word; a word hyphenated across a line break
    ("Zheksebay-\nev") is one word when the joined spelling is a known name."""
    words: list[tuple[int, int, str]] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if words and _LINE_BREAK_HYPHEN.fullmatch(text[words[-1][1] : start]):
            joined = words[-1][2] + match.group(0)
            if any(form in index.by_word for form in word_forms(joined)):
                words[-1] = (words[-1][0], end, joined)
                continue
        words.append((start, end, match.group(0)))
    return words


def _runs(text: str, index: NameIndex) -> list[list[_Word]]:
    """Consecutive name-like words separated only by spaces or line breaks (an initial or a
    title may carry its dot)."""
    runs: list[list[_Word]] = []
    current: list[_Word] = []
    for start, end, written in _written_words(text, index):
        word = _read_word(text, start, end, written, index)
        if word is None:
            if current:
                runs.append(current)
            current = []
        elif current and _continues(text[current[-1].end : word.start], current[-1]):
            current.append(word)
        else:
            if current:
                runs.append(current)
            current = [word]
    if current:
        runs.append(current)
    return runs


def _continues(gap: str, previous: _Word) -> bool:
    if not gap.strip():
        return True
    if previous.initial or previous.title:
        return gap.strip() == "."
    return gap.strip() == "-"


def _extend(
    run: list[_Word], start: int, variant: tuple[tuple[str, ...], str]
) -> tuple[int, int, bool]:
    """How far from `start` the run spells this name: (end, full words, family matched)."""
    given, family = variant
    unused = [*given, family]
    full_words = 0
    family_matched = False
    initials = 0
    position = start
    while position < len(run):
        word = run[position]
        if word.title or word.foreign:
            break
        if word.initial:
            match = next(
                (w for w in unused if w != family and initials_compatible(word.initial, w)), None
            )
            if match is None:
                break
            unused.remove(match)
            initials += 1
        else:
            match = next((w for w in unused if w in word.forms), None)
            if match is None:
                break
            unused.remove(match)
            full_words += 1
            family_matched = family_matched or match == family
        position += 1
    named = full_words >= 2 or (family_matched and initials > 0)
    return (position if named else start), full_words, family_matched


_SENTENCE_END = re.compile(r"[.!?…]+[\"'”»)\]]*\s+|\n[ \t]*\n")
_NOT_SENTENCE_END = re.compile(r"(?:^|\s)(?:[A-ZА-ЯЁ]|Mr|Mrs|Ms|Dr|St|No|Art|art|Nos|vs)\.\s+$")


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 4) : match.end()]
        if _NOT_SENTENCE_END.search(before):
            continue
        starts.append(match.end())
    return starts


def _sentence_around(text: str, starts: list[int], offset: int) -> str:
    position = bisect.bisect_right(starts, offset) - 1
    end = starts[position + 1] if position + 1 < len(starts) else len(text)
    return " ".join(text[starts[position] : end].split())


def _people_of(word: _Word, table: dict[str, set[int]]) -> set[int]:
    if len(word.forms) == 1:
        return table.get(word.forms[0], set())
    people: set[int] = set()
    for form in word.forms:
        people |= table.get(form, set())
    return people


def _candidates(run: list[_Word], position: int, index: NameIndex) -> set[int]:
    """People a name starting at `position` may belong to: those holding two of the nearby
    words, or a family name beside an initial. Intersecting first keeps this cheap when a
    given name such as Almat belongs to thousands of people."""
    window: list[_Word] = []
    for word in run[position : position + 4]:
        if word.title or word.foreign:
            break
        window.append(word)
    full_words = [word for word in window if not word.initial]
    anchors = full_words if window[0].initial else window[:1]
    candidates: set[int] = set()
    for anchor in anchors:
        anchor_people = _people_of(anchor, index.by_word)
        for other in full_words:
            if other is not anchor:
                candidates |= anchor_people & _people_of(other, index.by_word)
    if any(word.initial for word in window):
        for anchor in anchors:
            candidates |= _people_of(anchor, index.by_family)
    return candidates


def name_index_find(*, index: NameIndex, text: str) -> list[DetectedName]:
    """Every mention of a known person in the text, in the order of the text."""
    full: list[tuple[int, int, int]] = []  # (person id, start, end)
    family_only: list[tuple[set[int], int, int]] = []
    for run in _runs(text, index):
        position = 0
        while position < len(run):
            word = run[position]
            if word.title or word.foreign:
                position += 1
                continue
            candidates = _candidates(run, position, index)
            best_end, best_people = position, []
            best_words = 0
            for person_id in candidates:
                for variant in index.variants[person_id]:
                    end, words, _ = _extend(run, position, variant)
                    if end <= position:
                        continue
                    if (end, words) > (best_end, best_words):
                        best_end, best_words, best_people = end, words, [person_id]
                    elif (end, words) == (best_end, best_words) and person_id not in best_people:
                        best_people.append(person_id)
            if best_people:
                for person_id in best_people:
                    full.append((person_id, word.start, run[best_end - 1].end))
                position = best_end
                continue
            beside_unknown_name = any(
                0 <= nearby < len(run) and run[nearby].foreign
                for nearby in (position - 1, position + 1)
            )
            if not word.initial and not beside_unknown_name:
                family_of = set()
                for form in word.forms:
                    family_of |= index.by_family.get(form, set())
                if family_of:
                    family_only.append((family_of, word.start, word.end))
            position += 1
    named_in_full = {person_id for person_id, _, _ in full}
    found = list(full)
    for people, start, end in family_only:
        in_document = people & named_in_full
        if len(in_document) == 1:
            found.append((next(iter(in_document)), start, end))
        elif not in_document and len(people) == 1:
            found.append((next(iter(people)), start, end))
    starts = _sentence_starts(text)
    return [
        DetectedName(
            person_id=person_id,
            name=index.names.get(person_id, ""),
            matched_text=text[start:end],
            start=start,
            end=end,
            sentence=_sentence_around(text, starts, start),
        )
        for person_id, start, end in sorted(found, key=lambda item: (item[1], item[0]))
    ]


def document_text_find_people(
    *, text: str, people: QuerySet[Person] | None = None
) -> list[DetectedName]:
    """Every known person (of `people`, default: all not archived) the text names."""
    index = name_index_current() if people is None else name_index_build(people=people)
    return name_index_find(index=index, text=text)
