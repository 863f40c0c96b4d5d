"""Each submission's data-as-of date (its last day with a KPI figure), which picks a campaign's
current state; a campaign's data-as-of date and tasks unfinished at close among its facts

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD COLUMN (SQLite and PostgreSQL both have it): a batch copy of `submissions` on SQLite
    # would drop the table, and with foreign keys on, cascade the drop into every row table
    op.add_column('submissions', sa.Column('data_as_of', sa.Date(), nullable=True))
    op.add_column('campaign_facts', sa.Column('data_as_of', sa.Date(), nullable=True))
    op.add_column('campaign_facts', sa.Column('tasks_unfinished_at_close', sa.Integer(), nullable=True))
    # submissions made before: their last KPI day from their own KPI rows (the rows hold only figures)
    op.execute("UPDATE submissions SET data_as_of = "
               "(SELECT max(k.date) FROM kpi_series k WHERE k.submission_id = submissions.id)")
    op.execute("UPDATE campaign_facts SET data_as_of = "
               "(SELECT s.data_as_of FROM submissions s WHERE s.id = campaign_facts.submission_id)")


def downgrade() -> None:
    with op.batch_alter_table('campaign_facts', schema=None) as batch_op:
        batch_op.drop_column('tasks_unfinished_at_close')
        batch_op.drop_column('data_as_of')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_column('data_as_of')
