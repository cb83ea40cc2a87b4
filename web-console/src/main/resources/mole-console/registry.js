// MoLE console, registry: registered models, one model's versions with their lineage and Pass@1, its aliases with the
// history of every move, and a copy-paste download snippet for a chosen version and set of languages. Reads the
// registry's API v1 (no token: the console's reads are open unless MOLE_REGISTRY_READS_NEED_TOKEN is set, and then
// this view says so). Uses el() and api() from console.js; API text goes in through textContent only. Inside one
// function, as the other views: their top-level names are globals.
(() => {
"use strict";

const RG_LANGUAGES = ["c", "cpp", "csharp", "go", "java", "javascript", "python", "rust"];
const RG = {model: null, versions: [], aliases: {}};

function rgError(message) {
  const box = document.getElementById("registry-error");
  box.textContent = message;
  box.hidden = !message;
}

async function allPages(path) {
  const items = [];
  let token = null;
  do {
    const sep = path.includes("?") ? "&" : "?";
    const page = await api(path + (token ? sep + "pageToken=" + encodeURIComponent(token) : ""));
    items.push(...page.items);
    token = page.nextPageToken;
  } while (token);
  return items;
}

function pct(v) {
  return v === undefined || v === null ? "–" : (100 * v).toFixed(1);
}

async function refreshModels() {
  try {
    const models = await allPages("/api/v1/models?limit=200");
    const tbody = document.querySelector("#registry-models tbody");
    tbody.replaceChildren(...models.map(m => {
      const row = el("tr", {"data-model": m.name, class: m.name === RG.model ? "selected" : null},
        el("td", {}, m.name), el("td", {class: "num"}, m.latestVersion),
        el("td", {class: "mono", title: m.baseSha256}, m.baseSha256.slice(0, 12)), el("td", {}, m.description));
      row.addEventListener("click", () => selectModel(m.name));
      return row;
    }));
    document.getElementById("registry-models").hidden = models.length === 0;
    document.getElementById("registry-empty").hidden = models.length !== 0;
    rgError("");
    if (!RG.model && models.length) await selectModel(models[0].name);
  } catch (e) {
    rgError("Registry: " + e.message);
  }
}

async function selectModel(name) {
  RG.model = name;
  document.querySelectorAll("#registry-models tbody tr").forEach(r => r.classList.toggle("selected", r.dataset.model === name));
  const detail = await api("/api/v1/models/" + encodeURIComponent(name));
  RG.aliases = detail.aliases;
  RG.versions = await allPages("/api/v1/models/" + encodeURIComponent(name) + "/versions?limit=200");
  document.getElementById("registry-model-name").textContent = name + " — base " + detail.model.baseLocation;
  renderVersions();
  await renderAliases();
  renderSnippetForm();
  document.getElementById("registry-detail").hidden = false;
}

function renderVersions() {
  const tbody = document.querySelector("#registry-versions tbody");
  tbody.replaceChildren(...RG.versions.map(v => {
    const l = v.lineage || {};
    return el("tr", {"data-version": v.number, class: v.deprecated ? "deprecated" : null},
      el("td", {class: "num"}, v.number),
      el("td", {}, v.method),
      el("td", {class: "mono", title: v.manifestSha256}, v.manifestSha256.slice(0, 12)),
      el("td", {}, l.experimentId || "–"), el("td", {}, l.arm || "–"), el("td", {class: "num"}, l.seed),
      el("td", {class: "mono", title: l.datasetId || ""}, (l.datasetId || "–").slice(0, 12)),
      el("td", {class: "num", "data-metric": "pass1.synthesis"}, pct(v.metrics["pass1.synthesis"])),
      el("td", {}, v.components.filter(c => c.kind === "EXPERT").map(c => c.language.toLowerCase()).join(", ")),
      el("td", {}, v.aliases.join(", ")),
      el("td", {}, v.deprecated ? el("span", {class: "badge", title: v.deprecation}, "DEPRECATED") : ""));
  }));
}

async function renderAliases() {
  const box = document.getElementById("registry-aliases");
  const names = Object.keys(RG.aliases).sort();
  const blocks = [];
  for (const a of names) {
    const history = await api("/api/v1/models/" + encodeURIComponent(RG.model) + "/aliases/" + encodeURIComponent(a) + "/history");
    blocks.push(el("div", {class: "alias", "data-alias": a},
      el("h4", {}, a + " → v" + RG.aliases[a]),
      el("ol", {class: "alias-history"}, history.map(h => el("li", {},
        (h.fromVersion === null ? "created" : "v" + h.fromVersion) + " → v" + h.toVersion + " by " + h.actor + ", " + when(h.at))))));
  }
  box.replaceChildren(...(blocks.length ? blocks : [el("p", {class: "empty"}, "No aliases.")]));
}

function renderSnippetForm() {
  const select = document.getElementById("registry-snippet-version");
  const targets = Object.keys(RG.aliases).sort().map(a => ({value: "@" + a, label: a + " (v" + RG.aliases[a] + ")"}))
    .concat(RG.versions.slice().reverse().map(v => ({value: ":" + v.number, label: "v" + v.number})));
  select.replaceChildren(...targets.map(t => el("option", {value: t.value}, t.label)));
  const langs = document.getElementById("registry-snippet-languages");
  if (!langs.children.length) {
    langs.replaceChildren(...RG_LANGUAGES.map(l => el("label", {}, el("input", {type: "checkbox", value: l, checked: l === "python"}), " " + l)));
    langs.addEventListener("change", renderSnippet);
    select.addEventListener("change", renderSnippet);
  }
  renderSnippet();
}

function renderSnippet() {
  const target = document.getElementById("registry-snippet-version").value;
  const langs = [...document.querySelectorAll("#registry-snippet-languages input:checked")].map(i => i.value);
  const model = RG.model;
  const list = langs.join(",");
  const javaVersion = target.startsWith("@") ? "client.resolve(\"" + model + "\", \"" + target.slice(1) + "\")" : target.slice(1);
  const text = [
    "# command line (on the platform's machine)",
    "./mole registry download " + model + target + (list ? " --languages " + list : ""),
    "",
    "# any HTTP client: the plan lists each file's presigned URL, sha256 and size",
    "curl '" + location.origin + "/api/v1/models/" + model + "/versions/" + (target.startsWith(":") ? target.slice(1) : "<version>")
      + "/download" + (list ? "?languages=" + list : "") + "'",
    "",
    "// Java (mole-registry-client)",
    "RegistryClient client = new RegistryClient(URI.create(\"" + location.origin + "\"), token, new ContentCache(cacheDir));",
    "Path folder = client.download(\"" + model + "\", " + javaVersion + ", List.of(" + langs.map(l => "\"" + l + "\"").join(", ") + "), dir);",
  ].join("\n");
  document.getElementById("registry-snippet").textContent = text;
}

document.getElementById("registry-copy").addEventListener("click", async () => {
  const text = document.getElementById("registry-snippet").textContent;
  try {
    await navigator.clipboard.writeText(text);
    document.getElementById("registry-copy").textContent = "Copied";
  } catch (e) {
    // a page without clipboard permission: the text stays selectable
    const range = document.createRange();
    range.selectNodeContents(document.getElementById("registry-snippet"));
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  }
});

refreshModels();
setInterval(refreshModels, 15000);
})();
