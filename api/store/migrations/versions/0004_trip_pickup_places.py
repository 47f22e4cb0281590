"""trip pickup places

Stored trips gain `pickup` (a place; null: the client's home). Existing trips are
filled in: a return's pickup is its outbound's drop-off (that place gets the id
`destination:<outbound id>`, the id the scenario built from records gave it already, so
both trips name one location); any other trip's pickup is null, the client's home.
Every trip row changed gets a new version, so a client holding an older ETag reads the
trip again before replacing it.

The downgrade takes out what the older code cannot read: trips' `pickup` and place
`id`s, clients' `home_location`, workers' `base_location`.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _records(name: str, *, kind: bool = False) -> sa.TableClause:
    columns: list[sa.ColumnClause[Any]] = [
        sa.column('id', sa.String), sa.column('version', sa.Integer), sa.column('body', sa.JSON)]
    if kind:
        columns.append(sa.column('kind', sa.String))
    return sa.table(name, *columns)


def _trips(connection: sa.Connection) -> tuple[sa.TableClause, dict[str, dict[str, Any]],
                                                 dict[str, int]]:
    tasks = _records('tasks', kind=True)
    rows = connection.execute(sa.select(tasks.c.id, tasks.c.version, tasks.c.body)
                              .where(tasks.c.kind == 'trip').order_by(tasks.c.id)).all()
    return (tasks, {r.id: dict(r.body) for r in rows}, {r.id: r.version for r in rows})


def _write(connection: sa.Connection, table: sa.TableClause, record_id: str,
           body: dict[str, Any], version: int) -> None:
    connection.execute(sa.update(table).where(table.c.id == record_id)
                       .values(body=body, version=version + 1))


def upgrade() -> None:
    connection = op.get_bind()
    tasks, bodies, versions = _trips(connection)
    changed: dict[str, dict[str, Any]] = {}
    for trip_id, body in bodies.items():
        outbound_id = body.get('return_of')
        if 'pickup' in body or outbound_id not in bodies:
            continue
        outbound = changed.get(outbound_id, bodies[outbound_id])
        dropoff = dict(outbound['dropoff'])
        if not dropoff.get('id'):
            dropoff['id'] = f'destination:{outbound_id}'
            changed[outbound_id] = {**outbound, 'dropoff': dropoff}
        changed[trip_id] = {**changed.get(trip_id, body), 'pickup': dropoff}
    for trip_id, body in bodies.items():
        if 'pickup' not in changed.get(trip_id, body):  # an outbound: the client's home
            changed[trip_id] = {**changed.get(trip_id, body), 'pickup': None}
    for trip_id, body in changed.items():
        _write(connection, tasks, trip_id, body, versions[trip_id])


def downgrade() -> None:
    connection = op.get_bind()
    tasks, bodies, versions = _trips(connection)
    for trip_id, body in bodies.items():
        dropoff = {k: v for k, v in body['dropoff'].items() if k != 'id'}
        _write(connection, tasks, trip_id,
               {**{k: v for k, v in body.items() if k != 'pickup'}, 'dropoff': dropoff},
               versions[trip_id])
    for name, field in (('clients', 'home_location'), ('workers', 'base_location')):
        table = _records(name)
        for row in connection.execute(sa.select(table.c.id, table.c.version, table.c.body)):
            if field in row.body:
                _write(connection, table, row.id,
                       {k: v for k, v in row.body.items() if k != field}, row.version)
