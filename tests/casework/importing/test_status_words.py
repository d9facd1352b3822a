"""Status words as partners write them: inflections and additions read, a word nothing
knows reported for the user to choose once, and the organisation's choices remembered."""

from __future__ import annotations

import pytest

from casework.importing.status_words import (
    UnknownStatusWord,
    status_read,
    status_word_given_parse,
    status_word_parse,
    status_words_remember,
    status_words_remembered,
)
from casework.models import Status, StatusWord


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("в СИЗО", Status.PRETRIAL_DETENTION),
        ("освобожден по УДО", Status.RELEASED),
        ("освобождена по УДО", Status.RELEASED),
        ("условно-досрочно освобождён", Status.RELEASED),
        ("released on parole", Status.RELEASED),
        ("в розыске", Status.WANTED),
        ("объявлен в розыск", Status.WANTED),
        ("в бегах", Status.WANTED),
        ("эмигрировал, в розыске", Status.IN_EXILE),
        ("выехал из страны", Status.IN_EXILE),
        ("условный срок", Status.RESTRICTED_FREEDOM),
        ("пробация", Status.RESTRICTED_FREEDOM),
        ("штраф", Status.RELEASED),
        ("отбыл срок", Status.RELEASED),
        ("помилован", Status.RELEASED),
        ("амнистирован", Status.RELEASED),
        ("в колонии-поселении", Status.IMPRISONED),
        ("приговорён к 7 годам", Status.IMPRISONED),
        ("в психиатрической больнице", Status.PSYCHIATRIC_DETENTION),
        ("освобожден из СИЗО под домашний арест", Status.HOUSE_ARREST),
        ("в СИЗО, идет суд", Status.PRETRIAL_DETENTION),
        ("осужден заочно, в розыске", Status.WANTED),
        ("тергеу изоляторында", Status.PRETRIAL_DETENTION),
        ("қамауда", Status.PRETRIAL_DETENTION),
        ("сотталды", Status.IMPRISONED),
        ("босатылды", Status.RELEASED),
        ("Wanted", Status.WANTED),
    ],
)
def test_it_reads_status_words_as_partners_write_them(written, status):
    assert status_read(written).status == status


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("үйқамақта", Status.HOUSE_ARREST),
        ("үй қамауында", Status.HOUSE_ARREST),
        ("іздестіруде", Status.WANTED),
        ("үкім шықты", Status.IMPRISONED),
        ("ақтау үкімі шықты", Status.ACQUITTED),
        ("сот жүріп жатыр", Status.ON_TRIAL),
        ("дело в суде", Status.ON_TRIAL),
        ("в ИК-3", Status.IMPRISONED),
        ("бостандыққа шықты", Status.RELEASED),
        ("мәжбүрлеп емдеу", Status.PSYCHIATRIC_DETENTION),
        ("дознание", Status.INVESTIGATION),
        ("нет сведений", Status.UNKNOWN),
        ("не известно", Status.UNKNOWN),
        ("тергеу изоляторында қайтыс болды", Status.DIED_IN_CUSTODY),
        ("скончался в ИВС", Status.DIED_IN_CUSTODY),
        ("убит после освобождения", Status.KILLED),
        # Serving a sentence is imprisoned (read released: "жазасын өте…" was taken for
        # a sentence served out); served out is released.
        ("жазасын өтеуде", Status.IMPRISONED),
        ("жазасын өтеп жатыр", Status.IMPRISONED),
        ("түзеу мекемесінде", Status.IMPRISONED),
        ("жазасын өтеп шықты", Status.RELEASED),
        ("мерзімін өтеп шықты", Status.RELEASED),
        # Kazakh measures of restraint, as their Russian "залог", "подписка о невыезде".
        ("кепіл", Status.INVESTIGATION),
        ("кепілақы", Status.INVESTIGATION),
        ("жол жүрмеу туралы қолхат", Status.INVESTIGATION),
        ("личное поручительство", Status.INVESTIGATION),
    ],
)
def test_it_reads_more_russian_and_kazakh_status_words(written, status):
    assert status_read(written).status == status


@pytest.mark.parametrize(
    "written",
    [
        "умер",
        "умерла",
        "погиб",
        "погибла",
        "скончался",
        "қайтыс болды",
        "қаза тапты",
        "died",
        # Not released, not detained, not died in custody: the person died after.
        "умер после освобождения",
        "умер после освобождения из колонии",
        "погиб при задержании",
    ],
)
def test_it_asks_about_a_death_the_app_has_no_status_for(written):
    with pytest.raises(UnknownStatusWord):
        status_read(written)


