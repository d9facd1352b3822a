"""Cell values as partners write them -> the values the models hold. Each function returns
the value or raises CellError with a message that quotes what was written."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from casework.exports import FORMULA_TRIGGERS
from casework.importing.parsing import Cell
from casework.models import Person, Status
from casework.names import transliterate


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

_CHARGE_SPLIT = re.compile(r"[;,\n]|\s+и\s+|\s+and\s+", re.IGNORECASE)
_ARTICLE = re.compile(r"(\d{1,4})(?:-(\d{1,2}))?")
_PART = re.compile(
    r"(?:ч\.?|часть|части|part|p\.|pt\.?)\s*(\d{1,2})|^\s*\((\d{1,2})\)", re.IGNORECASE
)


@dataclass(frozen=True)
class ChargeReference:
    article: str
    part: str
    code: str  # "CC 2014" or "CC 1997"


def charges_parse(value: Cell) -> list[ChargeReference]:
    """'ст. 174 ч.1 УК РК, ст.405' / 'Art. 174(1); 405(2)' -> article and part of each."""
    text = cell_text(value)
    if not text:
        return []
    found: list[ChargeReference] = []
    for piece in _CHARGE_SPLIT.split(text):
        piece = piece.strip()
        if not piece:
            continue
        code = "CC 1997" if "1997" in piece else "CC 2014"
        cleaned = piece.replace("1997", " ").replace("2014", " ")
        match = _ARTICLE.search(cleaned)
        if match is None:
            raise CellError(
                f"The charge {_quote(piece)} names no article; write e.g. “ст. 174 ч.1 УК РК”."
            )
        article = match[1] + (f"-{match[2]}" if match[2] else "")
        rest = cleaned[match.end() :]
        part_match = _PART.search(rest)
        part = (part_match[1] or part_match[2]) if part_match else ""
        reference = ChargeReference(article=article, part=part, code=code)
        if reference not in found:
            found.append(reference)
    return found


# --- Names ------------------------------------------------------------------------------------

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)
_PATRONYMIC_ENDINGS = (
    "ович",
    "евич",
    "ич",
    "овна",
    "евна",
    "ична",
    "инична",
    "улы",
    "кызы",
    "уулу",
)


@dataclass(frozen=True)
class ParsedName:
    full_name: str  # Latin script
    native_name: str  # as written in Cyrillic, or ""


def name_parse(value: Cell, latin_value: Cell = None) -> ParsedName:
    """A name cell in Cyrillic and/or Latin ("Жумагулов Алмат Серикович", "ZHUMAGULOV Almat",
    "Жумагулов Алмат (Almat Zhumagulov)") -> a Latin primary name and a native name."""
    text = cell_text(value)
    latin_text = cell_text(latin_value)
    for candidate in (text, latin_text):
        if candidate.startswith(FORMULA_TRIGGERS):
            raise CellError(f"{_quote(candidate)} looks like a spreadsheet formula, not a name.")
    if not text and not latin_text:
        raise CellError("The name is empty.")
    parts = [part.strip() for part in re.split(r"[/()|]", text) if part.strip()]
    cyrillic = " ".join(part for part in parts if _CYRILLIC.search(part))
    latin = latin_text or " ".join(part for part in parts if not _CYRILLIC.search(part))
    if latin and _CYRILLIC.search(latin):
        raise CellError(f"{_quote(latin)} should be in Latin letters.")
    for name in (cyrillic, latin):
        if name and len(_LETTER.findall(name)) < 2:
            raise CellError(f"{_quote(name)} is not a name.")
        if len(name) > 200:
            raise CellError("The name is longer than 200 characters.")
    full_name = _title_if_shouting(latin) if latin else _latin_from_cyrillic(cyrillic)
    return ParsedName(full_name=full_name, native_name=cyrillic)


def _title_if_shouting(name: str) -> str:
    return " ".join(
        token.title() if token.isupper() and len(token) > 1 else token for token in name.split()
    )


def _latin_from_cyrillic(name: str) -> str:
    """'Жумагулов Алмат Серикович' (family, given, patronymic, as Russian lists write it)
    -> 'Almat Zhumagulov': the primary Latin name is written given name first."""
    tokens = name.split()
    if (len(tokens) >= 3 and tokens[2].lower().endswith(_PATRONYMIC_ENDINGS)) or len(tokens) == 2:
        tokens = [tokens[1], tokens[0]]
    return " ".join(
        "-".join(piece.capitalize() for piece in transliterate(token).split("-"))
        for token in tokens
    )


def text_parse(value: Cell, *, max_length: int | None = None) -> str:
    """Free text kept as written (a leading '=' included: it is stored as text, never run)."""
    text = "" if value is None else cell_text(value) if not isinstance(value, str) else value
    text = text.replace("\r\n", "\n").replace("\xa0", " ").strip()
    if max_length is not None and len(text) > max_length:
        raise CellError(f"The text is longer than {max_length} characters.")
    return text
