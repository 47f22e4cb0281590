"""CSV import and export of clients, workers, tasks and trips (see api/convert/csv_records.py).

`POST /import/{kind}` with a CSV body imports every row or none: one bad row and the
answer (422) lists every bad row with its column and value. Rows are new records; an
id already stored is a bad row (change stored records with PUT and their ETag).
At most `TRASA_MAX_IMPORT_ROWS` rows (default 2000) per file: more are refused at once.
`GET /export/{kind}` answers the stored records as CSV. Coordinators only.
"""
# No `from __future__ import annotations`: FastAPI reads these annotations at runtime.

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel

from api.app.caps import over_cap
from api.app.deps import SessionDep, get_settings, require
from api.app.errors import ApiError, FieldError, responses
from api.app.geocoded import located
from api.app.privacy import audit_reads
from api.convert.csv_records import CsvError, CsvProblem, TooManyRows, read_csv, write_csv
from api.settings import Settings
from api.store import records
from api.store.records import RecordError
from api.store.tables import User
from api.store.users import Role

router = APIRouter(tags=["csv"])
coordinators = Depends(require(Role.COORDINATOR))
CsvKind = Literal["clients", "workers", "tasks", "trips"]
CSV_BODY = {"requestBody": {"required": True, "content": {"text/csv": {
    "schema": {"type": "string"},
    "example": "id;name;address;phone;lat;lon\nc-1;Zofia Wąsowska;ul. Lubelska 1;"
               "+48 600 100 200;51.1331;23.4716\n"}}}}


class Imported(BaseModel):
    kind: str
    imported: int


def _problem(p: CsvProblem) -> FieldError:
    return FieldError(field=f"row {p.row}.{p.column}", value=p.value, message=p.message)


@router.post("/import/{kind}", status_code=201, response_model=Imported,
             dependencies=[coordinators], responses=responses(401, 403, 422, body=True),
             openapi_extra=CSV_BODY, summary="Import a CSV file (every row or none)",
             operation_id="import_csv")
async def import_csv(kind: CsvKind, request: Request, session: SessionDep,
                     settings: Annotated[Settings, Depends(get_settings)]) -> Imported:
    data = await request.body()
    try:
        resources = read_csv(kind, data, max_rows=settings.max_import_rows)
    except CsvError as exc:
        raise ApiError(422, str(exc), errors=[_problem(p) for p in exc.problems]) from None
    except TooManyRows as exc:
        raise over_cap("body", exc.rows, exc.cap, "rows", "TRASA_MAX_IMPORT_ROWS") from None
    store_kind = records.KINDS[kind]
    problems: list[CsvProblem] = []
    rows = list(enumerate(resources, start=2))
    if kind == "trips":  # an outbound is stored before its return names it
        depth = records.return_depths(resources)
        rows.sort(key=lambda row: depth[row[1].id])  # type: ignore[attr-defined]
    for number, resource in rows:
        try:  # a row is checked before it is written: a bad one writes nothing
            records.create_record(session, store_kind, located(resource, settings))
        except ApiError as exc:  # an address that cannot be geocoded
            problems.append(CsvProblem(number, "address", getattr(resource, "address", ""),
                                       exc.detail))
        except RecordError as exc:
            problems.append(CsvProblem(number, getattr(exc, "field", "id"),
                                       str(getattr(exc, "value", resource.id)),  # type: ignore[attr-defined]
                                       str(exc)))
    if problems:
        session.rollback()  # nothing of the file is kept
        error = CsvError(problems)
        raise ApiError(422, str(error), errors=[_problem(p) for p in problems])
    session.commit()
    return Imported(kind=kind, imported=len(resources))


@router.get("/export/{kind}", dependencies=[coordinators],
            responses={200: {"content": {"text/csv": {}}, "description": "the records"},
                       **responses(401, 403, 422)},
            response_class=Response, summary="Export the stored records as CSV",
            operation_id="export_csv")
def export_csv(kind: CsvKind, session: SessionDep,
               user: Annotated[User, coordinators]) -> Response:
    store_kind = records.KINDS[kind]
    resources = records.all_resources(session, store_kind)
    if kind in ("clients", "tasks", "trips"):  # the clients named are read
        audit_reads(session, user.username,
                    (r.id if kind == "clients" else r.client for r in resources))
    return Response(write_csv(kind, resources), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{kind}.csv"'})
