"""A large import goes through the real broker to a real worker process, and the run's
row shows its progress and result to whoever looks, whenever they look."""

from __future__ import annotations

import pytest

from casework.importing.runs import (
    import_run_confirm,
    import_run_create,
    import_run_preview_request,
    import_run_progress,
)
from casework.models import Case, ImportRun
from tests.casework.import_files import FILES
from tests.support.worker import celery_worker, wait_for

pytestmark = pytest.mark.worker


def test_a_large_import_is_checked_and_written_by_a_real_worker(
    transactional_db, partner_user, partner_organisation, settings
):
    settings.IMPORT_ASYNC_ROWS = 2  # this five-row file counts as large here
    run = import_run_create(
        data=(FILES / "partner_ru_cp1251.csv").read_bytes(),
        file_name="partner_ru_cp1251.csv",
        organisation=partner_organisation,
        user=partner_user,
    )

    with celery_worker():
        assert import_run_preview_request(run=run, user=partner_user) is None  # asked for
        assert wait_for(lambda: import_run_progress(run=run)["finished"], timeout=60)
        run.refresh_from_db()
        preview = import_run_preview_request(run=run, user=partner_user)
        assert preview is not None and any(
            row["full_name"] == "Mariya Ivanova" for row in preview["rows"]
        )
        assert run.state == ImportRun.State.READY

        run = import_run_confirm(run=run, user=partner_user, decisions={})
        assert run.state == ImportRun.State.QUEUED  # the request returned before the work
        assert wait_for(
            lambda: ImportRun.objects.get(pk=run.pk).state == ImportRun.State.DONE, timeout=60
        )
        # The file goes just after the commit that marks the run done (a worker that dies
        # in between leaves it to import_uploads_purge): wait for that before stopping it.
        assert wait_for(lambda: ImportRun.objects.get(pk=run.pk).stored_path == "", timeout=30)

    run.refresh_from_db()
    assert run.rows_done == run.rows_total == 5
    assert run.count_new == 4 and run.finished_at is not None
    assert run.stored_path == ""
    assert Case.objects.filter(owning_organisation=partner_organisation).count() == 4
    assert Case.history.filter(history_user=partner_user).count() == 4
