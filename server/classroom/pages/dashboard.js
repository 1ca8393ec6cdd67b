// The live dashboard: reads the server's event stream (/events) and draws the
// last few seconds, one row per worker (worker pool) or per request in flight
// (event loop). Plain JavaScript, no framework, no network beyond the server.
"use strict";

const windowSeconds = 10;   // how much time the chart shows
const keepDoneSeconds = 3;  // how long a finished request's row stays (event loop)
const chartRows = 13;       // the chart's fixed height, in rows (dashboard.css)

const requests = new Map();  // id -> {id, received, started, lane, finished, status}
let workers = 0;             // the pool's size; 0 for an event loop
let serverTime = 0, localTime = performance.now();  // the server's clock, seen at localTime
let lastNews = performance.now();
let rate = 0;

const now = () => serverTime + (performance.now() - localTime) / 1000;
const seenAt = (t) => { serverTime = t; localTime = performance.now(); lastNews = localTime; };
const text = (id, value) => { document.getElementById(id).textContent = value; };

const events = new EventSource("/events");
events.addEventListener("received", (e) => {
  const r = JSON.parse(e.data);
  requests.set(r.id, { id: r.id, received: r.t, started: null, lane: null, finished: null, status: 0 });
});
events.addEventListener("started", (e) => {
  const s = JSON.parse(e.data);
  const r = requests.get(s.id);
  if (r) { r.started = s.t; r.lane = s.lane; }
});
events.addEventListener("finished", (e) => {
  const f = JSON.parse(e.data);
  const r = requests.get(f.id);
  if (r) { r.finished = f.t; r.status = f.status; }
  seenAt(f.t);
});
// The student pages' runs: a row per student, and how the class did, like
// with like: for each number of requests, each way's median one under the
// other (2 one after another, about 2 s; 2 all at once, about 1 s).
const kindNames = { sequential: "one after another", all: "all at once", limited: "at most 3" };
const plural = (n, one, many) => n + " " + (n === 1 ? one : many);

function summaryLines(groups) {
  const byCount = new Map();
  for (const g of groups) byCount.set(g.n, [...(byCount.get(g.n) || []), g]);
  const students = (list) => list.reduce((sum, g) => sum + g.students, 0);
  const counts = [...byCount.keys()].sort((a, b) => students(byCount.get(b)) - students(byCount.get(a)) || a - b);
  return counts.slice(0, 3).map((n) => {
    const group = document.createElement("div");
    group.className = "group";
    const heading = document.createElement("div");
    heading.className = "count";
    heading.textContent = plural(n, "request", "requests");
    group.append(heading);
    for (const g of byCount.get(n)) {
      const line = document.createElement("div");
      line.className = "median " + g.kind;
      const students = document.createElement("small");
      students.textContent = " (" + plural(g.students, "student", "students") + ")";
      line.append(kindNames[g.kind] + " " + g.median.toFixed(2) + " s", students);
      group.append(line);
    }
    return group;
  });
}

events.addEventListener("class", (e) => {
  const c = JSON.parse(e.data);
  if (c.summary.length) {
    text("student-count", ": " + plural(c.student_count, "student", "students"));
    document.getElementById("class-summary").replaceChildren(...summaryLines(c.summary));
    document.body.classList.add("class-running");
  }
  const rows = c.students.map((student) => {
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = student.name;  // text, never HTML: names come from students
    const runs = document.createElement("td");
    for (const r of student.runs.slice(0, 3)) {
      const span = document.createElement("span");
      span.className = "run " + r.kind;
      span.textContent = r.n + " " + kindNames[r.kind] + ": " + r.seconds.toFixed(2) + " s";
      runs.appendChild(span);
    }
    tr.append(name, runs);
    return tr;
  });
  document.getElementById("students").replaceChildren(...rows);
});
document.getElementById("class-url").textContent = location.origin + "/class";
fetch("/class/server").then((r) => r.json()).then((s) => {
  if (s.page) { const a = document.getElementById("class-url"); a.textContent = s.page; a.href = s.page; }
  if (s.reachable === false) {  // a QR code no phone could follow: say how to open the server instead
    document.getElementById("qr").hidden = true;
    document.getElementById("join").hidden = true;
    document.getElementById("loopback-only").hidden = false;
  }
}).catch(() => {});

// The loop's lag, five times a second: seen from outside the loop too, so it
// climbs while a blocking call holds the loop.
function showLag(lag) {
  document.getElementById("lag-meter").value = Math.min(1, lag);
  text("lag", lag < 1 ? (lag * 1000).toFixed(1) + " ms" : lag.toFixed(2) + " s");
}
events.addEventListener("lag", (e) => showLag(JSON.parse(e.data).loop_lag));

