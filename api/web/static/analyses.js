/* Plans' key figures and the sweeps, for planners (clients never appear here) and
   coordinators. */
"use strict";
(async () => {
  const {el, json, say} = Trasa;
  await Trasa.session(["planner", "coordinator"]);
  const km = (m) => (m / 1000).toLocaleString("pl-PL", {maximumFractionDigits: 1});

  async function plans() {
    const page = await json("/plans?limit=20");
    const body = document.querySelector("#plans-table tbody");
    const rows = await Promise.all(page.items.map(async (p) => {
      const k = (await json("/plans/" + p.id)).document.kpis;
      const share = k.pes_share === undefined ? null : k.pes_share;
      return el("tr", {},
        el("td", {text: Trasa.dayPl(p.first_day) + (p.last_day !== p.first_day ? "–" + Trasa.dayPl(p.last_day) : "")}),
        el("td", {text: Trasa.STATUS_PL[p.status]}),
        el("td", {text: k.served + " z " + k.tasks}),
        el("td", {text: Object.entries(k.served_by_priority || {}).map(([q, v]) => Trasa.PRIORITY_PL[q] + " " + v).join(", ")}),
        el("td", {text: km(k.distance_m)}),
        el("td", {text: Trasa.percent(share) + (k.pes_share_target ? " (cel " + Trasa.percent(k.pes_share_target) + ")" : "")}));
    }));
    body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", {colspan: "6", text: "Brak planów."}))]));
  }

  async function sweeps() {
    const page = await json("/sweeps/jobs?limit=20");
    const box = document.getElementById("sweeps");
    if (!page.items.length) { box.replaceChildren(el("p", {text: "Brak symulacji."})); return; }
    const items = await Promise.all(page.items.map(async (j) => {
      const job = await json("/sweeps/jobs/" + j.id);
      const made = new Date(job.created_at).toLocaleString("pl-PL", {dateStyle: "short", timeStyle: "short"});
      const rows = job.plan ? job.plan.rows : [];
      const progress = job.progress ? " — wariantów " + (job.progress.variants_done || 0) + " z " + (job.progress.variants || "?") : "";
      return el("details", {class: "left-item"},
        el("summary", {text: made + " · " + Trasa.STATUS_PL[job.status] + progress}),
        rows.length ? el("div", {class: "scroll"}, el("table", {},
          el("thead", {}, el("tr", {}, ...["Wariant", "Obsłużone", "km", "Godziny pracy", "Udział PES", "Koszt (zł)"].map((h) => el("th", {scope: "col", text: h})))),
          el("tbody", {}, ...rows.map((r) => el("tr", {},
            el("td", {text: r.variant}), el("td", {text: r.served + " z " + r.tasks}),
            el("td", {text: r.km.toLocaleString("pl-PL")}), el("td", {text: r.work_h.toLocaleString("pl-PL")}),
            el("td", {text: Trasa.percent(r.pes_share)}), el("td", {text: r.cost.toLocaleString("pl-PL")}))))))
          : el("p", {text: job.error || "Wyniki pojawią się po zakończeniu."}));
    }));
    box.replaceChildren(...items);
  }

  try { await Promise.all([plans(), sweeps()]); say(""); } catch (e) { say("Nie udało się: " + e.message, true); }
})();
