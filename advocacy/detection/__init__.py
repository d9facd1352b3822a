"""Finding the known people a document names, in English, Russian or Kazakh text.

The map: `index` (the known people by the folded words of their names, built and cached
per process), `tokens` (a text as runs of name-like words), `spans` (which runs name
whom, and the one entry point, document_text_find_people).

The people are loaded into an in-memory index (folded word -> people, folded family
name -> people), kept per process until a name changes (name_index_current); the text's
words are then scanned once. Each written word is read through casework.names, so
"Жумагуловым", "Әбішевтің", "Äbişevtiñ", "Zhumagulov" and "Jumagulov" all reach the same
entry, and a family name the index does not know is looked up by its near keys (a letter
or some vowels off: "Tuleteeva").

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

from advocacy.detection.index import (
    NameIndex,
    name_index_build,
    name_index_current,
    name_index_forget,
    name_index_from_names,
)
from advocacy.detection.spans import DetectedName, document_text_find_people, name_index_find

__all__ = [
    "DetectedName",
    "NameIndex",
    "document_text_find_people",
    "name_index_build",
    "name_index_current",
    "name_index_find",
    "name_index_forget",
    "name_index_from_names",
]
