"""Charts and the HTML report of a sweep (matplotlib, Agg; Jinja2).

- `served_chart`: served share (%) against the count of the first varied template, one
  line per service (the best variant at each count);
- `cost_chart`: cost (PLN) against served share (%), the efficient frontier (no other
  variant serves as much for less) joined and labelled, dominated variants grey;
- `pes_chart`: PES share (%) of each variant against the 35 % line.
Each is written as PNG and SVG; `sweep_report_html` puts the sortable table and the
charts on one page.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402 (the backend is chosen first)
from matplotlib.figure import Figure  # noqa: E402

from api.render.charts import decimal_commas  # noqa: E402
from api.render.numbers import percent  # noqa: E402
from api.render.reasons import flag_text  # noqa: E402
from api.render.sheet_html import template  # noqa: E402
from api.render.words import N_, Translated  # noqa: E402
from api.render.words import gettext as _  # noqa: E402
from optimiser.model import CUS_PROJECT_GOALS  # noqa: E402

if TYPE_CHECKING:
    from api.schemas.sweep_row import Row

PES_TARGET = CUS_PROJECT_GOALS.pes_share_target or 0.0  # the line drawn: the CUS project's
SERVICE_PL = Translated({"physiotherapy": N_("physiotherapy"), "handyman": N_("handyman jobs"),
                         "transport": N_("transport"), "care": N_("care")})


def frontier(rows: Sequence[Row]) -> list[Row]:
    """The variants no other serves as many tasks as, for less, in cost order."""
    return sorted((r for r in rows if not any(
        o.served >= r.served and o.cost <= r.cost and (o.served, -o.cost) != (r.served, -r.cost)
        for o in rows)), key=lambda r: r.cost)


def served_chart(rows: Sequence[Row]) -> Figure:
    first = next(iter(rows[0].counts))
    counts = sorted({r.counts[first] for r in rows})
    fig, ax = plt.subplots(figsize=(7, 4), dpi=120)
    for service in rows[0].served_share_by_service:
        best = [100 * max(r.served_share_by_service.get(service, 0) for r in rows
                          if r.counts[first] == n) for n in counts]
        ax.plot(counts, best, marker="o", label=SERVICE_PL.get(service, service))
    ax.set_xlabel(_("number of {what} (pcs.)").format(what=first))
    ax.set_ylabel(_("tasks served (%)"))
    ax.set_ylim(0, 105)
    ax.set_xticks(counts)
    ax.grid(color="#dddddd", lw=0.5)
    ax.legend(fontsize=8)
    ax.set_title(_("Served by service against the number of {what} (the best variant)")
                 .format(what=first), fontsize=10)
    fig.tight_layout()
    return fig


def cost_chart(rows: Sequence[Row]) -> Figure:
    best = frontier(rows)
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    others = [r for r in rows if r not in best]
    ax.scatter([r.cost for r in others], [100 * r.served / r.tasks for r in others],
               color="#bbbbbb", label=_("dominated variant"), zorder=2)
    ax.plot([r.cost for r in best], [100 * r.served / r.tasks for r in best], color="#c0392b",
            marker="o", label=_("efficiency frontier"), zorder=3)
    for r in best:
        ax.annotate(r.variant, (r.cost, 100 * r.served / r.tasks), fontsize=6,
                    xytext=(4, -10), textcoords="offset points")
    ax.set_xlabel(_("cost of the day (PLN)"))
    ax.set_ylabel(_("tasks served (%)"))
    ax.grid(color="#dddddd", lw=0.5)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(_("Cost against tasks served"), fontsize=10)
    fig.tight_layout()
    return fig


def pes_chart(rows: Sequence[Row]) -> Figure:
    fig, ax = plt.subplots(figsize=(7, max(3.0, 0.28 * len(rows) + 1.2)), dpi=120)
    shares = [100 * (r.pes_share or 0) for r in rows]
    ax.barh(range(len(rows)), shares, color=["#27ae60" if s >= 100 * PES_TARGET else "#e67e22"
                                             for s in shares])
    ax.axvline(100 * PES_TARGET, color="#c0392b", ls="--",
               label=_("target {share}").format(share=percent(PES_TARGET, 0)))
    ax.set_yticks(range(len(rows)), [r.variant for r in rows], fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(_("PES share of service time (%)"))
    ax.set_xlim(0, 100)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(_("PES share in each variant"), fontsize=10)
    fig.tight_layout()
    return fig


CHARTS = {"served": served_chart, "cost": cost_chart, "pes": pes_chart}


def write_charts(rows: Sequence[Row], out_dir: Path) -> dict[str, bytes]:
    """`<name>.png` and `<name>.svg` of each chart in `out_dir`; the PNG bytes by name."""
    pngs = {}
    for name, draw in CHARTS.items():
        fig = decimal_commas(draw(rows))
        fig.savefig(out_dir / f"{name}.svg")
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        plt.close(fig)
        pngs[name] = buffer.getvalue()
        (out_dir / f"{name}.png").write_bytes(pngs[name])
    return pngs


def sweep_report_html(rows: Sequence[Row], pngs: dict[str, bytes], flags: Sequence[str],
                      title: str) -> str:
    best = {r.variant for r in frontier(rows)}
    return template("sweep_report.html.j2").render(
        rows=rows, best=best, flags=[flag_text(f) for f in flags], title=title,
        services=SERVICE_PL,
        charts={k: base64.b64encode(v).decode() for k, v in pngs.items()})
