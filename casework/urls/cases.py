from django.urls import path

from casework.views import cases
from casework.views.archive import CASES, record_archive_view

urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("export.csv", cases.case_export_csv, name="case_export_csv"),
    path("export.xlsx", cases.case_export_xlsx, name="case_export_xlsx"),
    path("new/", cases.case_create, name="case_create"),
    path("<int:pk>/", cases.case_detail, name="case_detail"),
    path("<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("<int:pk>/status/", cases.case_status_change, name="case_status_change"),
    path("<int:pk>/events/new/", cases.case_event_create, name="case_event_create"),
    path(
        "<int:pk>/archive/",
        record_archive_view,
        {"archiving": CASES, "archive": True},
        name="case_archive",
    ),
    path(
        "<int:pk>/restore/",
        record_archive_view,
        {"archiving": CASES, "archive": False},
        name="case_restore",
    ),
]
