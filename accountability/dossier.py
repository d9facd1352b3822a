"""A sanctions dossier for one responsible person, as the EU, UK, US and Canadian regimes
ask NGOs for it: the submitting organisation and contact; the person's identification;
their positions; the abuses, each with the victim, date, place, the person's role and the
evidence with its sources and corroboration; exculpatory information; and the case for
sanctions in the chosen jurisdiction.

dossier_build gathers it (only what the user may see, in a fixed number of queries) and
writes every sentence in the chosen language; accountability.dossier_docx and
accountability.dossier_pdf lay the same Dossier out, so both files say the same thing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import formats, translation
from django.utils.translation import gettext as _

from accountability.models import CaseRole, Evidence, ResponsiblePerson, SanctionsSubmission
from accountability.roles import person_case_roles
from casework.followups import user_today
from casework.models import Case
from casework.visibility import user_membership

LANGUAGES = ("en", "ru")


@dataclass
class EvidenceLine:
    source: str
    shows: str
    confidence: str


@dataclass
class Abuse:
    victim: str
    case_reference: str
    date: str
    place: str
    role: str
    description: str
    evidence: list[EvidenceLine]
    exculpatory: str


@dataclass
class Dossier:
    language: str
    title: str
    # (heading, lines) pairs, in the order the sections are read.
    organisation: list[tuple[str, str]]
    identification: list[tuple[str, str]]
    positions: list[str]
    abuses: list[Abuse]
    exculpatory: list[str]
    jurisdiction: str
    case_for_sanctions: list[str]
    submissions: list[str]
    cases: list[Case] = field(default_factory=list)
    generated_on: str = ""


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else _("date unknown")


def _identification(person: ResponsiblePerson) -> list[tuple[str, str]]:
    aliases = ", ".join(alias.name for alias in person.aliases.all())
    rows = [
        (_("Name (Latin script)"), person.name),
        (_("Name (Cyrillic)"), person.native_name or "—"),
        (_("Other names"), aliases or "—"),
        (_("Kind"), str(person.get_kind_display())),
        (_("Date of birth"), _date(person.birth_date) if person.birth_date else "—"),
        (_("Place of birth"), person.birth_place or "—"),
        (_("Nationality"), person.nationality or "—"),
    ]
    rows += [
        (str(identifier.get_kind_display()), identifier.value)
        for identifier in person.identifiers.all()
    ]
    return rows


def _evidence_line(evidence: Evidence) -> EvidenceLine:
    if evidence.source == Evidence.Source.DOCUMENT and evidence.document is not None:
        source = evidence.document.title
        if evidence.document.reference:
            source += f" ({evidence.document.reference})"
        if evidence.passage:
            source += f": «{evidence.passage}»"
    elif evidence.source == Evidence.Source.COURT_DECISION:
        source = evidence.citation
    else:
        source = evidence.url
    return EvidenceLine(
        source=source, shows=evidence.shows, confidence=str(evidence.get_confidence_display())
    )


def _role_when(role: CaseRole) -> str:
    """The event's day, else the role's period: a colony head's years in post are what the
    submission must show, not the day they began; an end alone is still a date given."""
    if role.event and role.event.happened_on:
        return _date(role.event.happened_on)
    if role.ended_on and role.ended_on != role.started_on:
        return f"{_date(role.started_on)} – {_date(role.ended_on)}"
    return _date(role.started_on)


def _abuse(role: CaseRole) -> Abuse:
    case = role.case
    place = case.detention_place.name if case.detention_place else (case.person.region or "—")
    return Abuse(
        victim=case.person.full_name
        + (f" ({case.person.native_name})" if case.person.native_name else ""),
        case_reference=case.reference,
        date=_role_when(role),
        place=place,
        role=str(role.get_role_display()),
        description=role.description,
        evidence=[_evidence_line(evidence) for evidence in role.evidence.all()],
        exculpatory=role.exculpatory,
    )


def _case_for_sanctions(
    *, person: ResponsiblePerson, jurisdiction: str, abuses: list[Abuse]
) -> list[str]:
    regime = str(SanctionsSubmission.Jurisdiction(jurisdiction).label)
    corroborated = sum(
        1
        for abuse in abuses
        for line in abuse.evidence
        if line.confidence != str(Evidence.Confidence.ALLEGED.label)
    )
    return [
        _(
            "We ask that %(name)s be designated under the %(regime)s for serious human rights "
            "violations: the abuses set out in section 4, committed against people persecuted "
            "for their peaceful exercise of freedom of expression, association and religion."
        )
        % {"name": person.name, "regime": regime},
        _(
            "Abuses set out: %(abuses)s. Pieces of evidence documented or corroborated: "
            "%(evidence)s. Allegations are marked as such, and exculpatory information is "
            "given beside them."
        )
        % {"abuses": len(abuses), "evidence": corroborated},
    ]


def dossier_build(*, person: ResponsiblePerson, user, language: str, jurisdiction: str) -> Dossier:
    """The dossier of `person` as `user` may see it, written in `language` (en or ru)."""
    if language not in LANGUAGES:
        raise ValueError(f"dossier language must be one of {LANGUAGES}")
    membership = user_membership(user)
    organisation = membership.organisation if membership else person.owning_organisation
    roles = list(person_case_roles(person=person, user=user))
    with translation.override(language):
        abuses = [_abuse(role) for role in roles]
        contact = user.get_full_name() or user.get_username()
        if user.email:
            contact += f" <{user.email}>"
        return Dossier(
            language=language,
            title=_("Sanctions dossier: %(name)s") % {"name": person.name},
            organisation=[
                (_("Submitting organisation"), organisation.name),
                (_("Country"), organisation.country or "—"),
                (_("Website"), organisation.website or "—"),
                (_("Contact"), contact),
            ],
            identification=_identification(person),
            positions=[
                ", ".join(
                    part
                    for part in (
                        position.rank,
                        position.unit,
                        position.institution,
                        position.region,
                        f"{_date(position.started_on)} – "
                        f"{_date(position.ended_on) if position.ended_on else _('present')}",
                    )
                    if part
                )
                for position in person.positions.all()
            ],
            abuses=abuses,
            exculpatory=[
                f"{abuse.case_reference}: {abuse.exculpatory}"
                for abuse in abuses
                if abuse.exculpatory
            ],
            jurisdiction=str(SanctionsSubmission.Jurisdiction(jurisdiction).label),
            case_for_sanctions=_case_for_sanctions(
                person=person, jurisdiction=jurisdiction, abuses=abuses
            ),
            submissions=[
                f"{submission.get_jurisdiction_display()}: {_date(submission.submitted_on)}, "
                f"{submission.get_outcome_display()}"
                for submission in person.submissions.all()
            ],
            cases=[role.case for role in roles],
            generated_on=_date(user_today(user)),
        )


def dossier_headings(language: str) -> dict[str, str]:
    """The section headings, in the dossier's language."""
    with translation.override(language):
        return {
            "organisation": _("1. Submitting organisation"),
            "identification": _("2. Identification of the person"),
            "positions": _("3. Positions held"),
            "abuses": _("4. Abuses and evidence"),
            "exculpatory": _("5. Exculpatory information"),
            "case": _("6. The case for sanctions"),
            "submissions": _("Earlier submissions"),
            "victim": _("Victim"),
            "case_reference": _("Case"),
            "date": _("Date"),
            "place": _("Place"),
            "role": _("Role"),
            "what": _("What they did"),
            "evidence": _("Evidence"),
            "shows": _("What it shows"),
            "confidence": _("Confidence"),
            "none": _("None recorded."),
            "jurisdiction": _("Jurisdiction"),
            "generated": _("Prepared on"),
            "confidential": _("Confidential: prepared for a sanctions submission."),
        }
