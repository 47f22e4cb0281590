/* One's own account: change the password (everyone), calendar links for the phone
   (workers: make, list, revoke), and the accounts (coordinators: block, unblock, log
   out everywhere). */
"use strict";
(async () => {
  const {el, json, call, say} = Trasa;
  const $ = (id) => document.getElementById(id);
  const me = await Trasa.session();
  const when = (iso) => iso ? new Date(iso).toLocaleString("pl-PL", {dateStyle: "short", timeStyle: "short"}) : "—";
  const failed = (e) => say("Nie udało się: " + e.message, true);

  $("password-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    if ($("new-password").value !== $("new-password-again").value) {
      say("Nowe hasła się różnią.", true);
      return;
    }
    try {
      const answer = await json("/auth/password", {method: "POST", json: {
        old_password: $("old-password").value, new_password: $("new-password").value}});
      Trasa.keepToken(answer.access_token);
      $("password-form").reset();
      say("Hasło zmienione; inne logowania tego konta wygasły.");
    } catch (err) {
      say(/^old_password/.test(err.message) ? "Obecne hasło jest złe."
        : /^new_password/.test(err.message) ? "Nowe hasło nie spełnia wymagań: " + err.message.replace(/^new_password: /, "")
        : "Nie udało się: " + err.message, true);
    }
  });

  async function showLinks() {
    const links = await json("/calendar-links");
    $("links").tBodies[0].replaceChildren(...links.map((link) => {
      const state = link.revoked_at ? "unieważniony" : Date.parse(link.expires_at) < Date.now() ? "wygasł" : "ważny";
      return el("tr", {},
        el("td", {text: when(link.created_at)}), el("td", {text: when(link.expires_at)}),
        el("td", {text: state}),
        el("td", {}, state === "ważny" ? el("button", {type: "button", class: "small quiet",
          text: "Unieważnij", "aria-label": "Unieważnij link z " + when(link.created_at),
          onclick: () => call("/calendar-links/" + link.id, {method: "DELETE"})
            .then(() => { say("Link unieważniony: kalendarz przestanie się odświeżać."); return showLinks(); })
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
        say("Link utworzony; ważny do " + when(made.expires_at) + ".");
        await showLinks();
      } catch (e) { failed(e); }
    });
    await showLinks().catch(failed);
  }

  const ROLE_PL = {coordinator: "koordynator", planner: "planista", worker: "pracownik"};
  async function showUsers() {
    const users = await json("/users");
    $("users").tBodies[0].replaceChildren(...users.map((u) => {
      const act = (path, done) => () => call("/users/" + encodeURIComponent(u.username) + path, {method: "POST"})
        .then(() => { say(done); return showUsers(); }).catch(failed);
      const self = u.username === me.username;
      return el("tr", {},
        el("td", {text: u.username}), el("td", {text: ROLE_PL[u.role] || u.role}),
        el("td", {text: u.worker_id || "—"}), el("td", {text: u.disabled ? "zablokowane" : "aktywne"}),
        el("td", {class: "buttons"}, self ? el("span", {class: "hint", text: "Twoje konto"}) : null,
          self ? null : el("button", {type: "button", class: "small quiet",
            text: u.disabled ? "Odblokuj" : "Zablokuj", "aria-label": (u.disabled ? "Odblokuj " : "Zablokuj ") + u.username,
            onclick: act(u.disabled ? "/enable" : "/disable", (u.disabled ? "Odblokowano " : "Zablokowano ") + u.username + ".")}),
          self ? null : el("button", {type: "button", class: "small quiet", text: "Wyloguj wszędzie",
            "aria-label": "Wyloguj wszędzie " + u.username,
            onclick: act("/revoke-tokens", "Wylogowano " + u.username + " ze wszystkich urządzeń.")})));
    }));
  }
  const clientPath = () => "/clients/" + encodeURIComponent($("client-id").value.trim());
  $("rights-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const id = $("client-id").value.trim();
    Trasa.download(clientPath() + "/export", "klient-" + id + ".json")
      .then(() => say("Pobrano dane klienta " + id + ".")).catch(failed);
  });
  $("erase-client").addEventListener("click", async () => {
    const id = $("client-id").value.trim();
    if (!id) { $("client-id").reportValidity(); return; }
    if (!window.confirm("Usunąć nieodwracalnie dane osobowe klienta " + id + " (imię, adres, "
                        + "telefon, notatki, położenie domu) ze wszystkich zapisów?")) return;
    try {
      const done = await json(clientPath() + "/erase", {method: "POST"});
      say("Usunięto dane osobowe klienta " + id + " (zadania: " + done.tasks + ", plany: "
          + done.plans + ", zlecenia planowania: " + done.jobs + ").");
    } catch (err) { failed(err); }
  });

  if (me.role === "coordinator") {
    $("accounts").hidden = false;
    $("rights").hidden = false;
    await showUsers().catch(failed);
  }
})();
