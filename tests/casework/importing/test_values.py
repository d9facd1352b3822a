"""Cell values as partners write them: charges in the usual Russian orders, names in
Cyrillic (which word is the family name), and cells cleaned of control characters."""

from __future__ import annotations

import pytest
from django.utils import translation

from casework.importing.charges import charges_parse
from casework.importing.parsing import text_clean
from casework.importing.values import (
    CellError,
    ParsedName,
    file_name_order,
    gender_parse,
    name_parse,
    occupation_parse,
    text_parse,
)
from casework.models import Person
from tests.casework.import_files import text_import
from tests.support.catalogues import every_marked_string_tagged


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


@pytest.mark.parametrize(
    ("written", "native", "latin"),
    [
        ("ИВАНОВ ИВАН ИВАНОВИЧ", "Иванов Иван Иванович", "Ivan Ivanov"),
        ("ЖУМАГУЛОВ Алмат", "Жумагулов Алмат", "Almat Zhumagulov"),
        ("Д'АРТАНЬЯН", "Д'Артаньян", "D'Artanyan"),
        ("МАМЕДОВ АХМЕД ОГЛЫ", "Мамедов Ахмед оглы", "Akhmed ogly Mamedov"),
        ("ЖУМАГУЛОВ А.С.", "Жумагулов А.С.", "A. S. Zhumagulov"),
        ("ZHUMAGULOV ALMAT", "", "Zhumagulov Almat"),
    ],
)
def test_it_stores_a_name_in_capitals_as_a_caseworker_would_in_either_script(
    written, native, latin
):
    parsed = name_parse(written)

    assert (parsed.native_name, parsed.full_name) == (native, latin)


def test_a_name_that_shows_no_order_follows_the_file_s_habit():
    names_in_file = ["Бекова Динара", "Сейткали Даурен", "Жумагулов Алмат"]

    family_first = file_name_order(names_in_file, header="Имя")

    assert family_first is True
    assert name_parse("Сейткали Даурен", family_first=family_first).full_name == "Dauren Seytkali"
    assert name_parse("Бекова Динара", family_first=family_first).full_name == "Dinara Bekova"


def test_the_header_fio_says_family_name_first_when_the_names_show_nothing():
    assert file_name_order(["Сейткали Даурен"], header="ФИО") is True
    assert file_name_order(["Сейткали Даурен"], header="Имя") is None
    assert file_name_order(["Алмат Жумагулов", "Сейткали Даурен"], header="ФИО") is False


def test_an_imported_file_writes_every_latin_name_given_name_first(
    partner_user, partner_organisation
):
    from casework.importing.runs import import_file_run
    from casework.models import Person

    data = "ФИО;Год рождения\nСейткали Даурен;1981\nБекова Динара;1990\n".encode()
    import_file_run(
        data=data, file_name="p.csv", organisation=partner_organisation, user=partner_user
    )

    assert set(Person.objects.values_list("full_name", flat=True)) == {
        "Dauren Seytkali",
        "Dinara Bekova",
    }


@pytest.mark.parametrize(("language", "label"), [("en", "The name"), ("ru", "Имя")])
def test_it_names_the_name_column_in_the_readers_language_when_it_refuses_a_name(language, label):
    with translation.override(language), pytest.raises(CellError) as refused:
        name_parse("Almat \u202eZhumagulov")
    assert str(refused.value).startswith(label)
    assert "U+202E" in str(refused.value)


@pytest.mark.parametrize(
    ("parse", "written", "options"),
    [
        (gender_parse, ("робот",), {}),
        (occupation_parse, ("космонавт",), {}),
        (name_parse, ("",), {}),
        (name_parse, ("Жумагулов", "Жумагулов"), {}),
        (name_parse, ("Ж.",), {}),
        (name_parse, ("Жу" * 101,), {}),
        (text_parse, ("абвгд",), {"max_length": 3}),
        (charges_parse, ("ст. 5000",), {}),
        (charges_parse, ("ч. 2",), {}),
    ],
)
def test_it_refuses_a_cell_in_the_uploaders_language(parse, written, options, monkeypatch):
    # These refusals were English f-strings, whatever language the uploader reads.
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    with translation.override("ru"), pytest.raises(CellError) as refused:
        parse(*written, **options)
    assert str(refused.value).startswith("[ru] ")


@pytest.mark.parametrize(
    "written",
    ["Иванов Иван (1985 г.р.)", "Иванов Иван, 1985", "Иванов Иван;ст. 174", "Ivanov Ivan 1985"],
)
def test_it_refuses_a_name_cell_that_holds_digits_quoting_it(written):
    # "Иванов Иван (1985 г.р.)" was written as the person "G. R. Ivanov Ivan 1985".
    with pytest.raises(CellError, match="holds digits, which no name has"):
        name_parse(written)


def test_a_name_cell_with_a_birth_year_is_an_error_naming_row_and_column(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО;Статус\r\nПетров Пётр;в СИЗО\r\nИванов Иван (1985 г.р.);осужден\r\n",
        partner_user,
        partner_organisation,
    )

    (error,) = summary["errors"]
    assert (error["row"], error["column"]) == (3, "A (ФИО)")
    assert not Person.objects.exists()


@pytest.mark.parametrize(
    ("language", "quoted"), [("en", "“робот”"), ("ru", "«робот»"), ("kk", "«робот»")]
)
def test_it_quotes_a_cell_in_the_readers_quotation_marks(language, quoted):
    with translation.override(language), pytest.raises(CellError) as refused:
        gender_parse("робот")
    assert quoted in str(refused.value)


def test_it_says_a_row_lacks_the_persons_name_not_a_things_title():
    # "The name is empty." is the vocabularies' message, read in Russian as "Название
    # пустое." (a thing's title): a partner's row without a name is told of the person's.
    with pytest.raises(CellError) as refused, translation.override("ru"):
        name_parse("")
    assert "Название" not in str(refused.value)


@pytest.mark.parametrize(
    ("written", "full_name", "native_name"),
    [
        ("Петров, Пётр", "Petr Petrov", "Петров Пётр"),
        ("СЕМЕНОВ, СЕМЕН СЕМЕНОВИЧ", "Semen Semenov", "Семенов Семен Семенович"),
        ("Petrova, Anna", "Anna Petrova", ""),
    ],
)
def test_it_reads_a_name_written_family_comma_given_without_the_comma(
    written, full_name, native_name
):
    # The comma stayed in the name: "Petr Petrov," with the family name "Petrov,".
    assert name_parse(written) == ParsedName(full_name=full_name, native_name=native_name)
