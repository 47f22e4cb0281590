/* The records page's forms: which fields each kind of record has, a form built from a
   record and read back into one (fields the form does not show are kept as they were),
   and a 422's field errors put beside their inputs in the page's language.
   Personal fields (a client's name, phone, address, health note) exist only in the
   coordinators' forms: planners get no form at all. */
"use strict";
const RecordForms = (() => {
  const {el} = Trasa;
  const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
  const WEEKDAY_PL = {daily: t("every day"), mon: t("Monday"), tue: t("Tuesday"),
                      wed: t("Wednesday"), thu: t("Thursday"), fri: t("Friday"),
                      sat: t("Saturday"), sun: t("Sunday"), date: t("on the date")};
  const MOBILITY = {walks: t("walks on their own"), seated: t("needs a seat and help"),
                    wheelchair: t("wheelchair")};
  const TASK_KIND = {visit: t("visit"), job: t("job")};
  const STATUS = {open: t("open"), cancelled: t("cancelled")};
  const PRIORITY = Trasa.PRIORITY_PL;

  /* path, label, type; `create`: shown only when adding; `options`: a select's. */
  const SPECS = {
    clients: [
      {path: "id", label: t("Id (empty: made up)"), type: "id"},
      {path: "name", label: t("Name and surname"), type: "text"},
      {path: "phone", label: t("Phone"), type: "text"},
      {path: "street", label: t("Find the street (from the road map)"), type: "street"},
      {path: "address", label: t("Address"), type: "text"},
      {path: "lat", label: t("Latitude"), type: "float"},
      {path: "lon", label: t("Longitude"), type: "float"},
      {path: "map", label: t("Home on the map (click to set)"), type: "map"},
      {path: "mobility", label: t("Mobility"), type: "select", options: MOBILITY},
      {path: "escort", label: t("Comes with an escort"), type: "bool"},
      {path: "health_note", label: t("Health note (coordinators only)"), type: "textarea"},
      {path: "refuses_workers", label: t("Workers the client refuses (ids, comma-separated)"), type: "list"},
      {path: "requires", label: t("Required of who comes (attributes, comma-separated)"), type: "list"},
      {path: "prefers_workers", label: t("Preferred workers (ids, comma-separated)"), type: "list"},
    ],
    workers: [
      {path: "id", label: t("Id (empty: made up)"), type: "id"},
      {path: "name", label: t("Name and surname"), type: "text"},
      {path: "provider", label: t("Provider (CUS or PES)"), type: "select", options: "providers"},
      {path: "skills", label: t("Skills (comma-separated)"), type: "list"},
      {path: "attributes", label: t("Attributes clients may require (comma-separated, coordinators only)"), type: "list"},
      {path: "availability", label: t("Shifts"), type: "windows", days: true},
      {path: "absences", label: t("Absences"), type: "absences"},
      {path: "base_name", label: t("Base"), type: "text"},
      {path: "base_lat", label: t("Base latitude"), type: "float"},
      {path: "base_lon", label: t("Base longitude"), type: "float"},
      {path: "vehicle", label: t("Vehicle"), type: "select", options: "vehicles", empty: true},
      {path: "max_work_min", label: t("Most minutes of work a day"), type: "int"},
    ],
    vehicles: [
      {path: "id", label: t("Id (empty: made up)"), type: "id"},
      {path: "name", label: t("Name"), type: "text"},
      {path: "seats", label: t("Seats"), type: "int"},
      {path: "wheelchair_places", label: t("Wheelchair places"), type: "int"},
    ],
    tasks: [
      {path: "id", label: t("Id (empty: made up)"), type: "id"},
      {path: "kind", label: t("Kind"), type: "select", options: TASK_KIND},
      {path: "client", label: t("Client (id)"), type: "client"},
      {path: "day", label: t("Day"), type: "date"},
      {path: "duration_min", label: t("Length (minutes)"), type: "int"},
      {path: "windows", label: t("Time windows"), type: "windows"},
      {path: "skills", label: t("Skills (comma-separated)"), type: "list"},
      {path: "priority", label: t("Priority"), type: "select", options: PRIORITY},
      {path: "note", label: t("Note for the worker"), type: "textarea"},
      {path: "status", label: t("Status"), type: "select", options: STATUS},
    ],
    trips: [
      {path: "id", label: t("Id (empty: made up)"), type: "id"},
      {path: "client", label: t("Client (id)"), type: "client"},
      {path: "day", label: t("Day"), type: "date"},
      {path: "pickup", label: t("Pickup (empty: the client's home)"), type: "place", optional: true},
      {path: "dropoff", label: t("Drop-off"), type: "place"},
      {path: "arrive_by", label: t("Arrive by"), type: "time"},
      {path: "appointment_min", label: t("Appointment (minutes)"), type: "int"},
      {path: "return_of", label: t("Return of the trip (id)"), type: "opt"},
      {path: "passengers.seated", label: t("Seated"), type: "int"},
      {path: "passengers.wheelchair", label: t("Wheelchairs"), type: "int"},
      {path: "passengers.escort", label: t("Escorts"), type: "int"},
      {path: "priority", label: t("Priority"), type: "select", options: PRIORITY},
      {path: "note", label: t("Note for the driver"), type: "textarea"},
      {path: "status", label: t("Status"), type: "select", options: STATUS},
    ],
  };
  const NEW = {
    clients: {mobility: "walks"}, vehicles: {seats: 8, wheelchair_places: 0},
    workers: {availability: [{start: "08:00", end: "16:00", day: null}], skills: []},
    tasks: {kind: "visit", duration_min: 45, windows: [{start: "08:00", end: "16:00"}],
            priority: "normal", status: "open"},
    trips: {passengers: {seated: 1, wheelchair: 0, escort: 0}, appointment_min: 0,
            priority: "normal", status: "open"},
  };

  function get(body, path) {
    return path.split(".").reduce((v, k) => (v === null || v === undefined ? undefined : v[k]), body);
  }
  function put(body, path, value) {
    const keys = path.split(".");
    let node = body;
    for (const k of keys.slice(0, -1)) {
      if (typeof node[k] !== "object" || node[k] === null) node[k] = {};
      node = node[k];
    }
    const last = keys[keys.length - 1];
    if (value === undefined) delete node[last]; else node[last] = value;
  }
  const idOf = (path) => "r-" + path.replace(/\./g, "-");

  function options(select, choices, value, empty) {
    if (empty) select.append(el("option", {value: "", text: "—"}));
    for (const [v, text] of Object.entries(choices)) {
      select.append(el("option", {value: v, text, selected: String(value) === v}));
    }
    return select;
  }

  function field(spec, input, extra) {
    return el("div", {class: "field field-" + spec.type, "data-field": spec.path},
      el("label", {for: input.id, text: spec.label}), input, ...(extra || []),
      el("p", {class: "field-error", id: input.id + "-error", "data-error-for": spec.path}));
  }

  function windowRow(path, i, w, days) {
    const p = path + "." + i;
    const cells = [];
    if (days) {
      const day = w.day === null || w.day === undefined || w.day === "daily" ? "daily"
        : (WEEKDAYS.includes(w.day) ? w.day : "date");
      const select = options(el("select", {"aria-label": t("Day"), "data-path": p + ".day", "data-part": "day"}),
                             WEEKDAY_PL, day);
      const date = el("input", {type: "date", "aria-label": t("Date"), "data-part": "date",
                                value: day === "date" ? w.day : "", hidden: day !== "date"});
      select.addEventListener("change", () => { date.hidden = select.value !== "date"; });
      cells.push(select, date);
    }
    cells.push(el("input", {type: "time", "aria-label": t("From"), "data-path": p + ".start", "data-part": "start", value: w.start || ""}),
               el("input", {type: "time", "aria-label": t("Until"), "data-path": p + ".end", "data-part": "end", value: w.end || ""}));
    const row = el("div", {class: "row", "data-row": p}, ...cells,
      el("button", {type: "button", class: "small quiet", text: t("Remove"), onclick: () => row.remove()}),
      el("p", {class: "field-error", "data-error-for": p}));
    return row;
  }

  function absenceRow(path, i, a) {
    const p = path + "." + i;
    const row = el("div", {class: "row", "data-row": p},
      el("input", {type: "date", "aria-label": t("From the day"), "data-path": p + ".start", "data-part": "start", value: a.start || ""}),
      el("input", {type: "date", "aria-label": t("To the day"), "data-path": p + ".end", "data-part": "end", value: a.end || ""}),
      el("input", {"aria-label": t("Why"), "data-path": p + ".why", "data-part": "why", value: a.why || ""}),
      el("button", {type: "button", class: "small quiet", text: t("Remove"), onclick: () => row.remove()}),
      el("p", {class: "field-error", "data-error-for": p}));
    return row;
  }

  function rows(spec, items, make, addText) {
    const list = el("div", {class: "rows", id: idOf(spec.path), tabindex: "-1", "data-path": spec.path});
    (items || []).forEach((item, i) => list.append(make(spec.path, i, item, spec.days)));
    const add = el("button", {type: "button", class: "small quiet", text: addText, onclick: () => {
      list.append(make(spec.path, list.children.length, {}, spec.days));
    }});
    return el("div", {class: "field field-rows", "data-field": spec.path},
      el("span", {class: "label", text: spec.label}), list, add,
      el("p", {class: "field-error", "data-error-for": spec.path}));
  }

  /* The form's fields for `body` (a stored record, or a new one's defaults). `lists`:
     {providers, vehicles} for the selects; `hooks.street`, `hooks.map`: the client form's
     street finder and map, made by the page. */
  function build(container, kind, body, isNew, lists, hooks) {
    const out = [];
    for (const spec of SPECS[kind]) {
      const value = get(body, spec.path);
      const common = {id: idOf(spec.path), "data-path": spec.path};
      if (spec.type === "id") {
        if (!isNew) continue;
        out.push(field(spec, el("input", Object.assign({value: value || "", autocomplete: "off"}, common))));
      } else if (spec.type === "select") {
        const choices = typeof spec.options === "string" ? lists[spec.options] : spec.options;
        out.push(field(spec, options(el("select", common), choices, value === null ? "" : value, spec.empty)));
      } else if (spec.type === "bool") {
        const box = el("input", Object.assign({type: "checkbox", checked: Boolean(value)}, common));
        out.push(el("div", {class: "field field-bool", "data-field": spec.path},
          el("label", {class: "check"}, box, " " + spec.label),
          el("p", {class: "field-error", "data-error-for": spec.path})));
      } else if (spec.type === "textarea") {
        out.push(field(spec, el("textarea", Object.assign({rows: 2, text: value || ""}, common))));
      } else if (spec.type === "windows") {
        out.push(rows(spec, value, windowRow, t("Add a window")));
      } else if (spec.type === "absences") {
        out.push(rows(spec, value, absenceRow, t("Add an absence")));
      } else if (spec.type === "place") {
        const place = value || {};
        const part = (name, label, type) => el("input", {id: idOf(spec.path + "." + name), "data-path": spec.path + "." + name,
          "aria-label": spec.label + ": " + label, placeholder: label, type: type || "text",
          value: place[name] === undefined || place[name] === null ? "" : place[name]});
        out.push(el("div", {class: "field field-place", "data-field": spec.path},
          el("span", {class: "label", text: spec.label}),
          el("div", {class: "row"}, part("name", t("name")), part("lat", t("latitude")), part("lon", t("longitude"))),
          el("p", {class: "field-error", "data-error-for": spec.path})));
      } else if (spec.type === "street") {
        out.push(hooks.street(spec));
      } else if (spec.type === "map") {
        out.push(hooks.map(spec));
      } else {
        const type = {int: "number", float: "number", date: "date", time: "time"}[spec.type] || "text";
        const shown = Array.isArray(value) ? value.join(", ") : (value === null || value === undefined ? "" : value);
        const input = el("input", Object.assign({type, value: shown, step: spec.type === "float" ? "any" : null,
                                                 list: spec.type === "client" ? "client-ids" : null}, common));
        out.push(field(spec, input));
      }
    }
    container.replaceChildren(...out);
  }

  function number(text, integer) {
    if (text.trim() === "") return undefined;
    const n = Number(text.replace(",", "."));
    return Number.isFinite(n) && (!integer || Number.isInteger(n)) ? n : text;  // the API names a bad one
  }

  /* The record the form holds: `base` (the stored record) with the form's fields over it. */
  function read(container, kind, base) {
    const body = JSON.parse(JSON.stringify(base || {}));
    const at = (path) => container.querySelector('[data-path="' + path + '"]');
    for (const spec of SPECS[kind]) {
      const input = at(spec.path);
      if (!input && !["windows", "absences", "place"].includes(spec.type)) continue;
      if (spec.type === "windows" || spec.type === "absences") {
        const list = at(spec.path);
        [...list.querySelectorAll(".row")].forEach((row, i) => {  // paths as the API counts
          const p = spec.path + "." + i;
          row.dataset.row = p;
          row.querySelectorAll("[data-path]").forEach((x) => { x.dataset.path = p + "." + x.dataset.part; });
          row.querySelector(".field-error").dataset.errorFor = p;
        });
        put(body, spec.path, [...list.querySelectorAll(".row")].map((row) => {
          const v = (part) => { const x = row.querySelector('[data-part="' + part + '"]'); return x ? x.value : undefined; };
          if (spec.type === "absences") return {start: v("start"), end: v("end"), why: v("why")};
          const w = {start: v("start"), end: v("end")};
          if (spec.days) w.day = v("day") === "daily" ? null : (v("day") === "date" ? v("date") : v("day"));
          return w;
        }));
      } else if (spec.type === "place") {
        const part = (name) => at(spec.path + "." + name).value.trim();
        if (spec.optional && !part("name") && !part("lat") && !part("lon")) put(body, spec.path, null);
        else put(body, spec.path, Object.assign({}, get(base, spec.path) || {}, {name: part("name"),
          lat: number(part("lat")), lon: number(part("lon"))}));
      } else if (spec.type === "street" || spec.type === "map") {
        continue;
      } else if (spec.type === "bool") {
        put(body, spec.path, input.checked);
      } else if (spec.type === "int" || spec.type === "float") {
        put(body, spec.path, number(input.value, spec.type === "int"));
      } else if (spec.type === "list") {
        put(body, spec.path, input.value.split(",").map((s) => s.trim()).filter(Boolean));
      } else if (spec.type === "select" && spec.empty) {
        put(body, spec.path, input.value || null);
      } else if (spec.type === "id" || spec.type === "opt" || spec.type === "time") {
        put(body, spec.path, input.value.trim() || undefined);
      } else {
        put(body, spec.path, input.value);
      }
    }
    return body;
  }

  /* A validation message of the API (English, pydantic's or Trasa's) in the page's language. */
  function polish(message) {
    const m = String(message || "");
    let found;
    if (/Field required|at least 1 character/.test(m)) return t("Required.");
    if ((found = m.match(/at most (\d+) character/))) return t("At most {n} characters.", {n: found[1]});
    if ((found = m.match(/greater than or equal to (-?[\d.]+)/))) return t("At least {n}.", {n: found[1]});
    if ((found = m.match(/greater than (-?[\d.]+)/))) return t("More than {n}.", {n: found[1]});
    if ((found = m.match(/less than or equal to (-?[\d.]+)/))) return t("At most {n}.", {n: found[1]});
    if (/valid integer/.test(m)) return t("Enter a whole number.");
    if (/valid number|valid float/.test(m)) return t("Enter a number.");
    if (/valid date/.test(m)) return t("Enter a date.");
    if (/HH:MM|time/i.test(m)) return t("Enter a time as HH:MM.");
    if (/should be '/.test(m)) return t("Choose one of the options.");
    if (/at least 1 item/.test(m)) return t("Add at least one.");
    if (/is not a stored/.test(m)) return t("No such record.");
    if (/both coordinates/.test(m)) return t("Give both coordinates or neither.");
    if (/no coordinates and no address/.test(m)) return t("Pick the home on the map or give the address.");
    if (/already exists/.test(m)) return t("A record with this id already exists.");
    if (/id/.test(m) && /letters|characters|spaces/.test(m)) return t("Letters, digits, dots, dashes and underscores only.");
    return t("Invalid value.");
  }

  function clearErrors(container) {
    container.querySelectorAll(".field-error").forEach((p) => { p.textContent = ""; });
    container.querySelectorAll("[aria-invalid]").forEach((x) => x.removeAttribute("aria-invalid"));
  }

  /* Each error beside the input its path names (or the nearest enclosing field); those
     with no place in the form are returned. The first placed input gets the focus. */
  function showErrors(container, errors) {
    clearErrors(container);
    const left = [];
    let first = null;
    for (const error of errors || []) {
      const path = String(error.field || "").replace(/^body\.?/, "");
      const parts = path ? path.split(".") : [];
      let place = null;
      let input = null;
      for (let n = parts.length; n > 0 && !place; n--) {
        const p = parts.slice(0, n).join(".");
        place = container.querySelector('[data-error-for="' + p + '"]');
        input = container.querySelector('[data-path="' + p + '"]');
      }
      const text = polish(error.message);
      if (!place) { left.push(text); continue; }
      place.textContent = place.textContent ? place.textContent + " " + text : text;
      if (input) {
        input.setAttribute("aria-invalid", "true");
        if (place.id) input.setAttribute("aria-describedby", place.id);
        first = first || input;
      }
    }
    if (first) first.focus();
    return left;
  }

  return {SPECS, NEW, MOBILITY, TASK_KIND, STATUS, WEEKDAY_PL, build, read, showErrors, clearErrors, polish, get};
})();
