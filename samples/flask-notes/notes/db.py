"""The database: one table of notes in PostgreSQL, reached through DATABASE_URL."""

import click
import psycopg2
from flask import current_app, g

# The Flask tutorial's init-db drops the table first: run in every release, it would wipe the
# data. The manifest guards it (once: host), which is the point of this sample.
SCHEMA = """
DROP TABLE IF EXISTS note;
CREATE TABLE note (
    id SERIAL PRIMARY KEY,
    body TEXT NOT NULL,
    seen BOOLEAN NOT NULL DEFAULT FALSE
);
"""


def connect(url):
    return psycopg2.connect(url)


def get_db():
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE_URL"])
    return g.db


def close_db(_error=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


@click.command("init-db")
def init_db_command():
    """Drops and creates the tables (the tutorial's command)."""
    with get_db() as db, db.cursor() as cursor:
        cursor.execute(SCHEMA)
    click.echo("Initialized the database.")


def init_app(app):
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
