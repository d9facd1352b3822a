import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from common.stack_room import with_room_on_the_stack

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Each request runs with room on the frame stack: without it, its middleware, views and
# templates map and unmap a 16 KiB chunk of frames some 200 times (common/stack_room.py).
application = with_room_on_the_stack(get_wsgi_application())

# The URLconf, the admin's (with every app's admin, config/apps.py) and the API's load as the
# worker starts, as before, rather than during its first request.
import_module(settings.ROOT_URLCONF).urlconf_load_whole()
