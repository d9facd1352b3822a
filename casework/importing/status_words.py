"""Status words as partners write them, in Russian, Kazakh and English -> the status codes.

A cell is read in three steps, the first that answers wins:

1. the words an organisation chose a status for on an earlier preview (StatusWord, and the
   command line's --status-word), so a word the app does not know is asked about once;
2. the plain phrases of STATUS_PHRASES ("в СИЗО", "осужден", "released", "қамауда");
3. STATUS_RULES, over the words less what they deny or leave (_UNSAID: "отказано в УДО",
   "снят с розыска", "из колонии"), which read inflections and additions ("освобождена по УДО",
   "эмигрировал, в розыске", "условный срок"), the first rule that matches deciding. A
   reading by the rules keeps the cell's own words in the case note, since they may say
   more than the status (parole, a pardon, a fine).

Decisions worth knowing: a suspended sentence and probation are restricted freedom (the
person lives at home under the supervision and duties a court set); a fine alone is
released (it restricts no liberty once paid); parole, a pardon, an amnesty and a served
sentence are released; someone abroad who is also wanted is in exile (where they are says
more about their safety than the warrant, which the note keeps); a verdict ("приговор",
"үкім шықты") is imprisoned unless it says otherwise. The app has no status for a death
outside custody: "умер", "погиб", "қайтыс болды" (and a death after release) are asked
about like an unknown word, never read as a living status ("умер после освобождения" is
not released, "погиб при задержании" not detention).

A word none of them knows raises UnknownStatusWord: the preview groups such words and lets
the user choose, once, what each means for the organisation.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User
from django.utils.translation import gettext as _

from casework.importing.cells import Cell, CellError, cell_quote, cell_text, word_normalise
from casework.models import Organisation, Status, StatusWord
from casework.visibility import AnyUser

# Plain phrases, each status's written as a person would; one phrase per line.
STATUS_PHRASES: dict[str, str] = {
    Status.INVESTIGATION: """
        под следствием
        следствие
        подписка о невыезде
        залог
        запрет определенных действий
        подозреваемый
        обвиняемый
        investigation
        under investigation
        тергеуде
        тергеу
    """,
    Status.PRETRIAL_DETENTION: """
        в сизо
        сизо
        в ивс
        под стражей
        содержание под стражей
        заключение под стражу
        арест
        арестован
        арестована
        задержан
        задержана
        pre trial detention
        pretrial detention
        in pre trial detention
        detained
        in custody
        remand
        қамауда
        тергеу изоляторында
    """,
    Status.HOUSE_ARREST: """
        под домашним арестом
        домашний арест
        house arrest
        under house arrest
        үй қамағында
    """,
    Status.ON_TRIAL: """
        суд
        идет суд
        на суде
        судебный процесс
        on trial
        trial
        сотта
    """,
    Status.IMPRISONED: """
        осужден
        осуждена
        в колонии
        лишение свободы
        отбывает наказание
        в заключении
        imprisoned
        convicted
        sentenced
        serving a sentence
        in prison
        сотталды
        түрмеде
    """,
    Status.RESTRICTED_FREEDOM: """
        ограничение свободы
        restricted freedom
        restriction of freedom
        restriction of liberty
        бас бостандығын шектеу
    """,
    Status.PSYCHIATRIC_DETENTION: """
        принудительное лечение
        психиатрическая больница
        в психбольнице
        psychiatric detention
        forced psychiatric treatment
    """,
    Status.RELEASED: """
        освобожден
        освобождена
        на свободе
        освобожден досрочно
        released
        freed
        босатылды
        бостандықта
    """,
    Status.ACQUITTED: """
        оправдан
        оправдана
        acquitted
        ақталды
    """,
    Status.IN_EXILE: """
        в эмиграции
        эмиграция
        в изгнании
        за границей
        in exile
        exile
        эмиграцияда
    """,
    Status.WANTED: """
        в розыске
        объявлен в розыск
        объявлена в розыск
        wanted
        іздеуде
    """,
    Status.DIED_IN_CUSTODY: """
        умер в сизо
        умерла в сизо
        умер в заключении
        умерла в заключении
        умер в колонии
        умерла в колонии
        died in custody
    """,
    Status.KILLED: """
        убит
        убита
        killed
    """,
    Status.UNKNOWN: """
        неизвестно
        нет данных
        unknown
        белгісіз
    """,
}

# Words saying the person died; one alternative per way of writing it ("умер" not "умер\w*",
# which reads "умеренный").
_DIED = (
    r"\b(умер|умерла|умерший|умершая|скончал\w*|погиб|погибла|погибший|погибшая|died|dead|"
    r"deceased|passed away|perished|қайтыс|қаза тап\w*|көз жұм\w*)\b"
)
# A rule reading this asks the user (UnknownStatusWord) instead of choosing a status.
ASK = ""

# (status, pattern over the normalised words), the first that matches deciding: a more
# telling reading comes before a plainer one ("освобожден из СИЗО под домашний арест" is
# house arrest; "осужден, освобожден по УДО" is released; "в СИЗО, идет суд" is detention).
STATUS_RULES: list[tuple[str, str]] = [
    # Died after release: not in custody, and not released either.
    (
        ASK,
        rf"{_DIED}.*(освобожд\w*|releas\w*|босат\w*)|"
        rf"(освобожд\w*|releas\w*|босат\w*).*{_DIED}",
    ),
    (
        Status.DIED_IN_CUSTODY,
        rf"{_DIED}.*\b(сизо|ивс|колони\w*|заключени\w*|тюрьм\w*|стражей|изолятор\w*|"
        r"custody|prison|detention)|death in custody|"
        rf"\b(қамау\w*|түрме\w*|колония\w*|изолятор\w*)\b.*{_DIED}",
    ),
    (Status.KILLED, r"\b(убит|убита|убиты|застрелен\w*|killed|murdered|өлтірілді)\b"),
    # Died, with no word of custody: the app has no status for it.
    (ASK, _DIED),
    (
        Status.PSYCHIATRIC_DETENTION,
        r"психиатр\w*|психбольниц\w*|принудительн\w* (лечени\w*|госпитализ\w*)|psychiatric|"
        r"forced (treatment|hospitali\w*)|психиатриялық|мәжбүрлеп емде\w*",
    ),
    (Status.HOUSE_ARREST, r"домашн\w* арест\w*|house arrest|үй ?(қамақ|қамағ|қамау)\w*"),
    (
        Status.RESTRICTED_FREEDOM,
        r"ограничени\w* свобод\w*|restrict\w* (of )?(freedom|liberty)|restricted freedom|"
        r"бостандығын шектеу|бостандығы шектел\w*|"
        r"условн\w* (срок\w*|осужд\w*|наказани\w*|лишени\w*)|осужд\w* условно|"
        r"\bусловно\b(?! досрочн)|suspended (sentence|term)|пробаци\w*|probation\w*|"
        r"шартты (түрде )?(сотталды|жаза\w*)",
    ),
    (
        Status.IN_EXILE,
        r"эмигр\w*|выехал\w*|уехал\w*|покинул\w* (страну|казахстан)|за границ\w*|"
        r"за рубеж\w*|изгнани\w*|\bexile\w*|emigrat\w*|\bfled\b|left the country|abroad|"
        r"шетелге|шетелде|елден кет\w*|эмиграция\w*",
    ),
    (Status.WANTED, r"розыск\w*|в бегах|скрывается|\bwanted\b|іздеу\w*|іздестір\w*"),
    (Status.ACQUITTED, r"оправда\w*|acquit\w*|ақтал\w*|ақтау үкім\w*"),
    (
        Status.RELEASED,
        r"\bудо\b|условно досрочн\w*|\bparole\w*|мерзімінен бұрын|"
        r"помилова\w*|pardon\w*|кешірім\w*|кешірілді|амнист\w*|amnest\w*|рақымшылық\w*|"
        r"отбыл\w* (свой |весь )?(срок\w*|наказани\w*)|срок отбыт|"
        # "жазасын өтеп шықты" served it out; "жазасын өтеуде" is serving it (imprisoned).
        r"served (the |his |her |their )?(sentence|term)|(жазасын|мерзімін) (толық )?өтеп шық\w*|"
        r"\bштраф\w*|\bfine\b|\bfined\b|айыппұл\w*",
    ),
    (
        Status.PRETRIAL_DETENTION,
        r"\bсизо\b|\bивс\b|под страж\w*|\bарест\w*|\barrest\w*|задержан\w*|pre ?trial|"
        r"in custody|remand\w*|\bdetained\b|тергеу изолятор\w*|қамау\w*|ұсталды",
    ),
    (
        Status.ON_TRIAL,
        r"\bсуд\b|идет суд|судебн\w* (процесс\w*|разбирательств\w*)|на суде|on trial|"
        r"\btrial\b|\bв суде\b|\bсотта\b|сот процес\w*|\bсот жүр\w*|сот отырыс\w*",
    ),
    (
        Status.IMPRISONED,
        r"осужд\w*|приговор\w*|колони\w*|лишени\w* свобод\w*|отбывает\w*|заключени\w*|тюрьм\w*|"
        r"\bитк\b|\bик\b|imprison\w*|convict\w*|\bsentenced\b|serving|in prison|\bjail\w*|"
        r"соттал\w*|түрме\w*|бас бостандығынан айыр\w*|үкім\w*|жазасын өте(у|п жатыр|п жүр)\w*|"
        r"түзеу мекеме\w*",
    ),
    (
        Status.INVESTIGATION,
        r"следстви\w*|подписк\w* о невыезде|\bзалог\w*|запрет\w* определенн\w*|"
        r"дознани\w*|investigat\w*|suspect\w*|подозрева\w*|обвиняем\w*|тергеу\w*|күдікті|"
        # Bail and an undertaking not to leave, as "залог" and "подписка о невыезде" are.
        r"кепіл\w*|жол жүрмеу\w*|поручительств\w*|\bbail\b",
    ),
    (
        Status.RELEASED,
        r"освобожд\w*|на свободе|вышл?\w* на свободу|\breleased\b|\bfreed\b|\bfree\b|"
        r"at liberty|босатыл\w*|бостандықта|бостандыққа шық\w*",
    ),
    (
        Status.UNKNOWN,
        r"неизвестн\w*|\bне известн\w*|нет (данных|информации|сведений)|\bunknown\b|белгісіз|"
        r"мәлімет жоқ",
    ),
]
_RULES = [(status, re.compile(pattern)) for status, pattern in STATUS_RULES]

# A release the words deny ("не освобожден", "отказано в УДО", "parole denied",
# "босатылмады", "УДО-дан бас тартылды") says nothing of where the person is: it is left out
# before the rules read the cell, so what else it says decides ("в СИЗО, в освобождении под
# залог отказано" is detention) and a cell saying nothing else is asked about, never read
# as released.
_RELEASE = (
    r"((условно )?досрочн\w* |(шартты түрде )?мерзімінен бұрын )?"
    r"(освобожд\w*|удо|parole\w*|release\w*|босату\w*|босатылу\w*)"
)
_RELEASE_DENIED = re.compile(
    r"\bне (был |была |были )?(освобожд\w*|вышл?\w* на свободу|выпущен\w*)|"
    rf"\bотказ\w*( \w+){{0,2}} {_RELEASE}|\b{_RELEASE}( \w+){{0,3}} (отказа\w*|отклон\w*)|"
    r"\bnot (been )?(released|freed|paroled)\b|"
    rf"\b(denied|refused|rejected)( \w+)? {_RELEASE}|\b{_RELEASE}( \w+)? (denied|refused|rejected)\b|"
    rf"босатылма\w*|\b{_RELEASE}( \w+){{0,2}} бас тарт\w*"
)
# A status the words deny or end ("не осужден", "снят с розыска", "домашний арест
# отменен") is no status of the person either.
_STATUS_ENDED = re.compile(
    r"\bне (был |была |были )?(осужд\w*|задержан\w*|арестован\w*)|"
    r"\bснят\w* с розыск\w*|\bрозыск\w* (прекращ\w*|отмен\w*)|\bno longer wanted\b|"
    r"іздеуден алын\w*|\b(домашн\w* )?арест\w* (отмен\w*|снят\w*)|"
    r"\bhouse arrest (lifted|ended)\b"
)
# The place a person left ("освобожден из колонии", "из-под стражи", "from house arrest",
# "колониядан босатылды") is where they no longer are: left out too, so the release is
# read, not the place ("освобожден из СИЗО под домашний арест" stays house arrest).
_LEFT_FROM = re.compile(
    r"\bиз( под)? (мест лишения свободы|(следственн\w* )?изолятор\w*|сизо|ивс|"
    r"колони\w*( поселени\w*)?|ик( \d+)*|итк( \d+)*|тюрьм\w*|заключени\w*|"
    r"(домашн\w* )?арест\w*|страж\w*|спецприемник\w*)|"
    r"\bfrom (house arrest|custody|detention|pre ?trial detention|prison|jail|"
    r"(the |a )?(penal )?colony|sizo)\b|"
    r"\b(үй )?(қамағынан|қамақтан|қамаудан|түрмеден|колониядан|изолятордан|"
    r"тергеу изоляторынан|(ти|сизо|ивс|тии) (дан|нан|тан|тен|ден|нен)|сизодан)"
)
_UNSAID = (_RELEASE_DENIED, _STATUS_ENDED, _LEFT_FROM)

STATUS_BY_WORD: dict[str, str] = {}
for _status, _phrases in STATUS_PHRASES.items():
    for _phrase in _phrases.strip().splitlines():
        STATUS_BY_WORD[word_normalise(_phrase)] = str(_status)
for _status in Status:
    STATUS_BY_WORD[word_normalise(_status.value)] = _status.value
    STATUS_BY_WORD[word_normalise(str(_status.label))] = _status.value


class UnknownStatusWord(CellError):
    """A status word nothing knows yet; `word` is it normalised, for the user to choose a
    status for."""

    def __init__(self, message: str, *, word: str, written: str) -> None:
        super().__init__(message)
        self.word = word
        self.written = written


@dataclass(frozen=True)
class StatusReading:
    status: str
    # Read by the rules: the cell's words may say more than the status, and are kept.
    by_rule: bool = False


def status_read(value: Cell, *, remembered: dict[str, str] | None = None) -> StatusReading | None:
    """A status cell -> its reading; None for an empty cell. `remembered`: normalised word
    -> status, the organisation's (and the run's) own words, which come first."""
    text = cell_text(value)
    if not text:
        return None
    word = word_normalise(text)
    if not word:
        return None
    chosen = (remembered or {}).get(word)
    if chosen:
        return StatusReading(chosen)
    code = STATUS_BY_WORD.get(word)
    if code is not None:
        return StatusReading(code)
    said = word
    for unsaid in _UNSAID:
        said = unsaid.sub(" ", said)
    for status, pattern in _RULES:
        if pattern.search(said):
            if status == ASK:
                break
            return StatusReading(str(status), by_rule=True)
    raise UnknownStatusWord(
        _(
            "The status %(word)s is not known: choose what it means on the preview, or write "
            "one of the usual words (e.g. “в СИЗО”, “осужден”, “освобожден”, “in exile”)."
        )
        % {"word": cell_quote(value)},
        word=word[:200],
        written=text[:200],
    )


def status_parse(value: Cell, *, remembered: dict[str, str] | None = None) -> str:
    """A status word -> the status code; "" for an empty cell."""
    reading = status_read(value, remembered=remembered)
    return reading.status if reading else ""


def status_word_parse(text: str) -> str:
    """What a person typed for "this word means …" (a code, a label, or a known word) -> the
    status code; raises CellError."""
    word = word_normalise(text)
    code = STATUS_BY_WORD.get(word)
    if code is None:
        raise CellError(
            _("%(word)s is not a status; use one of: %(codes)s.")
            % {"word": cell_quote(text), "codes": ", ".join(Status.values)}
        )
    return code


def status_word_given_parse(item: str) -> tuple[str, str]:
    """A status word given for one file, written "WORD=status" (the command line's
    --status-word, the API's status_word) -> (word, status code); raises CellError."""
    word, separator, status = item.rpartition("=")
    if not separator or not word.strip():
        raise CellError(_("%(item)s: write it as WORD=status.") % {"item": cell_quote(item)})
    return word.strip(), status_word_parse(status)


def status_words_remembered(*, organisation: Organisation) -> dict[str, str]:
    """Normalised word -> status: the words the organisation chose a status for."""
    return dict(StatusWord.objects.filter(organisation=organisation).values_list("word", "status"))


def status_words_remember(
    *, organisation: Organisation, choices: dict[str, tuple[str, str]], by: AnyUser | None
) -> int:
    """Keep the organisation's choices, {normalised word: (as written, status)}, for its
    next files; a word chosen again takes the new status. Returns how many were kept."""
    rows = [
        StatusWord(
            organisation=organisation,
            word=word_normalise(word)[:200],
            written=written[:200],
            status=status,
            chosen_by=cast("User | None", by),  # an account (AnyUser: request.user's type)
        )
        for word, (written, status) in choices.items()
        if word_normalise(word) and status in Status.values
    ]
    StatusWord.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["organisation", "word"],
        update_fields=["status", "chosen_by", "updated_at"],
    )
    return len(rows)


# A full date written in a status cell ("освобождена 15.05.2023", "в СИЗО с 2021-03-12"):
# dotted day first, as Russian and Kazakh write it, or ISO.
_DATE_IN_TEXT = re.compile(
    r"(?<!\d)(?:(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{2})-(\d{2}))(?!\d)"
)


def status_date_in(text: str) -> datetime.date | None:
    """The one full date a status cell's words give (the day the status began), or None:
    none, more than one, or no real date."""
    found = _DATE_IN_TEXT.findall(text)
    if len(found) != 1:
        return None
    day, month, year, iso_year, iso_month, iso_day = found[0]
    try:
        if year:
            return datetime.date(int(year), int(month), int(day))
        return datetime.date(int(iso_year), int(iso_month), int(iso_day))
    except ValueError:
        return None
