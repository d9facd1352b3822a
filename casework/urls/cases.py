from django.urls import path

from casework.urls.archiving import archiving_paths
from casework.views import cases
from casework.views.archive import CASES

urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("export.csv", cases.case_export_csv, name="case_export_csv"),
    path("export.xlsx", cases.case_export_xlsx, name="case_export_xlsx"),
    path("new/", cases.case_create, name="case_create"),
    path("<int:pk>/", cases.case_detail, name="case_detail"),
    path("<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("<int:pk>/status/", cases.case_status_change, name="case_status_change"),
    path("<int:pk>/events/new/", cases.case_event_create, name="case_event_create"),
    *archiving_paths(archiving=CASES, name="case"),
]
