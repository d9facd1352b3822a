"""Detecting mentions and reviewing them (/documents/<id>/detect/, mentions/review/,
mentions/<id>/confirm/ and reject/), and what the document page says of a detection."""

from __future__ import annotations

from django.urls import reverse

from advocacy.mentions import mention_confirm, mention_reject
from advocacy.models import Mention
from casework.models import Confidentiality
from tests.factories import CaseFactory, DocumentFactory, PersonFactory


def test_it_detects_and_shows_proposed_mentions_the_user_may_see(
    client_as_caseworker, cases, document
):
    response = client_as_caseworker.post(
        reverse("document_detect_mentions", args=[document.pk]), follow=True
    )
    assert "Almat Zhumagulov" in response.text
    assert "1 new mention proposed. Confirm or reject it." in response.text
    assert "Kenzhebek" not in response.text
    # The restricted case is not the caseworker's: not proposed, not shown.
    assert list(Mention.objects.values_list("case", flat=True)) == [cases["zhumagulov"].pk]


def test_it_confirms_and_rejects_from_the_review_page(client_as_caseworker, cases, document):
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    mention = Mention.objects.get()
    client_as_caseworker.post(reverse("mention_reject", args=[mention.pk]))
    mention.refresh_from_db()
    assert mention.state == Mention.State.REJECTED
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    assert Mention.objects.count() == 1
    client_as_caseworker.post(reverse("mention_confirm", args=[mention.pk]))
    mention.refresh_from_db()
    assert mention.state == Mention.State.CONFIRMED


def test_it_hides_a_mention_of_a_case_the_user_may_not_see(client_as_caseworker, cases, document):
    hidden = Mention.objects.create(
        document=document, case=cases["abishev"], state=Mention.State.PROPOSED
    )
    response = client_as_caseworker.post(reverse("mention_confirm", args=[hidden.pk]))
    assert response.status_code == 404
    review = client_as_caseworker.get(reverse("document_mention_review", args=[document.pk]))
    assert "Aset Abishev" not in review.text


def test_it_lets_partner_users_read_but_not_detect(client_as_partner, cases, document):
    review = client_as_partner.get(reverse("document_mention_review", args=[document.pk]))
    assert review.status_code == 200
    response = client_as_partner.post(reverse("document_detect_mentions", args=[document.pk]))
    assert response.status_code == 403


def test_it_answers_404_for_an_archived_document(client_as_caseworker, document):
    document.archived_at = document.created_at
    document.save()
    response = client_as_caseworker.get(reverse("document_mention_review", args=[document.pk]))
    assert response.status_code == 404


