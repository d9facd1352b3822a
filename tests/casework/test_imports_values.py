"""Cell values as partners write them: charges in the usual Russian orders, names in
Cyrillic (which word is the family name), and cells cleaned of control characters."""

from __future__ import annotations

import pytest

from casework.importing.parsing import text_clean
from casework.importing.values import CellError, charges_parse, name_parse


def _charges(text: str) -> list[tuple[str, str]]:
    return [(charge.article, charge.part) for charge in charges_parse(text)]


@pytest.mark.parametrize(
    ("written", "charges"),
    [
        ("ч.2 ст.405 УК РК", [("405", "2")]),
        ("ч. 1 ст. 174", [("174", "1")]),
        ("ст. 174, ч.1", [("174", "1")]),
        ("ст. 174 ч.1 УК РК; ст.405", [("174", "1"), ("405", "")]),
        ("Art. 174(1)", [("174", "1")]),
        ("Art. 174(1), 405(2)", [("174", "1"), ("405", "2")]),
        ("ст. 174 ч.1 УК РК, ст.405", [("174", "1"), ("405", "")]),
        ("ч.1 ст.174, ч.2 ст.405", [("174", "1"), ("405", "2")]),
        ("п. 2 ч. 3 ст. 174 УК РК", [("174", "3")]),
        ("ст. 174 ч. 1 и ч. 2", [("174", "1"), ("174", "2")]),
        ("ст.ст. 174, 405 УК РК", [("174", ""), ("405", "")]),
        ("Article 174 part 1 of the Criminal Code", [("174", "1")]),
        ("ст. 174 УК РК (2014)", [("174", "")]),
        ("ст. 174-1 ч.2", [("174-1", "2")]),
        (405, [("405", "")]),
    ],
)
def test_it_reads_charges_in_every_usual_order_without_spurious_ones(written, charges):
    assert _charges(written) == charges


def test_it_tells_the_1997_code_from_the_2014_one():
    codes = [charge.code for charge in charges_parse("ст. 164 УК РК 1997 г.; ст. 174 УК РК")]

    assert codes == ["CC 1997", "CC 2014"]


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("экстремизм", "“экстремизм” names no article"),
        ("ст. 174, экстремизм", "“экстремизм” names no article"),
        ("ч. 2", "part 2 names no article"),
        ("ст. 5000", "“5000” in “ст. 5000” is not an article number"),
    ],
)
def test_it_refuses_a_charge_cell_it_cannot_read_quoting_it(written, message):
    with pytest.raises(CellError, match=message):
        charges_parse(written)


@pytest.mark.parametrize(
    ("written", "latin"),
    [
        ("Жумагулов Алмат Серикович", "Almat Zhumagulov"),
        ("Алмат Серикович Жумагулов", "Almat Zhumagulov"),
        ("Алмат Жумагулов", "Almat Zhumagulov"),
        ("Жумагулов Алмат", "Almat Zhumagulov"),
        ("Жумагулов А.С.", "A. S. Zhumagulov"),
        ("А. С. Жумагулов", "A. S. Zhumagulov"),
        ("Жумагулов Алмат Серікұлы", "Almat Zhumagulov"),
        ("Жумагулов Алмат Серикулы", "Almat Zhumagulov"),
        ("Жумагулов Алмат Серик ұлы", "Almat Zhumagulov"),
        ("Ахметова Айгерим Нурланқызы", "Aygerim Akhmetova"),
        ("Ахметова Айгерим Нурланкызы", "Aygerim Akhmetova"),
        ("Кусманкызы Сальтанат", "Saltanat Kusmankyzy"),
        ("Сальтанат Кусманкызы", "Saltanat Kusmankyzy"),
        ("Иванова Марина", "Marina Ivanova"),
        ("Марина Иванова", "Marina Ivanova"),
        ("Лев Толстой", "Lev Tolstoy"),
        # Nothing says which word is the family name: the order written is kept.
        ("Дана Сауле", "Dana Saule"),
    ],
)
def test_it_writes_the_latin_name_given_name_first_by_how_the_words_look(written, latin):
    parsed = name_parse(written)

    assert parsed.full_name == latin
    assert parsed.native_name == written


def test_it_removes_control_characters_but_keeps_tabs_and_line_breaks():
    assert (
        text_clean("Иван\x00ов\x1b[31m\tИван\r\nзаметка\x0b\ufffe") == "Иванов[31m\tИван\r\nзаметка"
    )
