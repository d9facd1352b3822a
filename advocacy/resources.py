"""django-import-export Resource for issuing bodies, the vocabulary advocacy owns (the case
vocabularies are in casework.resources, with the cell cleaning all of them share)."""

from __future__ import annotations

from advocacy.models import IssuingBody
from casework.resources import SpreadsheetSafeResource, VocabularyMeta


class IssuingBodyResource(SpreadsheetSafeResource):
    class Meta(VocabularyMeta):
        model = IssuingBody
        fields = ("name", "short_name", "kind")
        import_id_fields = ("name",)