def test_it_runs_a_long_text_in_the_background(
    client_as_caseworker, cases, document, django_capture_on_commit_callbacks, settings
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    document.full_text += " Filler." * 3000
    document.save()
    from config.celery import app

    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    finally:
        app.conf.task_always_eager = False
    assert len(callbacks) == 1
    assert Mention.objects.get().case == cases["zhumagulov"]


def test_it_shows_the_review_page_in_a_bounded_number_of_queries(
    client_as_caseworker, cases, document, django_assert_max_num_queries
):
    for index in range(8):
        case = CaseFactory(person=PersonFactory(full_name=f"Person {'abcdefgh'[index]}"))
        Mention.objects.create(document=document, case=case, state=Mention.State.PROPOSED)
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get(reverse("document_mention_review", args=[document.pk]))
    assert response.text.count("Confirm ") >= 8


def test_the_document_pages_say_a_long_detection_is_waiting(
    client_as_caseworker, cases, document, django_capture_on_commit_callbacks
):
    document.full_text += " Filler." * 3000
    document.save()
    with django_capture_on_commit_callbacks(execute=False):
        response = client_as_caseworker.post(
            reverse("document_detect_mentions", args=[document.pk]), follow=True
        )
    assert "detection runs in the background" in response.text
    assert "Detection waiting" in response.text  # the review page it lands on
    page = client_as_caseworker.get(reverse("document_detail", args=[document.pk])).text
    assert "Detection waiting" in page
    assert 'hx-trigger="every 5s"' in page


def test_the_document_page_says_how_many_a_finished_detection_proposed(
    client_as_caseworker, cases, document
):
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    page = client_as_caseworker.get(reverse("document_detail", args=[document.pk])).text
    assert "Detection finished" in page
    assert "new mention" in page
    assert 'hx-trigger="every 5s"' not in page


def test_the_proposed_count_goes_once_every_mention_is_decided(
    client_as_caseworker, cases, document
):
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    page = client_as_caseworker.get(reverse("document_detail", args=[document.pk])).text
    assert "1 new mention proposed." in page
    client_as_caseworker.post(reverse("mention_confirm", args=[Mention.objects.get().pk]))
    for url in ("document_detail", "document_mention_review"):
        page = client_as_caseworker.get(reverse(url, args=[document.pk])).text
        assert "new mention proposed" not in page
        assert "every proposed mention has been confirmed or rejected" in page


def test_the_document_page_detects_mentions_itself_by_post(client_as_caseworker, cases, document):
    page = client_as_caseworker.get(reverse("document_detail", args=[document.pk])).text
    detect_url = reverse("document_detect_mentions", args=[document.pk])
    assert f'<form method="post" action="{detect_url}"' in page
    assert f'href="{detect_url}"' not in page


def test_it_flags_a_person_named_by_the_given_name_alone_for_checking(client_as_caseworker):
    CaseFactory(person=PersonFactory(full_name="Dulat Agadil"))
    CaseFactory(person=PersonFactory(full_name="Zhanbolat Agadil"))
    document = DocumentFactory(
        full_text="Dulat Agadil died in custody; his son Zhanbolat was summoned."
    )
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    review = client_as_caseworker.get(reverse("document_mention_review", args=[document.pk]))
    rows = review.text.split("<tr>")[2:]  # after the header row, one per proposed mention
    son = next(row for row in rows if "Zhanbolat Agadil" in row)
    father = next(row for row in rows if "Dulat Agadil</a>" in row)
    assert "Given name only: check" in son
    assert "Given name only: check" not in father
    # Ticked for confirming all at once only when nothing is left to check.
    assert 'form="bulk-decide" checked' in father
    assert 'form="bulk-decide" checked' not in son


def test_it_refuses_to_reject_a_mention_a_colleague_confirmed_since_the_page_was_read(
    client_as_caseworker, coordinator, cases, document
):
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    mention = Mention.objects.get()
    review = reverse("document_mention_review", args=[document.pk])
    assert 'name="shown_state" value="proposed"' in client_as_caseworker.get(review).text
    mention_confirm(mention=Mention.objects.get(), by=coordinator)  # in another browser
    coordinator.first_name, coordinator.last_name = "Dana", "Seitkali"
    coordinator.save()

    response = client_as_caseworker.post(
        reverse("mention_reject", args=[mention.pk]), {"shown_state": "proposed"}, follow=True
    )
    mention.refresh_from_db()
    assert (mention.state, mention.confirmed_by) == (Mention.State.CONFIRMED, coordinator)
    assert "Dana Seitkali confirmed Almat Zhumagulov here" in response.text
    assert "your rejection was not saved" in response.text
    # Sent again from a page that showed the confirmation, the rejection is taken knowingly.
    client_as_caseworker.post(
        reverse("mention_reject", args=[mention.pk]), {"shown_state": "confirmed"}
    )
    mention.refresh_from_db()
    assert mention.state == Mention.State.REJECTED


def test_it_refuses_to_confirm_a_mention_a_colleague_rejected_since_the_page_was_read(
    client_as_caseworker, coordinator, cases, document
):
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    mention = Mention.objects.get()
    mention_reject(mention=Mention.objects.get(), by=coordinator)
    response = client_as_caseworker.post(
        reverse("mention_confirm", args=[mention.pk]), {"shown_state": "proposed"}, follow=True
    )
    mention.refresh_from_db()
    assert mention.state == Mention.State.REJECTED
    assert "coordinator rejected Almat Zhumagulov here" in response.text
    # The page now lists it as rejected, with "Confirm after all" sending that state.
    assert 'name="shown_state" value="rejected"' in response.text
    client_as_caseworker.post(
        reverse("mention_confirm", args=[mention.pk]), {"shown_state": "rejected"}
    )
    mention.refresh_from_db()
    assert (mention.state, mention.confirmed_by.username) == ("confirmed", "caseworker")


def test_the_detection_notice_says_how_many_still_wait_once_some_are_decided(
    client_as_caseworker,
):
    CaseFactory(person=PersonFactory(full_name="Dulat Agadil"))
    CaseFactory(person=PersonFactory(full_name="Serik Orazov"))
    document = DocumentFactory(full_text="Dulat Agadil and Serik Orazov are held.")
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    client_as_caseworker.post(reverse("mention_confirm", args=[Mention.objects.first().pk]))
    page = client_as_caseworker.get(reverse("document_detail", args=[document.pk])).text
    # Not "2 new mentions proposed. Confirm or reject it": which one of the two?
    assert "2 new mentions proposed. 1 of them still waits for a decision." in page


def test_it_rejects_a_confirmed_mention_from_the_review_page_and_keeps_the_history(
    client_as_caseworker, coordinator, cases, document
):
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    mention = Mention.objects.get()
    mention_confirm(mention=mention, by=coordinator)
    review = reverse("document_mention_review", args=[document.pk])
    page = client_as_caseworker.get(review).text
    # The confirmed mention offers its rejection, sending the state the page showed.
    reject_url = reverse("mention_reject", args=[mention.pk])
    assert f'action="{reject_url}" class="inline-form"' in page
    assert 'class="button--small button--secondary" aria-label="Reject Almat Zhumagulov"' in page

    response = client_as_caseworker.post(reject_url, {"shown_state": "confirmed"}, follow=True)
    mention.refresh_from_db()
    assert (mention.state, mention.confirmed_by.username) == ("rejected", "caseworker")
    assert "rejected by caseworker" in response.text
    assert [row.state for row in mention.history.order_by("history_date")] == [
        "proposed",
        "confirmed",
        "rejected",
    ]


def test_it_keeps_a_colleagues_rejection_when_a_stale_page_rejects_again(
    client_as_caseworker, coordinator, cases, document
):
    # The page showed the mention confirmed; a colleague rejected it meanwhile. The
    # rejection sent from the stale page writes nothing and keeps the colleague's name.
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    mention = Mention.objects.get()
    mention_confirm(mention=mention, by=coordinator)
    mention_reject(mention=Mention.objects.get(), by=coordinator, shown_state="confirmed")
    client_as_caseworker.post(
        reverse("mention_reject", args=[mention.pk]), {"shown_state": "confirmed"}
    )
    mention.refresh_from_db()
    assert (mention.state, mention.confirmed_by) == ("rejected", coordinator)
    assert mention.history.count() == 3


def test_it_records_what_a_confirmed_detected_mention_demands(
    client_as_caseworker, coordinator, cases, document
):
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    mention = Mention.objects.get()
    mention_confirm(mention=mention, by=coordinator)
    review = reverse("document_mention_review", args=[document.pk])
    demands_url = reverse("mention_demands", args=[mention.pk])
    assert f'action="{demands_url}"' in client_as_caseworker.get(review).text

    response = client_as_caseworker.post(
        demands_url, {"demands_release": "on", "demands_medical_care": "on"}, follow=True
    )
    mention.refresh_from_db()
    assert (mention.demands_release, mention.demands_medical_care) == (True, True)
    assert not mention.demands_fair_trial
    assert "Saved what the document demands for Almat Zhumagulov." in response.text
    assert mention.history.first().history_user.username == "caseworker"
    # An unticked box is a demand taken back.
    client_as_caseworker.post(demands_url, {"demands_release": "on"})
    mention.refresh_from_db()
    assert (mention.demands_release, mention.demands_medical_care) == (True, False)


def test_it_lets_a_partner_read_but_not_record_what_a_mention_demands(client_as_partner, document):
    public = CaseFactory(
        person=PersonFactory(full_name="Almat Zhumagulov"),
        confidentiality=Confidentiality.PUBLIC,
    )
    mention = Mention.objects.create(document=document, case=public, state=Mention.State.CONFIRMED)
    page = client_as_partner.get(reverse("document_mention_review", args=[document.pk])).text
    assert reverse("mention_demands", args=[mention.pk]) not in page
    response = client_as_partner.post(
        reverse("mention_demands", args=[mention.pk]), {"demands_release": "on"}
    )
    assert response.status_code == 403
    mention.refresh_from_db()
    assert not mention.demands_release


def test_it_confirms_the_ticked_proposed_mentions_at_once_and_keeps_a_colleagues_decision(
    client_as_caseworker, coordinator, django_assert_max_num_queries
):
    names = ["Dulat Agadil", "Serik Orazov", "Roza Tuletaeva", "Vadim Kuramshin"]
    for name in names:
        CaseFactory(person=PersonFactory(full_name=name))
    document = DocumentFactory(full_text="No.\tName\n" + "\n".join(names))
    client_as_caseworker.post(reverse("document_detect_mentions", args=[document.pk]))
    agadil, orazov, tuletaeva, kuramshin = Mention.objects.order_by("start")
    review = client_as_caseworker.get(reverse("document_mention_review", args=[document.pk]))
    assert f'name="mention" value="{agadil.pk}" form="bulk-decide" checked' in review.text
    mention_reject(mention=tuletaeva, by=coordinator)  # in another browser, meanwhile

    with django_assert_max_num_queries(30):
        response = client_as_caseworker.post(
            reverse("document_mentions_decide", args=[document.pk]),
            {"decision": "confirm", "mention": [agadil.pk, orazov.pk, tuletaeva.pk]},
            follow=True,
        )
    states = dict(Mention.objects.values_list("pk", "state"))
    assert [states[m.pk] for m in (agadil, orazov, tuletaeva, kuramshin)] == [
        "confirmed",
        "confirmed",
        "rejected",
        "proposed",
    ]
    assert "2 mentions confirmed." in response.text
    assert "1 ticked mention was decided by someone else" in response.text
    confirmed = Mention.objects.get(pk=agadil.pk)
    assert confirmed.confirmed_by.username == "caseworker"
    assert confirmed.history.first().history_user.username == "caseworker"


def test_it_refuses_a_partner_deciding_mentions_at_once(client_as_partner, document):
    response = client_as_partner.post(
        reverse("document_mentions_decide", args=[document.pk]),
        {"decision": "confirm", "mention": ["1"]},
    )
    assert response.status_code == 403
