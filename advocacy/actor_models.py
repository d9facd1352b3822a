"""Who advocacy addresses, and how they voted.

Actors (MEPs, ministers, ambassadors, UN mandates, institutions) with their other names
and dated positions, and the European Parliament's roll-call votes imported from
HowTheyVote.eu's export (advocacy.votes). All of it is public record: every member of an
organisation reads it (advocacy.visibility). What an organisation thinks of an actor and
its meetings with them are the organisation's own (advocacy.engagement_models).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.models import TimeStamped
from common.constraints import ConstraintsOnFields


class Actor(TimeStamped):
    class Kind(models.TextChoices):
        MEP = "mep", _("Member of the European Parliament")
        MEMBER_OF_PARLIAMENT = "mp", _("Member of a national parliament")
        MINISTER = "minister", _("Minister")
        OFFICIAL = "official", _("Official of an institution")
        AMBASSADOR = "ambassador", _("Ambassador or diplomat")
        UN_MANDATE = "un_mandate", _("UN special rapporteur or working group")
        INSTITUTION = "institution", _("Institution or body")
        OTHER = "other", _("Other")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        SEED = "seed", _("Seed data")
        HOWTHEYVOTE = "howtheyvote", _("HowTheyVote.eu export")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    family_name = models.CharField(
        _("family name"), max_length=100, blank=True, help_text=_("Used to sort lists.")
    )
    country_code = models.CharField(
        _("country code"),
        max_length=3,
        blank=True,
        help_text=_("ISO 3166-1 alpha-3, as HowTheyVote.eu writes it (DEU, POL, KAZ)."),
    )
    country = models.CharField(_("country"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), max_length=500, blank=True)
    # The European Parliament's own member id (its MEP Directory), which HowTheyVote.eu
    # uses: an import finds the same MEP again by it, whatever the spelling of the name.
    ep_member_id = models.PositiveIntegerField(_("MEP Directory id"), null=True, blank=True)
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where this record's facts come from.")
    )
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        # Named for the source notes ("Backs actor") as well as the admin.
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        ordering = ["family_name", "name", "pk"]
        indexes = [models.Index(fields=["country_code"]), models.Index(fields=["kind", "name"])]
        constraints = [
            models.UniqueConstraint(fields=["ep_member_id"], name="actor_unique_ep_member_id"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("actor_detail", args=[self.pk])


class ActorAlias(models.Model):
    """Another spelling or script of an actor's name (Róża Thun, Roza Thun, Róża Thun und
    Hohenstein)."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["actor", "name"], name="actor_alias_once"),
        ]

    def __str__(self) -> str:
        return self.name


class ActorNameKey(models.Model):
    """One match key of one of an actor's names (casework.names.name_keys), so an actor is
    found by any spelling in one indexed lookup, as people are."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="name_keys")
    key = models.CharField(max_length=200, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="actor_name_key_once"),
        ]

    def __str__(self) -> str:
        return self.key


class Position(ConstraintsOnFields, TimeStamped):
    """A dated role: a political group, a party, a committee or delegation, a friendship
    group, or an office such as President of the European Parliament."""

    class Kind(models.TextChoices):
        POLITICAL_GROUP = "political_group", _("Political group")
        PARTY = "party", _("Party")
        COMMITTEE = "committee", _("Committee")
        DELEGATION = "delegation", _("Delegation")
        FRIENDSHIP_GROUP = "friendship_group", _("Friendship group")
        OFFICE = "office", _("Office")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SUBSTITUTE = "substitute", _("Substitute")
        HOLDER = "holder", _("Holder of the office")

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="positions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    institution = models.CharField(
        _("institution"), max_length=200, blank=True, help_text=_("e.g. European Parliament.")
    )
    body = models.CharField(
        _("group, party, committee, delegation or office"),
        max_length=300,
        help_text=_("e.g. Delegation for relations with the countries of Central Asia."),
    )
    body_code = models.CharField(
        _("short code"), max_length=50, blank=True, help_text=_("e.g. DCAS, GREEN_EFA.")
    )
    started_on = models.DateField(_("from"), null=True, blank=True)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    # The export row an import made this from, so importing again updates it.
    source_key = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords()

    constraint_fields = {
        "position_dates_ordered": ("ended_on", _("The end date is before the start date."))
    }

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["kind", "-started_on", "body"]
        indexes = [
            models.Index(fields=["kind", "body_code"]),
            models.Index(fields=["actor", "kind"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="position_unique_source"
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | Q(ended_on__isnull=True)
                | Q(ended_on__gte=F("started_on")),
                name="position_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}, {self.body}"


class ActorFact(TimeStamped):
    """Something an actor said or did, on a date, as a source states it ("highlighted the
    case of Agadil during the debate"): public record, like the actor."""

    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="facts")
    happened_on = models.DateField(_("date"), null=True, blank=True)
    summary = models.TextField(_("what they said or did"))
    document = models.ForeignKey(
        "advocacy.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actor_facts",
    )
    source = models.TextField(_("source"), blank=True)
    # The seed record it came from, so loading the seeds again updates it.
    source_key = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("what they said or did")
        verbose_name_plural = _("what they said or did")
        ordering = ["-happened_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="actor_fact_unique_source"
            ),
        ]

    def __str__(self) -> str:
        return self.summary[:80]


