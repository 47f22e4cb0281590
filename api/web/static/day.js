/* The coordinator's day view: plan versions of a day, KPIs, the map (streets from the
   road network, routes along them, numbered stops, bases, out-of-town places), the
   timeline, what was left out and why; planning jobs with progress; publishing; events
   of the day (a sick worker, an urgent ride) re-planned, with the changes highlighted. */
"use strict";
(async () => {
  const {el, json, call, say} = Trasa;
  const COLOURS = ["#1f5fa8", "#c0392b", "#1e8449", "#8e44ad", "#b9770e", "#117a8b",
                   "#a93226", "#2e4053", "#7d6608", "#6c3483"];
  const KIND_ICON = {visit: "wizyta", job: "zlecenie", trip: "przewóz"};
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
    const url = new URL(window.location.href);
    url.searchParams.set("day", day);
    if (planId) url.searchParams.set("plan", planId); else url.searchParams.delete("plan");
    history.replaceState(null, "", url);
    const page = await json("/plans?limit=50&day=" + day);
    state.versions = page.items;
    const select = $("version");
    select.replaceChildren();
    for (const v of state.versions) {
      const made = new Date(v.created_at).toLocaleString("pl-PL", {dateStyle: "short", timeStyle: "short"});
      select.append(el("option", {value: v.id, text: Trasa.STATUS_PL[v.status] + " — " + made
        + " (" + Trasa.dayPl(v.first_day) + (v.last_day !== v.first_day ? "–" + Trasa.dayPl(v.last_day) : "") + ")"}));
    }
    if (!state.versions.length) {
      select.append(el("option", {value: "", text: "brak planu"}));
      clearPlan();
      say("Na " + Trasa.dayPl(day) + " nie ma jeszcze planu. Zaplanuj go w sekcji „Planowanie”.");
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
    say("Wczytywanie planu…");
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
    $("warning").textContent = view.warning ? "Uwaga: " + view.warning : "";
    renderKpis(view.figures);
    renderMap(view, routes, streets);
    renderTimeline(view, published);
    renderLeftOut(view.left_out);
    renderChanges(view.changes);
    fillEventForm(view);
    say("Plan na " + Trasa.dayPl(state.day) + ": " + Trasa.STATUS_PL[plan.status] + ".");
  }

  /* ------------------------------------------------------------------------- KPIs */
  function renderKpis(f) {
    const share = f.pes_share;
    const target = f.pes_share_target;
    const pes = el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: "Udział PES"}),
      el("span", {class: "kpi-value", text: Trasa.percent(share)}),
      el("span", {class: "kpi-note " + (f.pes_share_met ? "ok" : "low"),
                  text: "cel " + Trasa.percent(target) + (f.pes_share_met === null ? ""
                    : f.pes_share_met ? " — osiągnięty" : " — poniżej celu")}));
    const bar = el("div", {class: "share-bar", "aria-hidden": "true"}, el("span"), el("i"));
    bar.firstChild.style.width = Math.min(100, 100 * (share || 0)) + "%";
    bar.lastChild.style.left = 100 * (target || 0) + "%";
    pes.append(bar);
    $("kpis").replaceChildren(
      el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: "Obsłużone"}),
         el("span", {class: "kpi-value", text: f.served + " z " + f.tasks}),
         el("span", {class: "kpi-note", text: f.routes + " tras"})),
      el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: "Według priorytetu"}),
         el("ul", {class: "priorities"}, ...f.by_priority.map((p) => el("li", {
           class: p.served < p.tasks ? "low" : "ok",
           text: Trasa.PRIORITY_PL[p.priority] + ": " + p.served + "/" + p.tasks})))),
      el("div", {class: "kpi"}, el("span", {class: "kpi-name", text: "Kilometry"}),
         el("span", {class: "kpi-value", text: f.distance_km.toLocaleString("pl-PL") + " km"}),
         el("span", {class: "kpi-note", text: f.service_h.toLocaleString("pl-PL") + " h usług"})),
      pes);
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
        title: "Baza: " + b.name + " (" + b.workers.join(", ") + ")",
        alt: "Baza: " + b.name, keyboard: false, zIndexOffset: -100}).addTo(state.layers);
    }
    for (const s of stops) {
      const marker = L.marker([s.lat, s.lon], {
        icon: L.divIcon({className: "stop-icon " + colourClass(s.route) + (s.far ? " far-icon" : "")
                           + (s.change ? " changed " + s.change : ""),
                         html: String(s.number), iconSize: [26, 26]}),
        title: s.number + ". " + s.worker + ": " + s.address + ", " + s.start + "–" + s.end,
        alt: "Przystanek " + s.number + " (" + s.worker + ")", riseOnHover: true});
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
      el("span", {class: "swatch base"}, "baza"),
      el("span", {class: "swatch far"}, "poza miastem"));
    const far = stops.filter((s) => s.far);
    $("far").replaceChildren(...(far.length ? [el("h3", {text: "Poza miastem"}),
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
        seg.style.left = at(s.start_min);
        seg.style.width = width(s.start_min, s.end_min);
        track.append(seg);
      }
      for (const s of r.stops) {
        const button = el("button", {type: "button", class: "stop " + colourClass(s.route) + " " + s.kind
            + (s.change ? " changed " + s.change : ""),
          "aria-label": "Przystanek " + s.number + ": " + s.kind_label + (s.action ? " (" + s.action + ")" : "")
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
        el("small", {text: r.provider + (r.pes ? " (PES)" : "") + " · " + r.distance_km.toLocaleString("pl-PL") + " km"}));
      if (published) {
        head.append(el("button", {type: "button", class: "quiet small",
          "aria-label": "Karta trasy (PDF): " + r.name,
          onclick: () => Trasa.download("/days/" + state.day + "/workers/" + encodeURIComponent(r.worker) + "/sheet?format=pdf",
                                        "karta-" + r.worker + "-" + state.day + ".pdf").catch(failed),
          text: "Karta PDF"}));
      }
      return el("div", {class: "tl-row", role: "group", "aria-label": r.name}, head, track);
    });
    const nowMin = view.changes && view.changes.now_min;
    if (nowMin !== null && nowMin !== undefined && nowMin >= from && nowMin <= from + span) {
      const line = el("span", {class: "now-line", title: "przeplanowano o " + view.changes.now});
      line.style.left = at(nowMin);
      scale.append(line);
      for (const row of rows) {
        const mark = el("span", {class: "now-line", "aria-hidden": "true"});
        mark.style.left = at(nowMin);
        row.lastChild.append(mark);
      }
    }
    const inner = el("div", {class: "tl-inner"}, el("div", {class: "tl-row tl-top"},
      el("div", {class: "tl-head"}, el("small", {text: "godzina"})), scale), ...rows);
    $("timeline").replaceChildren(rows.length ? inner : el("p", {text: "Nikt nie pracuje tego dnia."}));
    $("timeline-legend").replaceChildren(...[["drive", "jazda"], ["wait", "oczekiwanie"],
      ["break", "przerwa"], ["idle", "w bazie / wolne"], ["visit", "przystanek (numer jak na mapie)"]]
      .map(([k, t]) => el("span", {class: "swatch seg-" + k}, t)));
    $("stop-details").replaceChildren(el("h3", {text: "Szczegóły przystanku"}),
      el("p", {class: "hint", text: "Wybierz przystanek na osi czasu lub na mapie (Tab, Enter)."}));
  }

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
      el("h3", {text: "Przystanek " + number + " — " + row.name}),
      el("dl", {},
        el("dt", {text: "Co"}), el("dd", {text: stop.kind_label + (stop.action ? " (" + stop.action + ")" : "") + ", zgłoszenie " + stop.task}),
        el("dt", {text: "Klient"}), el("dd", {text: stop.client_name || "—"}),
        el("dt", {text: "Adres"}), el("dd", {text: (stop.address || "—") + (stop.far ? " (poza miastem)" : "")}),
        el("dt", {text: "Przyjazd"}), el("dd", {text: stop.arrival}),
        el("dt", {text: "Usługa"}), el("dd", {text: stop.start + "–" + stop.end}),
        el("dt", {text: "Priorytet"}), el("dd", {text: Trasa.PRIORITY_PL[stop.priority]}),
        ...(stop.change ? [el("dt", {text: "Zmiana"}), el("dd", {class: "change-note",
          text: stop.change === "added" ? "nowy na tej trasie" : "nowa godzina (było " + stop.was + ")"})] : [])));
    if (from !== "map") {
      details.focus({preventScroll: true});
      details.scrollIntoView({block: "nearest"});
    }
  }

  /* --------------------------------------------------------------------- left out */
  function renderLeftOut(items) {
    $("left-title").textContent = "Pominięte zgłoszenia (" + items.length + ")";
    if (!items.length) {
      $("left-out").replaceChildren(el("p", {text: "Wszystkie zgłoszenia tego dnia są w planie."}));
      return;
    }
    $("left-out").replaceChildren(...items.map((t) => el("details", {class: "left-item"},
      el("summary", {},
        el("strong", {text: t.client_name || t.task}),
        " · " + t.kind + ", priorytet " + t.priority + (t.mandatory ? ", obowiązkowe" : "")
          + " · okna " + t.windows + " · " + t.task),
      el("dl", {},
        el("dt", {text: "Dlaczego"}), el("dd", {class: "reason", text: t.reason}),
        ...(t.detail ? [el("dt", {text: "Szczegóły"}), el("dd", {text: t.detail})] : []),
        el("dt", {text: "Co by pomogło"}), el("dd", {class: "remedy", text: t.hint}),
        ...(t.address ? [el("dt", {text: "Adres"}), el("dd", {text: t.address})] : [])))));
  }

  /* ---------------------------------------------------------------------- changes */
  function changeNote(stop) {
    if (stop.change === "added") return " — nowy na tej trasie";
    if (stop.change === "retimed") return " — nowa godzina, było " + stop.was;
    return "";
  }

  function renderChanges(changes) {
    $("changes").hidden = !changes;
    if (!changes) return;
    const items = changes.items;
    $("changes-note").textContent = "Przeplanowano o " + changes.now + ". "
      + (items.length ? "Zmienione trasy: " + changes.workers.join(", ") + ". Nowe i przesunięte przystanki są obwiedzione na osi czasu i na mapie."
                      : "Żaden przystanek tego dnia się nie zmienił.");
    $("changes-list").replaceChildren(...items.map((c) => el("li", {class: "change " + c.change},
      el("strong", {text: c.worker_name + ": "}),
      el("span", {class: "change-kind", text: c.change_label}), " — " + c.what + c.stop
        + (c.before ? ", było " + c.before : "") + (c.after ? ", teraz " + c.after : "")
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
    options($("event-task"), c.tasks, (t) => t.label);
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
    const task = state.view.choices.tasks.find((t) => t.id === $("event-task").value);
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
          priority: "urgent", note: "pilny przewóz zgłoszony o " + now}};
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
    say("Zdarzenie zapisane: przeplanowanie rozpoczęte.");
    await watch(job, limit, "Przeplanowanie " + Trasa.dayPl(state.day) + " od " + now, state.day);
  });

  /* ---------------------------------------------------------------------- actions */
  function failed(error) { say("Nie udało się: " + error.message, true); }

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
      if (!window.confirm("Po utworzeniu tego szkicu opublikowano inny plan tych dni. "
                          + "Opublikować mimo to i zastąpić tamten plan?")) return false;
      await call("/plans/" + id + "/publish?force=true", {method: "POST"});
    }
    return true;
  }

  $("publish").addEventListener("click", async () => {
    try {
      if (!(await publish(state.plan.id))) return;
      await loadDay(state.day, state.plan.id);
      say("Plan opublikowany: pracownicy widzą swoje karty tras.");
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
    if ($("max-solutions").value) body.max_solutions = Number($("max-solutions").value);
    let job;
    try {
      job = await json("/plans/jobs", {method: "POST", json: body});
    } catch (e) { failed(e); return; }
    say("Planowanie rozpoczęte.");
    await watch(job, limit, "Planowanie " + Trasa.dayPl(firstDay)
      + (days > 1 ? " i " + (days - 1) + " kolejnych dni" : ""), firstDay);
  }

  /* A planning or re-planning job: progress until it ends, then its plan kept as a draft
     and shown. */
  async function watch(job, limit, title, day) {
    state.job = job;
    $("job").hidden = false;
    $("plan-stop").hidden = false;
    for (const id of BUSY) $(id).disabled = true;
    $("job-progress").value = 0;
    $("job-label").textContent = title + ": w kolejce…";
    $("job-best").textContent = "";
    while (true) {
      await new Promise((r) => setTimeout(r, 700));
      try { job = await json("/plans/jobs/" + job.id); } catch (e) { failed(e); break; }
      const p = job.progress;
      if (job.status === "running" && p) {
        $("job-progress").value = Math.min(99, 100 * p.elapsed_s / limit);
        $("job-label").textContent = title + ": w toku, " + Math.round(p.elapsed_s) + " s z najwyżej " + limit + " s";
        $("job-best").textContent = "Najlepszy plan dotąd: obsłużone " + p.served + " z " + p.tasks + " zgłoszeń.";
      }
      if (!["queued", "running"].includes(job.status)) break;
    }
    for (const id of BUSY) $(id).disabled = false;
    $("plan-stop").hidden = true;
    state.job = null;
    if (job.status === "done" || job.status === "cancelled") {
      const k = job.plan.kpis;
      $("job-progress").value = 100;
      $("job-label").textContent = job.status === "done" ? "Gotowe." : "Zatrzymane: zostaje najlepszy plan.";
      $("job-best").textContent = "Najlepszy plan: obsłużone " + k.served + " z " + k.tasks + " zgłoszeń, "
        + (k.distance_m / 1000).toLocaleString("pl-PL", {maximumFractionDigits: 1}) + " km. Zapisany jako szkic.";
      try {
        const draft = await json("/plans", {method: "POST", json: {job_id: job.id}});
        await loadDay(day, draft.id);
        say("Nowy szkic planu gotowy. Sprawdź go i opublikuj.");
      } catch (e) { failed(e); }
    } else {
      $("job-label").textContent = "Planowanie nie powiodło się.";
      $("job-best").textContent = job.error || "";
      say("Planowanie nie powiodło się: " + (job.error || job.status), true);
    }
  }

  await loadDay(params.get("day") || tomorrow, params.get("plan")).catch(failed);
})();
