import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("advocase")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="advocase.ping", ignore_result=False)  # type: ignore[untyped-decorator]
def ping(value: int) -> dict[str, int]:
    """A round trip through broker, worker and database, for health checks and tests."""
    from casework.models import Organisation

    return {"echo": value, "organisations": Organisation.objects.count()}
