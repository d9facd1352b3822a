from django.urls import path

from casework.views import notifications

urlpatterns = [
    path("", notifications.notification_list, name="notification_list"),
    path("<int:pk>/read/", notifications.notification_mark_read, name="notification_mark_read"),
    path("read-all/", notifications.notification_mark_all_read, name="notification_mark_all_read"),
]
