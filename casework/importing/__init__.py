"""Partner spreadsheet imports: parsing (files -> cells), mapping (columns -> fields),
values (cells -> model values), audience (what the target organisation may see), matching
(rows -> plan), writing (plan -> database, one transaction, with history), preview (what
the preview page shows of a plan), runs (the ImportRun lifecycle every entry point calls)
and tasks (the periodic purge of abandoned uploads)."""
