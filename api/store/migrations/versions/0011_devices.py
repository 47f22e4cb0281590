"""paired phones and each account's language

A worker's phone keeps a device credential (`devices`: a digest of the secret, the
account, a label, who made it, when it was last traded for a token, when it was
revoked) instead of a password. Accounts gain `language` (pl or uk; none: Polish):
what the worker's phone page, route sheets and calendar read.

Revision ID: 0011_devices
Revises: 0010_field_actions
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_devices'
down_revision = '0010_field_actions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'devices',
        sa.Column('id', sa.String(length=32), nullable=False),
        sa.Column('username', sa.String(length=100), nullable=False),
        sa.Column('label', sa.String(length=100), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('created_by', sa.String(length=100), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['username'], ['users.username']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_devices_username', 'devices', ['username'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('language', sa.String(length=5), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('language')
    op.drop_index('ix_devices_username', table_name='devices')
    op.drop_table('devices')
