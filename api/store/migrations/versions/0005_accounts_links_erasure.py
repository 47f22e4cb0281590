"""accounts, calendar links, erasure

Accounts gain `disabled`, `token_version` (in every log-in token: one more ends them
all) and `deleted_at` (a deleted account's row stays, without a password, so its name is
never reused). Calendar links become records (`calendar_links`: a digest of the
secret, the worker, expiry, revocation); the links made before (signed tokens that
never expired) stop working. Plans gain `redactions`: how many times a client's
personal data was erased from the document.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('calendar_links',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('secret_hash', sa.String(length=64), nullable=False),
    sa.Column('worker_id', sa.String(length=100), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('calendar_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_links_worker_id'), ['worker_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disabled', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('token_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('redactions', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('redactions')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('deleted_at')
        batch_op.drop_column('token_version')
        batch_op.drop_column('disabled')
    with op.batch_alter_table('calendar_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_links_worker_id'))
    op.drop_table('calendar_links')
