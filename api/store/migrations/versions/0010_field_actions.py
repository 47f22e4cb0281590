"""field actions, corrections, closed days, odometer readings

What really happened (issue 30): each press on a worker's phone, stored once by its
idempotency key (accepted, or rejected with its reason and kept); coordinators'
corrections of a task's actual (audited); the days they closed; a bus's odometer at the
start and end of a day.

Revision ID: 0010_field_actions
Revises: 0009_call_lists
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_field_actions'
down_revision = '0009_call_lists'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'field_actions',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('key', sa.String(length=100), nullable=False),
        sa.Column('task_id', sa.String(length=100), nullable=False),
        sa.Column('worker_id', sa.String(length=100), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('phone_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('server_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('note', sa.String(length=200), server_default='', nullable=False),
        sa.Column('reason', sa.String(length=200), server_default='', nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('rejected_why', sa.String(length=30), nullable=True),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('key'),
    )
    op.create_index('ix_field_actions_task_id', 'field_actions', ['task_id'], unique=False)
    op.create_index('ix_field_actions_worker_id', 'field_actions', ['worker_id'], unique=False)
    op.create_index('ix_field_actions_day', 'field_actions', ['day'], unique=False)
    op.create_table(
        'actual_corrections',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('task_id', sa.String(length=100), nullable=False),
        sa.Column('outcome', sa.String(length=20), nullable=False),
        sa.Column('start', sa.DateTime(timezone=True), nullable=True),
        sa.Column('end', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('by', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_actual_corrections_task_id', 'actual_corrections', ['task_id'],
                    unique=False)
    op.create_table(
        'day_closures',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('closed_by', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint('day'),
    )
    op.create_table(
        'odometer_readings',
        sa.Column('vehicle_id', sa.String(length=100), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('start_km', sa.Integer(), nullable=False),
        sa.Column('end_km', sa.Integer(), nullable=True),
        sa.Column('by', sa.String(length=100), nullable=False),
        sa.Column('at', sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.PrimaryKeyConstraint('vehicle_id', 'day'),
    )


def downgrade() -> None:
    op.drop_table('odometer_readings')
    op.drop_table('day_closures')
    op.drop_index('ix_actual_corrections_task_id', table_name='actual_corrections')
    op.drop_table('actual_corrections')
    op.drop_index('ix_field_actions_day', table_name='field_actions')
    op.drop_index('ix_field_actions_worker_id', table_name='field_actions')
    op.drop_index('ix_field_actions_task_id', table_name='field_actions')
    op.drop_table('field_actions')
