// MoLE console, evaluation: the list of HumanEvalPack evaluations, one evaluation's Pass@1 table, translation heat map and
// forced-routing matrix, the samples behind any cell down to each generated token's expert, and the start form. Uses
// el(), api(), num(), when() and startRun() from console.js; like it, puts API text in through textContent only.
// Inside one function for the same reason as finetunes.js: the other files' top-level names are globals.
(() => {
"use strict";

const EV_POLL_RUNNING_MS = 1500;
const EV_POLL_IDLE_MS = 10000;
const EV_PAGE = 20;
const SVG_NS = "http://www.w3.org/2000/svg";

// HumanEvalPack's six in the platform's language order (Language.humanEvalPack()), and the eight experts (its ordinals).
const HEP = ["cpp", "go", "java", "javascript", "python", "rust"];
const EXPERTS = ["c", "cpp", "csharp", "go", "java", "javascript", "python", "rust"];
const NAMES = {c: "C", cpp: "C++", csharp: "C#", go: "Go", java: "Java", javascript: "JS", python: "Python",
  rust: "Rust", nl: "NL"};
const KINDS = [
  {kind: "SYNTHESIS", label: "Synthesis"},
  {kind: "EXPLAIN_SYNTHESIS", label: "Explain"},
  {kind: "TRANSLATION", label: "Translation"},
];
// Light enough that the token text stays readable on every one, distinct enough to tell neighbours apart.
const ROUTE_COLORS = {nl: "#e3e6eb", c: "#d9d2f5", cpp: "#f7cfe0", csharp: "#d3efcf", go: "#c6eef3", java: "#f6e2b3",
  javascript: "#fff0a0", python: "#cadffd", rust: "#fdd5bf"};
const HEAT = {cell: 58, rowHead: 64, colHead: 34, gap: 2};

const ev = {
  pending: new Set(),  // ids started here that the list does not show yet
  selected: null,      // evaluation id shown in the detail panel
  detail: null,        // its last detail
  resultsKey: null,    // what the results were drawn for: redrawn only when it changes, so a drill-down stays open
  drill: null,         // {title, query, verdict, offset} of the samples listed
  pollTimer: null,
};

function evError(message) {
  const box = document.getElementById("evaluation-error");
  box.textContent = message;
  box.hidden = !message;
}

function name(id) {
  return NAMES[id] || id;
}

function pct(p) {
  return typeof p === "number" && Number.isFinite(p) ? (100 * p).toFixed(1) : "–";
}

// Red (0) through yellow to green (100 %), lightest at 0 so that empty-looking cells read as bad, not as missing.
function heat(p) {
  return "hsl(" + (120 * p).toFixed(0) + ", 65%, " + (88 - 28 * p).toFixed(0) + "%)";
}

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

function badge(status) {
  return el("span", {class: "badge badge-" + status}, status);
}

function forced(score) {
  return score.routing.startsWith("forced:");
}

function mean(values) {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

// ---- list -----------------------------------------------------------------------------------------------------------

function modelLabel(run) {
  if (!run.model) return "–";
  // A manifest URI is long; its run and seed folders are what tell two apart.
  const m = run.model.match(/([^/]+\/[^/]+)\/manifest\.json$/);
  return m ? m[1] : run.model;
}

function renderList(runs) {
  const body = document.querySelector("#evaluations-table tbody");
  body.replaceChildren(...runs.map(run => {
    const headline = run.headline || {};
    const row = el("tr", {"data-evaluation-id": run.evaluationId, "data-status": run.status,
        class: run.evaluationId === ev.selected ? "selected" : null, title: "show this evaluation"},
        el("td", {}, el("div", {class: "run-name"}, run.name || "evaluation"),
            el("div", {class: "run-id", title: run.evaluationId}, run.evaluationId.slice(0, 8))),
        el("td", {class: "model", title: run.model || ""}, modelLabel(run)),
        el("td", {}, badge(run.status), run.status === "RUNNING" ? el("div", {class: "mini-progress"},
            el("div", {class: "progress-track"}, el("div", {class: "progress-fill unknown"}))) : null),
        KINDS.map(k => {
          const h = headline[k.kind];
          return el("td", {class: "num headline" + (h ? "" : " muted"), "data-kind": k.kind,
            title: h ? h.cells + " cells · " + num(h.passed) + "/" + num(h.total) + " passed · " + h.routing : null},
              h ? pct(h.passAt1) : "–");
        }),
        el("td", {class: "when", title: run.startedAt || ""}, when(run.startedAt)));
    row.addEventListener("click", () => select(run.evaluationId));
    return row;
  }));
  document.getElementById("evaluations-table").hidden = runs.length === 0;
  document.getElementById("evaluations-empty").hidden = runs.length > 0;
}

// ---- one evaluation ---------------------------------------------------------------------------------------------------

function settingsLine(r) {
  if (!r) return "settings not recorded yet";
  const kinds = r.kinds.map(k => (KINDS.find(x => x.kind === k) || {label: k}).label.toLowerCase());
  if (r.specialisation) kinds.push("forced-routing matrix");
  const parts = [kinds.join(", "), r.languages.map(name).join(" ")];
  if (r.kinds.includes("TRANSLATION")) parts.push(r.pairs.length + " pairs (" + r.translationRouting + ")");
  parts.push((r.limit ? r.limit : 164) + " tasks per language", "routing " + r.routing,
      r.temperature === 0 ? "greedy" : "T " + r.temperature + " · top-p " + r.topP + " · " + r.samples + " samples",
      num(r.maxNewTokens) + " new tokens");
  if (r.oracle !== "none") parts.push("oracle " + r.oracle);
  return parts.join(" · ");
}

function liveLabel(live) {
  if (!live) return "queued";
  if (live.workflowStatus === "unknown") return "recorded as running, but Temporal does not know its workflow";
  const parts = [live.phase];
  if (live.samplesGenerated > 0) parts.push(num(live.samplesGenerated) + " samples generated");
  const waiting = live.activities.filter(a => a.state === "scheduled").length;
  const started = live.activities.length - waiting;
  if (started > 0) parts.push(started + " running");
  if (waiting > 0) parts.push(waiting + " waiting for a worker");
  const retry = live.activities.find(a => a.lastFailure);
  if (retry) parts.push("retrying after: " + retry.lastFailure);
  return parts.join(" · ");
}

function renderHead(detail) {
  const run = detail.evaluation;
  document.getElementById("ev-name").textContent = "· " + (run.name || run.evaluationId.slice(0, 12));
  const rows = [
    el("div", {class: "ev-meta"}, badge(run.status), " ",
        el("span", {class: "mono", title: run.evaluationId}, run.evaluationId.slice(0, 16)), " · ",
        run.model || "model not recorded yet", run.base ? " · base " + run.base : "", " · started ", when(run.startedAt),
        run.finishedAt ? " · finished " + when(run.finishedAt) : ""),
    el("div", {class: "ev-settings"}, settingsLine(detail.request)),
  ];
  if (run.status === "RUNNING") {
    rows.push(el("div", {class: "progress ev-progress"},
        el("div", {class: "progress-track", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100"},
            el("div", {class: "progress-fill unknown"})),
        el("span", {class: "progress-label ev-phase"}, liveLabel(detail.live))));
  }
  if (run.status === "FAILED") rows.push(el("div", {class: "run-error ev-error"}, run.error || "failed"));
  document.getElementById("ev-head").replaceChildren(...rows);
}

// Table rows are languages, columns the task kinds; a translation column is the target language's mean over sources.
function scoreTable(scores) {
  const plain = scores.filter(s => !forced(s));
  const kinds = KINDS.filter(k => plain.some(s => s.kind === k.kind));
  if (kinds.length === 0) return null;
  const value = (kind, lang) => {
    const cells = plain.filter(s => s.kind === kind && s.language === lang);
    return cells.length ? {passAt1: mean(cells.map(s => s.passAt1)), passed: cells.reduce((a, s) => a + s.passed, 0),
      total: cells.reduce((a, s) => a + s.total, 0), routing: cells[0].routing, sources: cells.length} : null;
  };
  const langs = HEP.filter(l => kinds.some(k => value(k.kind, l)));
  const best = {};
  for (const k of kinds) best[k.kind] = Math.max(...langs.map(l => value(k.kind, l)).filter(v => v).map(v => v.passAt1));
  const routingOf = k => (plain.find(s => s.kind === k.kind) || {}).routing;
  return el("table", {id: "ev-score-table", class: "comparison ev-scores"},
      el("thead", {}, el("tr", {}, el("th", {}, "Language"), kinds.map(k => el("th", {class: "num", "data-kind": k.kind,
        title: k.kind === "TRANSLATION" ? "into this language, mean over source languages" : null},
          k.label + (k.kind === "TRANSLATION" ? " (into)" : ""), el("span", {class: "hint"}, " " + routingOf(k)))))),
      el("tbody", {}, langs.map(l => el("tr", {"data-language": l}, el("td", {class: "lang"}, name(l)),
          kinds.map(k => {
            const v = value(k.kind, l);
            if (!v) return el("td", {class: "num muted", "data-kind": k.kind}, "–");
            const cell = el("td", {class: "num clickable" + (v.passAt1 === best[k.kind] ? " best" : ""),
              "data-kind": k.kind, "data-language": l, "data-pass-at-1": v.passAt1,
              title: num(v.passed) + "/" + num(v.total) + " passed" + (v.sources > 1 ? " over " + v.sources + " sources" : "")
                  + " · click for its samples"}, pct(v.passAt1));
            cell.addEventListener("click", () => drill(k.label + " · " + name(l),
                {kind: k.kind, language: l, routing: v.routing}));
            return cell;
          })))),
      el("tfoot", {}, el("tr", {}, el("td", {}, "Mean"), kinds.map(k => el("td", {class: "num", "data-kind": k.kind},
          pct(mean(langs.map(l => value(k.kind, l)).filter(v => v).map(v => v.passAt1))))))));
}

function heatLegend() {
  const stops = [0, 0.25, 0.5, 0.75, 1].map(p => heat(p)).join(", ");
  return el("div", {class: "heat-legend"}, "0", el("span", {class: "heat-scale", style: "background:linear-gradient(90deg, "
      + stops + ")"}), "100 % Pass@1");
}

// A grid of cells in SVG: rows and columns labelled with language names, each cell coloured by Pass@1 and showing it.
function grid(kind, rows, cols, cellOf, options) {
  const w = HEAT.rowHead + cols.length * (HEAT.cell + HEAT.gap);
  const h = HEAT.colHead + rows.length * (HEAT.cell * 0.62 + HEAT.gap) + 4;
  const ch = HEAT.cell * 0.62;
  const children = [];
  cols.forEach((c, j) => children.push(svg("text", {class: "grid-col", x: HEAT.rowHead + j * (HEAT.cell + HEAT.gap)
      + HEAT.cell / 2, y: HEAT.colHead - 10, "text-anchor": "middle"}, name(c))));
  rows.forEach((r, i) => {
    const y = HEAT.colHead + i * (ch + HEAT.gap);
    children.push(svg("text", {class: "grid-row", x: HEAT.rowHead - 8, y: y + ch / 2 + 4, "text-anchor": "end"}, name(r)));
    cols.forEach((c, j) => {
      const x = HEAT.rowHead + j * (HEAT.cell + HEAT.gap);
      const cell = cellOf(r, c);
      const attrs = Object.assign({class: "grid-cell " + cell.class}, cell.data);
      const g = svg("g", attrs,
          svg("rect", {x, y, width: HEAT.cell, height: ch, rx: 3, fill: cell.score ? heat(cell.score.passAt1) : null}),
          cell.score ? svg("text", {class: "grid-value", x: x + HEAT.cell / 2, y: y + ch / 2 + 4, "text-anchor": "middle"},
              pct(cell.score.passAt1)) : null,
          cell.title ? svg("title", {}, cell.title) : null);
      if (cell.score) g.addEventListener("click", () => drill(cell.drillTitle, cell.query));
      children.push(g);
    });
  });
  return svg("svg", {class: "grid " + kind, viewBox: "0 0 " + w + " " + h, width: w, height: h, role: "img",
    "aria-label": options.label}, children);
}

function heatMap(scores) {
  const translation = scores.filter(s => s.kind === "TRANSLATION" && !forced(s));
  if (translation.length === 0) return null;
  const find = (s, t) => translation.find(x => x.source === s && x.language === t);
  return el("div", {class: "ev-figure"},
      el("h4", {}, "Translation ", el("span", {class: "hint"}, "rows: source · columns: target · Pass@1 %")),
      grid("heat-map", HEP, HEP, (s, t) => {
        const score = s === t ? null : find(s, t);
        return {
          score,
          class: s === t ? "diagonal" : score ? "scored" : "missing",
          data: {"data-source": s, "data-target": t, "data-pass-at-1": score ? score.passAt1 : null},
          title: s === t ? null : name(s) + " → " + name(t) + (score ? ": " + score.passed + "/" + score.total + " passed"
              : ": not evaluated"),
          drillTitle: "Translation · " + name(s) + " → " + name(t),
          query: score ? {kind: "TRANSLATION", source: s, language: t, routing: score.routing} : null,
        };
      }, {label: "translation Pass@1 from each source (rows) to each target (columns)"}),
      heatLegend());
}

function specialisationMatrix(scores) {
  const cells = scores.filter(s => s.kind === "SYNTHESIS" && forced(s));
  if (cells.length === 0) return null;
  const expertOf = s => s.routing.slice("forced:".length);
  const present = new Set(cells.map(expertOf));
  const cols = EXPERTS.concat(["nl"]).filter(e => present.has(e));
  const rows = HEP.filter(l => cells.some(s => s.language === l));
  const find = (l, e) => cells.find(s => s.language === l && expertOf(s) === e);
  return el("div", {class: "ev-figure"},
      el("h4", {}, "Forced routing ",
          el("span", {class: "hint"}, "rows: the language's synthesis · columns: the expert every token was forced to · "
              + "outlined: its own expert")),
      grid("specialisation", rows, cols, (l, e) => {
        const score = find(l, e);
        return {
          score,
          class: (l === e ? "own-expert " : "") + (score ? "scored" : "missing"),
          data: {"data-language": l, "data-expert": e, "data-pass-at-1": score ? score.passAt1 : null},
          title: name(l) + " synthesis, " + (e === "nl" ? "NL only" : name(e) + " expert") + (score
              ? ": " + score.passed + "/" + score.total + " passed" : ": not evaluated"),
          drillTitle: "Synthesis · " + name(l) + " forced to " + (e === "nl" ? "NL only" : name(e)),
          query: score ? {kind: "SYNTHESIS", language: l, routing: score.routing} : null,
        };
      }, {label: "synthesis Pass@1 per language (rows) with every token forced to one expert (columns)"}),
      heatLegend());
}

function renderResults(detail) {
  const key = detail.evaluation.evaluationId + "|" + detail.evaluation.status + "|" + detail.scores.length;
  if (key === ev.resultsKey) return;
  ev.resultsKey = key;
  const host = document.getElementById("ev-results");
  if (detail.scores.length === 0) {
    host.replaceChildren(detail.evaluation.status === "RUNNING"
        ? el("p", {class: "empty"}, "Scores appear when the evaluation has completed.") : null);
    return;
  }
  const table = scoreTable(detail.scores);
  host.replaceChildren(
      table ? el("div", {class: "ev-figure"}, el("h4", {}, "Pass@1 % ",
          el("span", {class: "hint"}, "best language per column highlighted · click a cell for its samples")),
          el("div", {class: "table-scroll"}, table)) : null,
      el("div", {class: "ev-figures"}, heatMap(detail.scores), specialisationMatrix(detail.scores)));
}

function renderDetail() {
  const section = document.getElementById("evaluation-detail");
  section.hidden = !ev.detail;
  if (!ev.detail) return;
  renderHead(ev.detail);
  renderResults(ev.detail);
}

// ---- samples ----------------------------------------------------------------------------------------------------------

const VERDICTS = ["PASS", "FAIL", "COMPILE_ERROR", "TIMEOUT", "MEMORY_LIMIT", "OUTPUT_LIMIT", "SANDBOX_ERROR"];

function verdictBadge(verdict) {
  return el("span", {class: "verdict verdict-" + (verdict || "NONE")}, verdict || "not graded");
}

function samplesPath(extra) {
  return "/api/evaluations/" + encodeURIComponent(ev.selected) + "/samples" + extra;
}

function drill(title, query) {
  ev.drill = {title, query, verdict: "", offset: 0};
  document.getElementById("ev-sample").hidden = true;
  loadSamples().catch(e => evError("Cannot load samples: " + e.message));
}

async function loadSamples() {
  const d = ev.drill;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(d.query)) if (v) params.set(k, v);
  if (d.verdict) params.set("verdict", d.verdict);
  params.set("offset", d.offset);
  params.set("limit", EV_PAGE);
  const page = await api(samplesPath("?" + params));
  renderSamples(page);
}

function renderSamples(page) {
  const d = ev.drill;
  const host = document.getElementById("ev-samples");
  const filter = el("select", {id: "ev-verdict", "aria-label": "verdict"},
      el("option", {value: ""}, "every verdict"), VERDICTS.map(v => el("option", {value: v}, v)));
  filter.value = d.verdict;
  const prev = el("button", {type: "button", class: "small", disabled: d.offset === 0}, "‹ previous");
  const next = el("button", {type: "button", class: "small", disabled: d.offset + EV_PAGE >= page.total}, "next ›");
  const turnTo = offset => {
    d.offset = offset;
    loadSamples().catch(e => evError("Cannot load samples: " + e.message));
  };
  filter.addEventListener("change", () => {
    d.verdict = filter.value;
    turnTo(0);
  });
  prev.addEventListener("click", () => turnTo(Math.max(0, d.offset - EV_PAGE)));
  next.addEventListener("click", () => turnTo(d.offset + EV_PAGE));
  const rows = page.samples.map(s => {
    const tr = el("tr", {"data-sample-id": s.sampleId, "data-verdict": s.verdict || "NONE", title: "show this sample"},
        el("td", {class: "mono"}, s.taskId + (s.sampleIndex > 0 ? " #" + s.sampleIndex : "")),
        el("td", {}, verdictBadge(s.verdict)),
        el("td", {class: "reason"}, s.reason || ""));
    tr.addEventListener("click", () => {
      host.querySelectorAll("tr.selected").forEach(r => r.classList.remove("selected"));
      tr.classList.add("selected");
      showSample(s.sampleId).catch(e => evError("Cannot load sample " + s.sampleId + ": " + e.message));
    });
    return tr;
  });
  host.replaceChildren(
      el("div", {class: "ev-samples-head"}, el("h4", {id: "ev-samples-title"}, "Samples · " + d.title),
          el("div", {class: "chart-controls"}, filter,
              el("span", {class: "pager"}, page.total ? num(page.offset + 1) + "–" + num(page.offset + page.samples.length)
                  + " of " + num(page.total) : "none"), prev, next)),
      el("table", {class: "runs ev-sample-list"},
          el("thead", {}, el("tr", {}, el("th", {}, "Task"), el("th", {}, "Verdict"), el("th", {}, "Reason"))),
          el("tbody", {}, rows)));
  host.hidden = false;
}

// Each token in the expert's colour; tokens past the stop rule's cut are what the grader did not use, so they are faded.
function tokens(sample) {
  const pieces = sample.pieces || [];
  if (pieces.length === 0) {
    return el("pre", {class: "code tokens plain"}, sample.generation || "");
  }
  const cut = sample.completion != null && sample.completion.length < (sample.generation || "").length
      ? sample.completion.length : Infinity;
  const spans = [];
  let at = 0;
  let marked = false;
  pieces.forEach((piece, i) => {
    const after = at >= cut;
    if (after && !marked) {
      spans.push(el("span", {class: "cut", title: "the stop rule cut the completion here"}, "✂ stop"));
      marked = true;
    }
    const route = (sample.routes || [])[i] || "?";
    spans.push(el("span", {class: "tok" + (after ? " after-cut" : ""), "data-route": route,
      style: "background:" + (ROUTE_COLORS[route] || "#eeeeee"), title: name(route) + " · token " + i}, piece));
    at += piece.length;
  });
  return el("pre", {class: "code tokens"}, spans);
}

function routeLegend(sample) {
  const counts = new Map();
  for (const r of sample.routes || []) counts.set(r, (counts.get(r) || 0) + 1);
  const order = ["nl"].concat(EXPERTS);
  const routes = [...counts.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return el("div", {class: "route-legend"}, routes.map(r => el("span", {class: "legend-item", "data-route": r},
      el("span", {class: "swatch", style: "background:" + (ROUTE_COLORS[r] || "#eeeeee")}),
      name(r) + " " + num(counts.get(r)))));
}

async function showSample(sampleId) {
  const path = samplesPath("/" + sampleId.split("/").map(encodeURIComponent).join("/"));
  const s = await api(path);
  const host = document.getElementById("ev-sample");
  const where = s.source ? name(s.source) + " → " + name(s.language) : name(s.language);
  host.replaceChildren(
      el("div", {class: "ev-samples-head"},
          el("h4", {}, "Sample ", el("span", {class: "mono", id: "ev-sample-id"}, s.sampleId)),
          el("div", {class: "ev-sample-verdict"}, verdictBadge(s.verdict), " ", el("span", {class: "reason"}, s.reason))),
      el("div", {class: "ev-meta"}, s.kind, " · ", where, " · routing ", s.routing, " · stop ", s.stop || "–", " · ",
          num((s.pieces || []).length), " tokens"),
      el("div", {class: "ev-sample-grid"},
          el("div", {}, el("h5", {}, "Instruction"), el("pre", {class: "code prompt ev-instruction"}, s.instruction),
              el("h5", {}, "Response prefix"), el("pre", {class: "code prompt ev-prefix"}, s.responsePrefix || "(none)")),
          el("div", {}, el("h5", {}, "Generation ", el("span", {class: "hint"}, "coloured by the expert of each token")),
              routeLegend(s), tokens(s))),
      el("h5", {}, "Program that ran"),
      el("pre", {class: "code ev-program"}, s.program || "(none: not graded by itself)"));
  host.hidden = false;
}

// ---- selection and polling ---------------------------------------------------------------------------------------------

async function fetchDetail(id) {
  return api("/api/evaluations/" + encodeURIComponent(id));
}

function select(id) {
  if (id !== ev.selected) {
    ev.selected = id;
    ev.detail = null;
    ev.resultsKey = null;
    ev.drill = null;
    document.getElementById("ev-samples").hidden = true;
    document.getElementById("ev-sample").hidden = true;
  }
  document.querySelectorAll("#evaluations-table tbody tr").forEach(tr =>
      tr.classList.toggle("selected", tr.getAttribute("data-evaluation-id") === id));
  fetchDetail(id).then(d => {
    if (ev.selected !== id) return;
    ev.detail = d;
    renderDetail();
  }).catch(e => evError("Cannot load evaluation " + id + ": " + e.message));
}

async function refreshEvaluations() {
  const listed = await api("/api/evaluations?limit=20");
  const listedIds = new Set(listed.map(r => r.evaluationId));
  for (const id of [...ev.pending]) if (listedIds.has(id)) ev.pending.delete(id);
  const pending = await Promise.all([...ev.pending].map(id => fetchDetail(id).then(d => d.evaluation).catch(() => {
    ev.pending.delete(id);
    return null;
  })));
  const runs = pending.filter(r => r !== null).concat(listed);
  if (!ev.selected && runs.length) {
    ev.selected = (runs.find(r => r.status === "COMPLETED") || runs[0]).evaluationId;
  }
  const shown = runs.find(r => r.evaluationId === ev.selected);
  // A finished evaluation's detail does not change once loaded; a running one's step does.
  if (ev.selected && (!ev.detail || ev.detail.evaluation.evaluationId !== ev.selected
      || ev.detail.evaluation.status === "RUNNING" || (shown && shown.status !== ev.detail.evaluation.status))) {
    ev.detail = await fetchDetail(ev.selected);
  }
  renderList(runs);
  renderDetail();
  return runs;
}

async function evPoll() {
  clearTimeout(ev.pollTimer);
  let next = EV_POLL_IDLE_MS;
  try {
    const runs = await refreshEvaluations();
    next = runs.some(r => r.status === "RUNNING") ? EV_POLL_RUNNING_MS : EV_POLL_IDLE_MS;
    evError("");
  } catch (e) {
    evError("Cannot load evaluations: " + e.message);
  }
  ev.pollTimer = setTimeout(evPoll, next);
}

// ---- form -------------------------------------------------------------------------------------------------------------

function evaluationRequest(form) {
  const value = n => form.elements[n].value.trim();
  const checked = n => [...form.querySelectorAll("input[name=" + n + "]:checked")].map(i => i.value);
  const request = {kinds: checked("kinds"), languages: checked("languages"), routing: value("routing"),
    oracle: value("oracle"), specialisation: form.elements.specialisation.checked};
  for (const n of ["base", "adapters", "name"]) if (value(n)) request[n] = value(n);
  if (request.kinds.includes("translation")) request.pairs = value("pairs") || "all";
  // Numbers go as numbers; anything else as typed, for the API to say what is wrong with it.
  if (value("limit")) request.limit = /^\d+$/.test(value("limit")) ? Number(value("limit")) : value("limit");
  return request;
}

// The API's message starts with the field it refuses ("languages: …", "base must …"): that input is marked.
function markField(form, message) {
  const m = /^([a-zA-Z]+)\b/.exec(message || "");
  const input = m && form.querySelector("[name=" + m[1] + "]");
  const target = input && input.type === "checkbox" ? input.closest("fieldset") : input;
  if (target) target.classList.add("invalid");
}

async function startEvaluation(event) {
  event.preventDefault();
  const form = event.target;
  form.querySelectorAll(".invalid").forEach(n => n.classList.remove("invalid"));
  const status = document.getElementById("ev-form-status");
  const id = await startRun("/api/evaluations", evaluationRequest(form), status,
      document.getElementById("ev-start-button"), "evaluationId");
  if (!id) {
    markField(form, status.textContent.replace(/^Not started: /, ""));
    return;
  }
  ev.pending.add(id);
  select(id);
  await evPoll();
  document.getElementById("evaluation-detail").scrollIntoView({block: "start"});
}

function kindsChanged() {
  const translation = document.querySelector("#ev-kinds input[value=translation]").checked;
  document.getElementById("ev-pairs").disabled = !translation;
}

function initEvaluations() {
  document.getElementById("evaluation-form").addEventListener("submit", startEvaluation);
  document.getElementById("ev-kinds").addEventListener("change", kindsChanged);
  kindsChanged();
  evPoll();
}

initEvaluations();
})();
