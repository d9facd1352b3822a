"""What each row of a file will do: who it is (across scripts, spellings and namesakes),
matched only against what the target organisation may see, references that reveal nothing
about other organisations, preview errors for what the database would refuse, errors naming
the spreadsheet column, and the measure of restraint kept."""

from __future__ import annotations

import datetime

from django.utils import timezone

from casework.importing.runs import import_file_run
from casework.models import Case, CaseEvent, Confidentiality, ImportRun, Person, Status
from casework.status import case_timeline
from tests.casework.import_files import partner_file_import, text_import
from tests.factories import CaseFactory, ChargeFactory, PersonFactory


def test_it_matches_a_person_written_in_cyrillic_to_the_existing_latin_record(
    partner_user, partner_organisation, zhumagulov
):
    partner_file_import("partner_ru_cp1251.csv", partner_user, partner_organisation)

    assert Person.objects.filter(full_name__icontains="zhumagulov").count() == 1
    partner_case = Case.objects.get(owning_organisation=partner_organisation, person=zhumagulov)
    assert partner_case.status == Status.PRETRIAL_DETENTION
    assert partner_case.charges.get().article == "174"
    zhumagulov.refresh_from_db()
    assert zhumagulov.native_name == ""  # the host's record is not the partner's to change


def test_it_creates_one_person_for_the_same_person_twice_in_one_file(
    partner_user, partner_organisation
):
    partner_file_import("partner_ru_cp1251.csv", partner_user, partner_organisation)

    ivanova = Person.objects.get(native_name="Иванова Мария Петровна")
    assert ivanova.full_name == "Mariya Ivanova"
    assert ivanova.cases.count() == 1
    case = ivanova.cases.get()
    assert case.summary == '=HYPERLINK("http://x")'  # a formula is stored as text
    assert case.sentence == "7 лет"
    assert str(case.detained_on) == "2022-01-15"


def test_a_possible_duplicate_waits_for_a_choice_and_same_person_links_to_the_record(
    partner_user, partner_organisation, tokayeva
):
    # Born 1993 in the file, 1992 in the record: the same name, but not certainly the same person.
    data = "ФИО;Год рождения;Статья\r\nТокаева Дана;1993;ст.405\r\n".encode()

    def run_with(decisions):
        return import_file_run(
            data=data,
            file_name="d.csv",
            organisation=partner_organisation,
            user=partner_user,
            decisions=decisions,
        )

    run, summary = run_with(None)
    assert summary["possible_duplicates"] == 1 and summary["new"] == 0
    assert run.state == ImportRun.State.DONE
    assert Person.objects.count() == 1 and Case.objects.count() == 0  # undecided: not written

    _, summary = run_with({"2": {"choice": "same", "person_id": tokayeva.pk}})

    assert summary["possible_duplicates"] == 0 and summary["new"] == 1
    assert Person.objects.count() == 1
    assert Case.objects.get().person == tokayeva


def test_choosing_new_person_creates_a_second_record(partner_user, partner_organisation, tokayeva):
    data = "ФИО;Год рождения\r\nТокаева Дана;1993\r\n".encode()

    _, summary = import_file_run(
        data=data,
        file_name="d.csv",
        organisation=partner_organisation,
        user=partner_user,
        decisions={"2": {"choice": "new", "person_id": tokayeva.pk}},
    )

    assert summary["new"] == 1
    assert Person.objects.filter(native_name="Токаева Дана", birth_year=1993).exists()


def test_it_never_makes_two_people_of_one_name_written_with_and_without_a_year(
    partner_user, partner_organisation
):
    people_before = Person.objects.count()
    _run, summary = text_import(
        "ФИО,Год рождения,Статус\nTokayeva Dana,,в СИЗО\nТокаева Дана,1993,в СИЗО\n",
        partner_user,
        partner_organisation,
    )

    # The second row is the first one's person: either it repeats the row or, as here,
    # it says something different about the same case, which the partner must resolve.
    assert summary["errors"] == [
        {
            "row": 3,
            "column": "B (Год рождения)",  # what the second row says otherwise
            "message": "Row 2 describes the same person and case with different values; "
            "keep one of the two rows.",
        }
    ]
    assert Person.objects.count() == people_before


def test_it_takes_a_repeated_row_without_the_year_as_the_same_person(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО,Статус\nTokayeva Dana,в СИЗО\nTokayeva Dana ,в СИЗО\n",
        partner_user,
        partner_organisation,
    )

    assert (summary["new"], summary["unchanged"], summary["errors"]) == (1, 1, [])
    assert Person.objects.filter(owning_organisation=partner_organisation).count() == 1


