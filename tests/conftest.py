"""Shared fixtures: two organisations and a user of every role in each."""

from __future__ import annotations

import gc
import os

import pytest
from _pytest import runner

from casework.models import Role
from common.stack_room import with_room_on_the_stack
from tests.factories import (
    TEST_PASSWORD,
    HostOrganisationFactory,
    OrganisationFactory,
    member,
)

# The suite makes and drops millions of short-lived objects (querysets, requests, template
# contexts): at Python's default (a young collection every 700 allocations, a full one
# every hundred of those) the collector took 8% of a test process's processor time over
# tests/advocacy, 1.6 s of 20. Every 20,000 allocations it takes 0.6 s; set here, before
# the test modules are imported, so collecting them gains too. Cycles are still found and
# freed, only less often.
gc.set_threshold(20_000, 10, 10)


@pytest.fixture(autouse=True, scope="session")
def _urls_loaded(django_test_environment):
    """Every app's admin registers when its routes load (config/urls_admin.py), as in a web
    worker: loaded before the first test, admin.site's registry is whole in every test,
    whatever ran before it. Loaded here rather than at the top of this file, so that
    xdist's controller process, which imports this file but runs no test, does not spend
    0.4 s of CPU on it before it starts the test processes."""
    import config.urls

    config.urls.urlconf_load_whole()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing(django_test_environment):
    """PBKDF2 at production strength costs a quarter second per user; tests make hundreds."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _flush_by_delete_on_postgresql(django_test_environment):
    """A transactional test (the browser tests, the worker tests) ends with a flush of every
    table. On PostgreSQL Django's flush is one TRUNCATE of the 104 tables, which makes new
    files for each table and index and syncs them: 3.5-5 s a test on the shared machine,
    where DELETE FROM each table, the foreign keys checked at commit (Django makes them
    deferrable), empties the same few rows in 0.03-0.08 s. A flush that resets sequences
    keeps TRUNCATE ... RESTART IDENTITY. Nothing to do on SQLite, where importing the
    PostgreSQL backend (psycopg) alone costs a test process 0.2 s."""
    from django.db import connections

    if all(connections[alias].vendor != "postgresql" for alias in connections):
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        # The names are Django's own tables, quoted as its TRUNCATE quotes them.
        delete = (f"DELETE FROM {self.quote_name(table)};" for table in tables)  # noqa: S608
        return ["SET CONSTRAINTS ALL DEFERRED;", *delete]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.sql_flush = truncate  # type: ignore[method-assign]


@pytest.fixture(autouse=True, scope="session")
def _post_flush_rows_put_back(django_test_environment):
    """After a flush the post_migrate handlers put back the content types, permissions and
    role groups: 60 ms of ORM work at the end of every transactional test on SQLite, more
    on PostgreSQL, writing the same rows each time. The first flush of a process on a
    database runs them, in one transaction (PostgreSQL then syncs once, 0.46 -> 0.1 s),
    and keeps the rows they wrote; later flushes write those rows back, ids included,
    with one INSERT per table (5 ms). A flush that resets sequences, or is told not to
    emit the signal, runs as Django wrote it."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.commands import flush
    from django.db import connections, transaction

    emit, handle = flush.emit_post_migrate_signal, flush.Command.handle
    kept: dict[tuple[str, str], list[tuple[str, list[str], list[tuple]]]] = {}

    def emit_in_one_transaction(verbosity, interactive, db, **kwargs):
        with transaction.atomic(using=db):
            emit(verbosity, interactive, db, **kwargs)

    def handle_putting_rows_back(self, **options):
        database = options.get("database", "default")
        if options.get("reset_sequences", True) or options.get("inhibit_post_migrate"):
            return handle(self, **options)
        connection = connections[database]
        key = (database, str(connection.settings_dict["NAME"]))
        if key not in kept:
            handle(self, **options)
            kept[key] = _rows_after_flush(connection)
            return None
        handle(self, **{**options, "inhibit_post_migrate": True})
        _rows_put_back(connection, kept[key])
        ContentType.objects.clear_cache()  # as create_contenttypes does
        return None

    flush.emit_post_migrate_signal = emit_in_one_transaction
    flush.Command.handle = handle_putting_rows_back  # type: ignore[method-assign]
    yield
    flush.emit_post_migrate_signal = emit
    flush.Command.handle = handle  # type: ignore[method-assign]


