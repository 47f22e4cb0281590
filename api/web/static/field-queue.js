/* The phone's memory for the field (docs/field.md, "Offline"): every press is written to
   IndexedDB first (the queue) and sent to POST /field/actions in batches when the network
   is there; the server's answer per press settles it (accepted, or rejected with the
   reason, kept and shown, never dropped). The same database keeps the worker's identity
   and the last fetched days, so a paired phone opens its day with no network.
   A press is {key, task_id, kind, phone_at, note, reason} and nothing else: no location. */
"use strict";
const FieldQueue = (() => {
  const DB = "trasa-phone";
  const BATCH = 100;  // presses per request (the server takes up to 500)
  const KEEP_DAYS = 14;  // settled presses and saved days older than this are forgotten

  let opened = null;
  function db() {
    if (!opened) {
      opened = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB, 1);
        request.onupgradeneeded = () => {
          request.result.createObjectStore("actions", {keyPath: "key"});
          request.result.createObjectStore("kept", {keyPath: "name"});
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return opened;
  }

  /* One IndexedDB transaction over `store`; `work(objectStore)` returns a request or
     nothing; resolves with the request's result once the transaction is committed. */
  async function within(store, mode, work) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const tx = database.transaction(store, mode);
      const request = work(tx.objectStore(store));
      tx.oncomplete = () => resolve(request ? request.result : undefined);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  }

  const all = () => within("actions", "readonly", (s) => s.getAll());
  const put = (item) => within("actions", "readwrite", (s) => s.put(item));
  const keep = (name, value) => within("kept", "readwrite", (s) => s.put({name, value, at: new Date().toISOString()}));
  const kept = (name) => within("kept", "readonly", (s) => s.get(name));

  /* The phone's wall-clock time with its offset: 2027-06-02T09:15:03+02:00. */
  function phoneTime(date) {
    const pad = (n) => String(n).padStart(2, "0");
    const offset = -date.getTimezoneOffset();
    return date.getFullYear() + "-" + pad(date.getMonth() + 1) + "-" + pad(date.getDate()) +
      "T" + pad(date.getHours()) + ":" + pad(date.getMinutes()) + ":" + pad(date.getSeconds()) +
      (offset < 0 ? "-" : "+") + pad(Math.floor(Math.abs(offset) / 60)) + ":" + pad(Math.abs(offset) % 60);
  }

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));  // a version-4 UUID by hand
    b[6] = (b[6] & 0x0f) | 0x40; b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  /* A press, stored before anything else happens; `worker` and `day` stay on the phone
     (whose queue it is, which day shows it), the server gets the rest. */
  async function press(worker, day, taskId, kind, note, reason) {
    const item = {key: newKey(), task_id: taskId, kind, phone_at: phoneTime(new Date()),
                  note: (note || "").slice(0, 200), reason: (reason || "").slice(0, 200),
                  worker, day, state: "pending", message: ""};
    await put(item);
    return item;
  }

  const wire = (item) => ({key: item.key, task_id: item.task_id, kind: item.kind,
                           phone_at: item.phone_at, note: item.note, reason: item.reason});

  /* The answer for each press: accepted ones are done, rejected ones keep the server's
     reason for the worker to read. A press the server refused as malformed (422, which
     no resend can cure) is kept as rejected with the problem's detail. */
  async function settle(items, results) {
    const byKey = new Map(items.map((i) => [i.key, i]));
    for (const r of results) {
      const item = byKey.get(r.key);
      if (!item) continue;
      Object.assign(item, {state: r.status, rejected_why: r.rejected_why || "",
                           message: r.message || "", server_at: r.server_at,
                           repeated: Boolean(r.repeated)});
      await put(item);
    }
  }

  /* Sends the worker's pending presses in batches; one send at a time. Resolves with
     {sent, failed}: `failed` is the error that stopped it (no network, the server down),
     the presses not answered stay pending for the next try. */
  let sending = null;
  function send(worker) {
    if (!sending) sending = sendAll(worker).finally(() => { sending = null; });
    return sending;
  }

  async function sendAll(worker) {
    const waiting = (await all()).filter((i) => i.state === "pending" && i.worker === worker)
      .sort((a, b) => a.phone_at.localeCompare(b.phone_at));
    let sent = 0;
    for (let k = 0; k < waiting.length; k += BATCH) {
      const batch = waiting.slice(k, k + BATCH);
      try {
        await sendBatch(batch);
        sent += batch.length;
      } catch (e) {
        return {sent, failed: e};
      }
    }
    return {sent, failed: null};
  }

  async function sendBatch(batch) {
    try {
      const answer = await Trasa.json("/field/actions", {method: "POST", json: batch.map(wire)});
      await settle(batch, answer.results);
    } catch (e) {
      if (e.status === 409 && Array.isArray(e.body.results)) {  // every press refused
        await settle(batch, e.body.results);
      } else if (e.status === 422 && batch.length > 1) {  // find the malformed one
        for (const item of batch) await sendBatch([item]);
      } else if (e.status === 422) {
        await settle(batch, [{key: batch[0].key, status: "rejected", rejected_why: "invalid",
                              message: e.message}]);
      } else {
        throw e;
      }
    }
  }

  /* Forgets settled presses and saved days older than KEEP_DAYS (pending ones stay). */
  async function tidy(today) {
    const limit = Trasa.addDays(today, -KEEP_DAYS);
    for (const item of await all()) {
      if (item.state !== "pending" && item.day < limit) {
        await within("actions", "readwrite", (s) => s.delete(item.key));
      }
    }
    const names = await within("kept", "readonly", (s) => s.getAllKeys());
    for (const name of names) {
      const day = String(name).split(":")[2];
      if (day && day < limit) await within("kept", "readwrite", (s) => s.delete(name));
    }
  }

  /* Everything this phone keeps about the worker's days (the log-out forgets it). */
  async function forget() {
    await within("kept", "readwrite", (s) => s.clear());
  }

  return {press, send, all, keep, kept, tidy, forget, phoneTime};
})();