// Once a second: the true counts, and which requests are open. Events a slow
// page missed are put right here.
events.addEventListener("snapshot", (e) => {
  const s = JSON.parse(e.data);
  seenAt(s.t);
  workers = s.workers;
  rate = s.requests_per_second;
  showLag(s.loop_lag);
  text("model", s.model);
  const open = new Set();
  for (const r of s.requests) {
    open.add(r.id);
    const known = requests.get(r.id) || { id: r.id, finished: null, status: 0 };
    Object.assign(known, { received: r.received, started: r.started ?? null, lane: r.lane ?? null });
    requests.set(r.id, known);
  }
  for (const [id, r] of requests) {
    if (r.finished === null && !open.has(id)) requests.delete(id);  // its end was missed
  }
});

// A row: a label and the bars on its track; old rows are reused.
function row(chart, index, label, done) {
  let element = chart.children[index];
  if (!element || !element.classList.contains("row") || element.classList.contains("note")) {
    element = document.createElement("div");
    element.className = "row";
    element.innerHTML = '<span class="label"></span><span class="track"></span>';
    chart.insertBefore(element, chart.children[index] || null);
  }
  element.classList.toggle("done", done);
  element.firstChild.textContent = label;
  return element.lastChild;
}

// A row that says what the chart leaves out.
function note(chart, index, message) {
  let element = chart.children[index];
  if (!element || !element.classList.contains("note")) {
    element = document.createElement("div");
    element.className = "row note";
    chart.insertBefore(element, chart.children[index] || null);
  }
  element.textContent = message;
}

function bar(track, kind, from, to, t, label) {
  const start = t - windowSeconds;
  const left = Math.max(0, (from - start) / windowSeconds);
  const right = Math.min(1, (to - start) / windowSeconds);
  if (right <= left) return;
  const element = document.createElement("span");
  element.className = "bar " + kind;
  element.style.left = (left * 100).toFixed(2) + "%";
  element.style.width = Math.max(0.2, (right - left) * 100).toFixed(2) + "%";
  if (label) element.textContent = label;
  track.appendChild(element);
}

// A request's bar, growing until it ends: its wait in the queue (unless
// `appOnly`: on a worker's row the wait overlapped the previous request),
// then its time in the app.
function requestBars(track, r, t, appOnly) {
  const end = r.finished ?? t;
  const started = r.started ?? end;
  if (!appOnly) bar(track, "queued", r.received, started, t);
  if (r.started !== null) bar(track, r.status >= 400 ? "failed" : "running", started, end, t, appOnly ? r.id : "");
}

function draw() {
  const t = now();
  for (const [id, r] of requests) {
    const gone = r.finished !== null && t - r.finished > (workers ? windowSeconds : keepDoneSeconds);
    if (gone) requests.delete(id);
  }
  const all = [...requests.values()].sort((a, b) => a.id - b.id);
  const queued = all.filter((r) => r.finished === null && r.started === null);
  const inFlight = all.filter((r) => r.finished === null && r.started !== null);
  text("in-flight", inFlight.length + " in flight");
  text("queued", queued.length + " queued");
  text("rate", rate.toFixed(1) + " requests/s");
  const lost = performance.now() - lastNews > 3000;
  text("connection", lost ? "server not answering" : "live");
  document.getElementById("connection").classList.toggle("lost", lost);

  const chart = document.getElementById("chart");
  let index = 0;
  const tracks = [];
  if (workers > 0) {
    // Worker pool: the queue first, the longest waiting on top, each growing
    // in amber; then one row per worker with the requests it served.
    const workerRows = Math.min(workers, chartRows - 1);
    const queueRows = chartRows - workerRows;
    const shownQueue = queued.length > queueRows ? queued.slice(0, queueRows - 1) : queued;
    for (const r of shownQueue) tracks.push([row(chart, index++, "request " + r.id, false), [r], false]);
    if (shownQueue.length < queued.length) note(chart, index++, "+" + (queued.length - shownQueue.length) + " more queued");
    for (let w = 1; w <= workerRows; w++) {
      const name = "worker " + w;
      tracks.push([row(chart, index++, name, false), all.filter((r) => r.lane === name), true]);
    }
  } else if (all.length === 0) {
    note(chart, index++, "no request in the last " + keepDoneSeconds + " s");
  } else {
    // Event loop: one row per request in flight or just finished; past the
    // chart's height the newest, and a first row counting the earlier ones.
    const shown = all.length > chartRows ? all.slice(-(chartRows - 1)) : all;
    if (shown.length < all.length) note(chart, index++, "+" + (all.length - shown.length) + " earlier requests, not drawn");
    for (const r of shown) tracks.push([row(chart, index++, "request " + r.id, r.finished !== null), [r], false]);
  }
  for (const [track, shownRequests, appOnly] of tracks) {
    track.replaceChildren();
    for (const r of shownRequests) requestBars(track, r, t, appOnly);
  }
  while (chart.children.length > index) chart.lastChild.remove();
  text("axis-start", "-" + windowSeconds + " s");
}
setInterval(draw, 100);  // ten times a second; also in a tab in the background
