"""A text read as runs of name-like tokens (capitalised words, initials and titles joined by
spaces, a line break, a hyphen or a comma), each name word with the nominative readings
the index knows; and the sentence around an offset."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from advocacy.detection.index import NameIndex
from casework.names import (
    DIGRAPH_INITIALS,
    TITLES,
    kazakh_case_stems,
    normalise_name,
    russian_case_stems,
    text_is_kazakh_latin,
    word_forms,
    word_is_patronymic_particle,
    word_readings,
)
from common.text import STRIPPED

NAME, INITIAL, TITLE, OTHER = "name", "initial", "title", "other"


@dataclass
class Token:
    """A capitalised word of the text that may be part of a name."""

    start: int
    # End of what the token covers in the text: an initial's or a title's dot included.
    end: int
    written: str
    kind: str
    # (folded form, nominative as written) of each reading: for a name word those the index
    # knows; for another word all of them (what a near spelling of a family name is read by).
    readings: tuple[tuple[str, str], ...] = ()
    # How it joins the token before it in a run: " " (spaces, one line break), "," or "-".
    gap: str = " "
    # A name word that is also a common word ("Свобода", "Әділет", or a word the same text
    # writes in lower case): alone, it names someone only beside their name in full.
    common: bool = False

    @property
    def forms(self) -> tuple[str, ...]:
        return tuple(form for form, _ in self.readings)


# The invisible characters text from PDFs and web pages carries (common.text.STRIPPED: soft
# hyphen, zero-width space and joiners, word joiner, byte-order mark): inside a word they
# are no part of it ("Zhan\u00adbolat"), beside one they are no gap ("Zhanbolat\u200b Mamay").
_INVISIBLE = "".join(sorted(STRIPPED))
_INVISIBLE_TABLE = str.maketrans(dict.fromkeys(STRIPPED))
_UPPER = "A-ZÄÁĞǴÑŃÖÓŞŪÜÚİÝА-ЯЁӘҒҚҢӨҰҮҺІ"
# A word, with the apostrophes some transliterations write for the soft sign (Natal'ya),
# but not an English possessive (Ablyazov's), and with invisible characters inside it
# ("Zhan\u00adbolat", "ZHAN\u00adBOLAT"); between a small and a capital letter they part
# two words ("Zhanbolat\u200bMamay").
_INSIDE_WORD = rf"(?:[{_INVISIBLE}]+(?![{_UPPER}])|(?<=[{_UPPER}])[{_INVISIBLE}]+)"
_WORD = re.compile(rf"[^\W\d_]+(?:(?:['’ʼ](?!s\b)|{_INSIDE_WORD})[^\W\d_]+)*")
_LINE_BREAK_HYPHEN = re.compile(rf"[{_INVISIBLE}]*[-\u00ad][ \t{_INVISIBLE}]*\r?\n\s*")
# Spaces between the words of a name: any but a line break (the no-break, thin and narrow
# spaces of PDFs and web pages included; a no-break space pasted as HTML source too), and
# invisible characters.
_SPACE = rf"(?:[^\S\r\n]|[{_INVISIBLE}]|&nbsp;|&#160;|&#[xX][aA]0;)"
_IN_ENTITY = re.compile(r".?&#?[^\W\d_]+;")
_SPACE_GAP = re.compile(rf"{_SPACE}*(?:\r?\n{_SPACE}*)?")
_COMMA_GAP = re.compile(rf"{_SPACE}*,{_SPACE}*(?:\r?\n{_SPACE}*)?")
_HYPHEN_GAP = re.compile(r"[ \t]*[-\u2010\u2011][ \t]*")
_TITLE_WORDS = frozenset({"mr", "mrs", "ms", "dr", "prof", "sir", "madam", "mme", "messrs"})
# Capitalised words that are never a name: they start sentences, or name an occupation or
# a relation before a name ("Later Zhumagulov", "Адвокат Жумагулова", "Перед Жумагуловым"),
# or head what is said of the person a family name names ("Free Zhumagulov!", "Свободу
# Жумагулову!", "Защита Жумагулова", "Бостандық Жумагуловқа!").
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
    free release freedom support justice solidarity statement letter appeal petition
    campaign case trial hearing verdict sentence sentencing arrest detention persecution
    torture health family relatives supporters colleagues friends urgent action update
    news report open joint re subject concerning regarding almaty алматы
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
    свобод освободит освобождени дело дела делу делом деле защит письм письмо семь семья
    родн родные родственник близки близкие друз друзья коллег сторонник соратник супруг
    приговор арест задержани здоровь судьб заявлени обращени требовани преследовани
    поддержк поддержит солидарност голодовк пытк процесс апелляци жалоб срочн
    және мен бен пен немесе бірақ сондай сондықтан алайда бұл осы ол оның олар олардың
    біз сіз кейін содан соң бүгін кеше ертең қазір сот соты сотта судья прокурор тергеуші
    адвокат белсенді белсендісі журналист блогер қорғаушы құқық құқыққорғаушы тұтқын
    тұтқындар саяси сотталған ұсталған қамалған әкесі анасы ағасы інісі әпкесі қарындасы
    сіңлісі баласы ұлы қызы әйелі күйеуі жұбайы туысы депутат депутаттар мәжіліс парламент
    еуропалық еуропа үкімет министр президент ұйым ұйымы халықаралық кеңес комитет
    хабарлама мәлімдеме өтініш қаулы шешім наурыз сәуір мамыр маусым шілде тамыз қыркүйек
    қазан қараша желтоқсан қаңтар ақпан дүйсенбі сейсенбі сәрсенбі бейсенбі жұма сенбі
    жексенбі азаттық бостандық іс ісі ісін отбасы туыстары жақтастары қолдау үндеу шағым
    үкім қамау
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())
# Adjective endings, for the Russian words above that are adjectives (заключённая).
_ADJECTIVE_ENDING = re.compile(
    r"(ыми|ими|ого|его|ому|ему|ый|ий|ой|ая|яя|ое|ее|ые|ие|ых|их|ым|им|ую|юю|ей|ом|ем)$"
)


@dataclass(frozen=True)
class _Text:
    """What reading one text's words depends on besides the word."""

    text: str
    index: NameIndex
    # Words the text writes in lower case: capitalised, they only start a sentence.
    lower_words: frozenset[str]
    # The text writes the Kazakh Latin alphabet: its Latin words may carry Kazakh endings.
    kazakh_latin: bool


