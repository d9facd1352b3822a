"""Filters for the document list; they live in the URL so a filtered list can be shared."""

from __future__ import annotations

import django_filters
from django.db import connection
from django.db.models import F, Func, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from advocacy.models import Document, IssuingBody


class DocumentFilter(django_filters.FilterSet):
    # Every filter names its label: one without takes the model field's verbose name as a
    # plain string the first time anything reads it, in that request's language, and keeps
    # it (the API's schema reads it too), so the list page said "Kind" to Russian readers.
    q = django_filters.CharFilter(method="filter_text", label=_("Title or reference"))
    kind = django_filters.ChoiceFilter(
        choices=Document.Kind.choices, label=_("Kind"), empty_label=_("Any kind")
    )
    issuing_body = django_filters.ModelChoiceFilter(
        queryset=IssuingBody.objects.all(),
        label=_("Issuing body"),
        empty_label=_("Any issuing body"),
    )
    # Bounded: a year the database cannot represent crashed the lookup (found by the API's
    # Schemathesis run) instead of being refused with the form's message.
    year = django_filters.NumberFilter(
        field_name="issued_on", lookup_expr="year", label=_("Year"), min_value=1, max_value=9999
    )

    class Meta:
        model = Document
        fields = ["q", "kind", "issuing_body", "year"]

    def filter_text(
        self, queryset: QuerySet[Document], name: str, value: str
    ) -> QuerySet[Document]:
        value = value.strip()
        if not value:
            return queryset
        if queryset.db != "default" or connection.vendor != "sqlite":
            return queryset.filter(
                Q(title__icontains=value)
                | Q(reference__icontains=value)
                | Q(procedure__icontains=value)
            )
        # SQLite's LIKE folds the case of Latin letters only: "казахстан" missed the
        # title "Казахстан: освободите активистов". Fold both sides in Python's way.
        folded = value.casefold()
        return queryset.alias(
            **{f"{name}_folded": Func(F(name), function=CASEFOLD) for name in _SEARCHED}
        ).filter(
            Q(title_folded__contains=folded)
            | Q(reference_folded__contains=folded)
            | Q(procedure_folded__contains=folded)
        )


CASEFOLD = "advocase_casefold"
_SEARCHED = ("title", "reference", "procedure")


def sqlite_casefold_register(*, connection, **_kwargs) -> None:
    """Give each SQLite connection the casefold function the document search calls."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            CASEFOLD, 1, lambda text: text.casefold() if text else text, deterministic=True
        )
