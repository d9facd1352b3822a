from django.urls import path

from casework.urls.archiving import archiving_paths
from casework.views import people, timeline
from casework.views.archive import PEOPLE

urlpatterns = [
    path("", people.person_list, name="person_list"),
    path("similar/", people.person_similar, name="person_similar"),
    path("<int:pk>/", people.person_detail, name="person_detail"),
    path("<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("<int:pk>/aliases/new/", people.person_alias_add, name="person_alias_add"),
    *archiving_paths(archiving=PEOPLE, name="person"),
    path(
        "conflicts/<int:pk>/record/",
        timeline.status_conflict_record_view,
        name="status_conflict_record",
    ),
    path(
        "conflicts/<int:pk>/dismiss/",
        timeline.status_conflict_dismiss_view,
        name="status_conflict_dismiss",
    ),
]
