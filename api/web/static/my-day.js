/* A worker's own published day: the stops and breaks in time order, each stop at its
   own place (a clinic, a day centre, a home) with what the job needs of the client, the
   buttons that confirm it (field-buttons.js) and the route sheet to download or print.
   The day and the worker's identity are saved on the phone (field-queue.js) and shown
   from there when there is no network; the service worker (/app/sw.js) keeps the page. */
"use strict";
(async () => {
  const {el, json, say} = Trasa;
  const $ = (id) => document.getElementById(id);
  const MOBILITY_PL = {walks: t("walks on their own"), seated: t("seated"), wheelchair: t("in a wheelchair")};
  const KIND_PL = {visit: t("visit"), job: t("job"), trip: t("ride")};
  const ACTION_PL = {pickup: t("boarding"), dropoff: t("alighting")};
  const me = await Trasa.session(["worker"], {recall: async () => {
    const saved = await FieldQueue.kept("me");
    return saved ? saved.value : null;
  }});
  if (!me.offline) await FieldQueue.keep("me", me);
  const params = new URLSearchParams(window.location.search);
  const time = (iso) => iso.slice(11, 16);
  /* The page in the worker's own language (stored on the account: PATCH /auth/me). */
  const inLanguage = (lang) => {
    const url = new URL(window.location.href);
    url.searchParams.set("lang", lang);
    window.location.replace(url.toString());
    return new Promise(() => {});
  };
  if (me.language && me.language !== Trasa.LANG) await inLanguage(me.language);
  if ("serviceWorker" in navigator) {  // the page itself, for opening with no network
    navigator.serviceWorker.register("/app/sw.js", {scope: "/app/moj-dzien"})
      .catch((e) => console.warn(e));  // the page works without it, online
    // this very page (opened before the service worker was there) is kept too
    caches.open("trasa-phone-v1").then((cache) => cache.addAll([
      "/app/moj-dzien?lang=" + Trasa.LANG, "/app/manifest.webmanifest?lang=" + Trasa.LANG]))
      .catch((e) => console.warn("cache", e));
  }
  $("language").value = Trasa.LANG;
  $("language").addEventListener("change", async () => {
    try {
      await json("/auth/me", {method: "PATCH", json: {language: $("language").value}});
      await inLanguage($("language").value);
    } catch (e) { say(t("Failed: {error}", {error: e.message}), true); }
  });

  async function show(day) {
    $("day").value = day;
    const here = new URLSearchParams(window.location.search);
    here.set("day", day);
    history.replaceState(null, "", "?" + here.toString());
    $("sheet-actions").hidden = true;
    if (!me.worker_id) { say(t("This account is not linked to a worker."), true); return; }
    let data;
    let savedAt = null;
    const name = "day:" + me.worker_id + ":" + day;
    try {
      data = await json("/days/" + day + "/workers/" + encodeURIComponent(me.worker_id));
      await FieldQueue.keep(name, data);
    } catch (e) {
      const saved = e instanceof Trasa.ApiError ? null : await FieldQueue.kept(name);
      if (saved) {  // no network: the day as this phone saved it
        data = saved.value;
        savedAt = saved.at;
      } else {
        $("my-routes").replaceChildren(el("p", {class: "card", text: e.status === 404
          ? t("There is no published plan for {day}.", {day: Trasa.dayPl(day)})
          : e instanceof Trasa.ApiError ? t("Failed: {error}", {error: e.message})
          : t("No network, and this phone has not saved {day}.", {day: Trasa.dayPl(day)})}));
        say("");
        return;
      }
    }
    const clients = new Map(data.clients.map((c) => [c.id, c]));
    if (!data.routes.length) {
      $("my-routes").replaceChildren(el("p", {class: "card", text: t("You have no routes this day.")}));
      return;
    }
    $("sheet-actions").hidden = false;
    $("my-routes").replaceChildren(...data.routes.map((r) => el("section", {class: "card"},
      el("h2", {text: t("Route {start}–{end} · {km} km", {start: time(r.start), end: time(r.end), km: Trasa.km(r.distance_m)})}),
      el("ol", {class: "my-stops"}, ...inTimeOrder(r).map((item) => item.stop
        ? stopItem(item.stop, item.number, clients.get(item.stop.client) || {})
        : el("li", {class: "break"}, el("strong", {text: t("{start}–{end} break", {start: time(item.pause.start), end: time(item.pause.end)})})))))));
    say(savedAt ? t("Your day {day} as this phone saved it at {time} (no network).",
                    {day: Trasa.dayPl(day), time: new Date(savedAt).toTimeString().slice(0, 5)})
                : t("Your day {day} (published plan).", {day: Trasa.dayPl(day)}));
    await field.draw();
  }

  /* The stops and breaks of a route as they happen. */
  function inTimeOrder(route) {
    return [...route.stops.map((stop, k) => ({at: Date.parse(stop.start), stop, number: k + 1})),
            ...(route.breaks || []).map((pause) => ({at: Date.parse(pause.start), pause}))]
      .sort((a, b) => a.at - b.at);
  }

  /* A stop names its own place (a clinic for a drop-off there, the home for a visit), then
     the client: who boards or alights there, or who is visited. */
  function stopItem(s, number, c) {
    return el("li", {class: "stop", value: number, "data-task": s.task},
      el("strong", {text: time(s.start) + "–" + time(s.end) + " " + KIND_PL[s.kind] + (ACTION_PL[s.action] ? " (" + ACTION_PL[s.action] + ")" : "")}),
      el("div", {class: "place", text: s.place || s.location || ""}),
      c.name ? el("div", {text: (s.kind === "trip" ? t("Passenger: {name}", {name: c.name}) : t("Client: {name}", {name: c.name}))}) : null,
      c.phone ? el("div", {}, t("phone") + " ", el("a", {href: "tel:" + c.phone.replace(/\s/g, ""), text: c.phone})) : null,
      c.mobility ? el("div", {class: "hint", text: MOBILITY_PL[c.mobility] + (c.escort ? ", " + t("with an escort") : "")}) : null,
      field.buttons(s));
  }

  const field = FieldButtons(me, () => $("day").value);
  const sheet = (format) => "/days/" + $("day").value + "/workers/" + encodeURIComponent(me.worker_id) + "/sheet?format=" + format;
  $("sheet-pdf").addEventListener("click", () => Trasa.download(sheet("pdf"), "karta-" + $("day").value + ".pdf")
    .catch((e) => say(t("Failed: {error}", {error: e.message}), true)));
  $("sheet-html").addEventListener("click", () => Trasa.download(sheet("html"), "karta.html", true)
    .catch((e) => say(t("Failed: {error}", {error: e.message}), true)));
  $("day-form").addEventListener("submit", (e) => { e.preventDefault(); show($("day").value); });
  $("previous").addEventListener("click", () => show(Trasa.addDays($("day").value, -1)));
  $("next").addEventListener("click", () => show(Trasa.addDays($("day").value, 1)));
  const today = Trasa.isoDay(new Date());
  await show(params.get("day") || today);
  FieldQueue.tidy(today);
  field.start();
})();
