"""The user's own notifications (casework.notifications): read them, mark one read."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.api.base import ERRORS_LIST, ERRORS_WRITE
from casework.api.serializers import NotificationSerializer
from casework.models import Notification
from casework.notifications import notification_mark_read, notifications_for
from casework.permissions import notification_for_user


@extend_schema(tags=["notifications"])
class NotificationList(generics.ListAPIView):
    serializer_class = NotificationSerializer
    cursor_ordering = ("-created_at", "-id")

    def get_queryset(self) -> QuerySet[Notification]:
        return notifications_for(self.request.user)

    @extend_schema(responses={200: NotificationSerializer(many=True), **ERRORS_LIST})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["notifications"])
class NotificationMarkRead(APIView):
    @extend_schema(request=None, responses={200: NotificationSerializer, **ERRORS_WRITE})
    def post(self, request, pk: int) -> Response:
        notification = notification_for_user(request.user, pk)
        notification_mark_read(notification=notification)
        notification.refresh_from_db()
        return Response(NotificationSerializer(notification).data)
