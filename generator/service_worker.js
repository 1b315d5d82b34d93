/* The site's service worker: keeps the self-check runtime and the pages a reader opened available
   offline, so a check can be run without a connection after one visit.

   Written by the build (generator/offline.py) as service-worker.js at the site root, with SITE
   below filled in for that very build:
     SITE.build          a hash of every file of the site: names the cache of pages
     SITE.pages          files every page fetches (sitemap, search index): kept with the pages
                         as soon as this worker installs
     SITE.shell          {id, files}: the theme's and the site's scripts, styles and images, kept
                         as soon as this worker installs; id is a hash of those files
     SITE.runtime        {id, files, snapshot, boot}: the self-check runtime, kept once a check has
                         run (files, then snapshot or boot: whichever way Python started)
   SITE null retires the worker: it deletes its caches and unregisters itself.

   Caches are named "offline:<scope>:<kind>:<id>", so sites sharing a host never touch each other's
   caches, and a new deployment (a new service worker, because SITE changed) installs beside the
   old one and, once active, deletes every cache of this scope it does not name. What the reader
   had offline comes along: on install the pages and the runtime the old caches held are fetched
   again from the new deployment. A cache whose id did not change is kept as it is.

   Requests: the shell and the runtime are cache-first (their caches are per content, so a cached
   copy is this build's); everything else of this site (pages, search index, …) is network-first,
   falling back to the copy kept when it was last fetched. Requests to other hosts, and to this
   host outside the site's folder, are not intercepted at all.

   Messages from the pages (assets/javascripts/offline.js):
     {type: "keep-page", url}           a page this worker did not serve (the first one): keep it
     {type: "keep-runtime", started}    a check page's Python started ("snapshot" | "boot"):
                                        keep the runtime it needed */
"use strict";

const SITE = /* SITE */ null;
const TEXTS = /* TEXTS */ {}; // the offline page's words in the site's language, and its lang
const SCOPE = self.registration.scope;
const PREFIX = `offline:${SCOPE}:`;
const CACHES = SITE && {
  shell: `${PREFIX}shell:${SITE.shell.id}`,
  runtime: `${PREFIX}runtime:${SITE.runtime.id}`,
  pages: `${PREFIX}pages:${SITE.build}`,
};
const SHELL = new Set(SITE ? SITE.shell.files : []);
const RUNTIME = new Set(SITE ? [...SITE.runtime.files, ...SITE.runtime.snapshot, ...SITE.runtime.boot] : []);
const PARALLEL = 4; // fetches at once when carrying pages over to a new deployment

/* The site-relative path of an address of this site (no query, no fragment), or null. */
function pathOf(address) {
  const url = new URL(address);
  const plain = url.origin + url.pathname;
  return plain.startsWith(SCOPE) ? plain.slice(SCOPE.length) : null;
}

function absolute(path) {
  return new URL(path, SCOPE).href;
}

/* Worth keeping: a whole, successful answer of this site that allows storing. Redirected answers
   are not kept: a browser refuses them for a later navigation. */
function storable(response) {
  return (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    !/no-store/i.test(response.headers.get("Cache-Control") || "")
  );
}

/* Fetch and keep each path the cache lacks; revalidates with the server (a cheap "not modified"
   when the browser's HTTP cache holds it). Rejects if any cannot be fetched. */
async function keepAll(cacheName, paths) {
  const cache = await caches.open(cacheName);
  await Promise.all(
    paths.map(async (path) => {
      const address = absolute(path);
      if (await cache.match(address, { ignoreVary: true })) return;
      const response = await fetch(address, { cache: "no-cache", credentials: "same-origin" });
      if (!storable(response)) throw new Error(`${path}: HTTP ${response.status}`);
      await cache.put(address, response);
    }),
  );
}

async function keepPage(address) {
  const response = await fetch(address, { cache: "no-cache", credentials: "same-origin" });
  if (storable(response)) await (await caches.open(CACHES.pages)).put(address, response);
}

async function keepRuntime(started) {
  const runtime = SITE.runtime;
  const extra = started === "snapshot" ? runtime.snapshot : started === "boot" ? runtime.boot : [];
  await keepAll(CACHES.runtime, [...runtime.files, ...extra]).catch(() => {}); // tried again next time
}

