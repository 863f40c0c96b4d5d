"""The portal's database: one schema for SQLite and PostgreSQL, created and upgraded by Alembic.

Every row table is keyed by submission: a submission is one file as received, and of the accepted
submissions of a campaign the one with the latest data (`data_as_of`), then the latest received, is
its current state. Typed columns hold what the rollup's
roles name (what BI tools filter on); `data` holds the whole row as JSON.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

metadata = sa.MetaData()


def _rows(name: str, *columns: sa.Column) -> sa.Table:
    return sa.Table(
        name, metadata,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("campaign_id", sa.Text, index=True),
        *columns)


submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("sha256", sa.String(64), nullable=False, index=True),
    sa.Column("filename", sa.Text, nullable=False),   # as the sender named it; never used as a path
    sa.Column("size", sa.Integer, nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("submitted_by", sa.String(100), nullable=False, index=True),   # "" for the local user-less portal and rollups
    sa.Column("source", sa.String(20), nullable=False),       # portal | rollup
    sa.Column("status", sa.Text, nullable=False),          # clean | warnings | errors | rejected | not_campaign
    sa.Column("accepted", sa.Boolean, nullable=False),        # readable and no errors
    sa.Column("code", sa.Text),                               # why a rejected file was rejected
    sa.Column("message", sa.Text),
    sa.Column("campaign_id", sa.Text, index=True),            # None for a file that is no campaign workbook
    sa.Column("data_as_of", sa.Date),                         # its last day with a KPI figure: picks the current one
    sa.Column("template", sa.Text),
    sa.Column("locale", sa.String(10)),
    sa.Column("errors", sa.Integer, nullable=False),
    sa.Column("warnings", sa.Integer, nullable=False),
    sa.Column("alerts", sa.Integer, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),             # the validate --format json file entry
    sa.Column("summary", sa.JSON),                            # the rollup's FileSummary (codec.py)
    sa.UniqueConstraint("sha256", "submitted_by", name="uq_submissions_sha256_sender"),   # the same bytes again: the same submission
)

facts = _rows(
    "campaign_facts",
    sa.Column("name", sa.Text), sa.Column("code", sa.Text), sa.Column("scenario", sa.Text),
    sa.Column("lead", sa.Text), sa.Column("start", sa.Date), sa.Column("end", sa.Date),
    sa.Column("budget", sa.Float), sa.Column("budget_planned", sa.Float), sa.Column("budget_actual", sa.Float),
    sa.Column("tasks_total", sa.Integer), sa.Column("tasks_done", sa.Integer), sa.Column("tasks_overdue", sa.Integer),
    sa.Column("risks_open_high", sa.Integer), sa.Column("attainment", sa.Float), sa.Column("data", sa.JSON),
    sa.Column("data_as_of", sa.Date), sa.Column("tasks_unfinished_at_close", sa.Integer))
budget = _rows("budget_lines", sa.Column("category", sa.Text), sa.Column("category_label", sa.Text),
               sa.Column("planned", sa.Float), sa.Column("actual", sa.Float))
tasks = _rows("tasks", sa.Column("status", sa.Text), sa.Column("end", sa.Date),
              sa.Column("slippage_days", sa.Integer), sa.Column("data", sa.JSON))
risks = _rows("risks", sa.Column("level", sa.String(10)), sa.Column("status", sa.Text), sa.Column("data", sa.JSON))
kpi_series = _rows("kpi_series", sa.Column("date", sa.Date), sa.Column("channel", sa.Text),
                   sa.Column("kpi", sa.Text), sa.Column("value", sa.Float), sa.Column("target", sa.Float),
                   sa.Column("status", sa.Text))
channels = _rows("channels", sa.Column("channel", sa.Text), sa.Column("budget", sa.Float))
issues = _rows("issues", sa.Column("severity", sa.String(10)), sa.Column("code", sa.Text),
               sa.Column("sheet", sa.Text), sa.Column("cell", sa.String(20)), sa.Column("message", sa.Text))

ROW_TABLES = {"budget": budget, "tasks": tasks, "risks": risks, "kpi_series": kpi_series, "channels": channels,
              "issues": issues}


def make_engine(url: str) -> Engine:
    """An engine for `url`; a SQLite file gets WAL and a busy timeout so several processes share it."""
    if url.startswith("sqlite"):
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _pragmas(conn, _record) -> None:   # noqa: ANN001 - DB-API connection
            cur = conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def upgrade(engine: Engine) -> None:
    """Create or upgrade the schema to the latest migration (Alembic, run in-process)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":   # several hosts starting at once: one migrates, the others wait
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(7432001)"))
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


__all__ = ["metadata", "submissions", "facts", "ROW_TABLES", "make_engine", "upgrade"]
