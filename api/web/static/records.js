/* The records page (/app/kartoteka): the caller found as they speak (name, phone or
   address), lists of clients, workers, vehicles, visits and jobs, and trips with search
   and filters, and forms to add, edit and retire them. A form sends the ETag it read as
   If-Match: when someone changed the record meanwhile the API answers 412 and the page
   says so (nothing is overwritten). A 422's field errors stand beside their inputs.
   Planners see the lists as the API gives them (pseudonyms) and no forms. */
"use strict";
const RecordsPage = {};
(async () => {
  const {el, json, call, say} = Trasa;
  const F = RecordForms;
  const $ = (id) => document.getElementById(id);
  const me = await Trasa.session(["coordinator", "planner"]);
  const editor = me.role === "coordinator";
  const state = {kind: null, lists: {providers: {}, vehicles: {}}, clients: {}, record: null, seq: 0,
                 map: null, marker: null, streets: null, afterSave: null};
  const TITLE = {clients: t("Clients"), workers: t("Workers"), vehicles: t("Vehicles"),
                 tasks: t("Visits and jobs"), trips: t("Trips")};
  const ADD = {clients: t("Add a client"), workers: t("Add a worker"), vehicles: t("Add a vehicle"),
               tasks: t("Add a visit or job"), trips: t("Add a trip")};
  const NEW_TITLE = {clients: t("New client"), workers: t("New worker"), vehicles: t("New vehicle"),
                     tasks: t("New visit or job"), trips: t("New trip")};
  const PREFIX = {clients: "k-", workers: "p-", vehicles: "poj-", tasks: "z-", trips: "przejazd-"};
  const shift = (w) => (w.day && w.day !== "daily" ? (F.WEEKDAY_PL[w.day] || Trasa.dayPl(w.day)) + " " : "")
    + w.start + "–" + w.end;
  const clientName = (id) => (state.clients[id] ? state.clients[id] + " (" + id + ")" : id);
  const place = (p) => (p ? p.name || (p.lat + ", " + p.lon) : t("home"));
  const COLUMNS = {
    clients: [[t("Name"), (r) => r.name], [t("Phone"), (r) => r.phone], [t("Address"), (r) => r.address],
              [t("Mobility"), (r) => F.MOBILITY[r.mobility] + (r.escort ? ", " + t("with an escort") : "")]],
    workers: [[t("Name"), (r) => r.name], [t("Provider"), (r) => state.lists.providers[r.provider] || r.provider],
              [t("Skills"), (r) => (r.skills || []).join(", ")], [t("Shifts"), (r) => (r.availability || []).map(shift).join("; ")],
              [t("Absences"), (r) => (r.absences || []).map((a) => Trasa.dayPl(a.start) + "–" + Trasa.dayPl(a.end)).join("; ")]],
    vehicles: [[t("Name"), (r) => r.name || r.id], [t("Seats"), (r) => r.seats], [t("Wheelchair places"), (r) => r.wheelchair_places]],
    tasks: [[t("Id"), (r) => r.id], [t("Kind"), (r) => F.TASK_KIND[r.kind]], [t("Client"), (r) => clientName(r.client)],
            [t("Day"), (r) => Trasa.dayPl(r.day)], [t("Windows"), (r) => r.windows.map(shift).join("; ")],
            [t("Minutes"), (r) => r.duration_min], [t("Priority"), (r) => Trasa.PRIORITY_PL[r.priority]],
            [t("Status"), (r) => F.STATUS[r.status]]],
    trips: [[t("Id"), (r) => r.id], [t("Client"), (r) => clientName(r.client)], [t("Day"), (r) => Trasa.dayPl(r.day)],
            [t("From"), (r) => place(r.pickup)], [t("To"), (r) => place(r.dropoff)],
            [t("Arrive by"), (r) => r.arrive_by || "—"], [t("Status"), (r) => F.STATUS[r.status]]],
  };

  /* ------------------------------------------------------------------ lists */
  async function loadChoices() {
    const [providers, vehicles] = await Promise.all([json("/providers?limit=500"), json("/vehicles?limit=500")]);
    state.lists.providers = Object.fromEntries(providers.items.map((p) => [p.id, p.name]));
    state.lists.vehicles = Object.fromEntries(vehicles.items.map((v) => [v.id, v.name || v.id]));
    const select = $("f-provider");
    for (const [id, name] of Object.entries(state.lists.providers)) select.append(el("option", {value: id, text: name}));
    if (editor) {
      const clients = await json("/clients?limit=500");
      state.clients = Object.fromEntries(clients.items.map((c) => [c.id, c.name]));
      document.body.append(el("datalist", {id: "client-ids"},
        ...clients.items.map((c) => el("option", {value: c.id, text: c.name}))));
    }
  }

  function query() {
    const p = new URLSearchParams({limit: "500"});
    const q = $("q").value.trim();
    if (q) p.set("q", q);
    const kind = state.kind;
    if (kind === "tasks" && $("f-kind").value) p.set("kind", $("f-kind").value);
    if ((kind === "tasks" || kind === "trips") && $("f-day").value) {
      p.set("day_from", $("f-day").value); p.set("day_to", $("f-day").value);
    }
    if ((kind === "tasks" || kind === "trips") && $("f-status").value) p.set("status", $("f-status").value);
    if (kind === "workers" && $("f-provider").value) p.set("provider", $("f-provider").value);
    return p.toString();
  }

  async function loadList() {
    const kind = state.kind;
    const seq = ++state.seq;
    const page = await json("/" + kind + "?" + query());
    if (seq !== state.seq) return;  // a newer search answered first
    const retired = $("f-retired").checked;
    const items = page.items.filter((r) => retired || !r.retired);
    const columns = COLUMNS[kind];
    $("list").tHead.replaceChildren(el("tr", {}, ...columns.map(([name]) => el("th", {text: name})),
                                       editor ? el("th", {}, el("span", {class: "sr-only", text: t("Actions")})) : null));
    $("list").tBodies[0].replaceChildren(...items.map((r) => el("tr", {class: r.retired || r.status === "cancelled" ? "retired" : null},
      ...columns.map(([, value], i) => el("td", {}, String(value(r) ?? ""),
        i === 0 && r.retired ? el("span", {class: "badge", text: t("retired")}) : null)),
      editor ? el("td", {}, el("button", {type: "button", class: "small quiet", text: t("Edit"),
        "aria-label": t("Edit {name}", {name: r.name || r.id}), onclick: () => openEditor(kind, r.id)})) : null)));
    $("list-count").textContent = nt("{n} record", "{n} records", items.length)
      + (page.total > page.items.length ? " " + t("(first {n} shown)", {n: page.items.length}) : "");
  }

  function debounce(fn, ms) {
    let timer = null;
    return () => { clearTimeout(timer); timer = setTimeout(() => fn().catch((e) => say(e.message, true)), ms); };
  }

  function showTab(kind) {
    state.kind = kind;
    document.querySelectorAll('[role="tab"]').forEach((b) => b.setAttribute("aria-selected", String(b.dataset.kind === kind)));
    $("intake").hidden = kind !== "intake";
    $("records-panel").hidden = kind === "intake";
    history.replaceState(null, "", "#" + kind);
    if (kind === "intake") return;
    $("list-title").textContent = TITLE[kind];
    document.querySelectorAll("#filters [data-for]").forEach((x) => { x.hidden = !x.dataset.for.split(" ").includes(kind); });
    $("add").textContent = ADD[kind];
    closeEditor();
    loadList().catch((e) => say(e.message, true));
  }
  RecordsPage.showTab = showTab;

  /* ------------------------------------------------------------------ the form */
  function closeEditor() {
    if (state.map) { state.map.remove(); state.map = null; }
    $("editor").hidden = true;
    state.record = null;
  }

  async function openEditor(kind, id, preset) {
    closeEditor();
    let body = Object.assign(JSON.parse(JSON.stringify(F.NEW[kind] || {})), preset || {});
    let etag = null;
    if (id) {
      const answer = await call("/" + kind + "/" + encodeURIComponent(id));
      etag = answer.headers.get("ETag");
      body = await answer.json();
    }
    state.record = {kind, id, etag, body};
    $("editor-title").textContent = id ? t("Edit: {name}", {name: body.name || id}) : NEW_TITLE[kind];
    $("conflict").hidden = true;
    $("form-error").textContent = "";
    F.build($("form-fields"), kind, body, !id, state.lists, {street: streetField, map: mapField});
    const retire = $("retire");
    retire.hidden = !id || ((kind === "tasks" || kind === "trips") && body.status === "cancelled");
    retire.textContent = {clients: body.retired ? t("Bring back") : t("Retire"), workers: body.retired ? t("Bring back") : t("Retire"),
                          vehicles: t("Delete"), tasks: t("Cancel the visit or job"), trips: t("Cancel the trip")}[kind];
    $("editor").hidden = false;
    $("editor").scrollIntoView({block: "nearest"});  // below the list on a phone
    if (kind === "clients") initMap(body);
    const first = $("form-fields").querySelector("input, select, textarea");
    if (first) first.focus();
  }
  RecordsPage.openNew = (kind, afterSave) => { showTab(kind); state.afterSave = afterSave; return openEditor(kind, null); };

  function conflict(status) {
    $("conflict-text").textContent = status === 428 ? t("The record's version is missing; reload it and save again.")
      : t("Someone changed this record in the meantime. Your changes were not saved: reload the record and make them again.");
    $("conflict").hidden = false;
    $("reload").focus();
  }

  async function save(body, method) {
    const {kind, id, etag} = state.record;
    const path = "/" + kind + (id ? "/" + encodeURIComponent(id) : "");
    F.clearErrors($("form-fields"));
    $("form-error").textContent = "";
    try {
      const answer = await call(path, {method: method || (id ? "PUT" : "POST"), json: method === "DELETE" ? undefined : body,
                                       headers: etag ? {"If-Match": etag} : {}});
      say(method === "DELETE" ? t("Deleted.") : t("Saved."));
      const saved = method === "DELETE" ? null : await answer.json();
      await loadList();
      if (!saved) { closeEditor(); return; }
      const after = state.afterSave;
      state.afterSave = null;
      await openEditor(kind, saved.id);
      if (after) after(saved);
    } catch (e) {
      if (!(e instanceof Trasa.ApiError)) throw e;
      if (e.status === 412 || e.status === 428) { conflict(e.status); await loadList(); return; }
      if (e.status === 409 && /already exists/.test(e.message)) e.body.errors = [{field: "body.id", message: e.message}];
      const left = F.showErrors($("form-fields"), e.body.errors || []);
      $("form-error").textContent = e.status === 422 ? (left.length ? left.join(" ") : t("Correct the marked fields."))
        : e.status === 409 ? t("This record is still in use and cannot be deleted ({detail}).", {detail: e.message})
        : t("Not saved ({status}).", {status: e.status});
    }
  }

  $("record-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const {kind, id, body: base} = state.record;
    const body = F.read($("form-fields"), kind, base);
    if (!id && !body.id) body.id = PREFIX[kind] + Date.now().toString(36);
    save(body).catch((e) => say(e.message, true));
  });
  $("retire").addEventListener("click", () => {
    const {kind, body} = state.record;
    if (kind === "vehicles") return save(null, "DELETE").catch((e) => say(e.message, true));
    const changed = Object.assign({}, body, kind === "clients" || kind === "workers" ? {retired: !body.retired} : {status: "cancelled"});
    return save(changed).catch((e) => say(e.message, true));
  });
  $("reload").addEventListener("click", () => openEditor(state.record.kind, state.record.id).catch((e) => say(e.message, true)));
  $("close").addEventListener("click", closeEditor);
  $("add").addEventListener("click", () => openEditor(state.kind, null).catch((e) => say(e.message, true)));

  /* ------------------------------------------------- a client's place: street and map */
  async function streets(q) {
    return (await json("/places/streets?limit=8&q=" + encodeURIComponent(q))).items;
  }
  RecordsPage.streets = streets;

  function setPlace(lat, lon) {
    $("r-lat").value = lat.toFixed(6);
    $("r-lon").value = lon.toFixed(6);
    if (state.map) {
      if (state.marker) state.marker.setLatLng([lat, lon]); else state.marker = L.marker([lat, lon]).addTo(state.map);
      state.map.setView([lat, lon], Math.max(state.map.getZoom() || 15, 15));
    }
  }

  function streetField(spec) {
    const input = el("input", {id: "r-street", type: "search", autocomplete: "off", placeholder: t("e.g. Lubelska")});
    const found = el("ul", {class: "found", id: "r-street-found"});
    input.addEventListener("input", debounce(async () => {
      const q = input.value.trim();
      if (q.length < 2) { found.replaceChildren(); return; }
      let items = [];
      try { items = await streets(q); } catch (e) { found.replaceChildren(el("li", {class: "hint", text: t("Street names are not available: pick the home on the map.")})); return; }
      found.replaceChildren(...items.map((s) => el("li", {}, el("button", {type: "button", class: "link", text: s.name, onclick: () => {
        const address = $("r-address");
        const number = (address.value.match(/\d+\w*(\/\d+)?\s*$/) || [""])[0];
        address.value = "ul. " + s.name + (number ? " " + number : " ");
        setPlace(s.lat, s.lon);
        found.replaceChildren();
        address.focus();
      }}))));
      if (!items.length) found.replaceChildren(el("li", {class: "hint", text: t("No such street in the road map.")}));
    }, 200));
    return el("div", {class: "field field-street"}, el("label", {for: input.id, text: spec.label}), input, found);
  }

  function mapField(spec) {
    return el("div", {class: "field field-map"}, el("span", {class: "label", text: spec.label}),
              el("div", {id: "client-map", role: "region", "aria-label": spec.label}));
  }

  async function initMap(body) {
    state.map = L.map("client-map", {keyboard: true, zoomSnap: 0.25});
    state.map.attributionControl.setPrefix("Leaflet");
    state.marker = null;
    const config = $("map-config").dataset;
    if (config.tileUrl) L.tileLayer(config.tileUrl, {attribution: config.tileAttribution, maxZoom: 19}).addTo(state.map);
    state.map.on("click", (e) => setPlace(e.latlng.lat, e.latlng.lng));
    const map = state.map;
    try {
      state.streets = state.streets || await json("/places/map");
      if (map !== state.map) return;
      const lines = L.geoJSON(state.streets, {interactive: false, style: {color: "#8f969e", weight: 1.2, opacity: 0.8}}).addTo(map);
      map.fitBounds(lines.getBounds());
    } catch (e) {
      if (map === state.map) map.setView([body.lat || 52.1, body.lon || 19.4], body.lat ? 15 : 6);
    }
    if (map === state.map && body.lat !== null && body.lat !== undefined) setPlace(body.lat, body.lon);
  }

  /* ------------------------------------------------------------ the caller */
  async function findCaller() {
    const q = $("caller-q").value.trim();
    const list = $("caller-found");
    if (q.length < 2) { list.replaceChildren(); return; }
    const page = await json("/clients?limit=8&q=" + encodeURIComponent(q));
    if ($("caller-q").value.trim() !== q) return;
    list.replaceChildren(...page.items.map((c) => el("li", {class: c.retired ? "retired" : null},
      el("strong", {text: c.name}), " ", el("span", {text: [c.phone, c.address].filter(Boolean).join(" · ")}), " ",
      el("button", {type: "button", class: "small quiet", text: t("Card"), onclick: () => { showTab("clients"); openEditor("clients", c.id); }}),
      " ", el("button", {type: "button", class: "small", text: t("Take a request"), onclick: () => { showTab("intake"); Intake.pickClient(c); }}))));
    if (!page.items.length) list.replaceChildren(el("li", {class: "hint", text: t("No client matches.")}));
  }

  /* ------------------------------------------------------------ the page */
  document.querySelectorAll('[role="tab"]').forEach((b) => {
    b.hidden = !b.dataset.roles.split(" ").includes(me.role);
    b.addEventListener("click", () => showTab(b.dataset.kind));
  });
  for (const [v, text] of Object.entries(F.TASK_KIND)) $("f-kind").append(el("option", {value: v, text}));
  for (const [v, text] of Object.entries(F.STATUS)) $("f-status").append(el("option", {value: v, text}));
  $("add").hidden = !editor;
  $("caller").hidden = !editor;
  $("q").addEventListener("input", debounce(loadList, 200));
  ["f-kind", "f-day", "f-status", "f-provider", "f-retired"].forEach((id) => $(id).addEventListener("change", () => loadList().catch((e) => say(e.message, true))));
  $("filters").addEventListener("submit", (e) => e.preventDefault());
  $("caller-q").addEventListener("input", debounce(findCaller, 150));
  await loadChoices();
  RecordsPage.lists = state.lists;
  const wanted = window.location.hash.slice(1);
  const tabs = [...document.querySelectorAll('[role="tab"]')].filter((b) => !b.hidden).map((b) => b.dataset.kind);
  showTab(tabs.includes(wanted) ? wanted : tabs[0]);
  document.body.dataset.ready = "true";
})();
