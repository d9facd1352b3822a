"""Cell values as partners write them -> the values the models hold. Each function returns
the value or raises CellError with a message that quotes what was written."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from casework.exports import FORMULA_TRIGGERS
from casework.importing.parsing import Cell
from casework.models import Person, Status
from casework.names import NAME_SEPARATORS as _NAME_SEPARATORS
from casework.names import file_name_order as file_name_order  # matching.py reads it here
from casework.names import latin_name_from_cyrillic


class CellError(ValueError):
    pass


_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_SPACES = re.compile(r"\s+")


def cell_text(value: Cell) -> str:
    """A cell as trimmed text; formulas stay the text that was typed, never evaluated."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, datetime.date):
        return value.isoformat()
    return _SPACES.sub(" ", str(value).replace("\xa0", " ")).strip()


def _quote(value: Cell) -> str:
    text = cell_text(value)
    return f"“{text[:60]}{'…' if len(text) > 60 else ''}”"


# --- Dates ------------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})(?:\s*(?:г\.?|года?))?(?:\s.*)?$")
_YEAR_ALONE = re.compile(r"^(\d{4})\s*(?:г\.?|года?|г\.?\s*р\.?|гр)?\.?$")


@dataclass(frozen=True)
class ParsedDate:
    value: datetime.date | None = None
    year: int | None = None  # set alone when only a year was written


