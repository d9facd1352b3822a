from django.urls import path

from casework.views import dashboard

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
]
