from accountability.detection import (
    document_detect_responsible_persons,
    document_responsible_named,
    named_in_document_review,
    responsible_persons_find_in_text,
)
from accountability.models import NamedInDocument, ResponsiblePerson
from accountability.persons import responsible_person_create
from tests.factories import DocumentFactory, ResponsiblePersonFactory


def test_it_finds_a_judge_named_in_a_russian_text(judge):
    text = "Судья Бахыт Нурланов вынес приговор."
    found = responsible_persons_find_in_text(text=text, persons=ResponsiblePerson.objects.all())
    assert [(item.person_id, item.matched_text) for item in found] == [(judge.pk, "Бахыт Нурланов")]


def test_it_proposes_each_person_once_and_never_twice(judge, coordinator, verdict):
    prosecutor = responsible_person_create(
        by=coordinator, kind="prosecutor", name="Aigerim Seitkali"
    )
    assert document_detect_responsible_persons(document=verdict, by=coordinator) == 2
    assert document_detect_responsible_persons(document=verdict, by=coordinator) == 0
    named = {
        item.person: item.state
        for item in document_responsible_named(document=verdict, user=coordinator)
    }
    assert named == {judge: "proposed", prosecutor: "proposed"}


def test_it_keeps_a_rejection_when_detection_runs_again(judge, coordinator, verdict):
    document_detect_responsible_persons(document=verdict, by=coordinator)
    named = NamedInDocument.objects.get(person=judge)
    named_in_document_review(named=named, by=coordinator, confirmed=False)
    document_detect_responsible_persons(document=verdict, by=coordinator)
    named.refresh_from_db()
    assert named.state == "rejected"
    assert named.reviewed_by == coordinator


def test_it_proposes_only_persons_the_user_may_see(
    judge, verdict, partner_organisation, coordinator
):
    # A partner's record of the same judge is not proposed to the host, nor the host's to it.
    ResponsiblePersonFactory(owning_organisation=partner_organisation, name="Bakhyt Nurlanov")
    document_detect_responsible_persons(document=verdict, by=coordinator)
    assert list(NamedInDocument.objects.values_list("person_id", flat=True)) == [judge.pk]


def test_it_does_not_take_a_victim_for_a_responsible_person(judge, coordinator):
    document = DocumentFactory(full_text="Almat Zhumagulov remains in prison.")
    assert document_detect_responsible_persons(document=document, by=coordinator) == 0


def test_a_short_text_is_searched_at_once_from_the_page(client_as_coordinator, judge, verdict):
    from django.urls import reverse

    response = client_as_coordinator.post(reverse("responsible_detect", args=[verdict.pk]))

    assert response.status_code == 302
    assert NamedInDocument.objects.filter(document=verdict, person=judge).exists()


def test_a_long_text_is_searched_by_a_task_not_while_the_page_waits(
    client_as_coordinator, coordinator, judge, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from accountability.tasks import detect_responsible_persons_task
    from advocacy.mentions import DETECTION_INLINE_MAX_CHARS

    filler = "The hearing was adjourned again. " * (DETECTION_INLINE_MAX_CHARS // 30)
    document = DocumentFactory(full_text=filler + "Судья Бахыт Нурланов вынес приговор.")

    with django_capture_on_commit_callbacks() as sent:
        response = client_as_coordinator.post(
            reverse("responsible_detect", args=[document.pk]), follow=True
        )

    assert "runs in the background" in response.text
    assert len(sent) == 1  # the task, sent once the request's transaction committed
    assert not NamedInDocument.objects.filter(document=document).exists()
    assert detect_responsible_persons_task.run(document.pk, coordinator.pk) == 1
    assert detect_responsible_persons_task.run(document.pk, coordinator.pk) == 0
    assert NamedInDocument.objects.get(document=document).person == judge


def test_the_task_proposes_nothing_to_a_user_who_no_longer_sees_the_document(
    coordinator, judge, verdict
):
    from accountability.tasks import detect_responsible_persons_task

    type(coordinator).objects.filter(pk=coordinator.pk).update(is_active=False)
    assert detect_responsible_persons_task.run(verdict.pk, coordinator.pk) == 0
    assert not NamedInDocument.objects.exists()


def test_it_asks_for_the_text_of_a_document_that_has_none_rather_than_citing_a_list(
    client_as_coordinator, judge
):
    from django.urls import reverse

    document = DocumentFactory(full_text="")

    page = client_as_coordinator.post(
        reverse("responsible_detect", args=[document.pk]), follow=True
    ).text

    assert "This document has no text yet" in page
    assert "those listed below" not in page


def test_it_says_the_text_names_nobody_when_nothing_was_ever_proposed(client_as_coordinator, judge):
    from django.urls import reverse

    document = DocumentFactory(full_text="The hearing was adjourned again.")

    page = client_as_coordinator.post(
        reverse("responsible_detect", args=[document.pk]), follow=True
    ).text

    assert "The text names no responsible person you can see." in page
    assert "those listed below" not in page