def _rows_after_flush(connection) -> list[tuple[str, list[str], list[tuple]]]:
    """Every row of every table, just after a flush: what the post_migrate handlers wrote."""
    quote = connection.ops.quote_name
    rows = []
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608  # Django's own table names
            found = cursor.fetchall()
            if found:
                rows.append((table, [column[0] for column in cursor.description], found))
    return rows


def _rows_put_back(connection, rows: list[tuple[str, list[str], list[tuple]]]) -> None:
    from django.db import transaction

    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # tables in any order
        for table, columns, values in rows:
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", values)  # noqa: S608


@pytest.fixture(autouse=True, scope="session")
def _static_files_listed_once(django_test_environment):
    """The test client builds the middleware afresh for every client, so WhiteNoise lists
    and stats every static file (some 190, Django admin's included) for each test that
    requests a page: 10 ms of CPU each time, where a server process does it once. Listed
    once per process here and shared: a StaticFile is read-only once made. Keyed by the
    settings the listing reads, so a test that overrides one gets a listing of its own."""
    from django.conf import settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    list_files = WhiteNoiseMiddleware.add_files_from_finders
    listed: dict[str, dict[str, object]] = {}

    def add_files_from_finders(self):
        key = repr(
            [
                self.static_prefix,
                *(
                    getattr(settings, name, None)
                    for name in (
                        "INSTALLED_APPS",
                        "STATICFILES_DIRS",
                        "STATICFILES_FINDERS",
                        "STORAGES",
                        "STATIC_URL",
                        "DEBUG",
                        "WHITENOISE_MAX_AGE",
                        "WHITENOISE_ALLOW_ALL_ORIGINS",
                        "WHITENOISE_CHARSET",
                        "WHITENOISE_MIMETYPES",
                        "WHITENOISE_ADD_HEADERS_FUNCTION",
                        "WHITENOISE_INDEX_FILE",
                        "WHITENOISE_IMMUTABLE_FILE_TEST",
                    )
                ),
            ]
        )
        if key not in listed:
            before = dict(self.files)
            list_files(self)
            listed[key] = {
                url: found for url, found in self.files.items() if before.get(url) is not found
            }
        self.files.update(listed[key])

    WhiteNoiseMiddleware.add_files_from_finders = add_files_from_finders  # type: ignore[method-assign]
    yield
    WhiteNoiseMiddleware.add_files_from_finders = list_files  # type: ignore[method-assign]


def test_process_queue() -> str:
    """The Celery queue of this test process (one per xdist worker)."""
    return f"advocase-tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


@pytest.fixture(autouse=True, scope="session")
def _own_celery_queue(django_test_environment):
    """Every test process sends its tasks to a queue of its own, and the worker and beat
    processes the worker tests start listen on it (tests/support/worker.py): the test processes
    share one broker (the filesystem transport under ADVOCASE_VAR_DIR, or Redis), and a
    task a page test left in one must never reach a worker another one started, which
    reads another test database."""
    from config.celery import app

    app.conf.task_default_queue = test_process_queue()
    assert app.amqp.default_queue.name == test_process_queue(), "a task was sent before"


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in English: a page a test requests leaves its reader's language
    (Russian, Kazakh) active in the thread, as a server's next request would reset it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def host(db):
    return HostOrganisationFactory()


@pytest.fixture
def partner_organisation(db):
    return OrganisationFactory(name="Bostandyq Partner", slug="bostandyq-partner")


@pytest.fixture
def other_partner_organisation(db):
    return OrganisationFactory(name="Other Partner", slug="other-partner")


@pytest.fixture
def admin_user(host):
    return member(
        organisation=host, role=Role.ADMIN, username="admin", is_staff=True, is_superuser=True
    )