def test_a_word_read_by_the_rules_says_so_so_its_words_are_kept():
    assert status_read("освобожден по УДО").by_rule
    assert not status_read("освобожден").by_rule


def test_a_word_nothing_knows_names_the_word_for_the_preview_to_ask():
    with pytest.raises(UnknownStatusWord) as refused:
        status_read("Под наблюдением")

    assert refused.value.word == "под наблюдением"
    assert refused.value.written == "Под наблюдением"
    assert "“Под наблюдением” is not known" in str(refused.value)


def test_the_organisation_s_own_words_come_first():
    reading = status_read("под наблюдением", remembered={"под наблюдением": Status.INVESTIGATION})

    assert reading.status == Status.INVESTIGATION


def test_it_remembers_a_word_once_per_organisation_and_takes_a_new_choice(
    partner_organisation, partner_user
):
    status_words_remember(
        organisation=partner_organisation,
        choices={"Под наблюдением": ("Под наблюдением", Status.INVESTIGATION)},
        by=partner_user,
    )
    status_words_remember(
        organisation=partner_organisation,
        choices={"под  наблюдением": ("под наблюдением", Status.RESTRICTED_FREEDOM)},
        by=partner_user,
    )

    assert StatusWord.objects.count() == 1
    assert status_words_remembered(organisation=partner_organisation) == {
        "под наблюдением": Status.RESTRICTED_FREEDOM
    }


def test_a_status_given_by_hand_is_a_code_a_label_or_a_known_word():
    assert status_word_parse("investigation") == Status.INVESTIGATION
    assert status_word_parse("Pre-trial detention") == Status.PRETRIAL_DETENTION
    assert status_word_parse("в розыске") == Status.WANTED
    with pytest.raises(ValueError, match="is not a status"):
        status_word_parse("под наблюдением")


def test_a_status_word_given_for_a_file_is_written_word_equals_status():
    assert status_word_given_parse(" под наблюдением = investigation") == (
        "под наблюдением",
        Status.INVESTIGATION,
    )
    with pytest.raises(ValueError, match="write it as WORD=status"):
        status_word_given_parse("investigation")
    with pytest.raises(ValueError, match="is not a status"):
        status_word_given_parse("под наблюдением=maybe")


@pytest.mark.parametrize(
    "written",
    [
        "не освобожден",
        "отказано в УДО",
        "ходатайство об УДО отклонено",
        "в освобождении отказано",
        "отказано в условно-досрочном освобождении",
        "parole denied",
        "not released",
        "босатылмады",
        "УДО-дан бас тартылды",
    ],
)
def test_a_release_the_words_deny_is_asked_about_never_read_as_released(written):
    # "отказано в УДО" (parole refused: still in prison) was read as released.
    with pytest.raises(UnknownStatusWord):
        status_read(written)


@pytest.mark.parametrize(
    ("written", "status"),
    [
        ("осужден, отказано в УДО", Status.IMPRISONED),
        ("в СИЗО, в освобождении под залог отказано", Status.PRETRIAL_DETENTION),
        ("освобожден по УДО", Status.RELEASED),
    ],
)
def test_a_denied_release_leaves_the_rest_of_the_cell_to_say_the_status(written, status):
    assert status_read(written).status == status


@pytest.mark.parametrize(
    "written",
    [
        "освобожден из колонии",
        "освобождена из СИЗО",
        "освобожден из-под стражи",
        "освобожден из-под домашнего ареста",
        "освобожден из ИК-3",
        "released from house arrest",
        "колониядан босатылды",
        "СИЗО-дан босатылды",
        "үй қамағынан босатылды",
    ],
)
def test_a_release_from_a_place_is_released_not_the_place(written):
    # "освобожден из колонии" was read as imprisoned and "освобождена из СИЗО" as
    # detention: the place a person left was taken for where they are.
    assert status_read(written).status == Status.RELEASED


@pytest.mark.parametrize(
    "written",
    ["не осужден", "не задержан", "снят с розыска", "розыск прекращен", "домашний арест отменен"],
)
def test_a_status_the_words_deny_or_end_is_asked_about_not_read_as_that_status(written):
    # "снят с розыска" (no longer wanted) was read as wanted, "не осужден" as imprisoned.
    with pytest.raises(UnknownStatusWord):
        status_read(written)
