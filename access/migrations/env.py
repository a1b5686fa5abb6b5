"""Alembic environment of the app database. access.migrate passes the connection in, inside its
transaction and lock; from the alembic command line (writing a new revision) it connects to
APP_DB_URL, else data/app.db."""

import os

from alembic import context
from sqlalchemy import create_engine

from access import db

connection = context.config.attributes.get("connection")


def _run(conn) -> None:
    # render_as_batch: SQLite alters a table by copying it, which batch mode writes for us
    context.configure(connection=conn, target_metadata=db.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # not db.engine(): that would migrate before alembic gets to look
    with create_engine(os.environ.get("APP_DB_URL") or db.DEFAULT_URL).connect() as conn:
        _run(conn)
