"""Writes about people: recording and changing a person, their match keys and their
aliases."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from casework.models import Affiliation, Organisation, Person, PersonAlias, PersonNameKey
from casework.names import name_keys
from common.edit_stamps import edit_stamp_check
from common.history import history_save, model_update

# Hidden from partner users on every page, form and history.
PERSON_SENSITIVE_FIELDS = ("family_contacts",)

# What the person form may change; the owning organisation, the archive mark and the
# derived match keys do not change through it.
PERSON_EDITABLE_FIELDS = (
    "full_name",
    "native_name",
    "birth_date",
    "birth_year",
    "gender",
    "region",
    "occupation",
    "biography",
    *PERSON_SENSITIVE_FIELDS,
)


def person_all_names(*, person: Person, aliases: Iterable[str] = ()) -> list[str]:
    return [name for name in (person.full_name, person.native_name, *aliases) if name]


def person_refresh_name_keys(*, person: Person, created: bool = False) -> None:
    """Rebuild the person's key rows from their names and aliases (called on every save).

    A person saved for the first time (created) has no aliases and no key rows yet, so
    there is nothing to read or remove: three statements fewer for every person a form,
    an import or a test makes."""
    alias_names = (
        []
        if created
        else list(PersonAlias.objects.filter(person=person).values_list("name", flat=True))
    )
    keys: set[str] = set()
    for name in person_all_names(person=person, aliases=alias_names):
        keys.update(name_keys(name))
    own_keys = " ".join(
        sorted({key for name in person_all_names(person=person) for key in name_keys(name)})
    )
    with transaction.atomic():
        Person.objects.filter(pk=person.pk).update(match_keys=own_keys)
        existing: set[str] = set()
        if not created:
            PersonNameKey.objects.filter(person=person).exclude(key__in=keys).delete()
            existing = set(
                PersonNameKey.objects.filter(person=person).values_list("key", flat=True)
            )
        PersonNameKey.objects.bulk_create(
            [PersonNameKey(person=person, key=key) for key in sorted(keys - existing)]
        )
    person.match_keys = own_keys


def person_create(
    *,
    organisation: Organisation,
    by,
    full_name: str,
    native_name: str = "",
    birth_year: int | None = None,
    gender: str = "",
    region: str = "",
    occupation: str = "",
) -> Person:
    """Record a person for the organisation; their name keys follow from the save signal."""
    person = Person(
        owning_organisation=organisation,
        created_by=by,
        full_name=full_name.strip(),
        native_name=native_name.strip(),
        birth_year=birth_year,
        gender=gender,
        region=region.strip(),
        occupation=occupation,
    )
    person.full_clean()
    history_save(instance=person, by=by)
    return person


# The earliest year of birth on file: the database's check on birth_year says the same,
# and the importer's date cells refuse earlier years.
BIRTH_YEAR_EARLIEST = 1900


def birth_date_check(value: datetime.date | None) -> None:
    """The rule for a birth date, for the form, person_update and the importer alike."""
    if value and value.year < BIRTH_YEAR_EARLIEST:
        raise ValidationError(
            gettext("A birth date cannot be before %(year)s.") % {"year": BIRTH_YEAR_EARLIEST}
        )
    if value and value > timezone.localdate():
        raise ValidationError(_("A birth date cannot be in the future."))


def birth_year_check(value: int | None) -> None:
    """The rule for a year of birth given alone, for the form, person_update and the importer."""
    latest = timezone.localdate().year
    if value is not None and not BIRTH_YEAR_EARLIEST <= value <= latest:
        raise ValidationError(
            gettext("Enter a year between %(earliest)s and %(latest)s.")
            % {"earliest": BIRTH_YEAR_EARLIEST, "latest": latest}
        )


@transaction.atomic
@transaction.atomic
def person_update(
    *,
    person: Person,
    by,
    affiliations: Iterable[Affiliation] | None = None,
    stamp: str | None = None,
    **fields: Any,
) -> Person:
    """Change a person's facts and, if given, their affiliations, as one history row that
    names `by`. Fields left out keep their value, so a partner's form without the
    sensitive fields cannot blank them. The save refreshes the name keys (the post-save
    signal), so search finds the new spelling at once. Given the edit stamp its form was
    opened with (common.edit_stamps), refuses a save over someone else's change since."""
    if stamp is not None:
        edit_stamp_check(
            instance=person, stamp=stamp, allowed=(*PERSON_EDITABLE_FIELDS, "affiliations")
        )
    for field, check in (("birth_date", birth_date_check), ("birth_year", birth_year_check)):
        try:
            check(fields.get(field))
        except ValidationError as error:
            raise ValidationError({field: error.messages}) from None
    data = {
        name: value.strip() if isinstance(value, str) else value for name, value in fields.items()
    }
    if affiliations is not None:
        data["affiliations"] = list(affiliations)
    return model_update(
        instance=person, data=data, fields=(*PERSON_EDITABLE_FIELDS, "affiliations"), by=by
    )


def person_add_alias(
    *, person: Person, name: str, kind: str = PersonAlias.Kind.SPELLING, by
) -> PersonAlias:
    """Add another name of the person (kept once however often it is added). The alias's
    own history row, naming `by`, is what the person's history shows as the addition."""
    name = name.strip()
    alias = PersonAlias(person=person, name=name, kind=kind)
    try:
        with transaction.atomic():
            history_save(instance=alias, by=by)
    except IntegrityError:
        # Already one of their names (alias_unique_per_person): nothing to add or record.
        alias = PersonAlias.objects.get(person=person, name=name)
    return alias


def name_spelling_key(name: str) -> str:
    """What two spellings of a name share when they differ only in case or spacing."""
    return " ".join(name.split()).casefold()


def person_typed_names_new(
    *, person: Person, full_name: str = "", native_name: str = ""
) -> list[tuple[str, str]]:
    """Of the names typed for someone already on file, those they do not have yet (in any
    case or spacing), each once, with the kind of name it is."""
    known = {
        name_spelling_key(name)
        for name in (
            person.full_name,
            person.native_name,
            *PersonAlias.objects.filter(person=person).values_list("name", flat=True),
        )
        if name
    }
    new: list[tuple[str, str]] = []
    typed = ((full_name, PersonAlias.Kind.SPELLING), (native_name, PersonAlias.Kind.NATIVE))
    for name, kind in typed:
        name = " ".join((name or "").split())
        if name and name_spelling_key(name) not in known:
            known.add(name_spelling_key(name))
            new.append((name, kind))
    return new


def person_add_typed_names(
    *, person: Person, full_name: str = "", native_name: str = "", by
) -> list[PersonAlias]:
    """Names typed for someone already on file (New case's person fields, when the user
    picks a person they matched) kept as their other names, so the spelling that found
    them finds them again; a name they already have is not added twice. Returns the
    names added."""
    new = person_typed_names_new(person=person, full_name=full_name, native_name=native_name)
    return [person_add_alias(person=person, name=name, kind=kind, by=by) for name, kind in new]
