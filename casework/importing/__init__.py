"""Partner spreadsheet imports, from the file's bytes to written records.

Files (bytes -> rows of cells): parsing (the entry: format by content, CSV and text),
xlsx and ods (the spreadsheet readers), xml_parts (zip-bomb checks, and the one place that
refuses XML entity declarations), cells (rows, cell text, the limits every format keeps).

Columns: mapping (which column means which field; remembered per organisation).

Rows (cells -> values): rows (each row's values or its errors, naming row and column),
reading cells by kind in values (names, gender, occupation, text), dates, status_words and
charges.

Matching (rows -> people and cases): matching (import_plan_build and its steps),
case_matching (which of the organisation's cases a row describes, and the values it gives
it, dates with their precision), candidates (who a row may be and who it is), references (the organisation's own case references),
audience (what the target organisation may see), lookups (bulk queries), plan (what each
row will do).

Writing (plan -> database, one transaction, with history): writing, writing_people,
writing_cases, status_events (the one place the import writes status events); the bulk
writer itself is common.bulk.

Runs (the ImportRun lifecycle every entry point calls): runs, with run_files (the upload
and side files, and the purge of abandoned uploads that casework.tasks runs), run_planning,
run_preview, run_progress and access (who may import where and see which runs); preview
(what the preview page shows of a plan), forms and template (the XLSX template)."""
