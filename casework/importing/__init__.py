"""Partner spreadsheet imports: parsing (files -> cells), mapping (columns -> fields),
values (cells -> model values), matching (rows -> plan), writing (plan -> database, one
transaction, with history) and runs (the ImportRun lifecycle every entry point calls)."""
