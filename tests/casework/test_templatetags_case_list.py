"""The case list's tags write what Django's templates wrote, faster: the same elements,
attributes, ids, labels and aria-* attributes, every value escaped."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.html import parse_html

from casework.filters import CaseFilter
from casework.models import Affiliation, Status
from casework.templatetags.case_list import case_rows, filter_field, sort_th
from casework.views._listing import SortLink
from casework.views.cases import CaseListRow
from casework.visibility import cases_visible_to

HOSTILE = '"><script>alert(1)</script>&'


def _case_filter(user, params: dict | None) -> CaseFilter:
    request = RequestFactory().get("/cases/", params or {})
    request.user = user
    data = request.GET if params is not None else None
    filterset = CaseFilter(data, queryset=cases_visible_to(user), request=request)
    filterset.is_valid()
    return filterset


def _assert_same_html(ours: str, djangos: str) -> None:
    assert parse_html(ours) == parse_html(djangos), f"\n{ours}\n!=\n{djangos}"


@pytest.mark.parametrize(
    "params",
    [
        None,
        {},
        {
            "q": HOSTILE,
            "article": "174",
            "region": HOSTILE,
            "detained_from": "2010-01-01",
            "mentioned": "true",
            "overdue": "false",
            "document": "7",
            "charge": "3",
        },
        # Every kind of error: a choice not offered, a date that is none, a number that is none.
        {
            "affiliation": "999999",
            "caseworker": "x",
            "organisation": "-1",
            "detained_to": "31.02.2020",
            "overdue": "maybe",
            "document": "seven",
        },
    ],
    ids=["unbound", "empty", "values", "errors"],
)
def test_it_renders_every_filter_as_the_shared_field_template_does(caseworker, params):
    Affiliation.objects.create(name='Democratic Choice "DVK" <Kazakhstan>', short_name="")
    filterset = _case_filter(caseworker, params)
    checked = 0
    for field in filterset.form:
        if isinstance(field.field.widget, forms.CheckboxSelectMultiple):
            continue  # drawn as a list of checkboxes, below
        _assert_same_html(
            filter_field(field), render_to_string("casework/_field.html", {"field": field})
        )
        checked += 1
    assert checked == len(filterset.form.fields) - 2


class _EveryWidgetForm(forms.Form):
    """What the case list does not use yet: required fields, initial values, option groups."""

    name = forms.CharField(initial="Almat <Z>", help_text="As in the passport")
    count = forms.IntegerField(required=True, widget=forms.NumberInput(attrs={"min": 0}))
    email = forms.EmailField(required=False, disabled=True, initial="a@example.org")
    grouped = forms.ChoiceField(
        choices=[("Detained", [("pre", "Pre-trial"), ("jail", "Imprisoned")]), ("free", "Free")],
        initial="jail",
    )
    notes = forms.CharField(widget=forms.Textarea, required=False)
    agreed = forms.BooleanField(required=False, label="agreed to the terms")


@pytest.mark.parametrize("data", [None, {"count": "x", "grouped": "nope", "name": ""}])
def test_it_renders_other_widgets_as_django_does(data):
    form = _EveryWidgetForm(data)
    form.full_clean()  # validates a bound form; an unbound one has nothing to check
    for field in form:
        _assert_same_html(
            filter_field(field), render_to_string("casework/_field.html", {"field": field})
        )


def test_it_lists_every_choice_as_a_labelled_checkbox_and_ticks_the_chosen(caseworker):
    filterset = _case_filter(caseworker, {"status": ["imprisoned", "on_trial", "bogus"]})
    rendered = filter_field(filterset.form["status"])
    assert rendered.startswith('<fieldset class="field"><legend>Status</legend>')
    assert rendered.count('type="checkbox" name="status"') == len(Status)
    assert 'value="imprisoned" id="id_status_4" checked> <label for="id_status_4">Imprisoned' in (
        rendered
    )
    assert 'value="on_trial" id="id_status_3" checked>' in rendered
    assert 'value="released" id="id_status_7">' in rendered
    # The value not offered is reported beside the boxes.
    assert '<ul class="errorlist"><li>Select a valid choice. bogus is' in rendered


def test_it_escapes_what_the_user_typed_in_the_name_box(caseworker):
    rendered = filter_field(_case_filter(caseworker, {"q": HOSTILE}).form["q"])
    assert "<script>" not in rendered
    assert 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;"' in rendered


def _row(**values) -> CaseListRow:
    return CaseListRow(
        **{
            "url": "/cases/1/",
            "reference": "KZ-1",
            "status": "imprisoned",
            "status_label": "Imprisoned",
            "restricted": False,
            "status_since": "1\u00a0Feb 2024",
            "charges": "art. 405(2)",
            "detained_on": "—",
            "person_url": "/people/1/",
            "person_name": "Almat Zhumagulov",
            "native_name": "",
            "region": "Almaty",
            "organisation": "Host",
            **values,
        }
    )


def test_it_writes_one_row_per_case_with_every_value_escaped():
    rendered = case_rows(
        [
            _row(person_name=HOSTILE, native_name="Алмат <b>", restricted=True),
            _row(reference="KZ-2"),
        ]
    )
    assert rendered.count("<tr>") == 2
    assert "<script>" not in rendered and "<b>" not in rendered
    assert (
        '<a href="/people/1/">&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;</a>'
        '<br><span class="muted small" lang="ru">Алмат &lt;b&gt;</span>'
    ) in rendered
    first, second = rendered.split("</tr>")[:2]
    assert '<span class="badge badge--restricted">restricted</span>' in first
    assert "restricted</span>" not in second
    # A person without a name in another script gets no empty line for it.
    assert 'lang="ru"' not in second
    assert '<span class="show-on-phone small muted">since 1\u00a0Feb 2024</span>' in second


def test_it_tells_screen_readers_which_way_a_column_is_sorted():
    sorted_th = sort_th(SortLink(query="sort=-name&q=a", direction="ascending"), "Person")
    assert parse_html(sorted_th) == parse_html(
        '<th scope="col" aria-sort="ascending"><a href="?sort=-name&amp;q=a">Person'
        ' <span class="sort-indicator" aria-hidden="true">▲</span></a></th>'
    )
    other = sort_th(SortLink(query="sort=region", direction=""), "Region", "hide-on-phone")
    assert parse_html(other) == parse_html(
        '<th scope="col" class="hide-on-phone"><a href="?sort=region">Region</a></th>'
    )
