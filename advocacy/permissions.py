"""Who may change documents and mentions, and the one way a view fetches them, on top of
casework.permissions (the same habits: Http404 for what the user may not see, exactly as
for a missing id; PermissionDenied with the reason for what they see but may not change).

Every member reads every document that is not archived (advocacy.visibility); staff of
an organisation (not partner users) record and edit documents and curate their
mentions; coordinators and admins archive and restore them, and only they reach an
archived document at all.

Actors, campaigns, engagements and their files, with the same habits:
- actors and their positions are public record: staff of any organisation edit them,
  partner users read them (as documents);
- importing roll-call votes rewrites that shared record: coordinators and admins;
- a campaign, an engagement or a stance is changed by the members of the organisation
  that owns it who may see it (the host reads a partner's internal ones, and changes none).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

from advocacy.models import Actor, Campaign, Document, Engagement, EngagementAttachment, Mention
from advocacy.visibility import (
    actors_visible_to,
    campaigns_visible_to,
    documents_visible_to,
    engagement_attachments_visible_to,
    engagements_visible_to,
    mentions_visible_to,
)
from casework.permissions import (
    ARCHIVING_REFUSED,
    MANAGER_ROLES,
    record_fetch,
    record_fetch_key,
    refuse_unless,
    user_is_staff_member,
    user_may_archive,
)
from casework.visibility import AnyUser, user_membership

DOCUMENT_CHANGE_REFUSED = _("Only staff of an organisation may change documents.")
MENTION_CHANGE_REFUSED = _("Only staff of an organisation may change a document's mentions.")
ACTOR_CHANGE_REFUSED = _("Only staff of an organisation change actors.")
CAMPAIGN_CHANGE_REFUSED = _("Only the organisation that runs a campaign changes it.")
ENGAGEMENT_CHANGE_REFUSED = _("Only the organisation that recorded an engagement changes it.")


def user_may_edit_documents(user: AnyUser) -> bool:
    """Staff of an organisation record documents and curate their mentions; partner users
    read them."""
    return user_is_staff_member(user)


def require_document_editor(user: AnyUser) -> None:
    refuse_unless(user_may_edit_documents(user), DOCUMENT_CHANGE_REFUSED)


def document_for_user(
    user: AnyUser,
    pk: object,
    *,
    for_change: bool = False,
    for_archiving: bool = False,
    select_related: Iterable[str] = (),
) -> Document:
    """The document, if the user may see it (else Http404); with for_change,
    PermissionDenied unless they may edit documents; with for_archiving, archived ones too
    for those who may archive (missing for anyone else), PermissionDenied unless they may."""
    may_archive = for_archiving and user_may_archive(user)
    select_related = tuple(select_related)
    documents = documents_visible_to(user, include_archived=may_archive)
    if select_related:
        documents = documents.select_related(*select_related)
    document = record_fetch(
        documents,
        pk,
        same_query_as=record_fetch_key("documents", user, may_archive, select_related),
    )
    if for_change:
        require_document_editor(user)
    if for_archiving:
        refuse_unless(may_archive, ARCHIVING_REFUSED)
    return document


def mention_for_user(user: AnyUser, pk: object, *, for_change: bool = False) -> Mention:
    """A mention of a case the user may see, in a document that is not archived; with
    for_change, PermissionDenied unless they may curate mentions."""
    mention = record_fetch(
        mentions_visible_to(user).select_related("document"),
        pk,
        same_query_as=record_fetch_key("mentions", user),
    )
    if for_change:
        refuse_unless(user_may_edit_documents(user), MENTION_CHANGE_REFUSED)
    return mention


# --- Actors, campaigns, engagements ----------------------------------------------------


def user_may_edit_actors(user: AnyUser) -> bool:
    """Actors are public record, kept like documents: staff of any organisation edit them."""
    return user_is_staff_member(user)


def user_may_import_votes(user: AnyUser) -> bool:
    membership = user_membership(user)
    return membership is not None and membership.role in MANAGER_ROLES


def user_owns(user: AnyUser, record: Campaign | Engagement | object) -> bool:
    """Whether `record` (a campaign, engagement or stance) belongs to the user's
    organisation, so they may change it."""
    membership = user_membership(user)
    return membership is not None and membership.organisation_id == getattr(
        record, "owning_organisation_id", None
    )


def actor_for_user(user: AnyUser, pk: object, *, for_change: bool = False) -> Actor:
    actor = record_fetch(
        actors_visible_to(user), pk, same_query_as=record_fetch_key("actors", user)
    )
    if for_change:
        refuse_unless(user_may_edit_actors(user), ACTOR_CHANGE_REFUSED)
    return actor


def campaign_for_user(user: AnyUser, pk: object, *, for_change: bool = False) -> Campaign:
    campaign = record_fetch(
        campaigns_visible_to(user).select_related("owning_organisation"),
        pk,
        same_query_as=record_fetch_key("campaigns", user),
    )
    if for_change:
        refuse_unless(user_owns(user, campaign), CAMPAIGN_CHANGE_REFUSED)
    return campaign


def engagement_for_user(user: AnyUser, pk: object, *, for_change: bool = False) -> Engagement:
    engagement = record_fetch(
        engagements_visible_to(user).select_related("owning_organisation", "campaign"),
        pk,
        same_query_as=record_fetch_key("engagements", user),
    )
    if for_change:
        refuse_unless(user_owns(user, engagement), ENGAGEMENT_CHANGE_REFUSED)
    return engagement


def attachment_for_user(user: AnyUser, pk: object) -> EngagementAttachment:
    return record_fetch(
        engagement_attachments_visible_to(user),
        pk,
        same_query_as=record_fetch_key("engagement-attachments", user),
    )
