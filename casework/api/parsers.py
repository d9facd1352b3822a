"""The API's JSON parser: DRF's, refusing what no field of the API can hold.

- Half a character: JSON may spell a character outside the Basic Multilingual Plane as
  two escapes ("\\ud83d\\ude00"); one of them alone (a script that cut a string between
  the two) parses into a Python string that no database and no UTF-8 page can hold, so
  saving it failed with a server error. Refused, naming the field.
- Nesting: no request of the API nests lists and objects more than a few levels; a body
  nested a thousand deep made the decoder (or a walk over the data) exceed Python's
  recursion limit, a server error. Refused as a parse error."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

HALF_A_CHARACTER = _(
    "This text holds “%(escape)s”, half of a character (an unpaired surrogate escape): "
    "send the whole character, or remove it."
)
TOO_DEEP = _("The JSON body nests lists and objects more than %(limit)s levels deep.")
# The deepest request of the API is three levels (imports' decisions: object, list, object).
DEPTH_MAX = 16
_SURROGATE = re.compile("[\ud800-\udfff]")


def _halves(data: Any) -> dict[str, list[str]]:
    """Each place (field, `field.name`, `field.0`) whose text holds a surrogate, with the
    message naming the first one; ParseError if the data nests deeper than DEPTH_MAX."""
    found: dict[str, list[str]] = {}
    stack: list[tuple[Any, str, int]] = [(data, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > DEPTH_MAX:
            raise ParseError(TOO_DEEP % {"limit": DEPTH_MAX})
        if isinstance(value, dict):
            for key, item in value.items():
                key = str(key)
                name = _SURROGATE.sub("\N{REPLACEMENT CHARACTER}", key)
                place = f"{path}.{name}" if path else name
                stack += [(key, place, depth + 1), (item, place, depth + 1)]
        elif isinstance(value, list):
            for index, item in enumerate(value):
                stack.append((item, f"{path}.{index}" if path else str(index), depth + 1))
        elif isinstance(value, str) and (match := _SURROGATE.search(value)):
            escape = f"\\u{ord(match.group()):04x}"
            found[path or "non_field_errors"] = [str(HALF_A_CHARACTER % {"escape": escape})]
    return found


class JSONTextParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(TOO_DEEP % {"limit": DEPTH_MAX}) from None
        if halves := _halves(data):
            raise ValidationError(halves)
        return data
