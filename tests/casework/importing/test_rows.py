"""How the rows' messages name the spreadsheet's columns (casework.importing.rows)."""

from __future__ import annotations

from django.utils import translation

from casework.importing.rows import column_names
from tests.support.catalogues import translations_given


def test_it_names_a_field_the_file_has_no_column_for_in_the_readers_language(monkeypatch):
    # "(no such column)" stayed English on the Russian and Kazakh pages, after the field's
    # translated label ("Дата освобождения (no such column)").
    translations_given(
        monkeypatch, "ru", {"%(field)s (no such column)": "%(field)s (нет такого столбца)"}
    )

    with translation.override("ru"):
        names = column_names(headers=["ФИО"], mapping={"0": "full_name"})

    assert names["full_name"] == "A (ФИО)"
    assert names["released_on"] == "Дата освобождения (нет такого столбца)"
