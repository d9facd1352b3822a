"""casework.names.clean: what may be stored as a name or a reference."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from casework.names import TextRefusedError, name_clean, text_spoofing_removed, text_strip_spoofing
from common.text import BIDIRECTIONAL


@pytest.mark.parametrize("invisible", ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"])
def test_it_strips_invisible_characters_from_a_name(invisible):
    assert name_clean(f"Al{invisible}mat Zhuma{invisible}gulov", field="Full name") == (
        "Almat Zhumagulov"
    )


@pytest.mark.parametrize(
    ("control", "code"),
    [
        ("\u202e", "U+202E"),
        ("\u202d", "U+202D"),
        ("\u2066", "U+2066"),
        ("\u2069", "U+2069"),
        ("\u200f", "U+200F"),
        ("\u061c", "U+061C"),
    ],
)
def test_it_refuses_a_direction_control_and_names_the_field_and_the_character(control, code):
    with pytest.raises(TextRefusedError) as refused:
        name_clean(f"Almat {control}volugamuhZ", field="Full name (Latin script)")
    assert str(refused.value).startswith("Full name (Latin script) contains a character")
    assert code in str(refused.value)


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\U000e0041", "\u2062"])
def test_it_refuses_other_invisible_control_characters(control):
    with pytest.raises(TextRefusedError, match="invisible control character"):
        name_clean(f"Almat{control} Zhumagulov", field="Full name")


@pytest.mark.parametrize("written", ['=HYPERLINK("x")', "+77010000000", "-Almat", "@Almat"])
def test_it_refuses_a_name_that_would_run_as_a_formula(written):
    with pytest.raises(TextRefusedError, match="must begin with a letter"):
        name_clean(written, field="Full name")


def test_it_makes_white_space_single_spaces_and_composes_letters():
    assert name_clean("  Алмат\u00a0\tЖумагулов \n", field="Name") == "Алмат Жумагулов"
    assert name_clean("Жумагулов Алмат Сериков\u0438\u0306", field="Name").endswith("й")


def test_it_keeps_a_reference_apart_from_the_name_rules():
    assert text_strip_spoofing("KZ-2021\u200b-0007", field="Reference") == "KZ-2021-0007"
    with pytest.raises(TextRefusedError, match="Reference contains"):
        text_strip_spoofing("KZ-2021-\u202e7000", field="Reference")


def test_it_removes_everything_invisible_from_text_stored_before_the_rules():
    assert text_spoofing_removed("Al\u202emat\u00ad Zhu\u2066magulov\u2069") == "Almat Zhumagulov"


def test_it_refuses_no_character_python_calls_printable_so_the_quick_path_is_sound():
    # text_strip_spoofing returns a printable text without looking at each character: no
    # printable character may be one it refuses (a Unicode update could change that).
    refused = {"Cf", "Cc", "Co", "Cs", "Cn"}
    printable_refused = [
        f"U+{code:04X}"
        for code in range(sys.maxunicode + 1)
        if (character := chr(code)).isprintable()
        and (character in BIDIRECTIONAL or unicodedata.category(character) in refused)
    ]
    assert printable_refused == []


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("Пeтpов Пётр", "Петров Пётр"),  # Latin e and p
        ("Cейткали Hурлан", "Сейткали Нурлан"),
        ("Әбiшев Ғалым", "Әбішев Ғалым"),  # Latin i for the Kazakh і
        ("Oразов-Cмит", "Оразов-Смит"),
        ("Zhumagulоv Almat", "Zhumagulov Almat"),  # a Cyrillic о in a Latin name
        ("ABISHEV Галым", "ABISHEV Галым"),  # each word in one script: as written
        ("Жumagulov", "Жumagulov"),  # letters with no twin: as written
    ],
)
def test_it_writes_a_word_of_look_alike_latin_and_cyrillic_letters_in_one_script(written, stored):
    assert name_clean(written, field="Full name") == stored
