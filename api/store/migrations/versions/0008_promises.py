"""promises: tasks and trips a client was promised a window for

A task's or trip's record carries its promise in its body (`promise`: the window, who
made it and when; api/schemas/records.py). The new `tasks.promised` column says which
rows hold one, so an offer finds every promise of its days without reading every body;
rows stored before are read here once and marked. The audit log gains `detail`: the
reason given for withdrawing, moving or cancelling a promise.

Revision ID: 0008_promises
Revises: 0007_plan_reading
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = '0008_promises'
down_revision = '0007_plan_reading'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('tasks', sa.Column('promised', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.create_index('ix_tasks_promised', 'tasks', ['promised'])
    op.add_column('audit_log', sa.Column('detail', sa.Text(), nullable=True))
    tasks = sa.table('tasks', sa.column('id', sa.String()), sa.column('body', sa.JSON()),
                     sa.column('promised', sa.Boolean()))
    bind = op.get_bind()
    held = [row.id for row in bind.execute(sa.select(tasks.c.id, tasks.c.body))
            if isinstance(row.body, dict) and row.body.get('promise')]
    if held:
        bind.execute(sa.update(tasks).where(tasks.c.id.in_(held)).values(promised=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_column('detail')
    op.drop_index('ix_tasks_promised', table_name='tasks')
    with op.batch_alter_table('tasks', schema=None) as batch_op:
        batch_op.drop_column('promised')
