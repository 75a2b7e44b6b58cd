// anpo web page: plain JavaScript, no libraries, nothing fetched from outside the app.
// Every view is drawn from the JSON API as inline SVG. The page is generic over models:
// outcomes, charts and tables come from the store's generic summary, and what each kind
// shows first (its headline cards, the outcome charted first) comes from the server.
"use strict";

const SVGNS = "http://www.w3.org/2000/svg";
const $ = (id) => document.getElementById(id);
const state = {
  scenarios: [], yamlShown: null, kbLayers: null, outlines: null, geometry: null,
  runMap: null, shownHash: null, shownName: null, runId: null, run: null, polling: null,
  validateTimer: null, showTimer: null, kinds: {}, leverKind: null, db: null,
};

// The scenario view: every change of the scenario (a pick, an edit, a date) starts a new
// view. Its token is bumped and the previous view's requests are aborted at once, before
// any request of the new view is issued; every answer is drawn only if its token is
// still the current one. So the ledger, the map and the lever panel always belong to
// the scenario selected in the editor, however late an earlier answer comes back.
const view = { token: 0, ctrl: new AbortController() };

function newScenarioView() {
  view.token += 1;
  view.ctrl.abort();
  view.ctrl = new AbortController();
  $("scenario").setAttribute("data-shown", "");
  return view.token;
}

const isAbort = (e) => Boolean(e) && e.name === "AbortError";

// Requests in flight, shown on <body data-inflight>: the end-to-end test waits for 0.
let inflight = 0;
function countRequest(delta) {
  inflight += delta;
  document.body.setAttribute("data-inflight", String(inflight));
}

// ---------------------------------------------------------------- helpers

async function api(path, options) {
  const opts = Object.assign({ headers: {} }, options || {});
  if (opts.json !== undefined) {
    opts.method = opts.method || "POST";
    opts.headers["content-type"] = "application/json";
    opts.body = JSON.stringify(opts.json);
    delete opts.json;
  }
  countRequest(1);
  let resp, data = null;
  try {
    resp = await fetch(path, opts);
    try { data = await resp.json(); } catch (e) {
      if (isAbort(e)) throw e;
      data = null;
    }
  } finally {
    countRequest(-1);
  }
  if (!resp.ok) {
    const detail = data && data.detail;
    const msg = detail && (detail.message || (typeof detail === "string" ? detail : null));
    const err = new Error(msg || `${resp.status} ${resp.statusText}`);
    err.detail = detail;
    err.status = resp.status;
    throw err;
  }
  return data;
}

