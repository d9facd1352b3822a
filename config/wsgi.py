import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The URLconf (and with it every app's admin, config/apps.py) loads as the worker starts, as
# before, rather than during its first request.
import_module(settings.ROOT_URLCONF)
