"""The monthly report's planned figures beside the delivered ones (`api.render.delivered`),
as rows with their labels: what the delivered CSV, the XLSX sheet and the PDF page show.
Counts of outcomes have no planned side; an unconfirmed task is counted as such, never as
done."""

from __future__ import annotations

from dataclasses import dataclass

from api.convert.plan_document import SERVICES
from api.render.report import PERIODS, MonthlyReport
from api.render.report_rows import PERIOD_LABEL, SERVICE_LABEL, polish_number, provider_label
from api.render.words import N_, Translated, ngettext
from api.render.words import gettext as _

OUTCOME_LABEL = Translated({
    "done": N_("done (confirmed)"), "started": N_("started, never confirmed done"),
    "absent": N_("client absent"), "not_done": N_("could not be done"),
    "unconfirmed": N_("unconfirmed (no action from the phone)")})


@dataclass(frozen=True)
class Compared:
    """One figure planned and delivered (None: that side has no such figure)."""

    key: str
    label: str
    planned: float | int | None
    delivered: float | int | None
    unit: str


def compared_rows(report: MonthlyReport) -> list[Compared]:
    """Planned beside delivered, in the order of the summary; [] without actuals."""
    done = report.delivered
    if done is None:
        return []
    hours_unit, count = _("hours"), _("count")
    of = _("hours of service: {what}").format
    rows = [Compared("hours_total", _("hours of service in all"), _h(report.service_s),
                     _h(done.service_s), hours_unit),
            *(Compared(f"hours_service_{s}", of(what=SERVICE_LABEL[s]),
                       _h(report.service_s_by_service[s]), _h(done.service_s_by_service[s]),
                       hours_unit) for s in SERVICES),
            *(Compared(f"hours_provider_{p}", of(what=provider_label(report, p)), _h(s),
                       _h(done.service_s_by_provider.get(p, 0)), hours_unit)
              for p, s in report.service_s_by_provider.items()),
            Compared("hours_pes", _("hours of PES service in all"), _h(report.pes_service_s),
                     _h(round(done.pes.pes_s)), hours_unit),
            Compared("pes_share_pct", _("PES share of the hours of service"),
                     _pct(report.pes_share), _pct(done.pes.share), "%"),
            *(Compared(f"hours_{p}", of(what=PERIOD_LABEL[p]), _h(report.period_s[p]),
                       _h(done.period_s.get(p, 0)), hours_unit) for p in PERIODS),
            Compared("visits", _("visits and jobs"), done.planned_visits, done.visits, count),
            Compared("rides", _("rides (one passenger, one way)"), done.planned_rides,
                     done.rides, count),
            Compared("residents", _("residents served (different people)"), report.residents,
                     done.residents, ngettext("person", "people", done.residents))]
    rows += [Compared(f"tasks_{o}", _("tasks: {outcome}").format(outcome=OUTCOME_LABEL[o]),
                      None, n, count) for o, n in done.outcomes.items()]
    rows += [Compared("done_untimed", _("done without a start or end time (no hours)"), None,
                      done.done_untimed, count),
             Compared("actuals_outside", _("actuals of tasks outside the month's plans"), None,
                      done.outside, count)]
    if done.km is not None:
        rows.append(Compared("bus_km", _("bus kilometres on the days with an odometer "
                                         "reading ({days})").format(days=done.km.bus_days),
                             done.km.planned_km, done.km.odometer_km, "km"))
    return rows


def delivered_note(report: MonthlyReport) -> str:
    """What the report counts: the plans only, or the plans and what was delivered."""
    if report.delivered is None:
        return _("No actuals were given: every figure is as planned, none as delivered.")
    return _("Delivered: only tasks confirmed done from the phone, from the start to the end "
             "actually recorded (a ride from pick-up to drop-off); unconfirmed tasks are "
             "counted as unconfirmed, never as done.")


def shown_side(row: Compared, value: float | int | None) -> str:
    if value is None:
        return ""
    return polish_number(value, 1 if row.unit in ("%",) else 2)


def _h(seconds: int) -> float:
    return round(seconds / 3600, 2)


def _pct(share: float | None) -> float | None:
    return None if share is None else round(100 * share, 1)
