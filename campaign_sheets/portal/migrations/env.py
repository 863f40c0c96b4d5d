"""Alembic environment: runs on the connection `db.upgrade` passes in (no alembic.ini needed)."""
from alembic import context

from campaign_sheets.portal.db import metadata

connection = context.config.attributes.get("connection")
if connection is None:   # `alembic revision --autogenerate` from a developer's shell
    import sqlalchemy as sa

    connection = sa.create_engine(context.config.get_main_option("sqlalchemy.url")).connect()
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
