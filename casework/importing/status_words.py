"""Status words as partners write them, in Russian and English -> the status codes."""

from __future__ import annotations

from casework.importing.cells import Cell, CellError, cell_quote, cell_text, word_normalise
from casework.models import Status

_STATUS_WORDS: dict[str, list[str]] = {
    Status.INVESTIGATION: [
        "под следствием",
        "следствие",
        "подписка о невыезде",
        "залог",
        "запрет определенных действий",
        "investigation",
        "under investigation",
    ],
    Status.PRETRIAL_DETENTION: [
        "в сизо",
        "сизо",
        "под стражей",
        "содержание под стражей",
        "заключение под стражу",
        "арест",
        "арестован",
        "арестована",
        "задержан",
        "задержана",
        "pre trial detention",
        "pretrial detention",
        "in pre trial detention",
        "detained",
        "in custody",
        "remand",
    ],
    Status.HOUSE_ARREST: [
        "под домашним арестом",
        "домашний арест",
        "house arrest",
        "under house arrest",
    ],
    Status.ON_TRIAL: ["суд", "идет суд", "на суде", "судебный процесс", "on trial", "trial"],
    Status.IMPRISONED: [
        "осужден",
        "осуждена",
        "в колонии",
        "лишение свободы",
        "отбывает наказание",
        "в заключении",
        "imprisoned",
        "convicted",
        "sentenced",
        "serving a sentence",
        "in prison",
    ],
    Status.RESTRICTED_FREEDOM: [
        "ограничение свободы",
        "restricted freedom",
        "restriction of freedom",
        "restriction of liberty",
    ],
    Status.PSYCHIATRIC_DETENTION: [
        "принудительное лечение",
        "психиатрическая больница",
        "в психбольнице",
        "psychiatric detention",
        "forced psychiatric treatment",
    ],
    Status.RELEASED: [
        "освобожден",
        "освобождена",
        "на свободе",
        "освобожден досрочно",
        "released",
        "freed",
    ],
    Status.ACQUITTED: ["оправдан", "оправдана", "acquitted"],
    Status.IN_EXILE: ["в эмиграции", "эмиграция", "в изгнании", "за границей", "in exile", "exile"],
    Status.DIED_IN_CUSTODY: [
        "умер в сизо",
        "умерла в сизо",
        "умер в заключении",
        "умерла в заключении",
        "умер в колонии",
        "умерла в колонии",
        "died in custody",
    ],
    Status.KILLED: ["убит", "убита", "killed"],
    Status.UNKNOWN: ["неизвестно", "нет данных", "unknown"],
}

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
            f"The status {cell_quote(value)} is not known; use one of the words in the template "
            "(e.g. “в СИЗО”, “осужден”, “освобожден”, “in exile”)."
        )
    return code
