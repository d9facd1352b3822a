"""Recompute every person's name keys: an initial key now follows the name as written
("agadil zh" for Zhanbolat, "agadil d" only for Dulat or a Dzh- spelling), so keys made
before would let "D. Agadil" find Zhanbolat and miss "Zh. Agadil"."""

from django.db import migrations

BATCH = 2_000


def refresh_name_keys(apps, schema_editor):
    from casework.names import name_keys

    Person = apps.get_model("casework", "Person")
    PersonAlias = apps.get_model("casework", "PersonAlias")
    PersonNameKey = apps.get_model("casework", "PersonNameKey")
    db = schema_editor.connection.alias
    aliases: dict[int, list[str]] = {}
    changed_aliases = []
    for alias in PersonAlias.objects.using(db).only("pk", "person_id", "name", "match_keys"):
        aliases.setdefault(alias.person_id, []).append(alias.name)
        keys = " ".join(name_keys(alias.name))
        if alias.match_keys != keys:
            alias.match_keys = keys
            changed_aliases.append(alias)
    PersonAlias.objects.using(db).bulk_update(changed_aliases, ["match_keys"], batch_size=BATCH)
    people = list(Person.objects.using(db).only("pk", "full_name", "native_name", "match_keys"))
    for offset in range(0, len(people), BATCH):
        batch = people[offset : offset + BATCH]
        rows = []
        for person in batch:
            own = {
                key
                for name in (person.full_name, person.native_name)
                if name
                for key in name_keys(name)
            }
            every = own | {key for name in aliases.get(person.pk, []) for key in name_keys(name)}
            person.match_keys = " ".join(sorted(own))
            rows += [PersonNameKey(person_id=person.pk, key=key) for key in sorted(every)]
        Person.objects.using(db).bulk_update(batch, ["match_keys"])
        PersonNameKey.objects.using(db).filter(
            person_id__in=[person.pk for person in batch]
        ).delete()
        PersonNameKey.objects.using(db).bulk_create(rows, batch_size=5_000)


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0005_person_person_region_upper"),
    ]

    operations = [
        migrations.RunPython(refresh_name_keys, migrations.RunPython.noop, elidable=True),
    ]
