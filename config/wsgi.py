import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# The URLconf, the admin's (with every app's admin, config/apps.py) and the API's load as the
# worker starts, as before, rather than during its first request.
import_module(settings.ROOT_URLCONF).urlconf_load_whole()
