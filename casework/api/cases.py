"""Cases: the list (the case list page's FilterSet, casework.filters.CaseFilter) and one
case, as casework.visibility lets the user see them; restricted ones shown are logged as
on the pages (casework.audit)."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics

from casework.api.base import ERRORS_LIST, ERRORS_READ
from casework.api.serializers import CaseListSerializer, CaseSerializer
from casework.audit import case_record_view, restricted_case_views_record
from casework.filters import CaseFilter
from casework.models import Case
from casework.permissions import case_for_user
from casework.visibility import cases_visible_to

# The FilterSet's three lists of ids whose choices depend on the user (affiliations,
# organisations, colleagues): documented as ids, checked by the FilterSet.
ID_FILTERS = [
    OpenApiParameter(name, OpenApiTypes.INT, description=description)
    for name, description in (
        ("affiliation", "An affiliation's id (GET /api/v1/vocabularies/affiliations/)."),
        ("organisation", "The owning organisation's id."),
        ("caseworker", "The assigned caseworker's id (a colleague's)."),
    )
]


@extend_schema(tags=["cases"])
class CaseList(generics.ListAPIView):
    serializer_class = CaseListSerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> QuerySet[Case]:
        return cases_visible_to(self.request.user).select_related("person")

    @extend_schema(
        parameters=ID_FILTERS, responses={200: CaseListSerializer(many=True), **ERRORS_LIST}
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            restricted_case_views_record(user=self.request.user, cases=page, via=self.request.path)
        return page


@extend_schema(tags=["cases"], responses={200: CaseSerializer, **ERRORS_READ})
class CaseDetail(generics.RetrieveAPIView):
    serializer_class = CaseSerializer

    def get_object(self) -> Case:
        case = case_for_user(
            self.request.user,
            self.kwargs["pk"],
            select_related=("person", "detention_place"),
            prefetch_related=("charges",),
        )
        case_record_view(case=case, user=self.request.user, path=self.request.path)
        return case
