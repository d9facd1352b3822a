"""Where a record's facts come from."""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Provenance(models.Model):
    """One fact of a record (or the record as a whole) and what it rests on: a passage of
    a source the app holds (a document), an inference with its reason, or an outside
    reference named as such. Shown only to those who may see sources."""

    class Basis(models.TextChoices):
        STATED = "stated", _("Stated")
        INFERRED = "inferred", _("Inferred")
        REFERENCE = "reference", _("Outside reference")

    record_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    record_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("record_type", "record_id")
    facts = models.CharField(
        _("facts"),
        max_length=200,
        blank=True,
        help_text=_(
            "The fields this backs, comma-separated (e.g. issued_on); empty for the record as a whole."
        ),
    )
    basis = models.CharField(_("basis"), max_length=10, choices=Basis.choices, default=Basis.STATED)
    # The record (a document) whose text holds the quote: a link the reader can follow.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source = GenericForeignKey("source_type", "source_id")
    reference = models.CharField(
        _("reference"),
        max_length=300,
        blank=True,
        help_text=_("An outside reference, named as such (e.g. a register and its number)."),
    )
    quote = models.TextField(_("quote"), blank=True, help_text=_("The passage, verbatim."))
    note = models.TextField(
        _("note"), blank=True, help_text=_("Why an inference is drawn, or how a passage is read.")
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["record_type", "record_id", "position"]
        verbose_name = _("provenance")
        verbose_name_plural = _("provenance")
        indexes = [models.Index(fields=["record_type", "record_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["record_type", "record_id", "position"], name="provenance_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(basis__in=["stated", "inferred", "reference"]),
                name="provenance_basis_known",
            ),
            # A stated fact points at its source; an inference gives its reason; an outside
            # reference names itself.
            models.CheckConstraint(
                condition=~Q(basis="stated") | Q(source_id__isnull=False) | ~Q(reference=""),
                name="provenance_stated_has_source",
            ),
            models.CheckConstraint(
                condition=~Q(basis="inferred") | ~Q(note=""), name="provenance_inference_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(basis="reference") | ~Q(reference=""),
                name="provenance_reference_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_basis_display()}: {self.facts or 'record'}"

    @property
    def fact_names(self) -> list[str]:
        return [name for name in self.facts.split(",") if name]

    def covers(self, fact: str) -> bool:
        """Whether this backs the field `fact` (an entry for the whole record backs all)."""
        return not self.facts or fact in self.fact_names


def provenance_relation() -> GenericRelation:
    """The reverse side on a record, so its provenance goes when it goes."""
    return GenericRelation(
        Provenance, content_type_field="record_type", object_id_field="record_id"
    )
