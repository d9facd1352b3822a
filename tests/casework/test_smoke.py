from casework.visibility import cases_visible_to
from tests.factories import CaseFactory


def test_it_shows_the_sign_in_page(client, db):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Sign in" in response.text


def test_it_shows_an_internal_host_case_to_a_host_caseworker(caseworker):
    case = CaseFactory()
    assert list(cases_visible_to(caseworker)) == [case]
