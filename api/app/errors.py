"""One shape for every error: RFC 9457 problem details (`application/problem+json`).

`{"type", "title", "status", "detail", "errors": [{"field", "value", "message"}]}`:
422s name the field path and the value; 401/403/404/409/412/428/429 say what to do.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException

from api.convert.scenario import InputRefused, ScenarioError
from api.schemas.records import RecordsError
from api.services.published_plan import PlanNotReadable
from api.store.plans import PlanConflict
from api.store.records import (
    BadFilter,
    BadReference,
    RecordExists,
    RecordInUse,
    RecordNotFound,
    VersionMismatch,
)

PROBLEM_JSON = "application/problem+json"
MAX_OFFSET = 1_000_000  # pages start at most this far in


class FieldError(BaseModel):
    field: str
    value: Any = None
    message: str


class Problem(BaseModel):
    """An error (RFC 9457)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: list[FieldError] = []


TITLES = {400: "Bad request", 401: "Not logged in", 403: "Not allowed", 404: "Not found",
          409: "Conflict", 412: "Changed by someone else", 413: "Too large",
          422: "Invalid input",
          428: "Version needed", 429: "Too many requests", 503: "Not available now"}


def problem(status: int, detail: str, *, errors: list[FieldError] | None = None,
            headers: dict[str, str] | None = None,
            extra: dict[str, Any] | None = None) -> JSONResponse:
    """The problem document; `extra`: members beside the standard ones (a 409 of an
    offer carries fresh offers)."""
    body = Problem(title=TITLES.get(status, "Error"), status=status, detail=detail,
                   errors=errors or [])
    return JSONResponse({**(extra or {}), **body.model_dump()}, status_code=status,
                        media_type=PROBLEM_JSON, headers=headers)


class ApiError(Exception):
    """Raised by routes: becomes a problem-details answer."""

    def __init__(self, status: int, detail: str, *, errors: list[FieldError] | None = None,
                 headers: dict[str, str] | None = None,
                 extra: dict[str, Any] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors, headers
        self.extra = extra


def responses(*statuses: int, body: bool = False) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the error statuses a route can answer; a route that reads a
    body also answers 400 to one that is not JSON and 413 to one over the byte cap."""
    return {s: {"model": Problem, "description": TITLES.get(s, "Error"),
                "content": {PROBLEM_JSON: {}}}
            for s in (*((400, 413) if body else ()), *statuses)}


def _field_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_request: Request, exc: ApiError) -> JSONResponse:
        return problem(exc.status, exc.detail, errors=exc.errors, headers=exc.headers,
                       extra=exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [FieldError(field=_field_path(tuple(e["loc"])), value=_jsonable(e.get("input")),
                             message=e["msg"]) for e in exc.errors()]
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
        return problem(422, detail, errors=errors)

    @app.exception_handler(HTTPException)
    async def _http(_request: Request, exc: HTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail),
                       headers=dict(exc.headers) if exc.headers else None)

    for kind, status in PLAIN_STATUS.items():
        app.add_exception_handler(kind, _plain(status))

    @app.exception_handler(VersionMismatch)
    async def _stale(_request: Request, exc: VersionMismatch) -> JSONResponse:
        return problem(412, str(exc), headers={"ETag": etag(exc.current)})

    @app.exception_handler(BadFilter)
    async def _filter(_request: Request, exc: BadFilter) -> JSONResponse:
        return problem(422, str(exc), errors=[FieldError(field=f"query.{exc.name}",
                                                         value=_jsonable(exc.value),
                                                         message=str(exc))])

    @app.exception_handler(InputRefused)
    async def _refused(_request: Request, exc: InputRefused) -> JSONResponse:
        return problem(422, str(exc), errors=[
            FieldError(field=r.field, message=r.message, value={
                k: _jsonable(v) for k, v in r.value.items()} if isinstance(r.value, dict)
                else _jsonable(r.value))
            for r in exc.refusals])

    @app.exception_handler(IntegrityError)
    async def _clash(_request: Request, _exc: IntegrityError) -> JSONResponse:
        # Two requests writing the same id at once: the database's key decides. The
        # error's text is not shown (nor logged): it quotes the row.
        return problem(409, "the record clashes with one stored meanwhile (the same id, "
                            "perhaps written at the same moment); read it and try again")

    @app.exception_handler(BadReference)
    async def _reference(_request: Request, exc: BadReference) -> JSONResponse:
        return problem(422, str(exc), errors=[FieldError(field=f"body.{exc.field}",
                                                         value=exc.value, message=str(exc))])


# Errors whose message says it all: the status each becomes.
PLAIN_STATUS: dict[type[Exception], int] = {
    RecordNotFound: 404, RecordExists: 409, RecordInUse: 409, PlanConflict: 409,
    PlanNotReadable: 409, ScenarioError: 422, RecordsError: 422}


def _plain(status: int) -> Any:
    async def handler(_request: Request, exc: Exception) -> JSONResponse:
        return problem(status, str(exc))

    return handler


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    text = repr(value)
    return text if len(text) <= 200 else text[:197] + "..."


def etag(version: int) -> str:
    return f'"{version}"'


def parse_if_match(header: str | None) -> int:
    """The version named by an `If-Match` header; 428 without one, 412 if unreadable."""
    if header is None:
        raise ApiError(428, "If-Match: send the ETag of the version you read, so that a "
                            "change made by someone else since is not overwritten")
    text = header.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise ApiError(412, f"If-Match: {header!r} is not an ETag of this record")
    return int(text)
