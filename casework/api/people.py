"""People: the list (a name in any spelling or script, through casework.search, as the
people page's PersonFilter) and one person with their aliases."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from casework.api.base import ERRORS_LIST, ERRORS_READ
from casework.api.serializers import PersonSerializer
from casework.filters import PersonFilter
from casework.models import Person
from casework.permissions import person_for_user
from casework.visibility import people_visible_to


@extend_schema(tags=["people"])
class PersonList(generics.ListAPIView):
    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    cursor_ordering = ("full_name", "id")

    def get_queryset(self) -> QuerySet[Person]:
        return people_visible_to(self.request.user).prefetch_related("aliases")

    @extend_schema(responses={200: PersonSerializer(many=True), **ERRORS_LIST})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["people"], responses={200: PersonSerializer, **ERRORS_READ})
class PersonDetail(generics.RetrieveAPIView):
    serializer_class = PersonSerializer

    def get_object(self) -> Person:
        return person_for_user(self.request.user, self.kwargs["pk"], prefetch_related=("aliases",))
