"""English dates as the app writes them everywhere: 6 Dec 2026, 6 Dec 2026, 17:49."""

from django.conf.locale.en.formats import *  # noqa: F403 - Django's, with ours on top

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
