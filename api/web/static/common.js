/* Trasa's page: the log-in token, calls to the JSON API, and small helpers.
   The token lives in this tab's sessionStorage: it is not sent by the browser on its own
   (no cross-site request can use it) and it is gone when the tab is closed. A paired
   phone keeps its device credential in localStorage (it survives reloads, closed tabs
   and days offline) and trades it at POST /auth/device for a short token whenever it has
   none or the API answers 401; a 401 there (revoked, the account blocked) forgets it. */
"use strict";

/* Words from the message catalog (api/render/script_words.py embeds them in the page):
   t("Saved") -> "Zapisano"; t("Plan {id}", {id: 3}); tc(context, msgid); nt("{n} stop", "{n} stops", n) picks
   the language's plural form (the catalog's Plural-Forms, as a table). A word the
   catalog lacks reads as its English msgid. */
const WORDS = (() => {
  const block = document.getElementById("trasa-words");
  return block ? JSON.parse(block.textContent) : {plural: [], messages: {}};
})();

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    values && values[name] !== undefined ? String(values[name]) : whole);
}

function t(msgid, values) {
  const found = WORDS.messages[msgid];
  return fill(typeof found === "string" ? found : msgid, values);
}

/* A word whose reading depends on where it stands: tc("requests", "urgent") -> "pilne". */
function tc(context, msgid, values) {
  const found = WORDS.messages[context + "\u0004" + msgid];
  return fill(typeof found === "string" ? found : msgid, values);
}

function nt(singular, plural, n, values) {
  const forms = WORDS.messages[singular];
  const rule = WORDS.plural;
  const k = Math.abs(Math.trunc(n));
  const index = rule.length ? (k < rule.length ? rule[k] : rule[100 + (k % 100)]) : (n === 1 ? 0 : 1);
  const text = Array.isArray(forms) ? forms[Math.min(index, forms.length - 1)]
    : (n === 1 ? singular : plural);
  return fill(text, Object.assign({n}, values || {}));
}

