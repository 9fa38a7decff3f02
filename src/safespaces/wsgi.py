"""WSGI entry point for gunicorn: `safespaces.wsgi:application`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "safespaces.settings")
application = get_wsgi_application()
