from django.urls import path

from casework.views import archive, people

urlpatterns = [
    path("", people.person_list, name="person_list"),
    path("similar/", people.person_similar, name="person_similar"),
    path("<int:pk>/", people.person_detail, name="person_detail"),
    path("<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("<int:pk>/aliases/new/", people.person_alias_add, name="person_alias_add"),
    path("<int:pk>/archive/", archive.person_archive_view, name="person_archive"),
    path("<int:pk>/restore/", archive.person_restore_view, name="person_restore"),
]
