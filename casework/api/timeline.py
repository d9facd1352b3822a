"""A case's timeline: read it; add a status change or another event through
casework.status, the function the pages call, checked by the pages' forms."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status as http_status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.base import ERRORS_READ, ERRORS_WRITE, form_cleaned
from casework.api.serializers import (
    CaseEventSerializer,
    StatusChangeRequestSerializer,
    TimelineEventRequestSerializer,
)
from casework.audit import case_record_view
from casework.models import Case
from casework.permissions import case_for_user
from casework.status import case_change_status, case_event_add, case_timeline
from casework.timeline_forms import StatusChangeForm, TimelineEventForm


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