class PoliticalGroup(models.Model):
    """A political group of the European Parliament, as HowTheyVote.eu's groups.csv has it."""

    code = models.CharField(max_length=30, unique=True)
    label = models.CharField(max_length=200)
    short_label = models.CharField(max_length=50, blank=True)
    official_label = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["short_label", "code"]

    def __str__(self) -> str:
        return self.short_label or self.label


class Country(models.Model):
    """A country as HowTheyVote.eu's countries.csv has it (for tallies by country)."""

    code = models.CharField(max_length=3, unique=True)
    iso_alpha_2 = models.CharField(max_length=2, blank=True)
    label = models.CharField(max_length=100)

    class Meta:
        ordering = ["label"]
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.label


class RollCallVote(TimeStamped):
    """A roll-call vote in the European Parliament's plenary (HowTheyVote.eu's votes.csv),
    linked to the document it adopted or rejected when the import could tell which."""

    class LinkedBy(models.TextChoices):
        PROCEDURE = "procedure", _("Procedure reference")
        TITLE_AND_DATE = "title_and_date", _("Date and title")

    howtheyvote_id = models.PositiveIntegerField(unique=True)
    timestamp = models.DateTimeField()
    display_title = models.TextField(blank=True)
    reference = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    is_main = models.BooleanField(default=False)
    procedure_reference = models.CharField(max_length=100, blank=True, db_index=True)
    procedure_title = models.TextField(blank=True)
    # Older exports have no counts; the tally is then counted from the member votes.
    count_for = models.PositiveIntegerField(null=True, blank=True)
    count_against = models.PositiveIntegerField(null=True, blank=True)
    count_abstention = models.PositiveIntegerField(null=True, blank=True)
    count_did_not_vote = models.PositiveIntegerField(null=True, blank=True)
    document = models.ForeignKey(
        "advocacy.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roll_call_votes",
    )
    linked_by = models.CharField(max_length=20, choices=LinkedBy.choices, blank=True)

    class Meta:
        ordering = ["timestamp", "howtheyvote_id"]

    def __str__(self) -> str:
        return f"{self.display_title or self.procedure_title} ({self.timestamp:%Y-%m-%d})"


class MemberVote(models.Model):
    """How one MEP voted in one roll-call vote (HowTheyVote.eu's member_votes.csv), with
    the group and country they belonged to on the day."""

    class Choice(models.TextChoices):
        FOR = "for", _("For")
        AGAINST = "against", _("Against")
        ABSTENTION = "abstention", _("Abstention")
        DID_NOT_VOTE = "did_not_vote", _("Did not vote")

    vote = models.ForeignKey(RollCallVote, on_delete=models.CASCADE, related_name="member_votes")
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="member_votes")
    position = models.CharField(max_length=20, choices=Choice.choices)
    group_code = models.CharField(max_length=30, blank=True)
    country_code = models.CharField(max_length=3, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["actor", "position"]),
            models.Index(fields=["vote", "position"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["vote", "actor"], name="member_vote_once"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.position} in {self.vote_id}"
