"""advocacy.detection.tokens: words, initials, titles, common words and sentences of a text."""

from __future__ import annotations

import pytest

from advocacy.detection import (
    document_text_find_people,
)
from tests.advocacy.detection.conftest import found
from tests.factories import PersonFactory


def test_it_finds_a_name_broken_across_a_line_break(known_people):
    text = "the release of Almat\nZhumagulov and of Askhat Zheksebay-\nev, both DCK activists"
    assert found(text) == [
        (known_people["zhumagulov"].pk, "Almat\nZhumagulov"),
        (known_people["zheksebayev"].pk, "Askhat Zheksebay-\nev"),
    ]


def test_it_gives_offsets_into_the_original_text_and_the_sentence(known_people):
    text = "Preamble.\n\n  B. Whereas Askhat Zheksebayev was sentenced to seven years. Next point."
    (detected,) = document_text_find_people(text=text)
    assert text[detected.start : detected.end] == "Askhat Zheksebayev"
    assert detected.start == text.index("Askhat")
    assert detected.sentence == "B. Whereas Askhat Zheksebayev was sentenced to seven years."
    assert detected.name == "Askhat Zheksebayev"


def test_it_does_not_take_a_given_name_alone_or_a_lower_case_word(known_people):
    assert found("Almat went home. The almat zhumagulov string is not a name.") == []


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Mr Zhumagulov appealed.", "Zhumagulov"),
        ("The activist Zhumagulov appealed.", "Zhumagulov"),
        ("Later Zhumagulov appealed.", "Zhumagulov"),
        ("Адвокат Жумагулова заявила протест.", "Жумагулова"),
        ("Перед Жумагуловым выступил прокурор.", "Жумагуловым"),
        ("Заключённого Жумагулова перевели.", "Жумагулова"),
    ],
)
def test_it_takes_a_family_name_after_a_title_or_a_common_word(known_people, text, matched):
    assert found(text) == [(known_people["zhumagulov"].pk, matched)]


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Free Zhumagulov!", "Zhumagulov"),
        ("Release Zhumagulov now.", "Zhumagulov"),
        ("Свободу Жумагулову!", "Жумагулову"),
        ("Освободите Жумагулова!", "Жумагулова"),
        ("Защита Жумагулова обжаловала приговор.", "Жумагулова"),
        ("Дело Жумагулова рассмотрят в апреле.", "Жумагулова"),
        ("Письмо Жумагулову передано в колонию.", "Жумагулову"),
        ("Родственники Жумагулова не получили ответа.", "Жумагулова"),
        ("Здоровье Жумагулова ухудшилось.", "Жумагулова"),
        ("Бостандық Жумагуловқа!", "Жумагуловқа"),
    ],
)
def test_it_takes_a_family_name_after_a_word_heading_what_is_said_of_the_person(
    known_people, text, matched
):
    assert found(text) == [(known_people["zhumagulov"].pk, matched)]


def test_it_still_refuses_a_family_name_beside_an_unknown_given_name(known_people):
    assert found("Ерлан Жумагулова задержали. Aset Zhumagulov was detained.") == []


def test_it_keeps_the_dot_of_a_final_initial_and_does_not_end_a_sentence_at_an_initial(
    known_people,
):
    text = "Preamble. Jeksebaev A. was tried with Zh. Agadil in 2019. Next point."
    detected = document_text_find_people(text=text)
    assert [(name.matched_text, name.sentence) for name in detected] == [
        ("Jeksebaev A.", "Jeksebaev A. was tried with Zh. Agadil in 2019."),
        ("Zh. Agadil", "Jeksebaev A. was tried with Zh. Agadil in 2019."),
    ]


def test_it_reads_an_apostrophe_inside_a_name_but_not_a_possessive(db):
    sokolova = PersonFactory(full_name="Natalya Sokolova")
    ablyazov = PersonFactory(full_name="Mukhtar Ablyazov")
    assert found("Natal'ya Sokolova and Mukhtar Ablyazov's lawyer spoke.") == [
        (sokolova.pk, "Natal'ya Sokolova"),
        (ablyazov.pk, "Mukhtar Ablyazov"),
    ]


def test_it_reads_a_single_letter_with_a_dot_as_an_initial_not_a_title(db):
    mukhtar = PersonFactory(full_name="Mukhtar Ablyazov")
    PersonFactory(full_name="Aset Ablyazov")
    assert found("M. Ablyazov was granted asylum.") == [(mukhtar.pk, "M. Ablyazov")]


def test_it_takes_a_family_name_after_a_month(known_people):
    assert found("In January Zhumagulov was moved to another colony.") == [
        (known_people["zhumagulov"].pk, "Zhumagulov")
    ]


