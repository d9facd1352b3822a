"""Finding the known people a document names, in English or Russian text.

The people are loaded into an in-memory index (folded word -> people, folded family
name -> people), kept per process until a name changes (name_index_current); the text's
words are then scanned once. Each written word is read through casework.names, so
"Жумагуловым", "Zhumagulov" and "Jumagulov" all reach the same entry.

The index only proposes candidates; casework.names decides. A run of capitalised words
("Almat Zhumagulov", "Zhumagulov A.", "Алмата Сериковича Жумагулова", "Abishev,
Kenzhebek", "Rosa Tuletaeva") names a person when name_match_score_best of the run, read
in the nominative, against the person's recorded names reaches NAME_MATCH_THRESHOLD: the
measured score and threshold, so detection is exactly as good as the names module and
relatives are told apart the same way ("D. Agadil" is Dulat, never Zhanbolat).

A family name alone ("Mr Zhumagulov", "Жумагулову") is that person's name key; it is taken
only when the same document names exactly one person of that family name in full, or
when exactly one known person has it, and never beside a given name or initial that is
not this person's ("Aset Zhumagulov" is not Almat Zhumagulov, known Aset or not). Common
words that start sentences or name an occupation ("Later", "Адвокат", "Перед") are not
names and do not stand in the way.
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
    NAME_MATCH_THRESHOLD,
    TITLES,
    name_match_score_best,
    name_parts,
    normalise_name,
    russian_case_stems,
    word_forms,
    word_readings,
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
    # Every name each person is recorded under, as written: what casework.names scores.
    written: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    # Each person's names as (given words, family word) in folded form.
    variants: dict[int, list[tuple[tuple[str, ...], str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    by_word: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    by_family: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
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
        if variant in self.variants[person_id]:
            return
        self.variants[person_id].append(variant)
        given, family = variant
        for word in (*given, family):
            self.by_word[word].add(person_id)
        self.by_family[family].add(person_id)
        self.given_words.update(given)

    def words_of(self, person_id: int) -> set[str]:
        return {word for given, family in self.variants[person_id] for word in (*given, family)}


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


def name_index_from_names(names: dict[int, list[str]]) -> NameIndex:
    """An index of the given people (id -> their names, the first one shown), without the
    database: for labelled test sets and benchmarks."""
    index = NameIndex()
    for person_id, written in names.items():
        index.names[person_id] = written[0]
        for name in written:
            index.add(person_id=person_id, name=name)
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


_NAME, _INITIAL, _TITLE, _OTHER = "name", "initial", "title", "other"


@dataclass
class _Token:
    """A capitalised word of the text that may be part of a name."""

    start: int
    # End of what the token covers in the text: an initial's or a title's dot included.
    end: int
    written: str
    kind: str
    # For a name word: (folded form, nominative as written) of each reading the index knows.
    readings: tuple[tuple[str, str], ...] = ()
    # How it joins the token before it in a run: " " (spaces, one line break), "," or "-".
    gap: str = " "

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(form for form, _ in self.readings)


# A word, with the apostrophes some transliterations write for the soft sign (Natal'ya),
# but not an English possessive (Ablyazov's).
_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ](?!s\b)[^\W\d_]+)*")
_LINE_BREAK_HYPHEN = re.compile(r"[-\u00ad][ \t]*\r?\n\s*")
_SPACE_GAP = re.compile(r"[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?")
_COMMA_GAP = re.compile(r"[ \t\u00a0]*,[ \t\u00a0]*(?:\r?\n[ \t\u00a0]*)?")
_HYPHEN_GAP = re.compile(r"[ \t]*[-\u2010\u2011][ \t]*")
_KAZAKH_PARTICLE_SPELLINGS = frozenset({"uly", "uli", "kyzy", "kizi", "ogly", "gyzy"})
_TITLE_WORDS = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "madam", "mme", "messrs"})
_INITIAL_DIGRAPHS = frozenset(
    {"zh", "kh", "sh", "ch", "ts", "tz", "yu", "iu", "ya", "ia", "ye", "yo", "dzh", "dj", "shch"}
)
# Capitalised words that are never a name: they start sentences, or name an occupation or
# a relation before a name ("Later Zhumagulov", "Адвокат Жумагулова", "Перед Жумагуловым").
# Russian words are matched through their case stems (Адвокату, Журналистки, Заключённого).
_NOT_NAMES_TEXT = """
    the a an and or but nor of in on at to for by with from as into onto upon that this
    these those it he she his her hers their theirs they them we our ours its us you your
    i my me who whom whose which what when where while why how whereas having calls
    recalls notes urges considers welcomes condemns regrets stresses underlines reiterates
    expresses instructs deplores insists encourages believes emphasises emphasizes
    highlights points asks requests demands takes also later then now today yesterday
    tomorrow meanwhile however moreover furthermore nevertheless nonetheless after before
    since until during despite although though because if unless whether under over
    according among between against about above below following including both all some
    many several most each every another other no not only even still yet so thus
    therefore hence indeed finally first second third one two three four five six seven
    eight nine ten there here dear sir madam president minister judge prosecutor lawyer
    attorney advocate activist activists journalist journalists blogger bloggers defender
    defenders prisoner prisoners detainee detainees citizen citizens professor doctor
    general colonel major captain sergeant senator deputy chairman chairwoman chair leader
    leaders member members poet writer artist editor reporter imam pastor father mother
    brother sister son daughter wife husband widow uncle aunt comrade mp mep meps
    ambassador commissioner rapporteur speaker secretary governor mayor akim former late
    young elderly jailed imprisoned detained arrested convicted sentenced released exiled
    missing murdered killed slain beaten tortured opposition political civic human rights
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday
    и а но или да в во на по с со к ко о об обо от до за из у для при над под перед после
    через между про без около вокруг кроме среди против согласно вопреки благодаря когда
    где как также тоже однако затем позже позднее потом вчера сегодня завтра теперь сейчас
    еще уже лишь только даже не ни это этот эта эти тот та те его ее их он она они мы вы
    я кто что который которая которые чей так там тут здесь если хотя чтобы потому
    поэтому адвокат адвокатк активист активистк журналист журналистк блогер блогерк
    правозащитник правозащитниц заключенн осужденн задержанн арестованн политзаключенн
    гражданин гражданк господин госпож президент министр судья суд прокурор следователь
    депутат лидер председател профессор доктор поэт писател оппозиционер сын дочь брат
    сестр отец мать жена муж вдов покойн бывш известн член глав аким имам пастор генерал
    полковник майор капитан товарищ редактор корреспондент г гн гжа
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
# Adjective endings, for the Russian words above that are adjectives (заключённая).
_ADJECTIVE_ENDING = re.compile(
    r"(ыми|ими|ого|его|ому|ему|ый|ий|ой|ая|яя|ое|ее|ые|ие|ых|их|ым|им|ую|юю|ей|ом|ем)$"
)


