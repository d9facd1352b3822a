from django.urls import path

from casework.views import followups

urlpatterns = [
    path("", followups.followup_list, name="followup_list"),
    path("new/", followups.followup_create, name="followup_create"),
    path("<int:pk>/edit/", followups.followup_edit, name="followup_edit"),
    path("<int:pk>/done/", followups.followup_complete, name="followup_complete"),
    path("<int:pk>/cancel/", followups.followup_cancel, name="followup_cancel"),
    path("<int:pk>/reassign/", followups.followup_reassign, name="followup_reassign"),
    path("failures/", followups.reminder_failures, name="reminder_failures"),
    path("preferences/", followups.account_preferences, name="account_preferences"),
]
