"""django-import-export Resources: the case list's export columns, declared once for the
export page (casework.exports) and the admin, and the vocabularies' import and export
(charges, detention places, affiliations; advocacy.resources adds issuing bodies).

Every exported value goes through common.spreadsheets' cell cleaning, whichever format the
admin or the page writes; a partner's spreadsheet import keeps its own fast path
(casework.importing), which needs matching across spellings and a preview.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from casework.models import Affiliation, Case, Charge, DetentionPlace, PersonAlias
from casework.partial_dates import partial_date_cell
from common.spreadsheets import FORMULA_TRIGGERS, cell_escape_formula

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

EXPORT_CHUNK_SIZE = 500


def _escaped_formula(value: Any) -> bool:
    return (
        isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS)
    )


class SpreadsheetSafeResource(resources.ModelResource):
    """Values cleaned for a spreadsheet on the way out, and the quote that cleaning put in
    front of a would-be formula taken off on the way back in, so an exported file that
    is edited and imported again keeps every value as it was."""

    def export_field(self, field: fields.Field, instance: Model, **kwargs: Any) -> Any:
        return cell_escape_formula(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row: Any, **kwargs: Any) -> None:
        for name, value in list(row.items()):
            if _escaped_formula(value):
                row[name] = value[1:]


class VocabularyMeta:
    """What every vocabulary import shares."""

    skip_unchanged = True
    report_skipped = False
    # Model validation (lengths, choices, uniqueness) on every row, reported by row.
    clean_model_instances = True


class ChargeResource(SpreadsheetSafeResource):
    class Meta(VocabularyMeta):
        model = Charge
        fields = ("jurisdiction", "code", "article", "part", "title", "title_ru")
        import_id_fields = ("jurisdiction", "code", "article", "part")


class DetentionPlaceResource(SpreadsheetSafeResource):
    class Meta(VocabularyMeta):
        model = DetentionPlace
        fields = ("name", "region", "kind")
        import_id_fields = ("name",)


class AffiliationResource(SpreadsheetSafeResource):
    class Meta(VocabularyMeta):
        model = Affiliation
        fields = (
            "name",
            "short_name",
            "slug",
            "kind",
            "banned_as_extremist",
            "description",
            "source",
        )
        import_id_fields = ("slug",)


def _column(
    attribute: str | None, header: StrOrPromise, widget: widgets.Widget | None = None
) -> fields.Field:
    return fields.Field(attribute=attribute, column_name=header, widget=widget, readonly=True)


_DATE = widgets.DateWidget()


class CaseExportResource(SpreadsheetSafeResource):
    """The case list's columns, in order; the sensitive ones only for users who may see
    them (include_sensitive), and then not even loaded from the database."""

    SENSITIVE_COLUMNS = ("sources", "health_notes", "family_contacts")

    reference = _column("reference", _("Reference"))
    person = _column("person__full_name", _("Person"))
    native_name = _column("person__native_name", _("Native name"))
    other_names = _column(None, _("Other names"))
    birth_year = _column("person__year_of_birth", _("Year of birth"), widgets.IntegerWidget())
    region = _column("person__region", _("Region"))
    occupation = _column(None, _("Occupation"))
    status = _column(None, _("Status"))
    status_since = _column("status_since", _("Status since"), _DATE)
    charges = _column(None, _("Charges"))
    detention_place = _column("detention_place__name", _("Detention place"))
    detained_on = _column("detained_on", _("Detained on"), _DATE)
    charged_on = _column("charged_on", _("Charged on"), _DATE)
    sentenced_on = _column("sentenced_on", _("Sentenced on"), _DATE)
    sentence = _column("sentence", _("Sentence"))
    expected_release_on = _column("expected_release_on", _("Expected release"), _DATE)
    released_on = _column("released_on", _("Released on"), _DATE)
    concerns = _column(None, _("Concerns"))
    confidentiality = _column("confidentiality", _("Confidentiality"))
    owning_organisation = _column("owning_organisation__name", _("Owning organisation"))
    assigned_caseworker = _column(None, _("Assigned caseworker"))
    summary = _column("summary", _("Summary"))
    sources = _column("sources", _("Sources"))
    health_notes = _column("health_notes", _("Health notes"))
    family_contacts = _column("person__family_contacts", _("Family contacts"))

    class Meta:
        model = Case
        fields = (
            "reference",
            "person",
            "native_name",
            "other_names",
            "birth_year",
            "region",
            "occupation",
            "status",
            "status_since",
            "charges",
            "detention_place",
            "detained_on",
            "charged_on",
            "sentenced_on",
            "sentence",
            "expected_release_on",
            "released_on",
            "concerns",
            "confidentiality",
            "owning_organisation",
            "assigned_caseworker",
            "summary",
            "sources",
            "health_notes",
            "family_contacts",
        )
        export_order = fields
        chunk_size = EXPORT_CHUNK_SIZE

    def __init__(self, *, include_sensitive: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.include_sensitive = include_sensitive

    def get_export_fields(self, selected_fields: Any = None) -> list[fields.Field]:
        export_fields: list[fields.Field] = super().get_export_fields(selected_fields)
        if self.include_sensitive:
            return export_fields
        hidden = set(self.SENSITIVE_COLUMNS)
        return [field for field in export_fields if self.get_field_name(field) not in hidden]

    def filter_export(self, queryset: QuerySet[Case], **kwargs: Any) -> QuerySet[Case]:
        """What the rows read, in a fixed number of queries however many cases."""
        queryset = queryset.select_related(
            "person", "owning_organisation", "assigned_caseworker", "detention_place"
        ).prefetch_related(
            Prefetch("charges", queryset=Charge.objects.order_by("article", "part")),
            # The spellings a reader of the sheet may know the person by.
            Prefetch("person__aliases", queryset=PersonAlias.objects.only("person_id", "name")),
        )
        if not self.include_sensitive:
            # Never even load what the user may not see.
            queryset = queryset.defer(*Case.SENSITIVE_FIELDS, "person__family_contacts")
        return queryset

    def iter_queryset(self, queryset: QuerySet[Case]) -> Iterator[Case]:
        # Django's iterator keeps prefetching per chunk; import-export's own pagination of
        # a prefetching queryset would count and page with OFFSET.
        yield from queryset.iterator(chunk_size=EXPORT_CHUNK_SIZE)

    # A date known only to the month or the year is written as such ("in 2018"), never as
    # the first day its column stores (casework.partial_dates).
    def dehydrate_detained_on(self, case: Case) -> date | str:
        return partial_date_cell(case.detained_on, case.detained_on_precision)

    def dehydrate_charged_on(self, case: Case) -> date | str:
        return partial_date_cell(case.charged_on, case.charged_on_precision)

    def dehydrate_sentenced_on(self, case: Case) -> date | str:
        return partial_date_cell(case.sentenced_on, case.sentenced_on_precision)

    def dehydrate_expected_release_on(self, case: Case) -> date | str:
        return partial_date_cell(case.expected_release_on, case.expected_release_on_precision)

    def dehydrate_released_on(self, case: Case) -> date | str:
        return partial_date_cell(case.released_on, case.released_on_precision)

    def dehydrate_other_names(self, case: Case) -> str:
        return "; ".join(alias.name for alias in case.person.aliases.all())

    def dehydrate_occupation(self, case: Case) -> str:
        return case.person.get_occupation_display() if case.person.occupation else ""

    def dehydrate_status(self, case: Case) -> str:
        return case.get_status_display()

    def dehydrate_charges(self, case: Case) -> str:
        return "; ".join(str(charge) for charge in case.charges.all())

    def dehydrate_confidentiality(self, case: Case) -> str:
        # Its label in the reader's language, as the status; the code ("public") read as
        # English in a Russian or Kazakh export.
        return case.get_confidentiality_display()

    def dehydrate_concerns(self, case: Case) -> str:
        return "; ".join(case.concerns)

    def dehydrate_assigned_caseworker(self, case: Case) -> str:
        caseworker = case.assigned_caseworker
        if caseworker is None:
            return ""
        return caseworker.get_full_name() or caseworker.username
