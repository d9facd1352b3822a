from django.urls import path

from advocacy.views import archive, documents

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
    path("<int:pk>/archive/", archive.document_archive_view, name="document_archive"),
    path("<int:pk>/restore/", archive.document_restore_view, name="document_restore"),
]

# Detected mentions (issue 7, names and detection): text upload, detection and review.
from advocacy.views import mentions as detected_mentions  # noqa: E402

urlpatterns += [
    path("<int:pk>/text/", detected_mentions.document_text_upload, name="document_text_upload"),
    path(
        "<int:pk>/detect/",
        detected_mentions.document_detect_mentions_view,
        name="document_detect_mentions",
    ),
    path(
        "<int:pk>/mentions/review/",
        detected_mentions.document_mention_review,
        name="document_mention_review",
    ),
    path(
        "mentions/<int:pk>/confirm/",
        detected_mentions.mention_confirm_view,
        name="mention_confirm",
    ),
    path(
        "mentions/<int:pk>/reject/",
        detected_mentions.mention_reject_view,
        name="mention_reject",
    ),
]

# After a resolution (issue 4, follow-ups): one task per named case still detained.
from advocacy.views import followups as document_followups  # noqa: E402

urlpatterns += [
    path(
        "<int:pk>/follow-ups/",
        document_followups.document_create_follow_ups,
        name="document_create_follow_ups",
    ),
]