def test_it_keeps_namesakes_with_different_birth_years_apart(partner_user, partner_organisation):
    text_import(
        "ФИО,Год рождения,Статус\nDana Tokaeva,1990,в СИЗО\nDana Tokayeva,1993,осуждена\n",
        partner_user,
        partner_organisation,
    )

    assert Person.objects.filter(owning_organisation=partner_organisation).count() == 2


def test_it_refuses_to_guess_which_namesake_a_row_without_a_year_means(
    partner_user, partner_organisation
):
    people_before = Person.objects.count()
    _run, summary = text_import(
        "ФИО,Год рождения,Статус\n"
        "Dana Tokaeva,1990,в СИЗО\nDana Tokayeva,1993,осуждена\nДана Токаева,,осуждена\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == [
        {
            "row": 4,
            "column": "B (Год рождения)",
            "message": "Rows 2, 3 name different people with this name; "
            "give the birth year to say which one.",
        }
    ]
    assert Person.objects.count() == people_before


def test_a_coordinator_importing_for_a_partner_never_links_a_person_the_partner_may_not_see(
    coordinator, partner_organisation, host
):
    hidden = PersonFactory(full_name="Almat Zhumagulov", birth_year=1985, owning_organisation=host)
    CaseFactory(person=hidden, owning_organisation=host, confidentiality=Confidentiality.INTERNAL)
    public = PersonFactory(full_name="Nurlan Serikbaev", birth_year=1978, owning_organisation=host)
    CaseFactory(person=public, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)

    run, summary = text_import(
        "ФИО;Год рождения;Статус\nАлмат Жумагулов;1985;в СИЗО\nСерикбаев Нурлан;1978;осужден\n",
        coordinator,
        partner_organisation,
    )

    # The coordinator sees both; the partner sees only the public one, so only that one is
    # linked, and the other is neither linked nor offered as a possible duplicate.
    assert (summary["new"], summary["possible_duplicates"], summary["errors"]) == (2, 0, [])
    partner_cases = Case.objects.filter(owning_organisation=partner_organisation)
    assert public in {case.person for case in partner_cases}
    assert hidden not in {case.person for case in partner_cases}
    assert Person.objects.filter(owning_organisation=partner_organisation).count() == 1
    assert run.user == coordinator


def test_a_reference_another_organisation_uses_gets_the_same_answer_as_an_unknown_one(
    partner_user, partner_organisation, other_partner_organisation
):
    theirs = PersonFactory(full_name="Bolat Secret", owning_organisation=other_partner_organisation)
    CaseFactory(reference="2021-45", person=theirs, owning_organisation=other_partner_organisation)
    text = "ФИО;Номер дела\nИванов Иван;2021-45\nПетров Пётр;2021-46\n"

    _run, summary = text_import(text, partner_user, partner_organisation, dry_run=True)

    assert (summary["new"], summary["errors"]) == (2, [])
    _run, summary = text_import(text, partner_user, partner_organisation)
    namespace = f"BOSTANDYQ-PA.{partner_organisation.pk}:"
    assert set(
        Case.objects.filter(owning_organisation=partner_organisation).values_list(
            "reference", flat=True
        )
    ) == {f"{namespace}2021-45", f"{namespace}2021-46"}
    _run, again = text_import(text, partner_user, partner_organisation)
    assert (again["new"], again["unchanged"]) == (0, 2)


def test_a_reference_written_as_stored_finds_the_case(partner_user, partner_organisation):
    text_import(
        "ФИО;Номер дела;Статус\nИванов Иван;A-1;в СИЗО\n", partner_user, partner_organisation
    )
    stored = Case.objects.get().reference

    _run, summary = text_import(
        f"ФИО;Номер дела;Статус\nИванов Иван;{stored};осужден\n", partner_user, partner_organisation
    )

    assert (summary["updated"], summary["new"]) == (1, 0)
    assert Case.objects.get().status == Status.IMPRISONED


def test_two_rows_giving_one_reference_to_two_people_are_a_preview_error(
    partner_user, partner_organisation
):
    run, summary = text_import(
        "ФИО;Номер дела\nИванов Иван;A-1\nПетров Пётр;A-1\n", partner_user, partner_organisation
    )

    assert run.state == ImportRun.State.FAILED
    assert summary["errors"] == [
        {
            "row": 3,
            "column": "B (Номер дела)",
            "message": "Row 2 gives the case reference A-1 to another person; a reference "
            "names one case.",
        }
    ]
    assert Case.objects.count() == 0


