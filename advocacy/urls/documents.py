from django.urls import path

from advocacy.views import documents, followups, mentions
from advocacy.views.archive import DOCUMENTS
from casework.urls.archiving import archiving_paths

urlpatterns = [
    path("", documents.document_list, name="document_list"),
    path("new/", documents.document_create, name="document_create"),
    path("<int:pk>/", documents.document_detail, name="document_detail"),
    path("<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("<int:pk>/mentions/new/", documents.mention_add, name="mention_add"),
    path(
        "<int:pk>/impact.<str:file_format>",
        documents.document_impact_export,
        name="document_impact_export",
    ),
    *archiving_paths(archiving=DOCUMENTS, name="document"),
    # Detected mentions: the text, detection, and the review of what it proposed.
    path("<int:pk>/text/", mentions.document_text_upload, name="document_text_upload"),
    path(
        "<int:pk>/detect/",
        mentions.document_detect_mentions_view,
        name="document_detect_mentions",
    ),
    path(
        "<int:pk>/mentions/review/",
        mentions.document_mention_review,
        name="document_mention_review",
    ),
    path(
        "<int:pk>/mentions/decide/",
        mentions.document_mentions_decide_view,
        name="document_mentions_decide",
    ),
    path("mentions/<int:pk>/confirm/", mentions.mention_confirm_view, name="mention_confirm"),
    path("mentions/<int:pk>/reject/", mentions.mention_reject_view, name="mention_reject"),
    path("mentions/<int:pk>/demands/", mentions.mention_demands_view, name="mention_demands"),
    # After a resolution: one task per named case still detained.
    path(
        "<int:pk>/follow-ups/",
        followups.document_create_follow_ups,
        name="document_create_follow_ups",
    ),
]
