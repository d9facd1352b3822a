"""Spans of a text's runs that name a known person: candidates from the index, the
decision from casework.names (name_match_score_best against NAME_MATCH_THRESHOLD), and a
family name alone only when the document or the file leaves one person it can be.

Candidates come in three rounds, each only when the one before found nobody: people who
hold two words of the span (or a word beside an initial); people whose family name is a
word of the span; people whose family name is a near spelling of a word the index does
not know (casework.names.keys near keys: a letter off, or vowels: "Roza Tuleteeva"). A
given name alone ("his son Zhanbolat") is proposed, marked for review, only after the
same text has named someone of a family in full, when one person of that family on file
has that given name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import QuerySet

from advocacy.detection.index import NameIndex, name_index_build, name_index_current
from advocacy.detection.tokens import (
    INITIAL,
    NAME,
    OTHER,
    TITLE,
    Token,
    sentence_around,
    sentence_starts,
    text_runs,
)
from casework.models import Person
from casework.names import (
    NAME_MATCH_THRESHOLD,
    name_match_score_best,
    word_near_keys,
    word_similarity,
)


@dataclass(frozen=True)
class DetectedName:
    person_id: int
    name: str
    matched_text: str
    start: int
    end: int
    sentence: str
    # A given name alone, proposed from the family named around it: a person should check.
    needs_review: bool = False


def _people_of(token: Token, table: dict[str, set[int]]) -> set[int]:
    if len(token.readings) == 1:
        return table.get(token.readings[0][0], set())
    people: set[int] = set()
    for form in token.forms:
        people |= table.get(form, set())
    return people


# A name is at most this many tokens: given name, patronymic, family name, two initials.
_MAX_NAME_TOKENS = 5


def _window(run: list[Token], position: int) -> list[Token]:
    window: list[Token] = []
    for token in run[position : position + _MAX_NAME_TOKENS]:
        if token.kind == TITLE:
            break
        window.append(token)
    return window


def _candidates(window: list[Token], index: NameIndex) -> set[int]:
    """People a name starting the window may belong to: those holding two of its words, or
    a family name in it beside an initial. Intersecting first keeps this cheap when a given
    name such as Almat belongs to thousands of people."""
    names = [token for token in window if token.kind == NAME]
    first = window[0]
    candidates: set[int] = set()
    anchors = names if first.kind == INITIAL else [first] if first.kind == NAME else []
    for anchor in anchors:
        anchor_people = _people_of(anchor, index.by_word)
        for other in names:
            if other is not anchor:
                candidates |= anchor_people & _people_of(other, index.by_word)
    if any(token.kind == INITIAL for token in window):
        # Beside initials the word is nearly always the family name, but a name on file in
        # an unusual order ("Agadil Zhanbolat Dulatuly") may not say so: any of its words.
        for anchor in anchors:
            candidates |= _people_of(anchor, index.by_word)
    return candidates


def _family_candidates(window: list[Token], index: NameIndex) -> set[int]:
    """When no two words agree: the people of a family name beside a word the index does
    not pair with it, for the names module to judge ("Rosa Tuletaeva" for Roza)."""
    candidates: set[int] = set()
    if len(window) < 2:
        return candidates
    for token in window[:3]:
        if token.kind == NAME:
            candidates |= _people_of(token, index.by_family)
    return candidates


# Beyond this many people, a near spelling's candidates are narrowed to those who also hold
# another word of the span, so that a common family name cannot make a text slow.
_MAX_NEAR_PEOPLE = 50


def _near_candidates(window: list[Token], index: NameIndex) -> set[int]:
    """When no family name of the span is known: the people whose family name is a near
    spelling of one of its words the index does not know ("Tuleteeva", "Akhmedjarov")."""
    if len(window) < 2:
        return set()
    candidates: set[int] = set()
    for token in window[:3]:
        if token.kind != OTHER:
            continue
        near: set[int] = set()
        for form in token.forms:
            for key in word_near_keys(form):
                near |= index.by_near.get(key, set())
        if len(near) > _MAX_NEAR_PEOPLE:
            others = [other for other in window if other is not token and other.kind == NAME]
            near &= set().union(*(_people_of(other, index.by_word) for other in others))
        candidates |= near
    return candidates


def _reading(tokens: list[Token], words: set[str]) -> str:
    """The tokens as a name in the nominative, for casework.names to score: each word in
    the reading whose folded form is one of the person's words ("Алмата" -> "Алмат"), or,
    for a word the index does not know, the reading nearest to one of them."""
    pieces: list[str] = []
    for position, token in enumerate(tokens):
        if position:
            pieces.append({",": ", ", "-": "-"}.get(token.gap, " "))
        if token.kind == NAME:
            pieces.append(
                next(
                    (reading for form, reading in token.readings if form in words),
                    token.readings[0][1],
                )
            )
        elif token.kind == OTHER and len(token.readings) > 1:
            pieces.append(_nearest_reading(token, words))
        else:
            pieces.append(token.written)
    return "".join(pieces)


def _nearest_reading(token: Token, words: set[str]) -> str:
    best, best_similarity = token.written, 0.0
    for form, reading in token.readings:
        similarity = max(
            (word_similarity(form, word, families=True) for word in words), default=0.0
        )
        if similarity > best_similarity:
            best, best_similarity = reading, similarity
    return best


def _span_allowed(run: list[Token], position: int, end: int) -> bool:
    """Whether tokens [position, end) of a run can be one name. A name takes in the whole
    of a hyphenated word ("Ivanova-Petrova") and the initials written against it ("Zh. D.
    Agadil", "Kozlov V.P."), unless those initials begin the next name. A comma only
    inverts a name ("Abishev, Kenzhebek"): after its first word, and not when the word
    after the comma begins another name ("Abishev, Almat Zhumagulov")."""
    first, following = run[position], run[end] if end < len(run) else None
    if position > 0 and (
        first.gap == "-" or (first.gap == " " and run[position - 1].kind == INITIAL)
    ):
        return False
    if following is not None and following.gap == "-":
        return False
    if following is not None and following.kind == INITIAL and following.gap == " ":
        after = end
        while after < len(run) and run[after].kind == INITIAL and run[after].gap == " ":
            after += 1
        if not (after < len(run) and run[after].kind in {NAME, OTHER}):
            return False
    if (
        run[end - 1].kind == INITIAL
        and following is not None
        and following.gap != ","
        and following.kind in {NAME, OTHER}
    ):
        return False
    if any(token.gap == "," for token in run[position + 1 : end]):
        if run[position + 1].gap != "," or any(t.gap == "," for t in run[position + 2 : end]):
            return False
        if following is not None and following.gap != "," and following.kind in {NAME, OTHER}:
            return False
    return True


def _best_span(
    run: list[Token], position: int, window: list[Token], people: set[int], index: NameIndex
) -> tuple[int, float, list[int]]:
    """The longest span from `position` that casework.names takes for one of the people,
    with its score and the people it names (several only when they score the same)."""
    best_end, best_score, best_people = position, 0.0, []
    for person_id in people:
        words = index.words_of(person_id)
        written = index.written_of(person_id)
        for end in range(position + len(window), position, -1):
            if end == position + 1 and window[0].kind != NAME:
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


def _given_name_beside(run: list[Token], position: int, index: NameIndex) -> bool:
    """A family name is not alone when a given name or an initial stands beside it: an
    initial, a known given name, or a capitalised word that is no common word."""
    neighbours = []
    if position > 0 and run[position].gap in {" ", "-"}:
        neighbours.append(run[position - 1])
    if position + 1 < len(run):
        neighbours.append(run[position + 1])
    for token in neighbours:
        if token.kind in {INITIAL, OTHER}:
            return True
        if token.kind == NAME and any(form in index.given_words for form in token.forms):
            return True
    return False


def _span_named(
    run: list[Token], position: int, window: list[Token], index: NameIndex
) -> tuple[int, list[int]]:
    """The end of the name that starts the window and the people it names (none: no name),
    from the first round of candidates that finds someone."""
    for candidates in (_candidates, _family_candidates, _near_candidates):
        end, _, people = _best_span(run, position, window, candidates(window, index), index)
        if people:
            return end, people
    return position, []


def _family_name_only(run: list[Token], position: int, index: NameIndex) -> bool:
    """Whether a family name standing alone can only be that: not also a common word
    ("Свобода слова", "Әділет министрлігі") nor someone's given name ("Bolat was arrested"),
    unless a title stands before it ("Mr Bolat"). Otherwise it names its one bearer on file
    only when the document names them in full."""
    token = run[position]
    if position > 0 and run[position - 1].kind == TITLE:
        return True
    return not token.common and not any(form in index.given_words for form in token.forms)


# The office of whoever a family name alone belongs to: "prosecutor Ivanov asked for seven
# years", "судья Иванова отказала" speak of an official, not of the prisoner Aleksandr
# Ivanov on file. (A lawyer may be the prisoner: Kazakhstan jails defence lawyers too.)
_OFFICIAL_BEFORE = re.compile(
    r"\b(?:judge|prosecutor|investigator|судь[яиеёюй]\w*|прокурор\w*|следовател\w*"
    r"|тергеуші\w*)[ \t\n]+$",
    re.IGNORECASE,
)


def name_index_find(*, index: NameIndex, text: str, victims: bool = False) -> list[DetectedName]:
    """Every mention of a known person in the text, in the order of the text. `victims`:
    the people are prisoners, so a family name alone after an official's title ("judge
    Ivanova") is not theirs (responsible persons are found with it)."""
    full: list[tuple[int, int, int]] = []  # (person id, start, end)
    # (the people of the family name, start, end, whether it may name its only bearer)
    family_only: list[tuple[set[int], int, int, bool]] = []
    given_alone: list[Token] = []
    for run in text_runs(text, index):
        position = 0
        while position < len(run):
            token = run[position]
            window = _window(run, position)
            if not window:
                position += 1
                continue
            end, people = _span_named(run, position, window, index)
            if people and token.common and end < len(run):
                # "Свободу Надежде Свободе!": the common word is no part of the name when
                # the name that starts after it reaches as far or further.
                later = _window(run, position + 1)
                if later and _span_named(run, position + 1, later, index)[0] >= end:
                    position += 1
                    continue
            if people:
                for person_id in people:
                    full.append((person_id, token.start, run[end - 1].end))
                position = end
                continue
            if token.kind == NAME and not _given_name_beside(run, position, index):
                family_of = _people_of(token, index.by_family)
                if family_of:
                    alone = _family_name_only(run, position, index) and not (
                        victims
                        and _OFFICIAL_BEFORE.search(text, max(0, token.start - 40), token.start)
                    )
                    family_only.append((family_of, token.start, token.end, alone))
                elif len(run) == 1:
                    given_alone.append(token)
            position += 1
    named_in_full = {person_id for person_id, _, _ in full}
    found = [(person_id, start, end, False) for person_id, start, end in full]
    for people, start, end, only_a_family_name in family_only:
        in_document = people & named_in_full
        if len(in_document) == 1:
            found.append((next(iter(in_document)), start, end, False))
        elif not in_document and len(people) == 1 and only_a_family_name:
            found.append((next(iter(people)), start, end, False))
    found += _given_names_alone(given_alone, full=full, index=index)
    starts = sentence_starts(text)
    return [
        DetectedName(
            person_id=person_id,
            name=index.names.get(person_id, ""),
            matched_text=text[start:end],
            start=start,
            end=end,
            sentence=sentence_around(text, starts, start),
            needs_review=needs_review,
        )
        for person_id, start, end, needs_review in sorted(
            found, key=lambda item: (item[1], item[0])
        )
    ]


# How far after a family's member named in full a given name alone may stand to be read as
# one of that family ("Dulat Agadil died in custody; his son Zhanbolat was killed").
_GIVEN_ALONE_REACH = 400


def _given_names_alone(
    tokens: list[Token], *, full: list[tuple[int, int, int]], index: NameIndex
) -> list[tuple[int, int, int, bool]]:
    """Given names written alone that name one person of a family the text has just named
    in full: that family's only person on file with this given name, unless someone else
    named in full in the text has it too. Each is marked for review."""
    found: list[tuple[int, int, int, bool]] = []
    for token in tokens:
        written_form = token.readings[0][0]
        if token.readings[0][1] != token.written or written_form not in index.given_words:
            continue  # a given name in the nominative only: "Алматы" is a city, not Almat
        families = {
            family
            for person_id, _, end in full
            if 0 <= token.start - end <= _GIVEN_ALONE_REACH
            for _, family in index.readings_of(person_id)
        }
        bearers = {
            person_id
            for family in families
            for person_id in index.by_family.get(family, set())
            if any(written_form in given for given, _ in index.readings_of(person_id))
        }
        others_named = {
            person_id
            for person_id, _, _ in full
            if person_id not in bearers
            and any(written_form in given for given, _ in index.readings_of(person_id))
        }
        if len(bearers) == 1 and not others_named:
            found.append((next(iter(bearers)), token.start, token.end, True))
    return found


def document_text_find_people(
    *, text: str, people: QuerySet[Person] | None = None
) -> list[DetectedName]:
    """Every known person (of `people`, default: all not archived) the text names."""
    index = name_index_current() if people is None else name_index_build(people=people)
    return name_index_find(index=index, text=text, victims=True)