def _is_common_word(written: str, lower_words: set[str]) -> bool:
    """A capitalised word that is not a name: one of _NOT_NAMES (in any Russian case), or a
    word the same text also writes in lower case ("Later ... later")."""
    lower = written.lower().replace("ё", "е")
    if lower in _NOT_NAMES or lower in lower_words:
        return True
    if any("\u0400" <= char <= "\u04ff" for char in written):
        if _ADJECTIVE_ENDING.sub("", lower) in _NOT_NAMES:
            return True
        return any(
            stem.lower().replace("ё", "е") in _NOT_NAMES for stem in russian_case_stems(written)
        )
    return False


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


def _gap(text: str, previous: _Token, start: int) -> str | None:
    """How a token starting at `start` joins the token before, or None (a new run)."""
    between = text[previous.end : start]
    if _SPACE_GAP.fullmatch(between):
        return " "
    if previous.kind in {_NAME, _OTHER}:
        if _COMMA_GAP.fullmatch(between):
            return ","
        if _HYPHEN_GAP.fullmatch(between):
            return "-"
    return None


def _tokens(text: str, index: NameIndex) -> list[list[_Token]]:
    """The text's runs of name-like tokens: capitalised words, initials and titles joined
    only by spaces, one line break, a hyphen or (after a word) a comma."""
    words = _written_words(text, index)
    lower_words = {word for _, _, word in words if word[0].islower()}
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for start, end, written in words:
        # "Kusman-kyzy", "Кусман қызы": the Kazakh particle is part of the word before.
        if (
            current
            and current[-1].kind in {_NAME, _OTHER}
            and normalise_name(written) in _KAZAKH_PARTICLE_SPELLINGS
            and (
                text[current[-1].end : start] == " "
                or _HYPHEN_GAP.fullmatch(text[current[-1].end : start])
            )
        ):
            previous = current[-1]
            merged = _read_token(
                text,
                previous.start,
                end,
                text[previous.start : end],
                previous.written + written,
                index,
                lower_words,
            )
            merged = merged or _Token(previous.start, end, text[previous.start : end], _OTHER)
            merged.gap = previous.gap
            current[-1] = merged
            continue
        token = _read_token(text, start, end, written, written, index, lower_words)
        if token is None:
            if current:
                runs.append(current)
            current = []
            continue
        gap = _gap(text, current[-1], start) if current else None
        if gap is None:
            if current:
                runs.append(current)
            current = [token]
        else:
            token.gap = gap
            current.append(token)
    if current:
        runs.append(current)
    return runs


