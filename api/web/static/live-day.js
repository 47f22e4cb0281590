/* The live day (coordinators; planners read it with pseudonyms): each route's progress
   and stops planned against actual, the alerts of now with a one-click re-plan (the
   alert's ready events body posted to POST /plans/{id}/events, the job watched, its plan
   kept as a draft), the presses refused, and the coordinator's corrections, odometer and
   closing of the day. Refreshed every 30 s. */
"use strict";
(async () => {
  const {el, json, call, say} = Trasa;
  const $ = (id) => document.getElementById(id);
  const REFRESH_MS = 30000;
  const me = await Trasa.session(["coordinator", "planner"]);
  const coordinator = me.role === "coordinator";
  const state = {day: null, live: null, busy: false};
  const params = new URLSearchParams(window.location.search);
  const BUTTON = {arrived: t("arrived"), done: t("done"), picked_up: t("picked up"),
                  dropped_off: t("dropped off"), absent: t("client absent"), not_done: t("not done")};
  const ACTION = {serve: "", pickup: t("pickup"), dropoff: t("drop-off")};
  $("back-to-day").hidden = !coordinator;
  $("coordinator-forms").hidden = !coordinator;

  const hm = (iso) => iso ? new Date(iso).toLocaleTimeString(Trasa.LANG, {hour: "2-digit", minute: "2-digit"}) : "—";
  const who = (r) => r.worker_name || r.worker;
  const stopName = (s) => s.task + (ACTION[s.action] ? " (" + ACTION[s.action] + ")" : "");

  function alertText(a) {
    const where = t("{worker}, stop {number}: {task}", {worker: who(a), number: a.number, task: stopName(a)});
    const minutes = {
      late: t("nobody there {n} min after the planned start", {n: a.minutes}),
      missed: t("planned end passed {n} min ago, nothing pressed", {n: a.minutes}),
      absent: t("{n} min late on arrival", {n: a.minutes}),
      not_done: t("{n} min late on arrival", {n: a.minutes}),
      arrive_by: t("{n} min after the arrive-by time", {n: a.minutes}),
    }[a.kind];
    return where + " — " + minutes;
  }

  function renderAlerts(live) {
    const items = live.alerts.map((a) => {
      const li = el("li", {class: "alert alert-" + a.kind, "data-kind": a.kind, "data-task": a.task},
        el("span", {class: "badge kind-" + a.kind, text: a.text}), " ", el("span", {text: alertText(a)}));
      if (coordinator && a.replan) {
        const event = a.replan.events[a.replan.events.length - 1];  // after the reports
        const label = event.kind === "late" ? t("Re-plan with a {n} min delay", {n: event.minutes})
          : t("Re-plan: client absent");
        const button = el("button", {type: "button", class: "replan-button", text: label});
        button.addEventListener("click", () => replan(a, button));
        li.append(" ", button);
      }
      return li;
    });
    $("alerts").replaceChildren(...(items.length ? items : [el("li", {class: "hint", text: t("No alerts: every route is on time.")})]));
  }

  function renderRoutes(live) {
    const cards = live.routes.map((r) => {
      const rows = r.stops.map((s) => el("tr", {class: "stop state-" + s.state, "data-task": s.task},
        el("td", {text: String(s.number)}),
        el("td", {text: stopName(s) + (s.client ? " · " + s.client : "")}),
        el("td", {text: hm(s.planned_start) + "–" + hm(s.planned_end) + (s.due ? " (" + t("arrive by {time}", {time: hm(s.due)}) + ")" : "")}),
        el("td", {text: s.actual_start || s.actual_end ? hm(s.actual_start) + "–" + hm(s.actual_end) : "—"}),
        el("td", {}, el("span", {class: "badge state-" + s.state, text: s.state_text}),
          s.late_min ? " " + (s.late_min > 0 ? t("+{n} min", {n: s.late_min}) : t("{n} min", {n: s.late_min})) : "")));
      return el("article", {class: "card route", "data-worker": r.worker},
        el("h3", {text: who(r) + (r.vehicle ? " · " + r.vehicle : "")}),
        el("div", {class: "inline"},
          el("progress", {max: String(r.stops_total), value: String(r.finished), "aria-label": t("Progress of {worker}", {worker: who(r)})}),
          el("span", {class: "progress-text", text: t("{done} of {n} stops", {done: r.finished, n: r.stops_total})
            + (r.lateness_min ? " · " + t("{n} min late", {n: r.lateness_min}) : "")})),
        el("div", {class: "scroll"}, el("table", {},
          el("thead", {}, el("tr", {}, el("th", {text: "#"}), el("th", {text: t("Stop")}), el("th", {text: t("Planned")}),
            el("th", {text: t("Actual")}), el("th", {text: t("State")}))),
          el("tbody", {}, ...rows))));
    });
    $("routes").replaceChildren(...(cards.length ? cards : [el("p", {class: "hint", text: t("No routes on this day.")})]));
  }

  function renderRejected(live) {
    const rows = live.rejected.map((r) => el("tr", {},
      el("td", {text: hm(r.phone_at)}), el("td", {text: r.worker}), el("td", {text: r.task}),
      el("td", {text: BUTTON[r.kind] || r.kind}), el("td", {text: r.message})));
    $("rejected").querySelector("tbody").replaceChildren(...(rows.length ? rows
      : [el("tr", {}, el("td", {colspan: "5", text: t("No press was refused.")}))]));
  }

  function fillForms(live) {
    const task = $("correct-task");
    const chosen = task.value;
    const tasks = [...new Set(live.routes.flatMap((r) => r.stops.map((s) => s.task)))];
    task.replaceChildren(...tasks.map((id) => el("option", {value: id, text: id})));
    if (tasks.includes(chosen)) task.value = chosen;
    const vehicle = $("odometer-vehicle");
    const bus = vehicle.value;
    vehicle.replaceChildren(...live.vehicles.map((v) => el("option", {value: v, text: v})));
    if (live.vehicles.includes(bus)) vehicle.value = bus;
    $("odometer-form").querySelector("button").disabled = !live.vehicles.length;
  }

  async function load(day) {
    state.day = day;
    $("day").value = day;
    $("back-to-day").href = "/app/dzien?day=" + day;
    history.replaceState(null, "", "?day=" + day);
    let live;
    try {
      live = await json("/field/live?day=" + day);
    } catch (e) {
      state.live = null;
      for (const id of ["alerts", "routes"]) $(id).replaceChildren();
      $("rejected").querySelector("tbody").replaceChildren();
      say(e.status === 404 ? t("There is no published plan for {day}.", {day: Trasa.dayPl(day)})
        : t("Failed: {error}", {error: e.message}), true);
      return;
    }
    state.live = live;
    $("as-of").textContent = t("As of {time}; refreshed every 30 s.", {time: hm(live.now)});
    $("closed").textContent = live.closed_at ? t("day closed") : "";
    renderAlerts(live);
    renderRoutes(live);
    renderRejected(live);
    if (coordinator) fillForms(live);
    document.body.dataset.ready = "true";
  }

  /* One click: the alert's events (what happened, and now) re-planned as a job; its plan
     kept as a draft to check and publish on the day plan. A promise the re-plan cannot
     keep fails the job: its message is shown. */
  async function replan(alert, button) {
    if (state.busy) return;
    state.busy = true;
    for (const b of document.querySelectorAll(".replan-button")) b.disabled = true;
    $("replan").hidden = false;
    $("replan-link").hidden = true;
    $("replan-progress").value = 0;
    $("replan-label").textContent = t("Re-planning from {time}…", {time: hm(alert.replan.now)});
    try {
      let job = await json("/plans/" + state.live.plan_id + "/events", {method: "POST", json: alert.replan});
      const began = performance.now();
      while (["queued", "running"].includes(job.status)) {
        await new Promise((r) => setTimeout(r, 700));
        job = await json("/plans/jobs/" + job.id);
        $("replan-progress").value = Math.min(95, (performance.now() - began) / 100);
      }
      if (job.status !== "done") throw new Error(job.error || job.status);
      const draft = await json("/plans", {method: "POST", json: {job_id: job.id}});
      const changes = (job.plan.replanning && job.plan.replanning.changes) || [];
      $("replan-progress").value = 100;
      $("replan-label").textContent = nt("Re-planned: a new draft with {n} change. Check it and publish it on the day plan.",
        "Re-planned: a new draft with {n} changes. Check it and publish it on the day plan.", changes.length);
      $("replan-link").href = "/app/dzien?day=" + state.day + "&plan=" + draft.id;
      $("replan-link").hidden = false;
      say(t("A new draft plan is ready. Check it and publish it."));
    } catch (e) {
      $("replan-label").textContent = t("Re-planning failed: {error}", {error: e.message});
      say(t("Re-planning failed: {error}", {error: e.message}), true);
    } finally {
      state.busy = false;
      for (const b of document.querySelectorAll(".replan-button")) b.disabled = false;
    }
  }

  const at = (hhmm) => hhmm ? state.day + "T" + hhmm + ":00" + offsetOf(state.live.now) : undefined;
  function offsetOf(iso) { const m = /([+-]\d\d:\d\d|Z)$/.exec(iso); return m ? m[1] : "Z"; }

  $("correct-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = {day: state.day, task_id: $("correct-task").value, outcome: $("correct-outcome").value,
                  start: at($("correct-start").value), end: at($("correct-end").value),
                  reason: $("correct-reason").value.trim()};
    try {
      await json("/field/corrections", {method: "POST", json: body});
      $("correct-reason").value = "";
      say(t("Correction saved."));
      await load(state.day);
    } catch (error) { say(t("Failed: {error}", {error: error.message}), true); }
  });
  $("odometer-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = {start_km: Number($("odometer-start").value)};
    if ($("odometer-end").value !== "") body.end_km = Number($("odometer-end").value);
    try {
      const row = await json("/field/odometer/" + encodeURIComponent($("odometer-vehicle").value) + "/" + state.day,
        {method: "PUT", json: body});
      say(row.km === null ? t("Odometer recorded.") : t("Odometer recorded: {km} km that day.", {km: row.km}));
    } catch (error) { say(t("Failed: {error}", {error: error.message}), true); }
  });
  $("close-day").addEventListener("click", async () => {
    if (!window.confirm(t("Close the day? Presses from phones will be refused from now on."))) return;
    try {
      await call("/field/days/" + state.day + "/close", {method: "POST"});
      say(t("The day is closed."));
      await load(state.day);
    } catch (error) { say(t("Failed: {error}", {error: error.message}), true); }
  });
  $("day-form").addEventListener("submit", (e) => { e.preventDefault(); load($("day").value); });
  setInterval(() => { if (state.day && !state.busy) load(state.day); }, REFRESH_MS);
  await load(params.get("day") || document.body.dataset.today);
})();
