"""A case's timeline: read it; add a status change or another event; correct or remove
an entry (/api/v1/events/<id>/) — through casework.status, the functions the pages call,
checked by the pages' forms, so the history rows are the pages' with the token's user."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status as http_status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.base import ERRORS_READ, ERRORS_WRITE, form_cleaned
from casework.api.preconditions import (
    ETAG_ON_READ,
    ETAG_ON_WRITE,
    IF_MATCH,
    PRECONDITION_FAILED,
    edited_meanwhile_response,
    if_match_stamp,
    sent_fields_check,
    with_etag,
)
from casework.api.serializers import (
    CaseEventSerializer,
    EventCorrectionRequestSerializer,
    StatusChangeRequestSerializer,
    TimelineEventRequestSerializer,
)
from casework.api.writes import form_data_over, forms_check, request_object
from casework.audit import case_record_view, restricted_case_views_record
from casework.models import Case, CaseEvent
from casework.permissions import case_event_for_user, case_for_user, user_sees_sensitive_fields
from casework.status import (
    CORRECTABLE_FIELDS,
    case_change_status,
    case_event_add,
    case_event_correct,
    case_event_remove,
    case_timeline,
)
from casework.timeline_forms import (
    EventCorrectionForm,
    ReasonForm,
    StatusChangeForm,
    TimelineEventForm,
)
from common.edit_stamps import EditedMeanwhile


def _case(request, pk, *, for_change: bool = False) -> Case:
    case = case_for_user(request.user, pk, for_change=for_change, select_related=("person",))
    case_record_view(case=case, user=request.user, path=request.path)
    return case


def _created(request, event) -> Response:
    serializer = CaseEventSerializer(event, context={"request": request})
    return Response(serializer.data, status=http_status.HTTP_201_CREATED)


@extend_schema(tags=["timeline"])
class CaseTimeline(APIView):
    @extend_schema(
        operation_id="cases_timeline_list",
        responses={200: CaseEventSerializer(many=True), **ERRORS_READ},
    )
    def get(self, request, pk: int) -> Response:
        """The case's timeline as its page shows it (casework.status.case_timeline), newest first."""
        events = case_timeline(case=_case(request, pk))
        return Response(CaseEventSerializer(events, many=True, context={"request": request}).data)


