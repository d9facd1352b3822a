from accountability.audit import dossier_access_record, dossier_accesses
from accountability.models import DossierAccess
from casework.models import RestrictedCaseView


def test_it_logs_who_did_what_to_which_dossier(judge, coordinator):
    dossier_access_record(
        person=judge, user=coordinator, action="pdf", path="/responsible/1/dossier.pdf"
    )
    access = dossier_accesses(person=judge).get()
    assert (access.user, access.action, access.path) == (
        coordinator,
        "pdf",
        "/responsible/1/dossier.pdf",
    )
    assert access.at is not None


def test_it_logs_the_restricted_cases_shown_through_casework_audit(
    judge, coordinator, restricted_case, victim_case
):
    dossier_access_record(
        person=judge,
        user=coordinator,
        action="view",
        path="/responsible/1/",
        cases=[restricted_case, victim_case],
    )
    # Only the restricted one, as casework.audit logs every surface.
    assert list(RestrictedCaseView.objects.values_list("case_id", flat=True)) == [
        restricted_case.pk
    ]
    assert DossierAccess.objects.count() == 1
