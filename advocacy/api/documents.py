"""Documents as the documents pages show them (advocacy.visibility, advocacy.impact)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import generics

from advocacy.api.serializers import DocumentDetailSerializer, DocumentSerializer
from advocacy.filters import DocumentFilter
from advocacy.impact import document_impact, documents_annotate_impact
from advocacy.models import Document
from advocacy.permissions import document_for_user
from advocacy.visibility import documents_visible_to
from casework.api.base import ERRORS_LIST, ERRORS_READ


@extend_schema(tags=["documents"])
class DocumentList(generics.ListAPIView):
    serializer_class = DocumentSerializer
    filterset_class = DocumentFilter
    cursor_ordering = ("-issued_on", "-id")

    def get_queryset(self):
        documents = documents_visible_to(self.request.user).select_related("issuing_body")
        return documents_annotate_impact(documents=documents, user=self.request.user)

    @extend_schema(responses={200: DocumentSerializer(many=True), **ERRORS_LIST})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["documents"], responses={200: DocumentDetailSerializer, **ERRORS_READ})
class DocumentDetail(generics.RetrieveAPIView):
    serializer_class = DocumentDetailSerializer

    def get_object(self) -> Document:
        document = document_for_user(
            self.request.user, self.kwargs["pk"], select_related=("issuing_body",)
        )
        self.impact = document_impact(document=document, user=self.request.user)
        return document

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["impact"] = getattr(self, "impact", None)
        return context