def test_it_reads_a_name_through_invisible_characters_from_a_pdf_or_web_page(known_people):
    # A soft hyphen and a zero-width space inside a word, a zero-width space and a narrow
    # no-break space beside one, and a no-break space pasted as HTML source.
    text = (
        "Al\u00admat Zhumagulov; Roza Tule\u200btaeva; Dulat\u200b Agadil; "
        "Saltanat\u202fKusmankyzy; <p>Askhat&nbsp;Zheksebayev</p>; ROZA TULE\u00adTAEVA; "
        "Almat\u200bZhumagulov"
    )
    assert found(text) == [
        (known_people["zhumagulov"].pk, "Al\u00admat Zhumagulov"),
        (known_people["tuletaeva"].pk, "Roza Tule\u200btaeva"),
        (known_people["dulat"].pk, "Dulat\u200b Agadil"),
        (known_people["kusmankyzy"].pk, "Saltanat\u202fKusmankyzy"),
        (known_people["zheksebayev"].pk, "Askhat&nbsp;Zheksebayev"),
        (known_people["tuletaeva"].pk, "ROZA TULE\u00adTAEVA"),
        (known_people["zhumagulov"].pk, "Almat\u200bZhumagulov"),
    ]


def test_it_does_not_read_the_city_of_almaty_as_the_given_name_almat(known_people):
    zhumagulov = known_people["zhumagulov"].pk
    assert found("В Алматы Жумагулова задержали.") == [(zhumagulov, "Жумагулова")]
    assert found("In Almaty Zhumagulov was detained.") == [(zhumagulov, "Zhumagulov")]
    # A family name keeps its plural: the Zhumagulovs.
    assert found("Супруги Жумагуловы задержаны.") == [(zhumagulov, "Жумагуловы")]


def test_it_finds_a_name_in_a_kazakh_case_in_the_latin_alphabet_of_2018(known_people):
    text = "Almat Jumaǵulovqa bostandyq! Tuletaevanyń isi sotta qaraldy."
    assert found(text) == [
        (known_people["zhumagulov"].pk, "Almat Jumaǵulovqa"),
        (known_people["tuletaeva"].pk, "Tuletaevanyń"),
    ]


def test_it_quotes_the_whole_sentence_past_the_abbreviations_of_dates_and_laws(known_people):
    text = (
        "Opinion No. 41/2026 concerning Almat Zhumagulov (Kazakhstan)\n"
        "12. Mr. Zhumagulov was detained on 5 Sept. 2026 after an interview.\n"
        "13. Роза Тулетаева осуждена по ч. 2 ст. 174 УК РК 5 сент. 2026 г. в г. Алматы."
    )
    detected = document_text_find_people(text=text)
    assert [name.sentence for name in detected] == [
        "Opinion No. 41/2026 concerning Almat Zhumagulov (Kazakhstan)",
        "Mr. Zhumagulov was detained on 5 Sept. 2026 after an interview.",
        "Роза Тулетаева осуждена по ч. 2 ст. 174 УК РК 5 сент. 2026 г. в г. Алматы.",
    ]


def test_it_quotes_the_table_row_that_names_a_person_not_the_whole_table(known_people):
    # A joint letter's list of prisoners, as a DOCX table is read: a row a line, cells
    # joined by tabs, and not one full stop in the table.
    text = (
        "We ask you to raise the following cases:\n"
        "No.\tName\tИмя\tNote\n"
        "1\tRoza Tuletaeva\tРоза Тулетаева\treleased 2016\n"
        "2\tAlmat Zhumagulov\tАлмат Жумагулов\tZarechny colony\n"
        "3\tAskhat Zheksebayev\t\t\n"
        "Signed: IPHR, Freedom Now"
    )
    detected = document_text_find_people(text=text)
    # Each row names its person twice, in Latin and in Cyrillic letters.
    assert list(dict.fromkeys(name.sentence for name in detected)) == [
        "1 Roza Tuletaeva Роза Тулетаева released 2016",
        "2 Almat Zhumagulov Алмат Жумагулов Zarechny colony",
        "3 Askhat Zheksebayev",
    ]


def test_it_does_not_end_a_sentence_before_a_lower_case_word(known_people):
    text = (
        "notably Marat Zhylanbayev, leader of the Alga, Kazakhstan! party, and Almat "
        "Zhumagulov, a member of the banned DCK, e.g. an extremist group. Next."
    )
    (detected,) = document_text_find_people(text=text)
    assert detected.sentence == text.removesuffix(" Next.")