def _read_token(
    text: str,
    start: int,
    end: int,
    written: str,
    joined: str,
    index: NameIndex,
    lower_words: set[str],
) -> _Token | None:
    """A capitalised word that may be part of a name, or None. `joined` is the word as one
    ("Kusmankyzy" for "Kusman-kyzy")."""
    if not written[0].isupper():
        return None
    followed_by_dot = text[end : end + 1] == "."
    normalised = normalise_name(joined)
    # A letter with a dot is an initial, even one that may abbreviate a title ("M.", "Г.").
    if followed_by_dot and (len(joined) == 1 or normalised in _INITIAL_DIGRAPHS):
        return _Token(start, end + 1, text[start : end + 1], _INITIAL)
    if normalised in _TITLE_WORDS or (followed_by_dot and normalised in TITLES):
        return _Token(start, end + 1 if followed_by_dot else end, written, _TITLE)
    if len(joined) == 1:
        return None  # "I", "A", Russian "В": words, not initials, without a dot
    readings = tuple(
        (form, reading) for form, reading in word_readings(joined) if form in index.by_word
    )
    if readings:
        return _Token(start, end, written, _NAME, readings)
    if _is_common_word(joined, lower_words):
        return None
    return _Token(start, end, written, _OTHER)


_SENTENCE_END = re.compile(r"[.!?…]+[\"'”»)\]]*\s+|\n[ \t\r]*\n")
# A dot that ends an initial ("Zh.", "А.С.", "Дж.") or an abbreviation, not a sentence.
_NOT_SENTENCE_END = re.compile(
    r"(?:^|[\s.(])(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]|Zh|Kh|Sh|Ch|Ts|Yu|Ya|Ye|Yo|Dzh|Dj|Shch|Дж|Mr|Mrs|Ms|Dr"
    r"|Prof|St|No|Nos|Art|art|vs|Jr|Sr|Gen|Col)\.[\"'”»)\]]*\s+$"
)


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


def _sentence_starts(text: str) -> list[int]:
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 6) : match.end()]
        # A blank line ends a sentence even after an initial; a dot after one does not.
        if not _BLANK_LINE.search(match.group(0)) and _NOT_SENTENCE_END.search(before):
            continue
        starts.append(match.end())
    return starts


def _sentence_around(text: str, starts: list[int], offset: int) -> str:
    position = bisect.bisect_right(starts, offset) - 1
    end = starts[position + 1] if position + 1 < len(starts) else len(text)
    return " ".join(text[starts[position] : end].split())


def _people_of(token: _Token, table: dict[str, set[int]]) -> set[int]:
    if len(token.readings) == 1:
        return table.get(token.readings[0][0], set())
    people: set[int] = set()
    for form in token.forms:
        people |= table.get(form, set())
    return people


# A name is at most this many tokens: given name, patronymic, family name, two initials.
_MAX_NAME_TOKENS = 5


def _window(run: list[_Token], position: int) -> list[_Token]:
    window: list[_Token] = []
    for token in run[position : position + _MAX_NAME_TOKENS]:
        if token.kind == _TITLE:
            break
        window.append(token)
    return window


def _candidates(window: list[_Token], index: NameIndex) -> set[int]:
    """People a name starting the window may belong to: those holding two of its words, or
    a family name in it beside an initial. Intersecting first keeps this cheap when a given
    name such as Almat belongs to thousands of people."""
    names = [token for token in window if token.kind == _NAME]
    first = window[0]
    candidates: set[int] = set()
    anchors = names if first.kind == _INITIAL else [first] if first.kind == _NAME else []
    for anchor in anchors:
        anchor_people = _people_of(anchor, index.by_word)
        for other in names:
            if other is not anchor:
                candidates |= anchor_people & _people_of(other, index.by_word)
    if any(token.kind == _INITIAL for token in window):
        # Beside initials the word is nearly always the family name, but a name on file in
        # an unusual order ("Agadil Zhanbolat Dulatuly") may not say so: any of its words.
        for anchor in anchors:
            candidates |= _people_of(anchor, index.by_word)
    return candidates


def _family_candidates(window: list[_Token], index: NameIndex) -> set[int]:
    """When no two words agree: the people of a family name beside a word the index does
    not pair with it, for the names module to judge ("Rosa Tuletaeva" for Roza)."""
    candidates: set[int] = set()
    if len(window) < 2:
        return candidates
    for token in window[:3]:
        if token.kind == _NAME:
            candidates |= _people_of(token, index.by_family)
    return candidates


