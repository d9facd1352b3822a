import io

import docx
import pypdf

from accountability.dossier import dossier_build
from accountability.dossier_docx import dossier_docx
from accountability.dossier_pdf import dossier_pdf


def _docx_text(content: bytes) -> str:
    document = docx.Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)


def test_it_follows_the_submission_structure(judge_role, judge, coordinator):
    dossier = dossier_build(person=judge, user=coordinator, language="en", jurisdiction="eu")
    text = _docx_text(dossier_docx(dossier))
    for heading in (
        "1. Submitting organisation",
        "2. Identification of the person",
        "3. Positions held",
        "4. Abuses and evidence",
        "5. Exculpatory information",
        "6. The case for sanctions",
    ):
        assert heading in text
    assert "Almat Zhumagulov (Алмат Жумагулов)" in text
    assert "He signed the verdict." in text
    assert "Acquitted a co-defendant." in text
    assert "European Union" in text


def test_it_writes_the_dossier_in_russian(judge_role, judge, coordinator):
    dossier = dossier_build(person=judge, user=coordinator, language="ru", jurisdiction="eu")
    text = _docx_text(dossier_docx(dossier))
    assert "Бахыт Нурланов" in text
    assert "Идентификация" in text


def test_the_pdf_carries_the_cyrillic_text(judge_role, judge, coordinator):
    dossier = dossier_build(person=judge, user=coordinator, language="ru", jurisdiction="uk")
    content = dossier_pdf(dossier)
    assert content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Бахыт Нурланов" in text
    assert "Жумагулов" in text


def test_it_leaves_out_cases_the_user_may_not_see(judge, judge_role, host, coordinator):
    from casework.models import Role
    from tests.factories import member

    teammate = member(organisation=host, role=Role.CASEWORKER)
    judge.team.add(teammate)
    judge_role.case.confidentiality = "restricted"
    judge_role.case.save()
    dossier = dossier_build(person=judge, user=teammate, language="en", jurisdiction="eu")
    assert dossier.abuses == []
    assert "Zhumagulov" not in _docx_text(dossier_docx(dossier))


def test_the_case_for_sanctions_points_back_to_the_abuses_of_section_4(
    judge_role, judge, coordinator
):
    dossier = dossier_build(person=judge, user=coordinator, language="en", jurisdiction="uk")
    plea = dossier.case_for_sanctions[0]
    # Section 6 comes after section 4: "the abuses below" sent the reader the wrong way.
    assert "set out in section 4" in plea
    assert "below" not in plea


def test_it_gives_the_period_of_a_role_not_only_the_day_it_began(coordinator, judge, victim_case):
    import datetime

    from accountability.roles import case_role_create

    case_role_create(
        person=judge,
        case=victim_case,
        by=coordinator,
        role="detention_head",
        started_on=datetime.date(2016, 3, 1),
        ended_on=datetime.date(2021, 12, 31),
    )
    case_role_create(
        person=judge,
        case=victim_case,
        by=coordinator,
        role="official",
        ended_on=datetime.date(2019, 5, 6),
    )

    dossier = dossier_build(person=judge, user=coordinator, language="en", jurisdiction="eu")

    assert sorted(abuse.date for abuse in dossier.abuses) == [
        "1 Mar 2016 – 31 Dec 2021",
        "date unknown – 6 May 2019",
    ]


def test_it_is_dated_the_day_it_is_where_the_user_works(coordinator, judge, time_machine):
    import datetime
    import zoneinfo

    from casework.models import Membership

    Membership.objects.filter(user=coordinator).update(timezone="Asia/Almaty")
    coordinator = type(coordinator).objects.get(pk=coordinator.pk)
    # 23:30 in London is already the next morning in Almaty.
    time_machine.move_to(
        datetime.datetime(2026, 12, 7, 23, 30, tzinfo=zoneinfo.ZoneInfo("UTC")), tick=False
    )

    dossier = dossier_build(person=judge, user=coordinator, language="en", jurisdiction="eu")

    assert dossier.generated_on == "8 Dec 2026"


def test_the_pdf_does_not_number_nothing_recorded_as_a_piece_of_evidence(
    coordinator, judge, victim_case
):
    from accountability.roles import case_role_create

    case_role_create(person=judge, case=victim_case, by=coordinator, role="sentencing_judge")
    dossier = dossier_build(person=judge, user=coordinator, language="en", jurisdiction="eu")

    content = dossier_pdf(dossier)

    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)
    assert "Evidence\nNone recorded." in text
    assert "1\nNone recorded." not in text
