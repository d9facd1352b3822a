"""Forms of the import flow; they validate input shape only, the rules live in runs.py."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.core.files.base import File
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.importing.cells import CellError, cell_quote
from casework.importing.mapping import FIELDS_BY_KEY, IMPORT_FIELDS
from casework.importing.status_words import status_word_given_parse
from casework.models import Organisation, Status

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (CSV, XLSX or ODS)"),
        help_text=gettext_lazy(
            "The first sheet is read. Headers in English, Russian or Kazakh are recognised."
        ),
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=gettext_lazy("Import into"), required=True
    )

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            "forms.ModelChoiceField[Organisation]", self.fields["organisation"]
        ).queryset = organisations
        self.only_organisation = organisations.first() if organisations.count() == 1 else None
        if self.only_organisation is not None:
            # Nothing to choose: a partner imports into their own organisation only.
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        cleaned = cast(dict[str, Any], super().clean())  # Form.clean gives cleaned_data
        if self.only_organisation is not None:
            cleaned["organisation"] = self.only_organisation
        return cleaned

    def clean_file(self) -> File[bytes]:
        upload: File[bytes] = self.cleaned_data["file"]  # an upload: its size is known
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(limit)s MB.")
                % {
                    "size": number_format(upload.size / 1_048_576, 1),
                    "limit": number_format(settings.IMPORT_MAX_BYTES / 1_048_576, 0),
                }
            )
        return upload


def field_choices() -> list[tuple[str, str]]:
    """The fields a column may mean, in the user's language; short enough for a phone."""
    return [("", _("— ignore this column —"))] + [
        (field.key, f"{field.label}{' *' if field.required else ''}") for field in IMPORT_FIELDS
    ]


class ImportMappingForm(forms.Form):
    """One select per column of the sheet, named column_<index>."""

    def __init__(
        self, *args: Any, headers: list[str], mapping: dict[str, str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = field_choices()
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=header or f"(column {index + 1} has no header)",
                initial=mapping.get(str(index), ""),
            )

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("column_"): value
            for name, value in self.cleaned_data.items()
            if value
        }


def status_choices(*, empty: str) -> list[tuple[str, StrOrPromise]]:
    return [("", empty)] + [(status.value, status.label) for status in Status]


class StatusWordsForm(forms.Form):
    """On the preview: what each status word the app does not know means, one select per
    word (word_0, word_1 …, in the order of `words`), for the organisation to remember."""

    def __init__(self, *args: Any, words: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.words = words
        choices = status_choices(empty=_("— leave these rows as errors —"))
        for position, word in enumerate(words):
            self.fields[f"word_{position}"] = forms.ChoiceField(
                choices=choices, required=False, label=word["written"]
            )

    def chosen(self) -> dict[str, tuple[str, str]]:
        """Normalised word -> (as written, status), for the words given a status."""
        return {
            word["word"]: (word["written"], self.cleaned_data[f"word_{position}"])
            for position, word in enumerate(self.words)
            if self.cleaned_data.get(f"word_{position}")
        }


class StatusWordForm(forms.Form):
    """On the remembered words page: the status one word means."""

    status = forms.ChoiceField(choices=(), label=gettext_lazy("Means"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = status_choices(empty="—")[1:]


class DateOrderForm(forms.Form):
    """On the preview: how the file writes dates like 05/03/2022."""

    date_order = forms.ChoiceField(
        choices=(
            ("day_first", gettext_lazy("Day first: 05/03/2022 is 5 March 2022")),
            ("month_first", gettext_lazy("Month first: 05/03/2022 is 3 May 2022")),
        ),
        widget=forms.RadioSelect,
        label=gettext_lazy("How does the file write dates?"),
    )


class TextListField(forms.Field):
    """Repeated values of one name (a multipart form's `status_word` given three times, or
    a JSON list), as a list of strings."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        if value in (None, "", [], ()):
            return []
        if isinstance(value, str):
            return [value]
        if not isinstance(value, (list, tuple)):
            raise forms.ValidationError(_("Give a list of values."))
        return [str(item) for item in value]

    def validate(self, value: list[str]) -> None:
        super().validate(value)
        # A NUL is no character of a word or a column; PostgreSQL's JSON refuses to store
        # one (the run keeps its status words), which answered 500.
        for item in value:
            ProhibitNullCharactersValidator()(item)


class ImportOptionsForm(forms.Form):
    """What an upload through the API may say besides the file, as the command line does:
    what status words of this file mean, and which field a column holds."""

    status_word = TextListField(
        required=False,
        label=gettext_lazy("Status words"),
        help_text=gettext_lazy('What a status word of this file means: "WORD=status".'),
    )
    column = TextListField(
        required=False,
        label=gettext_lazy("Columns"),
        help_text=gettext_lazy('Which field a column holds: "LETTER=field" ("F=" ignores F).'),
    )

    def clean_status_word(self) -> dict[str, str]:
        words, errors = {}, []
        for item in self.cleaned_data["status_word"]:
            try:
                word, status = status_word_given_parse(item)
            except CellError as error:
                errors.append(str(error))
            else:
                words[word] = status
        if errors:
            raise forms.ValidationError(errors)
        return words

    def clean_column(self) -> dict[str, str]:
        """Column letter -> field key ("" to ignore the column)."""
        columns, errors = {}, []
        for item in self.cleaned_data["column"]:
            letter, separator, key = (part.strip() for part in item.partition("="))
            if not separator or not re.fullmatch(r"[A-Za-z]{1,3}", letter):
                errors.append(_("%(item)s: write it as LETTER=field.") % {"item": cell_quote(item)})
            elif key and key not in FIELDS_BY_KEY:
                errors.append(
                    _("%(field)s is not a field of the import; use one of: %(fields)s.")
                    % {"field": cell_quote(key), "fields": ", ".join(FIELDS_BY_KEY)}
                )
            else:
                columns[letter.upper()] = key
        if errors:
            raise forms.ValidationError(errors)
        return columns


class ImportConfirmForm(forms.Form):
    """Confirming a previewed import: all or nothing, unless the valid rows are imported
    and the others skipped, a choice of its own."""

    skip_invalid = forms.BooleanField(
        required=False, label=gettext_lazy("Import the valid rows and skip the others")
    )
