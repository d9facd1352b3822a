from django.urls import reverse


def test_it_says_so_on_the_sign_in_page_after_signing_out(client_as_caseworker):
    response = client_as_caseworker.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "You have signed out." in response.text
    assert client_as_caseworker.get("/cases/").status_code == 302


def test_it_says_nothing_to_a_visitor_who_was_not_signed_in(client, db):
    response = client.post(reverse("logout"), follow=True)
    assert "You have signed out." not in response.text


def test_it_says_so_in_the_readers_language(client_as_caseworker, monkeypatch):
    from tests.support.catalogues import every_marked_string_tagged

    every_marked_string_tagged(monkeypatch, "ru", "[ru] ")
    client_as_caseworker.cookies["django_language"] = "ru"
    response = client_as_caseworker.post(reverse("logout"), follow=True)
    assert "[ru] You have signed out." in response.text
