"""`python manage.py detect_mentions FILE [--format json]`: the known people a file names.

start and end are offsets in characters (Unicode code points, not bytes) into the text as
read: for a TXT file, the file decoded from UTF-8 or Windows-1251 with its line ends as
they are (a Windows line end counts two) and without a UTF-8 byte-order mark, so that
text[start:end] is the matched text; for PDF, HTML and DOCX, the text extracted from the
file, as the app keeps it for a document."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from advocacy.detection import document_text_find_people
from advocacy.extraction import document_file_text_as_read


class Command(BaseCommand):
    help = (
        "Print the known people a PDF, HTML, DOCX or TXT file names, with the text that names "
        "them and its start and end: character offsets into the text as read (for TXT the "
        "decoded file, line ends unchanged and any UTF-8 byte-order mark left out; for PDF, "
        "HTML and DOCX the text extracted from the file)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Path of a PDF, HTML, DOCX or TXT file.")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file: str, format: str, **options) -> None:
        try:
            with open(file, "rb") as uploaded_file:
                text = document_file_text_as_read(uploaded_file=uploaded_file)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        except ValidationError as error:
            raise CommandError(f"{file}: {' '.join(error.messages)}") from None
        detected = document_text_find_people(text=text)
        if format == "json":
            rows = [
                {
                    "person_id": name.person_id,
                    "name": name.name,
                    "matched_text": name.matched_text,
                    "start": name.start,
                    "end": name.end,
                }
                for name in detected
            ]
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        if not detected:
            self.stdout.write("No known person is named in this file.")
            return
        for name in detected:
            matched = " ".join(name.matched_text.split())
            self.stdout.write(
                f"{name.start}-{name.end}\t{name.person_id}\t{name.name}\t«{matched}»"
            )
