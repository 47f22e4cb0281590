/* The worker's phone page offline (docs/field.md, "Offline"): served at /app/sw.js and
   registered for the scope /app/moj-dzien. It keeps the page (one copy per language:
   /app/moj-dzien?lang=pl|uk), its scripts, styles, icons and manifest in the Cache API,
   and answers from there when the network fails. Network first: a phone with a network
   always gets the current page and scripts (and the cache is refreshed with them).
   The API is never touched here: the day's data, the identity and the queue of presses
   are kept by the page itself in IndexedDB (field-queue.js), and what is sent, sent. */
"use strict";
const CACHE = "trasa-phone-v1";
const SHELL = ["/static/web/common.js", "/static/web/field-queue.js",
               "/static/web/field-buttons.js", "/static/web/my-day.js",
               "/static/web/trasa.css", "/static/web/favicon.svg",
               "/static/web/icon-192.png", "/static/web/icon-512.png"];
const PAGE = "/app/moj-dzien";

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

/* The page's copy is kept by language only (?day= and the rest are read by the script). */
function cacheKey(url) {
  if (url.pathname === PAGE) return PAGE + "?lang=" + (url.searchParams.get("lang") || "pl");
  if (url.pathname === "/app/manifest.webmanifest") return url.pathname + "?lang=" + (url.searchParams.get("lang") || "pl");
  return url.pathname;
}

function kept(url) {
  return url.origin === self.location.origin && (url.pathname === PAGE ||
    url.pathname === "/app/manifest.webmanifest" || SHELL.includes(url.pathname));
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || !kept(url)) return;  // the API: straight through
  const key = cacheKey(url);
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const answer = await fetch(event.request);
      if (answer.ok) await cache.put(key, answer.clone());
      return answer;
    } catch (error) {
      const copy = await cache.match(key) || (url.pathname === PAGE ? await cache.match(PAGE + "?lang=pl") : null);
      if (copy) return copy;
      throw error;
    }
  })());
});
