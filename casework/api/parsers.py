"""The API's JSON parser: DRF's, refusing a text that holds half a character.

JSON may spell a character outside the Basic Multilingual Plane as two escapes
("\\ud83d\\ude00"); one of them alone (a script that cut a string between the two) parses
into a Python string that no database and no UTF-8 page can hold, so saving it failed with
a server error. It is refused here, once for every route, naming the field."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser

HALF_A_CHARACTER = _(
    "This text holds “%(escape)s”, half of a character (an unpaired surrogate escape): "
    "send the whole character, or remove it."
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _halves(data: Any, path: str = "") -> dict[str, list[str]]:
    """Each place (field, `field.name`, `field.0`) whose text holds a surrogate, with the
    message naming the first one."""
    if isinstance(data, dict):
        items = [(str(key), value) for key, value in data.items()]
        found = {}
        for key, value in items:
            name = _SURROGATE.sub("\N{REPLACEMENT CHARACTER}", key)
            place = f"{path}.{name}" if path else name
            if _SURROGATE.search(key):
                found.update(_halves(key, place))
            found.update(_halves(value, place))
        return found
    if isinstance(data, list):
        found = {}
        for index, item in enumerate(data):
            found.update(_halves(item, f"{path}.{index}" if path else str(index)))
        return found
    if isinstance(data, str) and (match := _SURROGATE.search(data)):
        escape = f"\\u{ord(match.group()):04x}"
        return {path or "non_field_errors": [str(HALF_A_CHARACTER % {"escape": escape})]}
    return {}


class JSONTextParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        if halves := _halves(data):
            raise ValidationError(halves)
        return data
