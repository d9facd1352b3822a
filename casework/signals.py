"""Keep name keys in step with names, whichever path saved them (form, admin, import)."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_migrate, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Membership, Person, PersonAlias
from casework.names import name_keys
from casework.people import person_refresh_name_keys


@receiver(post_save, sender=Person)
def refresh_person_keys(
    sender, instance: Person, created: bool = False, raw: bool = False, **kwargs
) -> None:
    if not raw:
        person_refresh_name_keys(person=instance, created=created)


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


@receiver(pre_save, sender=Membership)
def remember_organisation_before(sender, instance: Membership, raw: bool = False, **kwargs) -> None:
    """The organisation the membership had, for leave_tasks_behind below."""
    if raw or instance.pk is None:
        return
    # Kept on the instance, for the post_save of this same save.
    instance._organisation_before = (  # type: ignore[attr-defined]
        Membership.objects.filter(pk=instance.pk).values_list("organisation_id", flat=True).first()
    )


@receiver(post_save, sender=Membership)
def leave_tasks_behind(sender, instance: Membership, raw: bool = False, **kwargs) -> None:
    """Whichever path moved a member to another organisation, the open tasks they leave
    stay with the organisation they left (casework.followups.follow_ups_left_behind)."""
    before = getattr(instance, "_organisation_before", None)
    if raw or before is None or before == instance.organisation_id:
        return
    from casework.followups import follow_ups_left_behind

    follow_ups_left_behind(user_id=instance.user_id, organisation_id=before)


@receiver(post_save, sender=Membership)
def sync_role_groups(sender, instance: Membership, raw: bool = False, **kwargs) -> None:
    """The admin site's permissions follow the role, whichever path changed it."""
    if not raw:
        from casework.roles import membership_sync_groups

        membership_sync_groups(membership=instance)


@receiver(post_delete, sender=TOTPDevice)
def lock_account_after_last_device_removed(sender, instance: TOTPDevice, **kwargs) -> None:
    """Whichever path removed a user's last authenticator app (the admin, a shell), their
    password goes with it (casework.security.user_lock_after_device_loss). Not when the
    account itself is being deleted."""
    from django.contrib.auth import get_user_model

    if not instance.confirmed or isinstance(kwargs.get("origin"), get_user_model()):
        return
    from casework.security import user_lock_after_device_loss

    user_lock_after_device_loss(user_id=instance.user_id)


@receiver(post_migrate)
def refresh_role_groups(sender, **kwargs) -> None:
    """Every migrate brings the role groups' permissions up to date, so a permission added
    to casework.roles reaches existing installations, not only fresh databases. Once per
    migrate: after the last app, when every app's permissions exist."""
    from django.apps import apps

    if sender is not list(apps.get_app_configs())[-1]:
        return
    from casework.roles import roles_ensure_groups

    roles_ensure_groups()


@receiver(user_logged_in)
def start_absolute_session_clock(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        from casework.security import session_mark_signed_in

        session_mark_signed_in(request=request, user=user)


@receiver(user_logged_in)
def keep_the_sign_in_pages_language(sender, request, user, **kwargs) -> None:
    if request is not None:
        from casework.languages import account_language_at_sign_in

        account_language_at_sign_in(request=request, user=user)
