"""the plan that keeps the promises of days with no plan

When an offer of days that have no plan is accepted, the plan that kept every promise
then is stored (`promise_packings`: per first day and number of days, with the road network's
hash and a digest of the promises it keeps): the next offer of those days starts from it, in
any server process, and a plan of the days that left a promise out falls back on it.

Revision ID: 0012_promise_packings
Revises: 0011_devices
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0012_promise_packings'
down_revision = '0011_devices'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'promise_packings',
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('days', sa.Integer(), nullable=False),
        sa.Column('network', sa.String(length=80), nullable=False),
        sa.Column('promises', sa.String(length=64), nullable=False),
        sa.Column('document', sa.JSON(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint('first_day', 'days'),
    )


def downgrade() -> None:
    op.drop_table('promise_packings')
