"""issued call lists

A day's call list (api/render/call_list.py) is stored each time it is issued: the day,
the plan it was read from, who issued it and when, and per client what they were told
(task ids, windows, workers' ids; no names or phones), so that the next list of the day
marks what changed since.

Revision ID: 0009_call_lists
Revises: 0008_promises
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0009_call_lists'
down_revision = '0008_promises'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'call_lists',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('plan_id', sa.String(length=36), nullable=False),
        sa.Column('issued_by', sa.String(length=100), nullable=False),
        sa.Column('issued_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column('rows', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_call_lists_day', 'call_lists', ['day'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_call_lists_day', table_name='call_lists')
    op.drop_table('call_lists')
