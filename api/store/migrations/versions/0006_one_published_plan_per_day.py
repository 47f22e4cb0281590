"""one published plan per day

On PostgreSQL, an exclusion constraint: no two published plans whose days overlap. It
backs up the publishing lock (api/store/plans.py): whatever writes plan rows, the
database itself refuses a second published plan for a day. The constraint is on the
date range only (GiST on ranges is built in: no extension needed), limited to published
rows. Published plans that overlap already (left by the race this closes) are settled
first: each one overlapping a plan published later is superseded by it, as a publish
would have done. SQLite has no such constraints: there, the lock alone keeps the rule.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

NAME = "plans_one_published_per_day"
DAYS = "daterange(first_day, last_day, '[]')"


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    later = """FROM plans AS new
        WHERE new.status = 'published' AND new.id <> old.id
          AND daterange(new.first_day, new.last_day, '[]')
              && daterange(old.first_day, old.last_day, '[]')
          AND (new.published_at, new.id) > (old.published_at, old.id)"""
    op.execute(f"""UPDATE plans AS old SET status = 'superseded', superseded_by = (
        SELECT new.id {later} ORDER BY new.published_at, new.id LIMIT 1)
        WHERE old.status = 'published' AND EXISTS (SELECT 1 {later})""")
    op.execute(f"ALTER TABLE plans ADD CONSTRAINT {NAME} "
               f"EXCLUDE USING gist ({DAYS} WITH &&) WHERE (status = 'published')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE plans DROP CONSTRAINT {NAME}")
