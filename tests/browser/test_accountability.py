"""Issue 20's flow in Chromium: a coordinator records the judge, the prosecutor and the
colony head of two seeded cases with evidence from seeded documents, opens the judge's page
listing every case they touched, downloads the dossier as DOCX and PDF (the PDF rendered to
images with pdftoppm to be looked at) and as FollowTheMoney JSON that the package validates,
and logs a submission to the EU with a follow-up that has its reminders. The officials are
invented for the test: the seed documents name none."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess

import docx
import pytest
from django.core.management import call_command

from accountability.followthemoney_export import followthemoney_validate
from accountability.models import CaseRole, DossierAccess, ResponsiblePerson
from advocacy.models import Document
from casework.models import Case, Organisation, Reminder, Role
from tests.browser.conftest import SCREENSHOTS, SCREENSHOTS_WANTED
from tests.factories import member

OFFICIALS = [
    ("judge", "Arman Testbekov", "Арман Тестбеков"),
    ("prosecutor", "Dana Sampleyeva", "Дана Сэмплеева"),
    ("prison_head", "Marat Exampleov", "Марат Экзамплов"),
]


@pytest.fixture
def seeded_coordinator(db):
    """A coordinator of the seeds' host organisation, after the seeds are loaded."""
    call_command("load_seeds", verbosity=0)
    host = Organisation.objects.get(kind=Organisation.Kind.HOST)
    return member(organisation=host, role=Role.COORDINATOR, username="coordinator")


