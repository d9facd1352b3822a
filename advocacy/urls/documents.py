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
