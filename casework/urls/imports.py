from django.urls import path

from casework.views import imports

urlpatterns = [
    path("", imports.import_list, name="import_list"),
    path("new/", imports.import_start, name="import_start"),
    path("template.xlsx", imports.import_template_xlsx, name="import_template_xlsx"),
    path("status-words/", imports.status_words_list, name="status_words_list"),
    path("status-words/<int:pk>/", imports.status_word_edit, name="status_word_edit"),
    path("<int:pk>/", imports.import_detail, name="import_detail"),
    path("<int:pk>/mapping/", imports.import_mapping, name="import_mapping"),
    path("<int:pk>/preview/", imports.import_preview, name="import_preview"),
    path("<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path(
        "<int:pk>/status-words/",
        imports.import_status_words_choose,
        name="import_status_words_choose",
    ),
    path("<int:pk>/date-order/", imports.import_date_order, name="import_date_order"),
    path("<int:pk>/rows-to-fix.xlsx", imports.import_rows_to_fix_xlsx, name="import_rows_to_fix"),
    path("<int:pk>/progress.json", imports.import_progress, name="import_progress"),
    path("<int:pk>/errors.csv", imports.import_errors_csv, name="import_errors_csv"),
    path("<int:pk>/errors.xlsx", imports.import_errors_xlsx, name="import_errors_xlsx"),
]
