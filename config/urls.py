from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("casework.urls.accounts")),
    path("", include("casework.urls.cases")),
    path("tasks/", include("casework.urls.followups")),
    path("imports/", include("casework.urls.imports")),
    path("documents/", include("advocacy.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "casework.views.errors.permission_denied"
handler404 = "casework.views.errors.page_not_found"
handler500 = "casework.views.errors.server_error"
