from django.urls import path

from casework.urls.archiving import archiving_paths
from casework.views import cases, timeline
from casework.views.archive import CASES

urlpatterns = [
    path("", cases.case_list, name="case_list"),
    path("export.csv", cases.case_export_csv, name="case_export_csv"),
    path("export.xlsx", cases.case_export_xlsx, name="case_export_xlsx"),
    path("new/", cases.case_create, name="case_create"),
    path("<int:pk>/", cases.case_detail, name="case_detail"),
    path("<int:pk>/edit/", cases.case_edit, name="case_edit"),
    path("<int:pk>/status/", timeline.case_status_change, name="case_status_change"),
    path("<int:pk>/events/new/", timeline.case_event_create, name="case_event_create"),
    path("events/<int:pk>/edit/", timeline.case_event_edit, name="case_event_edit"),
    path("events/<int:pk>/remove/", timeline.case_event_remove_view, name="case_event_remove"),
    *archiving_paths(archiving=CASES, name="case"),
]