def date_parse(value: Cell) -> ParsedDate:
    """ISO, dd.mm.yyyy, dd/mm/yyyy, an Excel date cell or serial number, or a year alone."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return ParsedDate()
    if isinstance(value, datetime.datetime):
        return _checked(value.date(), value)
    if isinstance(value, datetime.date):
        return _checked(value, value)
    if isinstance(value, (int, float)):
        number = float(value)
        if number.is_integer() and 1900 <= number <= 2100:
            return ParsedDate(year=int(number))
        if 1 <= number < 80_000:
            return _checked(_EXCEL_EPOCH + datetime.timedelta(days=int(number)), value)
        raise CellError(f"{_quote(value)} is not a date.")
    text = cell_text(value)
    match = _ISO.match(text)
    if match:
        return _checked(_date(int(match[1]), int(match[2]), int(match[3]), value), value)
    match = _DAY_FIRST.match(text)
    if match:
        day, month, year = int(match[1]), int(match[2]), match[3]
        if len(year) != 4:
            raise CellError(f"{_quote(value)}: write the year with four digits (e.g. 12.03.2021).")
        return _checked(_date(int(year), month, day, value), value)
    match = _YEAR_ALONE.match(text)
    if match:
        year = int(match[1])
        if not 1900 <= year <= 2100:
            raise CellError(f"{_quote(value)} is not a plausible year.")
        return ParsedDate(year=year)
    if text.isdigit():
        return date_parse(int(text))
    raise CellError(
        f"{_quote(value)} is not a date; write it as 31.12.2021, 2021-12-31 or a year alone."
    )


def _date(year: int, month: int, day: int, original: Cell) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise CellError(f"{_quote(original)} is not a valid date.") from None


def _checked(date: datetime.date, original: Cell) -> ParsedDate:
    if not 1900 <= date.year <= 2100:
        raise CellError(f"{_quote(original)} is not a plausible date.")
    return ParsedDate(value=date)


# --- Status words -----------------------------------------------------------------------------

_STATUS_WORDS: dict[str, list[str]] = {
    Status.INVESTIGATION: [
        "под следствием", "следствие", "подписка о невыезде", "залог",
        "запрет определенных действий", "investigation", "under investigation",
    ],
    Status.PRETRIAL_DETENTION: [
        "в сизо", "сизо", "под стражей", "содержание под стражей", "заключение под стражу",
        "арест", "арестован", "арестована", "задержан", "задержана", "pre trial detention",
        "pretrial detention", "in pre trial detention", "detained", "in custody", "remand",
    ],
    Status.HOUSE_ARREST: [
        "под домашним арестом", "домашний арест", "house arrest", "under house arrest",
    ],
    Status.ON_TRIAL: ["суд", "идет суд", "на суде", "судебный процесс", "on trial", "trial"],
    Status.IMPRISONED: [
        "осужден", "осуждена", "в колонии", "лишение свободы", "отбывает наказание",
        "в заключении", "imprisoned", "convicted", "sentenced", "serving a sentence", "in prison",
    ],
    Status.RESTRICTED_FREEDOM: [
        "ограничение свободы", "restricted freedom", "restriction of freedom",
        "restriction of liberty",
    ],
    Status.PSYCHIATRIC_DETENTION: [
        "принудительное лечение", "психиатрическая больница", "в психбольнице",
        "psychiatric detention", "forced psychiatric treatment",
    ],
    Status.RELEASED: [
        "освобожден", "освобождена", "на свободе", "освобожден досрочно", "released", "freed",
    ],
    Status.ACQUITTED: ["оправдан", "оправдана", "acquitted"],
    Status.IN_EXILE: ["в эмиграции", "эмиграция", "в изгнании", "за границей", "in exile", "exile"],
    Status.DIED_IN_CUSTODY: [
        "умер в сизо", "умерла в сизо", "умер в заключении", "умерла в заключении",
        "умер в колонии", "умерла в колонии", "died in custody",
    ],
    Status.KILLED: ["убит", "убита", "killed"],
    Status.UNKNOWN: ["неизвестно", "нет данных", "unknown"],
}  # fmt: skip
_WORD_NOISE = re.compile(r"[^\w]+", re.UNICODE)


def word_normalise(text: str) -> str:
    return _WORD_NOISE.sub(" ", text.lower().replace("ё", "е").replace("_", " ")).strip()


STATUS_BY_WORD: dict[str, str] = {}
for _status, _words in _STATUS_WORDS.items():
    for _word in _words:
        STATUS_BY_WORD[word_normalise(_word)] = str(_status)
for _status in Status:
    STATUS_BY_WORD[word_normalise(_status.value)] = _status.value
    STATUS_BY_WORD[word_normalise(str(_status.label))] = _status.value


def status_parse(value: Cell) -> str:
    """A status word in Russian or English -> the status code; '' for an empty cell."""
    text = cell_text(value)
    if not text:
        return ""
    code = STATUS_BY_WORD.get(word_normalise(text))
    if code is None:
        raise CellError(
            f"The status {_quote(value)} is not known; use one of the words in the template "
            "(e.g. “в СИЗО”, “осужден”, “освобожден”, “in exile”)."
        )
    return code


# --- Gender and occupation --------------------------------------------------------------------

_GENDER_WORDS = {
    "м": "male", "муж": "male", "мужской": "male", "male": "male", "m": "male", "man": "male",
    "ж": "female", "жен": "female", "женский": "female", "female": "female", "f": "female",
    "woman": "female",
}  # fmt: skip

_OCCUPATION_WORDS = {
    "журналист": "journalist", "журналистка": "journalist", "journalist": "journalist",
    "активист": "activist", "активистка": "activist", "гражданский активист": "activist",
    "activist": "activist", "блогер": "blogger", "блогерша": "blogger", "blogger": "blogger",
    "адвокат": "lawyer", "юрист": "lawyer", "lawyer": "lawyer",
    "правозащитник": "human_rights_defender", "правозащитница": "human_rights_defender",
    "human rights defender": "human_rights_defender",
    "профсоюзный активист": "trade_unionist", "trade unionist": "trade_unionist",
    "верующий": "religious_believer", "верующая": "religious_believer",
    "religious believer": "religious_believer", "политик": "politician",
    "politician": "politician", "предприниматель": "businessperson",
    "businessperson": "businessperson", "другое": "other", "other": "other",
}  # fmt: skip


def gender_parse(value: Cell) -> str:
    text = word_normalise(cell_text(value))
    if not text:
        return ""
    if text not in _GENDER_WORDS:
        raise CellError(f"The gender {_quote(value)} is not known; write М/Ж or male/female.")
    return _GENDER_WORDS[text]


def occupation_parse(value: Cell) -> str:
    text = word_normalise(cell_text(value))
    if not text:
        return ""
    code = _OCCUPATION_WORDS.get(text) or (
        text.replace(" ", "_") if text.replace(" ", "_") in Person.Occupation.values else None
    )
    if code is None:
        raise CellError(
            f"The occupation {_quote(value)} is not known; write e.g. журналист, активист, "
            "блогер, правозащитник, journalist, activist."
        )
    return code


# --- Charges ----------------------------------------------------------------------------------

# A charge cell is read as a stream of tokens, because Russian writes the part before the
# article ("ч. 2 ст. 405") as often as after it ("ст. 405 ч. 2", "Art. 405(2)"), and a comma
# may separate an article from its own part ("ст. 174, ч.1"). Splitting on commas first and
# taking the first number of each piece read "ч.2 ст.405" as article 2.
_CHARGE_TOKEN = re.compile(
    r"(?P<sep>[;,\n]|(?<![^\W\d_])(?:и|and|&)(?![^\W\d_]))"
    r"|(?P<part>(?<![^\W\d_])(?:ч|част[ьиюя]|p|pt|parts?)\.?\s*(?P<part_number>\d{1,2})(?!\d))"
    r"|(?P<clause>(?<![^\W\d_])(?:пп?|пункт[а-я]*|подпункт[а-я]*|item|cl|clause)\.?\s*"
    r"\d{1,2}(?!\d))"
    r"|(?P<paren>\(\s*(?P<paren_number>\d{1,2})\s*\))"
    r"|(?P<year>(?<!\d)(?:19[5-9]\d|20[0-4]\d)(?!\d))"
    r"|(?P<article>(?<!\d)\d{1,4}(?:-\d{1,2})?(?!\d))",
    re.IGNORECASE,
)
# Words a charge cell may hold besides articles: what names the code, the article, "year".
_CHARGE_WORDS = re.compile(
    r"ст|стать[яиейю]|статей|ук|рк|кз|уголовн[а-я]*|кодекс[а-я]*|г|года?|ред|редакции|art|"
    r"articles?|cc|criminal|code|of|the|rk|kz|kazakhstan|казахстан[а-я]*|республики|ч|часть|"
    r"части|п|пункт|and|и",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class ChargeReference:
    article: str
    part: str
    code: str  # "CC 2014" or "CC 1997"


def charges_parse(value: Cell) -> list[ChargeReference]:
    """'ст. 174 ч.1 УК РК; ст.405', 'ч.2 ст.405 УК РК', 'ст. 174, ч.1', 'Art. 174(1), 405(2)'
    -> the article and part of each charge, in the order written, without repeats."""
    text = cell_text(value)
    if not text:
        return []
    charges: list[list] = []  # [article, part, clause number, hard segment number]
    clause = segment = 0
    last: list | None = None  # the article a part right after it belongs to
    adjacent = False  # nothing but spaces and words since `last`
    pending: tuple[str, list | None] | None = None  # a part waiting for its article
    years: dict[tuple[str, int], str] = {}
    clause_has_token: dict[int, bool] = {}
    clause_text: dict[int, list[str]] = defaultdict(list)
    position = 0
    for match in _CHARGE_TOKEN.finditer(text):
        clause_text[clause].append(text[position : match.start()])
        position = match.end()
        kind = match.lastgroup
        if kind == "sep":
            if match.group() in ";\n":
                segment += 1
            clause += 1
            adjacent = False
            continue
        clause_has_token[clause] = True
        if kind == "part":
            number = match["part_number"]
            if last is not None and adjacent and not last[1]:
                last[1] = number
            else:
                pending = (number, last)
            continue
        if kind == "paren":
            if last is not None and adjacent and not last[1]:
                last[1] = match["paren_number"]
            continue
        if kind == "clause":
            continue  # a clause (пункт) narrows a part; the charge is the article and part
        if kind == "year":
            years[("clause", clause)] = years[("segment", segment)] = match.group()
            continue
        article = match.group()
        if int(article.split("-")[0]) == 0 or int(article.split("-")[0]) > 999:
            raise CellError(f"{_quote(article)} in {_quote(value)} is not an article number.")
        last = [article, pending[0] if pending else "", clause, segment]
        pending = None
        charges.append(last)
        adjacent = True
    clause_text[clause].append(text[position:])
    if pending is not None:
        number, earlier = pending
        if earlier is None:
            raise CellError(f"{_quote(value)}: part {number} names no article; write e.g. "
                            "“ч. 1 ст. 174 УК РК”.")  # fmt: skip
        if not earlier[1]:
            earlier[1] = number
        else:  # "ст. 174 ч. 1 и ч. 2": parts 1 and 2 of the same article
            charges.append([earlier[0], number, earlier[2], earlier[3]])
    for number, pieces in clause_text.items():
        words = _LETTERS.findall(" ".join(pieces))
        unknown = [word for word in words if not _CHARGE_WORDS.fullmatch(word)]
        if unknown and not clause_has_token.get(number):
            piece = " ".join(pieces).strip()
            raise CellError(
                f"The charge {_quote(piece)} names no article; write e.g. “ст. 174 ч.1 УК РК”."
            )
    if not charges:
        raise CellError(
            f"The charge {_quote(value)} names no article; write e.g. “ст. 174 ч.1 УК РК”."
        )
    found: list[ChargeReference] = []
    for article, part, clause_number, segment_number in charges:
        year = years.get(("clause", clause_number)) or years.get(("segment", segment_number))
        reference = ChargeReference(
            article=article, part=part, code="CC 1997" if year == "1997" else "CC 2014"
        )
        if reference not in found:
            found.append(reference)
    return found


# --- Names ------------------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_TWO_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_]", re.DOTALL)


@dataclass(frozen=True)
class ParsedName:
    full_name: str  # Latin script
    native_name: str  # as written in Cyrillic, or ""


def name_parse(
    value: Cell, latin_value: Cell = None, *, family_first: bool | None = None
) -> ParsedName:
    """A name cell in Cyrillic and/or Latin ("Жумагулов Алмат Серикович", "ZHUMAGULOV Almat",
    "Жумагулов Алмат (Almat Zhumagulov)") -> a Latin primary name and a native name.
    family_first: the order the file writes its names in (file_name_order), for a Cyrillic
    name whose words do not show which is the family name."""
    text = cell_text(value)
    latin_text = cell_text(latin_value) if latin_value is not None else ""
    for candidate in (text, latin_text):
        if candidate.startswith(FORMULA_TRIGGERS):
            raise CellError(f"{_quote(candidate)} looks like a spreadsheet formula, not a name.")
    if not text and not latin_text:
        raise CellError("The name is empty.")
    if _NAME_SEPARATORS.search(text):
        parts = [part.strip() for part in _NAME_SEPARATORS.split(text) if part.strip()]
        cyrillic = " ".join(part for part in parts if _CYRILLIC.search(part))
        latin = latin_text or " ".join(part for part in parts if not _CYRILLIC.search(part))
    elif _CYRILLIC.search(text):
        cyrillic, latin = text, latin_text
    else:
        cyrillic, latin = "", latin_text or text
    if latin and _CYRILLIC.search(latin):
        raise CellError(f"{_quote(latin)} should be in Latin letters.")
    for name in (cyrillic, latin):
        if name and not _TWO_LETTERS.search(name):
            raise CellError(f"{_quote(name)} is not a name.")
        if len(name) > 200:
            raise CellError("The name is longer than 200 characters.")
    full_name = (
        _title_if_shouting(latin)
        if latin
        else latin_name_from_cyrillic(cyrillic, family_first=family_first)
    )
    return ParsedName(full_name=full_name, native_name=cyrillic)


def _title_if_shouting(name: str) -> str:
    return " ".join(
        token.title() if token.isupper() and len(token) > 1 else token for token in name.split()
    )


def text_parse(value: Cell, *, max_length: int | None = None) -> str:
    """Free text kept as written (a leading '=' included: it is stored as text, never run)."""
    text = "" if value is None else cell_text(value) if not isinstance(value, str) else value
    text = text.replace("\r\n", "\n").replace("\xa0", " ").strip()
    if max_length is not None and len(text) > max_length:
        raise CellError(f"The text is longer than {max_length} characters.")
    return text
