"""Shared vocabularies: affiliations, charges, detention places, regions.

Every entry is either shared (proposed_by empty: offered to every organisation) or a
proposal of the organisation whose import wrote a value no entry had (proposed_by set:
offered to that organisation only, until the host's coordinators accept it, rename it or
merge it into another entry). A merge keeps the merged entry's name among the other's
aliases, so later files that write it still find the entry; an archived entry is offered
no more. The rules are casework.vocabularies'."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models.base import TimeStamped
from casework.models.organisations import Organisation
from casework.models.provenance import provenance_relation


class VocabularyEntry(models.Model):
    """What every vocabulary entry carries beside its own fields."""

    proposed_by = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Set while the entry is a proposal of this organisation's import."),
        verbose_name=_("proposed by"),
    )
    # Other spellings the entry is found by: the names of entries merged into it, its own
    # earlier names. For a charge, "code|article|part" keys.
    aliases = models.JSONField(default=list, blank=True, verbose_name=_("aliases"))
    archived_at = models.DateTimeField(null=True, blank=True, verbose_name=_("archived at"))

    class Meta:
        abstract = True


class Affiliation(TimeStamped, VocabularyEntry):
    """A movement, party, civil-society group or NGO a person belongs to or works with."""

    class Kind(models.TextChoices):
        MOVEMENT = "movement", _("Movement")
        PARTY = "party", _("Political party")
        CIVIL_SOCIETY = "civil_society", _("Civil-society group")
        NGO = "ngo", _("NGO")
        MEDIA = "media", _("Media outlet")
        RELIGIOUS = "religious", _("Religious community")

    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    short_name = models.CharField(max_length=50, blank=True, verbose_name=_("short name"))
    slug = models.SlugField(max_length=80, unique=True, verbose_name=_("slug"))
    kind = models.CharField(max_length=20, choices=Kind.choices, verbose_name=_("kind"))
    banned_as_extremist = models.BooleanField(default=False, verbose_name=_("banned as extremist"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    source = models.TextField(blank=True, verbose_name=_("source"))
    provenance = provenance_relation()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name


class Charge(VocabularyEntry):
    """A criminal-code article: jurisdiction + code + article + part."""

    jurisdiction = models.CharField(max_length=50, default="KZ", verbose_name=_("jurisdiction"))
    code = models.CharField(
        max_length=50,
        default="CC 2014",
        help_text=_("Which code, e.g. CC 2014 or CC 1997."),
        verbose_name=_("code"),
    )
    article = models.CharField(max_length=20, verbose_name=_("article"))
    part = models.CharField(max_length=20, blank=True, verbose_name=_("part"))
    title = models.CharField(max_length=300, help_text=_("In English."), verbose_name=_("title"))
    # The title as a Russian-language reader knows it (the code's own words, e.g.
    # "возбуждение социальной розни"); shown instead of `title` to those reading Russian or
    # Kazakh (Kazakhstan's codes are published in both, and Kazakh falls back to Russian).
    title_ru = models.CharField(_("title in Russian"), max_length=300, blank=True)
    provenance = provenance_relation()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("charge")
        verbose_name_plural = _("charges")
        ordering = ["jurisdiction", "code", "article", "part"]
        constraints = [
            models.UniqueConstraint(
                fields=["jurisdiction", "code", "article", "part"], name="charge_unique_article"
            )
        ]

    def __str__(self) -> str:
        values = {
            "jurisdiction": self.jurisdiction,
            "code": self.code,
            "article": self.article,
            "part": self.part,
            "title": self.title_shown(),
        }
        if self.part:
            return (
                gettext("%(jurisdiction)s %(code)s art. %(article)s part %(part)s — %(title)s")
                % values
            )
        return gettext("%(jurisdiction)s %(code)s art. %(article)s — %(title)s") % values

    def title_shown(self) -> str:
        """The title in the reader's language: the Russian one for Russian and Kazakh."""
        if self.title_ru and get_language() in ("ru", "kk"):
            return self.title_ru
        return self.title


class DetentionPlace(VocabularyEntry):
    name = models.CharField(max_length=200, unique=True, verbose_name=_("name"))
    region = models.CharField(max_length=100, blank=True, verbose_name=_("region"))
    kind = models.CharField(
        max_length=50,
        blank=True,
        help_text=_("SIZO, colony, psychiatric …"),
        verbose_name=_("kind"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("detention place")
        verbose_name_plural = _("detention places")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Region(VocabularyEntry):
    """A region or city people come from. A person's region is kept as text
    (Person.region); the entries are what an import matches that text to, so that "г.
    Уральск", "Уральск" and "Uralsk" are written one way."""

    name = models.CharField(max_length=100, unique=True, verbose_name=_("name"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
