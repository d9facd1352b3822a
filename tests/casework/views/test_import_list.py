"""The import history (/imports/): the user's organisation's runs, newest first, 200 a
page, paged like every list."""

from __future__ import annotations

from casework.models import ImportRun


def test_it_lists_the_newest_runs_first_and_pages_the_rest(client_as_partner, partner_user):
    ImportRun.objects.bulk_create(
        ImportRun(
            organisation=partner_user.membership.organisation,
            user=partner_user,
            file_name=f"file-{number:03d}.csv",
            file_sha256="a" * 64,
        )
        for number in range(205)
    )
    first = client_as_partner.get("/imports/").text
    assert "file-204.csv" in first and "file-004.csv" not in first
    assert 'href="?page=2" rel="next"' in first
    second = client_as_partner.get("/imports/", {"page": 2}).text
    assert "file-004.csv" in second and "file-204.csv" not in second
    assert 'rel="next"' not in second
