"""Names across scripts: the one place that normalises and compares personal names.

Search, import duplicate detection, the importer's reading of name cells and mention
detection all call this package; nothing else compares names. Everything is compared in
one folded Latin form. The map:

- `fold`: `transliterate` (Russian and Kazakh Cyrillic to Latin), `normalise_name`
  (lower case, no diacritics or punctuation), `fold_token` (kh/h, zh/j/dzh, -ayev/-aev,
  ye-/e-, ya/ia, doubled letters … to one spelling);
- `initials`: which initials may stand for a written word (`word_heads`): folding merges
  Zhanbolat and Dzhanbolat, an initial does not ("D." is never Zhanbolat);
- `parts`: `name_parts` tells given names, the family name, patronymics and initials
  apart; the patronymic particles (-uly/-kyzy) and the family-name endings live here only;
- `endings`: the nominative readings of a word a text put in a Russian or Kazakh case
  (`word_readings`: Жумагуловым, Әбішевтің, Äbişevtiñ);
- `score`: `name_match_score` (measured on tests/casework/name_pairs.tsv) and
  `NAME_MATCH_THRESHOLD`, where the app says "same person";
- `keys`: `name_keys` (what a person is stored under, with each name's reading and its
  family name's near key) and `name_search_keys` / `word_near_keys` (what a typed query or
  a word of a text is looked up by, exactly or a letter off; `family_ending_forms`, a
  family name across its Russian ending; `name_typo_keys`, a given name a keystroke off
  beside a family name on file, for search alone);
- `order`: the importer's Latin primary name for a Cyrillic name cell and the order a
  file writes its names in;
- `variants`: long, short and regional forms of one given name (given_name_variants.txt);
- `capitals`: a name written in capitals as a caseworker would write it (`name_written`),
  Latin and Cyrillic alike;
- `clean`: what may be stored as a name or a reference (`name_clean`,
  `text_strip_spoofing`): no direction controls or invisible characters, no formula start.
"""

from casework.names.capitals import name_written
from casework.names.clean import (
    TextRefusedError,
    name_clean,
    text_spoofing_removed,
    text_strip_spoofing,
)
from casework.names.endings import (
    kazakh_case_stems,
    russian_case_stems,
    text_is_kazakh_latin,
    word_forms,
    word_is_patronymic_particle,
    word_readings,
)
from casework.names.fold import (
    CYRILLIC_TO_LATIN,
    fold_alternatives,
    fold_diacritics,
    fold_token,
    has_cyrillic,
    name_tokens,
    normalise_name,
    transliterate,
)
from casework.names.initials import (
    DIGRAPH_INITIALS,
    agreeing_initials,
    initials_agree,
    word_heads,
)
from casework.names.keys import (
    NEAR_MIN_LETTERS,
    NEAR_PREFIX,
    READING_KEY,
    READING_PREFIX,
    READING_WORDS,
    TYPO_MIN_LETTERS,
    family_ending_forms,
    family_near_key,
    name_checksum,
    name_family_stem_keys,
    name_keys,
    name_readings_in_keys,
    name_search_keys,
    name_typo_keys,
    word_near_keys,
    word_skeleton,
    word_typo_variants,
)
from casework.names.order import (
    NAME_ORDER_SAMPLE,
    NAME_SEPARATORS,
    file_name_order,
    latin_name_from_cyrillic,
)
from casework.names.parts import (
    PATRONYMIC_PARTICLES,
    TITLES,
    NameParts,
    name_parts,
    word_family_strength,
    word_patronymic_kind,
)
from casework.names.score import (
    NAME_MATCH_THRESHOLD,
    name_match_score,
    name_match_score_best,
    word_similarity,
)
from casework.names.variants import given_names_are_variants

__all__ = [
    "CYRILLIC_TO_LATIN",
    "DIGRAPH_INITIALS",
    "NAME_MATCH_THRESHOLD",
    "NAME_ORDER_SAMPLE",
    "NAME_SEPARATORS",
    "NEAR_MIN_LETTERS",
    "NEAR_PREFIX",
    "PATRONYMIC_PARTICLES",
    "READING_KEY",
    "READING_PREFIX",
    "READING_WORDS",
    "TITLES",
    "TYPO_MIN_LETTERS",
    "NameParts",
    "TextRefusedError",
    "agreeing_initials",
    "family_ending_forms",
    "family_near_key",
    "file_name_order",
    "fold_alternatives",
    "fold_diacritics",
    "fold_token",
    "given_names_are_variants",
    "has_cyrillic",
    "initials_agree",
    "kazakh_case_stems",
    "latin_name_from_cyrillic",
    "name_checksum",
    "name_clean",
    "name_family_stem_keys",
    "name_keys",
    "name_match_score",
    "name_match_score_best",
    "name_parts",
    "name_readings_in_keys",
    "name_search_keys",
    "name_tokens",
    "name_typo_keys",
    "name_written",
    "normalise_name",
    "russian_case_stems",
    "text_is_kazakh_latin",
    "text_spoofing_removed",
    "text_strip_spoofing",
    "transliterate",
    "word_family_strength",
    "word_forms",
    "word_heads",
    "word_is_patronymic_particle",
    "word_near_keys",
    "word_patronymic_kind",
    "word_readings",
    "word_similarity",
    "word_skeleton",
    "word_typo_variants",
]
