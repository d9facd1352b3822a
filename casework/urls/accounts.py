from django.contrib.auth import views as auth_views
from django.urls import path

from casework.views import accounts, api_tokens
from casework.views.signout import SignOutView

urlpatterns = [
    path("accounts/login/", accounts.LoginView.as_view(), name="login"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/two-factor/", accounts.two_factor_settings, name="two_factor_settings"),
    path("accounts/two-factor/set-up/", accounts.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", accounts.two_factor_verify, name="two_factor_verify"),
    path(
        "accounts/two-factor/backup-codes/",
        accounts.backup_codes_replace,
        name="backup_codes_replace",
    ),
    path("accounts/api-tokens/", api_tokens.api_tokens, name="api_tokens"),
    path(
        "accounts/api-tokens/<int:pk>/revoke/",
        api_tokens.api_token_revoke_view,
        name="api_token_revoke",
    ),
]
