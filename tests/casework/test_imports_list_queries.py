"""The imports list, like every list page, runs the same bounded number of queries
whatever the number of runs (issue 3)."""

import pytest

from casework.models import ImportRun


@pytest.mark.parametrize("number", [5, 500])
def test_it_lists_import_runs_in_a_bounded_number_of_queries(
    client_as_caseworker, caseworker, host, number, django_assert_max_num_queries
):
    ImportRun.objects.bulk_create(
        [
            ImportRun(
                organisation=host,
                user=caseworker,
                file_name=f"partner-{index}.xlsx",
                file_sha256=f"{index:064d}",
                state=ImportRun.State.DONE,
            )
            for index in range(number)
        ]
    )
    client_as_caseworker.get("/imports/")  # the session row exists from now on
    with django_assert_max_num_queries(12):
        response = client_as_caseworker.get("/imports/")
    assert response.status_code == 200
    # Each run's file name is written once, with the whole name in the cell's title.
    assert response.text.count('title="partner-') == min(number, 200)
