"""The spreadsheet import wrote its timeline notes in the uploader's language; it now writes
the English message, which casework.event_notes shows in the reader's. The notes imports
wrote in Russian and Kazakh become that message; a text the import never wrote (a person's
own, or one edited since) stays as it is. The texts are the catalogues' at this migration,
copied here: a later change of a translation must not change what this recognises."""

from django.db import migrations

# English message -> the Russian and Kazakh texts imports stored for it.
DESCRIPTIONS = {
    "Status recorded by a spreadsheet import.": (
        "Статус внесён импортом таблицы.",
        "Мәртебе кестені импорттау арқылы енгізілді.",
    ),
    "Status recorded by a spreadsheet import. The file gives no date for it.": (
        "Статус внесён импортом таблицы. В файле нет его даты.",
        "Мәртебе кестені импорттау арқылы енгізілді. Файлда оның күні жоқ.",
    ),
    "Status changed by a spreadsheet import.": (
        "Статус изменён импортом таблицы.",
        "Мәртебе кестені импорттау арқылы өзгертілді.",
    ),
    "Status changed by a spreadsheet import. The file gives no date for it.": (
        "Статус изменён импортом таблицы. В файле нет его даты.",
        "Мәртебе кестені импорттау арқылы өзгертілді. Файлда оның күні жоқ.",
    ),
}
SOURCE = "Import"
# The Russian and the Kazakh source alike.
SOURCES_TRANSLATED = ("Импорт",)


def notes_neutral(apps, schema_editor):
    CaseEvent = apps.get_model("casework", "CaseEvent")
    for english, translated in DESCRIPTIONS.items():
        CaseEvent.objects.filter(kind="status", description__in=translated).update(
            description=english
        )
    # Only an import's entry: "Импорт" a person typed as the source of their own is theirs.
    CaseEvent.objects.filter(
        kind="status", source__in=SOURCES_TRANSLATED, description__in=list(DESCRIPTIONS)
    ).update(source=SOURCE)


class Migration(migrations.Migration):
    dependencies = [("casework", "0031_followup_left_organisation")]

    operations = [migrations.RunPython(notes_neutral, migrations.RunPython.noop, elidable=True)]
