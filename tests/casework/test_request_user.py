"""The account a request comes from is read with its membership in one query
(casework.request_user), and otherwise answers exactly as Django's get_user."""

from django.contrib.auth import HASH_SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext

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
