"""Tasks: those the user may see (casework.visibility.follow_ups_visible_to), and marking
one done through casework.followups, as the task list's button does."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.base import ERRORS_LIST, ERRORS_READ, ERRORS_WRITE, form_cleaned
from casework.api.serializers import (
    CompletionRequestSerializer,
    FollowUpCreateRequestSerializer,
    FollowUpSerializer,
)
from casework.followup_forms import FollowUpCompleteForm, FollowUpCreateForm
from casework.followups import follow_up_assignable_users, follow_up_complete, follow_up_create
from casework.models import FollowUp
from casework.permissions import followup_for_user, require_follow_up_manager
from casework.visibility import cases_visible_to, follow_ups_visible_to


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


@extend_schema(tags=["follow-ups"], responses={200: FollowUpSerializer, **ERRORS_READ})
class FollowUpDetail(generics.RetrieveAPIView):
    serializer_class = FollowUpSerializer

    def get_object(self) -> FollowUp:
        return followup_for_user(self.request.user, self.kwargs["pk"])


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
