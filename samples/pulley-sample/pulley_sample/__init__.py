"""A small Websauna-style Pyramid application that Pulley deploys in its tests and examples."""

from pathlib import Path

from pyramid.config import Configurator
from pyramid.events import NewResponse
from sqlalchemy import engine_from_config
from sqlalchemy.orm import sessionmaker

VERSION = Path(__file__).with_name("VERSION").read_text(encoding="utf-8").strip()


def main(global_config, **settings):
    """The PasteDeploy app factory (`use = egg:pulley-sample` or `call:pulley_sample:main`)."""
    config = Configurator(settings=settings)
    engine = engine_from_config(settings, "sqlalchemy.", pool_pre_ping=True)
    session_factory = sessionmaker(bind=engine)
    config.registry["dbengine"] = engine
    config.add_request_method(
        lambda request: _session(request, session_factory), "dbsession", reify=True
    )
    config.add_subscriber(_add_version_header, NewResponse)
    config.add_static_view(name="static", path="pulley_sample:static", cache_max_age=3600)
    config.add_route("home", "/")
    config.add_route("health", "/health")
    config.add_route("enqueue", "/enqueue")
    config.add_route("task", "/tasks/{id:\\d+}")
    config.scan(".views")
    return config.make_wsgi_app()


def _session(request, session_factory):
    session = session_factory()
    request.add_finished_callback(lambda _request: session.close())
    return session


def _add_version_header(event):
    event.response.headers["X-Version"] = VERSION
