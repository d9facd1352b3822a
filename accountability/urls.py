from django.urls import path

from accountability.views import documents, exports, persons, roles

urlpatterns = [
    path("", persons.responsible_person_list, name="responsible_person_list"),
    path("new/", persons.responsible_person_create, name="responsible_person_create"),
    path("<int:pk>/", persons.responsible_person_detail, name="responsible_person_detail"),
    path("<int:pk>/edit/", persons.responsible_person_edit, name="responsible_person_edit"),
    path("<int:pk>/names/new/", persons.alias_add, name="responsible_alias_add"),
    path("<int:pk>/identifiers/new/", persons.identifier_add, name="responsible_identifier_add"),
    path("<int:pk>/positions/new/", persons.position_add, name="responsible_position_add"),
    path("positions/<int:pk>/edit/", persons.position_edit, name="responsible_position_edit"),
    path("<int:pk>/roles/new/", roles.case_role_add, name="case_role_add"),
    path("roles/<int:pk>/edit/", roles.case_role_edit, name="case_role_edit"),
    path("roles/<int:pk>/evidence/new/", roles.evidence_add, name="evidence_add"),
    path("<int:pk>/submissions/new/", roles.submission_add, name="submission_add"),
    path("submissions/<int:pk>/outcome/", roles.submission_outcome, name="submission_outcome"),
    path(
        "submissions/<int:pk>/follow-ups/new/",
        roles.submission_follow_up_add,
        name="submission_follow_up_add",
    ),
    path(
        "<int:pk>/dossier.docx",
        exports.dossier_download,
        {"file_format": "docx"},
        name="responsible_dossier_docx",
    ),
    path(
        "<int:pk>/dossier.pdf",
        exports.dossier_download,
        {"file_format": "pdf"},
        name="responsible_dossier_pdf",
    ),
    path(
        "<int:pk>/followthemoney.json",
        exports.followthemoney_download,
        name="responsible_followthemoney",
    ),
    path("documents/<int:pk>/detect/", documents.document_detect, name="responsible_detect"),
    path("named/<int:pk>/<str:decision>/", documents.named_review, name="responsible_named_review"),
]
