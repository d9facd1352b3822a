"""The REST API's documents: the list (the documents page's DocumentFilter) and one
document with its confirmed mentions of the cases the user may see and its impact figures
(advocacy.impact, as the document page). Built on casework.api."""
