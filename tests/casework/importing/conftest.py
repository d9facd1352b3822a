"""The people the realistic partner files name (tests/casework/import_files/expected.json),
and the uploads storage of each test: with STORAGE_URL set (CI runs these tests once against
an S3-compatible server), a prefix of the bucket of its own, which a worker the test starts
uses too."""

from __future__ import annotations

import pytest
from django.core.files.storage import storages

from casework.models import Confidentiality
from config.env import storages_from_url
from tests.factories import CaseFactory, PersonFactory
from tests.support.object_storage import bucket_ready, url_with_own_prefix

_buckets_ready: set[str] = set()


@pytest.fixture(autouse=True)
def _own_uploads_storage(settings, monkeypatch):
    if not settings.STORAGE_URL:
        return
    if settings.STORAGE_URL not in _buckets_ready:
        bucket_ready(settings.STORAGE_URL)
        _buckets_ready.add(settings.STORAGE_URL)
    url = url_with_own_prefix(settings.STORAGE_URL)
    monkeypatch.setenv("STORAGE_URL", url)  # for a worker the test starts
    # One client per test process (making one costs most of a second): only its prefix
    # changes from test to test.
    location = storages_from_url(url)["uploads"]["OPTIONS"]["location"]
    monkeypatch.setattr(storages["uploads"], "location", location)


@pytest.fixture
def zhumagulov(host):
    person = PersonFactory(full_name="Almat Zhumagulov", birth_year=1985, owning_organisation=host)
    CaseFactory(person=person, owning_organisation=host, confidentiality=Confidentiality.PUBLIC)
    return person


@pytest.fixture
def tokayeva(partner_organisation):
    return PersonFactory(
        full_name="Dana Tokayeva", birth_year=1992, owning_organisation=partner_organisation
    )