@pytest.fixture
def coordinator(host):
    return member(organisation=host, role=Role.COORDINATOR, username="coordinator")


@pytest.fixture
def caseworker(host):
    return member(organisation=host, role=Role.CASEWORKER, username="caseworker")


@pytest.fixture
def partner_user(partner_organisation):
    return member(organisation=partner_organisation, role=Role.PARTNER, username="partner")


@pytest.fixture
def other_partner_user(other_partner_organisation):
    return member(
        organisation=other_partner_organisation, role=Role.PARTNER, username="other-partner"
    )


PROJECT_PACKAGES = {"casework", "advocacy", "accountability", "common", "config"}


def _signed_in(client, user):
    """The client signed in as `user`, with the second factor verified where the role needs
    one. A client with no session yet (every fixture's) gets the session force_login and
    the verify step would leave, written once: force_login saved an empty session first,
    then cycled, saved and reread it, and its signal wrote axes' access log and the user's
    last_login, which no test through these fixtures reads: 11-13 ms of CPU a sign-in,
    where writing the session once costs 3.5-4 ms. The project's own receivers of the sign-in still run (the session's clock, the
    sign-in page's language). A client signed in before is signed in again Django's way."""
    from django.conf import settings

    if settings.SESSION_COOKIE_NAME in client.cookies:
        client.force_login(user)
        verify_second_factor(client, user)
        return client
    _session_signed_in(client, user)
    return client


def _session_signed_in(client, user) -> None:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.http import HttpRequest
    from django_otp import DEVICE_ID_SESSION_KEY

    from casework.security import user_ensure_totp_device, user_requires_second_factor

    backend = client._get_backend()  # as force_login picks it
    user.backend = backend
    request = HttpRequest()
    request.COOKIES = {name: morsel.value for name, morsel in client.cookies.items()}
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.session = session
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = backend
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    for project_receiver in _project_sign_in_receivers():
        project_receiver(sender=type(user), request=request, user=user)
    if user_requires_second_factor(user):
        device, _url = user_ensure_totp_device(user=user)
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    client._set_login_cookies(request)


def _project_sign_in_receivers() -> list:
    """The project's own receivers of user_logged_in (casework.signals: the session's clock,
    the sign-in page's language), whichever they are now; axes' access log and Django's
    last_login are left out."""
    import weakref

    from django.contrib.auth.signals import user_logged_in

    found = []
    for _lookup_key, reference, *_flags in user_logged_in.receivers:
        function = reference() if isinstance(reference, weakref.ReferenceType) else reference
        if function is not None and function.__module__.split(".")[0] in PROJECT_PACKAGES:
            found.append(function)
    assert found, "no project receiver of user_logged_in found: casework.signals not loaded?"
    return found


def verify_second_factor(client, user) -> None:
    """Coordinators and admins reach no page until a second factor verified the session
    (casework.security); mark the test client's session verified as the verify step would."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from casework.security import user_ensure_totp_device, user_requires_second_factor

    if not user_requires_second_factor(user):
        return
    device, _url = user_ensure_totp_device(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


@pytest.fixture
def client_as_admin(client, admin_user):
    return _signed_in(client, admin_user)


@pytest.fixture
def client_as_caseworker(client, caseworker):
    return _signed_in(client, caseworker)


@pytest.fixture
def client_as_coordinator(client, coordinator):
    return _signed_in(client, coordinator)


@pytest.fixture
def client_as_partner(client, partner_user):
    return _signed_in(client, partner_user)


@pytest.fixture
def password():
    return TEST_PASSWORD


# pytest's own protocol for each test (set-up, call, tear-down and their reports), run with
# room on the frame stack (common/stack_room.py): some 10% of the processor time of a test
# that makes requests, most of it system time.
_protocol_with_room = with_room_on_the_stack(runner.pytest_runtest_protocol)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    """True: the test is run, by pytest's own protocol (the hook's other implementation)."""
    return _protocol_with_room(item=item, nextitem=nextitem)
