"""The Celery application: `celery -A pulley_sample.tasks worker` (and `beat`)."""

from celery import Celery
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from pulley_sample import settings
from pulley_sample.models import Task, utcnow

_settings = settings.load()

app = Celery("pulley_sample", broker=_settings["celery.broker_url"])
app.conf.update(
    task_ignore_result=True,
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    beat_schedule={
        "count-queued": {"task": "pulley_sample.tasks.count_queued", "schedule": 60.0},
    },
)

_engine = create_engine(_settings["sqlalchemy.url"], pool_pre_ping=True)


@app.task(name="pulley_sample.tasks.mark_done")
def mark_done(task_id):
    """Marks a queued row done; the web app enqueues this for every /enqueue."""
    with Session(_engine) as session, session.begin():
        task = session.get(Task, task_id)
        if task is None:
            return False
        task.done_at = utcnow()
        return True


@app.task(name="pulley_sample.tasks.count_queued")
def count_queued():
    """The beat schedule's periodic task: how many rows wait for the worker."""
    with Session(_engine) as session:
        return session.scalar(select(func.count(Task.id)).where(Task.done_at.is_(None)))
