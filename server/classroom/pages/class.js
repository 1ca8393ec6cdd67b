// The student page: the talk's clients, run by this browser against the slow
// server. `for` + `await fetch()` is client.py; `Promise.all` is
// asyncio.gather. The browser adds a lesson of its own: over HTTP/1.1 it
// opens at most 6 connections to one server, so more than 6 at once go out
// in waves; over HTTP/2 (an https server) they all go at once, as streams of
// one connection.
// Plain JavaScript, no framework, nothing from the network but the two servers.
"use strict";

// One request, like the talk's fetch(): ask, wait for the answer, read it.
async function fetchOne(url) {
  try {
    const response = await fetch(url, { cache: "no-store" });
    await response.text();
    return { ok: response.ok, timing: response.headers.get("Server-Timing") || "" };
  } catch (error) {
    return { ok: false, timing: "" };
  }
}

async function oneAfterAnother(urls) {
  const results = [];
  for (const url of urls) results.push(await fetchOne(url));
  return results;
}

async function allAtOnce(urls) {
  return Promise.all(urls.map(fetchOne));
}

// asyncio.Semaphore(n): acquire() waits while n are held.
function semaphore(n) {
  let free = n;
  const waiting = [];
  return {
    async acquire() {
      if (free > 0) free--;
      else await new Promise((wake) => waiting.push(wake));
    },
    release() {
      const next = waiting.shift();
      if (next) next();
      else free++;
    },
  };
}

async function atMostThree(urls) {
  const three = semaphore(3);
  return Promise.all(urls.map(async (url) => {
    await three.acquire();
    try { return await fetchOne(url); } finally { three.release(); }
  }));
}

const kinds = {
  sequential: { run: oneAfterAnother, name: "one after another" },
  all: { run: allAtOnce, name: "all at once" },
  limited: { run: atMostThree, name: "at most 3 at once" },
};

// ---- Everything below measures, draws and reports; the lesson is above. ----

const mostRequests = 60;
let server = null;  // {url, delay}: the slow server as this page reaches it
let runsSoFar = 0;

async function slowServer() {
  if (!server) {
    const answer = await fetch("/class/server", { cache: "no-store" });
    const s = await answer.json();
    // The slow server is on this page's host, on its own port.
    server = { url: (s.tls ? "https://" : "http://") + location.hostname + ":" + s.port + "/", delay: s.delay };
  }
  return server;
}

// Server-Timing's durations in seconds: {queue, app}.
function serverTimes(header) {
  const times = {};
  for (const metric of header.split(",")) {
    const [name, ...params] = metric.trim().split(";");
    const dur = params.map((p) => p.trim().split("=")).find(([key]) => key === "dur");
    if (dur && !(name in times)) times[name] = Number(dur[1]) / 1000 || 0;
  }
  return { queue: times.queue || 0, app: times.app || 0 };
}

const pause = (ms) => new Promise((done) => setTimeout(done, ms));

