"""Keep name keys in step with names, whichever path saved them (form, admin, import)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from casework.models import Person, PersonAlias
from casework.names import name_keys
from casework.people import person_refresh_name_keys


@receiver(post_save, sender=Person)
def refresh_person_keys(sender, instance: Person, raw: bool = False, **kwargs) -> None:
    if not raw:
        person_refresh_name_keys(person=instance)


@receiver(post_save, sender=PersonAlias)
def refresh_alias_keys(sender, instance: PersonAlias, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    keys = " ".join(name_keys(instance.name))
    if instance.match_keys != keys:
        PersonAlias.objects.filter(pk=instance.pk).update(match_keys=keys)
        instance.match_keys = keys
    person_refresh_name_keys(person=instance.person)


@receiver(post_delete, sender=PersonAlias)
def refresh_keys_after_alias_removed(sender, instance: PersonAlias, **kwargs) -> None:
    if Person.objects.filter(pk=instance.person_id).exists():
        person_refresh_name_keys(person=instance.person)
