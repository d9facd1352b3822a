"""What a create or change request may send, and the precondition of a change.

A field no request takes is refused (400) rather than silently ignored, so a script's
typo or its attempt at a read-only field does not read as done: a field the resource does
not have, a sensitive field the user's organisation may not see, a read-only field sent
with a value other than the one on file (sent back as read, it is accepted), each named.

A case's or person's ETag is the edit stamp (common.edit_stamps) of the fields its PATCH
changes, as the web form's: a PATCH with If-Match whose stamp no longer matches answers
412 naming the fields changed meanwhile, as the form's refusal does, and nothing is
written. Without If-Match, a PATCH writes as before."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status as http_status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from casework.api.serializers import ErrorsSerializer
from common.edit_stamps import EditedMeanwhile, edit_stamp

NOT_A_FIELD = _("“%(name)s” is not a field of this resource.")
CANNOT_BE_CHANGED = _("“%(name)s” cannot be changed here. %(where)s")
SENSITIVE_NOT_YOURS = _(
    "“%(name)s” is kept only by staff of the host organisation: your organisation neither "
    "sees nor changes it."
)
SET_BY_ADVOCASE = _("Advocase sets it; no request changes it.")
PATCH_ONCE_RECORDED = _("Send it with PATCH once the record is made.")
CHANGED_MEANWHILE = _(
    "Someone else changed this since you read it (If-Match). Nothing was saved. Read it "
    "again to see their change, or send it with the new ETag to replace it with yours."
)
ETAG_NOT_MATCHED = _(
    "If-Match does not match this record's ETag. Nothing was saved. Read it again and send "
    "its ETag."
)

# The schema's If-Match and 412 of a PATCH that takes them.
IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description="The ETag of the record as read (GET): if it was changed since, 412 and "
    "nothing is written. Without it, the PATCH writes over any change made meanwhile.",
)
ETAG_ON_READ = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200],
    description="The stamp of the fields PATCH changes: send it back as If-Match.",
)
ETAG_ON_WRITE = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    response=[200, 412],
    description="The record's ETag as it now stands.",
)
PRECONDITION_FAILED = {
    412: OpenApiResponse(
        ErrorsSerializer, description="Changed since it was read: the fields, nothing written."
    )
}


def sent_fields_check(
    *,
    sent: Mapping[str, Any],
    writable: Collection[str],
    readable: Collection[str],
    hidden: Collection[str] = (),
    stored: Callable[[], Mapping[str, Any]] | None = None,
    where: Callable[[str], str] | None = None,
    prefix: str = "",
) -> None:
    """A 400 naming each field of `sent` that is not `writable`: one of `hidden` (the
    sensitive fields the user may not see), one not `readable` (not in the resource as
    read), or a read-only one sent with another value than `stored()` holds (a create has
    none to compare: `stored` None), with `where(name)`: where it changes. Each is named
    `prefix` + its name (an object's fields inside the request's)."""
    errors: dict[str, list[str]] = {}
    values = None
    for name, value in sent.items():
        if name in writable:
            continue
        if name in hidden:
            errors[name] = [str(SENSITIVE_NOT_YOURS) % {"name": name}]
        elif name not in readable:
            errors[name] = [str(NOT_A_FIELD) % {"name": name}]
        else:
            if stored is not None:
                values = stored() if values is None else values
                if values.get(name) == value:
                    continue  # sent back as read
            hint = where(name) if where else str(SET_BY_ADVOCASE)
            errors[name] = [str(CANNOT_BE_CHANGED) % {"name": name, "where": hint}]
    if errors:
        raise ValidationError({f"{prefix}{name}": messages for name, messages in errors.items()})


def stamp_etag(stamp: str) -> str:
    """The stamp as an ETag: its fields apart by ";", as If-Match lists tags by commas."""
    return '"' + stamp.replace(",", ";") + '"'


def if_match_stamp(
    request: Request, *, instance: Any, names: Collection[str]
) -> str | Response | None:
    """The edit stamp If-Match sends, for the check under the write's lock; None without
    If-Match (or with "*"); a 412 response for a tag that is no stamp of these fields (a
    weak tag is taken as its strong one: a proxy may have weakened it)."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    tags = parse_etags(header)
    if "*" in tags:
        return None
    for tag in tags:
        stamp = tag.removeprefix("W/").strip('"').replace(";", ",")
        if {part.partition(":")[0] for part in stamp.split(",")} == set(names):
            return stamp
    response = Response(
        {"errors": [{"field": None, "message": str(ETAG_NOT_MATCHED)}]},
        status=http_status.HTTP_412_PRECONDITION_FAILED,
    )
    return with_etag(response, instance=instance, names=names)


def edited_meanwhile_response(meanwhile: EditedMeanwhile) -> Response:
    """412 naming each field changed since the client read it, with the record's ETag now."""
    return Response(
        {
            "errors": [
                {"field": name, "message": str(CHANGED_MEANWHILE)} for name in meanwhile.fields
            ]
        },
        status=http_status.HTTP_412_PRECONDITION_FAILED,
        headers={"ETag": stamp_etag(meanwhile.stamp)},
    )


def with_etag(response: Response, *, instance: Any, names: Collection[str]) -> Response:
    response["ETag"] = stamp_etag(edit_stamp(instance=instance, names=names))
    return response
