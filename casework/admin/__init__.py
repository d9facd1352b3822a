"""The admin site, held to the rules the pages obey.

- Every changelist, change page and history page reads through the visibility functions
  (casework.visibility, advocacy.visibility): an object out of scope is a 404, as on the
  pages.
- Every foreign key and many-to-many field of every form, inlines included, offers and
  accepts only what the related model's admin shows this user (ScopedFormsMixin), and
  no field uses a raw-id widget: ForeignKeyRawIdWidget looks a typed id up with the
  default manager and prints the object's name next to it, even when the form refuses it.
- Relation list filters list only what the related model's admin shows
  (ScopedRelatedFieldListFilter, registered for every admin).
- Who may change what is casework.permissions' to say, as on the pages.
- Writes that carry rules go through the action layer: status changes only through
  casework.status (status events are read-only here), follow-ups through
  casework.followups, archiving through casework.archive; history pages show but never
  revert (a revert saves an old version past all of these).
- Accounts, memberships and organisations are managed by superusers and host admins only;
  nobody but a superuser edits their own membership or grants staff or superuser status;
  second-factor secrets are never shown.
- Every page that shows a restricted case logs it (casework.audit).

The modules, by what they administer: base (the mixins every admin here and in
advocacy.admin is built from, and the site), accounts, records (people, cases, events),
followups (tasks, reminders, notifications), imports, vocabularies. Importing this
package registers them all.
"""

from casework.admin import accounts, followups, imports, records, vocabularies  # noqa: F401

# config/urls_admin.py installs the site class on admin.site.
from casework.admin.base import AdvocaseAdminSite as AdvocaseAdminSite
