// MoLE console page: reads the JSON API, renders runs and datasets, starts curations.
// All text from the API goes in through textContent (never innerHTML): dataset names, paths and error messages are data.
"use strict";

const POLL_RUNNING_MS = 1500; // while a run is RUNNING, so its progress bar moves
const POLL_IDLE_MS = 10000;   // otherwise, to notice runs started elsewhere (the CLI)

// A fixed locale, so "1,234" reads the same on every machine (and in the browser test).
const NUMBER = new Intl.NumberFormat("en-US");
const PERCENT = new Intl.NumberFormat("en-US", {style: "percent", maximumFractionDigits: 1});

const REASONS = {
  malformed_json: "Malformed JSON",
  invalid_utf8: "Invalid UTF-8",
  missing_field: "Missing field",
  non_string_field: "Field not a string",
  empty_field: "Empty field",
  row_too_large: "Row too large",
  unknown_language: "Unknown language tag",
  unlabelled_fence: "Unlabelled fence",
  no_code_block: "No code block",
  low_code_share: "Code share below 1/3",
};

const state = {
  datasetIds: null,       // ids of the shown datasets (null before the first load); a run naming another one reloads
  inputRows: new Map(),   // datasetId -> input rows, the final count for a completed run
  pending: new Set(),     // run ids this page started that the run list does not show yet
  pollTimer: null,
};

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "style") node.setAttribute("style", value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function num(n) {
  return n === null || n === undefined ? "–" : NUMBER.format(n);
}

function when(iso) {
  if (!iso) return "–";
  const d = new Date(iso);
  const seconds = Math.round((Date.now() - d.getTime()) / 1000);
  if (seconds < 60) return "just now";
  if (seconds < 3600) return Math.floor(seconds / 60) + " min ago";
  return d.toLocaleString("en-GB", {dateStyle: "medium", timeStyle: "short"});
}

async function api(path, options) {
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    throw new Error("the console is not reachable (" + e.message + ")");
  }
  const text = await response.text();
  let body = null;
  try { body = text ? JSON.parse(text) : null; } catch (e) { /* not JSON: reported below */ }
  if (!response.ok) {
    throw new Error(body && body.error ? body.error : response.status + " " + response.statusText);
  }
  return body;
}

function showError(message) {
  const box = document.getElementById("error");
  box.textContent = message;
  box.hidden = !message;
}

// ---- runs -------------------------------------------------------------------------------------------------------

function progressCell(run) {
  const fill = el("div", {class: "progress-fill"});
  let label;
  if (run.status === "COMPLETED") {
    fill.classList.add("done");
    fill.style.width = "100%";
    label = "done";
  } else if (run.status === "FAILED") {
    fill.classList.add("failed");
    fill.style.width = (run.fraction >= 0 ? run.fraction * 100 : 100) + "%";
    label = "failed";
  } else if (run.fraction >= 0) {
    fill.style.width = (run.fraction * 100).toFixed(1) + "%";
    label = PERCENT.format(run.fraction) + " · " + (run.phase || "");
  } else {
    fill.classList.add("unknown");
    label = run.phase || "queued";
  }
  return el("div", {class: "progress"},
      el("div", {class: "progress-track", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100",
        "aria-valuenow": run.fraction >= 0 ? Math.round(run.fraction * 100) : null}, fill),
      el("span", {class: "progress-label"}, label));
}

function resultCell(run) {
  if (run.status === "FAILED") return el("span", {class: "run-error"}, run.error || "failed");
  if (run.datasetId) {
    return el("a", {href: "#dataset-" + run.datasetId, class: "dataset-link", title: run.datasetId},
        "dataset " + run.datasetId.slice(0, 12));
  }
  return el("span", {class: "muted"}, "–");
}

// A run's rowsRead is its last progress report, which can lag the end of a phase; once it completed, its dataset's
// input row count is the exact figure.
function rowsRead(run) {
  if (run.status === "COMPLETED" && state.inputRows.has(run.datasetId)) return state.inputRows.get(run.datasetId);
  return run.rowsRead;
}

function renderRuns(runs) {
  const body = document.querySelector("#runs-table tbody");
  body.replaceChildren(...runs.map(run => el("tr", {"data-run-id": run.runId, "data-status": run.status},
      el("td", {}, el("div", {class: "run-name"}, run.name || run.inputUri || "curation"),
          // Run ids are long UUIDs: the distinctive start is enough to tell runs apart, the whole id is in the title.
          el("div", {class: "run-id", title: run.runId}, run.runId.replace(/^curation-/, "").slice(0, 8))),
      el("td", {}, el("span", {class: "badge badge-" + run.status}, run.status)),
      el("td", {}, progressCell(run)),
      el("td", {class: "num rows"}, num(rowsRead(run))),
      el("td", {class: "when", title: run.startedAt || ""}, when(run.startedAt)),
      el("td", {}, resultCell(run)))));
  document.getElementById("runs-table").hidden = runs.length === 0;
  document.getElementById("runs-empty").hidden = runs.length > 0;
}

