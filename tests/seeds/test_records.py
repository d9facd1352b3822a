"""seeds.records: the reader every seed record goes through names file, record and field."""

from __future__ import annotations

import datetime

import pytest

from seeds.records import Record, SeedError, text_normalise

TEXTS = {"001.txt": text_normalise("The resolution mentions\n  Almat Zhumagulov.")}


def record(data) -> Record:
    return Record(file="people.yaml", where="person 3 (Almat Zhumagulov)", data=data, texts=TEXTS)


def test_it_reads_a_date_written_as_text():
    assert record({"on": "2021-02-11"}).date("on") == datetime.date(2021, 2, 11)


def test_it_refuses_an_impossible_date_naming_file_record_and_field():
    with pytest.raises(SeedError) as refused:
        record({"on": "2021-02-31"}).date("on")

    assert str(refused.value) == (
        "people.yaml: person 3 (Almat Zhumagulov), field 'on': '2021-02-31' is not a date "
        "(YYYY-MM-DD)"
    )


def test_it_refuses_a_field_it_does_not_know():
    data = record({"full_name": "Almat Zhumagulov", "ful_name": "x"})
    data.text("full_name")

    with pytest.raises(SeedError, match="field 'ful_name': is not a field this file knows"):
        data.finish()
