"""The REST API's routes, under /api/v1/ (config/urls.py): one namespace for both apps'
routes (advocacy may not be imported by casework). Named by the URLconf rather than
imported, like config/urls_admin.py, so that reversing a page's name does not load Django
REST framework, drf-spectacular and the import serializers (casework.importing, openpyxl)."""

from advocacy.api.urls import urlpatterns as advocacy_api
from casework.api.urls import urlpatterns as casework_api

app_name = "api"
urlpatterns = casework_api + advocacy_api
