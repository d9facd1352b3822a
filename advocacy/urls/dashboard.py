from django.urls import path

from advocacy.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