const Trasa = (() => {
  const KEY = "trasa.token";
  const HOME = {coordinator: "/app/dzien", planner: "/app/analizy", worker: "/app/moj-dzien"};
  const ROLE_PL = {coordinator: t("coordinator"), planner: t("planner"), worker: t("worker")};

  const DEVICE = "trasa.device";
  function token() { return sessionStorage.getItem(KEY); }
  function device() { return localStorage.getItem(DEVICE); }

  function logOut() {
    sessionStorage.removeItem(KEY);
    localStorage.removeItem(DEVICE);  // logging out on a paired phone unpairs it
    const away = () => window.location.assign("/app/");
    // the phone's saved days and identity go too (presses not yet sent stay queued)
    if (typeof FieldQueue !== "undefined") FieldQueue.forget().then(away, away); else away();
  }

  /* The device credential traded for a token (one trade at a time); null when the
     server refuses it (then it is forgotten). A network failure throws. */
  let trading = null;
  function deviceLogIn(secret) {
    if (secret) localStorage.setItem(DEVICE, secret);
    if (!device()) return Promise.resolve(null);
    if (!trading) {
      trading = (async () => {
        const answer = await fetch("/auth/device", {method: "POST",
          headers: {"Content-Type": "application/json"}, body: JSON.stringify({secret: device()})});
        if (answer.status === 401) { localStorage.removeItem(DEVICE); return null; }
        if (!answer.ok) throw new ApiError(answer.status, t("Logging in failed ({status}).", {status: answer.status}));
        const data = await answer.json();
        keepToken(data.access_token);
        return data;
      })().finally(() => { trading = null; });
    }
    return trading;
  }

  async function logIn(username, password) {
    const body = new URLSearchParams({username, password});
    const answer = await fetch("/auth/token", {method: "POST", body});
    if (!answer.ok) {
      throw new Error(answer.status === 401 ? t("Wrong user name or password.")
                                            : t("Logging in failed ({status}).", {status: answer.status}));
    }
    const data = await answer.json();
    keepToken(data.access_token);
    return data.role;
  }

  function keepToken(value) { sessionStorage.setItem(KEY, value); }

  /* An answer other than 2xx: its status, the problem's detail and the whole problem
     (`body.errors`: the fields a 422 names; a 409 of offers brings fresh ones). */
  class ApiError extends Error {
    constructor(status, detail, body) { super(detail); this.status = status; this.body = body || {}; }
  }

  async function call(path, options = {}, retried = false) {
    const headers = Object.assign({}, options.headers || {});
    headers.Authorization = "Bearer " + token();
    if (options.json !== undefined) {
      headers["Content-Type"] = "application/json";
      options.body = JSON.stringify(options.json);
    }
    const answer = await fetch(path, Object.assign({}, options, {headers}));
    if (answer.status === 401 && !retried && device() && await deviceLogIn()) {
      return call(path, options, true);  // the phone's token had expired: a fresh one
    }
    if (answer.status === 401) { logOut(); return new Promise(() => {}); }  // to the log-in
    if (!answer.ok) {
      let detail = answer.statusText;
      let body = {};
      try { body = await answer.json(); detail = body.detail || detail; } catch (e) { /* not JSON */ }
      throw new ApiError(answer.status, detail, body);
    }
    return answer;
  }

  async function json(path, options) { return (await call(path, options)).json(); }

  /* A file the API gives only with the token: fetched, then saved (or opened). */
  async function download(path, fileName, open) {
    const blob = await (await call(path)).blob();
    const url = URL.createObjectURL(blob);
    if (open) {
      window.open(url, "_blank", "noopener");
    } else {
      const link = document.createElement("a");
      link.href = url;
      link.download = fileName;
      document.body.appendChild(link);
      link.click();
      link.remove();
    }
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }

  /* Who is logged in; leaves a page the role may not use. Shows the role's menu.
     `offline` (a paired phone's page): {recall()} gives the identity saved when the
     network was last there, used when it is not (the answer then has `offline: true`). */
  async function session(allowed, offline) {
    const away = (path) => { window.location.assign(path); return new Promise(() => {}); };
    let me;
    try {
      if (!token() && !(device() && await deviceLogIn())) return away("/app/");  // no further
      me = await json("/auth/me");
    } catch (e) {  // a server's refusal is final; no network is not, on a paired phone
      const saved = !(e instanceof ApiError) && offline && device() ? await offline.recall() : null;
      if (!saved) throw e;
      me = Object.assign({}, saved, {offline: true});
    }
    if (allowed && !allowed.includes(me.role)) return away(HOME[me.role]);
    const nav = document.getElementById("nav");
    nav.querySelectorAll("a").forEach((a) => {
      a.hidden = !a.dataset.roles.split(" ").includes(me.role);
    });
    nav.hidden = false;
    document.getElementById("who").textContent = me.username + " (" + ROLE_PL[me.role] + ")";
    const out = document.getElementById("logout");
    out.hidden = false;
    out.addEventListener("click", logOut);
    return me;
  }

  function say(text, isError) {
    const status = document.getElementById("status");
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attributes || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(child instanceof Node ? child : document.createTextNode(String(child)));
      }
    }
    return node;
  }

  function isoDay(date) {
    const pad = (n) => String(n).padStart(2, "0");
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate());
  }

  function addDays(day, n) {
    const [y, m, d] = day.split("-").map(Number);
    return isoDay(new Date(y, m - 1, d + n));
  }

  function dayPl(day) {
    const [y, m, d] = day.split("-");
    return d + "." + m + "." + y;
  }

  function percent(share) {
    return share === null || share === undefined ? "—"
      : (100 * share).toLocaleString(LANG, {maximumFractionDigits: 1}) + " %";
  }

  const LANG = WORDS.lang || "pl";
  /* A number as the page's language writes it: 1.5 -> "1,5" (Polish). */
  function number(value, digits) {
    return Number(value).toLocaleString(LANG, {maximumFractionDigits: digits === undefined ? 2 : digits});
  }
  const km = (metres) => number(metres / 1000, 1);

  const PRIORITY_PL = {urgent: tc("requests", "urgent"), high: tc("requests", "high"),
                       normal: tc("requests", "normal"), low: tc("requests", "low")};
  const STATUS_PL = {draft: tc("plan", "draft"), published: tc("plan", "published"),
                     superseded: tc("plan", "superseded"), queued: tc("job", "queued"),
                     running: tc("job", "running"), done: tc("job", "done"),
                     failed: tc("job", "failed"), cancelled: tc("job", "stopped")};

  return {token, keepToken, logIn, logOut, device, deviceLogIn, call, json, download, session, say, el, isoDay, addDays,
          dayPl, percent, number, km, LANG, HOME, PRIORITY_PL, STATUS_PL, ApiError};
})();
