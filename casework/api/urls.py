"""The API's casework routes, the schema and the docs, under /api/v1/ (config/urls_api.py
adds advocacy.api.urls beside them, in the same "api" namespace)."""

from __future__ import annotations

from django.urls import path

from casework.api import (
    cases,
    docs,
    follow_ups,
    imports,
    notifications,
    people,
    timeline,
    vocabularies,
)

urlpatterns = [
    path("schema/", docs.schema_view, name="schema"),
    path("docs/", docs.docs_view, name="docs"),
    path("cases/", cases.CaseList.as_view(), name="case_list"),
    path("cases/<int:pk>/", cases.CaseDetail.as_view(), name="case_detail"),
    path("cases/<int:pk>/timeline/", timeline.CaseTimeline.as_view(), name="case_timeline"),
    path("cases/<int:pk>/status/", timeline.CaseStatusChange.as_view(), name="case_status_change"),
    path("cases/<int:pk>/events/", timeline.CaseEventCreate.as_view(), name="case_event_create"),
    path("people/", people.PersonList.as_view(), name="person_list"),
    path("people/<int:pk>/", people.PersonDetail.as_view(), name="person_detail"),
    # apiwrite: a person as FollowTheMoney; correcting and removing a timeline entry.
    path("people/<int:pk>/ftm/", people.PersonFtm.as_view(), name="person_ftm"),
    path("events/<int:pk>/", timeline.CaseEventDetail.as_view(), name="case_event_detail"),
    path("follow-ups/", follow_ups.FollowUpList.as_view(), name="followup_list"),
    path("follow-ups/<int:pk>/", follow_ups.FollowUpDetail.as_view(), name="followup_detail"),
    path(
        "follow-ups/<int:pk>/complete/",
        follow_ups.FollowUpComplete.as_view(),
        name="followup_complete",
    ),
    path("notifications/", notifications.NotificationList.as_view(), name="notification_list"),
    path(
        "notifications/<int:pk>/read/",
        notifications.NotificationMarkRead.as_view(),
        name="notification_mark_read",
    ),
    # Imports: upload, preview, confirm (casework.api.imports).
    path("imports/", imports.ImportRunList.as_view(), name="import_run_list"),
    path("imports/<int:pk>/", imports.ImportRunDetail.as_view(), name="import_run_detail"),
    path(
        "imports/<int:pk>/confirm/", imports.ImportRunConfirm.as_view(), name="import_run_confirm"
    ),
    path(
        "imports/<int:pk>/decisions/",
        imports.ImportRunDecisions.as_view(),
        name="import_run_decisions",
    ),
    path("vocabularies/charges/", vocabularies.ChargeList.as_view(), name="charge_list"),
    path(
        "vocabularies/detention-places/",
        vocabularies.DetentionPlaceList.as_view(),
        name="detention_place_list",
    ),
    path(
        "vocabularies/affiliations/",
        vocabularies.AffiliationList.as_view(),
        name="affiliation_list",
    ),
    path("vocabularies/regions/", vocabularies.RegionList.as_view(), name="region_list"),
]
