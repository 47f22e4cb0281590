"""A client record given by its address only gets the address's coordinates (geocoded
online, cached): the records' routes and the CSV import take clients this way."""

from typing import Any

from api.app.errors import ApiError, FieldError
from api.schemas.records import ClientResource
from api.settings import Settings
from geo.geocode import GeocodeError, geocode


def located(body: Any, settings: Settings) -> Any:
    """A client given by address only gets the coordinates of the address (online)."""
    if not isinstance(body, ClientResource) or body.lat is not None:
        return body
    if not body.address.strip():
        raise ApiError(422, "lat, lon: give the home's coordinates or its address",
                       errors=[FieldError(field="body.lat", value=None,
                                          message="no coordinates and no address")])
    try:
        lat, lon = geocode(body.address, cache_dir=settings.cache_dir)
    except GeocodeError as exc:
        raise ApiError(422, str(exc), errors=[FieldError(
            field="body.address", value=body.address, message=str(exc))]) from None
    return body.model_copy(update={"lat": lat, "lon": lon})