def test_the_reference_of_an_archived_case_is_a_preview_error(partner_user, partner_organisation):
    text_import("ФИО;Номер дела\nИванов Иван;A-1\n", partner_user, partner_organisation)
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(archived_at=timezone.now())

    run, summary = text_import(
        "ФИО;Номер дела;Статус\nИванов Иван;A-1;осужден\n", partner_user, partner_organisation
    )

    assert run.state == ImportRun.State.FAILED
    assert summary["errors"] == [
        {
            "row": 2,
            "column": "B (Номер дела)",
            "message": f"The case {case.reference} is archived; ask a coordinator to restore "
            "it first, or leave the reference empty to record a new case.",
        }
    ]
    assert Case.objects.count() == 1


def test_a_reference_too_long_for_the_namespace_is_a_preview_error(
    partner_user, partner_organisation
):
    run, summary = text_import(
        f"ФИО;Номер дела\nИванов Иван;{'7' * 45}\n", partner_user, partner_organisation
    )

    assert run.state == ImportRun.State.FAILED
    assert summary["errors"][0]["column"] == "B (Номер дела)"
    assert "a new case's reference may have" in summary["errors"][0]["message"]


def test_errors_name_the_column_by_letter_and_header(partner_user, partner_organisation):
    _run, summary = text_import(
        "№;ФИО;Дата задержания;Статус\n1;Иванов Иван;31.02.2022;под наблюдением\n",
        partner_user,
        partner_organisation,
    )

    assert [error["column"] for error in summary["errors"]] == [
        "C (Дата задержания)",
        "D (Статус)",
    ]


def test_the_measure_of_restraint_is_kept_beside_the_status(partner_user, partner_organisation):
    _run, summary = text_import(
        "ФИО;Статус;Мера пресечения;Примечание\n"
        "Иванов Иван;осужден;под домашним арестом;апелляция\n"
        "Петров Пётр;;залог;\n",
        partner_user,
        partner_organisation,
    )

    assert (summary["new"], summary["errors"]) == (2, [])
    ivanov = Case.objects.get(person__native_name="Иванов Иван")
    assert ivanov.status == Status.IMPRISONED
    assert ivanov.summary == "апелляция\nМера пресечения: под домашним арестом"
    petrov = Case.objects.get(person__native_name="Петров Пётр")
    assert petrov.status == Status.INVESTIGATION  # bail: under investigation, kept as said
    assert petrov.summary == "Мера пресечения: залог"
    _run, again = text_import(
        "ФИО;Статус;Мера пресечения;Примечание\n"
        "Иванов Иван;осужден;под домашним арестом;апелляция\n"
        "Петров Пётр;;залог;\n",
        partner_user,
        partner_organisation,
    )
    assert again["unchanged"] == 2


