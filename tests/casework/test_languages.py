"""The interface language: the browser's before sign-in, the account's after, kk → ru → en."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext, ngettext

from casework.models import Membership


def _lang_attribute(response) -> str:
    return response.text.split('<html lang="', 1)[1].split('"', 1)[0]


@pytest.mark.django_db
def test_it_honours_accept_language_before_sign_in(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5")
    assert _lang_attribute(response) == "ru"
    assert response["Content-Language"] == "ru"


@pytest.mark.django_db
def test_it_honours_the_language_cookie_over_the_browser(client):
    client.cookies["django_language"] = "kk"
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert _lang_attribute(response) == "kk"


@pytest.mark.django_db
def test_it_refuses_a_language_switch_without_the_csrf_token(caseworker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(caseworker)
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/cases/"})
    assert response.status_code == 403
    assert Membership.objects.get(user=caseworker).language == ""


@pytest.mark.django_db
def test_it_keeps_a_signed_in_users_choice_on_the_account(client_as_caseworker, caseworker):
    response = client_as_caseworker.post("/i18n/setlang/", {"language": "kk", "next": "/cases/"})
    assert response.status_code == 302
    assert response["Location"] == "/cases/"
    assert response.cookies["django_language"].value == "kk"
    assert Membership.objects.get(user=caseworker).language == "kk"


@pytest.mark.django_db
def test_the_accounts_language_wins_over_the_browser_and_sets_the_cookie(caseworker):
    Membership.objects.filter(user=caseworker).update(language="ru")
    client = Client()
    client.force_login(caseworker)
    response = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert _lang_attribute(response) == "ru"
    assert response.cookies["django_language"].value == "ru"


@pytest.mark.django_db
def test_it_never_redirects_the_switch_off_the_site(client_as_caseworker):
    response = client_as_caseworker.post(
        "/i18n/setlang/", {"language": "ru", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_kazakh_falls_back_to_russian_then_english():
    with translation.override("kk"):
        # kk's own (whichever installed catalogue words it), neither Russian nor English.
        assert gettext("This field is required.") not in (
            "This field is required.",
            "Обязательное поле.",
        )
        assert gettext("Afrikaans") == "Бурский"  # kk has none: Russian's
        assert gettext("A string no catalogue has") == "A string no catalogue has"


@pytest.mark.parametrize(
    ("language", "format_name", "expected"),
    [
        ("en", "DATE_FORMAT", "6 Dec 2026"),
        ("ru", "DATE_FORMAT", "6 декабря 2026"),
        ("ru", "SHORT_DATE_FORMAT", "11 февр. 2021"),
        ("kk", "DATE_FORMAT", "6 желтоқсан 2026"),
        ("kk", "SHORT_DATE_FORMAT", "11 ақп. 2021"),
    ],
)
def test_it_writes_dates_in_each_languages_own_way(language, format_name, expected):
    day = datetime.date(2026, 12, 6) if format_name == "DATE_FORMAT" else datetime.date(2021, 2, 11)
    with translation.override(language):
        assert date_format(day, format_name) == expected


@pytest.mark.django_db
def test_it_keeps_the_language_chosen_on_the_sign_in_page_on_the_account(caseworker):
    caseworker.set_password("a long enough passphrase 42")
    caseworker.save()
    client = Client()
    client.post("/i18n/setlang/", {"language": "kk", "next": "/accounts/login/"})
    client.post(
        "/accounts/login/",
        {"username": caseworker.username, "password": "a long enough passphrase 42"},
    )
    assert Membership.objects.get(user=caseworker).language == "kk"
    response = client.get("/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert _lang_attribute(response) == "kk"


@pytest.mark.django_db
def test_a_sign_in_without_a_chosen_language_leaves_the_accounts_choice(caseworker):
    Membership.objects.filter(user=caseworker).update(language="ru")
    Client().force_login(caseworker)
    assert Membership.objects.get(user=caseworker).language == "ru"


@pytest.mark.django_db
def test_the_server_error_page_speaks_the_readers_language(client):
    from django.template.loader import render_to_string

    with translation.override("ru"):
        page = render_to_string("errors/500.html")
    assert '<html lang="ru">' in page
    assert "Что-то пошло не так" in page


@pytest.mark.parametrize(
    ("count", "russian"),
    [
        (1, "1 дело не показано"),
        (2, "2 дела не показаны"),
        (5, "5 дел не показано"),
        (11, "11 дел не показано"),
        (21, "21 дело не показано"),
        (22, "22 дела не показаны"),
    ],
)
def test_russian_counts_take_the_three_plural_forms(count, russian):
    with translation.override("ru"):
        text = ngettext(
            '%(counter)s case not listed here: find it in <a href="%(url)s">the case list</a>.',
            '%(counter)s cases not listed here: find them in <a href="%(url)s">the case list</a>.',
            count,
        ) % {"counter": count, "url": "/cases/"}
    assert text.startswith(russian)


def test_a_kazakh_count_keeps_the_noun_singular_as_kazakh_does():
    with translation.override("kk"):
        assert ngettext("%(count)d row", "%(count)d rows", 5) % {"count": 5} == "5 жол"


@pytest.mark.django_db
def test_a_reminder_email_is_written_in_the_recipients_language(caseworker, coordinator):
    import time_machine
    from django.core import mail

    from casework.followups import follow_up_create
    from casework.models import Reminder
    from casework.reminders import reminders_dispatch_due, reminders_send
    from tests.factories import CaseFactory
    from tests.support.reminders import utc

    Membership.objects.filter(user=caseworker).update(language="ru")
    case = CaseFactory(owning_organisation=caseworker.membership.organisation)
    with time_machine.travel(utc(2026, 10, 1, 12), tick=False):
        follow_up_create(
            case=case,
            title="Visit",
            assignee=caseworker,
            by=coordinator,
            due_on=datetime.date(2026, 10, 27),
        )
    moment = utc(2026, 10, 27, 10)
    reminders_dispatch_due(now=moment)
    reminders_send(
        reminder_ids=list(Reminder.objects.filter(state="queued").values_list("pk", flat=True)),
        now=moment,
    )
    russian = [message for message in mail.outbox if message.to == [caseworker.email]]
    assert russian, "the caseworker was emailed"
    assert {message.subject for message in russian} >= {
        "[Advocase] У вас задача со сроком сегодня, 27 окт. 2026"
    }
    assert "Откройте её в Advocase (потребуется войти)" in russian[0].body
    english = [message for message in mail.outbox if message.to == [coordinator.email]]
    assert all("task" in message.subject for message in english)


@pytest.mark.django_db
def test_an_import_row_error_reads_in_russian(partner_user):
    from casework.importing.runs import import_file_run
    from casework.models import ImportRun

    data = "ФИО;Дата задержания;Статус\nИванова Мария;31.02.2021;в СИЗО\n".encode()
    with translation.override("ru"):
        run, _summary = import_file_run(
            data=data,
            file_name="ошибки.csv",
            organisation=partner_user.membership.organisation,
            user=partner_user,
        )
    run = ImportRun.objects.get(pk=run.pk)
    messages = " ".join(error["message"] for error in run.errors)
    assert "«31.02.2021» — несуществующая дата." in messages, run.errors


@pytest.mark.django_db
def test_a_charge_reads_in_russian_where_it_has_a_russian_title():
    from casework.models import Charge

    charge = Charge.objects.create(
        code="CC 2014",
        article="174",
        part="1",
        title="inciting social discord",
        title_ru="возбуждение социальной розни",
    )
    assert str(charge) == "KZ CC 2014 art. 174 part 1 — inciting social discord"
    with translation.override("ru"):
        assert str(charge) == "KZ CC 2014 ст. 174 ч. 1 — возбуждение социальной розни"
    with translation.override("kk"):
        assert str(charge) == "KZ CC 2014 174-бап 1-бөлік — возбуждение социальной розни"


@pytest.mark.django_db
def test_a_status_reads_in_the_users_language_on_the_case_list(client_as_partner, partner_user):
    from tests.factories import CaseFactory

    CaseFactory(
        owning_organisation=partner_user.membership.organisation, status="pretrial_detention"
    )
    Membership.objects.filter(user=partner_user).update(language="kk")
    response = client_as_partner.get("/cases/")
    assert "Сотқа дейін қамауда (ТИ)" in response.text


def test_a_cases_reference_is_named_as_its_number_not_as_a_link():
    """ "reference" names both a case's number and a source note's outside reference; in
    Russian and Kazakh they are different words (номер, ссылка)."""
    from django.utils import translation

    from casework.models import Case, Provenance

    with translation.override("ru"):
        assert str(Case._meta.get_field("reference").verbose_name) == "номер"
        assert str(Provenance._meta.get_field("reference").verbose_name) == "ссылка"
    with translation.override("kk"):
        assert str(Case._meta.get_field("reference").verbose_name) == "нөмір"
