/* One's own account: change the password (everyone), calendar links for the phone
   (workers: make, list, revoke), and the accounts (coordinators: block, unblock, log
   out everywhere). */
"use strict";
(async () => {
  const {el, json, call, say} = Trasa;
  const $ = (id) => document.getElementById(id);
  const me = await Trasa.session();
  const when = (iso) => iso ? new Date(iso).toLocaleString(Trasa.LANG, {dateStyle: "short", timeStyle: "short"}) : "—";
  const failed = (e) => say(t("Failed: {error}", {error: e.message}), true);

  $("password-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if ($("new-password").value !== $("new-password-again").value) {
      say(t("The new passwords differ."), true);
      return;
    }
    try {
      const answer = await json("/auth/password", {method: "POST", json: {
        old_password: $("old-password").value, new_password: $("new-password").value}});
      Trasa.keepToken(answer.access_token);
      $("password-form").reset();
      say(t("Password changed; the account's other log-ins have expired."));
    } catch (err) {
      say(/^old_password/.test(err.message) ? t("The current password is wrong.")
        : /^new_password/.test(err.message) ? t("The new password does not meet the requirements: {why}", {why: err.message.replace(/^new_password: /, "")})
        : t("Failed: {error}", {error: err.message}), true);
    }
  });

  async function showLinks() {
    const links = await json("/calendar-links");
    $("links").tBodies[0].replaceChildren(...links.map((link) => {
      const state = link.revoked_at ? "revoked" : Date.parse(link.expires_at) < Date.now() ? "expired" : "valid";
      const STATE = {revoked: t("revoked"), expired: t("expired"), valid: t("valid")};
      return el("tr", {},
        el("td", {text: when(link.created_at)}), el("td", {text: when(link.expires_at)}),
        el("td", {text: STATE[state]}),
        el("td", {}, state === "valid" ? el("button", {type: "button", class: "small quiet",
          text: t("Revoke"), "aria-label": t("Revoke the link of {when}", {when: when(link.created_at)}),
          onclick: () => call("/calendar-links/" + link.id, {method: "DELETE"})
            .then(() => { say(t("Link revoked: the calendar will stop refreshing.")); return showLinks(); })
            .catch(failed)}) : null));
    }));
  }

  if (me.role === "worker" && me.worker_id) {
    $("calendar").hidden = false;
    $("new-link").addEventListener("click", async () => {
      try {
        const made = await json("/calendar-links", {method: "POST", json: {worker_id: me.worker_id}});
        $("link-made").hidden = false;
        $("link-url").value = made.url;
        $("link-url").select();
        say(t("Link made; valid until {when}.", {when: when(made.expires_at)}));
        await showLinks();
      } catch (e) { failed(e); }
    });
    await showLinks().catch(failed);
  }

  const ROLE_PL = {coordinator: t("coordinator"), planner: t("planner"), worker: t("worker")};
  async function showUsers() {
    const users = await json("/users");
    showWorkerAccounts(users.filter((u) => u.role === "worker" && !u.disabled));
    $("users").tBodies[0].replaceChildren(...users.map((u) => {
      const act = (path, done) => () => call("/users/" + encodeURIComponent(u.username) + path, {method: "POST"})
        .then(() => { say(done); return showUsers(); }).catch(failed);
      const self = u.username === me.username;
      return el("tr", {},
        el("td", {text: u.username}), el("td", {text: ROLE_PL[u.role] || u.role}),
        el("td", {text: u.worker_id || "—"}), el("td", {text: u.disabled ? t("blocked") : t("active")}),
        el("td", {class: "buttons"}, self ? el("span", {class: "hint", text: t("Your account")}) : null,
          self ? null : el("button", {type: "button", class: "small quiet",
            text: u.disabled ? t("Unblock") : t("Block"),
            "aria-label": u.disabled ? t("Unblock {user}", {user: u.username}) : t("Block {user}", {user: u.username}),
            onclick: act(u.disabled ? "/enable" : "/disable", u.disabled ? t("Unblocked {user}.", {user: u.username})
              : t("Blocked {user}.", {user: u.username}))}),
          self ? null : el("button", {type: "button", class: "small quiet", text: t("Log out everywhere"),
            "aria-label": t("Log {user} out everywhere", {user: u.username}),
            onclick: act("/revoke-tokens", t("Logged {user} out of every device.", {user: u.username}))})));
    }));
  }
  /* Paired phones (coordinators): a pairing link for a worker's account, its phones. */
  function showWorkerAccounts(workers) {
    const chosen = $("device-user").value;
    $("device-user").replaceChildren(...workers.map((u) => el("option", {value: u.username,
      text: u.username + " (" + u.worker_id + ")", selected: u.username === chosen})));
    return showDevices().catch(failed);
  }
  const devicesPath = () => "/users/" + encodeURIComponent($("device-user").value) + "/devices";
  async function showDevices() {
    if (!$("device-user").value) { $("device-list").tBodies[0].replaceChildren(); return; }
    const devices = await json(devicesPath());
    $("device-list").tBodies[0].replaceChildren(...devices.map((d) => el("tr", {},
      el("td", {text: d.label}), el("td", {text: when(d.created_at)}), el("td", {text: when(d.last_used_at)}),
      el("td", {text: d.revoked_at ? t("revoked") : t("paired")}),
      el("td", {}, d.revoked_at ? null : el("button", {type: "button", class: "small quiet", text: t("Revoke"),
        "aria-label": t("Revoke the phone {label}", {label: d.label}),
        onclick: () => call(devicesPath() + "/" + d.id, {method: "DELETE"})
          .then(() => { say(t("Phone revoked: it stops within a quarter of an hour.")); return showDevices(); })
          .catch(failed)})))));
  }
  $("device-user").addEventListener("change", () => showDevices().catch(failed));
  $("device-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const made = await json(devicesPath(), {method: "POST", json: {label: $("device-label").value.trim()}});
      $("device-made").hidden = false;
      $("device-link").value = made.pair_url;
      $("device-link").select();
      say(t("Pairing link made for {user}; open it on the phone.", {user: made.username}));
      await showDevices();
    } catch (err) { failed(err); }
  });

  const clientPath = () => "/clients/" + encodeURIComponent($("client-id").value.trim());
  $("rights-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const id = $("client-id").value.trim();
    Trasa.download(clientPath() + "/export", "klient-" + id + ".json")
      .then(() => say(t("Downloaded the data of client {id}.", {id}))).catch(failed);
  });
  $("erase-client").addEventListener("click", async () => {
    const id = $("client-id").value.trim();
    if (!id) { $("client-id").reportValidity(); return; }
    if (!window.confirm(t("Erase for good the personal data of client {id} (name, address, phone, notes, home position) from every record?", {id}))) return;
    try {
      const done = await json(clientPath() + "/erase", {method: "POST"});
      say(t("Erased the personal data of client {id} (tasks: {tasks}, plans: {plans}, planning jobs: {jobs}).",
          {id, tasks: done.tasks, plans: done.plans, jobs: done.jobs}));
    } catch (err) { failed(err); }
  });

  if (me.role === "coordinator") {
    $("accounts").hidden = false;
    $("devices").hidden = false;
    $("rights").hidden = false;
    await showUsers().catch(failed);
  }
})();
