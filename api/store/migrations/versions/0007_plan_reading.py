"""a plan's reading stored with it

Plans gain `verdict` (the independent checker's result on the plan as it will be read:
passed, and the rules broken) and `reading` (what its outputs need that otherwise takes
the road graph: the travel matrix of its places, each leg's path along the streets, the
streets of its town; api/services/reading.py). Jobs gain `reading` too: the job's
process, which has the graph loaded, writes it beside the plan, and a plan version made
from the job copies it.

Plans stored before this migration keep both empty: their reading is made on their
first read (or when published) from the road graph, once, and stored then
(api/services/published_plan.py); nothing is computed here.

Revision ID: 0007_plan_reading
Revises: 0006
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_plan_reading'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('plans', sa.Column('verdict', sa.JSON(), nullable=True))
    op.add_column('plans', sa.Column('reading', sa.JSON(), nullable=True))
    op.add_column('jobs', sa.Column('reading', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_column('reading')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('reading')
        batch_op.drop_column('verdict')
