"""The case list's markup, written in Python.

The case list is the page caseworkers open most, and it is drawn on every keystroke in the
name box. Through Django's templates its filter form cost one template per widget and
one more per option, and its table about ten variable lookups per cell; together they
were most of the page's time (bench_case_list). These tags write the same HTML those
templates wrote: the same elements, attributes, ids, labels and aria-* attributes, escaped
the same way (tests/casework/test_templatetags_case_list.py holds them to Django's own
rendering).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from typing import Any

from django import template
from django.forms import BoundField, CheckboxSelectMultiple, Widget
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def _markup(html_text: str) -> SafeString:
    """Marks HTML written in this module as safe. Every value interpolated into it has
    gone through _escape (or is a constant): the one place this module trusts a string."""
    return mark_safe(html_text)  # noqa: S308 - built only from escaped values and constants


def _escape(value: Any) -> str:
    """conditional_escape, with a short way for plain strings (most of what is written
    here): Django's escape() checks every argument for a lazy string first."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


# Widget templates whose output is <input type=... name=... value=... attrs>: Django's own
# text.html, search.html, date.html, hidden.html, ... are each one include of input.html.
_INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("input", "text", "search", "date", "hidden", "number", "email", "url")
)
_SELECT_TEMPLATE = "django/forms/widgets/select.html"
_OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