def _reading(tokens: list[_Token], words: set[str]) -> str:
    """The tokens as a name in the nominative, for casework.names to score: each name word
    in the reading whose folded form is one of the person's words ("Алмата" -> "Алмат")."""
    pieces: list[str] = []
    for position, token in enumerate(tokens):
        if position:
            pieces.append({",": ", ", "-": "-"}.get(token.gap, " "))
        if token.kind == _NAME:
            pieces.append(
                next(
                    (reading for form, reading in token.readings if form in words),
                    token.readings[0][1],
                )
            )
        else:
            pieces.append(token.written)
    return "".join(pieces)


def _span_allowed(run: list[_Token], position: int, end: int) -> bool:
    """Whether tokens [position, end) of a run can be one name. A name takes in the whole
    of a hyphenated word ("Ivanova-Petrova") and the initials written against it ("Zh. D.
    Agadil", "Kozlov V.P."), unless those initials begin the next name. A comma only
    inverts a name ("Abishev, Kenzhebek"): after its first word, and not when the word
    after the comma begins another name ("Abishev, Almat Zhumagulov")."""
    first, following = run[position], run[end] if end < len(run) else None
    if position > 0 and (
        first.gap == "-" or (first.gap == " " and run[position - 1].kind == _INITIAL)
    ):
        return False
    if following is not None and following.gap == "-":
        return False
    if following is not None and following.kind == _INITIAL and following.gap == " ":
        after = end
        while after < len(run) and run[after].kind == _INITIAL and run[after].gap == " ":
            after += 1
        if not (after < len(run) and run[after].kind in {_NAME, _OTHER}):
            return False
    if (
        run[end - 1].kind == _INITIAL
        and following is not None
        and following.gap != ","
        and following.kind in {_NAME, _OTHER}
    ):
        return False
    if any(token.gap == "," for token in run[position + 1 : end]):
        if run[position + 1].gap != "," or any(t.gap == "," for t in run[position + 2 : end]):
            return False
        if following is not None and following.gap != "," and following.kind in {_NAME, _OTHER}:
            return False
    return True


def _best_span(
    run: list[_Token], position: int, window: list[_Token], people: set[int], index: NameIndex
) -> tuple[int, float, list[int]]:
    """The longest span from `position` that casework.names takes for one of the people,
    with its score and the people it names (several only when they score the same)."""
    best_end, best_score, best_people = position, 0.0, []
    for person_id in people:
        words = index.words_of(person_id)
        written = index.written[person_id]
        for end in range(position + len(window), position, -1):
            if end == position + 1 and window[0].kind != _NAME:
                break
            if not _span_allowed(run, position, end):
                continue
            score = name_match_score_best(_reading(run[position:end], words), written)
            if score < NAME_MATCH_THRESHOLD:
                continue
            if (end, score) > (best_end, best_score):
                best_end, best_score, best_people = end, score, [person_id]
            elif (end, score) == (best_end, best_score):
                best_people.append(person_id)
            break  # shorter spans of this person cannot beat this one
    return best_end, best_score, sorted(best_people)


def _given_name_beside(run: list[_Token], position: int, index: NameIndex) -> bool:
    """A family name is not alone when a given name or an initial stands beside it: an
    initial, a known given name, or a capitalised word that is no common word."""
    neighbours = []
    if position > 0 and run[position].gap in {" ", "-"}:
        neighbours.append(run[position - 1])
    if position + 1 < len(run):
        neighbours.append(run[position + 1])
    for token in neighbours:
        if token.kind in {_INITIAL, _OTHER}:
            return True
        if token.kind == _NAME and any(form in index.given_words for form in token.forms):
            return True
    return False


def name_index_find(*, index: NameIndex, text: str) -> list[DetectedName]:
    """Every mention of a known person in the text, in the order of the text."""
    full: list[tuple[int, int, int]] = []  # (person id, start, end)
    family_only: list[tuple[set[int], int, int]] = []
    for run in _tokens(text, index):
        position = 0
        while position < len(run):
            token = run[position]
            window = _window(run, position)
            if not window:
                position += 1
                continue
            end, _, people = _best_span(run, position, window, _candidates(window, index), index)
            if not people:
                end, _, people = _best_span(
                    run, position, window, _family_candidates(window, index), index
                )
            if people:
                for person_id in people:
                    full.append((person_id, token.start, run[end - 1].end))
                position = end
                continue
            if token.kind == _NAME and not _given_name_beside(run, position, index):
                family_of = _people_of(token, index.by_family)
                if family_of:
                    family_only.append((family_of, token.start, token.end))
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
