"""The first schema: submissions and their rows

Revision ID: 0001
Revises: 
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('submissions',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.Text(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('status', sa.Text(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=False),
    sa.Column('code', sa.Text(), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.Column('campaign_id', sa.Text(), nullable=True),
    sa.Column('template', sa.Text(), nullable=True),
    sa.Column('locale', sa.String(length=10), nullable=True),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('warnings', sa.Integer(), nullable=False),
    sa.Column('alerts', sa.Integer(), nullable=False),
    sa.Column('report', sa.JSON(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('sha256', 'submitted_by', name='uq_submissions_sha256_sender')
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submissions_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_sha256'), ['sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_submissions_submitted_by'), ['submitted_by'], unique=False)

    op.create_table('budget_lines',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Text(), nullable=True),
    sa.Column('category', sa.Text(), nullable=True),
    sa.Column('category_label', sa.Text(), nullable=True),
    sa.Column('planned', sa.Float(), nullable=True),
    sa.Column('actual', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_budget_lines_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_budget_lines_submission_id'), ['submission_id'], unique=False)

    op.create_table('campaign_facts',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Text(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('code', sa.Text(), nullable=True),
    sa.Column('scenario', sa.Text(), nullable=True),
    sa.Column('lead', sa.Text(), nullable=True),
    sa.Column('start', sa.Date(), nullable=True),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('budget', sa.Float(), nullable=True),
    sa.Column('budget_planned', sa.Float(), nullable=True),
    sa.Column('budget_actual', sa.Float(), nullable=True),
    sa.Column('tasks_total', sa.Integer(), nullable=True),
    sa.Column('tasks_done', sa.Integer(), nullable=True),
    sa.Column('tasks_overdue', sa.Integer(), nullable=True),
    sa.Column('risks_open_high', sa.Integer(), nullable=True),
    sa.Column('attainment', sa.Float(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('campaign_facts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_campaign_facts_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_campaign_facts_submission_id'), ['submission_id'], unique=False)

    op.create_table('channels',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Text(), nullable=True),
    sa.Column('channel', sa.Text(), nullable=True),
    sa.Column('budget', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_channels_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_channels_submission_id'), ['submission_id'], unique=False)

    op.create_table('issues',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Text(), nullable=True),
    sa.Column('severity', sa.String(length=10), nullable=True),
    sa.Column('code', sa.Text(), nullable=True),
    sa.Column('sheet', sa.Text(), nullable=True),
    sa.Column('cell', sa.String(length=20), nullable=True),
    sa.Column('message', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_issues_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_issues_submission_id'), ['submission_id'], unique=False)

    op.create_table('kpi_series',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Text(), nullable=True),
    sa.Column('date', sa.Date(), nullable=True),
    sa.Column('channel', sa.Text(), nullable=True),
    sa.Column('kpi', sa.Text(), nullable=True),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('target', sa.Float(), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('kpi_series', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_series_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_series_submission_id'), ['submission_id'], unique=False)

    op.create_table('risks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Text(), nullable=True),
    sa.Column('level', sa.String(length=10), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_risks_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_risks_submission_id'), ['submission_id'], unique=False)

    op.create_table('tasks',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Text(), nullable=True),
    sa.Column('status', sa.Text(), nullable=True),
    sa.Column('end', sa.Date(), nullable=True),
    sa.Column('slippage_days', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tasks_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tasks_submission_id'), ['submission_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tasks_submission_id'))
        batch_op.drop_index(batch_op.f('ix_tasks_campaign_id'))

    op.drop_table('tasks')
    with op.batch_alter_table('risks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_risks_submission_id'))
        batch_op.drop_index(batch_op.f('ix_risks_campaign_id'))

    op.drop_table('risks')
    with op.batch_alter_table('kpi_series', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_series_submission_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_series_campaign_id'))

    op.drop_table('kpi_series')
    with op.batch_alter_table('issues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_issues_submission_id'))
        batch_op.drop_index(batch_op.f('ix_issues_campaign_id'))

    op.drop_table('issues')
    with op.batch_alter_table('channels', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_channels_submission_id'))
        batch_op.drop_index(batch_op.f('ix_channels_campaign_id'))

    op.drop_table('channels')
    with op.batch_alter_table('campaign_facts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_campaign_facts_submission_id'))
        batch_op.drop_index(batch_op.f('ix_campaign_facts_campaign_id'))

    op.drop_table('campaign_facts')
    with op.batch_alter_table('budget_lines', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_budget_lines_submission_id'))
        batch_op.drop_index(batch_op.f('ix_budget_lines_campaign_id'))

    op.drop_table('budget_lines')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submissions_submitted_by'))
        batch_op.drop_index(batch_op.f('ix_submissions_sha256'))
        batch_op.drop_index(batch_op.f('ix_submissions_campaign_id'))

    op.drop_table('submissions')
