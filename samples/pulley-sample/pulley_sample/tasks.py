"""The Celery application: `celery -A pulley_sample.tasks worker` (and `beat`)."""

import time

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


MAX_SECONDS = 30


@app.task(name="pulley_sample.tasks.mark_done")
def mark_done(task_id, seconds=0):
    """Marks a queued row done after working `seconds`; the web app enqueues it for /enqueue."""
    time.sleep(min(max(float(seconds), 0.0), MAX_SECONDS))
    with Session(_engine) as session, session.begin():
        task = session.get(Task, task_id)
        if task is None:
            return False
        task.done_at = utcnow()
        task.runs = Task.runs + 1
        return True


@app.task(name="pulley_sample.tasks.count_queued")
def count_queued():
    """The beat schedule's periodic task: how many rows wait for the worker."""
    with Session(_engine) as session:
        return session.scalar(select(func.count(Task.id)).where(Task.done_at.is_(None)))
