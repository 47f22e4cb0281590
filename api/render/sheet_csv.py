"""A route sheet as CSV, for spreadsheets: one row a stop or break, in time order.

The same rows as the PDF (`route_sheet.RouteSheet`): each stop at its own place (a
clinic, a day centre, a home), with its window, arrival, start and end in local
`HH:MM`. The Polish spreadsheet habit of the monthly report: `;` between fields, UTF-8
with a byte-order mark."""

from __future__ import annotations

import io

from api.convert.safe_cells import csv_writer
from api.render.report_files import CSV_DIALECT, CSV_ENCODING
from api.render.route_sheet import RouteSheet
from api.render.words import N_, gettext

COLUMNS = (N_("day"), N_("worker"), N_("no."), N_("what"), N_("request"), N_("window"),
           N_("arrival"), N_("from"), N_("to"), N_("place"), N_("client"), N_("phone number"),
           N_("needs"), N_("to bring"))


def sheet_csv(sheet: RouteSheet) -> bytes:
    out = io.StringIO()
    writer = csv_writer(out, **CSV_DIALECT)
    writer.writerow([gettext(c) for c in COLUMNS])
    for row in sheet.rows:
        writer.writerow((sheet.day.isoformat(), sheet.worker, row.number or "", row.what,
                         row.task, row.window, row.arrival, row.start, row.end, row.address,
                         row.client, row.phone, row.needs, row.bring))
    return out.getvalue().encode(CSV_ENCODING)