def _is_common_word(written: str, lower_words: frozenset[str]) -> bool:
    """A capitalised word that is not a name: one of _NOT_NAMES (in any Russian or Kazakh
    case), or a word the same text also writes in lower case ("Later ... later")."""
    lower = written.lower().replace("ё", "е")
    if lower in _NOT_NAMES or lower in lower_words:
        return True
    if any("\u0400" <= char <= "\u04ff" for char in written):
        if _ADJECTIVE_ENDING.sub("", lower) in _NOT_NAMES:
            return True
        stems = russian_case_stems(written) + kazakh_case_stems(written)
        return any(stem.lower().replace("ё", "е") in _NOT_NAMES for stem in stems)
    return False


# A Kazakh genitive before ұлы / қызы makes them words ("Агадилдің ұлы": Agadil's son),
# not the particle of a patronymic ("Дулат ұлы").
_GENITIVE = re.compile(r"(?:[нтд][ыіi](?:ң|н|ñ))$", re.IGNORECASE)


def _is_particle_of(written: str, previous: str) -> bool:
    """Whether a word is -uly/-kyzy (in any Kazakh case) belonging to the word before."""
    return not _GENITIVE.search(previous) and word_is_patronymic_particle(written)


def _written_words(
    text: str, index: NameIndex, *, kazakh_latin: bool
) -> list[tuple[int, int, str]]:
    """(start, end, word) for every word; a word hyphenated across a line break
    ("Zheksebay-\nev") is one word when the joined spelling is a known name."""
    words: list[tuple[int, int, str]] = []
    for match in _WORD.finditer(text):
        start, end = match.span()
        if _IN_ENTITY.fullmatch(text, max(0, start - 2), min(len(text), end + 1)):
            continue  # "nbsp" of "Zhanbolat&nbsp;Mamay": part of the gap, not a word
        word = match.group(0).translate(_INVISIBLE_TABLE)
        if words and _LINE_BREAK_HYPHEN.fullmatch(text[words[-1][1] : start]):
            joined = words[-1][2] + word
            if any(form in index.by_word for form in word_forms(joined, kazakh_latin=kazakh_latin)):
                words[-1] = (words[-1][0], end, joined)
                continue
        words.append((start, end, word))
    return words


def _gap(text: str, previous: Token, start: int) -> str | None:
    """How a token starting at `start` joins the token before, or None (a new run)."""
    between = text[previous.end : start]
    if _SPACE_GAP.fullmatch(between):
        return " "
    if previous.kind in {NAME, OTHER}:
        if _COMMA_GAP.fullmatch(between):
            return ","
        if _HYPHEN_GAP.fullmatch(between):
            return "-"
    return None


def text_runs(text: str, index: NameIndex) -> list[list[Token]]:
    """The text's runs of name-like tokens: capitalised words, initials and titles joined
    only by spaces, one line break, a hyphen or (after a word) a comma."""
    kazakh_latin = text_is_kazakh_latin(text)
    words = _written_words(text, index, kazakh_latin=kazakh_latin)
    context = _Text(
        text=text,
        index=index,
        lower_words=frozenset(word for _, _, word in words if word[0].islower()),
        kazakh_latin=kazakh_latin,
    )
    runs: list[list[Token]] = []
    current: list[Token] = []
    for start, end, written in words:
        # "Kusman-kyzy", "Кусман қызы": the Kazakh particle is part of the word before.
        if (
            current
            and current[-1].kind in {NAME, OTHER}
            and (
                text[current[-1].end : start] == " "
                or _HYPHEN_GAP.fullmatch(text[current[-1].end : start])
            )
            and _is_particle_of(written, current[-1].written)
        ):
            previous = current[-1]
            joined = previous.written + written
            merged = _read_token(context, previous.start, end, text[previous.start : end], joined)
            merged = merged or Token(previous.start, end, text[previous.start : end], OTHER)
            merged.gap = previous.gap
            current[-1] = merged
            continue
        token = _read_token(context, start, end, written, written)
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


