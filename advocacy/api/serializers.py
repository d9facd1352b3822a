"""How documents, their confirmed mentions and their impact figures read in the API."""

from __future__ import annotations

from rest_framework import serializers

from advocacy.impact import document_impact_summary
from advocacy.models import Document


class ImpactSerializer(serializers.Serializer):
    named = serializers.IntegerField(help_text="People named, each once.")
    cases_named = serializers.IntegerField()
    released_since = serializers.IntegerField()
    still_detained = serializers.IntegerField()
    died = serializers.IntegerField()


class DocumentSerializer(serializers.ModelSerializer):
    issuing_body = serializers.StringRelatedField()
    # A plain string: many documents have no address, and "" is no URI (found by Schemathesis).
    url = serializers.CharField(read_only=True)
    impact = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields: tuple[str, ...] = (
            "id",
            "kind",
            "title",
            "reference",
            "procedure",
            "issued_on",
            "issuing_body",
            "url",
            "language",
            "votes_for",
            "votes_against",
            "votes_abstained",
            "impact",
            "updated_at",
        )
        read_only_fields: tuple[str, ...] = fields

    def get_impact(self, document) -> ImpactSerializer:
        return ImpactSerializer(document_impact_summary(document)).data


class MentionRowSerializer(serializers.Serializer):
    """One row of the document's impact table: a confirmed mention of a case."""

    mention = serializers.IntegerField(source="mention.pk")
    case = serializers.IntegerField(source="case.pk")
    case_reference = serializers.CharField(source="case.reference")
    person = serializers.IntegerField(source="person.pk")
    person_name = serializers.CharField(source="person.full_name")
    passage = serializers.CharField(source="mention.passage")
    status_on_document_date = serializers.CharField()
    status_today = serializers.CharField()
    released_on = serializers.DateField(allow_null=True)
    released_since = serializers.BooleanField()
    days_to_release = serializers.IntegerField(allow_null=True)


class DocumentDetailSerializer(DocumentSerializer):
    mentions = serializers.SerializerMethodField()

    class Meta(DocumentSerializer.Meta):
        fields = (*DocumentSerializer.Meta.fields, "mentions")
        read_only_fields = fields

    def get_impact(self, document) -> ImpactSerializer:
        # The figures of the table below (advocacy.impact.document_impact), not annotations.
        return ImpactSerializer(self.context["impact"].summary).data

    def get_mentions(self, document) -> MentionRowSerializer(many=True):  # type: ignore[valid-type]
        return MentionRowSerializer(self.context["impact"].rows, many=True).data
