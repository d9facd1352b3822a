"""Which column means which field, as the columns page sets it (casework.importing.mapping)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from casework.models import ImportRun, Person


def test_a_name_under_a_header_merged_across_its_columns_is_read_whole_once_mapped(
    client_as_partner,
):
    # "ФИО" merged across the surname, given name and patronymic columns leaves the last two
    # without a header: mapping them to the name was refused ("Columns A and B both mean
    # Full name"), so the partner could only import "Иванов" as the person's whole name.
    data = "ФИО;;;Статус\nИванов;Иван;Иванович;осужден\n".encode()
    client_as_partner.post("/imports/new/", {"file": SimpleUploadedFile("cases.csv", data)})
    run = ImportRun.objects.get()

    client_as_partner.post(
        f"/imports/{run.pk}/mapping/",
        {
            "column_0": "full_name",
            "column_1": "full_name",
            "column_2": "full_name",
            "column_3": "status",
        },
    )
    client_as_partner.get(f"/imports/{run.pk}/preview/")
    client_as_partner.post(f"/imports/{run.pk}/confirm/")

    assert Person.objects.get().native_name == "Иванов Иван Иванович"
