"""Synthetic responsible persons for generate_data (scale and tests only): judges,
prosecutors, investigators and colony heads with roles on the generated cases, every one
flagged is_synthetic, noted as such and shown with a "synthetic" badge, and named from the
synthetic surnames, which never include a seed person's. The seeds add none: the seed
documents name no responsible official."""

from __future__ import annotations

from typing import Any

from accountability.models import CaseRole, ResponsiblePerson
from accountability.persons import responsible_persons_refresh_name_keys
from advocacy.synthetic_names import (
    GIVEN_MALE,
    REGIONS,
    SURNAMES,
    latin_of,
    seed_person_names,
    synthetic_surnames,
)

SYNTHETIC_NOTE = "Synthetic record made by generate_data: not a real official."
# One responsible person per this many generated cases (at least three).
CASES_PER_PERSON = 200
ROLE_OF_KIND = {
    ResponsiblePerson.Kind.JUDGE: CaseRole.Role.SENTENCING_JUDGE,
    ResponsiblePerson.Kind.PROSECUTOR: CaseRole.Role.PROSECUTOR,
    ResponsiblePerson.Kind.INVESTIGATOR: CaseRole.Role.INVESTIGATOR,
    ResponsiblePerson.Kind.PRISON_HEAD: CaseRole.Role.DETENTION_HEAD,
}


def synthetic_responsible_persons_generate(*, generation: Any, case_rows: list, host) -> None:
    """Write the persons (with history rows) and their roles on some of the cases."""
    if not case_rows:
        return
    rng = generation.rng
    surnames = synthetic_surnames(surnames=SURNAMES, seed_names=seed_person_names())
    kinds = list(ROLE_OF_KIND)
    persons = []
    for index in range(max(3, len(case_rows) // CASES_PER_PERSON)):
        native = f"{rng.choice(GIVEN_MALE)} {rng.choice(surnames)}"
        persons.append(
            ResponsiblePerson(
                kind=kinds[index % len(kinds)],
                name=latin_of(native),
                native_name=native,
                notes=SYNTHETIC_NOTE,
                owning_organisation=host,
                is_synthetic=True,
                created_by_id=generation.created_by_id,
            )
        )
    generation.insert(persons)
    roles = []
    for person in persons:
        for case in rng.sample(case_rows, k=min(len(case_rows), rng.randint(1, 5))):
            roles.append(
                CaseRole(
                    person=person,
                    case=case,
                    role=ROLE_OF_KIND[ResponsiblePerson.Kind(person.kind)],
                    description=f"Synthetic role in {rng.choice(REGIONS)}.",
                    created_by_id=generation.created_by_id,
                )
            )
    generation.insert(roles)
    responsible_persons_refresh_name_keys(person_ids=[person.pk for person in persons])
    generation.counts.others["responsible persons"] = len(persons)
    generation.counts.others["responsible roles"] = len(roles)
