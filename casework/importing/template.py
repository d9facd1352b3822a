"""The downloadable XLSX template: English and Russian headers, an example on each header's
comment, a drop-down for status."""

from __future__ import annotations

import io

from casework.importing.mapping import IMPORT_FIELDS
from casework.models import Status

# The words offered in the status drop-down: Russian first (partners' usual language), then
# English; each is one the importer maps to a status code.
TEMPLATE_STATUS_WORDS = [
    "под следствием",
    "в СИЗО",
    "под домашним арестом",
    "суд",
    "осужден",
    "осуждена",
    "ограничение свободы",
    "принудительное лечение",
    "освобожден",
    "освобождена",
    "оправдан",
    "в эмиграции",
    "в розыске",
    "умер в СИЗО",
    "убит",
    "неизвестно",
] + [str(status.label) for status in Status]


def import_template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Cases"
    sheet.append([f"{field.label_ru} / {field.label_en}" for field in IMPORT_FIELDS])
    # The example is a comment on each header, not a row: a row under the header is a
    # person, and a partner who wrote theirs under an example row imported it too.
    examples = {
        "full_name": "Жумагулов Алмат Серикович",
        "birth": "1985",
        "charges": "ст. 174 ч.1 УК РК, ст.405",
        "detained_on": "12.03.2021",
        "status": "в СИЗО",
        "region": "Алматы",
    }
    for cell, field in zip(sheet[1], IMPORT_FIELDS, strict=True):
        if field.key in examples:
            cell.comment = Comment(
                f"Например / Мысалы / For example: {examples[field.key]}", "Advocase"
            )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = max(16, len(str(cell.value)) + 2)
    words = workbook.create_sheet("Statuses")
    for word in TEMPLATE_STATUS_WORDS:
        words.append([word])
    words.sheet_state = "hidden"
    status_column = next(
        index for index, field in enumerate(IMPORT_FIELDS, start=1) if field.key == "status"
    )
    letter = sheet.cell(row=1, column=status_column).column_letter
    validation = DataValidation(
        type="list",
        formula1=f"=Statuses!$A$1:$A${len(TEMPLATE_STATUS_WORDS)}",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Unknown status",
        error="Choose a status from the list / Выберите статус из списка.",
    )
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}5000")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
