"""How cases, people, timeline entries, tasks, notifications and vocabulary entries read
in the API. Sensitive fields (sources, family contacts, health notes: the rule is
casework.permissions.user_sees_sensitive_fields) are dropped for whoever may not see them,
as the pages and exports drop them."""

from __future__ import annotations

import copy
from typing import Any

from rest_framework import serializers

from casework.models import (
    Affiliation,
    Case,
    CaseEvent,
    Charge,
    DetentionPlace,
    FollowUp,
    Notification,
    Person,
    PersonAlias,
    Region,
    Status,
)
from casework.people import PERSON_SENSITIVE_FIELDS
from casework.permissions import user_sees_sensitive_fields

# Each read serializer's fields as ModelSerializer built them, by serializer class.
_FIELDS_BUILT: dict[type, dict[str, Any]] = {}


class ReadSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields are worked out from the model once per process.

    ModelSerializer reads the model's fields and builds a serializer field for each on
    every request (a case's 32 took 2.5 ms, its deep copy 0.65 ms): the outcome depends
    only on the class and its Meta, so it is built once and each serializer gets a deep
    copy, as DRF gives each serializer a deep copy of the fields declared on the class.
    For read-only serializers: a field with a queryset would copy its query each time."""

    def get_fields(self):
        built = _FIELDS_BUILT.get(type(self))
        if built is None:
            built = _FIELDS_BUILT[type(self)] = super().get_fields()
        return {name: copy.deepcopy(field) for name, field in built.items()}


class SensitiveFieldsSerializer(ReadSerializer):
    sensitive_fields: tuple[str, ...] = ()

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and not user_sees_sensitive_fields(request.user):
            for name in self.sensitive_fields:
                fields.pop(name, None)
        return fields


class PersonAliasSerializer(ReadSerializer):
    class Meta:
        model = PersonAlias
        fields = ("name", "kind")


class PersonBriefSerializer(ReadSerializer):
    class Meta:
        model = Person
        fields = ("id", "full_name", "native_name")


class PersonSerializer(SensitiveFieldsSerializer):
    sensitive_fields = PERSON_SENSITIVE_FIELDS
    aliases = PersonAliasSerializer(many=True, read_only=True)
    year_of_birth = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Person
        fields = (
            "id",
            "full_name",
            "native_name",
            "aliases",
            "birth_date",
            "year_of_birth",
            "gender",
            "region",
            "occupation",
            "biography",
            "family_contacts",
            "owning_organisation",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class ChargeSerializer(ReadSerializer):
    proposed = serializers.SerializerMethodField()

    class Meta:
        model = Charge
        fields = ("id", "jurisdiction", "code", "article", "part", "title", "aliases", "proposed")

    def get_proposed(self, entry) -> bool:
        return entry.proposed_by_id is not None


class DetentionPlaceSerializer(ChargeSerializer):
    class Meta:
        model = DetentionPlace
        fields = ("id", "name", "region", "kind", "aliases", "proposed")


class AffiliationSerializer(ChargeSerializer):
    class Meta:
        model = Affiliation
        fields = ("id", "name", "short_name", "kind", "aliases", "proposed")


class RegionSerializer(ChargeSerializer):
    class Meta:
        model = Region
        fields = ("id", "name", "aliases", "proposed")


# The kinds of timeline entry other than a status change (named in the schema by
# settings.SPECTACULAR_SETTINGS' ENUM_NAME_OVERRIDES).
ENTRY_KINDS = [kind for kind in CaseEvent.Kind.choices if kind[0] != CaseEvent.Kind.STATUS]

CASE_LIST_FIELDS = (
    "id",
    "reference",
    "person",
    "owning_organisation",
    "confidentiality",
    "status",
    "status_since",
    "on_trial_in_custody",
    "detained_on",
    "detained_on_precision",
    "updated_at",
)


class CaseListSerializer(ReadSerializer):
    person = PersonBriefSerializer(read_only=True)

    class Meta:
        model = Case
        fields = CASE_LIST_FIELDS
        read_only_fields = fields


class CaseSerializer(SensitiveFieldsSerializer):
    sensitive_fields = Case.SENSITIVE_FIELDS
    person = PersonBriefSerializer(read_only=True)
    charges = ChargeSerializer(many=True, read_only=True)
    detention_place = DetentionPlaceSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = (
            *CASE_LIST_FIELDS,
            "assigned_caseworker",
            "charges",
            "detention_place",
            *[
                name
                for date_field in Case.PARTIAL_DATE_FIELDS[1:]
                for name in (date_field, f"{date_field}_precision")
            ],
            "sentence",
            *Case.CONCERN_FIELDS,
            "summary",
            "sources",
            "health_notes",
            "created_at",
        )
        read_only_fields = fields


class CaseEventSerializer(SensitiveFieldsSerializer):
    sensitive_fields = ("source",)
    # Empty for an entry other than a status change. Built from the model, the schema's
    # enum left "" out (found by Schemathesis: a hearing's entry "violated" it).
    status = serializers.ChoiceField(choices=Status.choices, allow_blank=True, read_only=True)
    previous_status = serializers.ChoiceField(
        choices=Status.choices, allow_blank=True, read_only=True
    )
    # In the reader's language where the app wrote them (an import's: casework.event_notes).
    source = serializers.CharField(source="source_shown", read_only=True)
    description = serializers.CharField(source="description_shown", read_only=True)

    class Meta:
        model = CaseEvent
        fields = (
            "id",
            "case",
            "kind",
            "happened_on",
            "recorded_at",
            "status",
            "previous_status",
            "source",
            "description",
            "created_at",
        )
        read_only_fields = fields


class FollowUpSerializer(ReadSerializer):
    class Meta:
        model = FollowUp
        fields = (
            "id",
            "case",
            "title",
            "note",
            "assignee",
            "assigned_by",
            "due_on",
            "priority",
            "status",
            "recurrence_days",
            "completed_at",
            "completion_note",
            "created_at",
            "updated_at",
        )
        read_only_fields = fields


class NotificationSerializer(ReadSerializer):
    class Meta:
        model = Notification
        fields = ("id", "title", "body", "url", "case", "created_at", "read_at")
        read_only_fields = fields


# --- Request bodies: the forms' fields, for the schema (the forms check them). -----------


class StatusChangeRequestSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CaseEvent._meta.get_field("status").choices)
    on = serializers.DateField(required=False, allow_null=True)
    date_unknown = serializers.BooleanField(required=False)
    source = serializers.CharField(max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True)


class TimelineEventRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ENTRY_KINDS)
    happened_on = serializers.DateField(required=False, allow_null=True)
    date_unknown = serializers.BooleanField(required=False)
    source = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


class FollowUpCreateRequestSerializer(serializers.Serializer):
    case = serializers.CharField(max_length=50, help_text="The case's reference.")
    title = serializers.CharField(max_length=200)
    assignee = serializers.IntegerField(help_text="A colleague's user id.")
    due_on = serializers.DateField()
    priority = serializers.ChoiceField(choices=FollowUp.Priority.choices)
    recurrence_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=3650
    )
    note = serializers.CharField(required=False, allow_blank=True)


class FollowUpUpdateRequestSerializer(serializers.Serializer):
    """What a task's PATCH changes (casework.followups.EDITABLE_FIELDS); all optional."""

    title = serializers.CharField(max_length=200, required=False)
    note = serializers.CharField(required=False, allow_blank=True)
    due_on = serializers.DateField(required=False)
    priority = serializers.ChoiceField(choices=FollowUp.Priority.choices, required=False)
    recurrence_days = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=3650
    )


class CompletionRequestSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class NewPersonRequestSerializer(serializers.Serializer):
    """The person fields of New case (casework.forms.NewPersonForm)."""

    full_name = serializers.CharField(max_length=200)
    native_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    gender = serializers.ChoiceField(choices=Person.Gender.choices, required=False)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True)
    occupation = serializers.ChoiceField(choices=Person.Occupation.choices, required=False)


class PersonCreateRequestSerializer(NewPersonRequestSerializer):
    organisation = serializers.IntegerField(
        required=False, help_text="The owning organisation's id; by default, the user's own."
    )
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        help_text="Record the person although people of a similar name are on file (409).",
    )


class PersonUpdateRequestSerializer(NewPersonRequestSerializer):
    """The person form's fields (casework.forms.PersonForm); fields left out keep theirs.
    Family contacts are read only from staff of the host organisation."""

    full_name = serializers.CharField(max_length=200, required=False)
    birth_date = serializers.DateField(required=False, allow_null=True)
    biography = serializers.CharField(required=False, allow_blank=True)
    family_contacts = serializers.CharField(required=False, allow_blank=True)
    affiliations = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Affiliation ids."
    )


class CaseFieldsRequestSerializer(serializers.Serializer):
    """The case form's fields (casework.forms.CaseForm); sources and health notes are
    read only from staff of the host organisation."""

    confidentiality = serializers.ChoiceField(
        choices=Case._meta.get_field("confidentiality").choices, required=False
    )
    assigned_caseworker = serializers.IntegerField(
        required=False, allow_null=True, help_text="A colleague's user id."
    )
    charges = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Charge ids."
    )
    detention_place = serializers.IntegerField(required=False, allow_null=True)
    detained_on = serializers.CharField(
        required=False, allow_blank=True, help_text="A date, a month (2019-03) or a year."
    )
    charged_on = serializers.CharField(required=False, allow_blank=True)
    sentenced_on = serializers.CharField(required=False, allow_blank=True)
    expected_release_on = serializers.CharField(required=False, allow_blank=True)
    released_on = serializers.CharField(required=False, allow_blank=True)
    sentence = serializers.CharField(required=False, allow_blank=True)
    concern_torture = serializers.BooleanField(required=False)
    concern_health = serializers.BooleanField(required=False)
    concern_incommunicado = serializers.BooleanField(required=False)
    concern_family_harassment = serializers.BooleanField(required=False)
    concern_transnational_repression = serializers.BooleanField(required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    sources = serializers.CharField(required=False, allow_blank=True)
    health_notes = serializers.CharField(required=False, allow_blank=True)


class CaseCreateRequestSerializer(CaseFieldsRequestSerializer):
    person = serializers.IntegerField(
        required=False,
        help_text="A person on file (with new_person beside it, its names are kept as their "
        "other names); or give new_person alone.",
    )
    new_person = NewPersonRequestSerializer(required=False)
    confirm_not_duplicate = serializers.BooleanField(
        required=False,
        help_text="Record new_person although people of a similar name are on file (409).",
    )
    organisation = serializers.IntegerField(
        required=False, help_text="The owning organisation's id; by default, the user's own."
    )
    status = serializers.ChoiceField(choices=Case._meta.get_field("status").choices, required=False)
    status_since = serializers.DateField(required=False, allow_null=True)
    status_source = serializers.CharField(required=False, allow_blank=True)


class EventCorrectionRequestSerializer(serializers.Serializer):
    """casework.timeline_forms.EventCorrectionForm: fields left out keep their value."""

    status = serializers.ChoiceField(
        choices=CaseEvent._meta.get_field("status").choices,
        required=False,
        help_text="A status change's status.",
    )
    kind = serializers.ChoiceField(
        choices=ENTRY_KINDS,
        required=False,
        help_text="Another entry's kind.",
    )
    happened_on = serializers.DateField(required=False, allow_null=True)
    date_unknown = serializers.BooleanField(required=False)
    source = serializers.CharField(required=False, allow_blank=True)
    description = serializers.CharField(required=False, allow_blank=True)


class ErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ErrorsSerializer(serializers.Serializer):
    errors = ErrorSerializer(many=True)


class DuplicatesSerializer(ErrorsSerializer):
    """409: people of a similar name on file (casework.cases.people_possible_duplicates)."""

    candidates = PersonBriefSerializer(many=True)


class FtmEntitySerializer(serializers.Serializer):
    """A FollowTheMoney entity: id, schema, and each property as a list of strings."""

    id = serializers.CharField()
    schema = serializers.CharField()
    properties = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
