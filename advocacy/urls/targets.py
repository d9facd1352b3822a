"""Actors, roll-call votes, engagements and campaigns (issue 19)."""

from django.urls import path

from advocacy.views import actors, campaigns, engagements

urlpatterns = [
    path("actors/", actors.actor_list, name="actor_list"),
    path("actors/new/", actors.actor_create_view, name="actor_create"),
    path("actors/<int:pk>/", actors.actor_detail, name="actor_detail"),
    path("actors/<int:pk>/edit/", actors.actor_edit, name="actor_edit"),
    path("actors/<int:pk>/names/new/", actors.actor_alias_add, name="actor_alias_add"),
    path("actors/<int:pk>/positions/new/", actors.position_add_view, name="position_add"),
    path("actors/<int:pk>/stances/new/", actors.stance_add, name="stance_add"),
    path("actors/<int:pk>/briefing/", actors.actor_briefing_view, name="actor_briefing"),
    path("actors/positions/<int:pk>/edit/", actors.position_edit, name="position_edit"),
    path("votes/import/", engagements.votes_import_view, name="votes_import"),
    path("engagements/", engagements.engagement_list, name="engagement_list"),
    path("engagements/new/", engagements.engagement_create_view, name="engagement_create"),
    path("engagements/<int:pk>/", engagements.engagement_detail, name="engagement_detail"),
    path("engagements/<int:pk>/edit/", engagements.engagement_edit, name="engagement_edit"),
    path(
        "engagements/<int:pk>/files/new/",
        engagements.engagement_attachment_add,
        name="engagement_attachment_add",
    ),
    path(
        "engagements/files/<int:pk>/",
        engagements.engagement_attachment_download,
        name="engagement_attachment_download",
    ),
    path(
        "engagements/<int:pk>/follow-ups/new/",
        engagements.engagement_follow_up_add,
        name="engagement_follow_up_add",
    ),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:pk>/targets/", campaigns.campaign_targets, name="campaign_targets"),
    path(
        "campaigns/<int:pk>/targets/change/",
        campaigns.campaign_target_change,
        name="campaign_target_change",
    ),
    path(
        "campaigns/<int:pk>/targets.<str:file_format>",
        campaigns.campaign_targets_export,
        name="campaign_targets_export",
    ),
    path("campaigns/<int:pk>/briefing/", actors.campaign_briefing_view, name="campaign_briefing"),
]