def _given_name_plural(written: str, form: str, reading: str, context: _Text) -> bool:
    """A Cyrillic word read as a given name by dropping its -ы: a plural (or a Kazakh
    possessive), never how one person's given name is written. "Алматы" is the city, not
    Almat (whose genitive is "Алмата"); a family name keeps it ("супруги Жумагуловы")."""
    return (
        written[-1:] in {"ы", "Ы"}
        and reading == written[:-1]
        and form not in context.index.by_family
    )


def _read_token(context: _Text, start: int, end: int, written: str, joined: str) -> Token | None:
    """A capitalised word that may be part of a name, or None. `joined` is the word as one
    ("Kusmankyzy" for "Kusman-kyzy")."""
    if not written[0].isupper():
        return None
    text = context.text
    followed_by_dot = text[end : end + 1] == "."
    normalised = normalise_name(joined)
    # A letter with a dot is an initial, even one that may abbreviate a title ("M.", "Г.").
    if followed_by_dot and (len(joined) == 1 or normalised in DIGRAPH_INITIALS):
        return Token(start, end + 1, text[start : end + 1], INITIAL)
    if normalised in _TITLE_WORDS or (followed_by_dot and normalised in TITLES):
        return Token(start, end + 1 if followed_by_dot else end, written, TITLE)
    if len(joined) == 1:
        return None  # "I", "A", Russian "В": words, not initials, without a dot
    readings = tuple(
        (form, reading)
        for form, reading in word_readings(joined, kazakh_latin=context.kazakh_latin)
        if form in context.index.by_word and not _given_name_plural(joined, form, reading, context)
    )
    if readings:
        common = _is_common_word(joined, context.lower_words)
        return Token(start, end, written, NAME, readings, common=common)
    if _is_common_word(joined, context.lower_words):
        return None
    return Token(
        start, end, written, OTHER, word_readings(joined, kazakh_latin=context.kazakh_latin)
    )


# A sentence ends at its punctuation, at a blank line, and before a numbered paragraph at
# the start of a line ("... (Kazakhstan)\n12. On 3 September").
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”»)\]]*\s+|\n[ \t\r]*\n|\r?\n[ \t]*(?=\d{1,3}\.[ \t])")
# A dot that ends an initial ("Zh.", "А.С.", "Дж.") or an abbreviation, not a sentence: of
# a title, a month ("5 Sept. 2026", "5 сент. 2026 г."), or the parts of a law ("ч. 2 ст.
# 174 УК РК", "п. 3"), a city ("г. Алматы") or a Kazakh year ("2026 ж.").
_NOT_SENTENCE_END = re.compile(
    r"(?:^|[\s.(])(?:[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]|Zh|Kh|Sh|Ch|Ts|Yu|Ya|Ye|Yo|Dzh|Dj|Shch|Дж|Mr|Mrs|Ms|Dr"
    r"|Prof|St|No|Nos|Art|art|vs|Jr|Sr|Gen|Col|para|paras|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep"
    r"|Sept|Oct|Nov|Dec|янв|февр|мар|апр|авг|сент|окт|нояб|дек|г|гг|ч|ст|п|пп|ул|им|ж)"
    r"\.[\"'”»)\]]*\s+$"
)


_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
# A line with a tab between two cells' text.
_TABLE_ROW = re.compile(r"^[^\n]*\S\t+\S[^\n]*$", re.MULTILINE)


def sentence_starts(text: str) -> list[int]:
    starts = [0]
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 8) : match.end()]
        # A blank line ends a sentence even after an initial; a dot after one does not.
        if (
            not _BLANK_LINE.search(match.group(0))
            and (
                _NOT_SENTENCE_END.search(before)
                # No sentence begins in lower case: the "!" of a party's name ("Alga,
                # Kazakhstan! party") or the dot of "e.g." runs on.
                or text[match.end() : match.end() + 1].islower()
            )
        ):
            continue
        starts.append(match.end())
    # A table's rows (cells joined by tabs, as a DOCX table is read or a spreadsheet is
    # pasted) have no full stops: without this, a list of 40 prisoners is one "sentence"
    # and every mention quotes the whole table instead of the row that names the person.
    for row in _TABLE_ROW.finditer(text):
        starts.extend((row.start(), row.end() + 1))
    return sorted(set(starts))


def sentence_around(text: str, starts: list[int], offset: int) -> str:
    position = bisect.bisect_right(starts, offset) - 1
    end = starts[position + 1] if position + 1 < len(starts) else len(text)
    return " ".join(text[starts[position] : end].split())