async function refreshRuns() {
  const listed = await api("/api/curations?limit=20");
  // A run started from this page is recorded by its workflow a moment later; until the list has it, ask for it alone.
  const listedIds = new Set(listed.map(r => r.runId));
  for (const id of [...state.pending]) if (listedIds.has(id)) state.pending.delete(id);
  const pending = await Promise.all([...state.pending].map(id =>
      api("/api/curations/" + encodeURIComponent(id)).catch(() => {
        state.pending.delete(id); // unknown after all (or unreachable): stop asking rather than fail every poll
        return null;
      })));
  const runs = pending.filter(r => r !== null).concat(listed);
  renderRuns(runs);
  return runs;
}

// ---- datasets ---------------------------------------------------------------------------------------------------

function tile(label, value, sub) {
  return el("div", {class: "tile"}, el("div", {class: "label"}, label),
      el("div", {class: "value", "data-tile": label.toLowerCase()}, num(value)),
      sub ? el("div", {class: "sub"}, sub) : null);
}

function share(part, whole) {
  return whole > 0 ? PERCENT.format(part / whole) : "";
}

function languageTable(stats) {
  const rows = stats.languages || [];
  const max = Math.max(1, ...rows.map(r => r.samples));
  const total = key => rows.reduce((sum, r) => sum + r[key], 0);
  const pct = (n) => (100 * n / max).toFixed(2) + "%";
  return el("table", {class: "languages"},
      el("thead", {}, el("tr", {},
          el("th", {}, "Language"), el("th", {class: "num"}, "Samples"), el("th", {}, ""),
          el("th", {class: "num"}, "Train"), el("th", {class: "num"}, "Validation"),
          el("th", {class: "num"}, "Code blocks"), el("th", {class: "num"}, "Code words"))),
      el("tbody", {}, rows.map(r => el("tr", {"data-language": r.language},
          el("td", {class: "lang"}, r.displayName),
          el("td", {class: "num samples"}, num(r.samples)),
          el("td", {class: "bar-cell", title: num(r.trainSamples) + " train, " + num(r.validationSamples) + " validation"},
              el("div", {class: "bar"},
                  el("div", {class: "bar-train", style: "width:" + pct(r.trainSamples)}),
                  el("div", {class: "bar-validation", style: "width:" + pct(r.validationSamples)}))),
          el("td", {class: "num train"}, num(r.trainSamples)),
          el("td", {class: "num validation"}, num(r.validationSamples)),
          el("td", {class: "num blocks"}, num(r.codeBlocks)),
          el("td", {class: "num words"}, num(r.codeWords))))),
      el("tfoot", {}, el("tr", {"data-language": "total"},
          el("td", {}, "Total"), el("td", {class: "num samples"}, num(total("samples"))), el("td", {}),
          el("td", {class: "num train"}, num(total("trainSamples"))),
          el("td", {class: "num validation"}, num(total("validationSamples"))),
          el("td", {class: "num blocks"}, num(total("codeBlocks"))),
          el("td", {class: "num words"}, num(total("codeWords"))))));
}