@extend_schema(tags=["timeline"])
class CaseStatusChange(APIView):
    @extend_schema(
        request=StatusChangeRequestSerializer,
        responses={201: CaseEventSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk: int) -> Response:
        """Record a status change: a date (`on`) or `date_unknown`, and its source."""
        case = _case(request, pk, for_change=True)
        data = form_cleaned(request, StatusChangeForm)
        event = case_change_status(
            case=case,
            status=data["status"],
            on=data["on"],
            source=data["source"],
            note=data["note"],
            by=request.user,
        )
        return _created(request, event)


@extend_schema(tags=["timeline"])
class CaseEventCreate(APIView):
    @extend_schema(
        request=TimelineEventRequestSerializer,
        responses={201: CaseEventSerializer, **ERRORS_WRITE},
    )
    def post(self, request, pk: int) -> Response:
        """Add an entry other than a status change (an arrest, a hearing, a visit …)."""
        case = _case(request, pk, for_change=True)
        data = form_cleaned(request, TimelineEventForm)
        event = case_event_add(
            case=case,
            kind=data["kind"],
            happened_on=data["happened_on"],
            source=data["source"],
            description=data["description"],
            by=request.user,
        )
        return _created(request, event)


def _event(request, pk, *, for_change: bool = False, removing: bool = False) -> CaseEvent:
    """The entry, fetched and checked as the pages do (casework.permissions: 404 unless its
    case is visible, 403 unless it is theirs to change, coordinators only to remove)."""
    event = case_event_for_user(request.user, pk, for_change=for_change, for_removal=removing)
    restricted_case_views_record(user=request.user, cases=[event.case], via=request.path)
    return event


def _correction_sent(request) -> dict:
    """The fields sent; a date sent alone stands for "the date is now known", and a date
    said unknown clears the one on file, as ticking the box on the page does."""
    # items(), not dict(): a form-encoded body is a QueryDict, whose dict() is of lists.
    sent = dict(request_object(request).items())
    if sent.get("happened_on") and "date_unknown" not in sent:
        sent["date_unknown"] = False
    said_unknown = forms.BooleanField(required=False).to_python(sent.get("date_unknown"))
    if said_unknown and "happened_on" not in sent:
        sent["happened_on"] = None
    return sent


def _stamp_names(request, event: CaseEvent) -> tuple[str, ...]:
    """The fields of the entry's correction form as the user has it, in its order: what
    the entry's ETag stamps (the page's edit stamp)."""
    shown = EventCorrectionForm(
        event=event, show_sensitive=user_sees_sensitive_fields(request.user)
    )
    return tuple(name for name in shown.fields if name in CORRECTABLE_FIELDS)


REASON = OpenApiParameter(
    "reason",
    OpenApiTypes.STR,
    required=True,
    description="Why the entry is removed (kept in the history); or `reason` in a JSON body.",
)


@extend_schema(tags=["timeline"])
class CaseEventDetail(APIView):
    @extend_schema(parameters=[ETAG_ON_READ], responses={200: CaseEventSerializer, **ERRORS_READ})
    def get(self, request, pk: int) -> Response:
        """One timeline entry (ids are in GET /api/v1/cases/<id>/timeline/), with its ETag
        (the stamp of the fields PATCH changes) for If-Match."""
        event = _event(request, pk)
        response = Response(CaseEventSerializer(event, context={"request": request}).data)
        return with_etag(response, instance=event, names=_stamp_names(request, event))

    @extend_schema(
        request=EventCorrectionRequestSerializer,
        parameters=[IF_MATCH, ETAG_ON_WRITE],
        responses={200: CaseEventSerializer, **ERRORS_WRITE, **PRECONDITION_FAILED},
    )
    def patch(self, request, pk: int) -> Response:
        """Correct an entry as the page does: a status change's status, another entry's
        kind, its date (or `date_unknown`), source and text; fields left out keep theirs.
        The chain of statuses follows. A field it does not take answers 400 (a read-only
        one sent back unchanged is taken); with If-Match, an entry changed since answers
        412 naming the fields, and nothing is written."""
        event = _event(request, pk, for_change=True)
        show_sensitive = user_sees_sensitive_fields(request.user)
        shown = EventCorrectionForm(event=event, show_sensitive=show_sensitive)
        names = _stamp_names(request, event)
        sent = _correction_sent(request)
        context = {"request": request}
        sent_fields_check(
            sent=sent,
            writable=shown.fields,
            readable=CaseEventSerializer.Meta.fields,
            hidden=() if show_sensitive else CaseEventSerializer.sensitive_fields,
            stored=lambda: CaseEventSerializer(event, context=context).data,
        )
        stamp = if_match_stamp(request, instance=event, names=names)
        if isinstance(stamp, Response):
            return stamp
        form = EventCorrectionForm(
            form_data_over(shown, sent),
            event=event,
            show_sensitive=show_sensitive,
        )
        forms_check(("", form))
        try:
            corrected = case_event_correct(
                event=event, by=request.user, stamp=stamp, **form.changes()
            )
        except EditedMeanwhile as meanwhile:
            return edited_meanwhile_response(meanwhile)
        response = Response(CaseEventSerializer(corrected, context=context).data)
        return with_etag(response, instance=corrected, names=names)

    @extend_schema(parameters=[REASON], responses={204: None, **ERRORS_WRITE})
    def delete(self, request, pk: int) -> Response:
        """Take the entry off the timeline, with the reason (coordinators and admins, as on
        the page); it is kept among the case's removed entries."""
        event = _event(request, pk, removing=True)
        body = request.data if isinstance(request.data, Mapping) else {}
        form = ReasonForm({"reason": request.query_params.get("reason") or body.get("reason")})
        forms_check(("", form))
        case_event_remove(event=event, reason=form.cleaned_data["reason"], by=request.user)
        return Response(status=http_status.HTTP_204_NO_CONTENT)