def test_the_preview_says_what_happens_to_the_measure_of_restraint(
    client_as_partner, partner_organisation
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = "ФИО;Статус;Мера пресечения\nИванов Иван;осужден;под домашним арестом\n".encode()
    client_as_partner.post("/imports/new/", {"file": SimpleUploadedFile("m.csv", data)})
    run = ImportRun.objects.get()

    page = client_as_partner.get(f"/imports/{run.pk}/preview/")

    assert "The measure of restraint “под домашним арестом” is kept in the case note." in page.text


def test_an_unknown_measure_is_an_error_only_when_it_would_give_the_status(
    partner_user, partner_organisation
):
    _run, summary = text_import(
        "ФИО;Статус;Мера пресечения\nИванов Иван;осужден;что-то\nПетров Пётр;;что-то\n",
        partner_user,
        partner_organisation,
    )

    assert [(error["row"], error["column"]) for error in summary["errors"]] == [
        (3, "C (Мера пресечения)")
    ]


def test_it_matches_a_given_name_first_cyrillic_name_to_the_latin_record(
    partner_user, partner_organisation
):
    existing = PersonFactory(
        full_name="Almat Zhumagulov", birth_year=1985, owning_organisation=partner_organisation
    )
    CaseFactory(
        person=existing,
        owning_organisation=partner_organisation,
        detained_on=datetime.date(2021, 3, 12),
    )

    _run, summary = text_import(
        "ФИО;Год рождения;Дата задержания\nАлмат Жумагулов;1985;12.03.2021\n",
        partner_user,
        partner_organisation,
    )

    assert (summary["new"], summary["updated"] + summary["unchanged"]) == (0, 1)
    assert Person.objects.count() == 1


def test_a_family_name_with_only_an_initial_is_at_most_a_possible_duplicate(
    partner_user, partner_organisation, host
):
    existing = PersonFactory(
        full_name="Almat Zhumagulov", birth_year=1985, owning_organisation=host
    )
    CaseFactory(person=existing, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)

    _run, summary = text_import(
        "ФИО;Год рождения;Статус\nЖумагулов А.;1985;осужден\nЖумагулов А.;;осужден\n",
        partner_user,
        partner_organisation,
    )

    assert (summary["possible_duplicates"], summary["new"]) == (2, 0)
    assert not Case.objects.filter(owning_organisation=partner_organisation).exists()


def test_the_preview_names_the_recorded_person_a_new_case_is_for(
    client_as_partner, partner_organisation, host
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    existing = PersonFactory(
        full_name="Almat Zhumagulov", birth_year=1985, owning_organisation=host
    )
    CaseFactory(person=existing, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    data = "ФИО;Год рождения;Статус\nАлмат Жумагулов;1985;осужден\n".encode()
    client_as_partner.post("/imports/new/", {"file": SimpleUploadedFile("m.csv", data)})
    run = ImportRun.objects.get()

    page = client_as_partner.get(f"/imports/{run.pk}/preview/")

    assert (
        f'New case for <a href="/people/{existing.pk}/">Almat Zhumagulov</a> (born 1985), '
        "already recorded." in page.text
    )


def test_a_later_file_naming_only_the_article_adds_no_second_charge_beside_its_part(
    partner_user, partner_organisation
):
    # "174" where the case holds "ст. 174 ч.1" was added as another charge, "art. 174",
    # beside "art. 174 part 1": the file says less, not more. (The vocabulary holds both,
    # as the seeded one does, so "174" is not read as the one charge of its article.)
    ChargeFactory(part="")
    text_import(
        "ФИО;Год рождения;Статья;Статус\nИванов Иван;1980;ст. 174 ч.1 УК РК;осуждён\n",
        partner_user,
        partner_organisation,
    )

    _run, summary = text_import(
        "ФИО;Год рождения;Статья;Статус\nИванов Иван;1980;174;осуждён\n",
        partner_user,
        partner_organisation,
    )

    assert (summary["updated"], summary["unchanged"]) == (0, 1)
    case = Case.objects.get()
    assert [(charge.article, charge.part) for charge in case.charges.all()] == [("174", "1")]


def test_a_second_row_of_a_case_saying_otherwise_is_marked_at_the_cell_that_differs(
    partner_user, partner_organisation
):
    # The error stood at the name column, which both rows write alike; the partner had to
    # compare every cell to find the article that differs.
    _run, summary = text_import(
        "ФИО;Год рождения;Статья;Дата задержания;Статус\n"
        "Каримов Тимур;1979;174;12.03.2021;в СИЗО\n"
        "Каримов Тимур;1979;405;12.03.2021;в СИЗО\n"
        "Каримов Тимур;1979;174;12.03.2021;осуждён\n",
        partner_user,
        partner_organisation,
    )

    # Row 3 differs only in its article: its charge goes to the case of row 2.
    assert [(error["row"], error["column"]) for error in summary["errors"]] == [
        (4, "E (Статус)"),
    ]


def test_a_second_row_of_a_case_naming_its_person_in_another_script_repeats_it(
    partner_user, partner_organisation
):
    # Two spellings of one person ("Серікбаев Нұрлан", "Serikbayev Nurlan") saying the same
    # of the case were refused as "the same person and case with different values".
    PersonFactory(
        full_name="Nurlan Serikbaev",
        native_name="Серікбаев Нұрлан Қайратұлы",
        birth_year=1988,
        owning_organisation=partner_organisation,
    )

    _run, summary = text_import(
        "ФИО;Год рождения;Статус\n"
        "Серікбаев Нұрлан Қайратұлы;1988;осуждён\n"
        "Serikbayev Nurlan;1988;осуждён\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    assert (summary["new"], summary["unchanged"]) == (1, 1)


def test_a_status_the_file_dates_before_the_case_s_current_one_is_a_past_timeline_entry(
    partner_user, partner_organisation
):
    # An older master sheet ("released 05.05.2023" for a case imprisoned since 01.01.2024)
    # was refused at its status cell; the timeline takes a backdated status in its place.
    text_import(
        "ФИО;Год рождения;Статус;Дата приговора\nТестов Тест;1970;осуждён;01.01.2024\n",
        partner_user,
        partner_organisation,
    )
    older_sheet = (
        "ФИО;Год рождения;Статус;Дата освобождения\nТестов Тест;1970;освобождён;05.05.2023\n"
    )

    _run, summary = text_import(older_sheet, partner_user, partner_organisation)

    assert (summary["errors"], summary["updated"]) == ([], 1)
    case = Case.objects.get()
    assert (case.status, case.status_since, case.released_on) == (
        Status.IMPRISONED,
        datetime.date(2024, 1, 1),
        None,
    )
    timeline = case_timeline(case=case)  # newest first
    assert [(event.status, event.happened_on) for event in timeline] == [
        (Status.IMPRISONED, datetime.date(2024, 1, 1)),
        (Status.RELEASED, datetime.date(2023, 5, 5)),
    ]
    assert timeline[0].previous_status == Status.RELEASED

    _run, again = text_import(older_sheet, partner_user, partner_organisation)

    assert (again["updated"], again["unchanged"]) == (0, 1)
    assert CaseEvent.objects.filter(case=case).count() == 2


def test_a_status_known_only_to_the_year_of_the_case_s_current_one_is_not_refused(
    partner_user, partner_organisation
):
    text_import(
        "ФИО;Год рождения;Статус;Дата приговора\nТестов Тест;1970;осуждён;01.06.2023\n",
        partner_user,
        partner_organisation,
    )

    _run, summary = text_import(
        "ФИО;Год рождения;Статус;Дата освобождения\nТестов Тест;1970;освобождён;2023\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []


def test_rows_of_one_case_differing_only_in_the_charge_make_one_case_with_every_charge(
    partner_user, partner_organisation
):
    # A person listed once per charge ("ст. 174 ч.1", then "ст. 405 ч.2") was refused as
    # "Row 2 describes the same person and case with different values".
    _run, summary = text_import(
        "ФИО;Год рождения;Статья;Дата задержания;Статус\n"
        "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;в СИЗО\n"
        "Каримов Тимур;1979;ст. 405 ч.2;12.03.2021;в СИЗО\n"
        "Каримов Тимур;1979;ст. 174 ч.1;12.03.2021;в СИЗО\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    assert (summary["new"], summary["unchanged"]) == (1, 2)
    case = Case.objects.get()
    assert sorted((charge.article, charge.part) for charge in case.charges.all()) == [
        ("174", "1"),
        ("405", "2"),
    ]
    assert case.history.count() == 1
    history_charges = case.history.get().charges.values_list("charge__article", flat=True)
    assert sorted(history_charges) == ["174", "405"]


def test_rows_of_a_recorded_case_differing_only_in_the_charge_add_each_charge(
    partner_user, partner_organisation
):
    text_import(
        "ФИО;Год рождения;Статья;Статус\nИванов Иван;1980;ст. 174 ч.1;осуждён\n",
        partner_user,
        partner_organisation,
    )

    _run, summary = text_import(
        "ФИО;Год рождения;Статья;Статус\n"
        "Иванов Иван;1980;ст. 174 ч.1;осуждён\n"
        "Иванов Иван;1980;ст. 405 ч.2;осуждён\n"
        "Иванов Иван;1980;ст. 274 ч.3;осуждён\n",
        partner_user,
        partner_organisation,
    )

    assert summary["errors"] == []
    assert (summary["updated"], summary["unchanged"]) == (1, 2)
    case = Case.objects.get()
    assert sorted(charge.article for charge in case.charges.all()) == ["174", "274", "405"]
    assert case.history.count() == 2


def test_a_row_adding_a_charge_to_a_case_whose_first_row_has_an_error_is_an_error(
    partner_user, partner_organisation
):
    # Skipping the first row would have dropped the charge of the second without a word.
    text_import(
        "ФИО;Год рождения;Дата задержания;Статус\nИванов Иван;1980;12.03.2021;в СИЗО\n",
        partner_user,
        partner_organisation,
    )

    _run, summary = text_import(
        "ФИО;Год рождения;Статья;Дата освобождения\n"
        "Иванов Иван;1980;ст. 174 ч.1;01.01.2020\n"
        "Иванов Иван;1980;ст. 405 ч.2;01.01.2020\n",
        partner_user,
        partner_organisation,
    )

    assert [(error["row"], error["column"]) for error in summary["errors"]] == [
        (2, "D (Дата освобождения)"),
        (3, "C (Статья)"),
    ]
    assert (
        "Row 2 describes the same person and case and has an error"
        in (summary["errors"][1]["message"])
    )
    assert not Case.objects.get().charges.exists()
