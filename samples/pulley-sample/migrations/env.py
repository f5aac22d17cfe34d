"""Alembic environment: the URL comes from $PULLEY_SETTINGS, never from alembic.ini."""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from pulley_sample import settings
from pulley_sample.models import Base

if context.config.config_file_name is not None:
    fileConfig(context.config.config_file_name)

URL = settings.load()["sqlalchemy.url"]


def run_offline():
    context.configure(url=URL, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online():
    engine = create_engine(URL, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_offline()
else:
    run_online()
