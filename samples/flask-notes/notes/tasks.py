"""The Celery application: its broker is CELERY_BROKER_URL, set by the stack."""

import os

from celery import Celery

from notes import db

app = Celery("notes", broker=os.environ["CELERY_BROKER_URL"])
# This application's own queue: another application's worker on the same host never takes it.
app.conf.task_default_queue = "notes"
app.conf.broker_connection_retry_on_startup = True


@app.task
def mark_seen(note_id):
    with db.connect(os.environ["DATABASE_URL"]) as connection, connection.cursor() as cursor:
        cursor.execute("UPDATE note SET seen = TRUE WHERE id = %s", (note_id,))
    return note_id
