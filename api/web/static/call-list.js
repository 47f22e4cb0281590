/* The call list of a day (coordinators): each client with work that day, the window to
   tell them (promised, or the planned time widened), who comes by first name, and a
   message to read out or send; rows marked against the last list issued. */
"use strict";
(async () => {
  const {el, json, say} = Trasa;
  const $ = (id) => document.getElementById(id);
  const MARK = {"new": t("new"), changed: t("changed"), cancelled: t("cancelled")};
  const CHANGE = {time: t("time"), worker: t("worker"), what: t("what")};
  const BASIS = {promised: t("promised"), planned: t("planned")};
  await Trasa.session(["coordinator"]);
  const params = new URLSearchParams(window.location.search);
  const when = (iso) => new Date(iso).toLocaleString(Trasa.LANG, {dateStyle: "short", timeStyle: "short"});

  function lines(items, text) { return items.length ? items.map(text).join("\n") : "—"; }

  function render(list) {
    $("since").textContent = list.last_issued_at
      ? t("Changes are marked since the list issued {when} by {who}.", {when: when(list.last_issued_at), who: list.last_issued_by})
      : t("No list was issued for this day before: nothing is marked.");
    const rows = list.rows.map((r) => el("tr", {class: "call " + (r.mark || "same"), "data-client": r.client_id},
      el("td", {}, r.mark ? el("span", {class: "badge mark-" + r.mark, text: MARK[r.mark]
        + (r.changes.length ? " (" + r.changes.map((c) => CHANGE[c]).join(", ") + ")" : "")}) : ""),
      el("td", {text: r.client}),
      el("td", {}, r.phone ? el("a", {href: "tel:" + r.phone.replace(/\s/g, ""), text: r.phone}) : "—"),
      el("td", {class: "lines", text: lines(r.items, (i) => i.what)}),
      el("td", {class: "lines", text: lines(r.items, (i) => i.window + " (" + BASIS[i.basis] + ")")}),
      el("td", {class: "lines", text: lines(r.items, (i) => i.who)}),
      el("td", {class: "message", text: r.message})));
    $("calls").querySelector("tbody").replaceChildren(...(rows.length ? rows
      : [el("tr", {}, el("td", {colspan: "7", text: t("No client has work on this day.")}))]));
  }

  async function show(day) {
    $("day").value = day;
    $("back-to-day").href = "/app/dzien?day=" + day;
    history.replaceState(null, "", "?day=" + day);
    try {
      render(await json("/days/" + day + "/call-list"));
      say(t("Call list for {day} (published plan).", {day: Trasa.dayPl(day)}));
    } catch (e) {
      $("calls").querySelector("tbody").replaceChildren();
      $("since").textContent = "";
      say(e.status === 404 ? t("There is no published plan for {day}.", {day: Trasa.dayPl(day)})
        : t("Failed: {error}", {error: e.message}), true);
    }
  }

  const file = (ext) => "/days/" + $("day").value + "/call-list." + ext + "?issue=true";
  $("issue").addEventListener("click", async () => {
    try {
      await json("/days/" + $("day").value + "/call-list", {method: "POST"});
      await show($("day").value);  // marked against the list just issued: nothing, until a change
      say(t("The list is issued: the next one marks changes since now."));
    } catch (e) { say(t("Failed: {error}", {error: e.message}), true); }
  });
  $("list-pdf").addEventListener("click", () => Trasa.download(file("pdf"), "telefony-" + $("day").value + ".pdf")
    .then(() => show($("day").value)).catch((e) => say(t("Failed: {error}", {error: e.message}), true)));
  $("list-csv").addEventListener("click", () => Trasa.download(file("csv"), "telefony-" + $("day").value + ".csv")
    .then(() => show($("day").value)).catch((e) => say(t("Failed: {error}", {error: e.message}), true)));
  $("day-form").addEventListener("submit", (e) => { e.preventDefault(); show($("day").value); });
  // tomorrow by the server's calendar (TRASA_TODAY), not the browser's clock
  await show(params.get("day") || Trasa.addDays(document.body.dataset.today, 1));
})();
