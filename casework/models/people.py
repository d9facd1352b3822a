"""People and the keys their names are found by."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Func, Q, Value
from django.db.models.functions import MD5, Concat, Left, StrIndex, Upper
from django.db.models.lookups import GreaterThan
from django.db.models.sql.compiler import SQLCompiler
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.base import TimeStamped
from casework.models.organisations import Organisation
from casework.models.provenance import provenance_relation
from casework.models.vocabularies import Affiliation


def keys_hold_readings_of(*names: str) -> Q:
    """The row's match keys hold a reading (casework.names.name_reading_key) made for each
    of these names as they are now: each reading ends with a checksum of the name it was
    made for, so a name changed behind the keys' back (a bare UPDATE) is told apart."""
    condition = Q()
    for name in names:
        checksum = Concat(Value("#"), Left(MD5(name), 8))
        # strpos, not LIKE: a pattern made per row is escaped and compiled per row.
        condition &= Q(**{name: ""}) | Q(GreaterThan(StrIndex("match_keys", checksum), 0))
    return condition


class PostgreSQLOnly(Func):
    """A stored generated column's expression on PostgreSQL, NULL elsewhere. SQLite has no
    MD5 of its own, only the function Django registers on its connections: a column computed
    with it would make every write from the sqlite3 shell fail ("unknown function: MD5()")."""

    template = "(%(expressions)s)"
    output_field = BooleanField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[str | int, ...]]:
        return "NULL", ()


def readings_current_field(*names: str) -> models.GeneratedField:
    """Whether the row's match keys were made for its names as they are now, kept by
    PostgreSQL on every write, whatever wrote it (a form, a bulk insert, a bare UPDATE):
    detection reads it instead of checksumming every name at each build (at 100,000 people
    the query ran in 292 ms with an MD5 per name, 37 ms reading the column). NULL on
    SQLite, where detection asks the same question of the names at read time."""
    return models.GeneratedField(
        expression=PostgreSQLOnly(keys_hold_readings_of(*names)),
        output_field=BooleanField(null=True),
        db_persist=True,
    )


class Person(TimeStamped):
    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")
        UNKNOWN = "", _("Unknown")

    class Occupation(models.TextChoices):
        JOURNALIST = "journalist", _("Journalist")
        ACTIVIST = "activist", _("Activist")
        BLOGGER = "blogger", _("Blogger")
        LAWYER = "lawyer", _("Lawyer")
        HUMAN_RIGHTS_DEFENDER = "human_rights_defender", _("Human-rights defender")
        TRADE_UNIONIST = "trade_unionist", _("Trade unionist")
        RELIGIOUS_BELIEVER = "religious_believer", _("Religious believer")
        POLITICIAN = "politician", _("Politician")
        BUSINESSPERSON = "businessperson", _("Businessperson")
        OTHER = "other", _("Other")
        UNKNOWN = "", _("Unknown")

    full_name = models.CharField(
        max_length=200, help_text=_("Primary name in Latin script."), verbose_name=_("full name")
    )
    native_name = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("Name in Cyrillic or another script."),
        verbose_name=_("native name"),
    )
    birth_date = models.DateField(null=True, blank=True, verbose_name=_("birth date"))
    birth_year = models.PositiveSmallIntegerField(
        null=True, blank=True, verbose_name=_("birth year")
    )
    gender = models.CharField(
        max_length=10, choices=Gender.choices, blank=True, verbose_name=_("gender")
    )
    region = models.CharField(max_length=100, blank=True, db_index=True, verbose_name=_("region"))
    occupation = models.CharField(
        max_length=30, choices=Occupation.choices, blank=True, verbose_name=_("occupation")
    )
    affiliations = models.ManyToManyField(
        Affiliation, blank=True, related_name="people", verbose_name=_("affiliations")
    )
    biography = models.TextField(blank=True, verbose_name=_("biography"))
    # Sensitive: hidden from partner users and their exports.
    family_contacts = models.TextField(blank=True, verbose_name=_("family contacts"))
    owning_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("owning organisation"),
    )
    # Space-separated match keys from casework.names, refreshed on save; PersonNameKey
    # holds the same keys one per row for indexed lookup.
    match_keys = models.TextField(blank=True, editable=False, verbose_name=_("match keys"))
    readings_current = readings_current_field("full_name", "native_name")
    archived_at = models.DateTimeField(null=True, blank=True, verbose_name=_("archived at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    provenance = provenance_relation()
    # History rows are read by the record's id and date only (casework.record_history):
    # indexes on copied columns would cost every write and serve no query. The acting user
    # is no database foreign key: see Case.history.
    history = HistoricalRecords(
        user_db_constraint=False,
        excluded_fields=["readings_current"],  # derived by the database, of this row only
        m2m_fields=[affiliations],
        no_db_index=["region", "owning_organisation", "created_by", "person", "affiliation"],
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["full_name"]
        indexes = [
            models.Index(fields=["full_name"]),
            models.Index(fields=["birth_year"]),
            # The case list filters on region case-insensitively (iexact is UPPER() = UPPER()).
            models.Index(Upper("region"), name="person_region_upper"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="person_birth_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def get_absolute_url(self) -> str:
        return reverse("person_detail", args=[self.pk])

    @property
    def year_of_birth(self) -> int | None:
        return self.birth_date.year if self.birth_date else self.birth_year


class PersonAlias(TimeStamped):
    class Kind(models.TextChoices):
        SPELLING = "spelling", _("Other spelling")
        NATIVE = "native", _("Native script")
        BIRTH_NAME = "birth_name", _("Birth name")
        PSEUDONYM = "pseudonym", _("Pseudonym")

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("person")
    )
    name = models.CharField(max_length=200, verbose_name=_("name"))
    kind = models.CharField(
        max_length=20, choices=Kind.choices, default=Kind.SPELLING, verbose_name=_("kind")
    )
    match_keys = models.TextField(blank=True, editable=False)
    readings_current = readings_current_field("name")
    history = HistoricalRecords(excluded_fields=["readings_current"])

    class Meta:
        verbose_name = _("person alias")
        verbose_name_plural = _("person aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="alias_unique_per_person")
        ]

    def __str__(self) -> str:
        return self.name


class PersonNameKey(models.Model):
    """One match key of one person (from the primary name, native name or an alias)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "person"], name="person_name_key_unique")
        ]

    def __str__(self) -> str:
        return self.key
