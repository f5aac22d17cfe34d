"""HTTP views: a greeting, a health check, and a queue of work done by Celery."""

import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config
from sqlalchemy import text

from pulley_sample import VERSION
from pulley_sample.models import Task

log = logging.getLogger(__name__)


@view_config(route_name="home")
def home(request):
    return Response(f"pulley-sample {VERSION}\n", content_type="text/plain")


@view_config(route_name="health")
def health(request):
    try:
        with request.registry["dbengine"].connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any failure means unhealthy; the class name is enough
        log.warning("health check failed: %s", type(error).__name__)
        return Response("database unavailable\n", status=503, content_type="text/plain")
    return Response("ok", content_type="text/plain")


@view_config(route_name="enqueue")
def enqueue(request):
    message = request.params.get("message")
    if not message:
        raise HTTPBadRequest("message is required")
    try:
        seconds = float(request.params.get("seconds", "0"))
    except ValueError:
        raise HTTPBadRequest("seconds must be a number")
    task = Task(message=message)
    request.dbsession.add(task)
    request.dbsession.commit()
    # Imported here: the Celery app reads $PULLEY_SETTINGS, which only the running site needs.
    from pulley_sample.tasks import mark_done

    mark_done.delay(task.id, seconds)
    return Response(f"{task.id}\n", content_type="text/plain")


@view_config(route_name="task", renderer="json")
def task_status(request):
    task = request.dbsession.get(Task, int(request.matchdict["id"]))
    if task is None:
        raise HTTPNotFound()
    return task.as_dict()
