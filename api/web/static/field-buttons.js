/* The buttons that confirm a stop on the worker's phone (docs/field.md): a visit or job
   "arrived", "done" (with an optional short note: no health data), a rider "picked up"
   or "dropped off", either "client absent" or "could not do it" (with a reason). Each
   press goes to the phone's queue first (field-queue.js) and shows at once on its stop as
   waiting; the queue is sent when the network is there (at once, on the `online` event,
   and every SEND_EVERY_MS), and the server's answer shows on the stop: sent, or refused
   with the reason the worker reads. */
"use strict";
function FieldButtons(me, currentDay) {  // eslint-disable-line no-unused-vars
  const {el, say} = Trasa;
  const SEND_EVERY_MS = 30000;
  const KIND = {arrived: t("arrived"), done: t("done"), picked_up: t("picked up"),
                dropped_off: t("dropped off"), absent: t("client absent"),
                not_done: t("could not do it")};
  /* the server's reasons (api/render/field_words.py), in the page's language */
  const REJECTED = {
    other_worker: t("This stop is on another worker's route, so your press was not counted. Call the coordinator if you did it."),
    not_on_route: t("This stop is not on your route for that day. Call the coordinator if you did it."),
    withdrawn: t("This stop was withdrawn before you pressed the button. Call the coordinator if you did it."),
    kind_mismatch: t("This button does not fit this stop (a visit has arrived and done, a ride has picked up and dropped off)."),
    day_closed: t("The coordinator has already closed this day. Tell the coordinator what happened.")};
  const REASONS = [t("the client refused"), t("no access to the home"), t("not enough time"),
                   t("a problem with the vehicle"), t("something else")];
  /* each shown stop's list of presses: {task, kinds it shows (a ride's boarding and
     alighting are two stops of one task), list} */
  let stops = [];

  /* The buttons of one stop, by its kind: a ride's boarding or alighting, else a visit. */
  function buttons(stop) {
    const task = stop.task;
    const list = el("ul", {class: "presses", "aria-live": "polite"});
    const own = stop.kind !== "trip" ? null
      : new Set([stop.action === "dropoff" ? "dropped_off" : "picked_up", "absent", "not_done"]);
    stops.push({task, kinds: own, list});
    const form = el("div", {class: "press-form", hidden: true});
    const quick = (kind) => el("button", {type: "button", class: "press " + kind, text: KIND[kind],
                                          onclick: () => record(task, kind)});
    const withNote = (kind) => el("button", {type: "button", class: "press " + kind, text: KIND[kind],
                                             onclick: () => openForm(form, task, kind)});
    const first = stop.kind === "trip"
      ? [stop.action === "dropoff" ? quick("dropped_off") : quick("picked_up")]
      : [quick("arrived"), withNote("done")];
    return el("div", {class: "field"},
      el("div", {class: "buttons"}, ...first, quick("absent"), withNote("not_done")),
      form, list);
  }

  /* "done" asks for an optional note, "could not do it" for the reason; both short. */
  function openForm(form, task, kind) {
    const id = "f-" + task + "-" + kind;
    const text = el("textarea", {id: id + "-text", maxlength: "200", rows: "2"});
    const choice = kind === "not_done" ? el("select", {id: id + "-why"},
      ...REASONS.map((r) => el("option", {value: r, text: r}))) : null;
    const save = () => {
      const reason = choice ? choice.value + (text.value.trim() ? ": " + text.value.trim() : "") : "";
      form.hidden = true;
      record(task, kind, choice ? "" : text.value.trim(), reason);
    };
    form.replaceChildren(
      choice ? el("label", {for: id + "-why", text: t("Why")}) : null, choice,
      el("label", {for: id + "-text", text: choice ? t("In short (optional)") : t("A short note (optional)")}),
      text,
      el("p", {class: "hint", text: t("At most 200 characters. Do not write anything about anyone's health.")}),
      el("div", {class: "buttons"},
        el("button", {type: "button", text: t("Confirm: {what}", {what: KIND[kind]}), onclick: save}),
        el("button", {type: "button", class: "quiet", text: t("Cancel"),
                      onclick: () => { form.hidden = true; }})));
    form.hidden = false;
    (choice || text).focus();
  }

  async function record(task, kind, note, reason) {
    try {
      await FieldQueue.press(me.worker_id, currentDay(), task, kind, note, reason);
    } catch (e) {
      say(t("This phone could not keep the press: {error}", {error: e.message}), true);
      return;
    }
    await draw();
    await sendNow();
  }

  /* The presses of the shown day on their stops, and the queue's state. */
  async function draw() {
    const mine = (await FieldQueue.all()).filter((i) => i.worker === me.worker_id)
      .sort((a, b) => a.phone_at.localeCompare(b.phone_at));
    stops = stops.filter((s) => s.list.isConnected);  // another day shown since
    for (const {task, kinds, list} of stops) {
      list.replaceChildren(...mine.filter((i) => i.task_id === task && (!kinds || kinds.has(i.kind)))
        .map(pressItem));
    }
    const waiting = mine.filter((i) => i.state === "pending").length;
    const refused = mine.filter((i) => i.state === "rejected" && i.day === currentDay()).length;
    const state = document.getElementById("queue-state");
    state.replaceChildren(...[
      el("span", {text: waiting ? nt("{n} press waits to be sent.", "{n} presses wait to be sent.", waiting)
                                : t("Every press is sent.")}),
      navigator.onLine ? null : el("span", {text: " " + t("No network: the presses stay on this phone and are sent when it returns.")}),
      refused ? el("strong", {class: "error", text: " " + nt("{n} press was refused: see the stop.", "{n} presses were refused: see the stops.", refused)}) : null,
    ].filter(Boolean));
    state.classList.toggle("waiting", waiting > 0);
    document.getElementById("send-now").hidden = !waiting;
  }

  function pressItem(item) {
    const when = item.phone_at.slice(11, 16);
    const what = when + " " + KIND[item.kind] + (item.note ? " — " + item.note : "") + (item.reason ? " — " + item.reason : "");
    if (item.state === "rejected") {
      return el("li", {class: "press-state rejected"}, el("strong", {text: what + ": " + t("refused")}),
        el("div", {text: REJECTED[item.rejected_why] || item.message}));
    }
    return el("li", {class: "press-state " + item.state,
                     text: what + " · " + (item.state === "pending" ? t("waiting to be sent") : t("sent"))});
  }

  async function sendNow() {
    const {sent, failed} = await FieldQueue.send(me.worker_id);
    await draw();
    if (failed && failed instanceof Trasa.ApiError) say(t("Sending failed: {error}", {error: failed.message}), true);
    return sent;
  }

  function start() {
    window.addEventListener("online", sendNow);
    window.addEventListener("offline", draw);
    setInterval(sendNow, SEND_EVERY_MS);
    document.getElementById("send-now").addEventListener("click", sendNow);
    return sendNow();
  }

  return {buttons, draw, start, sendNow};
}
