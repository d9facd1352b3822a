"""Tasks: those the user may see (casework.visibility.follow_ups_visible_to); assigning
one, changing one (with If-Match, as a case's PATCH: casework.api.preconditions) and
marking one done through casework.followups, as the task pages do."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.base import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, form_cleaned
from casework.api.preconditions import (
    ETAG_ON_READ,
    ETAG_ON_WRITE,
    IF_MATCH,
    PRECONDITION_FAILED,
    SET_BY_ADVOCASE,
    edited_meanwhile_response,
    if_match_stamp,
    sent_fields_check,
    with_etag,
)
from casework.api.serializers import (
    CompletionRequestSerializer,
    FollowUpCreateRequestSerializer,
    FollowUpSerializer,
    FollowUpUpdateRequestSerializer,
)
from casework.api.writes import form_data_over, forms_check, request_object
from casework.followup_forms import FollowUpCompleteForm, FollowUpCreateForm, FollowUpForm
from casework.followups import (
    EDITABLE_FIELDS,
    follow_up_assignable_users,
    follow_up_complete,
    follow_up_create,
    follow_up_update,
)
from casework.models import FollowUp
from casework.permissions import followup_for_user, require_follow_up_manager
from casework.visibility import cases_visible_to, follow_ups_visible_to
from common.edit_stamps import EditedMeanwhile

DONE_AT = _("A task is marked done through POST %(path)s.")
REASSIGNED_ON_PAGE = _("A task is reassigned or cancelled on its page under Tasks.")


@extend_schema(tags=["follow-ups"])
class FollowUpList(generics.ListAPIView):
    serializer_class = FollowUpSerializer

    def get_queryset(self) -> QuerySet[FollowUp]:
        return follow_ups_visible_to(self.request.user)

    @extend_schema(responses={200: FollowUpSerializer(many=True), **ERRORS_LIST})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=FollowUpCreateRequestSerializer,
        responses={201: FollowUpSerializer, **ERRORS_LIST},
    )
    def post(self, request, *args, **kwargs) -> Response:
        """Assign a task (coordinators and admins), to a colleague, about a case by its
        reference, as the new-task page does."""
        require_follow_up_manager(request.user)
        data = form_cleaned(
            request,
            FollowUpCreateForm,
            cases=cases_visible_to(request.user),
            memberships=list(follow_up_assignable_users(by=request.user)),
        )
        # The page's "this date has passed — assign anyway?" is a question to a person; a
        # script's date is taken as given (the form asks only when it is told today).
        data.pop("assign_anyway", None)
        follow_up = follow_up_create(by=request.user, **data)
        serializer = FollowUpSerializer(follow_up, context={"request": request})
        return Response(serializer.data, status=status.HTTP_201_CREATED)


def _where(pk: int):
    """Where a read-only field of the task changes."""

    def where(name: str) -> str:
        if name in ("status", "completed_at", "completion_note"):
            return str(DONE_AT) % {"path": f"/api/v1/follow-ups/{pk}/complete/"}
        if name == "assignee":
            return str(REASSIGNED_ON_PAGE)
        return str(SET_BY_ADVOCASE)

    return where


@extend_schema(tags=["follow-ups"])
class FollowUpDetail(generics.RetrieveAPIView):
    serializer_class = FollowUpSerializer

    def get_object(self) -> FollowUp:
        return followup_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=[ETAG_ON_READ], responses={200: FollowUpSerializer, **ERRORS_READ})
    def get(self, request, *args, **kwargs) -> Response:
        """The task, with its ETag (the stamp of the fields PATCH changes) for If-Match."""
        follow_up = self.get_object()
        response = Response(self.get_serializer(follow_up).data)
        return with_etag(response, instance=follow_up, names=EDITABLE_FIELDS)

    @extend_schema(
        request=FollowUpUpdateRequestSerializer,
        parameters=[IF_MATCH, ETAG_ON_WRITE],
        responses={200: FollowUpSerializer, **ERRORS_WRITE, **PRECONDITION_FAILED},
    )
    def patch(self, request, pk: int) -> Response:
        """Change an open task's title, note, due date, priority or recurrence, as its edit
        page does (coordinators and admins); fields left out keep theirs, and its pending
        reminders follow the new due date. A field it does not take answers 400 (a
        read-only one sent back unchanged is taken); with If-Match, a task changed since
        answers 412 naming the fields, and nothing is written."""
        follow_up = followup_for_user(request.user, pk, for_change=True)
        sent = request_object(request)
        context = self.get_serializer_context()
        sent_fields_check(
            sent=sent,
            writable=EDITABLE_FIELDS,
            readable=FollowUpSerializer.Meta.fields,
            stored=lambda: FollowUpSerializer(follow_up, context=context).data,
            where=_where(follow_up.pk),
        )
        stamp = if_match_stamp(request, instance=follow_up, names=EDITABLE_FIELDS)
        if isinstance(stamp, Response):
            return stamp
        # No "today": the page's "this date has passed — assign anyway?" is a question to a
        # person, and a script's date is taken as given (as when it assigns a task).
        shown = FollowUpForm(initial={name: getattr(follow_up, name) for name in EDITABLE_FIELDS})
        form = FollowUpForm(form_data_over(shown, sent))
        forms_check(("", form))
        changes = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS}
        try:
            written = follow_up_update(follow_up=follow_up, by=request.user, stamp=stamp, **changes)
        except EditedMeanwhile as meanwhile:
            return edited_meanwhile_response(meanwhile)
        response = Response(FollowUpSerializer(written, context=context).data)
        return with_etag(response, instance=written, names=EDITABLE_FIELDS)


@extend_schema(tags=["follow-ups"])
class FollowUpComplete(APIView):
    @extend_schema(
        request=CompletionRequestSerializer,
        responses={200: FollowUpSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk: int) -> Response:
        """Mark the task done (the assignee, or a coordinator); a recurring task's next
        one is made as on the page."""
        follow_up = followup_for_user(request.user, pk, for_completion=True)
        data = form_cleaned(request, FollowUpCompleteForm)
        follow_up_complete(follow_up=follow_up, by=request.user, note=data["note"])
        follow_up.refresh_from_db()
        return Response(FollowUpSerializer(follow_up, context={"request": request}).data)
