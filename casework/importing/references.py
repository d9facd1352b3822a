"""Case references in a partner's file. They are the organisation's own: they are looked up
among the organisation's own cases only, and a new case's reference is stored under the
organisation's namespace (case_reference_stored), so the answer for a reference another
organisation uses is the same as for a reference nobody uses: a new case."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import QuerySet

from casework.importing.lookups import chunks, field_in
from casework.importing.plan import RowPlan
from casework.models import Case, Organisation

REFERENCE_MAX = cast(int, Case._meta.get_field("reference").max_length)


def reference_namespace(organisation: Organisation) -> str:
    """The prefix under which an organisation's own references are stored: its slug (for
    people) and its id (slugs are cut short, ids are unique)."""
    return f"{organisation.slug[:12].upper()}.{organisation.pk}:"


def case_reference_stored(reference: str, organisation: Organisation) -> str:
    """The reference a new case gets for a reference written in the organisation's file.

    Case references are unique across all organisations. Storing a file's "2021-45" as is
    would make the import's answer depend on whether another organisation, invisible to
    this one, already has a "2021-45" (an error, or a different reference, would say it
    does). Stored under the organisation's namespace, the same reference gives the same
    answer whoever else uses it, and never collides with anyone else's case."""
    namespace = reference_namespace(organisation)
    return reference if reference.startswith(namespace) else f"{namespace}{reference}"


@dataclass
class FileReferences:
    """The references a file gives, as the organisation's cases hold them."""

    # Reference as written -> as a new case would store it.
    stored_of: dict[str, str] = field(default_factory=dict)
    # Reference (as written, or as stored) -> the organisation's own case holding it.
    own_cases: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    # References any case holds now, among those this plan would give its new cases.
    taken: set[str] = field(default_factory=set)

    def own_case(self, reference: str) -> Mapping[str, Any] | None:
        return self.own_cases.get(reference) or self.own_cases.get(self.stored_of[reference])

    def person_of_reference(self) -> dict[str, int]:
        """Reference as written -> the person of the organisation's case it names."""
        return {
            reference: case["person_id"]
            for reference in self.stored_of
            if (case := self.own_case(reference)) is not None
        }


def file_references_find(
    *, rows: list[RowPlan], organisation: Organisation, visible_cases: QuerySet[Case]
) -> FileReferences:
    """Only the organisation's own cases (that its members may see) are looked up, written
    as in the file or as an earlier import stored them."""
    references = sorted({row.values["reference"] for row in rows if row.values.get("reference")})
    found = FileReferences(
        stored_of={
            reference: case_reference_stored(reference, organisation) for reference in references
        }
    )
    lookups = sorted(set(references) | set(found.stored_of.values()))
    for chunk in chunks(lookups):
        for case in visible_cases.filter(
            **field_in("reference", chunk), owning_organisation=organisation
        ).values("pk", "reference", "person_id", "archived_at"):
            found.own_cases[case["reference"]] = case
    for chunk in chunks(sorted(set(found.stored_of.values()))):
        # Which of the references new cases would get are held by any case at all: read to
        # avoid a failed write, never shown (a file cannot learn what others hold).
        found.taken.update(
            Case.objects.filter(**field_in("reference", chunk)).values_list("reference", flat=True)
        )
    return found
