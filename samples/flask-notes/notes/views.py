"""The site: a health check, the version, and notes that a Celery task marks as seen."""

import time
from pathlib import Path

from flask import Blueprint, abort, current_app, jsonify, request

from notes import VERSION
from notes.db import get_db

bp = Blueprint("notes", __name__)


@bp.after_app_request
def add_version(response):
    response.headers["X-Version"] = VERSION
    return response


@bp.get("/health")
def health():
    with get_db().cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


@bp.get("/version")
def version():
    return VERSION


@bp.get("/pages/about")
def about():
    """A page the same for every visitor, which nginx may cache: when it was made tells a cached
    answer from a new one."""
    return f"{VERSION} rendered {time.time_ns()}"


@bp.get("/starts")
def starts():
    """How many processes have started, read from the instance folder."""
    lines = (Path(current_app.instance_path) / "starts.log").read_text(encoding="utf-8")
    return str(len(lines.splitlines()))


@bp.post("/notes")
def add_note():
    body = request.form.get("body", "")
    if not body or len(body) > 1000:
        abort(400)
    db = get_db()
    with db, db.cursor() as cursor:
        cursor.execute("INSERT INTO note (body) VALUES (%s) RETURNING id", (body,))
        note_id = cursor.fetchone()[0]
    from notes.tasks import mark_seen

    mark_seen.delay(note_id)
    return jsonify(id=note_id), 201


@bp.get("/notes/<int:note_id>")
def get_note(note_id):
    with get_db().cursor() as cursor:
        cursor.execute("SELECT body, seen FROM note WHERE id = %s", (note_id,))
        row = cursor.fetchone()
    if row is None:
        abort(404)
    return jsonify(id=note_id, body=row[0], seen=row[1])


@bp.get("/notes")
def count_notes():
    with get_db().cursor() as cursor:
        cursor.execute("SELECT count(*) FROM note")
        return str(cursor.fetchone()[0])

