"""Where the app keeps files: Django's storage API, so that a web process and a worker on
different machines read the same bytes. STORAGES (config/settings.py) names two storages
of the same place: "default" (attachments, what a backup copies) and "uploads" (partner
spreadsheets and what an import keeps beside them, under `imports/`). With STORAGE_URL set
both are an S3-compatible bucket (django-storages); otherwise the local MEDIA_ROOT folder,
written through AtomicFileSystemStorage."""

from __future__ import annotations

import datetime
import os
import uuid
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages

UPLOADS = "uploads"


class AtomicFileSystemStorage(FileSystemStorage):
    """The local folder, where a file is written whole under a temporary name and renamed
    into place (a page polling a run's progress in another process never reads half of it,
    as with an object store's PUT), readable by the server's user only, and a name written
    again replaces the file (a run's progress is rewritten as the work goes on)."""

    def __init__(self, **options: Any) -> None:
        options.setdefault("allow_overwrite", True)
        options.setdefault("file_permissions_mode", 0o600)
        options.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**options)

    def _save(self, name: str, content: Any) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, mode=self.directory_permissions_mode or 0o700, exist_ok=True)
        temporary = os.path.join(directory, f".{os.path.basename(full_path)}.{uuid.uuid4().hex}")
        descriptor = os.open(
            temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, self.file_permissions_mode or 0o600
        )
        try:
            with os.fdopen(descriptor, "wb") as handle:
                for chunk in content.chunks():
                    handle.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            os.replace(temporary, full_path)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise
        return name.replace("\\", "/")


def uploads_storage() -> Storage:
    """The storage of partner uploads (STORAGES["uploads"]), looked up on each call so
    that a changed setting (a test's own folder or bucket prefix) is honoured."""
    return storages[UPLOADS]


def storage_write(storage: Storage, name: str, data: bytes) -> None:
    """Write (or replace) name with data, whole."""
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        raise OSError(f"The storage saved {name} as {saved}.")


def _missing(error: Exception) -> bool:
    """Whether error says the file is not there: the local folder's FileNotFoundError, or
    S3's NoSuchKey / 404, which boto3 raises when a key goes between a storage's HEAD and
    its GET (a run finishing while a page polls its progress)."""
    if isinstance(error, FileNotFoundError):
        return True
    response = getattr(error, "response", None)
    code = response.get("Error", {}).get("Code") if isinstance(response, dict) else None
    return code in {"NoSuchKey", "404", "NotFound"}


def storage_read(storage: Storage, name: str) -> bytes:
    """The bytes of name; FileNotFoundError when there is none."""
    try:
        with storage.open(name, "rb") as handle:
            data: bytes = handle.read()
            return data
    except Exception as error:
        if _missing(error):
            raise FileNotFoundError(name) from error
        raise


def storage_modified_at(storage: Storage, name: str) -> datetime.datetime | None:
    """When name was last written; None when there is no such file."""
    try:
        return storage.get_modified_time(name)
    except Exception as error:
        if _missing(error):
            return None
        raise


def storage_delete(storage: Storage, name: str) -> bool:
    """Delete name if it is there; whether it was."""
    if not storage.exists(name):
        return False
    storage.delete(name)
    return True


def bucket_ensure(options: dict[str, Any]) -> bool:
    """Create the bucket an S3Storage's options name unless it exists (a first start, the
    CI's fresh server); whether it was created. The keys and endpoint are the storage's."""
    import boto3
    from botocore.exceptions import ClientError

    client = boto3.client(
        "s3",
        endpoint_url=options.get("endpoint_url"),
        region_name=options.get("region_name"),
        aws_access_key_id=options.get("access_key") or None,
        aws_secret_access_key=options.get("secret_key") or None,
    )
    try:
        client.head_bucket(Bucket=options["bucket_name"])
        return False
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchBucket"}:
            raise
    region = options.get("region_name")
    # us-east-1 is the one region that refuses being named as the location.
    located = region and region != "us-east-1"
    extra = {"CreateBucketConfiguration": {"LocationConstraint": region}} if located else {}
    client.create_bucket(Bucket=options["bucket_name"], **extra)
    return True
