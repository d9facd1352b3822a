"""advocacy.documents: whether a quoted passage occurs in a document's text."""

from __future__ import annotations

import pytest

from advocacy.documents import document_text_contains_passage

# Text as PDF extraction gives it: a soft hyphen, a zero-width space, a ligature, and a
# word hyphenated at the end of a line.
PDF_TEXT = (
    "whereas Zhan\u00adbolat Mamay, the leader of the unregistered party, was de\u200btained;\n"
    "the ﬁrst hearing of Askhat Zheksebay-\nev was held in camera"
)


@pytest.mark.parametrize(
    "passage",
    [
        "whereas Zhanbolat Mamay, the leader of the unregistered party, was detained",
        "the first hearing of Askhat Zheksebayev was held",
        "Askhat Zheksebay- ev",  # as the page shows it
    ],
)
def test_it_finds_a_passage_in_text_with_the_artefacts_of_pdf_extraction(passage):
    assert document_text_contains_passage(full_text=PDF_TEXT, passage=passage)


def test_it_still_says_when_a_passage_is_not_in_the_text():
    assert not document_text_contains_passage(full_text=PDF_TEXT, passage="Zhanbolat Mamai")
    assert not document_text_contains_passage(full_text=PDF_TEXT, passage="\u200b ")
