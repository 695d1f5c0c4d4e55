// The scorepipe console: plain pages over the JSON API. Every call goes through /console/api/ with
// the admin token, which is kept in sessionStorage (this tab only) and nowhere else.
(function () {
  "use strict";

  const TOKEN_KEY = "scorepipe.console.token";
  const page = document.getElementById("page");
  let timers = [];
  let charts = [];
  // which page is current: a page's awaits and timers check it, so a page left behind changes nothing
  let generation = 0;

  // ---- helpers

  function esc(value) {
    return String(value ?? "").replace(/[&<>"']/g, c => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }
  function fmt(value, digits = 3) {
    if (value === null || value === undefined || Number.isNaN(value)) return "–";
    // toPrecision, without the zeros it pads a fraction with ("0.500" -> "0.5"; "200" stays)
    return typeof value === "number" ? Number(value).toPrecision(digits).replace(/(\.\d*?)0+(e|$)/, "$1$2").replace(/\.(e|$)/, "$1") : esc(value);
  }
  function token() { return sessionStorage.getItem(TOKEN_KEY); }
  function headers(extra) { return Object.assign({ "Authorization": "Bearer " + token() }, extra || {}); }

  async function call(path, options) {
    const response = await fetch(path, Object.assign({}, options, { headers: headers(options && options.headers) }));
    if (response.status === 401) { signOut("The token was refused; sign in again."); throw new Error("unauthorized"); }
    const text = await response.text();
    let body = null;
    try { body = text ? JSON.parse(text) : null; } catch (error) { body = null; }
    if (!response.ok) { throw new Error((body && (body.detail || body.title)) || ("HTTP " + response.status)); }
    return body;
  }
  const data = path => call("/console/api/data" + path);

  function confirmAction(text) {
    const dialog = document.getElementById("confirm");
    document.getElementById("confirm-text").textContent = text;
    return new Promise(resolve => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
      dialog.showModal();
    });
  }

  function stop() {
    timers.forEach(clearInterval);
    timers = [];
    charts.forEach(chart => chart.destroy());
    charts = [];
  }
  function every(ms, fn, alive) {
    if (!alive()) return;
    timers.push(setInterval(() => { if (alive()) fn(); }, ms));
  }

  function chart(target, title, series, xs, ys, options) {
    const width = Math.max(320, target.clientWidth || 540);
    const plot = new uPlot(Object.assign({
      title: title, width: width, height: 220,
      scales: { x: { time: !(options && options.time === false) } },
      series: [{ label: options && options.xLabel || "time" }].concat(series.map((label, i) => ({
        label: label, stroke: ["#2457d6", "#c4320a", "#067647", "#7a5af8", "#dc6803", "#0e9384"][i % 6], width: 2,
        points: { show: Boolean(options && options.time === false) } }))),
      axes: options && options.axes
    }, options && options.extra), [xs].concat(ys), target);
    charts.push(plot);
    return plot;
  }

  // ---- sign-in

  function showSignIn(message) {
    stop();
    generation++;
    document.getElementById("nav").hidden = true;
    page.hidden = true;
    page.innerHTML = "";
    document.getElementById("sign-in").hidden = false;
    document.getElementById("sign-in-error").textContent = message || "";
    document.getElementById("token").focus();
  }
  function signOut(message) { sessionStorage.removeItem(TOKEN_KEY); showSignIn(message); }

  async function signIn(candidate) {
    const response = await fetch("/console/api/session", { headers: { "Authorization": "Bearer " + candidate } });
    if (response.status !== 204) {
      const body = await response.json().catch(() => ({}));
      return body.detail || "The token was refused.";
    }
    sessionStorage.setItem(TOKEN_KEY, candidate);
    return null;
  }

  document.getElementById("sign-in-form").addEventListener("submit", async event => {
    event.preventDefault();
    const problem = await signIn(document.getElementById("token").value);
    if (problem) { document.getElementById("sign-in-error").textContent = problem; return; }
    document.getElementById("token").value = "";
    start();
  });
  document.getElementById("sign-out").addEventListener("click", () => signOut(""));

  // ---- pages

  const pages = { models: modelsPage, batches: batchesPage, live: livePage, drift: driftPage };

  function route() {
    const name = (location.hash || "#models").slice(1).split("/")[0];
    const show = pages[name] ? name : "models";
    stop();
    const mine = ++generation;
    const alive = () => mine === generation;
    document.querySelectorAll("nav a").forEach(a => a.classList.toggle("current", a.dataset.page === show));
    page.innerHTML = "";
    page.dataset.page = show;
    pages[show](alive).catch(error => {
      if (alive() && error.message !== "unauthorized") page.insertAdjacentHTML("beforeend", `<p class="error">${esc(error.message)}</p>`);
    });
  }

  function start() {
    document.getElementById("sign-in").hidden = true;
    document.getElementById("nav").hidden = false;
    page.hidden = false;
    route();
  }

  // Models: every model, the selected one's versions with their figures, a chart of them, and its promotions
  function chosen(models) {
    const saved = sessionStorage.getItem("scorepipe.console.model");
    return models.some(m => m.name === saved) ? saved : (models[0] && models[0].name);
  }

  async function modelsPage(alive) {
    const models = await data("/models");
    if (!alive()) return;
    const selected = chosen(models);
    page.innerHTML = `<h1>Models</h1>
      <table id="models-table"><thead><tr><th>Name</th><th>Champion</th><th>Source</th><th>Features</th><th class="num">Versions</th></tr></thead><tbody>
      ${models.map(m => `<tr data-model="${esc(m.name)}" class="${m.name === selected ? "selected" : ""}">
        <td><b>${esc(m.name)}</b>${m.default ? ' <span class="muted">(default)</span>' : ""}</td>
        <td class="champion">${m.champion ? `<span class="status champion">${esc(m.champion)}</span>` : '<span class="muted">none</span>'}</td>
        <td>${esc({ sample: "trained here (bundled sample)", csv: "trained here (your CSV)", import: "imported file" }[m.origin] || m.origin)}</td>
        <td>${esc(m.features.join(", "))}</td><td class="num">${m.versions}</td></tr>`).join("")}
      </tbody></table><div id="model-detail"></div>`;
    page.querySelectorAll("tr[data-model]").forEach(row => row.addEventListener("click", () => {
      sessionStorage.setItem("scorepipe.console.model", row.dataset.model);
      route();
    }));
    if (selected) await modelDetail(selected, alive);
  }

  async function modelDetail(name, alive) {
    const [versions, promotions, model] = await Promise.all([data(`/models/${name}/versions`),
      data(`/models/${name}/promotions?size=20`), data(`/models/${name}`)]);
    if (!alive()) return;
    const detail = document.getElementById("model-detail");
    const format = v => v.format === "onnx" ? "ONNX" : (v.provenance && v.provenance.trigger ? "trained here" : "Tribuo");
    detail.innerHTML = `<h2>${esc(name)}: versions</h2>
      <div class="row"><span>Serving: <b id="champion">${esc(model.champion || "none")}</b></span>
        <button type="button" id="rollback" class="quiet" ${promotions.items.length > 1 ? "" : "disabled"}>Roll back</button>
        <button type="button" id="retrain" class="quiet">Retrain now</button><span id="action-result" class="muted"></span></div>
      <table id="versions-table"><thead><tr><th>Version</th><th>Status</th><th>Format</th><th class="num">RMSE</th><th class="num">MAE</th>
        <th class="num">R²</th><th class="num">Rows</th><th>Decision</th><th>Reason</th><th></th></tr></thead><tbody>
      ${versions.map(v => `<tr data-version="${esc(v.version)}"><td><b>${esc(v.version)}</b></td>
        <td><span class="status ${esc(v.status)}">${esc(v.status)}</span></td><td>${esc(format(v))}</td>
        <td class="num">${fmt(v.metrics.rmse)}</td><td class="num">${fmt(v.metrics.mae)}</td><td class="num">${fmt(v.metrics.r2)}</td>
        <td class="num">${fmt(v.training_rows || v.metrics.rows, 6)}</td><td>${esc(v.decision || "")}</td><td class="muted">${esc(v.reason || "")}</td>
        <td>${v.status === "champion" ? "" : `<button type="button" class="promote" data-version="${esc(v.version)}">Promote</button>`}</td></tr>`).join("")}
      </tbody></table>
      <h2>Held-out figures by version</h2><div class="card"><div id="metrics-chart"></div></div>
      <h2>Promotions</h2><table id="promotions-table"><thead><tr><th>When</th><th>Version</th><th>Replacing</th><th>By</th><th>Reason</th></tr></thead><tbody>
      ${promotions.items.map(p => `<tr><td>${esc(new Date(p.promoted_at).toLocaleString())}</td><td>${esc(p.version)}</td>
        <td>${esc(p.previous_version || "–")}</td><td>${esc(p.promoted_by)}</td><td class="muted">${esc(p.reason)}</td></tr>`).join("")}
      </tbody></table>`;

    const ordered = versions.slice().reverse().filter(v => v.metrics && v.metrics.rmse !== undefined);
    if (ordered.length) {
      const xs = ordered.map(v => Number(v.version.slice(1)));
      chart(document.getElementById("metrics-chart"), "RMSE, MAE and R² on held-out rows", ["RMSE", "MAE", "R²"], xs,
        [ordered.map(v => v.metrics.rmse), ordered.map(v => v.metrics.mae), ordered.map(v => v.metrics.r2)],
        { time: false, xLabel: "version", extra: { scales: { x: { time: false }, r2: { auto: true } },
          series: [{ label: "version" }, { label: "RMSE", stroke: "#2457d6", width: 2 }, { label: "MAE", stroke: "#c4320a", width: 2 },
            { label: "R²", stroke: "#067647", width: 2, scale: "r2" }],
          axes: [{ values: (u, ticks) => ticks.map(t => Number.isInteger(t) ? "v" + t : "") }, {}, { scale: "r2", side: 1, grid: { show: false } }] } });
    } else {
      document.getElementById("metrics-chart").innerHTML = '<p class="muted">No version has held-out figures yet.</p>';
    }

    detail.querySelectorAll("button.promote").forEach(button => button.addEventListener("click", async () => {
      const version = button.dataset.version;
      if (!await confirmAction(`Promote ${version} of ${name}? It replaces ${model.champion || "nothing"} on every instance within seconds.`)) return;
      await act(`/models/${name}/versions/${version}/promote`, { reason: "promoted from the console" });
    }));
    document.getElementById("rollback").addEventListener("click", async () => {
      if (!await confirmAction(`Roll ${name} back? The version before ${model.champion} serves again.`)) return;
      await act(`/models/${name}/rollback`, { reason: "rolled back from the console" });
    });
    document.getElementById("retrain").addEventListener("click", async () => {
      if (!await confirmAction(`Retrain ${name} now? A worker trains a new version from its labelled examples and promotes it only if it beats ${model.champion || "nothing"} on held-out rows.`)) return;
      await act(`/models/${name}/retrain`, null, "Retrain requested: the new version appears here when it is done.");
    });
  }

  async function act(path, body, done) {
    const result = document.getElementById("action-result");
    try {
      await call(path, { method: "POST", headers: body ? { "Content-Type": "application/json" } : {}, body: body ? JSON.stringify(body) : null });
      if (done) { result.textContent = done; } else { route(); }
    } catch (error) {
      if (error.message !== "unauthorized") result.textContent = error.message;
    }
  }

  // Batches: an upload form (model, file, drag and drop) and the recent files with live progress
  async function batchesPage(alive) {
    const models = await data("/models");
    if (!alive()) return;
    page.innerHTML = `<h1>Batches</h1>
      <form id="upload-form" class="card"><div class="row">
        <label>Model <select id="upload-model">${models.map(m => `<option value="${esc(m.name)}" ${m.default ? "selected" : ""}>${esc(m.name)}</option>`).join("")}</select></label>
        <input type="file" id="upload-file" accept=".csv,text/csv"><button type="submit">Upload and score</button>
        <span id="upload-result" class="muted"></span></div>
        <div id="drop-zone">…or drop a CSV file here</div></form>
      <table id="batches-table"><thead><tr><th>File</th><th>Model</th><th>Status</th><th>Progress</th><th class="num">Rows</th>
        <th class="num">Rows/s</th><th class="num">ETA</th><th>Files</th></tr></thead><tbody></tbody></table>`;
    const upload = async file => {
      const result = document.getElementById("upload-result");
      if (!file) { result.textContent = "Choose a CSV file first."; return; }
      const model = document.getElementById("upload-model").value;
      result.textContent = `Uploading ${file.name}…`;
      try {
        const batch = await call(`/batches?model=${encodeURIComponent(model)}&name=${encodeURIComponent(file.name)}`,
          { method: "POST", headers: { "Content-Type": "text/csv" }, body: file });
        result.textContent = `${batch.file_name}: ${batch.status}`;
        refresh();
      } catch (error) { if (error.message !== "unauthorized") result.textContent = error.message; }
    };
    document.getElementById("upload-form").addEventListener("submit", event => {
      event.preventDefault();
      upload(document.getElementById("upload-file").files[0]);
    });
    const zone = document.getElementById("drop-zone");
    ["dragenter", "dragover"].forEach(type => zone.addEventListener(type, event => { event.preventDefault(); zone.classList.add("over"); }));
    ["dragleave", "drop"].forEach(type => zone.addEventListener(type, () => zone.classList.remove("over")));
    zone.addEventListener("drop", event => { event.preventDefault(); upload(event.dataTransfer.files[0]); });

    const refresh = async () => {
      const batches = await data("/batches?limit=25");
      const body = document.querySelector("#batches-table tbody");
      if (!alive() || !body) return;
      body.innerHTML = batches.map(b => {
        const percent = b.percent_done ?? (b.status === "completed" ? 100 : 0);
        return `<tr data-batch="${esc(b.id)}" data-status="${esc(b.status)}"><td>${esc(b.file_name)}</td><td>${esc(b.model)} ${esc(b.model_version || "")}</td>
          <td><span class="status ${esc(b.status)}">${esc(b.status)}</span>${b.error ? `<div class="error">${esc(b.error)}</div>` : ""}</td>
          <td><div class="progress" role="progressbar" aria-valuemin="0" aria-valuemax="100" aria-valuenow="${fmt(percent, 4)}">
            <div class="progress-bar" style="width:${Math.min(100, percent)}%"></div></div><span class="muted">${fmt(percent, 4)}%</span></td>
          <td class="num">${fmt(b.rows_scored, 9)} / ${fmt(b.rows_total, 9)}${b.rows_rejected ? ` <span class="error">(${b.rows_rejected} rejected)</span>` : ""}</td>
          <td class="num">${b.status === "running" ? fmt(b.rows_per_second, 4) : ""}</td><td class="num">${b.status === "running" && b.eta_seconds != null ? b.eta_seconds + " s" : ""}</td>
          <td>${b.status === "completed" || b.status === "duplicate" ? `<a href="#" data-download="${esc(b.id)}/results">results</a>` : ""}
            ${b.rows_rejected ? `<a href="#" data-download="${esc(b.id)}/rejects">rejects</a>` : ""}</td></tr>`;
      }).join("");
      body.querySelectorAll("a[data-download]").forEach(link => link.addEventListener("click", event => {
        event.preventDefault();
        download("/console/api/data/batches/" + link.dataset.download);
      }));
    };
    await refresh();
    every(1000, () => refresh().catch(() => {}), alive);
  }

  async function download(path) {
    const response = await fetch(path, { headers: headers() });
    if (response.status === 401) { signOut("The token was refused; sign in again."); return; }
    if (!response.ok) {
      const body = await response.json().catch(() => ({}));
      document.getElementById("upload-result").textContent = body.detail || ("The download failed: HTTP " + response.status);
      return;
    }
    const blob = await response.blob();
    const name = (response.headers.get("Content-Disposition") || "").match(/filename="?([^";]+)"?/);
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name ? name[1] : path.split("/").slice(-2).join("-") + ".csv";
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  }

  // Live: the api's last 15 minutes, a point per sample interval
  async function livePage(alive) {
    page.innerHTML = `<h1>Live</h1><p class="muted" id="live-note"></p><div class="charts">
      <div class="card" id="live-rps"></div><div class="card" id="live-latency"></div><div class="card" id="live-cache"></div>
      <div class="card" id="live-errors"></div><div class="card" id="live-lag"></div></div>`;
    let drawn = [];
    const draw = async () => {
      const series = await call("/console/api/live");
      if (!alive()) return;
      // this page's charts only, redrawn with the new points
      drawn.forEach(c => { c.destroy(); charts = charts.filter(other => other !== c); });
      const before = charts.length;
      const points = series.points;
      document.getElementById("live-note").textContent = `The last 15 minutes of this api instance, a point every ${series.interval_seconds} s (${points.length} so far).`;
      const xs = points.map(p => Date.parse(p.at) / 1000);
      const keys = [...new Set(points.flatMap(p => Object.keys(p.requests_per_second)))].sort();
      const none = v => v === null || v === undefined ? null : v;
      chart(document.getElementById("live-rps"), "Predictions per second, by route and model", keys.length ? keys : ["no traffic"], xs,
        keys.length ? keys.map(k => points.map(p => p.requests_per_second[k] ?? 0)) : [points.map(() => 0)]);
      chart(document.getElementById("live-latency"), "Latency, ms (p50, p99)", ["p50", "p99"], xs,
        [points.map(p => none(p.p50_ms)), points.map(p => none(p.p99_ms))]);
      chart(document.getElementById("live-cache"), "Cache hit ratio", ["hit ratio"], xs, [points.map(p => none(p.cache_hit_ratio))],
        { extra: { scales: { x: { time: true }, y: { range: [0, 1] } } } });
      chart(document.getElementById("live-errors"), "Errors per second", ["5xx", "4xx"], xs,
        [points.map(p => p.errors_per_second.server), points.map(p => p.errors_per_second.client)]);
      chart(document.getElementById("live-lag"), "Consumer lag (records)", ["stream", "audit sink"], xs,
        [points.map(p => none(p.stream_lag)), points.map(p => none(p.audit_lag))]);
      drawn = charts.slice(before);
    };
    await draw();
    every(5000, () => draw().catch(() => {}), alive);
  }

  // Drift: each feature's recent distribution against the serving version's reference
  async function driftPage(alive) {
    const models = await data("/models");
    if (!alive()) return;
    const selected = chosen(models);
    page.innerHTML = `<h1>Drift</h1><div class="row"><label>Model <select id="drift-model">${models.map(m =>
      `<option value="${esc(m.name)}" ${m.name === selected ? "selected" : ""}>${esc(m.name)}</option>`).join("")}</select></label>
      <span class="legend"><i style="background:#98a2b3"></i>what it learnt from<i style="background:#2457d6"></i>recent</span></div>
      <div id="drift-summary" class="muted"></div><div id="drift-features" class="drift-grid"></div>`;
    document.getElementById("drift-model").addEventListener("change", event => {
      sessionStorage.setItem("scorepipe.console.model", event.target.value);
      route();
    });
    const draw = async () => {
      const drift = await data(`/models/${selected}/drift`);
      if (!alive()) return;
      const summary = document.getElementById("drift-summary");
      const grid = document.getElementById("drift-features");
      if (drift.status !== "computed") { summary.textContent = drift.reason; grid.innerHTML = ""; return; }
      const report = drift.report;
      summary.textContent = `${report.rows} audited predictions of ${report.version} from ${new Date(report.window_from).toLocaleTimeString()} to ${new Date(report.window_to).toLocaleTimeString()}, against ${report.basis}. A population stability index above ${report.threshold} marks a shift.`;
      grid.innerHTML = report.features.concat([report.prediction]).map(f => `<div class="drift-feature ${f.shifted ? "shifted" : ""}" data-feature="${esc(f.name)}">
        <b>${esc(f.name)}</b><span class="psi" title="population stability index">PSI ${fmt(f.psi, 3)}${f.shifted ? " · shifted" : ""}</span>
        <canvas width="240" height="70"></canvas><div class="muted">mean ${fmt(f.reference.mean)} → ${fmt(f.recent.mean)}, sd ${fmt(f.reference.std)} → ${fmt(f.recent.std)}</div></div>`).join("");
      grid.querySelectorAll(".drift-feature").forEach((card, i) => bars(card.querySelector("canvas"), report.features.concat([report.prediction])[i]));
    };
    await draw();
    every(10000, () => draw().catch(() => {}), alive);
  }

  // Two histograms in one small canvas: the reference's shares (grey) and the recent ones (blue), bin by bin
  function bars(canvas, drift) {
    const context = canvas.getContext("2d");
    const bins = drift.reference.shares.length;
    const top = Math.max(...drift.reference.shares, ...drift.recent.shares, 0.01);
    const slot = canvas.width / bins;
    context.clearRect(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < bins; i++) {
      const reference = drift.reference.shares[i] / top * (canvas.height - 4);
      const recent = drift.recent.shares[i] / top * (canvas.height - 4);
      context.fillStyle = "#98a2b3";
      context.fillRect(i * slot + 2, canvas.height - reference, slot / 2 - 2, reference);
      context.fillStyle = drift.shifted ? "#c4320a" : "#2457d6";
      context.fillRect(i * slot + slot / 2, canvas.height - recent, slot / 2 - 2, recent);
    }
  }

  window.addEventListener("hashchange", () => { if (token()) route(); });
  if (token()) {
    signIn(token()).then(problem => problem ? signOut(problem) : start());
  } else {
    showSignIn("");
  }
})();