// Each request's times from the Resource Timing API, in seconds since the
// run began: asked (fetch called), sent (on the wire: requestStart, which
// the server's Timing-Allow-Origin lets the page see), ended.
async function requestBars(kind, urls, results, began) {
  let entries = [];
  for (let tries = 0; tries < 25; tries++) {  // entries are added just after the answers
    const names = new Set(urls);
    entries = performance.getEntriesByType("resource").filter((e) => names.has(e.name));
    if (entries.length >= urls.length) break;
    await pause(20);
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  return urls.map((url, k) => {
    const e = byName.get(url);
    const s = (t) => Math.max(0, (t - began) / 1000);
    const asked = e ? s(e.startTime) : 0;
    const sent = e ? s(e.requestStart || e.fetchStart) : asked;
    const ended = e ? s(e.responseEnd) : asked;
    // With the semaphore every request waits from the start for its turn.
    const waited = kind === "limited" ? 0 : asked;
    const protocol = (e && e.nextHopProtocol) || "";  // "h2" or "http/1.1", as ALPN named it
    return { number: k + 1, waited, asked, sent, ended, protocol, ok: results[k].ok,
             ...serverTimes(results[k].timing) };
  });
}

// The most requests at once between `from` and `to` of each bar: on the
// wire (sent to ended), or in the server's app (after its queue).
function mostAtOnce(bars, from = (b) => b.sent, to = (b) => b.ended) {
  const moments = [];
  for (const b of bars) moments.push([from(b), 1], [to(b), -1]);
  moments.sort((a, b) => a[0] - b[0] || a[1] - b[1]);  // an end before a start at the same time
  let now = 0, most = 0;
  for (const [, step] of moments) most = Math.max(most, now += step);
  return most;
}

// What the bars show, in a sentence: measured, never assumed.
function wavesLine(kind, outcome, bars) {
  const { requests, maxInFlight } = outcome;
  if (kind === "sequential") return "One at a time: each request waited for the one before.";
  // Each bar's time in the app, after its wait in the server's queue; the
  // browser's and the server's clocks differ by a few milliseconds.
  const served = mostAtOnce(bars, (b) => Math.min(b.ended, b.sent + b.queue + 0.02), (b) => b.ended);
  if (maxInFlight >= requests && served < requests) {
    return "All " + requests + " were sent at once, but the server served " +
           (served <= 1 ? "one at a time" : "at most " + served + " at a time") +
           ": the others waited in its queue (amber).";
  }
  const http2 = outcome.protocol === "h2";
  if (maxInFlight >= requests && http2 && requests > 6) {
    return "All " + requests + " went at once, as streams of one HTTP/2 connection: one wave " +
           "(over HTTP/1.1 a browser opens at most 6 connections to a server, and sends the rest in waves).";
  }
  if (maxInFlight >= requests) return "All " + requests + " waited on the server at the same time.";
  const waves = Math.ceil(requests / Math.max(1, maxInFlight));
  if (kind === "limited") return "The semaphore let " + maxInFlight + " wait at a time: " + waves + " waves.";
  return "Promise.all asked for all " + requests + " at once, but this browser sent at most " + maxInFlight +
         " to one server at a time (over HTTP/1.1 browsers open at most 6 connections per server): " + waves +
         " waves. Over HTTP/2 they would all go at once on one connection.";
}

const svgNS = "http://www.w3.org/2000/svg";
function svg(name, attributes, parent) {
  const element = document.createElementNS(svgNS, name);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, value);
  if (parent) parent.appendChild(element);
  return element;
}

// One bar per request, as the clients' --svg draws them.
function drawTimeline(bars, seconds) {
  const container = document.getElementById("timeline");
  const left = 30, width = Math.max(260, container.clientWidth - left - 10), lane = 16, top = 4;  // 1 unit = 1 px
  const span = Math.max(seconds, ...bars.map((b) => b.ended), 0.001);
  const x = (t) => left + (t / span) * width;
  const height = top + bars.length * lane + 20;
  const chart = svg("svg", { viewBox: "0 0 " + (left + width + 10) + " " + height, role: "img",
                             "aria-label": "one bar per request, from when it was asked to its answer" });
  const step = span > 4 ? 1 : span > 1 ? 0.5 : 0.1;
  for (let t = 0; t <= span + 1e-9; t += step) {
    svg("line", { x1: x(t), x2: x(t), y1: top, y2: height - 16, stroke: "#ddd" }, chart);
    svg("text", { x: x(t), y: height - 4, "font-size": 10, "text-anchor": "middle" }, chart).textContent =
      (Math.round(t * 10) / 10) + " s";
  }
  bars.forEach((b, k) => {
    const y = top + k * lane + 2;
    svg("text", { x: left - 4, y: y + 10, "font-size": 10, "text-anchor": "end" }, chart).textContent = b.number;
    const queueEnd = Math.min(b.ended, b.sent + b.queue);
    const parts = [["semaphore", b.waited, b.asked], ["held", b.asked, b.sent], ["queued", b.sent, queueEnd],
                   [b.ok ? "running" : "failed", queueEnd, b.ended]];
    for (const [kind, from, to] of parts) {
      if (to > from) svg("rect", { class: kind, x: x(from), y, width: Math.max(1, x(to) - x(from)), height: lane - 4 }, chart);
    }
  });
  container.replaceChildren(chart);
}

let lastChart = null;  // redrawn to the new width when the window changes
window.addEventListener("resize", () => { if (lastChart) drawTimeline(...lastChart); });

