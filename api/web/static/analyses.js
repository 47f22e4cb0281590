/* Plans' key figures and the sweeps, for planners (clients never appear here) and
   coordinators. */
"use strict";
(async () => {
  const {el, json, say} = Trasa;
  await Trasa.session(["planner", "coordinator"]);
  const km = Trasa.km;

  async function plans() {
    const page = await json("/plans?limit=20");
    const body = document.querySelector("#plans-table tbody");
    const rows = await Promise.all(page.items.map(async (p) => {
      const k = (await json("/plans/" + p.id)).document.kpis;
      const share = k.pes_share === undefined ? null : k.pes_share;
      return el("tr", {},
        el("td", {text: Trasa.dayPl(p.first_day) + (p.last_day !== p.first_day ? "–" + Trasa.dayPl(p.last_day) : "")}),
        el("td", {text: Trasa.STATUS_PL[p.status]}),
        el("td", {text: t("{served} of {tasks}", {served: k.served, tasks: k.tasks})}),
        el("td", {text: Object.entries(k.served_by_priority || {}).map(([q, v]) => Trasa.PRIORITY_PL[q] + " " + v).join(", ")}),
        el("td", {text: km(k.distance_m)}),
        el("td", {text: Trasa.percent(share) + (k.pes_share_target ? " " + t("(target {share})", {share: Trasa.percent(k.pes_share_target)}) : "")}));
    }));
    body.replaceChildren(...(rows.length ? rows : [el("tr", {}, el("td", {colspan: "6", text: t("No plans.")}))]));
  }

  async function sweeps() {
    const page = await json("/sweeps/jobs?limit=20");
    const box = document.getElementById("sweeps");
    if (!page.items.length) { box.replaceChildren(el("p", {text: t("No sweeps.")})); return; }
    const items = await Promise.all(page.items.map(async (j) => {
      const job = await json("/sweeps/jobs/" + j.id);
      const made = new Date(job.created_at).toLocaleString(Trasa.LANG, {dateStyle: "short", timeStyle: "short"});
      const rows = job.plan ? job.plan.rows : [];
      const progress = job.progress ? " — " + t("variants {done} of {all}", {done: job.progress.variants_done || 0, all: job.progress.variants || "?"}) : "";
      return el("details", {class: "left-item"},
        el("summary", {text: made + " · " + Trasa.STATUS_PL[job.status] + progress}),
        rows.length ? el("div", {class: "scroll"}, el("table", {},
          el("thead", {}, el("tr", {}, ...[t("Variant"), t("Served"), t("km"), t("Working hours"), t("PES share"), t("Cost (PLN)")].map((h) => el("th", {scope: "col", text: h})))),
          el("tbody", {}, ...rows.map((r) => el("tr", {},
            el("td", {text: r.variant}), el("td", {text: t("{served} of {tasks}", {served: r.served, tasks: r.tasks})}),
            el("td", {text: Trasa.number(r.km)}), el("td", {text: Trasa.number(r.work_h)}),
            el("td", {text: Trasa.percent(r.pes_share)}), el("td", {text: Trasa.number(r.cost)}))))))
          : el("p", {text: job.error || t("Results appear when it is finished.")}));
    }));
    box.replaceChildren(...items);
  }

  try { await Promise.all([plans(), sweeps()]); say(""); } catch (e) { say(t("Failed: {error}", {error: e.message}), true); }
})();
