// MoLE console, finetuning: the run list with a progress bar per seed, the loss-curve chart, the comparison of finished
// runs and the start form. Uses el(), api(), num(), when() and startRun() from console.js; like it, puts API text in
// through textContent only.
// Everything here is inside one function: console.js's functions are globals, and a name declared again here (both
// files have runs to render) would silently replace its.
(() => {
"use strict";

const FT_POLL_RUNNING_MS = 1500;
const FT_POLL_IDLE_MS = 10000;
const FT_MAX_DETAILS = 10;  // running runs whose seeds are fetched each poll; older ones show their counts only
const SVG_NS = "http://www.w3.org/2000/svg";
const SEED_COLORS = ["#2f6fdf", "#e0672f", "#1f8a4c", "#8a5cf6", "#c0392b", "#0f8fa3", "#b58900", "#6b7280"];
const CHART = {width: 720, height: 260, left: 56, right: 16, top: 12, bottom: 30};

const ft = {
  details: new Map(),   // runId -> last detail fetched
  pending: new Set(),   // run ids started here that the list does not show yet
  selected: null,       // run id drawn in the chart
  pollTimer: null,
};

function ftError(message) {
  const box = document.getElementById("finetune-error");
  box.textContent = message;
  box.hidden = !message;
}

function isNumber(x) {
  return typeof x === "number" && Number.isFinite(x);
}

function fixed(x, digits) {
  return isNumber(x) ? x.toFixed(digits) : "–";
}

function duration(seconds) {
  if (!isNumber(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return s + " s";
  if (s < 3600) return Math.floor(s / 60) + " min " + (s % 60) + " s";
  return Math.floor(s / 3600) + " h " + Math.floor((s % 3600) / 60) + " min";
}

// ---- run list -------------------------------------------------------------------------------------------------------

function seedBar(seed) {
  const fill = el("div", {class: "progress-fill"});
  let label;
  let value = null;
  if (seed.status === "RUNNING") {
    const p = seed.progress;
    const fraction = p.totalSteps > 0 ? Math.min(1, p.step / p.totalSteps) : 0;
    value = Math.round(fraction * 100);
    fill.style.width = (fraction * 100).toFixed(1) + "%";
    const retry = seed.live && seed.live.attempt > 1 ? " · attempt " + seed.live.attempt : "";
    label = p.phase + " " + num(p.step) + "/" + num(p.totalSteps) + " · loss " + fixed(p.loss, 4)
        + " · lr " + (isNumber(p.learningRate) ? p.learningRate.toExponential(1) : "–")
        + " · " + num(Math.round(p.tokensPerSecond || 0)) + " tok/s · ETA " + duration(p.etaSeconds) + retry;
  } else if (seed.status === "COMPLETED") {
    fill.classList.add("done");
    fill.style.width = "100%";
    value = 100;
    label = "done · " + num(seed.result.steps) + " steps · loss " + fixed(seed.result.finalTrainLoss, 4);
  } else if (seed.status === "FAILED") {
    fill.classList.add("failed");
    fill.style.width = "100%";
    label = "failed: " + (seed.error || "");
  } else {
    fill.classList.add("unknown");
    label = "waiting for a GPU worker";
  }
  return el("div", {class: "seed-progress", "data-seed": seed.seed, "data-status": seed.status},
      el("span", {class: "seed-name"}, "seed " + seed.seed),
      el("div", {class: "progress-track", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
        "aria-valuenow": value}, fill),
      el("span", {class: "seed-label"}, label));
}

function seedsCell(run) {
  const detail = ft.details.get(run.runId);
  if (!detail || run.status !== "RUNNING") {
    const done = run.status === "COMPLETED";
    return el("div", {class: "muted"}, done ? "all seeds done"
        : run.status === "FAILED" ? (run.error || "failed") : "…");
  }
  return el("div", {class: "seed-bars"}, detail.seeds.map(seedBar),
      detail.seedsWaiting > 0 ? el("div", {class: "muted"}, detail.seedsWaiting + " queued on the GPU queue") : null);
}

function methodLabel(run) {
  if (!run.method) return "–";
  return run.method + (run.variant ? " " + run.variant : "");
}

function renderFinetunes(runs) {
  const body = document.querySelector("#finetunes-table tbody");
  body.replaceChildren(...runs.map(run => {
    const row = el("tr", {"data-run-id": run.runId, "data-status": run.status,
        class: run.runId === ft.selected ? "selected" : null, title: "show this run's loss curves"},
        el("td", {}, el("div", {class: "run-name"}, run.name || "finetune"),
            el("div", {class: "run-id", title: run.runId}, run.runId.replace(/^finetune-/, "").slice(0, 8))),
        el("td", {class: "method"}, methodLabel(run)),
        el("td", {}, el("span", {class: "badge badge-" + run.status}, run.status)),
        el("td", {class: "num seeds-done"}, num(run.seedsDone) + "/" + num(run.seedsTotal)),
        el("td", {}, seedsCell(run)),
        el("td", {class: "when", title: run.startedAt || ""}, when(run.startedAt)));
    row.addEventListener("click", () => selectRun(run.runId));
    return row;
  }));
  document.getElementById("finetunes-table").hidden = runs.length === 0;
  document.getElementById("finetunes-empty").hidden = runs.length > 0;
}

async function fetchDetail(runId) {
  const detail = await api("/api/finetunes/" + encodeURIComponent(runId));
  ft.details.set(runId, detail);
  return detail;
}

async function refreshFinetunes() {
  const listed = await api("/api/finetunes?limit=20");
  const listedIds = new Set(listed.map(r => r.runId));
  for (const id of [...ft.pending]) if (listedIds.has(id)) ft.pending.delete(id);
  const pending = await Promise.all([...ft.pending].map(id => fetchDetail(id).then(d => d.run).catch(() => {
    ft.pending.delete(id);
    return null;
  })));
  const runs = pending.filter(r => r !== null).concat(listed);
  // Seeds are fetched for running runs only: a finished run's detail does not change once it is loaded.
  const running = runs.filter(r => r.status === "RUNNING" && !ft.pending.has(r.runId)).slice(0, FT_MAX_DETAILS);
  await Promise.all(running.map(r => fetchDetail(r.runId)));
  if (!ft.selected && runs.length) ft.selected = runs[0].runId;
  const selected = runs.find(r => r.runId === ft.selected);
  const cached = ft.details.get(ft.selected);
  if (selected && (!cached || cached.run.status !== selected.status || cached.run.seedsDone !== selected.seedsDone)) {
    await fetchDetail(ft.selected);
  }
  renderFinetunes(runs);
  renderChart();
  renderComparison(listed.filter(r => r.status === "COMPLETED" && r.summary));
  return runs;
}

function selectRun(runId) {
  ft.selected = runId;
  document.querySelectorAll("#finetunes-table tbody tr").forEach(tr =>
      tr.classList.toggle("selected", tr.getAttribute("data-run-id") === runId));
  (ft.details.has(runId) ? Promise.resolve() : fetchDetail(runId))
      .then(renderChart)
      .catch(e => ftError("Cannot load run " + runId + ": " + e.message));
}

// ---- loss-curve chart -----------------------------------------------------------------------------------------------

function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function fillSelect(select, values, labels) {
  const current = select.value;
  const known = [...select.options].map(o => o.value);
  if (known.length === values.length && known.every((v, i) => v === values[i])) return;
  select.replaceChildren(...values.map((v, i) => el("option", {value: v}, labels ? labels[i] : v)));
  if (values.includes(current)) select.value = current;
}

// Ticks at round numbers: 1, 2 or 5 times a power of ten, about `count` of them.
function ticks(min, max, count) {
  const span = max - min || 1;
  const raw = span / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map(m => m * power).find(s => s >= raw);
  const out = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function renderChart() {
  const host = document.getElementById("loss-chart");
  const detail = ft.details.get(ft.selected);
  const seeds = detail ? detail.seeds : [];
  const phases = [...new Set(seeds.flatMap(s => Object.keys(s.lossCurves || {})))].sort();
  const phaseSelect = document.getElementById("chart-phase");
  fillSelect(phaseSelect, phases);
  const phase = phaseSelect.value || phases[0];
  const lines = seeds.map((s, i) => ({seed: s.seed, status: s.status, color: SEED_COLORS[i % SEED_COLORS.length],
    points: (s.lossCurves || {})[phase] || [], validation: (s.validationCurves || {})[phase] || []}))
      .filter(l => l.points.length > 0 || l.validation.length > 0);
  const keys = [...new Set(lines.flatMap(l => l.validation.flatMap(v => Object.keys(v.loss))))].sort(byKey);
  const validationSelect = document.getElementById("chart-validation");
  fillSelect(validationSelect, [""].concat(keys), ["none"].concat(keys));
  const key = validationSelect.value;

  document.getElementById("chart-run").textContent = detail ? "· " + (detail.run.name || detail.run.runId) : "";
  document.getElementById("chart-empty").hidden = lines.length > 0;
  if (lines.length === 0) {
    host.replaceChildren();
    return;
  }
  const valuesOf = l => l.points.map(p => [p.step, p.loss])
      .concat(key ? l.validation.filter(v => isNumber(v.loss[key])).map(v => [v.step, v.loss[key]]) : []);
  const all = lines.flatMap(valuesOf);
  const maxStep = Math.max(1, ...all.map(v => v[0]));
  let lo = Math.min(...all.map(v => v[1]));
  let hi = Math.max(...all.map(v => v[1]));
  const pad = (hi - lo) * 0.06 || Math.abs(hi) * 0.05 || 0.5;
  lo -= pad;
  hi += pad;
  const w = CHART.width - CHART.left - CHART.right;
  const h = CHART.height - CHART.top - CHART.bottom;
  const x = step => CHART.left + w * step / maxStep;
  const y = loss => CHART.top + h * (1 - (loss - lo) / (hi - lo));

  const grid = ticks(lo, hi, 4).flatMap(t => [
    svg("line", {class: "grid", x1: CHART.left, x2: CHART.left + w, y1: y(t), y2: y(t)}),
    svg("text", {class: "tick y-tick", x: CHART.left - 6, y: y(t) + 4, "text-anchor": "end"}, t.toFixed(2))]);
  const steps = ticks(0, maxStep, 6).filter(t => Number.isInteger(t)).map(t =>
    svg("text", {class: "tick x-tick", x: x(t), y: CHART.top + h + 18, "text-anchor": "middle"}, num(t)));
  const curves = lines.filter(l => l.points.length > 0).map(l => svg("path", {
    class: "curve", "data-seed": l.seed, "data-points": l.points.length, stroke: l.color,
    d: l.points.map((p, i) => (i ? "L" : "M") + x(p.step).toFixed(1) + "," + y(p.loss).toFixed(1)).join(" ")}));
  const marks = key ? lines.flatMap(l => l.validation.filter(v => isNumber(v.loss[key])).map(v =>
    svg("circle", {class: "validation-point", "data-seed": l.seed, "data-step": v.step, cx: x(v.step),
      cy: y(v.loss[key]), r: 4, stroke: l.color},
        svg("title", {}, "seed " + l.seed + " · step " + v.step + " · validation " + key + " " + v.loss[key].toFixed(4)))))
    : [];
  host.replaceChildren(
      svg("svg", {viewBox: "0 0 " + CHART.width + " " + CHART.height, class: "loss-chart", role: "img",
        "aria-label": "training loss by optimiser step, one line per seed"},
          grid, steps,
          svg("line", {class: "axis", x1: CHART.left, x2: CHART.left, y1: CHART.top, y2: CHART.top + h}),
          svg("line", {class: "axis", x1: CHART.left, x2: CHART.left + w, y1: CHART.top + h, y2: CHART.top + h}),
          svg("text", {class: "axis-label", x: CHART.left + w, y: CHART.height - 2, "text-anchor": "end"}, "step"),
          curves, marks),
      el("div", {class: "chart-legend"}, lines.map(l => el("span", {class: "legend-item", "data-seed": l.seed},
          el("span", {class: "swatch", style: "background:" + l.color}),
          "seed " + l.seed + (l.status === "RUNNING" ? " (running)" : "")))));
}

// ---- comparison -----------------------------------------------------------------------------------------------------

// "all" first, then languages alphabetically.
function byKey(a, b) {
  return (a === "all" ? -1 : b === "all" ? 1 : a.localeCompare(b));
}

// PER_LANG trains one adapter per language and validates each on its own language: its keys are "python/python" (and
// "python/all", the same samples). Both name the column "python", so the methods line up.
function columns(summary) {
  const out = {};
  for (const [key, spread] of Object.entries(summary)) {
    const [run, lang] = key.includes("/") ? key.split("/", 2) : [null, key];
    if (run === null) out[key] = spread;
    else if (run === lang) out[lang] = spread;
  }
  return out;
}

function renderComparison(runs) {
  const table = document.getElementById("comparison-table");
  const rows = runs.map(r => ({run: r, cells: columns(r.summary)}));
  const keys = [...new Set(rows.flatMap(r => Object.keys(r.cells)))].sort(byKey);
  const best = {};
  for (const k of keys) best[k] = Math.min(...rows.filter(r => r.cells[k]).map(r => r.cells[k].mean));
  table.replaceChildren(
      el("thead", {}, el("tr", {}, el("th", {}, "Run"), el("th", {}, "Method"), el("th", {class: "num"}, "Seeds"),
          keys.map(k => el("th", {class: "num", "data-key": k}, k)))),
      el("tbody", {}, rows.map(({run, cells}) => el("tr", {"data-run-id": run.runId},
          el("td", {class: "run-name"}, run.name || run.runId),
          el("td", {class: "method"}, methodLabel(run)),
          el("td", {class: "num"}, num(run.seedsTotal)),
          keys.map(k => {
            const s = cells[k];
            if (!s) return el("td", {class: "num muted", "data-key": k}, "–");
            return el("td", {class: "num" + (s.mean === best[k] ? " best" : ""), "data-key": k,
              title: s.n + " seeds · min " + fixed(s.min, 4) + " · max " + fixed(s.max, 4)},
                fixed(s.mean, 4) + " ± " + fixed(s.std, 4));
          })))));
  table.hidden = rows.length === 0;
  document.getElementById("comparison-empty").hidden = rows.length > 0;
}

// ---- form -----------------------------------------------------------------------------------------------------------

// Whole numbers go as numbers; anything else is sent as typed, and the API's answer says what is wrong with it.
function seedList(text) {
  return text.split(/[\s,]+/).filter(t => t).map(t => /^-?\d+$/.test(t) ? Number(t) : t);
}

function finetuneRequest(form) {
  const value = name => form.elements[name].value.trim();
  const request = {dataset: value("dataset"), baseCheckpoint: value("baseCheckpoint"), method: value("method")};
  for (const name of ["name", "variant", "init", "precision"]) if (value(name)) request[name] = value(name);
  if (value("seeds")) request.seeds = seedList(value("seeds"));
  form.querySelectorAll("[data-hyper]").forEach(input => {
    const v = input.value.trim();
    if (v) request[input.name] = Number.isNaN(Number(v)) ? v : Number(v);
  });
  return request;
}

// Variant and init mean nothing to full finetuning and to no finetuning.
function methodChanged() {
  const method = document.getElementById("ft-method").value;
  const adapters = method !== "FULL_FT" && method !== "NO_FT";
  const variant = document.getElementById("ft-variant");
  variant.disabled = !adapters;
  variant.placeholder = method === "MOLE" ? "48+16" : adapters ? "64" : "none";
  if (!adapters) variant.value = "";
  const init = document.getElementById("ft-init");
  init.disabled = !adapters;
  if (!adapters) init.value = "";
}

async function startFinetune(event) {
  event.preventDefault();
  const runId = await startRun("/api/finetunes", finetuneRequest(event.target),
      document.getElementById("ft-form-status"), document.getElementById("ft-start-button"));
  if (runId) {
    ft.pending.add(runId);
    ft.selected = runId;
    await ftPoll();
  }
}

async function fillFormChoices() {
  const [hyper, datasets] = await Promise.all([api("/api/finetunes/defaults"), api("/api/datasets")]);
  document.querySelectorAll("#finetune-form [data-hyper]").forEach(input => {
    const v = hyper[input.getAttribute("data-hyper")];
    input.placeholder = (input.getAttribute("data-hyper") === "learningRate" ? Number(v).toExponential(0) : String(v))
        + " (paper)";
  });
  document.getElementById("ft-dataset-options").replaceChildren(...datasets.map(d =>
      el("option", {value: d.datasetId}, d.name + " · " + num(d.keptRows) + " rows")));
}

// ---- polling --------------------------------------------------------------------------------------------------------

async function ftPoll() {
  clearTimeout(ft.pollTimer);
  let next = FT_POLL_IDLE_MS;
  try {
    const runs = await refreshFinetunes();
    next = runs.some(r => r.status === "RUNNING") ? FT_POLL_RUNNING_MS : FT_POLL_IDLE_MS;
    ftError("");
  } catch (e) {
    ftError("Cannot load finetuning runs: " + e.message);
  }
  ft.pollTimer = setTimeout(ftPoll, next);
}

function initFinetunes() {
  document.getElementById("finetune-form").addEventListener("submit", startFinetune);
  document.getElementById("ft-method").addEventListener("change", methodChanged);
  document.getElementById("chart-phase").addEventListener("change", renderChart);
  document.getElementById("chart-validation").addEventListener("change", renderChart);
  methodChanged();
  fillFormChoices().catch(e => ftError("Cannot load the form's choices: " + e.message));
  ftPoll();
}

initFinetunes();
})();
