"""Cases: the list (the case list page's FilterSet, casework.filters.CaseFilter) and one
case, as casework.visibility lets the user see them; restricted ones shown are logged as
on the pages (casework.audit). Creating a case (New case's forms and its possible-duplicates
warning, casework.cases.case_create) and changing its facts (the case form,
casework.cases.case_update) are casework.api.case_writes'."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.base import ERRORS, ERRORS_LIST, ERRORS_READ, ERRORS_WRITE
from casework.api.case_writes import (
    case_create_from_request,
    case_etag,
    case_update_from_request,
)
from casework.api.preconditions import ETAG_ON_READ, ETAG_ON_WRITE, IF_MATCH, PRECONDITION_FAILED
from casework.api.serializers import (
    CaseCreateRequestSerializer,
    CaseFieldsRequestSerializer,
    CaseListSerializer,
    CaseSerializer,
    DuplicatesSerializer,
)
from casework.audit import case_record_view, restricted_case_views_record
from casework.filters import CaseFilter
from casework.models import Case
from casework.permissions import case_for_user, user_sees_sensitive_fields
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

    @extend_schema(
        request=CaseCreateRequestSerializer,
        responses={
            201: CaseSerializer,
            409: DuplicatesSerializer,
            **{code: ERRORS for code in (400, 401, 403, 429)},
        },
    )
    def post(self, request: Request, *args, **kwargs) -> Response:
        """Record a case, as New case does: about a person on file (`person`) or a new one
        (`new_person`; a name that matches people on file answers 409 with them, unless
        `confirm_not_duplicate` is true), with its first status."""
        return case_create_from_request(request, context=self.get_serializer_context())

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page:
            restricted_case_views_record(user=self.request.user, cases=page, via=self.request.path)
        return page


@extend_schema(tags=["cases"])
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

    @extend_schema(parameters=[ETAG_ON_READ], responses={200: CaseSerializer, **ERRORS_READ})
    def get(self, request, *args, **kwargs):
        """The case, with its ETag (the stamp of the fields PATCH changes) for If-Match."""
        case = self.get_object()
        response = Response(self.get_serializer(case).data)
        return case_etag(
            response, case=case, show_sensitive=user_sees_sensitive_fields(request.user)
        )

    @extend_schema(
        request=CaseFieldsRequestSerializer,
        parameters=[IF_MATCH, ETAG_ON_WRITE],
        responses={200: CaseSerializer, **ERRORS_WRITE, **PRECONDITION_FAILED},
    )
    def patch(self, request: Request, pk: int) -> Response:
        """Change the case's facts, as the case form does; fields left out keep their value.
        The status changes through POST /api/v1/cases/<id>/status/. A field it does not
        take answers 400 (a read-only one sent back unchanged is taken); with If-Match, a
        case changed since answers 412 naming the fields, and nothing is written."""
        return case_update_from_request(request, pk, context=self.get_serializer_context())
