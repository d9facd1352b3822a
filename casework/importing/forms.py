"""Forms of the import flow; they validate input shape only, the rules live in runs.py."""

from __future__ import annotations

from django import forms
from django.conf import settings

from casework.importing.mapping import IMPORT_FIELDS
from casework.models import Organisation


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Spreadsheet (CSV, XLSX or ODS)",
        help_text="The first sheet is read. Headers in English or Russian are recognised.",
    )
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Import into", required=True
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.only_organisation = organisations.first() if organisations.count() == 1 else None
        if self.only_organisation is not None:
            # Nothing to choose: a partner imports into their own organisation only.
            del self.fields["organisation"]

    def clean(self):
        cleaned = super().clean()
        if self.only_organisation is not None:
            cleaned["organisation"] = self.only_organisation
        return cleaned

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; the limit is "
                f"{settings.IMPORT_MAX_BYTES / 1_048_576:.0f} MB."
            )
        return upload


FIELD_CHOICES = [("", "— ignore this column —")] + [
    (field.key, f"{field.label} / {field.label_ru}{' *' if field.required else ''}")
    for field in IMPORT_FIELDS
]


class ImportMappingForm(forms.Form):
    """One select per column of the sheet, named column_<index>."""

    def __init__(self, *args, headers: list[str], mapping: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for index, header in enumerate(headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                choices=FIELD_CHOICES,
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