function el(tag, attrs, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVGNS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function fmt(x) {
  // As the report formats numbers (anpo.report.html.fmt_num).
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  const v = Number(x);
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  if (v === 0) return "0";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return v.toLocaleString("en-US");
  if (Math.abs(v) >= 1000) return v.toLocaleString("en-US", { maximumFractionDigits: 1, minimumFractionDigits: 1 });
  if (Math.abs(v) >= 0.01) return v.toFixed(3);
  return v.toPrecision(2);
}
const pct = (p) => (p === null || p === undefined ? "–" : `${(100 * p).toFixed(1)}%`);

function setStatus(text) { $("status-line").textContent = text; }

function fillSelect(select, items, selected) {
  select.replaceChildren();
  for (const [value, label] of items) {
    const opt = el("option", { value }, label);
    if (value === selected) opt.selected = true;
    select.appendChild(opt);
  }
}

function table(node, columns, rows, opts) {
  // columns: [key, title, {num, cls: (row) => class, fmt}]
  node.replaceChildren();
  const head = el("tr");
  for (const [, title] of columns) head.appendChild(el("th", {}, title));
  node.appendChild(el("thead")).appendChild(head);
  const body = node.appendChild(el("tbody"));
  for (const row of rows) {
    const tr = el("tr");
    for (const [key, , o] of columns) {
      const conf = o || {};
      const raw = typeof key === "function" ? key(row) : row[key];
      const text = conf.fmt ? conf.fmt(raw, row) : (conf.num ? fmt(raw) : (raw ?? ""));
      const href = conf.link ? conf.link(row) : null;
      const td = el("td", {});
      if (href && /^https?:\/\//.test(href)) {
        // a link the user may open; the page itself fetches nothing from it
        td.appendChild(el("a", { href, target: "_blank", rel: "noopener noreferrer" }, text));
      } else {
        td.textContent = text;
      }
      if (conf.num) td.classList.add("num");
      if (conf.cls) { const c = conf.cls(row); if (c) td.classList.add(c); }
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
  if (opts && opts.empty && !rows.length) {
    const tr = el("tr");
    tr.appendChild(el("td", { colspan: columns.length }, opts.empty));
    body.appendChild(tr);
  }
}

// ---------------------------------------------------------------- headline cards
// Every kind's headline figures come from the server with their cards (title, value,
// explanation), as the kind declares them (anpo.kinds): nothing here knows a kind.

function card(title, value, details) {
  const c = el("div", { class: "card" });
  c.appendChild(el("div", { class: "t" }, title));
  c.appendChild(el("div", { class: "v" }, value));
  for (const d of details || []) c.appendChild(el("div", { class: "d" }, d));
  return c;
}

function headlineCards(head) {
  return head.flatMap((h) => h.cards.map((c) => card(c.title, c.value, c.detail)));
}

// ---------------------------------------------------------------- map

const VIEW = { west: 117, south: 20, east: 148, north: 46.5 };
const MAP_W = 760;
const LAYERS = [
  ["outlines", "coastlines", true], ["rings", "missile ranges", true],
  ["footprints", "defended footprints", true], ["cities", "cities", true],
  ["tracks", "ground tracks", true], ["bases", "bases", true],
  ["launch", "launch areas", true], ["stations", "ship stations", true],
  ["ships", "ships & batteries", true], ["assets", "defended assets", true],
  ["impacts", "leaker impacts", true], ["labels", "labels", true],
];
const layerOn = Object.fromEntries(LAYERS.map(([k, , on]) => [k, on]));

function projection() {
  const k = Math.cos(((VIEW.south + VIEW.north) / 2) * Math.PI / 180);
  const sx = MAP_W / (VIEW.east - VIEW.west);
  const h = ((VIEW.north - VIEW.south) * sx) / k;
  return { w: MAP_W, h, p: ([lon, lat]) => [(lon - VIEW.west) * sx, (VIEW.north - lat) * sx / k] };
}

function pathOf(rings, p) {
  let d = "";
  for (const ring of rings) {
    ring.forEach((pt, i) => {
      const [x, y] = p(pt);
      d += `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`;
    });
    d += "Z";
  }
  return d;
}

function polygonsOf(geom) {
  if (geom.type === "Polygon") return [geom.coordinates];
  if (geom.type === "MultiPolygon") return geom.coordinates;
  return [];
}

function drawMap() {
  const box = $("map");
  const { w, h, p } = projection();
  const root = svg("svg", { viewBox: `0 0 ${w.toFixed(0)} ${h.toFixed(0)}`, id: "map-svg",
    role: "img", "aria-label": "map of the region" });
  const defs = root.appendChild(svg("defs"));
  const clip = defs.appendChild(svg("clipPath", { id: "map-clip" }));
  clip.appendChild(svg("rect", { x: 0, y: 0, width: w, height: h }));
  const groups = {};
  for (const [key] of LAYERS) {
    groups[key] = root.appendChild(svg("g", { "data-layer": key, "clip-path": "url(#map-clip)" }));
    if (!layerOn[key]) groups[key].setAttribute("display", "none");
  }
  if (state.outlines) {
    for (const f of state.outlines.features) {
      for (const poly of polygonsOf(f.geometry)) {
        const node = groups.outlines.appendChild(svg("path", { d: pathOf(poly, p), class: "land" }));
        node.appendChild(svg("title", {}, f.properties.name));
      }
    }
  }
  const label = (xy, text, dx) => groups.labels.appendChild(
    svg("text", { x: (xy[0] + (dx || 5)).toFixed(1), y: (xy[1] - 3).toFixed(1), class: "lbl" }, text));
  const pt = (g, f, r, cls, shape) => {
    const [x, y] = p(f.geometry.coordinates);
    let node;
    if (shape === "square") node = svg("rect", { x: x - r, y: y - r, width: 2 * r, height: 2 * r, class: cls });
    else if (shape === "triangle") node = svg("path", { d: `M${x},${y - r * 1.3}L${x + r},${y + r}L${x - r},${y + r}Z`, class: cls });
    else if (shape === "diamond") node = svg("path", { d: `M${x},${y - r * 1.3}L${x + r},${y}L${x},${y + r * 1.3}L${x - r},${y}Z`, class: cls });
    else node = svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r, class: cls });
    const props = f.properties || {};
    const extra = props.population ? ` (${Number(props.population).toLocaleString("en-US")} people)` : "";
    node.appendChild(svg("title", {}, `${props.name || props.role}${extra}`));
    g.appendChild(node);
    return [x, y];
  };
  const kb = state.kbLayers ? state.kbLayers.features : [];
  const geo = state.geometry ? state.geometry.features : [];
  const missile = $("missile-pick").value;
  const byRole = (fs, role) => fs.filter((f) => f.properties && f.properties.role === role);
  // range rings of the chosen missile from its launch areas
  for (const f of byRole(kb, "range_ring")) {
    if (f.properties.missile !== missile) continue;
    const node = groups.rings.appendChild(svg("path", { d: pathOf(f.geometry.coordinates, p), class: "ring" }));
    node.appendChild(svg("title", {}, `${f.properties.name}: ${fmt(f.properties.range_km)} km from ${f.properties.launch_area}`));
  }
  // the scenario's own rings: each missile's range from the launch areas its raid uses
  for (const f of byRole(geo, "range_ring")) {
    const node = groups.rings.appendChild(svg("path", { d: pathOf(f.geometry.coordinates, p), class: "ring" }));
    node.appendChild(svg("title", {}, `${f.properties.name}: ${fmt(f.properties.range_km)} km from ${f.properties.launch_area}`));
  }
  for (const f of byRole(geo, "footprint")) {
    const lower = /pac/i.test(f.properties.name || "");
    for (const poly of polygonsOf(f.geometry)) {
      const node = groups.footprints.appendChild(svg("path", { d: pathOf(poly, p), class: lower ? "fp-lower" : "fp-upper" }));
      node.appendChild(svg("title", {}, `defended footprint: ${f.properties.name}`));
    }
  }
  // cities sized by population: the scenario's (near defended assets) or the kb's largest
  const cities = byRole(geo, "city").length ? byRole(geo, "city") : byRole(kb, "city");
  for (const f of cities) pt(groups.cities, f, Math.max(1.5, Math.sqrt(f.properties.population || 0) / 180), "city");
  for (const f of byRole(geo, "track")) {
    const d = f.geometry.coordinates.map((c, i) => { const [x, y] = p(c); return `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`; }).join("");
    groups.tracks.appendChild(svg("path", { d, class: "track" })).appendChild(svg("title", {}, f.properties.name || "ground track"));
  }
  for (const f of byRole(kb, "base")) { const xy = pt(groups.bases, f, 3.5, "base", "square"); label(xy, f.properties.name); }
  for (const f of byRole(kb, "pac3_site")) pt(groups.bases, f, 2.5, "pac3");
  const launchNames = new Set();
  for (const f of [...byRole(geo, "launch_area"), ...byRole(kb, "launch_area")]) {
    if (launchNames.has(f.properties.name)) continue;
    launchNames.add(f.properties.name);
    const xy = pt(groups.launch, f, 4, "launch", "triangle");
    label(xy, f.properties.name);
  }
  for (const f of byRole(kb, "station")) pt(groups.stations, f, 6, "station");
  for (const f of byRole(geo, "ship")) pt(groups.ships, f, 3.5, "ship", "diamond");
  for (const f of byRole(geo, "battery")) pt(groups.ships, f, 3, "battery", "square");
  for (const f of byRole(geo, "asset")) { const xy = pt(groups.assets, f, 5.5, "asset"); label(xy, f.properties.name, 8); }
  const impacts = state.runMap && state.runMap.hash === state.shownHash ? state.runMap.impacts : [];
  for (const [lon, lat] of impacts) {
    const [x, y] = p([lon, lat]);
    groups.impacts.appendChild(svg("circle", { cx: x.toFixed(1), cy: y.toFixed(1), r: 1.6, class: "impact" }));
  }
  box.replaceChildren(root);
  const parts = [];
  if (state.kbLayers) parts.push(`knowledge base on ${state.kbLayers.date}`);
  if (state.geometry) parts.push("scenario geometry");
  if (impacts.length) parts.push(`${impacts.length} leaker impacts of run ${state.runMap.runId.slice(0, 12)}`);
  $("map-caption").textContent = parts.join(" · ");
}

function setupLayerToggles() {
  const box = $("layer-toggles");
  for (const [key, title] of LAYERS) {
    const lab = el("label");
    const cb = el("input", { type: "checkbox", "data-layer": key });
    cb.checked = layerOn[key];
    cb.addEventListener("change", () => {
      layerOn[key] = cb.checked;
      const g = document.querySelector(`#map-svg g[data-layer="${key}"]`);
      if (g) { if (cb.checked) g.removeAttribute("display"); else g.setAttribute("display", "none"); }
    });
    lab.appendChild(cb);
    lab.appendChild(document.createTextNode(" " + title));
    box.appendChild(lab);
  }
  $("missile-pick").addEventListener("change", drawMap);
}

let kbLayersAsked = 0;

async function loadKbLayers(date, signal) {
  // answers can come back out of order after a quick switch: only the last one asked counts
  const asked = ++kbLayersAsked;
  let layers;
  try {
    layers = await api(`/api/map/layers?date=${encodeURIComponent(date || "today")}`, { signal });
  } catch (e) {
    if (asked === kbLayersAsked && !isAbort(e)) setStatus(`map layers: ${e.message}`);
    return false;
  }
  if (asked !== kbLayersAsked) return false;
  state.kbLayers = layers;
  const text = $("yaml").value;
  const previous = $("missile-pick").value;
  const items = state.kbLayers.missiles.filter((m) => m.launch_areas > 0)
    .map((m) => [m.id, `${m.name} — ${fmt(m.range_km)} km`]);
  // default: a missile the scenario names (its id_short appears in the YAML), else the first
  const named = items.find(([id]) => {
    const short = id.split(".")[1] || id;
    return new RegExp(`type:\\s*${short.replace(/[-.]/g, "\\$&")}\\b`).test(text);
  });
  let pick = named ? named[0] : null;
  if (!pick) pick = previous && items.some(([v]) => v === previous) ? previous : (items[0] ? items[0][0] : "");
  fillSelect($("missile-pick"), [["", "none"], ...items], pick);
  return true;
}

// ---------------------------------------------------------------- scenario editor

function yamlDate(text) {
  const m = /^date:\s*["']?([^"'\s#]+)/m.exec(text);
  return m ? m[1] : "";
}

function setYamlDate(text, date) {
  if (/^date:.*$/m.test(text)) return text.replace(/^date:.*$/m, `date: ${date}`);
  return `date: ${date}\n${text}`;
}

async function pickScenario(name, token) {
  const item = state.scenarios.find((s) => s.name === name);
  const signal = view.ctrl.signal;
  let data;
  try {
    data = await api(`/api/scenarios/${encodeURIComponent(name)}`, { signal });
  } catch (e) {
    if (isAbort(e)) return;
    throw e;
  }
  if (token !== view.token || $("scenario-pick").value !== name) return; // another one was chosen
  $("yaml").value = data.yaml;
  $("date").value = yamlDate(data.yaml);
  $("scenario-desc").textContent = item ? item.description || "" : "";
  await onYamlChanged(true, token);
}

async function validateNow(token) {
  const box = $("validation");
  const text = $("yaml").value;
  let res;
  try {
    res = await api("/api/validate", { json: { yaml: text }, signal: view.ctrl.signal });
  } catch (e) {
    if (isAbort(e) || token !== view.token) return false;
    box.className = "validation bad";
    box.textContent = e.message;
    return false;
  }
  if (token !== view.token || $("yaml").value !== text) return false; // a newer check follows
  box.replaceChildren();
  if (res.ok) {
    box.className = "validation ok";
    box.textContent = `✓ valid: ${res.name} (${res.kind}, ${res.date})`;
    return true;
  }
  box.className = "validation bad";
  box.appendChild(el("span", {}, `${res.problems.length} problem(s):`));
  const ul = box.appendChild(el("ul"));
  for (const pr of res.problems) {
    const li = ul.appendChild(el("li"));
    li.appendChild(el("code", { class: "path" }, pr.path || "<top>"));
    li.appendChild(document.createTextNode(` ${pr.message}${pr.value !== null ? ` (got ${pr.value})` : ""}`));
  }
  return false;
}

async function showScenario(token) {
  if (token !== view.token) return;
  const text = $("yaml").value;
  if (text === state.yamlShown) { // the ledger and the map show it already
    $("scenario").setAttribute("data-shown", state.shownName || "");
    return;
  }
  const signal = view.ctrl.signal;
  const live = () => token === view.token && $("yaml").value === text;
  try {
    const res = await api("/api/show", { json: { yaml: text }, signal });
    if (!live()) return;
    state.yamlShown = null; // from here on, the page shows this scenario or is drawing it
    state.shownHash = res.scenario_hash;
    state.shownName = res.scenario;
    state.geometry = null; // never another scenario's map, even for a moment
    table($("ledger"), [
      ["name", "input"], ["value", "value"], ["unit", "unit"],
      ["kind", "kind", { cls: (r) => `kind-${r.kind}` }],
      ["source", "source", { link: (r) => r.url }],
      ["as_of", "as of"], ["note", "note"],
      ["override", "override", { fmt: (v) => (v ? "scenario" : "") }],
    ], res.inputs);
    $("ledger").setAttribute("data-scenario", res.scenario);
    renderLevers(res.kind, res.scenario);
    await loadKbLayers(res.date, signal);
    if (!live()) return;
    drawMap();
    if (res.has_geometry) {
      // the scenario's own map (footprints take a while): drawn when it comes
      const m = await api("/api/map/scenario", { json: { yaml: text }, signal });
      if (!live()) return;
      state.geometry = m.geometry;
      drawMap();
    }
    state.yamlShown = text;
    $("scenario").setAttribute("data-shown", res.scenario);
  } catch (e) {
    if (isAbort(e) || !live()) return;
    const box = $("validation");
    box.className = "validation bad";
    box.textContent = `cannot resolve: ${e.message}`;
    if (e.detail && e.detail.problems) {
      const ul = box.appendChild(el("ul"));
      for (const pr of e.detail.problems) ul.appendChild(el("li", {}, `${pr.path}: ${pr.message}`));
    }
  }
}

async function onYamlChanged(now, token) {
  clearTimeout(state.validateTimer);
  clearTimeout(state.showTimer);
  const go = async () => {
    if (token !== view.token) return;
    const ok = await validateNow(token);
    if (!ok || token !== view.token) return;
    const d = yamlDate($("yaml").value);
    if (d && document.activeElement !== $("date")) $("date").value = d;
    if (now) await showScenario(token); else state.showTimer = setTimeout(() => showScenario(token), 1200);
  };
  if (now) await go(); else state.validateTimer = setTimeout(go, 350);
}

// ---------------------------------------------------------------- runs

async function startRun(ev) {
  ev.preventDefault();
  const btn = $("run-btn");
  const trials = Number($("trials").value);
  const seed = Number($("seed").value);
  btn.disabled = true;
  $("job-status").removeAttribute("data-state");
  $("progress").value = 0;
  $("job-status").textContent = "starting…";
  let job;
  try {
    const res = await api("/api/runs", { json: { yaml: $("yaml").value, trials, seed } });
    job = res.job;
  } catch (e) {
    $("job-status").textContent = `refused: ${e.message}`;
    if (e.detail && e.detail.problems) {
      $("job-status").textContent += " — " + e.detail.problems.map((p) => `${p.path}: ${p.message}`).join("; ");
    }
    btn.disabled = false;
    return;
  }
  const poll = async () => {
    let j;
    try { j = await api(`/api/runs/jobs/${job.job_id}`); } catch (e) {
      $("job-status").textContent = e.message; btn.disabled = false; return;
    }
    $("progress").value = j.fraction;
    $("job-status").textContent = `${j.state}: ${j.chunks_done}/${j.chunks_total || "?"} chunks, ${j.elapsed_s.toFixed(1)} s`;
    if (j.state === "done") {
      $("job-status").textContent = `done: run ${j.run_id} (${j.trials.toLocaleString("en-US")} trials, ${j.elapsed_s.toFixed(1)} s)`;
      $("job-status").setAttribute("data-state", "done");
      btn.disabled = false;
      await loadRuns(j.run_id);
      await showRun(j.run_id);
      return;
    }
    if (j.state === "failed") {
      $("job-status").setAttribute("data-state", "failed");
      $("job-status").textContent = `failed: ${j.error ? j.error.message : "unknown error"}`;
      btn.disabled = false;
      return;
    }
    state.polling = setTimeout(poll, 250);
  };
  poll();
}

async function loadRuns(select) {
  const res = await api("/api/runs");
  const items = res.runs.map((r) => [r.run_id,
    `${r.run_id.slice(0, 12)} · ${r.name} · ${r.scenario_date} · ${Number(r.n_trials).toLocaleString("en-US")} trials`]);
  fillSelect($("run-pick"), items, select || state.runId || (items[0] && items[0][0]));
  fillSelect($("cmp-a"), items, items[1] ? items[1][0] : items[0] && items[0][0]);
  fillSelect($("cmp-b"), items, items[0] && items[0][0]);
  return res.runs;
}

async function showRun(runId) {
  if (!runId) return;
  state.runId = runId;
  const res = await api(`/api/runs/${runId}`);
  state.run = res;
  const r = res.run;
  $("run-caption").textContent = `run ${r.run_id}: ${r.name} (${r.kind}, ${r.scenario_date}), ` +
    `${Number(r.n_trials).toLocaleString("en-US")} trials, seed ${r.seed}, chunk size ${r.chunk_size}, ` +
    `anpo ${r.anpo_version}, ${r.created_at}`;
  $("headline").replaceChildren(...headlineCards(res.headline));
  const outcomes = res.outcomes.filter((o) => o.unit !== "code").map((o) =>
    [o.outcome, `${o.outcome}${o.size > 1 ? ` (${o.size} entries)` : ""}${o.unit ? ` — ${o.unit}` : ""}`]);
  const primary = res.primary && outcomes.some(([o]) => o === res.primary) ? res.primary
    : (res.headline[0] ? res.headline[0].outcome : (outcomes[0] && outcomes[0][0]));
  fillSelect($("outcome-pick"), outcomes, primary);
  table($("summary"), [
    ["outcome", "outcome"], ["label", "entry"], ["unit", "unit"], ["trials", "trials", { num: true }],
    ["mean", "mean", { num: true }], ["se", "SE (MC)", { num: true }], ["p05", "p05", { num: true }],
    ["p50", "p50", { num: true }], ["p95", "p95", { num: true }], ["p_zero", "share at 0", { fmt: pct }],
  ], res.summary);
  await drawCharts();
  await drawFigures(res);
  if (state.runId !== runId) return; // another run was chosen meanwhile
  // the map shows the scenario in the editor; a run's leaker impacts are drawn on it
  // only when the run is of that very scenario (the same resolved inputs)
  const m = await api(`/api/runs/${runId}/map`);
  if (state.runId !== runId) return; // another run was chosen meanwhile
  state.runMap = { runId, hash: r.scenario_hash, impacts: m.impacts };
  drawMap();
  $("results").setAttribute("data-run", r.run_id);
}

// ---------------------------------------------------------------- charts

const CW = 520, CH = 250, PAD = { l: 50, r: 12, t: 22, b: 38 };

function niceTicks(lo, hi, n) {
  if (hi <= lo) return [lo];
  const step0 = (hi - lo) / n;
  const mag = Math.pow(10, Math.floor(Math.log10(step0)));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= step0) || step0;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function distributionChart(hist, row) {
  const root = svg("svg", { viewBox: `0 0 ${CW} ${CH}`, class: "dist", "data-chart": "distribution" });
  const total = hist.trials.reduce((a, b) => a + b, 0) || 1;
  const shares = hist.trials.map((t) => t / total);
  const vals = hist.values;
  if (!vals.length) { root.appendChild(svg("text", { x: 20, y: 40, class: "tick" }, "no values (every trial missing)")); return root; }
  let lo = Math.min(...vals), hi = Math.max(...vals);
  const width = vals.length > 1 ? Math.min(...vals.slice(1).map((v, i) => v - vals[i])) : 1;
  lo -= width / 2; hi += width / 2;
  const ymax = Math.max(...shares) * 1.1 || 1;
  const X = (v) => PAD.l + ((v - lo) / (hi - lo)) * (CW - PAD.l - PAD.r);
  const Y = (s) => CH - PAD.b - (s / ymax) * (CH - PAD.t - PAD.b);
  const bw = Math.max(1, X(lo + width) - X(lo) - 1);
  vals.forEach((v, i) => {
    const b = root.appendChild(svg("rect", { x: (X(v) - bw / 2).toFixed(1), y: Y(shares[i]).toFixed(1), width: bw.toFixed(1), height: (CH - PAD.b - Y(shares[i])).toFixed(1), class: "bar" }));
    b.appendChild(svg("title", {}, `${fmt(v)}: ${hist.trials[i]} trials (${pct(shares[i])})`));
  });
  root.appendChild(svg("line", { x1: PAD.l, x2: CW - PAD.r, y1: CH - PAD.b, y2: CH - PAD.b, class: "axis" }));
  root.appendChild(svg("line", { x1: PAD.l, x2: PAD.l, y1: PAD.t, y2: CH - PAD.b, class: "axis" }));
  for (const t of niceTicks(lo, hi, 8)) {
    root.appendChild(svg("text", { x: X(t), y: CH - PAD.b + 14, "text-anchor": "middle", class: "tick" }, fmt(t)));
  }
  for (const t of niceTicks(0, ymax, 4)) {
    root.appendChild(svg("text", { x: PAD.l - 4, y: Y(t) + 3, "text-anchor": "end", class: "tick" }, pct(t)));
  }
  if (row) {
    const mx = X(row.mean);
    root.appendChild(svg("line", { x1: mx, x2: mx, y1: PAD.t, y2: CH - PAD.b, class: "meanline" }));
    root.appendChild(svg("text", { x: mx + 4, y: PAD.t + 8, class: "tick" }, `mean ${fmt(row.mean)}`));
  }
  root.appendChild(svg("text", { x: (CW + PAD.l) / 2, y: CH - 6, "text-anchor": "middle", class: "tick" },
    `${hist.outcome}${hist.unit ? ` (${hist.unit})` : ""}${hist.idx === null ? "" : ` [entry ${hist.idx}]`}${hist.binned ? ", binned" : ""}`));
  root.appendChild(svg("text", { x: PAD.l, y: 12, class: "tick" }, "share of trials"));
  return root;
}

function spreadChart(rows) {
  // One row per entry: the 5th–95th percentile spread (bar), the mean (dot) and its
  // ± 1.96·SE Monte Carlo error (red whisker), as the report draws them.
  const h = Math.max(90, 26 * rows.length + PAD.t + PAD.b);
  const root = svg("svg", { viewBox: `0 0 ${CW} ${h}`, "data-chart": "spread" });
  const lo = Math.min(...rows.map((r) => Math.min(r.p05, r.mean - 1.96 * r.se)));
  let hi = Math.max(...rows.map((r) => Math.max(r.p95, r.mean + 1.96 * r.se)));
  if (hi <= lo) hi = lo + 1;
  const left = 170;
  const X = (v) => left + ((v - lo) / (hi - lo)) * (CW - left - PAD.r);
  rows.forEach((r, i) => {
    const y = PAD.t + 26 * i;
    const name = (r.label || r.outcome).slice(0, 28);
    root.appendChild(svg("text", { x: left - 6, y: y + 12, "text-anchor": "end", class: "tick" }, name));
    const bar = root.appendChild(svg("rect", { x: X(r.p05), y: y + 3, width: Math.max(1, X(r.p95) - X(r.p05)), height: 14, class: "spread" }));
    bar.appendChild(svg("title", {}, `5th–95th percentile: ${fmt(r.p05)} – ${fmt(r.p95)}`));
    root.appendChild(svg("line", { x1: X(r.mean - 1.96 * r.se), x2: X(r.mean + 1.96 * r.se), y1: y + 10, y2: y + 10, class: "ci" }));
    const dot = root.appendChild(svg("circle", { cx: X(r.mean), cy: y + 10, r: 3, class: "dot" }));
    dot.appendChild(svg("title", {}, `mean ${fmt(r.mean)} ± ${fmt(1.96 * r.se)} (1.96·SE)`));
  });
  const base = h - PAD.b + 6;
  root.appendChild(svg("line", { x1: left, x2: CW - PAD.r, y1: base, y2: base, class: "axis" }));
  for (const t of niceTicks(lo, hi, 6)) root.appendChild(svg("text", { x: X(t), y: base + 14, "text-anchor": "middle", class: "tick" }, fmt(t)));
  root.appendChild(svg("text", { x: left, y: 12, class: "tick" }, "bar: 5th–95th percentile · dot: mean · red: ± 1.96·SE"));
  return root;
}

async function drawCharts() {
  const res = state.run;
  if (!res) return;
  const outcome = $("outcome-pick").value;
  const rows = res.summary.filter((r) => r.outcome === outcome);
  const hist = await api(`/api/runs/${res.run.run_id}/histogram?outcome=${encodeURIComponent(outcome)}`);
  const one = rows.length === 1 ? rows[0] : null;
  $("chart-dist").replaceChildren(distributionChart(hist, one));
  $("chart-dist-cap").textContent = rows.length > 1
    ? `Distribution of ${outcome} summed over its ${rows.length} entries, per trial (Store.histogram).`
    : `Distribution of ${outcome} across ${Number(res.run.n_trials).toLocaleString("en-US")} trials (Store.histogram); dashed: the mean.`;
  $("chart-spread").replaceChildren(spreadChart(rows.slice(0, 24)));
  $("chart-spread-cap").textContent = `Spread of ${outcome}${rows.length > 1 ? " per entry" : ""}: the 5th–95th percentile of trials (the variation of outcomes) and the Monte Carlo error of the mean (Store.summary).`;
}

// ---------------------------------------------------------------- declared figures
// Each kind declares its figures (anpo.kinds.base.FigureView); the server sends their
// data (/api/runs/{id}, "figures") and each is drawn here by its chart type alone.

const hue = (i) => `hsl(${(210 + i * 137) % 360},60%,40%)`;

function bandsChart(fig) {
  // the mean per step (line) with its 5th–95th percentile band, one series per entry
  const H = 260, left = 56, right = 24;
  const root = svg("svg", { viewBox: `0 0 ${CW} ${H}`, "data-chart": "by_day" });
  const n = fig.steps.length;
  const vals = fig.series.flatMap((s) => [...s.p05, ...s.p95, ...s.mean]).filter((v) => v !== null);
  let lo = Math.min(0, ...vals), hi = Math.max(0, ...vals);
  if (hi <= lo) hi = lo + 1;
  const legendH = 14 * Math.ceil(fig.series.length / 3);
  const top = PAD.t + legendH;
  const X = (i) => left + (n > 1 ? (i / (n - 1)) * (CW - left - right) : (CW - left - right) / 2);
  const Y = (v) => H - PAD.b - ((v - lo) / (hi - lo)) * (H - top - PAD.b);
  fig.series.forEach((s, j) => {
    const color = hue(j);
    const pts = (arr) => arr.map((v, i) => [X(i), Y(v === null ? 0 : v)]);
    const up = pts(s.p95), down = pts(s.p05).reverse();
    const d = [...up, ...down].map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("") + "Z";
    const band = root.appendChild(svg("path", { d, class: "band", fill: color, "data-band": s.name }));
    band.appendChild(svg("title", {}, `${s.name}: 5th–95th percentile of trials`));
    const line = pts(s.mean).map(([x, y], i) => `${i ? "L" : "M"}${x.toFixed(1)},${y.toFixed(1)}`).join("");
    root.appendChild(svg("path", { d: line, class: "series", stroke: color, "data-series": s.name }));
    s.mean.forEach((v, i) => {
      const c = root.appendChild(svg("circle", { cx: X(i).toFixed(1), cy: Y(v === null ? 0 : v).toFixed(1), r: 2.5, fill: color }));
      c.appendChild(svg("title", {}, `${s.name}, ${fig.steps[i]}: mean ${fmt(v)} (5th–95th ${fmt(s.p05[i])} – ${fmt(s.p95[i])})`));
    });
    const lx = left + ((CW - left) / 3) * (j % 3), ly = PAD.t + 14 * Math.floor(j / 3);
    root.appendChild(svg("rect", { x: lx, y: ly - 8, width: 10, height: 8, fill: color }));
    root.appendChild(svg("text", { x: lx + 14, y: ly, class: "tick" }, s.name.slice(0, 30)));
  });
  const base = H - PAD.b;
  root.appendChild(svg("line", { x1: left, x2: CW - right, y1: base, y2: base, class: "axis" }));
  root.appendChild(svg("line", { x1: left, x2: left, y1: top, y2: base, class: "axis" }));
  const every = Math.max(1, Math.ceil(n / 10));
  fig.steps.forEach((t, i) => {
    if (i % every === 0) root.appendChild(svg("text", { x: X(i), y: base + 14, "text-anchor": "middle", class: "tick" }, t));
  });
  for (const t of niceTicks(lo, hi, 5)) root.appendChild(svg("text", { x: left - 4, y: Y(t) + 3, "text-anchor": "end", class: "tick" }, fmt(t)));
  root.appendChild(svg("text", { x: (CW + left) / 2, y: H - 6, "text-anchor": "middle", class: "tick" }, `${fig.step || "step"} · ${fig.axis}`));
  return root;
}

function barsChart(fig) {
  // each entry's mean as a horizontal bar, with its whisker (lo – hi)
  const items = fig.items;
  const left = 200;
  const h = Math.max(80, 22 * items.length + PAD.t + PAD.b);
  const root = svg("svg", { viewBox: `0 0 ${CW} ${h}`, "data-chart": fig.chart });
  const vals = items.flatMap((it) => [it.lo, it.hi, it.mean]).filter((v) => v !== null);
  let lo = Math.min(0, ...vals), hi = Math.max(0, ...vals);
  if (hi <= lo) hi = lo + 1;
  const X = (v) => left + ((v - lo) / (hi - lo)) * (CW - left - PAD.r);
  items.forEach((it, i) => {
    const y = PAD.t + 22 * i;
    root.appendChild(svg("text", { x: left - 6, y: y + 12, "text-anchor": "end", class: "tick" }, it.label.slice(0, 36)));
    if (it.mean === null) return;
    const x0 = X(Math.min(0, it.mean)), x1 = X(Math.max(0, it.mean));
    const bar = root.appendChild(svg("rect", { x: x0.toFixed(1), y: y + 3, width: Math.max(1, x1 - x0).toFixed(1), height: 13, class: "bar", "data-entry": it.label }));
    bar.appendChild(svg("title", {}, `${it.label}: ${fmt(it.mean)} (${fmt(it.lo)} – ${fmt(it.hi)})`));
    if (it.lo !== null && it.hi !== null) root.appendChild(svg("line", { x1: X(it.lo), x2: X(it.hi), y1: y + 9.5, y2: y + 9.5, class: "ci" }));
  });
  const base = h - PAD.b + 6;
  root.appendChild(svg("line", { x1: left, x2: CW - PAD.r, y1: base, y2: base, class: "axis" }));
  for (const t of niceTicks(lo, hi, 6)) root.appendChild(svg("text", { x: X(t), y: base + 14, "text-anchor": "middle", class: "tick" }, fmt(t)));
  root.appendChild(svg("text", { x: (CW + left) / 2, y: h - 4, "text-anchor": "middle", class: "tick" }, fig.axis));
  return root;
}

async function figureCharts(fig, runId) {
  if (fig.chart === "by_day") return [bandsChart(fig)];
  if (fig.chart === "entries" || fig.chart === "codes") return [barsChart(fig)];
  if (fig.chart === "spread") {
    return [intervalChart(fig.items.map((it) => ({ label: it.label, value: it.mean, lo: it.lo, hi: it.hi })),
      { name: "spread", title: `${fig.axis}: mean (dot), 5th–95th percentile (whisker)` })];
  }
  if (fig.chart !== "distribution") {
    const note = svg("svg", { viewBox: `0 0 ${CW} 40`, "data-chart": "unknown" });
    note.appendChild(svg("text", { x: 10, y: 24, class: "tick" }, `chart type ${fig.chart} is not drawn on this page`));
    return [note];
  }
  // the share of trials at each value, one panel per entry
  const out = [];
  for (const it of fig.items.slice(0, 6)) {
    const q = it.idx === null ? "" : `&idx=${it.idx}`;
    const hist = await api(`/api/runs/${runId}/histogram?outcome=${encodeURIComponent(fig.outcome)}${q}`);
    hist.values = hist.values.map((v) => v * fig.scale);
    hist.unit = fig.axis;
    out.push(distributionChart(hist, { mean: it.mean }));
  }
  return out;
}

async function drawFigures(res) {
  const box = $("figures");
  const runId = res.run.run_id;
  const nodes = [];
  for (const fig of res.figures || []) {
    const charts = await figureCharts(fig, runId);
    if (state.runId !== runId) return; // another run was chosen meanwhile
    const f = el("figure", { "data-figure": fig.outcome, "data-chart": fig.chart });
    f.appendChild(el("div", { class: "fig-title" }, fig.title));
    const div = f.appendChild(el("div", { class: "chart" }));
    div.replaceChildren(...charts);
    f.appendChild(el("figcaption", { class: "muted small" }, fig.caption));
    nodes.push(f);
  }
  box.replaceChildren(...nodes);
  box.setAttribute("data-run", runId);
}

// ---------------------------------------------------------------- compare

async function compareRuns() {
  const a = $("cmp-a").value, b = $("cmp-b").value;
  if (!a || !b) { $("cmp-note").textContent = "no stored runs yet"; return; }
  let res;
  try { res = await api(`/api/compare?a=${a}&b=${b}`); } catch (e) { $("cmp-note").textContent = e.message; return; }
  $("cmp-note").textContent = `A = ${res.a.run_id.slice(0, 12)} (${res.a.name}, ${res.a.scenario_date}, ${res.a.n_trials} trials); ` +
    `B = ${res.b.run_id.slice(0, 12)} (${res.b.name}, ${res.b.scenario_date}, ${res.b.n_trials} trials). ${res.note}`;
  table($("compare-table"), [
    ["outcome", "outcome"], ["label", "entry"], ["unit", "unit"],
    ["mean_a", "mean A", { num: true }], ["se_a", "SE A", { num: true }],
    [(r) => `${fmt(r.p05_a)} – ${fmt(r.p95_a)}`, "p05–p95 A"],
    ["mean_b", "mean B", { num: true }], ["se_b", "SE B", { num: true }],
    [(r) => `${fmt(r.p05_b)} – ${fmt(r.p95_b)}`, "p05–p95 B"],
    ["diff", "B − A", { num: true, cls: (r) => (r.z !== null && Math.abs(r.z) > 1.96 ? "sig" : "") }],
    [(r) => (r.se_diff === null ? null : 1.96 * r.se_diff), res.paired ? "± 1.96·SE (paired)" : "± 1.96·SE", { num: true }],
    [(r) => (r.se_independent === null ? null : 1.96 * r.se_independent), "± if independent", { num: true }],
    [(r) => (r.present === "both" ? "" : `only in ${r.present.toUpperCase()}`), "present"],
  ], res.rows);
}

// ---------------------------------------------------------------- studies (jobs)

async function runJob(path, body, node) {
  // start a study as a background job and follow it; its answer, or null on failure
  node.removeAttribute("data-state");
  node.textContent = "starting…";
  let job;
  try { job = (await api(path, { json: body })).job; } catch (e) {
    node.setAttribute("data-state", "failed");
    node.textContent = `refused: ${e.message}`;
    return null;
  }
  for (;;) {
    let j;
    try { j = await api(`/api/runs/jobs/${job.job_id}`); } catch (e) {
      node.setAttribute("data-state", "failed");
      node.textContent = e.message;
      return null;
    }
    if (j.state === "done") {
      node.setAttribute("data-state", "done");
      node.textContent = `done in ${j.elapsed_s.toFixed(1)} s`;
      return j.result;
    }
    if (j.state === "failed") {
      node.setAttribute("data-state", "failed");
      node.textContent = `failed: ${j.error ? j.error.message : "unknown error"}`;
      return null;
    }
    node.textContent = `${j.state}: ${j.chunks_done}/${j.chunks_total || "?"}, ${j.elapsed_s.toFixed(1)} s`;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function intervalChart(items, opts) {
  // One row per item: its value (dot) and 95% interval (whisker), with the zero line.
  const o = opts || {};
  const f = o.fmt || fmt;
  const h = Math.max(80, 24 * items.length + PAD.t + PAD.b);
  const root = svg("svg", { viewBox: `0 0 ${CW} ${h}`, "data-chart": o.name || "interval" });
  const vals = items.flatMap((it) => [it.lo, it.hi, it.value]).filter((v) => v !== null && Number.isFinite(v));
  let lo = Math.min(0, ...vals), hi = Math.max(0, ...vals);
  if (o.range) { lo = Math.min(lo, o.range[0]); hi = Math.max(hi, o.range[1]); }
  if (hi <= lo) { lo -= 1; hi += 1; }
  const left = 190;
  const X = (v) => left + ((v - lo) / (hi - lo)) * (CW - left - PAD.r);
  root.appendChild(svg("line", { x1: X(0), x2: X(0), y1: PAD.t - 6, y2: h - PAD.b + 6, class: "zero" }));
  items.forEach((it, i) => {
    const y = PAD.t + 24 * i;
    root.appendChild(svg("text", { x: left - 6, y: y + 12, "text-anchor": "end", class: "tick" }, it.label.slice(0, 34)));
    if (it.value === null || !Number.isFinite(it.value)) return;
    if (it.lo !== null && it.hi !== null) {
      const w = root.appendChild(svg("line", { x1: X(it.lo), x2: X(it.hi), y1: y + 8, y2: y + 8, class: "ci" }));
      w.appendChild(svg("title", {}, `95% interval ${f(it.lo)} – ${f(it.hi)}`));
    }
    const dot = root.appendChild(svg("circle", { cx: X(it.value), cy: y + 8, r: 3.5, class: "dot" }));
    dot.appendChild(svg("title", {}, `${it.label}: ${f(it.value)}`));
  });
  const base = h - PAD.b + 6;
  root.appendChild(svg("line", { x1: left, x2: CW - PAD.r, y1: base, y2: base, class: "axis" }));
  for (const t of niceTicks(lo, hi, 6)) root.appendChild(svg("text", { x: X(t), y: base + 14, "text-anchor": "middle", class: "tick" }, f(t)));
  if (o.title) root.appendChild(svg("text", { x: left, y: 12, class: "tick" }, o.title));
  return root;
}

// ---------------------------------------------------------------- stored studies

function showStudy(node, id) {
  // the stored study's id, with the command-line calls that list, show and rerun it
  // (anpo.cli.study_cmds); none when the server keeps no studies (an in-memory store)
  node.replaceChildren();
  if (!id) {
    node.removeAttribute("data-study");
    node.textContent = "not stored as a study (the server's store is in memory)";
    return;
  }
  const quote = (t) => (/^[\w\/.:@+-]+$/.test(t) ? t : `'${t.replace(/'/g, "'\\''")}'`);
  const db = state.db && state.db !== ":memory:" ? ` --db ${quote(state.db)}` : "";
  node.appendChild(document.createTextNode("stored as study "));
  node.appendChild(el("code", { class: "study-id" }, id));
  node.appendChild(document.createTextNode(": list with "));
  node.appendChild(el("code", {}, `anpo studies${db}`));
  node.appendChild(document.createTextNode(", open with "));
  node.appendChild(el("code", {}, `anpo study show ${id}${db}`));
  node.appendChild(document.createTextNode(", rerun with "));
  node.appendChild(el("code", {}, `anpo study rerun ${id}${db}`));
  node.setAttribute("data-study", id);
}

// ---------------------------------------------------------------- levers

function renderLevers(kind, name) {
  $("levers").setAttribute("data-scenario", name);
  if (state.leverKind === kind) return; // the same kind: the values set stay
  state.leverKind = kind;
  const box = $("lever-controls");
  box.replaceChildren();
  const spec = state.kinds[kind];
  const levers = spec ? spec.levers : [];
  $("lever-btn").disabled = !levers.length;
  if (!levers.length) { box.appendChild(el("p", { class: "muted small" }, `kind ${kind} declares no levers`)); return; }
  for (const lv of levers) {
    const lab = el("label", { title: lv.description });
    lab.appendChild(el("span", { class: "lever-name" }, lv.name + (lv.unit ? ` (${lv.unit})` : "")));
    let input;
    if (lv.type === "bool" || lv.type === "choice") {
      input = el("select");
      const items = lv.type === "bool" ? [["true", "true"], ["false", "false"]]
        : lv.domain.map((v, i) => [String(i), String(v)]);
      fillSelect(input, [["", "as in the scenario"], ...items], "");
    } else {
      input = el("input", { type: "number", min: lv.domain[0], max: lv.domain[1],
        step: lv.type === "int" ? 1 : "any", placeholder: `${lv.domain[0]}–${lv.domain[1]}` });
    }
    input.setAttribute("data-lever", lv.name);
    lab.appendChild(input);
    lab.appendChild(el("small", { class: "muted" }, lv.description));
    box.appendChild(lab);
  }
}

function leverValues() {
  const spec = state.kinds[state.leverKind];
  const out = {};
  for (const input of document.querySelectorAll("#lever-controls [data-lever]")) {
    const v = input.value.trim();
    if (v === "") continue;
    const lv = spec.levers.find((l) => l.name === input.getAttribute("data-lever"));
    if (lv.type === "bool") out[lv.name] = v === "true";
    else if (lv.type === "choice") out[lv.name] = lv.domain[Number(v)];
    else out[lv.name] = Number(v);
  }
  return out;
}

async function compareLevers() {
  const levers = leverValues();
  const status = $("lever-status");
  if (!Object.keys(levers).length) {
    status.setAttribute("data-state", "failed");
    status.textContent = "set at least one lever";
    return;
  }
  const token = view.token;
  const body = { yaml: $("yaml").value, levers, trials: Number($("trials").value), seed: Number($("seed").value) };
  $("lever-btn").disabled = true;
  const res = await runJob("/api/studies/compare", body, status);
  $("lever-btn").disabled = false;
  if (!res) return;
  loadRuns(); // the base and the variant are stored runs now
  if (token !== view.token) {
    status.textContent += ": the scenario changed meanwhile, so the result is not shown (both runs are stored)";
    return;
  }
  $("lever-note").textContent = `${res.scenario} (${res.date}), ${res.trials.toLocaleString("en-US")} trials, seed ${res.seed}: ` +
    `base = run ${res.base_run.slice(0, 12)}; variant (${res.variant}) = run ${res.variant_run.slice(0, 12)}. ${res.note}`;
  showStudy($("lever-study"), res.study_id);
  const rows = res.rows.filter((r) => r.present === "both");
  $("lever-chart").replaceChildren(intervalChart(rows.map((r) => ({
    label: r.label ? `${r.outcome} · ${r.label}` : r.outcome, value: r.diff, lo: r.ci_low, hi: r.ci_high,
  })), { name: "lever-diff", title: "variant − base, with its paired 95% interval" }));
  table($("lever-table"), [
    ["outcome", "outcome"], ["label", "entry"], ["unit", "unit"],
    ["mean_a", "base", { num: true }], ["mean_b", "variant", { num: true }],
    ["diff", "variant − base", { num: true, cls: (r) => (r.z !== null && Math.abs(r.z) > 1.96 ? "sig" : "") }],
    [(r) => (r.ci_low === null ? "–" : `${fmt(r.ci_low)} – ${fmt(r.ci_high)}`), "95% interval"],
    [(r) => (r.se_paired === null ? null : 1.96 * r.se_paired), "± paired", { num: true }],
    [(r) => (r.se_independent === null ? null : 1.96 * r.se_independent), "± if independent", { num: true }],
    [(r) => (r.present === "both" ? "" : `only in ${r.present === "a" ? "base" : "variant"}`), "present"],
  ], res.rows);
  $("levers").setAttribute("data-result", res.scenario);
}

// ---------------------------------------------------------------- then and now

let thenNow = null;

function waterfall(row, res) {
  // then → + threat → + forces → + law → now: each factor's Shapley share as a step,
  // with its paired 95% interval at the step's end
  const steps = [{ label: `then (${res.then})`, total: true, from: 0, to: row.then }];
  let at = row.then;
  for (const f of res.factors) {
    steps.push({ label: f, from: at, to: at + row[f], ci: row[`${f}_ci95`], share: row[f] });
    at += row[f];
  }
  steps.push({ label: `now (${res.now})`, total: true, from: 0, to: row.now });
  const H = 260, left = 56;
  const root = svg("svg", { viewBox: `0 0 ${CW} ${H}`, "data-chart": "waterfall" });
  const vals = steps.flatMap((s) => [s.from, s.to, ...(s.ci ? [s.to - s.ci, s.to + s.ci] : [])]);
  let lo = Math.min(0, ...vals), hi = Math.max(0, ...vals);
  if (hi <= lo) hi = lo + 1;
  const Y = (v) => H - PAD.b - ((v - lo) / (hi - lo)) * (H - PAD.t - PAD.b);
  const slot = (CW - left - PAD.r) / steps.length;
  steps.forEach((s, i) => {
    const x = left + slot * i + slot * 0.2, w = slot * 0.6;
    const y0 = Y(Math.max(s.from, s.to)), y1 = Y(Math.min(s.from, s.to));
    const cls = s.total ? "wf-total" : (s.to >= s.from ? "wf-up" : "wf-down");
    const bar = root.appendChild(svg("rect", { x: x.toFixed(1), y: y0.toFixed(1), width: w.toFixed(1), height: Math.max(1, y1 - y0).toFixed(1), class: cls, "data-step": s.label }));
    bar.appendChild(svg("title", {}, s.total ? `${s.label}: ${fmt(s.to)}` : `${s.label}: ${s.share >= 0 ? "+" : ""}${fmt(s.share)} ± ${fmt(s.ci)}`));
    if (s.ci) root.appendChild(svg("line", { x1: x + w / 2, x2: x + w / 2, y1: Y(s.to - s.ci), y2: Y(s.to + s.ci), class: "ci" }));
    if (i + 1 < steps.length) root.appendChild(svg("line", { x1: x + w, x2: x + slot, y1: Y(s.to), y2: Y(s.to), class: "wf-link" }));
    root.appendChild(svg("text", { x: x + w / 2, y: H - PAD.b + 14, "text-anchor": "middle", class: "tick" }, s.label));
    const txt = s.total ? fmt(s.to) : `${s.share >= 0 ? "+" : ""}${fmt(s.share)}`;
    root.appendChild(svg("text", { x: x + w / 2, y: y0 - 4, "text-anchor": "middle", class: "tick" }, txt));
  });
  root.appendChild(svg("line", { x1: left, x2: CW - PAD.r, y1: Y(0), y2: Y(0), class: "axis" }));
  for (const t of niceTicks(lo, hi, 5)) root.appendChild(svg("text", { x: left - 4, y: Y(t) + 3, "text-anchor": "end", class: "tick" }, fmt(t)));
  root.appendChild(svg("text", { x: left, y: 12, class: "tick" }, `${row.outcome}: then → shares of threat, forces and law → now`));
  return root;
}

function drawThenNow() {
  const res = thenNow;
  if (!res) return;
  const row = res.attribution.find((r) => r.outcome === $("tn-outcome").value) || res.attribution[0];
  if (row) $("tn-chart").replaceChildren(waterfall(row, res));
}

async function showThenNow(ev) {
  if (ev) ev.preventDefault();
  const token = view.token;
  const body = { yaml: $("yaml").value, then: $("tn-then").value.trim(), trials: Number($("tn-trials").value), seed: Number($("seed").value) };
  $("tn-btn").disabled = true;
  const res = await runJob("/api/studies/then-and-now", body, $("tn-status"));
  $("tn-btn").disabled = false;
  if (!res) return;
  if (token !== view.token) {
    $("tn-status").textContent += ": the scenario changed meanwhile, so the result is not shown";
    return;
  }
  thenNow = res;
  const refused = Object.entries(res.refused).map(([k, v]) => `not resolved with ${k}: ${v}`).join("; ");
  showStudy($("tn-study"), res.study_id);
  $("tn-note").textContent = `${res.scenario}: ${res.then} against ${res.now}, ${res.trials.toLocaleString("en-US")} trials per mix, seed ${res.seed}. ${res.note}` + (refused ? ` ${refused}` : "");
  fillSelect($("tn-outcome"), res.attribution.map((r) => [r.outcome, r.outcome]), res.attribution[0] ? res.attribution[0].outcome : "");
  const share = (f) => [(r) => `${r[f] >= 0 ? "+" : ""}${fmt(r[f])} ± ${fmt(r[`${f}_ci95`])}`, f];
  table($("tn-table"), [
    ["outcome", "outcome"], ["then", `then (${res.then})`, { num: true }], ["now", `now (${res.now})`, { num: true }],
    [(r) => `${r.change >= 0 ? "+" : ""}${fmt(r.change)} ± ${fmt(r.change_ci95)}`, "change"],
    ...res.factors.map(share),
  ], res.attribution, { empty: "no attribution: some mixes could not be resolved (see the note)" });
  table($("tn-mixes"), [...res.factors.map((f) => [f, f]), ...res.outcomes.map((o) => [o, o, { num: true }])], res.combinations);
  drawThenNow();
  $("levers").setAttribute("data-then-now", res.scenario);
}

// ---------------------------------------------------------------- credibility

const ci = (c) => (c && c[0] !== null && c[1] !== null ? ` [${pct(c[0])} – ${pct(c[1])}]` : "");
const num2 = (x) => (x === null || x === undefined ? "–" : `${x >= 0 ? "+" : ""}${x.toFixed(2)}`);

async function showCredibility(ev) {
  if (ev) ev.preventDefault();
  const body = { date: $("cred-date").value.trim() || "today", trials: Number($("cred-trials").value),
    draws: Number($("cred-draws").value), seed: Number($("seed").value) };
  $("cred-btn").disabled = true;
  const res = await runJob("/api/studies/credibility", body, $("cred-status"));
  $("cred-btn").disabled = false;
  if (!res) return;
  $("cred-caveat").textContent = `On ${res.date}, ${res.trials.toLocaleString("en-US")} trials per run and ` +
    `${res.draws.toLocaleString("en-US")} draws, seed ${res.seed}: every number holds only ${res.caveat}.`;
  const o = res.overall;
  const cards = [];
  if ("capability" in o) {
    cards.push(card("Capability (weighted)", pct(o.capability), [`95%${ci(o.capability_ci95)}`, "share of trials meeting each objective, weighted"]));
    cards.push(card("Credibility (weighted)", pct(o.credibility), [`95%${ci(o.credibility_ci95)}`, "capability × willingness"]));
    cards.push(card("Deterrence margin", num2(o.margin), [`95% [${num2(o.margin_ci95[0])} – ${num2(o.margin_ci95[1])}]`, "negative deters"]));
    cards.push(card("P(deters)", pct(o.p_deters), ["share of draws with a negative margin"]));
  }
  $("cred-cards").replaceChildren(...cards);
  const ok = res.scenarios.filter((s) => !s.refused);
  const items = ok.flatMap((s) => [
    { label: `${s.scenario}: capability`, value: s.capability, lo: s.capability_ci95[0], hi: s.capability_ci95[1] },
    { label: `${s.scenario}: credibility`, value: s.credibility, lo: s.credibility_ci95[0], hi: s.credibility_ci95[1] },
  ]);
  $("cred-chart").replaceChildren(intervalChart(items, { name: "credibility", fmt: pct, range: [0, 1],
    title: "per objective: capability and credibility, with 95% intervals" }));
  table($("cred-table"), [
    [(s) => `${s.scenario} (${s.form || "–"})`, "scenario (form)"],
    [(s) => `${s.weight} (${s.weight_label})`, "weight"],
    [(s) => (s.refused ? `not resolved: ${s.refused}` : s.objective.title), "objective"],
    [(s) => (s.refused ? "" : `${pct(s.capability)}${ci(s.capability_ci95)}`), "capability"],
    [(s) => (s.refused ? "" : `${pct(s.credibility)}${ci(s.credibility_ci95)}`), "credibility"],
    [(s) => (s.refused ? "" : `${num2(s.margin)} [${num2(s.margin_ci95[0])} – ${num2(s.margin_ci95[1])}]`), "margin"],
    [(s) => (s.refused ? "" : pct(s.p_deters)), "P(deters)"],
  ], res.scenarios);
  const parties = ok.flatMap((s) => s.parties.map((p) => Object.assign({ scenario: s.scenario }, p)));
  table($("cred-parties"), [
    ["scenario", "scenario"], ["party", "party"],
    [(p) => `${p.gate.status}${p.gate.forced ? " (forced)" : ""}`, "legal gate", { cls: (p) => `st-${p.gate.status}` }],
    [(p) => (!p.gate.open ? "removed (gate closed)" : (!p.modelled ? "not modelled"
      : (p.contribution === null ? "" : `${(100 * p.contribution).toFixed(1)} ± ${(196 * (p.contribution_se || 0)).toFixed(1)} pts`))), "contribution"],
    [(p) => `${pct(p.willingness)}${ci(p.willingness_ci95)}`, "willingness"],
    [(p) => `${pct(p.credibility)}${ci(p.credibility_ci95)}`, "capability × willingness"],
    [(p) => p.gate.condition || "", "on what conditions"],
  ], parties);
  table($("cred-assumptions"), [
    ["key", "assumption"], ["label", "label", { cls: () => "kind-assumption" }],
    ["low", "low", { num: true }], ["nominal", "nominal", { num: true }], ["high", "high", { num: true }],
    ["unit", "unit"], ["record", "kb record"], ["reasoning", "reasoning"],
  ], res.assumptions);
  table($("cred-indicators"), [
    ["party", "party"], ["year", "year"], ["what", "indicator"],
    [(r) => `${r.value}${r.unit ? ` ${r.unit}` : ""}`, "value"], ["label", "label", { cls: () => "kind-fact" }],
    ["source", "source", { link: (r) => r.url }],
  ], res.indicators);
  $("credibility").setAttribute("data-date", res.date);
}

// ---------------------------------------------------------------- law & timeline

let events = [];

function timelineChart(evs, kinds, day) {
  const used = kinds.filter((k) => evs.some((e) => e.kind === k));
  const h = 30 + 22 * used.length + 24;
  const root = svg("svg", { viewBox: `0 0 ${CW * 2} ${h}`, "data-chart": "timeline" });
  const year = (s) => { const d = new Date(s + "T00:00:00Z"); return d.getUTCFullYear() + d.getUTCMonth() / 12 + (d.getUTCDate() - 1) / 365; };
  const y0 = Math.floor(Math.min(...evs.map((e) => year(e.date))) / 5) * 5;
  const y1 = Math.ceil((Math.max(...evs.map((e) => year(e.date))) + 0.5) / 5) * 5;
  const left = 110, W = CW * 2 - left - 10;
  const X = (y) => left + ((y - y0) / (y1 - y0)) * W;
  used.forEach((k, i) => {
    const y = 20 + 22 * i;
    root.appendChild(svg("text", { x: left - 6, y: y + 4, "text-anchor": "end", class: "tick" }, k));
    root.appendChild(svg("line", { x1: left, x2: left + W, y1: y, y2: y, class: "axis", "stroke-opacity": 0.25 }));
    for (const e of evs.filter((ev) => ev.kind === k)) {
      const c = root.appendChild(svg("circle", { cx: X(year(e.date)).toFixed(1), cy: y, r: 5, class: "ev", fill: `hsl(${(i * 67) % 360},55%,45%)`, "data-id": e.id }));
      c.appendChild(svg("title", {}, `${e.date}: ${e.title}`));
      c.addEventListener("click", () => { $("event-detail").textContent = `${e.date} — ${e.title}: ${e.summary}`; });
    }
  });
  const base = 20 + 22 * used.length;
  for (let y = y0; y <= y1; y += 5) root.appendChild(svg("text", { x: X(y), y: base + 12, "text-anchor": "middle", class: "tick" }, y));
  if (day) {
    const x = X(year(day));
    root.appendChild(svg("line", { x1: x, x2: x, y1: 8, y2: base, class: "today" }));
    root.appendChild(svg("text", { x: x + 4, y: 10, class: "tick" }, day));
  }
  return root;
}

async function showLaw(ev) {
  if (ev) ev.preventDefault();
  const date = $("law-date").value.trim() || "today";
  let res;
  try { res = await api(`/api/law?date=${encodeURIComponent(date)}`); } catch (e) {
    $("event-detail").textContent = e.message; $("law-table").replaceChildren(); return;
  }
  const rows = $("law-all").checked ? res.answers : res.answers.filter((a) => a.status !== "no_basis");
  table($("law-table"), [
    ["situation", "situation"], ["action", "action"], ["party", "party"],
    ["status", "status", { cls: (r) => `st-${r.status}` }], ["condition", "condition"],
    [(r) => r.citations.join("; "), "citations"],
  ], rows, { empty: "no party has a legal basis for any action on this date" });
  if (!events.length) events = (await api("/api/timeline")).events;
  const kinds = [...new Set(events.map((e) => e.kind))];
  const tl = timelineChart(events, kinds, res.date);
  $("timeline").replaceChildren(tl);
  const before = events.filter((e) => e.date <= res.date);
  const last = before[before.length - 1];
  $("event-detail").textContent = `Law on ${res.date}: ${rows.length} answers shown of ${res.answers.length}. ` +
    (last ? `Latest event by then: ${last.date} — ${last.title}. ` : "") + "Click an event for its summary.";
}

// ---------------------------------------------------------------- start

async function init() {
  setupLayerToggles();
  $("scenario-form").addEventListener("submit", startRun);
  $("yaml").addEventListener("input", () => onYamlChanged(false, newScenarioView()));
  $("date").addEventListener("change", () => {
    $("yaml").value = setYamlDate($("yaml").value, $("date").value.trim());
    onYamlChanged(true, newScenarioView());
  });
  $("scenario-pick").addEventListener("change", () =>
    pickScenario($("scenario-pick").value, newScenarioView()));
  $("run-pick").addEventListener("change", () => showRun($("run-pick").value));
  $("outcome-pick").addEventListener("change", drawCharts);
  $("cmp-btn").addEventListener("click", compareRuns);
  $("law-form").addEventListener("submit", showLaw);
  $("lever-btn").addEventListener("click", compareLevers);
  $("tn-form").addEventListener("submit", showThenNow);
  $("tn-outcome").addEventListener("change", drawThenNow);
  $("cred-form").addEventListener("submit", showCredibility);
  const [health, list, outlines, kinds] = await Promise.all([
    api("/api/health"), api("/api/scenarios"), api("/api/map/outlines"), api("/api/kinds")]);
  state.kinds = Object.fromEntries(kinds.kinds.map((k) => [k.kind, k]));
  state.db = health.db;
  $("trials").max = health.limits.max_trials;
  state.outlines = outlines;
  state.scenarios = list.scenarios.filter((s) => s.ok);
  fillSelect($("scenario-pick"), state.scenarios.map((s) => [s.name, `${s.name} (${s.kind}, ${s.date})`]),
    state.scenarios[0] && state.scenarios[0].name);
  await loadKbLayers("today");
  drawMap();
  const runs = await loadRuns();
  setStatus(`anpo ${health.version} · knowledge base as of ${health.kb_as_of} · store ${health.db} · ` +
    `${runs.length} stored run(s) · limits: ${health.limits.max_trials.toLocaleString("en-US")} trials, ` +
    `${health.limits.max_concurrent_runs} runs at once`);
  if (state.scenarios.length) await pickScenario(state.scenarios[0].name, newScenarioView());
  if (runs.length) await showRun(runs[0].run_id);
  document.body.setAttribute("data-ready", "true");
}

init().catch((e) => setStatus(`error: ${e.message}`));
