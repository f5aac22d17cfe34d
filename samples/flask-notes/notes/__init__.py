"""Notes: a Flask application factory whose settings are environment variables.

The stack sets DATABASE_URL and CELERY_BROKER_URL; the secret key comes from an application
secret as NOTES_SECRET_KEY. Nothing here knows about Pulley.
"""

import os
from pathlib import Path

from flask import Flask

VERSION = (Path(__file__).parent / "VERSION").read_text().strip()


def create_app():
    # The instance folder sits beside the package in the release; the stack links it to a
    # directory outside the release (stack.shared_dirs), so what is written there survives
    # releases and rollbacks.
    app = Flask(__name__, instance_path=str(Path(__file__).resolve().parent.parent / "instance"))
    app.config["SECRET_KEY"] = os.environ["NOTES_SECRET_KEY"]
    app.config["DATABASE_URL"] = os.environ["DATABASE_URL"]

    from notes import db, echo, views

    db.init_app(app)
    app.register_blueprint(views.bp)
    app.wsgi_app = echo.WebSocketEcho(app.wsgi_app)
    _count_start(app)
    return app


def _count_start(app):
    """Appends a line per process start to the instance folder: proof that it is writable."""
    with open(Path(app.instance_path) / "starts.log", "a", encoding="utf-8") as log:
        log.write(f"{VERSION} {os.getpid()}\n")