/* What the caches of an earlier deployment held, fetched from this one: the runtime files it
   still ships and every page. Best effort: what cannot be fetched now is kept again when used. */
async function carryOver() {
  const current = Object.values(CACHES);
  const runtime = new Set();
  const pages = new Set();
  for (const name of await caches.keys()) {
    if (!name.startsWith(PREFIX) || current.includes(name)) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const path = pathOf(request.url);
      if (path === null || SHELL.has(path)) continue;
      if (RUNTIME.has(path)) runtime.add(path);
      else if (name.startsWith(`${PREFIX}pages:`)) pages.add(request.url);
    }
  }
  const queue = [...pages];
  const worker = async () => {
    while (queue.length) await keepPage(queue.shift()).catch(() => {});
  };
  await Promise.all([
    keepAll(CACHES.runtime, [...runtime]).catch(() => {}),
    ...Array.from({ length: PARALLEL }, worker),
  ]);
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      if (SITE) {
        await keepAll(CACHES.shell, SITE.shell.files); // a failure fails the install: tried again later
        await keepAll(CACHES.pages, SITE.pages).catch(() => {}); // kept again as they are used
        await carryOver();
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const current = SITE ? Object.values(CACHES) : [];
      const names = await caches.keys();
      await Promise.all(
        names.filter((name) => name.startsWith(PREFIX) && !current.includes(name)).map((name) => caches.delete(name)),
      );
      if (!SITE) await self.registration.unregister();
    })(),
  );
});

async function cacheFirst(event, cacheName, path) {
  const address = absolute(path);
  const cache = await caches.open(cacheName);
  const kept = await cache.match(address, { ignoreVary: true });
  if (kept) return kept;
  const response = await fetch(event.request);
  if (storable(response)) event.waitUntil(cache.put(address, response.clone()));
  return response;
}

async function networkFirst(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (storable(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(CACHES.pages).then((cache) => cache.put(request, copy)));
    }
    return response;
  } catch {
    const pages = await caches.open(CACHES.pages);
    const navigation = request.mode === "navigate";
    // A search result's link adds "?h=<words>" to a page (highlighting is done in the page).
    const kept =
      (await pages.match(request, { ignoreVary: true })) ||
      (navigation && (await pages.match(request, { ignoreVary: true, ignoreSearch: true })));
    if (kept) return kept;
    return navigation ? offlinePage() : Response.error();
  }
}

/* Text for the offline page's HTML. */
function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function offlinePage() {
  const home = SCOPE;
  // The words in the site's language (the locale namespace "offline"), English without them.
  const texts = { lang: "en", title: "Offline", heading: "You are offline", home: "Go to the home page",
    text: "This page was not opened on this device while it was online, so no copy of it is kept here. " +
      "The pages you have opened, and the self-checks you have run, work offline.", ...TEXTS };
  const say = (key) => escapeHtml(texts[key]);
  const html =
    `<!doctype html><html lang="${say("lang")}"><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1"><title>${say("title")}</title>` +
    '<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 3rem auto; padding: 0 1rem">' +
    `<h1>${say("heading")}</h1><p>${say("text")}</p>` +
    `<p><a href="${escapeHtml(home)}">${say("home")}</a></p></body></html>`;
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (!SITE || request.method !== "GET" || request.headers.has("range")) return;
  const path = pathOf(request.url);
  if (path === null) return; // another host, or this host outside the site: not ours
  if (SHELL.has(path)) event.respondWith(cacheFirst(event, CACHES.shell, path));
  else if (RUNTIME.has(path)) event.respondWith(cacheFirst(event, CACHES.runtime, path));
  else event.respondWith(networkFirst(event));
});

self.addEventListener("message", (event) => {
  const message = event.data;
  if (!SITE || !message || typeof message !== "object") return;
  if (message.type === "keep-page" && typeof message.url === "string" && pathOf(message.url) !== null) {
    event.waitUntil(keepPage(message.url.split("#")[0]).catch(() => {}));
  } else if (message.type === "keep-runtime") {
    event.waitUntil(keepRuntime(message.started));
  }
});
