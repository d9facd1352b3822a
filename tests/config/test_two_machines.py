"""Several machines, nothing local: two web processes and two Celery workers, each with a
var/ folder of its own, sharing only the database, the broker and the object storage (moto's
S3 server, started here unless STORAGE_URL names one). A partner coordinator uploads a
large file through one web process's pages, signing in with a password and a second
factor, and previews and confirms it through the other's; the workers plan and write it.
Wrong passwords tried on both web processes count together towards the lockout."""

from __future__ import annotations

import os
import re
import time
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests
from django.conf import settings

from casework.models import Case, ImportRun, Person, Role
from tests.factories import member, password_hashed_for_servers
from tests.support.object_storage import (
    TEST_KEYS,
    bucket_ready,
    moto_server,
    url_with_own_prefix,
)
from tests.support.web_server import (
    free_port,
    web_server,
    web_server_listening,
    web_server_stopping,
)
from tests.support.worker import celery_worker, wait_for, worker_environment

pytestmark = pytest.mark.worker

ROWS = 3_000
GIVEN = [
    "Алмат",
    "Дана",
    "Ерлан",
    "Жанна",
    "Нурлан",
    "Айгуль",
    "Серик",
    "Гульнар",
    "Марат",
    "Зарина",
]
SYLLABLES = ["ка", "ра", "бе", "ту", "со", "ми", "ле", "жа", "ну", "ды", "ге", "по", "ша", "зу"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _large_file() -> bytes:
    """ROWS people of distinct, made-up family names, each in pretrial detention."""
    lines = ["ФИО;Статус;Год рождения"]
    for number in range(ROWS):
        digits = [(number // 14**place) % 14 for place in range(4)]
        family = "".join(SYLLABLES[digit] for digit in digits).capitalize() + "ов"
        year = 1950 + number % 50
        lines.append(f"{family} {GIVEN[number % len(GIVEN)]};в СИЗО;{year}")
    return "\n".join(lines).encode("utf-8")


def _post(session: requests.Session, url: str, data: dict, **extra) -> requests.Response:
    page = session.get(url, timeout=60)
    token = CSRF.search(page.text)
    assert token, f"no form at {url}: {page.status_code}"
    return session.post(
        url,
        data={"csrfmiddlewaretoken": token.group(1), **data},
        headers={"Referer": url},
        timeout=120,
        **extra,
    )


def _sign_in(session: requests.Session, base: str, *, user, password: str) -> None:
    from django_otp.oath import totp

    from casework.security import user_ensure_totp_device

    device, _url = user_ensure_totp_device(user=user)
    response = _post(
        session, f"{base}/accounts/login/", {"username": user.username, "password": password}
    )
    assert "/accounts/two-factor/" in response.url, response.url
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    response = _post(session, f"{base}/accounts/two-factor/verify/", {"code": f"{code:06d}"})
    assert "/accounts/two-factor/" not in response.url, response.text[:500]


def _progress(session: requests.Session, base: str, run_id: int) -> dict:
    return session.get(f"{base}/imports/{run_id}/progress.json", timeout=60).json()


def _local_files(folder: Path) -> list[Path]:
    return [path for path in (folder / "media").rglob("*") if path.is_file()]


def test_two_web_processes_and_two_workers_share_only_the_database_broker_and_storage(
    transactional_db, partner_organisation, password, tmp_path
):
    coordinator = member(
        organisation=partner_organisation, role=Role.COORDINATOR, username="partner-coordinator"
    )
    coordinator.password = password_hashed_for_servers(password)
    coordinator.save(update_fields=["password"])

    with ExitStack() as stack:
        storage_url = os.environ.get("STORAGE_URL") or stack.enter_context(
            moto_server(port=free_port(), log=tmp_path / "moto.log")
        )
        keys = {} if os.environ.get("STORAGE_URL") else TEST_KEYS
        os.environ.update(keys)
        stack.callback(lambda: [os.environ.pop(name, None) for name in keys])
        storage_url = url_with_own_prefix(storage_url)
        bucket_ready(storage_url)
        shared = {
            # What the machines must agree on: the key the import files are sealed with
            # (derived from SECRET_KEY here), the storage, and (below) database and broker.
            "SECRET_KEY": "two-machines-" + "x" * 40,
            "STORAGE_URL": storage_url,
            "IMPORT_ASYNC_ROWS": "1000",
            "DJANGO_DEBUG": "false",
            **keys,
        }
        # Without Redis, the filesystem broker's folder is the one shared thing on disk.
        shared["ADVOCASE_BROKER_DIR"] = str(settings.BROKER_DIR)
        folders = {name: tmp_path / name for name in ("web-a", "web-b", "worker-a", "worker-b")}

        def environment(name: str) -> dict[str, str]:
            folders[name].mkdir()
            return worker_environment(ADVOCASE_VAR_DIR=str(folders[name]), **shared)

        # The workers first: they start while the web processes are made to listen.
        for name in ("worker-a", "worker-b"):
            log = stack.enter_context((tmp_path / f"{name}.log").open("wb"))
            stack.enter_context(celery_worker(extra_env=environment(name), log=log))
        # Both web processes start side by side, and are asked to stop together at the end
        # (the last callback runs first): gunicorn takes a second or so for each.
        servers = {}
        for name in ("web-a", "web-b"):
            port = free_port()
            servers[port] = stack.enter_context(
                web_server(
                    "gunicorn",
                    port=port,
                    log=tmp_path / f"{name}.log",
                    environment=environment(name),
                    application="tests.support.worker_wsgi:application",
                    wait=False,
                )
            )
        stack.callback(lambda: [web_server_stopping(server) for server in servers.values()])
        for (port, server), name in zip(servers.items(), ("web-a", "web-b"), strict=True):
            web_server_listening(server, kind="gunicorn", port=port, log=tmp_path / f"{name}.log")
        web_a, web_b = (f"http://127.0.0.1:{port}" for port in servers)

        session = requests.Session()
        _sign_in(session, web_a, user=coordinator, password=password)
        started = time.monotonic()
        response = _post(
            session,
            f"{web_a}/imports/new/",
            {},
            files={"file": ("partner-large.csv", _large_file(), "text/csv")},
        )
        run = ImportRun.objects.get()
        assert response.url.endswith(f"/imports/{run.pk}/mapping/"), response.url
        assert run.rows_total == ROWS and run.stored_path

        # The other web process: the same session (in the database), the upload (in the
        # storage), the plan a worker makes from it (in the storage too).
        page = session.get(f"{web_b}/imports/{run.pk}/preview/", timeout=60)
        assert page.status_code == 200
        assert wait_for(lambda: _progress(session, web_b, run.pk)["finished"], timeout=180)
        preview = session.get(f"{web_b}/imports/{run.pk}/preview/", timeout=60)
        assert "Confirm and import" in preview.text, preview.text[-2000:]

        response = session.post(
            f"{web_b}/imports/{run.pk}/confirm/",
            data={"csrfmiddlewaretoken": CSRF.search(preview.text).group(1), "confirm": "1"},
            headers={"Referer": f"{web_b}/imports/{run.pk}/preview/"},
            timeout=120,
        )
        assert response.url.endswith(f"/imports/{run.pk}/"), response.url
        assert wait_for(
            lambda: ImportRun.objects.get(pk=run.pk).state == ImportRun.State.DONE, timeout=300
        ), ImportRun.objects.get(pk=run.pk).errors[:3]
        elapsed = time.monotonic() - started
        assert wait_for(lambda: ImportRun.objects.get(pk=run.pk).stored_path == "", timeout=60)
        detail_a = session.get(f"{web_a}/imports/{run.pk}/", timeout=60)

        # Sign-in failures count together, whichever web process saw them: three wrong
        # passwords on one and two on the other lock the account out on both.
        guesser = requests.Session()
        for base in (web_a, web_a, web_a, web_b, web_b):
            wrong = {"username": coordinator.username, "password": "not-the-password"}
            _post(guesser, f"{base}/accounts/login/", wrong)
        right = {"username": coordinator.username, "password": password}
        locked = _post(guesser, f"{web_a}/accounts/login/", right)

    run.refresh_from_db()
    assert (run.count_new, run.rows_done) == (ROWS, ROWS)
    assert Case.objects.filter(owning_organisation=partner_organisation).count() == ROWS
    assert Person.objects.count() == ROWS
    assert detail_a.status_code == 200 and "partner-large.csv" in detail_a.text
    assert locked.status_code == 429 and "sessionid" not in guesser.cookies
    # Nothing of the file on any machine's own disk: it went to the shared storage.
    for name, folder in folders.items():
        assert _local_files(folder) == [], name
    print(f"{ROWS} rows uploaded, planned and written across two machines in {elapsed:.1f} s")
