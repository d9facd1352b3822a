"""Russian dates: 6 декабря 2026 (long), 11 февр. 2021 (tables), without Django's "г."."""

from django.conf.locale.ru.formats import *  # noqa: F403 - Django's, with ours on top

DATE_FORMAT = "j E Y"
SHORT_DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j E Y, H:i"
SHORT_DATETIME_FORMAT = "j N Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
THOUSAND_SEPARATOR = "\u202f"  # a narrow no-break space, as Russian typography writes 12 345
