"""Vocabularies as the user's forms offer them (casework.vocabularies.vocabulary_visible):
every accepted entry and their own organisation's proposals, never another
organisation's."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics

from casework.api.base import ERRORS_LIST
from casework.api.serializers import (
    AffiliationSerializer,
    ChargeSerializer,
    DetentionPlaceSerializer,
    RegionSerializer,
)
from casework.visibility import user_membership
from casework.vocabularies import AFFILIATION, CHARGE, DETENTION_PLACE, REGION, vocabulary_visible


class VocabularyList(generics.ListAPIView):
    kind = ""
    cursor_ordering = ("id",)

    def get_queryset(self) -> QuerySet:
        membership = user_membership(self.request.user)
        if membership is None:
            return vocabulary_visible(kind=self.kind, organisation=None).none()
        return vocabulary_visible(kind=self.kind, organisation=membership.organisation)


def _vocabulary_view(kind: str, serializer, name: str) -> type[VocabularyList]:
    view = type(
        name,
        (VocabularyList,),
        {"kind": kind, "serializer_class": serializer, "__doc__": f"The {kind} vocabulary."},
    )
    return extend_schema(
        tags=["vocabularies"], responses={200: serializer(many=True), **ERRORS_LIST}
    )(view)


ChargeList = _vocabulary_view(CHARGE, ChargeSerializer, "ChargeList")
DetentionPlaceList = _vocabulary_view(
    DETENTION_PLACE, DetentionPlaceSerializer, "DetentionPlaceList"
)
AffiliationList = _vocabulary_view(AFFILIATION, AffiliationSerializer, "AffiliationList")
RegionList = _vocabulary_view(REGION, RegionSerializer, "RegionList")
