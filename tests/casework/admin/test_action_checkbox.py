"""The changelist's action checkbox (casework.admin.base.ActionCheckboxMixin) is the HTML
Django's own ModelAdmin.action_checkbox renders, in every language."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.utils import translation

from casework.admin.base import ActionCheckboxMixin, HistoryAdmin
from casework.models import Person
from tests.factories import PersonFactory


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
@pytest.mark.parametrize(
    "name", ["Test Person", 'Quote " and <b>tag</b> & amp', "Жанбота Бекенова's"]
)
def test_it_writes_the_checkbox_django_writes(db, language, name):
    person = PersonFactory(full_name=name)
    ours = admin.site._registry[Person]
    assert isinstance(ours, ActionCheckboxMixin) and isinstance(ours, HistoryAdmin)
    with translation.override(language):
        expected = admin.ModelAdmin.action_checkbox(ours, person)
        assert ours.action_checkbox(person) == expected
        assert str(ours.action_checkbox(person)) == str(expected)
