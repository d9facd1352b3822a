"""casework.names.keys: what a name is stored under and what a query looks up."""

from __future__ import annotations

import pytest

from casework.names import (
    family_ending_forms,
    family_near_key,
    fold_token,
    name_checksum,
    name_keys,
    name_readings_in_keys,
    name_search_keys,
    word_forms,
    word_near_keys,
    word_typo_variants,
)


def test_it_makes_initial_keys_only_for_spellings_the_name_has():
    zhanbolat = set(name_keys("Zhanbolat Agadil"))
    assert {"agadil zh", "agadil z", "agadil j"} <= zhanbolat
    assert "agadil d" not in zhanbolat
    assert not set(name_search_keys("D. Agadil")) & zhanbolat
    assert set(name_search_keys("D. Agadil")) & set(name_keys("Dulat Agadil"))
    assert set(name_search_keys("Zh. Agadil")) & set(name_keys("Zh. Agadil"))
    assert set(name_search_keys("J. Agadil")) & set(name_keys("Ж. Агадил"))


def test_it_gives_the_same_word_keys_for_every_spelling_of_a_name():
    def word_keys(name: str) -> set[str]:
        # "almat j" / "almat d": an initial key follows the spelling (Dzhumagulov is "D.").
        # The reading key ends with the checksum of the spelling: not a word key.
        return {
            key for key in name_keys(name) if len(key.split()[-1]) > 3 and not key.startswith("@")
        }

    expected = word_keys("Almat Zhumagulov")
    for spelling in ("Алмат Жумагулов", "Almat Jumagulov", "ZHUMAGULOV Almat", "Almat Dzhumagulov"):
        assert word_keys(spelling) == expected
        assert "jumagulov a" in name_keys(spelling)
    assert {"almat jumagulov", "jumagulov", "jumagulov a"} <= set(name_keys("Almat Zhumagulov"))
    assert "almat d" in name_keys("Almat Dzhumagulov")
    assert "almat d" not in name_keys("Almat Zhumagulov")


@pytest.mark.parametrize("query", ["Жумагулов", "Jumagulov", "Zhumagulov A.", "Алмат Жумагулов"])
def test_it_makes_search_keys_that_meet_the_keys_of_the_name(query):
    assert set(name_search_keys(query)) & set(name_keys("Almat Zhumagulov"))


def test_it_reads_a_russian_case_form_as_its_nominative():
    assert "jumagulov" in word_forms("Жумагуловым")
    assert "jumagulov" in word_forms("Жумагулову")
    assert "tuletaeva" in word_forms("Тулетаевой")
    assert "jumagulov" in name_search_keys("Жумагулова")


def test_it_gives_no_search_key_a_relative_holds_for_a_full_name_query():
    assert not set(name_search_keys("Dulat Agadil")) & set(name_keys("Zhanbolat Agadil"))
    assert not set(name_search_keys("Kenzhebek Abishev")) & set(name_keys("Aset Abishev"))


def test_it_stores_each_name_s_reading_with_a_checksum_of_the_spelling():
    keys = " ".join(name_keys("Алмат Серикович Жумагулов"))
    assert name_readings_in_keys(keys) == [
        (("almat",), "jumagulov", name_checksum("Алмат Серикович Жумагулов"))
    ]
    assert name_checksum("Almat Zhumagulov") != name_checksum("Almat Zhumagulov ")


def test_it_stores_the_family_name_s_near_key_and_finds_it_from_a_spelling_a_letter_off():
    stored = family_near_key(fold_token("tuletaeva"))
    assert stored in name_keys("Roza Tuletaeva")
    for spelling in ("tuleteeva", "tuletaieva", "tuletaev", "tuletbaeva", "tuletava"):
        assert stored in word_near_keys(fold_token(spelling))
    assert stored not in word_near_keys(fold_token("tulegenova"))


def test_it_makes_no_near_key_for_a_short_family_name():
    assert family_near_key("coi") == ""
    assert not any(key.startswith("~") for key in name_keys("Yulia Tsoi"))


def test_it_searches_a_query_with_a_word_of_signs_alone_without_failing():
    # Found by Schemathesis: "ь" folds to nothing, and the search keys raised IndexError.
    assert name_search_keys("ь") == []
    assert name_search_keys("Жумагулов ь") == name_search_keys("Жумагулов")


@pytest.mark.parametrize(
    ("folded", "expected"),
    [
        ("seitkaliev", ("seitkali",)),
        ("seitkalieva", ("seitkali",)),
        ("jumabaev", ("jumaba", "jumabai")),
        ("seitkali", ("seitkaliev", "seitkalieva")),
        ("jumabai", ("jumabaev", "jumabaeva")),
        ("bolat", ("bolatov", "bolatova", "bolatev", "bolateva")),
        ("lvov", ()),  # Lv: too short a stem
        ("omarov", ("omar",)),
        ("kuramshin", ()),  # already a family name's ending
        ("kusmankizi", ()),
    ],
)
def test_it_reads_a_family_name_across_its_russian_ending(folded, expected):
    assert family_ending_forms(folded) == expected


def test_it_makes_typos_of_like_sound_only():
    assert {"erjan", "ersan"} <= word_typo_variants("erzan")
    assert "erlan" not in word_typo_variants("erzan")
    assert "erjan" in word_typo_variants("erjn")
    assert word_typo_variants("bek") == frozenset()
