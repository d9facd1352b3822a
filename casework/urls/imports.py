from django.urls import path

from casework.views import imports

urlpatterns = [
    path("", imports.import_list, name="import_list"),
    path("new/", imports.import_start, name="import_start"),
    path("template.xlsx", imports.import_template_xlsx, name="import_template_xlsx"),
    path("<int:pk>/", imports.import_detail, name="import_detail"),
    path("<int:pk>/mapping/", imports.import_mapping, name="import_mapping"),
    path("<int:pk>/preview/", imports.import_preview, name="import_preview"),
    path("<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("<int:pk>/progress.json", imports.import_progress, name="import_progress"),
    path("<int:pk>/errors.csv", imports.import_errors_csv, name="import_errors_csv"),
    path("<int:pk>/errors.xlsx", imports.import_errors_xlsx, name="import_errors_xlsx"),
]
