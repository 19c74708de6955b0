// Tsunagaru service worker: keeps the app shell so the app opens with no signal.
//
// - Precaches the built files. `cargo xtask dist` replaces the two constants below with
//   a hash of the build and the list of files it produced; nothing here is hand-listed.
//   That includes every WASM chunk (dist/pkg-<hash>/), which the page itself fetches only
//   when a module is first opened: so a module opens with no signal even the first time.
//   The chunks sit in a folder named by a hash of the whole WASM output, so a page of one
//   version can never fetch another version's chunk.
// - Serves the shell cache-first; pages (navigations) get the cached index.html.
// - Never touches /api, but for one thing: data lives in IndexedDB and moves through the
//   sync engine. The exception is a circular's attachment (GET /api/attachments/{id}):
//   fetched from the server whenever there is a connection (which checks the reader
//   every time), and a copy kept in its own cache so that a file once opened can be read
//   again with no signal. The app deletes that cache at sign-out.
// - A new version waits until the person presses "reload" in the app (SKIP_WAITING),
//   so one page never mixes two versions.

const VERSION = "dev";
const PRECACHE = [];

const CACHE = `tsunagaru-shell-${VERSION}`;
const SHELL = "/index.html";
const ATTACHMENTS = "tsunagaru-attachments";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.length ? PRECACHE : [SHELL])),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("tsunagaru-shell-") && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "SKIP_WAITING") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/attachments/")) {
    event.respondWith(attachment(event));
    return;
  }
  if (url.pathname === "/api" || url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    event.respondWith(
      caches.match(SHELL, { cacheName: CACHE }).then((cached) => cached || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then((cached) => cached || fetch(request)),
  );
});

// Network first; the kept copy only when the network fails. Only whole 200 answers are
// kept (not a refusal, not a 304 or a range).
async function attachment(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (response.status === 200) {
      const copy = response.clone();
      event.waitUntil(
        caches.open(ATTACHMENTS).then((cache) => cache.put(request.url, copy)).catch(() => {}),
      );
    }
    return response;
  } catch (error) {
    const cached = await caches.match(request.url, { cacheName: ATTACHMENTS });
    if (cached) return cached;
    throw error;
  }
}
