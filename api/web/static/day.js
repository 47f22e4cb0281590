/* The coordinator's day view: plan versions of a day, KPIs, the map (streets from the
   road network, routes along them, numbered stops, bases, out-of-town places), the
   timeline, what was left out and why; planning jobs with progress; publishing; events
   of the day (a sick worker, an urgent ride) re-planned, with the changes highlighted. */
"use strict";
(async () => {
  const {el, json, call, say} = Trasa;
  const COLOURS = ["#1f5fa8", "#c0392b", "#1e8449", "#8e44ad", "#b9770e", "#117a8b",
                   "#a93226", "#2e4053", "#7d6608", "#6c3483"];
  const BUSY = ["plan-tomorrow", "plan-week", "plan-start", "event-submit"];
  const state = {day: null, versions: [], plan: null, view: null, markers: new Map(),
                 buttons: new Map(), map: null, layers: null, tiles: null, job: null};
  const $ = (id) => document.getElementById(id);
  const colourOf = (route) => COLOURS[route % COLOURS.length];
  const colourClass = (route) => "c" + (route % COLOURS.length);

  await Trasa.session(["coordinator"]);
  const params = new URLSearchParams(window.location.search);
  const tomorrow = Trasa.addDays(Trasa.isoDay(new Date()), 1);
  $("first-day").value = tomorrow;

  /* ------------------------------------------------------------------ plan versions */
  async function loadDay(day, planId) {
    state.day = day;
    $("day").value = day;
    $("call-list-link").href = "/app/telefony?day=" + day;
    const url = new URL(window.location.href);
    url.searchParams.set("day", day);
    if (planId) url.searchParams.set("plan", planId); else url.searchParams.delete("plan");
    history.replaceState(null, "", url);
    const page = await json("/plans?limit=50&day=" + day);
    state.versions = page.items;
    const select = $("version");
    select.replaceChildren();
    for (const v of state.versions) {
      const made = new Date(v.created_at).toLocaleString(Trasa.LANG, {dateStyle: "short", timeStyle: "short"});
      select.append(el("option", {value: v.id, text: Trasa.STATUS_PL[v.status] + " — " + made
        + " (" + Trasa.dayPl(v.first_day) + (v.last_day !== v.first_day ? "–" + Trasa.dayPl(v.last_day) : "") + ")"}));
    }
    if (!state.versions.length) {
      select.append(el("option", {value: "", text: t("no plan")}));
      clearPlan();
      say(t("There is no plan for {day} yet. Make one in the “Planning” section.", {day: Trasa.dayPl(day)}));
      return;
    }
    const chosen = state.versions.find((v) => v.id === planId)
      || state.versions.find((v) => v.status === "published") || state.versions[0];
    select.value = chosen.id;
    await showPlan(chosen);
  }

  function clearPlan() {
    state.plan = null; state.view = null;
    $("plan-state").textContent = "";
    for (const id of ["publish", "overview-pdf", "overview-html", "events-card", "changes"]) {
      $(id).hidden = true;
    }
    $("kpis").replaceChildren();
    $("timeline").replaceChildren();
    $("left-out").replaceChildren();
    $("far").replaceChildren();
    $("map-legend").replaceChildren();
    $("warning").hidden = true;
    if (state.layers) state.layers.clearLayers();
  }

  async function showPlan(plan) {
    say(t("Loading the plan…"));
    const [view, routes, streets] = await Promise.all([
      json("/plans/" + plan.id + "/days/" + state.day + "/view"),
      json("/plans/" + plan.id + "/geojson"),
      json("/plans/" + plan.id + "/streets")]);
    state.plan = plan; state.view = view;
    const published = plan.status === "published";
    $("plan-state").textContent = Trasa.STATUS_PL[plan.status];
    $("plan-state").className = "badge " + plan.status;
    $("publish").hidden = plan.status !== "draft";
    $("overview-pdf").hidden = !published;
    $("overview-html").hidden = !published;
    $("warning").hidden = !view.warning;
    $("warning").textContent = view.warning ? t("Warning: {warning}", {warning: view.warning}) : "";
    renderKpis(view.figures);
    renderMap(view, routes, streets);
    renderTimeline(view, published);
    renderLeftOut(view.left_out);
    renderChanges(view.changes);
    fillEventForm(view);
    say(t("Plan for {day}: {status}.", {day: Trasa.dayPl(state.day), status: Trasa.STATUS_PL[plan.status]}));
  }

  /* ------------------------------------------------------------------------- KPIs */
  function renderKpis(f) {
    const share = f.pes_share;
    const target = f.pes_share_target;
    const pes = el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: t("PES share")}),
      el("span", {class: "kpi-value", text: Trasa.percent(share)}),
      el("span", {class: "kpi-note " + (f.pes_share_met ? "ok" : "low"),
                  text: t("target {share}", {share: Trasa.percent(target)}) + (f.pes_share_met === null ? ""
                    : f.pes_share_met ? " — " + t("met") : " — " + t("below the target"))}));
    const bar = el("div", {class: "share-bar", "aria-hidden": "true"}, el("span"), el("i"));
    bar.firstChild.style.width = Math.min(100, 100 * (share || 0)) + "%";
    bar.lastChild.style.left = 100 * (target || 0) + "%";
    pes.append(bar);
    $("kpis").replaceChildren(
      el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: t("Served")}),
         el("span", {class: "kpi-value", text: t("{served} of {tasks}", {served: f.served, tasks: f.tasks})}),
         el("span", {class: "kpi-note", text: nt("{n} route", "{n} routes", f.routes)})),
      el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: t("By priority")}),
         el("ul", {class: "priorities"}, ...f.by_priority.map((p) => el("li", {
           class: p.served < p.tasks ? "low" : "ok",
           text: Trasa.PRIORITY_PL[p.priority] + ": " + p.served + "/" + p.tasks})))),
      el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: t("Kilometres")}),
         el("span", {class: "kpi-value", text: Trasa.number(f.distance_km, 1) + " km"}),
         el("span", {class: "kpi-note", text: t("{hours} h of service", {hours: Trasa.number(f.service_h, 1)})})),
      pes);
    if (f.familiar_pct !== null && f.familiar_pct !== undefined) {
      $("kpis").append(el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: t("Familiar workers")}),
        el("span", {class: "kpi-value", text: Trasa.percent(f.familiar_pct / 100)}),
        el("span", {class: "kpi-note", text: t("of the visits to clients with a familiar worker")})));
    }
    if (f.busy_spread_s !== null && f.busy_spread_s !== undefined) {
      $("kpis").append(el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: t("Evenness of the days")}),
        el("span", {class: "kpi-value", text: t("{hours} h", {hours: Trasa.number(f.busy_spread_s / 3600, 1)})}),
        el("span", {class: "kpi-note", text: t("between the busiest and the least busy worker (travel and service); {n} visits apart", {n: f.visits_spread})})));
    }
  }

  /* -------------------------------------------------------------------------- map */
  function ensureMap() {
    if (state.map) return;
    state.map = L.map("map", {keyboard: true, zoomSnap: 0.25});
    state.map.attributionControl.setPrefix("Leaflet");
    const config = $("map-config").dataset;
    if (config.tileUrl) {
      state.tiles = L.tileLayer(config.tileUrl, {attribution: config.tileAttribution, maxZoom: 19});
    }
    state.layers = L.layerGroup().addTo(state.map);
  }

  function renderMap(view, routes, streets) {
    ensureMap();
    state.layers.clearLayers();
    state.markers.clear();
    const mine = new Set(view.rows.flatMap((r) => r.routes));
    const stops = view.rows.flatMap((r) => r.stops.map((s) => Object.assign({worker: r.name}, s)));
    const near = [...view.bases.map((b) => [b.lat, b.lon]),
                  ...stops.filter((s) => !s.far).map((s) => [s.lat, s.lon])];
    const lines = L.geoJSON(routes, {
      filter: (f) => f.properties.type === "route" && mine.has(f.properties.route) && f.geometry,
      style: (f) => ({color: colourOf(f.properties.route), weight: 4, opacity: 0.85}),
      interactive: false});
    // The view first (the town: the routes, unless one leaves it), then the vector layers.
    const bounds = near.length ? L.latLngBounds(near) : L.geoJSON(streets).getBounds();
    if (near.length && !stops.some((s) => s.far) && lines.getLayers().length) {
      bounds.extend(lines.getBounds());
    }
    state.map.fitBounds(bounds, {padding: [24, 24], maxZoom: 16});
    if (state.tiles && !state.map.hasLayer(state.tiles)) state.tiles.addTo(state.map);
    L.geoJSON(streets, {interactive: false, style: {color: "#8f969e", weight: 1.2, opacity: 0.75}})
      .addTo(state.layers);
    lines.addTo(state.layers);
    for (const b of view.bases) {
      L.marker([b.lat, b.lon], {
        icon: L.divIcon({className: "base-icon", html: "B", iconSize: [22, 22]}),
        title: t("Base: {name}", {name: b.name}) + " (" + b.workers.join(", ") + ")",
        alt: t("Base: {name}", {name: b.name}), keyboard: false, zIndexOffset: -100}).addTo(state.layers);
    }
    for (const s of stops) {
      const marker = L.marker([s.lat, s.lon], {
        icon: L.divIcon({className: "stop-icon " + colourClass(s.route) + (s.far ? " far-icon" : "")
                           + (s.change ? " changed " + s.change : ""),
                         html: String(s.number), iconSize: [26, 26]}),
        title: s.number + ". " + s.worker + ": " + s.address + ", " + s.start + "–" + s.end,
        alt: t("Stop {number} ({worker})", {number: s.number, worker: s.worker}), riseOnHover: true});
      marker.bindPopup(el("div", {}, el("strong", {text: s.number + ". " + s.worker}), el("br"),
        (s.client_name || s.task) + ", " + s.start + "–" + s.end, el("br"), s.address || ""),
        {autoPan: true, closeButton: true});
      marker.on("click", () => selectStop(s.route, s.number, "map"));
      marker.on("keypress", (e) => {  // Leaflet gives Enter on a marker as a key press
        if (e.originalEvent.key === "Enter") selectStop(s.route, s.number, "map");
      });
      marker.addTo(state.layers);
      state.markers.set(s.route + "-" + s.number, marker);
    }
    $("map-legend").replaceChildren(
      ...view.rows.map((r) => el("span", {class: "swatch " + colourClass(r.routes[0])}, r.name)),
      el("span", {class: "swatch base"}, t("base")),
      el("span", {class: "swatch far"}, t("out of town")));
    const far = stops.filter((s) => s.far);
    $("far").replaceChildren(...(far.length ? [el("h3", {text: t("Out of town")}),
      el("ul", {}, ...far.map((s) => el("li", {},
        el("button", {type: "button", class: "link", onclick: () => selectStop(s.route, s.number, "list"),
          text: s.number + ". " + s.address + " — " + s.worker + ", " + s.start})))) ] : []));
  }

  /* --------------------------------------------------------------------- timeline */
  function renderTimeline(view, published) {
    state.buttons.clear();
    const from = view.hours.from * 60;
    const span = (view.hours.to - view.hours.from) * 60;
    const at = (minutes) => (100 * (minutes - from) / span) + "%";
    const width = (a, b) => (100 * (b - a) / span) + "%";
    const scale = el("div", {class: "tl-scale", "aria-hidden": "true"});
    for (let h = view.hours.from; h <= view.hours.to; h++) {
      const tick = el("span", {text: String(h)});
      tick.style.left = at(h * 60);
      scale.append(tick);
    }
    const rows = view.rows.map((r) => {
      const track = el("div", {class: "tl-track"});
      for (const s of r.segments) {
        if (["visit", "job", "trip"].includes(s.kind)) continue;  // the stops are buttons
        const seg = el("span", {class: "seg " + s.kind, title: s.label + " " + s.from + "–" + s.to});
        if (s.kind === "break") {  // at its real time and length, never under a stop
          seg.setAttribute("role", "img");
          seg.setAttribute("aria-label", s.label + " " + s.from + "–" + s.to);
        }
        seg.style.left = at(s.start_min);
        seg.style.width = width(s.start_min, s.end_min);
        track.append(seg);
      }
      for (const s of r.stops.filter((x) => x.deadline_min !== null && x.deadline_min !== undefined)) {
        const due = el("span", {class: "deadline", "aria-hidden": "true", "data-for": s.route + "-" + s.number,
          title: t("arrive by {time}", {time: s.deadline})});
        due.style.left = at(s.deadline_min);
        track.append(due);
      }
      for (const s of r.stops) {
        const button = el("button", {type: "button", class: "stop " + colourClass(s.route) + " " + s.kind
            + (s.change ? " changed " + s.change : ""),
          "aria-label": t("Stop {number}: ", {number: s.number}) + s.kind_label + (s.action ? " (" + s.action + ")" : "")
            + ", " + s.address + ", " + s.client_name + ", " + s.start + "–" + s.end + changeNote(s),
          title: s.number + ". " + s.start + "–" + s.end + " " + s.address + (s.client_name ? " (" + s.client_name + ")" : ""),
          onclick: () => selectStop(s.route, s.number, "timeline")}, String(s.number));
        button.style.left = at(s.start_min);
        button.style.width = width(s.start_min, s.end_min);
        button.dataset.stop = s.route + "-" + s.number;
        track.append(button);
        state.buttons.set(s.route + "-" + s.number, button);
      }
      const head = el("div", {class: "tl-head"},
        el("span", {class: "swatch " + colourClass(r.routes[0])}, r.name),
        el("small", {text: r.provider + (r.pes ? " (PES)" : "") + " · " + Trasa.number(r.distance_km, 1) + " km"}));
      if (published) {
        head.append(el("button", {type: "button", class: "quiet small",
          "aria-label": t("Route sheet (PDF): {name}", {name: r.name}),
          onclick: () => Trasa.download("/days/" + state.day + "/workers/" + encodeURIComponent(r.worker) + "/sheet?format=pdf",
                                        "karta-" + r.worker + "-" + state.day + ".pdf").catch(failed),
          text: t("Sheet PDF")}));
      }
      return el("div", {class: "tl-row", role: "group", "aria-label": r.name}, head, track);
    });
    const nowMin = view.changes && view.changes.now_min;
    if (nowMin !== null && nowMin !== undefined && nowMin >= from && nowMin <= from + span) {
      const line = el("span", {class: "now-line", title: t("re-planned at {time}", {time: view.changes.now})});
      line.style.left = at(nowMin);
      scale.append(line);
      for (const row of rows) {
        const mark = el("span", {class: "now-line", "aria-hidden": "true"});
        mark.style.left = at(nowMin);
        row.lastChild.append(mark);
      }
    }
    const inner = el("div", {class: "tl-inner"}, el("div", {class: "tl-row tl-top"},
      el("div", {class: "tl-head"}, el("small", {text: t("hour")})), scale), ...rows);
    $("timeline").replaceChildren(rows.length ? inner : el("p", {text: t("Nobody works this day.")}));
    layOutLanes();
    $("timeline-legend").replaceChildren(...[["drive", t("driving")], ["wait", t("waiting")],
      ["break", t("break")], ["idle", t("at the base / free")], ["visit", t("stop (numbered as on the map)")],
      ["deadline", t("a ride's arrive-by time")]]
      .map(([k, label]) => el("span", {class: "swatch seg-" + k}, label)));
    $("stop-details").replaceChildren(el("h3", {text: t("Stop details")}),
      el("p", {class: "hint", text: t("Choose a stop on the timeline or on the map (Tab, Enter).")}));
  }

  /* Stops in lanes: a stop drawn wider than its time (a short pickup) would cover the
     next one, so each goes to the first lane where it overlaps no stop and no break;
     a track grows a lane at a time. A drop-off's arrive-by mark follows its stop. */
  const LANE = 1.95;  // rem, one lane's height
  function layOutLanes() {
    for (const track of document.querySelectorAll("#timeline .tl-track")) {
      const taken = [[...track.querySelectorAll(".seg.break")].map((b) => b.getBoundingClientRect())];
      const buttons = [...track.querySelectorAll(".stop")].map((b) => ({b, box: b.getBoundingClientRect()}))
        .sort((x, y) => x.box.left - y.box.left);
      const clash = (box, boxes) => boxes.some((o) => box.left < o.right - 0.5 && o.left < box.right - 0.5);  // touching is fine
      for (const {b, box} of buttons) {
        let lane = 0;
        while (taken[lane] && clash(box, taken[lane])) lane++;
        (taken[lane] = taken[lane] || []).push(box);
        b.style.top = (0.15 + lane * LANE) + "rem";
        b.dataset.lane = String(lane);
      }
      for (const due of track.querySelectorAll(".deadline")) {
        const stop = track.querySelector("[data-stop='" + due.dataset.for + "']");
        due.style.top = (0.05 + Number(stop ? stop.dataset.lane : 0) * LANE) + "rem";
      }
      track.style.height = (2.1 + (taken.length - 1) * LANE) + "rem";
    }
  }
  let resizing = null;
  window.addEventListener("resize", () => { clearTimeout(resizing); resizing = setTimeout(layOutLanes, 150); });

  function selectStop(route, number, from) {
    const key = route + "-" + number;
    const row = state.view.rows.find((r) => r.routes.includes(route));
    const stop = row.stops.find((s) => s.route === route && s.number === number);
    state.buttons.forEach((b) => b.classList.remove("selected"));
    state.markers.forEach((m) => m.getElement() && m.getElement().classList.remove("selected"));
    const button = state.buttons.get(key);
    const marker = state.markers.get(key);
    if (button) { button.classList.add("selected"); if (from === "map") button.focus(); }
    if (marker) {
      marker.getElement().classList.add("selected");
      marker.setZIndexOffset(1000);
      if (!state.map.getBounds().contains(marker.getLatLng())) {  // out of town: both in view
        const bases = state.view.bases.map((b) => [b.lat, b.lon]);
        state.map.fitBounds(L.latLngBounds([...bases, marker.getLatLng()]),
                            {padding: [130, 130], animate: false});  // room for its label
      }
      if (from !== "map") marker.openPopup();
    }
    const details = $("stop-details");
    details.replaceChildren(
      el("h3", {text: t("Stop {number} — {name}", {number, name: row.name})}),
      el("dl", {},
        el("dt", {text: t("What")}), el("dd", {text: stop.kind_label + (stop.action ? " (" + stop.action + ")" : "") + ", " + t("request {task}", {task: stop.task})}),
        el("dt", {text: t("Client")}), el("dd", {text: stop.client_name || "—"}),
        el("dt", {text: t("Address")}), el("dd", {text: (stop.address || "—") + (stop.far ? " (" + t("out of town") + ")" : "")}),
        ...(stop.deadline ? [el("dt", {text: t("Arrive by")}), el("dd", {class: "deadline-note", text: stop.deadline})]
          : stop.window ? [el("dt", {text: t("Window")}), el("dd", {text: stop.window})] : []),
        el("dt", {text: t("Arrival")}), el("dd", {text: stop.arrival}),
        el("dt", {text: t("Service")}), el("dd", {text: stop.start + "–" + stop.end}),
        el("dt", {text: t("Priority")}), el("dd", {text: Trasa.PRIORITY_PL[stop.priority]}),
        ...(stop.change ? [el("dt", {text: t("Change")}), el("dd", {class: "change-note",
          text: stop.change === "added" ? t("new on this route") : t("new time (was {was})", {was: stop.was})})] : [])));
    if (from !== "map") {
      details.focus({preventScroll: true});
      details.scrollIntoView({block: "nearest"});
    }
  }

  /* --------------------------------------------------------------------- left out */
  function renderLeftOut(items) {
    $("left-title").textContent = t("Requests left out ({n})", {n: items.length});
    if (!items.length) {
      $("left-out").replaceChildren(el("p", {text: t("Every request of this day is in the plan.")}));
      return;
    }
    $("left-out").replaceChildren(...items.map((item) => el("details", {class: "left-item"},
      el("summary", {},
        el("strong", {text: item.client_name || item.task}),
        " · " + item.kind + ", " + t("priority {priority}", {priority: item.priority})
          + (item.mandatory ? ", " + t("mandatory") : "")
          + " · " + t("windows {windows}", {windows: item.windows})
          + (item.deadline ? " · " + t("arrive by {time}", {time: item.deadline}) : "") + " · " + item.task),
      el("dl", {},
        el("dt", {text: t("Why")}), el("dd", {class: "reason", text: item.reason}),
        ...(item.detail ? [el("dt", {text: t("Details")}), el("dd", {text: item.detail})] : []),
        el("dt", {text: t("What would help")}), el("dd", {class: "remedy", text: item.hint}),
        ...(item.address ? [el("dt", {text: t("Address")}), el("dd", {text: item.address})] : [])))));
  }

  /* ---------------------------------------------------------------------- changes */
  function changeNote(stop) {
    if (stop.change === "added") return " — " + t("new on this route");
    if (stop.change === "retimed") return " — " + t("new time, was {was}", {was: stop.was});
    return "";
  }

  function renderChanges(changes) {
    $("changes").hidden = !changes;
    if (!changes) return;
    const items = changes.items;
    $("changes-note").textContent = t("Re-planned at {time}.", {time: changes.now}) + " "
      + (items.length ? t("Changed routes: {workers}. New and moved stops are outlined on the timeline and on the map.", {workers: changes.workers.join(", ")})
                      : t("No stop of this day changed."));
    $("changes-list").replaceChildren(...items.map((c) => el("li", {class: "change " + c.change},
      el("strong", {text: c.worker_name + ": "}),
      el("span", {class: "change-kind", text: c.change_label}), " — " + c.what + c.stop
        + (c.before ? ", " + t("was {time}", {time: c.before}) : "") + (c.after ? ", " + t("now {time}", {time: c.after}) : "")
        + " (" + c.reason + ")")));
  }

  /* ------------------------------------------------------------------- event form */
  function options(select, items, label) {
    const keep = select.value;
    select.replaceChildren(...items.map((i) => el("option", {value: i.id, text: label(i)})));
    if (items.some((i) => i.id === keep)) select.value = keep;
  }

  function fillEventForm(view) {
    const c = view.choices;
    $("events-card").hidden = false;
    options($("event-worker"), c.workers, (w) => w.name);
    options($("event-vehicle"), c.vehicles, (v) => v.name);
    options($("event-task"), c.tasks, (task) => task.label);
    options($("event-client"), c.clients, (k) => k.name);
    options($("event-place"), c.places, (p) => p.name);
    const kinds = {worker_unavailable: c.workers.length, vehicle_unavailable: c.vehicles.length,
                   cancelled: c.tasks.length, late: c.tasks.length,
                   urgent_ride: c.vehicles.length && c.clients.length && c.places.length};
    for (const o of $("event-kind").options) o.disabled = !kinds[o.value];
    if ($("event-kind").selectedOptions[0].disabled) {
      $("event-kind").value = [...$("event-kind").options].find((o) => !o.disabled).value;
    }
    if (!$("event-now").value) {
      const now = new Date();
      $("event-now").value = view.day === Trasa.isoDay(now)
        ? String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0")
        : "10:00";
    }
    showEventFields();
  }

  function showEventFields() {
    const kind = $("event-kind").value;
    document.querySelectorAll("#event-form [data-for]").forEach((f) => {
      f.hidden = !f.dataset.for.split(" ").includes(kind);
    });
  }

  function plusMinutes(hhmm, minutes) {
    const [h, m] = hhmm.split(":").map(Number);
    const total = Math.min(24 * 60 - 1, h * 60 + m + minutes);
    return String(Math.floor(total / 60)).padStart(2, "0") + ":" + String(total % 60).padStart(2, "0");
  }

  function eventOf(kind, now) {
    const task = state.view.choices.tasks.find((item) => item.id === $("event-task").value);
    switch (kind) {
      case "worker_unavailable":
      case "vehicle_unavailable": {
        const e = {kind, from: now};
        e[kind === "worker_unavailable" ? "worker" : "vehicle"] = $(kind === "worker_unavailable" ? "event-worker" : "event-vehicle").value;
        if ($("event-until").value) e.to = $("event-until").value;
        return e;
      }
      case "cancelled": return {kind, task: task.id};
      case "late": return {kind: "late", task: task.id, action: task.kind === "trip" ? "pickup" : "serve",
                           minutes: Number($("event-minutes").value)};
      default: {
        const wheelchair = $("event-wheelchair").checked;
        return {kind: "new_request", trip: {
          id: "pilny-" + state.day.replaceAll("-", "") + "-" + now.replace(":", "") + "-" + Date.now() % 100000,
          client: $("event-client").value, dropoff: $("event-place").value, day: state.day,
          pickup_window: {start: now, end: plusMinutes(now, Number($("event-within").value))},
          passengers: wheelchair ? {seated: 0, wheelchair: 1} : {seated: 1},
          priority: "urgent", note: t("urgent ride requested at {time}", {time: now})}};
      }
    }
  }

  $("event-kind").addEventListener("change", showEventFields);
  $("event-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const now = $("event-now").value;
    /* The re-planning search of every path (the server's defaults, as `trasa replan`):
       the planning form's time and budget are a new plan's, not a re-planning's. */
    const body = {now: state.day + "T" + now + ":00" + state.view.utc_offset,
                  events: [eventOf($("event-kind").value, now)]};
    const limit = Number($("event-form").dataset.timeLimit) || 4;
    let job;
    try {
      job = await json("/plans/" + state.plan.id + "/events", {method: "POST", json: body});
    } catch (error) { failed(error); return; }
    say(t("Event saved: re-planning started."));
    await watch(job, limit, t("Re-planning {day} from {time}", {day: Trasa.dayPl(state.day), time: now}), state.day);
  });

  /* ---------------------------------------------------------------------- actions */
  function failed(error) { say(t("Failed: {error}", {error: error.message}), true); }

  $("day-form").addEventListener("submit", (e) => { e.preventDefault(); loadDay($("day").value).catch(failed); });
  $("version").addEventListener("change", () => {
    const plan = state.versions.find((v) => v.id === $("version").value);
    if (plan) showPlan(plan).catch(failed);
  });
  /* A draft made before another plan of its days was published gets 409: the
     coordinator is asked before it replaces that plan (publish?force=true). */
  async function publish(id) {
    try {
      await call("/plans/" + id + "/publish", {method: "POST"});
    } catch (e) {
      if (e.status !== 409 || !/was published/.test(e.message)) throw e;
      if (!window.confirm(t("Another plan of these days was published after this draft was made. Publish anyway and replace that plan?"))) return false;
      await call("/plans/" + id + "/publish?force=true", {method: "POST"});
    }
    return true;
  }

  $("publish").addEventListener("click", async () => {
    try {
      if (!(await publish(state.plan.id))) return;
      await loadDay(state.day, state.plan.id);
      say(t("Plan published: the workers see their route sheets."));
      $("plan-state").focus();
    } catch (e) { failed(e); }
  });
  $("overview-pdf").addEventListener("click", () =>
    Trasa.download("/days/" + state.day + "/overview?format=pdf", "przeglad-" + state.day + ".pdf").catch(failed));
  $("overview-html").addEventListener("click", () =>
    Trasa.download("/days/" + state.day + "/overview?format=html", "przeglad-" + state.day + ".html", true).catch(failed));

  function nextMonday() {
    const d = new Date();
    d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
    return Trasa.isoDay(d);
  }
  $("plan-tomorrow").addEventListener("click", () => startJob(tomorrow, 1));
  $("plan-week").addEventListener("click", () => startJob(nextMonday(), 7));
  $("plan-form").addEventListener("submit", (e) => {
    e.preventDefault();
    startJob($("first-day").value, Number($("days").value));
  });
  $("plan-stop").addEventListener("click", () => {
    if (state.job) call("/plans/jobs/" + state.job.id, {method: "DELETE"}).catch(failed);
  });

  async function startJob(firstDay, days) {
    $("first-day").value = firstDay;
    $("days").value = String(days);
    const limit = Number($("time-limit").value) || 30;
    const body = {records: {first_day: firstDay, days}, time_limit_s: limit};
    const goals = {};
    if ($("balance").value) goals.balance = $("balance").value;
    if ($("familiar").checked) goals.familiar = true;
    if (Object.keys(goals).length) body.records.goals = goals;
    if ($("max-solutions").value) body.max_solutions = Number($("max-solutions").value);
    let job;
    try {
      job = await json("/plans/jobs", {method: "POST", json: body});
    } catch (e) { failed(e); return; }
    say(t("Planning started."));
    await watch(job, limit, days > 1
      ? nt("Planning {day} and {n} more day", "Planning {day} and {n} more days", days - 1, {day: Trasa.dayPl(firstDay)})
      : t("Planning {day}", {day: Trasa.dayPl(firstDay)}), firstDay);
  }

  /* A planning or re-planning job: progress until it ends, then its plan kept as a draft
     and shown. */
  async function watch(job, limit, title, day) {
    state.job = job;
    $("job").hidden = false;
    $("plan-stop").hidden = false;
    for (const id of BUSY) $(id).disabled = true;
    $("job-progress").value = 0;
    $("job-label").textContent = title + ": " + t("queued…");
    $("job-best").textContent = "";
    /* The search writes its progress when it finds a better plan, which may not happen
       for many seconds: the clock runs here from when the job was seen running, so the
       bar and the seconds move on between the search's reports. */
    let runningSince = null;
    while (true) {
      await new Promise((r) => setTimeout(r, 700));
      try { job = await json("/plans/jobs/" + job.id); } catch (e) { failed(e); break; }
      const p = job.progress;
      if (job.status === "running") {
        if (runningSince === null) runningSince = performance.now() - 1000 * (p ? p.elapsed_s : 0);
        const elapsed = Math.max(p ? p.elapsed_s : 0, (performance.now() - runningSince) / 1000);
        $("job-progress").value = Math.min(99, 100 * elapsed / limit);
        $("job-label").textContent = title + ": " + t("running, {elapsed} s of at most {limit} s", {elapsed: Math.round(elapsed), limit});
        if (p) {
          $("job-best").textContent = nt("Best plan so far: served {served} of {n} request.", "Best plan so far: served {served} of {n} requests.", p.tasks, {served: p.served})
            + (p.solutions ? " " + nt("{n} better plan found.", "{n} better plans found.", p.solutions) : "");
        } else {
          $("job-best").textContent = t("Looking for a first plan…");
        }
      }
      if (!["queued", "running"].includes(job.status)) break;
    }
    for (const id of BUSY) $(id).disabled = false;
    $("plan-stop").hidden = true;
    state.job = null;
    if (job.status === "done" || job.status === "cancelled") {
      const k = job.plan.kpis;
      $("job-progress").value = 100;
      $("job-label").textContent = job.status === "done" ? t("Done.") : t("Stopped: the best plan stays.");
      $("job-best").textContent = nt("Best plan: served {served} of {n} request, {km} km. Saved as a draft.",
        "Best plan: served {served} of {n} requests, {km} km. Saved as a draft.", k.tasks, {served: k.served, km: Trasa.km(k.distance_m)});
      try {
        const draft = await json("/plans", {method: "POST", json: {job_id: job.id}});
        await loadDay(day, draft.id);
        say(t("A new draft plan is ready. Check it and publish it."));
      } catch (e) { failed(e); }
    } else {
      $("job-label").textContent = t("Planning failed.");
      $("job-best").textContent = job.error || "";
      say(t("Planning failed: {error}", {error: job.error || job.status}), true);
    }
  }

  await loadDay(params.get("day") || tomorrow, params.get("plan")).catch(failed);
})();