function reasonTable(stats) {
  const entries = Object.entries(stats.droppedByReason || {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const max = Math.max(1, ...entries.map(e => e[1]));
  return el("table", {class: "reasons"}, el("tbody", {}, entries.map(([code, count]) =>
      el("tr", {"data-reason": code, class: count === 0 ? "zero" : null},
          el("td", {title: code}, REASONS[code] || code),
          el("td", {class: "bar-cell"}, el("div", {class: "bar"},
              el("div", {class: "bar-drop" + (count === 0 ? " zero" : ""),
                style: "width:" + (100 * count / max).toFixed(2) + "%"}))),
          el("td", {class: "num count"}, num(count))))));
}

function datasetCard(d) {
  const s = d.statistics || {};
  const unknown = s.unknownTags || [];
  return el("article", {class: "panel dataset", id: "dataset-" + d.datasetId, "data-dataset-id": d.datasetId},
      el("div", {class: "dataset-head"},
          el("div", {},
              el("h3", {}, d.name),
              el("div", {class: "dataset-meta"},
                  el("span", {class: "mono", title: d.datasetId}, d.datasetId.slice(0, 16)), " · ",
                  d.inputUri, " · ", num(d.inputBytes), " bytes · ", when(d.createdAt))),
          el("div", {class: "dataset-links"},
              el("a", {href: "/api/datasets/" + encodeURIComponent(d.datasetId) + "/manifest", target: "_blank"},
                  "manifest"),
              el("a", {href: "/api/datasets/" + encodeURIComponent(d.datasetId), target: "_blank"}, "JSON"))),
      el("div", {class: "tiles"},
          tile("Input rows", d.inputRows),
          tile("Kept", d.keptRows, share(d.keptRows, d.inputRows) + " of input"),
          tile("Dropped", d.droppedRows, share(d.droppedRows, d.inputRows) + " of input"),
          tile("Train", d.trainRows, share(d.trainRows, d.keptRows) + " of kept"),
          tile("Validation", d.validationRows, share(d.validationRows, d.keptRows) + " of kept")),
      el("div", {class: "dataset-body"},
          el("div", {},
              el("h4", {}, "Samples by main language",
                  el("span", {class: "legend"},
                      el("span", {class: "swatch", style: "background:var(--train)"}), "train",
                      el("span", {class: "swatch", style: "background:var(--validation)"}), "validation")),
              languageTable(s)),
          el("div", {},
              el("h4", {}, "Dropped rows by reason"),
              reasonTable(s),
              unknown.length ? el("div", {},
                  el("h4", {style: "margin-top:14px"}, "Most frequent unknown tags"),
                  el("div", {class: "tags"}, unknown.map(t => el("span", {class: "tag"}, t.tag + " " + num(t.samples)))))
                  : null)),
      el("div", {class: "facts"},
          "Fence mode ", el("strong", {}, s.fenceMode || "–"),
          " · unterminated fences ", num(s.unterminatedFences),
          " · distinct unknown tags ", num(s.distinctUnknownTags)));
}

async function refreshDatasets() {
  const datasets = await api("/api/datasets");
  const ids = new Set(datasets.map(d => d.datasetId));
  // Published datasets never change: redraw only when the set did, so a reader's scroll position is kept.
  if (state.datasetIds && ids.size === state.datasetIds.size && [...ids].every(id => state.datasetIds.has(id))) return;
  state.datasetIds = ids;
  datasets.forEach(d => state.inputRows.set(d.datasetId, d.inputRows));
  document.getElementById("dataset-list").replaceChildren(...datasets.map(datasetCard));
  document.getElementById("datasets-empty").hidden = datasets.length > 0;
}

// ---- polling ----------------------------------------------------------------------------------------------------

async function poll() {
  clearTimeout(state.pollTimer);
  let next = POLL_IDLE_MS;
  try {
    const runs = await refreshRuns();
    if (runs.some(r => r.datasetId && !(state.datasetIds && state.datasetIds.has(r.datasetId)))) {
      await refreshDatasets();
      renderRuns(runs); // again, now that completed runs can show their datasets' final row counts
    }
    next = runs.some(r => r.status === "RUNNING") ? POLL_RUNNING_MS : POLL_IDLE_MS;
    showError("");
  } catch (e) {
    showError("Cannot load curation runs: " + e.message);
  }
  state.pollTimer = setTimeout(poll, next);
}

// ---- form -------------------------------------------------------------------------------------------------------

function formRequest(form) {
  const value = id => form.elements[id].value.trim();
  const request = {
    inputUri: value("inputUri"),
    name: value("name") || null,
    format: value("format"),
    questionField: value("questionField") || null,
    answerField: value("answerField") || null,
    fenceMode: form.elements.strict.checked ? "STRICT" : "NORMALIZED",
  };
  // Numbers are sent as typed; the API answers out-of-range values with a message shown below the form.
  if (value("validationShare") !== "") request.validationShare = Number(value("validationShare"));
  if (value("seed") !== "") request.seed = Number(value("seed"));
  return request;
}

async function startCuration(event) {
  event.preventDefault();
  const form = event.target;
  const status = document.getElementById("form-status");
  status.removeAttribute("data-run-id");
  const input = form.elements.inputUri;
  input.classList.toggle("invalid", !input.value.trim());
  if (!input.value.trim()) {
    status.textContent = "Give an input path or s3:// URI.";
    status.className = "form-status bad";
    input.focus();
    return;
  }
  const runId = await startRun("/api/curations", formRequest(form), status, document.getElementById("start-button"));
  if (runId) {
    state.pending.add(runId);
    await poll();
  }
}

// Posts a start request from a form: the button is disabled meanwhile, and the status line says "Started <id>" (with the
// id in data-run-id) or why not. Returns the id the answer holds under idField, or null when the API refused.
async function startRun(path, request, status, button, idField = "runId") {
  button.disabled = true;
  status.removeAttribute("data-run-id");
  status.textContent = "Starting…";
  status.className = "form-status";
  try {
    const answer = await api(path, {
      method: "POST",
      headers: {"Content-Type": "application/json"},
      body: JSON.stringify(request),
    });
    const runId = answer[idField];
    status.textContent = "Started " + runId;
    status.setAttribute("data-run-id", runId);
    return runId;
  } catch (e) {
    status.textContent = "Not started: " + e.message;
    status.className = "form-status bad";
    return null;
  } finally {
    button.disabled = false;
  }
}

async function init() {
  document.getElementById("curation-form").addEventListener("submit", startCuration);
  try {
    await refreshDatasets();
  } catch (e) {
    showError("Cannot load datasets: " + e.message);
  }
  await poll();
}

init();
