/* The intake of a telephone request (the records page's last tab, coordinators): the
   caller (an existing client found as they speak, or a new one added first), their
   wishes (a visit, a job, a series of visits, a trip or a trip with its return; a day
   or a week; preferred times and worker; for a trip the destination, arrive-by and the
   appointment's length) -> `POST /offers` (api/schemas/offers.py) -> the offers (day, window, who comes, added
   travel) -> one click "Accept" -> `POST /offers/accept` {token}. When someone took the
   slot first the API answers 409 with fresh offers, which replace the list. */
"use strict";
const Intake = (() => {
  const {el, json, say} = Trasa;
  const $ = (id) => document.getElementById(id);
  const state = {client: null, dropoff: null, offers: []};
  const BASIS = {published: t("Offers against the published plan."), draft: t("Offers against the latest draft plan."),
                 promises: t("No plan of these days yet: offers against the promises made.")};

  function pickClient(client) {
    state.client = client;
    $("in-client").value = client.name + (client.phone ? " · " + client.phone : "");
    $("in-client-found").replaceChildren();
    $("in-client-error").textContent = "";
  }

  function debounce(fn, ms) {
    let timer = null;
    return () => { clearTimeout(timer); timer = setTimeout(() => fn().catch((e) => say(e.message, true)), ms); };
  }

  async function findClient() {
    const q = $("in-client").value.trim();
    state.client = null;
    if (q.length < 2) { $("in-client-found").replaceChildren(); return; }
    const page = await json("/clients?limit=6&q=" + encodeURIComponent(q));
    $("in-client-found").replaceChildren(...page.items.filter((c) => !c.retired).map((c) => el("li", {},
      el("button", {type: "button", class: "link", text: c.name + " · " + [c.phone, c.address].filter(Boolean).join(" · "),
                    onclick: () => pickClient(c)}))));
  }

  async function findDestination() {
    const q = $("in-dest").value.trim();
    state.dropoff = null;
    if (q.length < 2) { $("in-dest-found").replaceChildren(); return; }
    const items = await RecordsPage.streets(q).catch(() => []);
    $("in-dest-found").replaceChildren(...items.map((s) => el("li", {}, el("button", {type: "button", class: "link", text: s.name,
      onclick: () => { state.dropoff = {name: s.name, lat: s.lat, lon: s.lon}; $("in-dest").value = s.name; $("in-dest-found").replaceChildren(); }}))));
  }

  function kindShown() {
    const kind = $("in-kind").value;
    const trip = kind.startsWith("trip");
    $("in-trip").hidden = !trip;
    $("in-work").querySelectorAll("input, select").forEach((x) => { x.closest("div").hidden = trip && x.id !== "in-worker"; });
    document.querySelector("[data-series]").hidden = kind !== "series";
    $("in-days").closest("div").hidden = trip;  // a trip is offered on its one day
  }

  /* The request as `POST /offers` takes it (api/schemas/offers.py; docs/offers.md). */
  function request() {
    const kind = $("in-kind").value;
    const number = (id) => Number($(id).value || 0);
    const days = number("in-days");
    const r = {kind: kind.startsWith("trip") ? "trip" : kind, client: state.client ? state.client.id : null,
               first_day: $("in-day").value, days: kind.startsWith("trip") ? 1 : days,
               preferred_worker: $("in-worker").value || null, count: 3, window_min: 60};
    if ($("in-from").value && $("in-to").value) {
      r.windows = [{start: $("in-from").value, end: $("in-to").value, day: r.days === 1 ? r.first_day : "daily"}];
    }
    if (r.kind === "trip") {
      Object.assign(r, {dropoff: state.dropoff, arrive_by: $("in-arrive").value || null,
                        appointment_min: number("in-appointment"), with_return: kind === "trip-return",
                        passengers: {seated: number("in-seated"), wheelchair: number("in-wheelchair"), escort: number("in-escort")}});
    } else {
      Object.assign(r, {duration_min: number("in-duration"),
                        skills: $("in-skills").value.split(",").map((s) => s.trim()).filter(Boolean)});
      if (kind === "series") r.sessions = number("in-visits");
    }
    return r;
  }

  const windowsText = (o) => o.windows.map((w) => (w.day && w.day !== o.day ? Trasa.dayPl(w.day) + " " : "")
    + w.start + "–" + w.end).join(", ");

  function showOffers(answer) {
    state.offers = (answer && answer.offers) || [];
    state.why = (answer && answer.why) || "";
    $("offers-basis").textContent = BASIS[answer && answer.basis] || "";
    $("offers").replaceChildren(...state.offers.map((o) => el("li", {class: "offer"},
      el("strong", {text: Trasa.dayPl(o.day) + ", " + windowsText(o)}), " ",
      el("span", {text: t("comes: {who}", {who: o.worker_name || o.worker || "—"})
        + (o.vehicle ? " · " + t("vehicle {id}", {id: o.vehicle}) : "")
        + " · " + t("added travel {n} min", {n: Trasa.number(o.added_travel_min, 0)})}), " ",
      el("button", {type: "button", text: t("Accept"), "aria-label": t("Accept {day}, {window}", {day: Trasa.dayPl(o.day), window: windowsText(o)}),
                    onclick: () => accept(o).catch((e) => say(e.message, true))}))));
    if (!state.offers.length) $("offers").replaceChildren(el("li", {class: "hint", text: t("No time can be offered for these wishes: widen them (another day, the week, other hours).")
      + (state.why ? " " + t("Why: {why}", {why: state.why}) : "")}));
  }

  /* A 422's errors beside the inputs their paths name; the rest under the form. */
  function fieldErrors(errors) {
    const left = [];
    for (const error of errors) {
      const parts = String(error.field || "").replace(/^body\.?/, "").split(".");
      let input = null;
      for (let n = parts.length; n > 0 && !input; n--) input = $("intake-form").querySelector('[data-path="' + parts.slice(0, n).join(".") + '"]');
      const text = RecordForms.polish(error.message);
      if (!input) { left.push(text); continue; }
      let place = input.parentElement.querySelector(".field-error");
      if (!place) { place = el("p", {class: "field-error"}); input.after(place); }
      place.textContent = text;
      input.setAttribute("aria-invalid", "true");
    }
    return left;
  }

  async function find(event) {
    event.preventDefault();
    $("intake-error").textContent = "";
    document.querySelectorAll("#intake .field-error").forEach((p) => { p.textContent = ""; });
    document.querySelectorAll("#intake [aria-invalid]").forEach((x) => x.removeAttribute("aria-invalid"));
    if (!state.client) { $("in-client-error").textContent = t("Choose the client from the list (or add them first)."); $("in-client").focus(); return; }
    $("offers").replaceChildren();
    $("offers-basis").textContent = t("Looking for times…");
    try {
      showOffers(await json("/offers", {method: "POST", json: request()}));
    } catch (e) {
      $("offers-basis").textContent = "";
      if (!(e instanceof Trasa.ApiError)) throw e;
      const left = e.status === 422 ? fieldErrors(e.body.errors || []) : [];
      $("intake-error").textContent = e.status === 422 ? (left.join(" ") || (e.body.errors && e.body.errors.length ? t("Correct the marked fields.") : RecordForms.polish(e.message)))
        : e.status === 404 || e.status === 405 ? t("Offers are not available on this server yet.") : e.message;
    }
  }

  async function accept(offer) {
    try {
      const done = await json("/offers/accept", {method: "POST", json: {token: offer.token}});
      $("offers").replaceChildren(el("li", {class: "accepted"}, t("Accepted: {day}, {window}. Tell the caller the promised time.",
        {day: Trasa.dayPl(offer.day), window: windowsText(offer)}), " ",
        el("a", {href: "/app/dzien?day=" + offer.day, text: t("The day's plan")})));
      say(t("Accepted."));
      return done;
    } catch (e) {
      if (!(e instanceof Trasa.ApiError) || e.status !== 409) throw e;
      say(t("Someone took this time a moment ago: here are fresh offers."), true);
      showOffers(e.body.fresh || e.body);
      return null;
    }
  }

  $("in-client").addEventListener("input", debounce(findClient, 150));
  $("in-dest").addEventListener("input", debounce(findDestination, 200));
  $("in-kind").addEventListener("change", kindShown);
  $("intake-form").addEventListener("submit", (e) => find(e).catch((x) => say(x.message, true)));
  $("in-new-client").addEventListener("click", () => RecordsPage.openNew("clients", (client) => {
    RecordsPage.showTab("intake");
    pickClient(client);
  }));
  $("in-day").value = Trasa.addDays(Trasa.isoDay(new Date()), 1);
  kindShown();
  (async () => {  // the preferred worker's choices (coordinators only reach this tab)
    if (!document.querySelector('#tab-intake')) return;
    try {
      const workers = await json("/workers?limit=500");
      $("in-worker").append(...workers.items.filter((w) => !w.retired).map((w) => el("option", {value: w.id, text: w.name})));
    } catch (e) { /* a planner: no intake */ }
  })();
  return {pickClient};
})();