def _record_person(page, kind: str, name: str, native: str) -> None:
    if not page.url.endswith("/responsible/new/"):  # the first: signing in opened it
        page.goto("/responsible/new/")
    page.get_by_label("Kind").select_option(kind)
    page.get_by_label("Name in Latin script").fill(name)
    page.get_by_label("Name in Cyrillic").fill(native)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/responsible/*/")


def _record_role(page, person: ResponsiblePerson, case: Case, role: str, what: str) -> CaseRole:
    page.goto(f"/responsible/{person.pk}/roles/new/?case={case.pk}")
    page.get_by_label("Role", exact=True).select_option(role)
    page.get_by_label("What they did").fill(what)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/responsible/{person.pk}/")
    return CaseRole.objects.filter(person=person, case=case).latest("pk")


def _add_evidence(page, role: CaseRole, document: Document, passage: str, shows: str) -> None:
    page.goto(f"/responsible/roles/{role.pk}/evidence/new/")
    page.get_by_label("Source").select_option("document")
    page.get_by_label("Document").select_option(str(document.pk))
    page.get_by_label("Passage").fill(passage)
    page.get_by_label("What it shows").fill(shows)
    page.get_by_label("Confidence").select_option("corroborated")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/responsible/{role.person_id}/")


def test_a_coordinator_builds_a_sanctions_dossier(page, sign_in, seeded_coordinator, screenshot):
    sign_in(seeded_coordinator, at="/responsible/new/")
    kozlov = Case.objects.get(reference="SEED-KOZLOV")
    tuletaeva = Case.objects.get(reference="SEED-TULETAEVA")
    passage = "Vladimir Kozlov is in jail despite EU appeals"
    document = Document.objects.filter(full_text__contains=passage).order_by("pk").first()

    for kind, name, native in OFFICIALS:
        _record_person(page, kind, name, native)
    judge, prosecutor, colony_head = (
        ResponsiblePerson.objects.get(name=name) for _kind, name, _native in OFFICIALS
    )
    tuletaeva_passage = "oil strike activist Roza Tuletaeva"
    sources = {
        kozlov: (document, passage),
        tuletaeva: (
            Document.objects.filter(full_text__contains=tuletaeva_passage).order_by("pk").first(),
            tuletaeva_passage,
        ),
    }
    for case, (source, quoted) in sources.items():
        role = _record_role(page, judge, case, "sentencing_judge", "Presided and sentenced.")
        _add_evidence(page, role, source, quoted, "The sentence he handed down stands.")
        _record_role(page, prosecutor, case, "prosecutor", "Asked for the sentence.")
    role = _record_role(page, colony_head, kozlov, "detention_head", "Head of the colony.")
    _add_evidence(page, role, document, passage, "He was held there.")

    page.goto(f"/responsible/{judge.pk}/")
    assert page.get_by_text("2 cases they touched").is_visible()
    assert page.get_by_role("link", name="SEED-KOZLOV").is_visible()
    assert page.get_by_role("link", name="SEED-TULETAEVA").is_visible()
    screenshot("accountability-person")

    page.get_by_label("Language").select_option("ru")
    with page.expect_download() as docx_download:
        page.get_by_role("button", name="Download DOCX").click()
    word = docx.Document(str(docx_download.value.path()))
    text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    assert "Санкционное досье: Arman Testbekov" in text
    assert "4. Нарушения и доказательства" in text
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Download PDF").click()
    downloaded = pdf_download.value.path()
    # The PDF and its pages as images, to be looked at (pdftoppm, poppler-utils), when the
    # run takes screenshots.
    if SCREENSHOTS_WANTED:
        SCREENSHOTS.mkdir(exist_ok=True)
        pdf = SCREENSHOTS / "accountability-dossier.pdf"
        shutil.copy(downloaded, pdf)
        if shutil.which("pdftoppm"):
            pages = str(SCREENSHOTS / "accountability-dossier")
            subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), pages], check=True)
    with page.expect_download() as ftm_download:
        page.get_by_role("link", name="FollowTheMoney JSON").click()
    lines = ftm_download.value.path().read_text(encoding="utf-8").splitlines()
    entities = [json.loads(line) for line in lines]
    # The package's own validation where it is installed (always under CI), links always.
    followthemoney_validate(entities)
    assert {entity["schema"] for entity in entities} >= {"Person", "CourtCase", "CourtCaseParty"}

    page.get_by_role("link", name="Log a submission").click()
    page.get_by_label("Jurisdiction").select_option("eu")
    page.get_by_label("Submitted on").fill("2026-11-02")
    page.get_by_label("Submitted by").fill("Advocase Demo NGO")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="add a follow-up").click()
    page.get_by_label("Task").fill("Ask the EEAS whether the listing is under review")
    page.get_by_label("Assign to").select_option(label="coordinator")
    due = datetime.date.today() + datetime.timedelta(days=30)
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**/responsible/{judge.pk}/")
    assert page.get_by_text("Ask the EEAS whether the listing is under review").is_visible()
    screenshot("accountability-submission")

    submission = judge.submissions.get()
    follow_up = submission.follow_up_links.get().follow_up
    assert Reminder.objects.filter(follow_up=follow_up).exists()
    assert set(DossierAccess.objects.filter(person=judge).values_list("action", flat=True)) == {
        "view",
        "docx",
        "pdf",
        "ftm",
    }
    page.goto(f"/cases/{kozlov.pk}/")
    assert page.locator("#responsible-heading").is_visible()
    screenshot("accountability-case")


def test_the_sanctions_submissions_never_make_a_phone_page_scroll_sideways(
    page, sign_in, host, screenshot
):
    from accountability.persons import responsible_person_create
    from accountability.submissions import submission_create

    coordinator = member(organisation=host, role=Role.COORDINATOR, username="phone-coordinator")
    person = responsible_person_create(by=coordinator, kind="judge", name="Arman Testbekov")
    for jurisdiction in ("eu", "uk", "us", "ca"):
        submission_create(
            person=person,
            by=coordinator,
            jurisdiction=jurisdiction,
            submitted_on=datetime.date(2025, 3, 1),
            submitted_by="Kazakhstan International Bureau for Human Rights and Rule of Law",
        )
    page.set_viewport_size({"width": 375, "height": 740})
    sign_in(coordinator, at=f"/responsible/{person.pk}/")
    screenshot("responsible-person-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
