"""A worker's days as an iCalendar file for the phone (icalendar).

One event per stop (and per break), with the address as LOCATION and the coordinates
as GEO; times carry the plan's zone (Europe/Warsaw) with its VTIMEZONE, so a phone
shows the same local times as the sheet, also across the DST change. Nothing more
personal than the sheet holds: client name, address, phone, needs, what to bring."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from api.render.route_sheet import RouteSheet
from api.render.words import gettext as _

PRODID = "-//Trasa//route sheets//PL"


def worker_calendar(sheets: Sequence[RouteSheet], *, timezone: str = "Europe/Warsaw",
                    stamp: datetime | None = None) -> bytes:
    """The `.ics` bytes of `sheets` (one worker's days). `stamp` is DTSTAMP (default: the
    first sheet's first start, so the same plan gives the same file)."""
    zone = ZoneInfo(timezone)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-timezone", timezone)
    if sheets:
        calendar.add("x-wr-calname", f"Trasa: {sheets[0].worker}")
    for sheet in sheets:
        for row in sheet.rows:
            event = Event()
            start = datetime.fromisoformat(row.start_iso).astimezone(zone)
            event.add("dtstart", start)
            event.add("dtend", datetime.fromisoformat(row.end_iso).astimezone(zone))
            event.add("dtstamp", stamp or start)
            day = sheet.day.isoformat()
            if row.number:
                event.add("uid", f"{day}-{sheet.worker_id}-{row.task}-{row.what}@trasa")
                event.add("summary", f"{row.number}. {row.what}: {row.client}")
                event.add("location", row.address)
                if row.lat is not None and row.lon is not None:
                    event.add("geo", (row.lat, row.lon))
                event.add("description", "\n".join(x for x in (
                    _("tel. {phone}").format(phone=row.phone) if row.phone else "", row.needs,
                    _("To bring: {what}").format(what=row.bring) if row.bring else "",
                    _("Window: {window}").format(window=row.window) if row.window else "",
                    _("Arrival: {time}").format(time=row.arrival))
                    if x))
            else:
                event.add("uid", f"{day}-{sheet.worker_id}-break-{row.start}@trasa")
                event.add("summary", row.what)
            calendar.add_component(event)
    calendar.add_missing_timezones()
    ics: bytes = calendar.to_ical()
    return ics
