"""The account a request comes from is read with its membership in one query
(casework.request_user), and otherwise answers exactly as Django's get_user."""

import pytest
from django.contrib.auth import HASH_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY

from casework.visibility import user_membership
from tests.factories import UserFactory


def test_it_reads_the_membership_with_the_account(client_as_caseworker, caseworker):
    with CaptureQueriesContext(connection) as queries:
        response = client_as_caseworker.get("/no-such-page/")
    assert response.status_code == 404
    reads = [q["sql"] for q in queries if 'FROM "casework_membership"' in q["sql"]]
    assert reads == []
    # The layout names the organisation and the role: the membership was read.
    assert caseworker.membership.organisation.name in response.text


def test_an_account_without_a_membership_is_signed_in_and_sees_nothing(client, db):
    loner = UserFactory()
    client.force_login(loner)
    response = client.get("/cases/")
    assert response.status_code == 200
    assert response.wsgi_request.user == loner
    assert user_membership(response.wsgi_request.user) is None


def test_a_session_whose_hash_no_longer_matches_is_signed_out(client_as_caseworker):
    session = client_as_caseworker.session
    session[HASH_SESSION_KEY] = "not the account's"
    session.save()
    response = client_as_caseworker.get("/")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous


def test_a_deactivated_account_is_signed_out(client_as_caseworker, caseworker):
    caseworker.is_active = False
    caseworker.save()
    response = client_as_caseworker.get("/")
    assert response.status_code == 302
    assert response.wsgi_request.user.is_anonymous


def test_the_verified_device_of_the_session_is_read_and_bound_to_the_account(
    client_as_coordinator, coordinator
):
    response = client_as_coordinator.get("/")
    assert response.status_code == 200
    device = response.wsgi_request.user.otp_device
    assert device is not None
    assert device.user_id == coordinator.pk
    assert response.wsgi_request.user.is_verified()


@pytest.mark.parametrize(
    "persistent_id",
    ["otp_totp.totpdevice/987654321", "otp_totp.totpdevice/x", "casework.case/1", "nothing"],
)
def test_a_session_naming_no_device_of_the_account_is_not_verified(
    client_as_coordinator, persistent_id
):
    session = client_as_coordinator.session
    session[DEVICE_ID_SESSION_KEY] = persistent_id
    session.save()
    response = client_as_coordinator.get("/")
    # Signed in, but sent to verify a second factor again, and the id is forgotten.
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_verified()
    assert DEVICE_ID_SESSION_KEY not in client_as_coordinator.session


def test_another_accounts_device_does_not_verify_the_session(client_as_coordinator, admin_user):
    from casework.security import user_ensure_totp_device

    others, _url = user_ensure_totp_device(user=admin_user)
    session = client_as_coordinator.session
    session[DEVICE_ID_SESSION_KEY] = others.persistent_id
    session.save()
    response = client_as_coordinator.get("/")
    assert response.status_code == 302
    assert not response.wsgi_request.user.is_verified()
