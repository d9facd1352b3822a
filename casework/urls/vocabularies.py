from django.urls import path

from casework.views import vocabularies

urlpatterns = [
    path("", vocabularies.vocabulary_index, name="vocabulary_index"),
    path("<slug:slug>/", vocabularies.vocabulary_list, name="vocabulary_list"),
    path("<slug:slug>/new/", vocabularies.vocabulary_entry_add, name="vocabulary_entry_add"),
    path("<slug:slug>/<int:pk>/", vocabularies.vocabulary_entry_edit, name="vocabulary_entry_edit"),
    path(
        "<slug:slug>/<int:pk>/merge/",
        vocabularies.vocabulary_entry_merge,
        name="vocabulary_entry_merge",
    ),
    path(
        "<slug:slug>/<int:pk>/<slug:action>/",
        vocabularies.vocabulary_entry_action,
        name="vocabulary_entry_action",
    ),
]
