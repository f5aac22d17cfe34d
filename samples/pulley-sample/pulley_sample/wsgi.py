"""The WSGI entry point for uWSGI: `module = pulley_sample.wsgi:application`."""

from pyramid.paster import get_app, setup_logging

from pulley_sample import settings

_path = str(settings.path())
setup_logging(_path)
application = get_app(_path, "main")
