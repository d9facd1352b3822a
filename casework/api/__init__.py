"""The REST API, /api/v1/ (advocacy.api adds documents and mentions).

- authentication: personal tokens (casework.api_tokens) and the session (the docs page);
- permissions, throttling, pagination, errors: what every endpoint shares;
- serializers_*: how records read, with sensitive fields only for those who may see them;
- cases, people, timeline, follow_ups, vocabularies, notifications: thin views that fetch
  through casework.permissions and casework.visibility and write through the same
  functions as the forms (casework.status, casework.followups, casework.notifications);
- imports (with import_serializers): upload a spreadsheet, its preview in the command
  line's JSON shape, confirm, through casework.importing.runs as the import pages do;
- urls: the routes, the schema and the docs page.
"""
