"""Pages for a person's part in cases and the sanctions tracker: a role on a case (or one
of its events) with its evidence, a submission, its outcome and its follow-up tasks."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accountability import roles as role_writes
from accountability import submissions as submission_writes
from accountability.forms import (
    CaseRoleForm,
    EvidenceForm,
    OutcomeForm,
    SubmissionFollowUpForm,
    SubmissionForm,
    case_events,
)
from accountability.permissions import (
    case_role_for_user,
    responsible_person_for_user,
    submission_for_user,
)
from accountability.views._forms import form_page
from advocacy.visibility import documents_visible_to
from casework.models import Case
from casework.visibility import cases_visible_to
from common.lookups import id_from


def _chosen_case(request) -> Case | None:
    """The case named by ?case= or the posted form, if the user may see it."""
    wanted = id_from(request.POST.get("case") or request.GET.get("case"))
    if wanted is None:
        return None
    return cases_visible_to(request.user).filter(pk=wanted).first()


@login_required
@require_http_methods(["GET", "POST"])
def case_role_add(request, pk: int):
    person = responsible_person_for_user(request.user, pk)
    case = _chosen_case(request)
    form = CaseRoleForm(
        request.POST or None,
        initial={"case": case.pk} if case else None,
        cases=cases_visible_to(request.user).select_related("person").order_by("reference"),
        events=case_events(case),
    )

    def save(data):
        data = dict(data)
        return role_writes.case_role_create(
            person=person, case=data.pop("case"), by=request.user, **data
        )

    return form_page(
        request,
        form,
        save=save,
        back=person,
        heading=_("Record a role on a case"),
        success=_("Role recorded."),
        context={"choose_case_first": case is None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_role_edit(request, pk: int):
    case_role = case_role_for_user(request.user, pk)
    form = CaseRoleForm(
        request.POST or None,
        instance=case_role,
        cases=Case.objects.none(),
        events=case_events(case_role.case),
    )

    def save(data):
        case_role.refresh_from_db()
        return role_writes.case_role_update(case_role=case_role, by=request.user, **data)

    return form_page(
        request,
        form,
        save=save,
        back=case_role.person,
        heading=_("Edit the role"),
        success=_("Changes saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence_add(request, pk: int):
    case_role = case_role_for_user(request.user, pk)
    form = EvidenceForm(
        request.POST or None,
        documents=documents_visible_to(request.user).order_by("-issued_on", "title"),
    )
    return form_page(
        request,
        form,
        save=lambda data: role_writes.evidence_add(case_role=case_role, by=request.user, **data),
        back=case_role.person,
        heading=_("Add evidence: %(role)s, %(case)s")
        % {"role": case_role.get_role_display(), "case": case_role.case.reference},
        success=_("Evidence added."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_add(request, pk: int):
    person = responsible_person_for_user(request.user, pk)
    return form_page(
        request,
        SubmissionForm(request.POST or None),
        save=lambda data: submission_writes.submission_create(
            person=person, by=request.user, **data
        ),
        back=person,
        heading=_("Log a sanctions submission"),
        success=_("Submission logged."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_outcome(request, pk: int):
    submission = submission_for_user(request.user, pk)
    form = OutcomeForm(request.POST or None, instance=submission)

    def save(data):
        submission.refresh_from_db()
        return submission_writes.submission_record_outcome(
            submission=submission, by=request.user, **data
        )

    return form_page(
        request,
        form,
        save=save,
        back=submission.person,
        heading=_("Record the outcome"),
        success=_("Outcome recorded."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def submission_follow_up_add(request, pk: int):
    submission = submission_for_user(request.user, pk)
    form = SubmissionFollowUpForm(
        request.POST or None, organisation_id=submission.person.owning_organisation_id
    )
    return form_page(
        request,
        form,
        save=lambda data: submission_writes.submission_add_follow_up(
            submission=submission, by=request.user, **data
        ),
        back=submission.person,
        heading=_("Add a follow-up task"),
        success=_("Follow-up task added; its reminders are planned."),
    )
