"""Sign-in, second factor, sessions and headers (casework.security, casework.views.accounts)."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Case, Role
from casework.security import (
    client_ip_address,
    user_ensure_totp_device,
    user_replace_backup_codes,
    user_requires_second_factor,
)
from tests.factories import CaseFactory, member

LOGIN = "/accounts/login/"
VERIFY = "/accounts/two-factor/verify/"
SETUP = "/accounts/two-factor/set-up/"


def _sign_in(client, username: str, password: str, **extra):
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


def _current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Sign-in is the subject here, so the tests hash many passwords; the production hasher
    # is slow by design, and its strength is not what these tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def verified_coordinator(coordinator):
    device, _url = user_ensure_totp_device(user=coordinator)
    return coordinator, device


# --- Sign-in throttling --------------------------------------------------------------


def test_it_locks_an_account_out_after_repeated_failed_sign_ins(
    client, caseworker, password, settings
):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = _sign_in(client, "caseworker", "wrong password, attempt")
        assert response.status_code in (200, 429)
    response = _sign_in(client, "caseworker", password)
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text
    assert "_auth_user_id" not in client.session


def test_it_does_not_let_a_spoofed_forwarded_for_header_get_around_the_lockout(
    client, caseworker, password, settings
):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "caseworker", "wrong", HTTP_X_FORWARDED_FOR=f"203.0.113.{attempt}")
    response = _sign_in(client, "caseworker", password, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_it_takes_the_address_from_the_trusted_proxy_only_when_one_is_configured(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote "6.6.6.6" itself; the proxy appended the address it really saw.
    assert client_ip_address(request) == "203.0.113.9"


def test_it_gives_the_same_answer_for_an_unknown_user_and_a_wrong_password(client, caseworker):
    unknown = _sign_in(client, "nobody-by-this-name", "some password 123")
    wrong = _sign_in(client, "caseworker", "some password 123")
    assert unknown.status_code == wrong.status_code == 200
    assert "correct username and password" in wrong.text
    unknown_html = _without_csrf(unknown.text).replace("nobody-by-this-name", "USERNAME")
    wrong_html = _without_csrf(wrong.text).replace('value="caseworker"', 'value="USERNAME"')
    assert unknown_html == wrong_html


# --- Second factor -------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_it_requires_a_second_factor_of_coordinators_and_admins(host, role):
    user = member(organisation=host, role=role)
    assert user_requires_second_factor(user)


def test_it_requires_a_second_factor_of_staff_even_as_a_caseworker(host):
    user = member(organisation=host, role=Role.CASEWORKER, is_staff=True)
    assert user_requires_second_factor(user)
    assert not user_requires_second_factor(member(organisation=host, role=Role.CASEWORKER))


def test_it_asks_a_caseworker_who_set_up_an_app_for_its_code_too(client, caseworker, password):
    device, _url = user_ensure_totp_device(user=caseworker)
    _sign_in(client, "caseworker", password)
    assert client.get("/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": _current_code(device)})
    assert client.get("/").status_code == 200


def test_it_does_not_ask_a_caseworker_without_an_app_for_a_code(client, caseworker, password):
    _sign_in(client, "caseworker", password)
    assert client.get("/").status_code == 200


def test_it_sends_a_coordinator_without_a_device_to_set_up_from_every_page_and_the_admin(
    client, coordinator
):
    client.force_login(coordinator)
    for path in ("/", "/cases/", "/admin/", "/admin/casework/case/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith(SETUP), path


def test_it_sends_a_coordinator_with_a_device_to_the_verify_step(client, verified_coordinator):
    coordinator, _device = verified_coordinator
    client.force_login(coordinator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    # Setting up a second phone needs a verified session, or a stolen password would do.
    assert client.get(SETUP)["Location"].startswith(VERIFY)


def test_it_signs_a_coordinator_in_with_password_then_code(client, verified_coordinator, password):
    _coordinator, device = verified_coordinator
    response = _sign_in(client, "coordinator", password)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response["Location"].startswith(VERIFY)
    response = client.post(VERIFY, {"code": _current_code(device), "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_lets_a_verified_admin_into_the_admin_site_only_after_the_code(
    client, admin_user, password
):
    device, _url = user_ensure_totp_device(user=admin_user)
    _sign_in(client, "admin", password)
    assert client.get("/admin/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": _current_code(device)})
    assert client.get("/admin/").status_code == 200


def _a_few_seconds_later():
    # A refused code throttles the device for a second or two (django-otp), on purpose.
    return time_machine.travel(timezone.now() + datetime.timedelta(seconds=5), tick=False)


def test_it_refuses_an_otp_code_the_second_time(client, verified_coordinator, password):
    _coordinator, device = verified_coordinator
    code = _current_code(device)
    _sign_in(client, "coordinator", password)
    assert client.post(VERIFY, {"code": code})["Location"] == "/"
    client.post(reverse("logout"))

    _sign_in(client, "coordinator", password)
    response = client.post(VERIFY, {"code": code})
    assert response.status_code == 200
    assert "was not accepted" in response.text
    assert client.get("/")["Location"].startswith(VERIFY)


def test_it_accepts_a_backup_code_once(client, verified_coordinator, password):
    coordinator, _device = verified_coordinator
    codes = user_replace_backup_codes(user=coordinator)
    _sign_in(client, "coordinator", password)
    assert client.post(VERIFY, {"code": codes[0]})["Location"] == "/"
    client.post(reverse("logout"))
    _sign_in(client, "coordinator", password)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 200
    with _a_few_seconds_later():
        assert client.post(VERIFY, {"code": codes[1]})["Location"] == "/"


def test_it_tells_whoever_signs_in_with_a_backup_code_how_many_are_left(
    client, verified_coordinator, password
):
    """A coordinator who lost their phone signs in with a backup code: they must learn,
    before the last one is spent, that they should set up their new phone."""
    coordinator, _device = verified_coordinator
    codes = user_replace_backup_codes(user=coordinator)
    _sign_in(client, "coordinator", password)
    response = client.post(VERIFY, {"code": codes[0]}, follow=True)
    text = " ".join(str(message) for message in response.context["messages"])
    assert f"backup code; {len(codes) - 1} are left" in text
    assert "Two-factor sign-in" in text
    settings_page = client.get(reverse("two_factor_settings")).text
    assert f"You have {len(codes) - 1} unused backup codes." in settings_page


def test_it_tells_whoever_forgot_their_password_who_can_help(client):
    """There is no reset by e-mail (an NGO's mailbox is the likeliest to be taken over): the
    sign-in page says whom to ask, rather than leaving the user to guess."""
    page = client.get(LOGIN).text
    assert "Forgot your password? Ask an administrator of Advocase" in page


def test_it_says_why_a_page_asks_to_sign_in_again(client, caseworker, settings):
    """A caseworker away for half an hour comes back to the sign-in page: it says sessions
    end after 30 minutes without activity (12 hours at most), not nothing."""
    settings.SESSION_COOKIE_AGE = 30 * 60
    settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS = 12 * 3600
    page = client.get("/cases/", follow=True).text
    assert "signs you out after 30 minutes without activity, and 12 hours after" in page
    assert "without activity" not in client.get(LOGIN).text


def test_it_tells_whoever_lost_phone_and_backup_codes_who_can_help(
    client, verified_coordinator, password
):
    _sign_in(client, "coordinator", password)
    page = client.get(VERIFY).text
    assert "Ask an administrator of Advocase to remove your lost authenticator app" in page


def test_it_sets_up_an_authenticator_and_shows_backup_codes_once(client, coordinator, password):
    _sign_in(client, "coordinator", password)
    page = client.get(SETUP)
    assert page.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in page.text
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    response = client.post(SETUP, {"code": _current_code(device)})
    assert response.status_code == 200
    assert "only time these codes are shown" in response.text
    assert TOTPDevice.objects.filter(user=coordinator, confirmed=True).count() == 1
    assert client.get("/").status_code == 200


def test_it_keeps_the_password_of_whoever_replaces_their_own_authenticator(
    client, verified_coordinator, password
):
    coordinator, old_device = verified_coordinator
    _sign_in(client, "coordinator", password)
    client.post(VERIFY, {"code": _current_code(old_device)})
    client.get(SETUP)
    new_device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    client.post(SETUP, {"code": _current_code(new_device)})
    assert list(TOTPDevice.objects.filter(user=coordinator)) == [new_device]
    coordinator.refresh_from_db()
    assert coordinator.has_usable_password()


def test_it_replaces_the_password_whichever_path_removes_the_last_device(
    verified_coordinator, password
):
    coordinator, device = verified_coordinator
    device.delete()  # a shell, say: not only the admin
    coordinator.refresh_from_db()
    assert not coordinator.has_usable_password()


# --- Sessions ------------------------------------------------------------------------


def test_it_ends_a_session_after_the_idle_timeout(client, caseworker, password, settings):
    with time_machine.travel(
        datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False
    ) as clock:
        _sign_in(client, "caseworker", password)
        assert client.get("/").status_code == 200
        clock.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60))
        assert client.get("/").status_code == 200  # activity renews the idle clock
        clock.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


def test_it_ends_a_session_after_the_absolute_timeout_however_active(
    client, caseworker, password, settings
):
    settings.SESSION_ABSOLUTE_TIMEOUT_SECONDS = 2 * 3600
    with time_machine.travel(
        datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.UTC), tick=False
    ) as clock:
        _sign_in(client, "caseworker", password)
        for _step in range(6):  # every 20 minutes for two hours
            assert client.get("/").status_code == 200
            clock.shift(datetime.timedelta(minutes=20))
        clock.shift(datetime.timedelta(minutes=1))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        assert client.get("/").status_code == 302


def test_it_invalidates_the_server_session_on_sign_out(client, caseworker, password):
    _sign_in(client, "caseworker", password)
    session_key = client.session.session_key
    assert Session.objects.filter(session_key=session_key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=session_key).exists()
    # Replaying the old cookie gets nothing.
    client.cookies["sessionid"] = session_key
    assert client.get("/").status_code == 302


# --- Headers -------------------------------------------------------------------------


def _case_page(client, case: Case):
    return client.get(reverse("case_detail", args=[case.pk]))


def test_it_sends_the_security_headers_on_a_case_page(client_as_caseworker):
    response = _case_page(client_as_caseworker, CaseFactory())
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]


def test_it_sends_the_security_headers_on_the_sign_in_page_too(client, db):
    response = client.get(LOGIN)
    assert "Content-Security-Policy" in response
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", [LOGIN, "/static/js/htmx.min.js", "/no-such-page/"])
def test_every_response_denies_the_browser_features_the_app_never_uses(client, db, path):
    policy = client.get(path)["Permissions-Policy"]
    denied = dict(item.strip().split("=", 1) for item in policy.split(","))
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "clipboard-read"):
        assert denied[feature] == "()", feature
    assert set(denied.values()) == {"()"}


def test_a_signed_in_page_denies_them_too(client_as_caseworker):
    response = _case_page(client_as_caseworker, CaseFactory())
    assert "camera=()" in response["Permissions-Policy"]


# --- Logs ----------------------------------------------------------------------------


def test_it_keeps_passwords_and_codes_out_of_the_logs(
    client, verified_coordinator, password, caplog
):
    _coordinator, device = verified_coordinator
    wrong_password = "Wrong-Secret-Passphrase-991"
    with caplog.at_level(logging.DEBUG):
        _sign_in(client, "coordinator", wrong_password)
        _sign_in(client, "coordinator", password)
        wrong_code = "000000" if _current_code(device) != "000000" else "111111"
        client.post(VERIFY, {"code": wrong_code})
        with _a_few_seconds_later():
            code = _current_code(device)
            client.post(VERIFY, {"code": code})
            assert client.get("/").status_code == 200
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.__dict__!r}" for record in caplog.records
    )
    assert caplog.records, "expected the sign-in path to log something"
    assert wrong_password not in logged
    assert password not in logged
    assert code not in logged


@pytest.mark.parametrize(
    "candidate",
    ["short-Pass1", "password1234", "123456789012345"],
    ids=["too-short", "common", "all-digits"],
)
def test_it_refuses_weak_passwords(candidate, caseworker):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password(candidate, user=caseworker)


@pytest.mark.parametrize(
    "candidate",
    ["caseworkercaseworker1", "CaseWorker-2024-spring", "my-name-is-aigul-nurlanova"],
    ids=["username-twice-and-a-digit", "username-inside", "first-name-inside"],
)
def test_it_refuses_a_password_that_contains_the_users_name(candidate, caseworker):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    caseworker.first_name, caseworker.last_name = "Aigul", "Nurlanova"
    with pytest.raises(ValidationError):
        validate_password(candidate, user=caseworker)


def test_the_password_change_page_refuses_the_username_twice_plus_a_digit(
    client_as_caseworker, caseworker, password
):
    response = client_as_caseworker.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "caseworkercaseworker1",
            "new_password2": "caseworkercaseworker1",
        },
    )
    assert response.status_code == 200
    assert "contains your username" in response.text
    caseworker.refresh_from_db()
    assert caseworker.check_password(password)


def test_it_accepts_a_long_uncommon_password(caseworker):
    from django.contrib.auth.password_validation import validate_password

    validate_password("amber-tundra-lantern-oxbow", user=caseworker)


def test_it_tells_a_signed_in_caseworker_the_admin_is_not_for_them_instead_of_looping(
    client_as_caseworker,
):
    response = client_as_caseworker.get("/admin/", follow=True)
    assert response.status_code == 403
    assert len(response.redirect_chain) == 1  # /admin/ -> /admin/login/, then the answer
    assert "administrators only" in response.text


def test_it_sends_a_visitor_from_the_admin_to_the_apps_sign_in(client, db):
    response = client.get("/admin/")
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/"


def test_the_verify_step_shows_a_wrong_code_as_an_alert_without_navigation(
    client, verified_coordinator
):
    coordinator, _device = verified_coordinator
    client.force_login(coordinator)
    page = client.get(VERIFY).text
    assert 'aria-label="Main"' not in page  # every link would lead back here
    assert 'href="/cases/"' not in page
    response = client.post(VERIFY, {"code": "000000", "next": "/"})
    assert response.status_code == 200
    assert 'class="form-error"' in response.text
    assert 'role="alert"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Sign out" in response.text


def test_the_setup_step_before_a_second_factor_has_no_navigation(client, coordinator):
    client.force_login(coordinator)
    page = client.get(SETUP).text
    assert 'aria-label="Main"' not in page


def test_it_refuses_a_wrong_code_in_the_readers_language(
    client, verified_coordinator, password, monkeypatch
):
    from casework.models import Membership
    from tests.support.catalogues import every_marked_string_tagged

    coordinator, _device = verified_coordinator
    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=coordinator).update(language="ru")
    _sign_in(client, "coordinator", password)
    response = client.post(VERIFY, {"code": "not-a-code"})
    assert response.status_code == 200
    assert "[ru] That code was not accepted." in response.text


def test_it_refuses_a_wrong_set_up_code_in_the_readers_language(
    client, coordinator, password, monkeypatch
):
    from casework.models import Membership
    from tests.support.catalogues import every_marked_string_tagged

    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    Membership.objects.filter(user=coordinator).update(language="ru")
    _sign_in(client, "coordinator", password)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    wrong = f"{(int(_current_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 200
    assert "[ru] That code did not match." in response.text