function show(kind, outcome, bars) {
  const failed = outcome.requests - outcome.ok;
  document.getElementById("summary").textContent = outcome.requests + (outcome.requests === 1 ? " request" : " requests") +
    " in " + outcome.seconds.toFixed(2) + " s, " + kinds[kind].name + (failed ? " (" + failed + " failed)" : "") +
    (outcome.protocol ? ", over " + (outcome.protocol === "h2" ? "HTTP/2" : outcome.protocol.toUpperCase()) : "");
  document.getElementById("waves").textContent = wavesLine(kind, outcome, bars);
  document.getElementById("semaphore-legend").hidden = kind !== "limited";
  lastChart = [bars, outcome.seconds];
  drawTimeline(...lastChart);
}

// The run, for the projector: name, kind, count, time; nothing else. A
// report the projector turns away (too many at once from one school's
// address) is said so and sent once more, a little later.
async function report(kind, outcome) {
  const body = JSON.stringify({ name: studentName(), kind, n: outcome.requests, seconds: outcome.seconds,
                                maxInFlight: outcome.maxInFlight });
  const send = () => fetch("/class/report", { method: "POST", headers: { "Content-Type": "application/json" }, body });
  const said = document.getElementById("reported");
  try {
    let answer = await send();
    if (answer.status === 429) {
      said.textContent = "The projector is busy; sending your run again in 2 s\u2026";
      await pause(2000);
      answer = await send();
    }
    said.textContent = answer.ok ? "" : "The projector did not take this run (" + answer.status + ").";
  } catch (error) {
    said.textContent = "The projector could not be reached.";
  }
}

// kind: "sequential", "all" or "limited"; n requests. What the buttons call,
// and tests and teachers' scripts too: resolves to {seconds, requests, ok, maxInFlight, protocol}.
async function run(kind, n) {
  if (!kinds[kind]) throw new Error("kind must be sequential, all or limited");
  n = Math.min(mostRequests, Math.max(1, Math.floor(Number(n)) || 1));
  const { url } = await slowServer();
  const tag = Date.now().toString(36) + "-" + (++runsSoFar);
  const urls = Array.from({ length: n }, (_, k) => url + "?run=" + tag + "-" + (k + 1));  // one timing entry each
  performance.clearResourceTimings();
  const began = performance.now();
  const results = await kinds[kind].run(urls);
  const seconds = (performance.now() - began) / 1000;
  const bars = await requestBars(kind, urls, results, began);
  const outcome = { seconds: Math.round(seconds * 1000) / 1000, requests: n,
                    ok: results.filter((r) => r.ok).length, maxInFlight: mostAtOnce(bars),
                    protocol: bars.map((b) => b.protocol).find((p) => p) || "" };
  show(kind, outcome, bars);
  report(kind, outcome);
  return outcome;
}

// At most 32 characters, cut between characters (not inside one), with an
// ellipsis, as the projector cuts them.
function atMost32(text) {
  const characters = Array.from(text.trim());
  return characters.length > 32 ? characters.slice(0, 32).join("") + "\u2026" : characters.join("");
}

function studentName() {
  return atMost32(document.getElementById("name").value);
}

function setUp() {
  performance.setResourceTimingBufferSize(500);
  const nameField = document.getElementById("name");
  const given = new URLSearchParams(location.search).get("name");
  nameField.value = atMost32(given || localStorage.getItem("slowkit-name") ||
                              "student-" + Math.floor(Math.random() * 9000 + 1000));
  const keep = () => localStorage.setItem("slowkit-name", studentName());
  nameField.addEventListener("change", keep);
  keep();
  const buttons = [...document.querySelectorAll("button[data-kind]")];
  for (const button of buttons) {
    button.addEventListener("click", async () => {
      buttons.forEach((b) => { b.disabled = true; });
      document.getElementById("summary").textContent = "running " + kinds[button.dataset.kind].name + "\u2026";
      // On a phone the result is below the buttons, off the screen: bring it into view.
      document.getElementById("result").scrollIntoView({ behavior: "smooth", block: "start" });
      try {
        await run(button.dataset.kind, document.getElementById("count").value);
      } catch (error) {
        document.getElementById("summary").textContent = "could not run: " + error.message;
      } finally {
        buttons.forEach((b) => { b.disabled = false; });
      }
    });
  }
  slowServer().then((s) => {
    document.getElementById("server").textContent =
      "The slow server: " + s.url + " (each request waits " + s.delay + " s)";
  }).catch(() => {
    document.getElementById("server").textContent = "The slow server is not answering.";
  });
}

window.classPage = { run };
setUp();