def _attributes(attrs: Mapping[str, Any]) -> str:
    """As django/forms/widgets/attrs.html: False leaves the attribute out, True writes
    its name alone, anything else name="value"."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def _widget_html(field: BoundField) -> str:
    """The field's widget, as BoundField.as_widget renders it, without the template engine
    for inputs and selects; any other widget is left to Django."""
    widget = field.field.widget
    if type(widget).render is not Widget.render or (
        widget.template_name not in _INPUT_TEMPLATES
        and (
            widget.template_name != _SELECT_TEMPLATE
            or widget.option_template_name != _OPTION_TEMPLATE
        )
    ):
        # A widget with a render() of its own (django-filter's CSV widget for the sort
        # order joins a list) or another template: Django draws it.
        return str(field)
    if field.field.localize:
        widget.is_localized = True
    # The same attributes as_widget gives the widget: required, disabled, aria-invalid,
    # aria-describedby (help text, errors) and the id.
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
    name = _escape(context["name"])
    if widget.template_name in _INPUT_TEMPLATES:
        value = context["value"]
        value = "" if value is None else f' value="{_escape(value)}"'
        return (
            f'<input type="{_escape(context["type"])}" name="{name}"'
            f"{value}{_attributes(context['attrs'])}>"
        )
    parts = [f'<select name="{name}"{_attributes(context["attrs"])}>']
    for group_name, options, _index in context["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_escape(group_name)}">')
        parts.extend(
            f'\n  <option value="{_escape(option["value"])}"'
            f"{_attributes(option['attrs'])}>{_escape(option['label'])}</option>"
            for option in options
        )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def _errors_html(field: BoundField, *, with_id: bool) -> str:
    errors = field.errors
    if not errors:
        return ""
    identifier = f' id="{_escape(field.auto_id)}_error"' if with_id else ""
    items = "".join(f"<li>{_escape(error)}</li>" for error in errors)
    return f'<ul class="errorlist"{identifier}>{items}</ul>'


def _checkbox_list_html(field: BoundField) -> str:
    """Several choices as a fieldset of labelled checkboxes, one list item each."""
    chosen = field.value() or ()
    name, auto_id = _escape(field.html_name), _escape(field.auto_id)
    items = "".join(
        f'\n<li><input type="checkbox" name="{name}" value="{_escape(value)}"'
        f' id="{auto_id}_{index}"{" checked" if value in chosen else ""}>'
        f' <label for="{auto_id}_{index}">{_escape(label)}</label></li>'
        for index, (value, label) in enumerate(field.field.choices)
    )
    return (
        f'<fieldset class="field"><legend>{_escape(field.label)}</legend>\n'
        f'<ul class="checkbox-list">{items}\n</ul>\n'
        f"{_errors_html(field, with_id=False)}\n</fieldset>"
    )


@register.simple_tag
def filter_field(field: BoundField) -> SafeString:
    """One filter: its label, its widget, its help text and its errors, each tied to the
    widget by for/id and aria-describedby. Several choices become a list of checkboxes."""
    if field.is_hidden:
        return _markup(_widget_html(field))
    if isinstance(field.field.widget, CheckboxSelectMultiple):
        return _markup(_checkbox_list_html(field))
    if field.widget_type in ("checkbox", "radioselect"):
        # Laid out differently (label after the box, a fieldset): the shared template.
        return render_to_string("casework/_field.html", {"field": field})
    required = ' class="required"' if field.field.required else ""
    help_text = (
        f'<span class="helptext" id="{_escape(field.auto_id)}_helptext">'
        f"{_escape(field.help_text)}</span>"
        if field.help_text
        else ""
    )
    return _markup(
        f'<div class="field">\n'
        f'  <label for="{_escape(field.id_for_label)}"{required}>'
        f"{_escape(field.label)}</label>{_widget_html(field)}\n"
        f"  {help_text}\n"
        f"  {_errors_html(field, with_id=True)}\n"
        f"</div>"
    )


_SORT_INDICATORS = {
    "ascending": ' <span class="sort-indicator" aria-hidden="true">▲</span>',
    "descending": ' <span class="sort-indicator" aria-hidden="true">▼</span>',
}


@register.simple_tag
def sort_th(link, label: str, css_class: str = "") -> SafeString:
    """A column heading that sorts the list by it; aria-sort says how it is sorted now."""
    direction = link.direction
    return _markup(
        '<th scope="col"'
        + (f' class="{_escape(css_class)}"' if css_class else "")
        + (f' aria-sort="{_escape(direction)}"' if direction else "")
        + f'><a href="?{_escape(link.query)}">{_escape(label)}'
        + _SORT_INDICATORS.get(direction, "")
        + "</a></th>"
    )


@register.simple_tag
def case_rows(rows: Iterable) -> SafeString:
    """The table body's rows (casework.views.cases.CaseListRow), one string per row."""
    escape = _escape
    lines = []
    # Translated once per call, not once per row.
    restricted_word = escape(gettext("restricted"))
    since_words, since_unknown = (
        gettext("since %(since)s"),
        escape(gettext("since an unknown date")),
    )
    for row in rows:
        native = (
            f'<br><span class="muted small" lang="ru">{escape(row.native_name)}</span>'
            if row.native_name
            else ""
        )
        restricted = (
            f' <span class="badge badge--restricted">{restricted_word}</span>'
            if row.restricted
            else ""
        )
        since = escape(row.status_since)
        phone_since = (
            escape(since_words % {"since": row.status_since})
            if row.status_since != "—"
            else since_unknown
        )
        organisation = escape(row.organisation)
        lines.append(
            "<tr>\n"
            f'  <td class="nowrap"><a href="{escape(row.url)}">{escape(row.reference)}</a></td>\n'
            f'  <td><a href="{escape(row.person_url)}">{escape(row.person_name)}</a>{native}</td>\n'
            f'  <td><span class="badge badge--{escape(row.status)}">{escape(row.status_label)}</span>'
            f'{restricted}<span class="show-on-phone small muted">{phone_since}</span></td>\n'
            f'  <td class="hide-on-phone">{since}</td>\n'
            f'  <td class="hide-on-phone small">{escape(row.charges)}</td>\n'
            f'  <td class="hide-on-phone">{escape(row.detained_on)}</td>\n'
            f'  <td class="hide-on-phone">{escape(row.region)}</td>\n'
            # A long organisation name is cut to two lines; the title holds all of it.
            f'  <td class="hide-on-phone small"><span class="clamp" title="{organisation}">'
            f"{organisation}</span></td>\n"
            "</tr>"
        )
    return _markup("\n".join(lines))
