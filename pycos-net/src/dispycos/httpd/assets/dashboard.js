/* dispycos dashboard: one script for cluster.html, node.html and server.html.
 * No libraries, no build step. Server data is only ever put in the page with
 * textContent / attributes, never parsed as HTML. */
"use strict";

(function () {
  const page = document.body.dataset.page;
  const $ = (id) => document.getElementById(id);

  const FETCH_TIMEOUT_MS = 10000;
  const RETRY_MAX_SEC = 5;      // when the connection is lost, retry at least this often
  const JOB_LIMIT = 500;        // jobs asked for on the server page

  /* ------------------------------------------------------------------ DOM */

  // el("td", {class: "num", dataset: {field: "x"}}, "text", childNode, ...)
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v == null || v === false) continue;
        if (k === "class") e.className = v;
        else if (k === "text") e.textContent = v;
        else if (k === "dataset") Object.assign(e.dataset, v);
        else e.setAttribute(k, v === true ? "" : String(v));
      }
    }
    for (const c of children) {
      if (c == null) continue;
      e.append(c instanceof Node ? c : String(c));
    }
    return e;
  }

  const SVGNS = "http://www.w3.org/2000/svg";
  function sv(tag, attrs, text) {
    const e = document.createElementNS(SVGNS, tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) if (v != null) e.setAttribute(k, String(v));
    if (text != null) e.textContent = text;
    return e;
  }

  function setText(node, text) {
    if (!node) return;
    text = String(text);
    if (node.textContent !== text) node.textContent = text;
  }

  function setAttr(node, name, value) {
    if (!node) return;
    if (value == null) { if (node.hasAttribute(name)) node.removeAttribute(name); }
    else if (node.getAttribute(name) !== String(value)) node.setAttribute(name, String(value));
  }

  /* ---------------------------------------------------------- formatting */

  const isNum = (v) => typeof v === "number" && Number.isFinite(v);
  const intFmt = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

  function fmtInt(v) { return isNum(v) ? intFmt.format(v) : "–"; }

  // Up to 3 significant digits, trailing ".0" dropped.
  function short(v) {
    const a = Math.abs(v);
    const s = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
    return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
  }

  function fmtBytes(n) {
    if (!isNum(n)) return "–";
    const units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
    let v = n, i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? String(Math.round(v)) : short(v)) + "\u00a0" + units[i];
  }

  function fmtPct(p) { return isNum(p) ? p.toFixed(1) + "\u00a0%" : "–"; }

  // A duration in seconds, e.g. "850 µs", "4.2 ms", "3.1 s", "5 min 3 s", "2 h 5 min".
  function fmtDuration(sec) {
    if (!isNum(sec)) return "–";
    if (sec < 0) sec = 0;
    if (sec === 0) return "0 s";
    if (sec < 0.001) return short(sec * 1e6) + "\u00a0µs";
    if (sec < 1) return short(sec * 1000) + "\u00a0ms";
    if (sec < 60) return (sec < 10 ? short(sec) : Math.floor(sec)) + "\u00a0s";
    const s = Math.floor(sec);
    if (s < 3600) return Math.floor(s / 60) + "\u00a0min " + (s % 60) + "\u00a0s";
    if (s < 86400) return Math.floor(s / 3600) + "\u00a0h " + Math.floor((s % 3600) / 60) + "\u00a0min";
    return Math.floor(s / 86400) + "\u00a0d " + Math.floor((s % 86400) / 3600) + "\u00a0h";
  }

  // Elapsed time of a running job: whole seconds, then minutes.
  function fmtElapsed(sec) {
    if (!isNum(sec)) return "–";
    if (sec < 1) return "<1\u00a0s";
    return sec < 60 ? Math.floor(sec) + "\u00a0s" : fmtDuration(sec);
  }

  // Compact labels for chart axes: "5ms", "1s", "5min".
  function fmtDurShort(sec) {
    if (!isNum(sec)) return "";
    if (sec < 0.001) return short(sec * 1e6) + "µs";
    if (sec < 1) return short(sec * 1000) + "ms";
    if (sec < 60) return short(sec) + "s";
    if (sec < 3600) return short(sec / 60) + "min";
    if (sec < 86400) return short(sec / 3600) + "h";
    return short(sec / 86400) + "d";
  }

  function fmtAgo(age) {
    if (!isNum(age)) return "–";
    if (age < 1.5) return "just now";
    if (age < 60) return Math.round(age) + "\u00a0s ago";
    if (age < 3600) return Math.floor(age / 60) + "\u00a0min ago";
    if (age < 86400) return Math.floor(age / 3600) + "\u00a0h ago";
    return Math.floor(age / 86400) + "\u00a0d ago";
  }

  const clockFmt = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit", second: "2-digit" });
  const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
  function fmtClock(t) { return isNum(t) ? clockFmt.format(new Date(t * 1000)) : "–"; }
  function fmtDate(t) { return isNum(t) ? dateFmt.format(new Date(t * 1000)) : ""; }

  // Server time estimate: the browser's clock corrected by the offset seen in /cluster_summary.
  let clockOffset = 0;
  function serverNow() { return Date.now() / 1000 + clockOffset; }

  function ipKey(addr) {
    const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr || "");
    if (!m) return "1" + String(addr || "");
    return "0" + m.slice(1).map((x) => x.padStart(3, "0")).join(".");
  }

  // Query-string value, keeping ":" "[" "]" readable (server.html?location=IP:PORT).
  function qv(s) {
    return encodeURIComponent(String(s)).replace(/%3A/gi, ":").replace(/%5B/gi, "[").replace(/%5D/gi, "]");
  }

  function locationKey(loc) {
    const i = String(loc).lastIndexOf(":");
    if (i < 0) return ipKey(loc);
    return ipKey(loc.slice(0, i)) + ":" + loc.slice(i + 1).padStart(5, "0");
  }

  // Sort key for statuses: the ones needing attention first.
  const STATUS_ORDER = { Disconnected: 0, Abandoned: 1, Suspended: 2, Discovered: 3, Initialized: 4, Closed: 5, Ignore: 6 };
  const DEAD = new Set(["Closed", "Disconnected", "Abandoned", "Ignore"]);

  /* --------------------------------------------------------------- token */

  const port = location.port || (location.protocol === "https:" ? "443" : "80");
  const TOKEN_KEY = "dispycos-token-" + port;
  let token = null;

  function storeToken(t) {
    token = t;
    try { localStorage.setItem(TOKEN_KEY, t); } catch (e) { /* storage disabled: keep it in memory */ }
  }

  (function readToken() {
    const hash = location.hash.replace(/^#/, "");
    const parts = hash ? hash.split("&") : [];
    const rest = [];
    let found = null;
    for (const p of parts) {
      if (p.startsWith("token=")) {
        try { found = decodeURIComponent(p.slice(6).replace(/\+/g, " ")); } catch (e) { found = p.slice(6); }
      } else rest.push(p);
    }
    if (found) {
      storeToken(found);
      try {
        history.replaceState(history.state, "", location.pathname + location.search + (rest.length ? "#" + rest.join("&") : ""));
      } catch (e) { /* ignore */ }
    } else {
      try { token = localStorage.getItem(TOKEN_KEY); } catch (e) { token = null; }
    }
  })();

  /* ---------------------------------------------------------------- HTTP */

  class HttpError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }
  class NetError extends Error {}

  async function request(url, opts) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), FETCH_TIMEOUT_MS);
    let resp;
    try {
      resp = await fetch(url, Object.assign({ cache: "no-store", credentials: "same-origin", signal: ctrl.signal }, opts));
    } catch (e) {
      throw new NetError(e && e.name === "AbortError" ? "request timed out" : "network error");
    } finally {
      clearTimeout(timer);
    }
    let body = null;
    try { body = await resp.json(); } catch (e) { body = null; }
    if (!resp.ok) {
      const msg = body && typeof body.error === "string" ? body.error : (resp.statusText || "error");
      if (resp.status === 403) tokenRejected();
      throw new HttpError(resp.status, msg);
    }
    if (body === null) throw new HttpError(resp.status, "the answer was not JSON");
    return body;
  }

  function getJSON(url) { return request(url, { method: "GET" }); }

  // params: object or list of [key, value] pairs (for repeated keys).
  async function postForm(url, params) {
    const body = new URLSearchParams(Array.isArray(params) ? params : Object.entries(params));
    const headers = { "Content-Type": "application/x-www-form-urlencoded" };
    if (token) headers["X-Dispycos-Token"] = token;
    const res = await request(url, { method: "POST", headers, body: body.toString() });
    banner.clear("token");
    return res;
  }

  /* -------------------------------------------------- banner and notices */

  const bannerEl = $("banner");
  const banner = {
    slots: new Map(), // key -> {kind, text, dismissible, extra}
    set(key, kind, text, opts) {
      const o = opts || {};
      const prev = this.slots.get(key);
      if (prev && prev.kind === kind && prev.text === text) return;
      this.slots.set(key, { kind, text, dismissible: !!o.dismissible, extra: o.extra || null });
      this.render();
    },
    clear(key) { if (this.slots.delete(key)) this.render(); },
    render() {
      bannerEl.replaceChildren();
      let top = null;
      const order = ["token", "offline", "error"];
      const entries = [...this.slots.entries()].sort((a, b) => order.indexOf(a[1].kind) - order.indexOf(b[1].kind));
      for (const [key, s] of entries) {
        if (!top) top = s.kind;
        const msg = el("div", { class: "banner-msg", dataset: { kind: s.kind } },
          el("span", { class: "banner-icon", "aria-hidden": "true" }),
          el("span", { class: "banner-text", text: s.text }));
        if (s.extra) { if (!s.node) s.node = s.extra(); msg.append(s.node); }
        if (s.dismissible) {
          const b = el("button", { type: "button", class: "banner-close", "aria-label": "Dismiss", text: "×" });
          b.addEventListener("click", () => banner.clear(key));
          msg.append(b);
        }
        bannerEl.append(msg);
      }
      bannerEl.hidden = this.slots.size === 0;
      setAttr(bannerEl, "data-state", top);
    },
  };

  function showError(text) { banner.set("error", "error", text, { dismissible: true }); }

  const TOKEN_MESSAGE = "This page needs the access token: open the address the dashboard printed at start-up (it ends in #token=…)";

  function tokenForm() {
    const form = el("form", { class: "token-form", action: "#" });
    const input = el("input", { type: "password", id: "token-input", autocomplete: "off", placeholder: "or paste the token", "aria-label": "Access token" });
    form.append(input, el("button", { type: "submit", class: "btn btn-small", text: "Use token" }));
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const t = input.value.trim();
      if (!t) return;
      storeToken(t);
      banner.clear("token");
      poller.now();
    });
    return form;
  }

  function tokenRejected() {
    banner.set("token", "token", TOKEN_MESSAGE, { extra: tokenForm });
    setLive("token");
  }

  const noticeEl = $("notice");
  let noticeTimer = null;
  function notice(text) {
    noticeEl.textContent = text;
    noticeEl.classList.add("show");
    clearTimeout(noticeTimer);
    noticeTimer = setTimeout(() => noticeEl.classList.remove("show"), 3500);
  }

  /* ------------------------------------------------------ live indicator */

  const liveEl = $("live"), liveText = $("live-text");
  let lastOk = null;   // browser time (ms) of the last successful refresh

  function setLive(state) { setAttr(liveEl, "data-state", state); updateLiveText(); }

  function updateLiveText() {
    const state = liveEl.dataset.state;
    let text;
    if (state === "offline") text = "Connection lost" + (lastOk ? " · last update " + fmtAgo((Date.now() - lastOk) / 1000) : "");
    else if (state === "token") text = "Access token needed";
    else if (state === "error") text = "Server error";
    else if (!lastOk) text = "Connecting…";
    else text = "Live · updated " + clockFmt.format(new Date(lastOk)) + " (" + fmtAgo((Date.now() - lastOk) / 1000) + ")";
    setText(liveText, text);
    liveEl.title = lastOk ? "Refreshes every " + poller.pollSec + " s" : "";
  }

  /* --------------------------------------------------------------- poller */

  const poller = {
    pollSec: 5,
    timer: null,
    busy: false,
    again: false,
    refresh: null,       // async function set by the page
    start(fn) { this.refresh = fn; this.run(); },
    now() { this.run(); },
    schedule(sec) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(), Math.max(1, sec) * 1000);
    },
    async run() {
      if (this.busy) { this.again = true; return; }
      this.busy = true;
      clearTimeout(this.timer);
      let ok = false;
      try {
        await this.refresh();
        ok = true;
      } catch (e) {
        refreshFailed(e);
      }
      this.busy = false;
      if (ok) refreshSucceeded();
      if (this.again) { this.again = false; this.schedule(0.2); return; }
      this.schedule(ok ? this.pollSec : Math.min(this.pollSec, RETRY_MAX_SEC));
    },
  };

  let connectionLost = false;

  function refreshSucceeded() {
    lastOk = Date.now();
    if (connectionLost) notice("Connection restored");
    connectionLost = false;
    document.body.classList.remove("stale");
    banner.clear("offline");
    banner.clear("server");
    document.body.dataset.refreshes = String((parseInt(document.body.dataset.refreshes, 10) || 0) + 1);
    setLive("live");
  }

  function refreshFailed(e) {
    if (e instanceof HttpError) {
      if (e.status === 403) { tokenRejected(); return; }
      banner.set("server", "error", "The dashboard server answered " + e.status + ": " + e.message);
      setLive("error");
      return;
    }
    if (e instanceof NetError) {
      connectionLost = true;
      document.body.classList.add("stale");
      onConnectionLost();
      const last = lastOk ? " Last successful update at " + clockFmt.format(new Date(lastOk)) + "." : "";
      banner.set("offline", "offline", "Connection lost: the dashboard server does not answer (" + e.message + "). Retrying every " +
        Math.min(poller.pollSec, RETRY_MAX_SEC) + " s." + last);
      setLive("offline");
      return;
    }
    console.error(e);
    banner.set("server", "error", "Could not show the data: " + (e && e.message ? e.message : String(e)));
    setLive("error");
  }

  let onConnectionLost = () => {};

  // Applies /cluster_summary fields shared by all pages.
  function applySummary(s) {
    if (!s || typeof s !== "object") return;
    if (isNum(s.time)) clockOffset = s.time - Date.now() / 1000;
    if (isNum(s.poll_sec)) poller.pollSec = Math.max(1, s.poll_sec);
    const client = $("client-name");
    if (client && typeof s.client === "string" && s.client) setText(client, s.client);
  }

  /* --------------------------------------------------------------- ticker */

  // Relative times ("3 s ago") and durations ("running for") tick every second.
  function tick() {
    const now = serverNow();
    for (const e of document.querySelectorAll("[data-ago]")) {
      const t = parseFloat(e.dataset.ago);
      setText(e, isNum(t) ? fmtAgo(now - t) : "–");
    }
    for (const e of document.querySelectorAll("[data-since]")) {
      const t = parseFloat(e.dataset.since);
      setText(e, isNum(t) ? fmtElapsed(now - t) : "–");
    }
    updateLiveText();
  }
  setInterval(tick, 1000);

  function agoCell(node, t) {
    setAttr(node, "data-ago", isNum(t) ? t : "");
    setAttr(node, "title", isNum(t) ? fmtDate(t) : null);
    setText(node, isNum(t) ? fmtAgo(serverNow() - t) : "–");
  }

  /* ---------------------------------------------------- shared rendering */

  function statusPill(status) {
    return el("span", { class: "pill", dataset: { status: status || "" }, text: status || "–" });
  }

  function updatePill(pill, status) {
    setText(pill, status || "–");
    setAttr(pill, "data-status", status || "");
  }

  function cpuCell(node, cpu) {
    // <td><span class="meter"><span class="fill"></span></span><span class="val">12.5 %</span></td>
    let meter = node.querySelector(".meter"), val = node.querySelector(".val");
    if (!meter) {
      meter = el("span", { class: "meter", "aria-hidden": "true" }, el("span", { class: "fill" }));
      val = el("span", { class: "val" });
      node.replaceChildren(meter, val);
    }
    const fill = meter.firstChild;
    const pct = isNum(cpu) ? Math.max(0, Math.min(100, cpu)) : 0;
    fill.style.width = pct + "%";
    setAttr(meter, "data-level", !isNum(cpu) ? "none" : cpu >= 90 ? "high" : cpu >= 60 ? "mid" : "low");
    setText(val, fmtPct(cpu));
  }

  // Suspend/resume buttons: the one that makes no sense for the current status is disabled.
  function syncToggle(suspendBtn, resumeBtn, status, busy) {
    const dead = DEAD.has(status);
    suspendBtn.disabled = !!busy || dead || status === "Suspended";
    resumeBtn.disabled = !!busy || dead || status === "Initialized";
  }

  async function runAction(kind, targets, label) {
    // kind: suspend_node | resume_node | suspend_server | resume_server
    const field = kind.endsWith("_node") ? "nodes" : "servers";
    const verb = kind.startsWith("suspend") ? "Suspend" : "Resume";
    try {
      const res = await postForm("/" + kind, { [field]: JSON.stringify(targets) });
      const failed = res && Array.isArray(res.failed) ? res.failed : [];
      if (failed.length) {
        showError(verb + " failed for " + failed.map((f) => (f.target || "?") + (f.error ? " (" + f.error + ")" : "")).join(", "));
      } else {
        banner.clear("error");
        notice(verb + " requested for " + label);
      }
    } catch (e) {
      if (!(e instanceof HttpError && e.status === 403)) showError(verb + " of " + label + " failed: " + e.message);
    }
  }

  // Keyed row reconciliation: rows are updated in place (keeps focus and hover) and
  // new ones created by make(key, item). Returns the rows in the given order.
  function reconcile(tbody, attr, items, keyOf, make, update) {
    const existing = new Map();
    for (const tr of tbody.children) existing.set(tr.getAttribute(attr), tr);
    const rows = [];
    for (const item of items) {
      const key = keyOf(item);
      let tr = existing.get(key);
      if (tr) existing.delete(key);
      else tr = make(key, item);
      update(tr, item);
      rows.push(tr);
    }
    for (const tr of existing.values()) tr.remove();
    // Re-order only when needed (moving a row loses focus inside it).
    let i = 0, same = tbody.children.length === rows.length;
    if (same) for (const tr of tbody.children) { if (tr !== rows[i++]) { same = false; break; } }
    if (!same) for (const tr of rows) tbody.append(tr);
    return rows;
  }

  function cells(tr) {
    // data-field -> cell, cached on the row
    if (!tr._cells) {
      tr._cells = {};
      for (const td of tr.querySelectorAll("[data-field]")) tr._cells[td.dataset.field] = td;
    }
    return tr._cells;
  }

  /* ======================================================= cluster page */

  function clusterPage() {
    const nodes = new Map();   // addr -> node
    let maxSeq = -Infinity;
    let needFull = true;
    let sinceFull = 0;
    const FULL_EVERY = 60;
    let summary = null;
    let sortKey = "addr", sortDir = 1;
    const busy = new Set();    // addr of nodes with an action in flight
    const tbody = $("nodes-body");

    onConnectionLost = () => { needFull = true; };

    // ---- settings
    const pollSelect = $("poll-select"), showArgs = $("show-args");
    let settingsBusy = false;
    $("settings").addEventListener("submit", (ev) => ev.preventDefault());

    function ensurePollOption(sec) {
      const v = String(sec);
      if (![...pollSelect.options].some((o) => o.value === v)) {
        const opts = [...pollSelect.options].map((o) => Number(o.value)).concat([sec]).sort((a, b) => a - b);
        pollSelect.replaceChildren(...opts.map((n) => el("option", { value: n, text: n + " s" })));
      }
    }

    async function postSettings(params, what) {
      settingsBusy = true;
      pollSelect.disabled = showArgs.disabled = true;
      try {
        const res = await postForm("/update", params);
        if (res && isNum(res.poll_sec)) { poller.pollSec = Math.max(1, res.poll_sec); ensurePollOption(res.poll_sec); pollSelect.value = String(res.poll_sec); }
        if (res && typeof res.show_task_args === "boolean") showArgs.checked = res.show_task_args;
        banner.clear("error");
        notice(what);
      } catch (e) {
        if (!(e instanceof HttpError && e.status === 403)) showError("Could not change the setting: " + e.message);
        if (summary) { pollSelect.value = String(summary.poll_sec); showArgs.checked = !!summary.show_task_args; }
      } finally {
        settingsBusy = false;
        pollSelect.disabled = showArgs.disabled = false;
        poller.now();
      }
    }

    pollSelect.addEventListener("change", () => {
      postSettings({ timeout: pollSelect.value }, "Refreshing every " + pollSelect.value + " s");
    });
    showArgs.addEventListener("change", () => {
      postSettings({ show_task_args: showArgs.checked ? "true" : "false" },
        showArgs.checked ? "Job arguments are shown" : "Job arguments are hidden");
    });

    // ---- sorting
    const sorters = {
      addr: (n) => ipKey(n.addr),
      name: (n) => String(n.name || "").toLowerCase(),
      status: (n) => STATUS_ORDER[n.status] ?? 9,
      servers: (n) => n.servers,
      cpu: (n) => n.avail_info && n.avail_info.cpu,
      memory: (n) => n.avail_info && n.avail_info.memory,
      disk: (n) => n.avail_info && n.avail_info.disk,
      swap: (n) => n.avail_info && n.avail_info.swap,
      tasks_submitted: (n) => n.tasks_submitted,
      tasks_running: (n) => n.tasks_running,
      tasks_done: (n) => n.tasks_done,
      tasks_failed: (n) => n.tasks_failed,
      update_time: (n) => n.update_time,
    };
    const headers = [...document.querySelectorAll("#nodes-table th[data-sort]")];
    for (const th of headers) {
      const label = th.textContent;
      const btn = el("button", { type: "button", class: "sort" }, el("span", { text: label }), el("span", { class: "sort-arrow", "aria-hidden": "true" }));
      th.replaceChildren(btn);
      btn.addEventListener("click", () => {
        const k = th.dataset.sort;
        if (sortKey === k) sortDir = -sortDir;
        else { sortKey = k; sortDir = (k === "addr" || k === "name" || k === "status") ? 1 : -1; }
        showSortState();
        renderNodes();
      });
    }
    function showSortState() {
      for (const th of headers) {
        const on = th.dataset.sort === sortKey;
        setAttr(th, "aria-sort", on ? (sortDir > 0 ? "ascending" : "descending") : null);
        setText(th.querySelector(".sort-arrow"), on ? (sortDir > 0 ? "▲" : "▼") : "");
      }
    }
    showSortState();

    function compare(a, b) {
      const f = sorters[sortKey] || sorters.addr;
      const x = f(a), y = f(b);
      const xn = x == null, yn = y == null;
      if (xn || yn) return xn === yn ? ipKey(a.addr).localeCompare(ipKey(b.addr)) : xn ? 1 : -1; // missing last
      if (x < y) return -sortDir;
      if (x > y) return sortDir;
      return ipKey(a.addr).localeCompare(ipKey(b.addr));
    }

    // ---- rows
    function makeRow(addr) {
      const link = el("a", { href: "node.html?host=" + qv(addr), text: addr, title: "Servers on " + addr });
      const suspend = el("button", { type: "button", class: "btn btn-small", dataset: { action: "suspend_node" }, text: "Suspend" });
      const resume = el("button", { type: "button", class: "btn btn-small", dataset: { action: "resume_node" }, text: "Resume" });
      for (const b of [suspend, resume]) {
        b.setAttribute("aria-label", b.textContent + " node " + addr);
        b.addEventListener("click", () => nodeAction(addr, b.dataset.action));
      }
      const tr = el("tr", { dataset: { node: addr } },
        el("th", { scope: "row", class: "mono", dataset: { field: "addr" } }, link),
        el("td", { dataset: { field: "name" } }),
        el("td", { dataset: { field: "status" } }, statusPill("")),
        el("td", { class: "num", dataset: { field: "servers" } }),
        el("td", { class: "num cpu group-start", dataset: { field: "cpu" } }),
        el("td", { class: "num", dataset: { field: "memory" } }),
        el("td", { class: "num", dataset: { field: "disk" } }),
        el("td", { class: "num", dataset: { field: "swap" } }),
        el("td", { class: "num group-start", dataset: { field: "tasks_submitted" } }),
        el("td", { class: "num", dataset: { field: "tasks_running" } }),
        el("td", { class: "num", dataset: { field: "tasks_done" } }),
        el("td", { class: "num", dataset: { field: "tasks_failed" } }),
        el("td", { class: "num muted group-start", dataset: { field: "update_time" } }),
        el("td", { class: "actions" }, el("span", { class: "btn-group" }, suspend, resume)));
      tr._suspend = suspend; tr._resume = resume;
      return tr;
    }

    function updateRow(tr, n) {
      const c = cells(tr);
      const a = n.avail_info || {};
      setText(c.name, n.name == null ? "" : n.name);
      updatePill(c.status.firstChild, n.status);
      setText(c.servers, n.servers == null ? "" : n.servers);
      cpuCell(c.cpu, a.cpu);
      setText(c.memory, fmtBytes(a.memory));
      setText(c.disk, fmtBytes(a.disk));
      setText(c.swap, fmtPct(a.swap));
      setText(c.tasks_submitted, n.tasks_submitted == null ? "" : n.tasks_submitted);
      setText(c.tasks_running, n.tasks_running == null ? "" : n.tasks_running);
      setText(c.tasks_done, n.tasks_done == null ? "" : n.tasks_done);
      setText(c.tasks_failed, n.tasks_failed == null ? "" : n.tasks_failed);
      c.tasks_failed.classList.toggle("bad", n.tasks_failed > 0);
      c.tasks_running.classList.toggle("strong", n.tasks_running > 0);
      agoCell(c.update_time, n.update_time);
      tr.classList.toggle("dim", DEAD.has(n.status));
      syncToggle(tr._suspend, tr._resume, n.status, busy.has(n.addr));
    }

    function renderNodes() {
      const list = [...nodes.values()].sort(compare);
      reconcile(tbody, "data-node", list, (n) => n.addr, makeRow, updateRow);
      $("nodes-empty").hidden = list.length > 0;
      $("nodes-table").hidden = list.length === 0;
      const counts = {};
      for (const n of list) counts[n.status] = (counts[n.status] || 0) + 1;
      setText($("nodes-note"), Object.keys(counts).sort((x, y) => (STATUS_ORDER[x] ?? 9) - (STATUS_ORDER[y] ?? 9))
        .map((k) => counts[k] + " " + k.toLowerCase()).join(" · "));
    }

    async function nodeAction(addr, kind) {
      busy.add(addr);
      renderNodes();
      await runAction(kind, [addr], addr);
      busy.delete(addr);
      renderNodes();
      poller.now();
    }

    // ---- header & charts
    function renderSummary(s) {
      const j = s.jobs || {};
      setText($("sum-nodes"), fmtInt(s.nodes));
      setText($("sum-servers"), fmtInt(s.servers));
      setText($("sum-submitted"), fmtInt(j.submitted));
      setText($("sum-running"), fmtInt(j.running));
      setText($("sum-done"), fmtInt(j.done));
      setText($("sum-failed"), fmtInt(j.failed));
      $("sum-failed").classList.toggle("bad", j.failed > 0);
      if (!settingsBusy) {
        if (isNum(s.poll_sec)) { ensurePollOption(s.poll_sec); pollSelect.value = String(s.poll_sec); }
        if (typeof s.show_task_args === "boolean") showArgs.checked = s.show_task_args;
      }
      if (s.client) document.title = "Cluster · " + s.client + " · dispycos";
      drawDone(s.done_series);
      drawLatency(s.latency);
    }

    const doneSvg = $("chart-done"), latSvg = $("chart-latency");
    if (window.ResizeObserver) {
      let lastW = 0;
      new ResizeObserver(() => {
        const w = doneSvg.clientWidth;
        if (summary && Math.abs(w - lastW) > 2) { lastW = w; drawDone(summary.done_series); drawLatency(summary.latency); }
      }).observe(doneSvg);
    }

    // ---- refresh
    poller.start(async () => {
      // Incremental updates with ?since=; a full /cluster_status at start, after a lost
      // connection, and every FULL_EVERY refreshes (in case the server restarted its seq).
      if (!isNum(maxSeq) || ++sinceFull >= FULL_EVERY) needFull = true;
      if (needFull) sinceFull = 0;
      const nodesReq = needFull ? getJSON("/cluster_status") : getJSON("/cluster_updates?since=" + encodeURIComponent(maxSeq));
      const [list, s] = await Promise.all([nodesReq, getJSON("/cluster_summary")]);
      if (!Array.isArray(list)) throw new HttpError(200, "unexpected node list");
      for (const n of list) {
        if (!n || typeof n.addr !== "string") continue;
        nodes.set(n.addr, n);
        if (isNum(n.seq) && n.seq > maxSeq) maxSeq = n.seq;
      }
      needFull = false;
      summary = s;
      applySummary(s);
      // A server that restarted (or nodes we never saw): fetch everything next time.
      if (isNum(s.nodes) && s.nodes > nodes.size) needFull = true;
      renderNodes();
      renderSummary(s);
    });
  }

  /* ----------------------------------------------------------- charts */

  // A round axis maximum whose half is a whole number too (gridlines at 0, max/2, max).
  function niceMax(v) {
    if (!(v > 2)) return 2;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 2, 4, 5, 6, 8, 10]) {
      const c = m * p;
      if (c >= v && c % 2 === 0) return c;
    }
    return 10 * p;
  }

  function chartFrame(svgEl, height) {
    const W = Math.max(240, Math.round(svgEl.clientWidth || svgEl.getBoundingClientRect().width || 480));
    const H = height;
    svgEl.setAttribute("viewBox", "0 0 " + W + " " + H);
    svgEl.setAttribute("height", H);
    svgEl.replaceChildren();
    return { W, H };
  }

  function yAxis(g, x0, x1, y0, y1, max) {
    // three gridlines: 0, max/2, max
    for (const f of [0, 0.5, 1]) {
      const y = y0 - (y0 - y1) * f;
      g.append(sv("line", { x1: x0, x2: x1, y1: y, y2: y, class: f === 0 ? "axis" : "grid" }));
      const v = max * f;
      g.append(sv("text", { x: x0 - 6, y: y + 4, class: "tick", "text-anchor": "end" }, Number.isInteger(v) ? intFmt.format(v) : short(v)));
    }
  }

  function emptyChart(svgEl, W, H, text) {
    svgEl.append(sv("text", { x: W / 2, y: H / 2, class: "empty-text", "text-anchor": "middle" }, text));
  }

  function drawDone(ds) {
    const svgEl = $("chart-done");
    const { W, H } = chartFrame(svgEl, 190);
    const caption = $("done-caption");
    const counts = ds && Array.isArray(ds.counts) ? ds.counts : [];
    const bucket = ds && isNum(ds.bucket_sec) && ds.bucket_sec > 0 ? ds.bucket_sec : 1;
    const start = ds && isNum(ds.start) ? ds.start : serverNow();
    const n = counts.length;
    const total = counts.reduce((a, b) => a + (isNum(b) ? b : 0), 0);
    const windowSec = n * bucket;
    if (n === 0) { setText(caption, ""); emptyChart(svgEl, W, H, "No data yet"); return; }
    // Rate over the full buckets (the last one is still filling).
    const fullSec = Math.max(bucket, (n - 1) * bucket);
    const fullTotal = total - (isNum(counts[n - 1]) ? counts[n - 1] : 0);
    const perMin = n > 1 ? fullTotal * 60 / fullSec : total * 60 / bucket;
    setText(caption, intFmt.format(total) + " in the last " + fmtDuration(windowSec).replace(/ 0\u00a0s$/, "") + " · " + short(perMin) + "/min");
    svgEl.setAttribute("aria-label", "Jobs finished: " + total + " in the last " + fmtDuration(windowSec) + ", in buckets of " + bucket + " s");

    const L = 40, R = 10, T = 12, B = 24;
    const x0 = L, x1 = W - R, y0 = H - B, y1 = T;
    const max = niceMax(Math.max(...counts.filter(isNum), 1));
    const g = sv("g");
    yAxis(g, x0, x1, y0, y1, max);
    const bw = (x1 - x0) / n;
    const gap = bw > 6 ? Math.min(2, bw * 0.2) : bw > 3 ? 0.5 : 0;
    const bars = sv("g", { class: "bars" });
    counts.forEach((c, i) => {
      if (!isNum(c)) return;
      const h = (y0 - y1) * c / max;
      const x = x0 + i * bw;
      const r = sv("rect", { x: x + gap / 2, y: y0 - h, width: Math.max(0.5, bw - gap), height: Math.max(0, h),
        class: i === n - 1 ? "bar bar-partial" : "bar" });
      const t0 = start + i * bucket;
      r.append(sv("title", null, fmtClock(t0) + " – " + fmtClock(t0 + bucket) + ": " + c + (c === 1 ? " job" : " jobs")));
      bars.append(r);
      // invisible hit area for a tooltip on empty buckets
      if (h < 4) {
        const hit = sv("rect", { x, y: y1, width: bw, height: y0 - y1, class: "hit" });
        hit.append(sv("title", null, fmtClock(t0) + " – " + fmtClock(t0 + bucket) + ": " + c + (c === 1 ? " job" : " jobs")));
        bars.append(hit);
      }
    });
    g.append(bars);
    // x labels: start, middle, end (relative to now)
    const end = start + windowSec;
    const labels = [[x0, "−" + fmtDurShort(windowSec), "start"], [(x0 + x1) / 2, "−" + fmtDurShort(windowSec / 2), "middle"], [x1, "now", "end"]];
    for (const [x, text, anchor] of labels) {
      g.append(sv("text", { x, y: H - 6, class: "tick", "text-anchor": anchor }, text));
    }
    g.append(sv("title", null, "From " + fmtClock(start) + " to " + fmtClock(end)));
    svgEl.append(g);
  }

  function drawLatency(lat) {
    const svgEl = $("chart-latency");
    const { W, H } = chartFrame(svgEl, 190);
    const caption = $("latency-caption");
    const bounds = lat && Array.isArray(lat.bounds) ? lat.bounds : [];
    const counts = lat && Array.isArray(lat.counts) ? lat.counts : [];
    const count = lat && isNum(lat.count) ? lat.count : counts.reduce((a, b) => a + (isNum(b) ? b : 0), 0);
    const pct = [["p50", lat && lat.p50], ["p90", lat && lat.p90], ["p99", lat && lat.p99]];
    caption.replaceChildren();
    if (count > 0) {
      for (const [name, v] of pct) {
        caption.append(el("span", { class: "pct" }, el("b", { text: name }), " " + fmtDuration(v)));
      }
      caption.append(el("span", { class: "pct muted", text: intFmt.format(count) + (count === 1 ? " job" : " jobs") }));
    }
    if (!counts.length) { emptyChart(svgEl, W, H, "No data yet"); return; }
    svgEl.setAttribute("aria-label", "Job latency histogram over " + count + " jobs" +
      pct.filter((p) => isNum(p[1])).map((p) => ", " + p[0] + " " + fmtDuration(p[1])).join(""));

    const L = 40, R = 10, T = 18, B = 24;
    const x0 = L, x1 = W - R, y0 = H - B, y1 = T;
    const n = counts.length;
    const max = niceMax(Math.max(...counts.filter(isNum), 1));
    const g = sv("g");
    yAxis(g, x0, x1, y0, y1, max);
    const bw = (x1 - x0) / n;
    const gap = Math.min(6, bw * 0.18);
    const label = (i) => i < bounds.length ? "≤" + fmtDurShort(bounds[i]) : ">" + fmtDurShort(bounds[bounds.length - 1]);
    const range = (i) => i === 0 ? "up to " + fmtDuration(bounds[0])
      : i < bounds.length ? fmtDuration(bounds[i - 1]) + " – " + fmtDuration(bounds[i])
      : "over " + fmtDuration(bounds[bounds.length - 1]);
    // show every label if there is room, else every other (or third...)
    const longest = Math.max(...counts.map((_, i) => label(i).length));
    const every = Math.max(1, Math.ceil((longest * 6.4 + 6) / bw));
    counts.forEach((c, i) => {
      if (!isNum(c)) return;
      const h = (y0 - y1) * c / max;
      const x = x0 + i * bw;
      const r = sv("rect", { x: x + gap / 2, y: y0 - h, width: Math.max(1, bw - gap), height: h, rx: 2, class: i === n - 1 && bounds.length ? "bar bar-tail" : "bar" });
      r.append(sv("title", null, range(i) + ": " + c + (c === 1 ? " job" : " jobs")));
      g.append(r);
      if (h < 4) {
        const hit = sv("rect", { x, y: y1, width: bw, height: y0 - y1, class: "hit" });
        hit.append(sv("title", null, range(i) + ": " + c + (c === 1 ? " job" : " jobs")));
        g.append(hit);
      }
      if (i % every === 0 || i === n - 1) {
        g.append(sv("text", { x: x + bw / 2, y: H - 6, class: "tick", "text-anchor": "middle" }, label(i)));
      }
    });
    // percentile markers, placed inside their bucket by log interpolation
    const pos = (v) => {
      if (!isNum(v) || !bounds.length) return null;
      let i = bounds.findIndex((b) => v <= b);
      if (i < 0) i = bounds.length;
      const lo = i === 0 ? bounds[0] / 10 : bounds[i - 1];
      const hi = i < bounds.length ? bounds[i] : bounds[bounds.length - 1] * 10;
      let f = (lo > 0 && hi > lo && v > 0) ? (Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) : 0.5;
      f = Math.max(0.05, Math.min(0.95, f));
      return x0 + (i + f) * bw;
    };
    if (count > 0) {
      const placed = [];
      for (const [name, v] of pct) {
        const x = pos(v);
        if (x == null) continue;
        // stack labels that would overlap
        let row = 0;
        while (placed.some((p) => p.row === row && Math.abs(p.x - x) < 30)) row++;
        placed.push({ x, row });
        const ly = y1 - 6 + row * 12;
        g.append(sv("line", { x1: x, x2: x, y1: ly + 3, y2: y0, class: "marker marker-" + name }));
        const t = sv("text", { x: x + 3, y: ly, class: "marker-label" }, name);
        t.append(sv("title", null, name + ": " + fmtDuration(v)));
        g.append(t);
      }
    } else {
      emptyChart(svgEl, W, H - 20, "No finished jobs yet");
    }
    svgEl.append(g);
  }

  /* ========================================================== node page */

  function nodePage() {
    const host = new URLSearchParams(location.search).get("host");
    const tbody = $("servers-body");
    const busy = new Set();   // server locations with an action in flight
    let nodeBusy = false;
    let info = null;

    if (host) {
      setText($("page-title"), "Node " + host);
      setText($("crumb-node"), host);
      $("crumb-node").href = "node.html?host=" + qv(host);
      document.title = "Node " + host + " · dispycos";
    }

    const suspendBtn = $("node-suspend"), resumeBtn = $("node-resume");
    for (const b of [suspendBtn, resumeBtn]) {
      b.addEventListener("click", async () => {
        if (!host) return;
        nodeBusy = true; sync();
        await runAction(b.dataset.action, [host], host);
        nodeBusy = false; sync();
        poller.now();
      });
    }
    function sync() { syncToggle(suspendBtn, resumeBtn, info && info.status, nodeBusy || !info || !info.addr); }
    sync();

    function missing(text) {
      $("node-missing").hidden = false;
      $("node-content").hidden = true;
      $("node-actions").hidden = true;
      setText($("node-missing-text"), text);
      updatePill($("node-status"), "");
      $("node-status").hidden = true;
    }

    function makeRow(loc) {
      const link = el("a", { href: "server.html?location=" + qv(loc), text: loc, title: "Jobs on " + loc });
      const suspend = el("button", { type: "button", class: "btn btn-small", dataset: { action: "suspend_server" }, text: "Suspend" });
      const resume = el("button", { type: "button", class: "btn btn-small", dataset: { action: "resume_server" }, text: "Resume" });
      for (const b of [suspend, resume]) {
        b.setAttribute("aria-label", b.textContent + " server " + loc);
        b.addEventListener("click", async () => {
          busy.add(loc); render();
          await runAction(b.dataset.action, [loc], loc);
          busy.delete(loc); render();
          poller.now();
        });
      }
      const tr = el("tr", { dataset: { server: loc } },
        el("th", { scope: "row", class: "mono", dataset: { field: "location" } }, link),
        el("td", { dataset: { field: "status" } }, statusPill("")),
        el("td", { class: "num", dataset: { field: "tasks_submitted" } }),
        el("td", { class: "num", dataset: { field: "tasks_running" } }),
        el("td", { class: "num", dataset: { field: "tasks_done" } }),
        el("td", { class: "num", dataset: { field: "tasks_failed" } }),
        el("td", { class: "num muted", dataset: { field: "update_time" } }),
        el("td", { class: "actions" }, el("span", { class: "btn-group" }, suspend, resume)));
      tr._suspend = suspend; tr._resume = resume;
      return tr;
    }

    function updateRow(tr, s) {
      const c = cells(tr);
      updatePill(c.status.firstChild, s.status);
      for (const f of ["tasks_submitted", "tasks_running", "tasks_done", "tasks_failed"]) setText(c[f], s[f] == null ? "" : s[f]);
      c.tasks_failed.classList.toggle("bad", s.tasks_failed > 0);
      c.tasks_running.classList.toggle("strong", s.tasks_running > 0);
      agoCell(c.update_time, s.update_time);
      tr.classList.toggle("dim", DEAD.has(s.status));
      syncToggle(tr._suspend, tr._resume, s.status, busy.has(s.location));
    }

    function render() {
      if (!info) return;
      if (!info.addr) { missing("The node " + host + " is not known to this dashboard (yet). It appears here once the scheduler has discovered it."); return; }
      $("node-missing").hidden = true;
      $("node-content").hidden = false;
      $("node-actions").hidden = false;
      $("node-status").hidden = false;
      const a = info.avail_info || {};
      updatePill($("node-status"), info.status);
      setText($("node-subtitle"), [info.name, info.platform].filter(Boolean).join(" · ") || "\u00a0");
      setText($("d-name"), info.name || "–");
      setText($("d-addr"), info.addr);
      setText($("d-cpus"), fmtInt(info.cpus));
      setText($("d-platform"), info.platform || "–");
      cpuCell($("d-cpu"), a.cpu);
      setText($("d-memory"), fmtBytes(a.memory));
      setText($("d-disk"), fmtBytes(a.disk));
      setText($("d-swap"), fmtPct(a.swap));
      agoCell($("d-update"), info.update_time);
      setText($("details-note"), info.avail_info ? "" : "no resource reading yet");
      const servers = Array.isArray(info.servers) ? info.servers.slice() : [];
      servers.sort((x, y) => locationKey(x.location).localeCompare(locationKey(y.location)));
      setText($("sum-servers"), fmtInt(servers.length));
      setText($("sum-submitted"), fmtInt(info.tasks_submitted));
      setText($("sum-running"), fmtInt(info.tasks_running));
      setText($("sum-done"), fmtInt(info.tasks_done));
      setText($("sum-failed"), fmtInt(info.tasks_failed));
      $("sum-failed").classList.toggle("bad", info.tasks_failed > 0);
      reconcile(tbody, "data-server", servers, (s) => s.location, makeRow, updateRow);
      $("servers-empty").hidden = servers.length > 0;
      $("servers-table").hidden = servers.length === 0;
      const running = servers.filter((s) => !DEAD.has(s.status)).length;
      setText($("servers-note"), servers.length ? running + " of " + servers.length + " active" : "");
      sync();
    }

    if (!host) {
      missing("No node was given: open this page from the cluster page (node.html?host=IP).");
      poller.start(async () => { applySummary(await getJSON("/cluster_summary")); });
      return;
    }

    poller.start(async () => {
      const [ni, s] = await Promise.all([postForm("/node_info", { host }), getJSON("/cluster_summary")]);
      applySummary(s);
      info = ni && typeof ni === "object" ? ni : {};
      render();
    });
  }

  /* ======================================================== server page */

  function serverPage() {
    const loc = new URLSearchParams(location.search).get("location");
    const tbody = $("jobs-body");
    const terminating = new Set();
    let info = null;
    let serverBusy = false;
    let showArgs = true;
    const filterInput = $("jobs-filter");

    const nodeOf = (l) => { const i = String(l).lastIndexOf(":"); return i > 0 ? l.slice(0, i) : l; };
    function setNodeLink(ip) {
      const link = $("link-node");
      setText(link, ip);
      link.href = "node.html?host=" + qv(ip);
    }

    if (loc) {
      setText($("page-title"), "Server " + loc);
      setText($("crumb-server"), loc);
      $("crumb-server").href = "server.html?location=" + qv(loc);
      setNodeLink(nodeOf(loc));
      document.title = "Server " + loc + " · dispycos";
    }

    const suspendBtn = $("server-suspend"), resumeBtn = $("server-resume");
    for (const b of [suspendBtn, resumeBtn]) {
      b.addEventListener("click", async () => {
        if (!loc) return;
        serverBusy = true; sync();
        await runAction(b.dataset.action, [loc], loc);
        serverBusy = false; sync();
        poller.now();
      });
    }
    function sync() { syncToggle(suspendBtn, resumeBtn, info && info.status, serverBusy || !info || !info.location); }
    sync();

    function missing(text) {
      $("server-missing").hidden = false;
      $("server-content").hidden = true;
      suspendBtn.hidden = resumeBtn.hidden = true;
      $("server-status").hidden = true;
      setText($("server-missing-text"), text);
    }

    function applyFilter() {
      const q = filterInput.value.trim().toLowerCase();
      let shown = 0;
      for (const tr of tbody.children) {
        const hit = !q || (tr._haystack || "").includes(q);
        tr.hidden = !hit;
        if (hit) shown++;
      }
      return shown;
    }
    filterInput.addEventListener("input", () => { applyFilter(); note(); });

    async function terminate(task, tr) {
      terminating.add(task);
      markTerminating(tr, true);
      try {
        const res = await postForm("/terminate_tasks", [["task", task]]);
        if (Array.isArray(res) && !res.includes(task)) notice("The job " + task + " had already finished");
        else notice("Asked to terminate " + task);
        banner.clear("error");
      } catch (e) {
        terminating.delete(task);
        markTerminating(tr, false);
        if (!(e instanceof HttpError && e.status === 403)) showError("Could not terminate " + task + ": " + e.message);
      }
      poller.now();
    }

    function markTerminating(tr, on) {
      const b = tr._terminate;
      tr.classList.toggle("terminating", on);
      setAttr(tr, "data-state", on ? "terminating" : null);
      setAttr(tr, "aria-busy", on ? "true" : null);
      b.disabled = on;
      setText(b, on ? "terminating…" : "Terminate");
    }

    function makeRow(task) {
      const b = el("button", { type: "button", class: "btn btn-small btn-danger", dataset: { action: "terminate" }, text: "Terminate", "aria-label": "Terminate " + task });
      const tr = el("tr", { dataset: { task } },
        el("th", { scope: "row", class: "mono task", dataset: { field: "task" }, text: task, title: task }),
        el("td", { class: "mono", dataset: { field: "name" } }),
        el("td", { class: "mono args", dataset: { field: "args" } }),
        el("td", { class: "num", dataset: { field: "start_time" } }),
        el("td", { class: "num muted", dataset: { field: "running_for" } }),
        el("td", { class: "actions" }, b));
      tr._terminate = b;
      b.addEventListener("click", () => terminate(task, tr));
      return tr;
    }

    function updateRow(tr, t) {
      const c = cells(tr);
      // Rust functions have no keyword arguments: `kwargs` stays out.
      const args = t.args == null ? "" : String(t.args);
      setText(c.name, t.name == null ? "" : t.name);
      setText(c.args, args);
      setAttr(c.args, "title", args || null);
      setText(c.start_time, fmtClock(t.start_time));
      setAttr(c.start_time, "title", isNum(t.start_time) ? fmtDate(t.start_time) : null);
      setAttr(c.start_time, "data-value", isNum(t.start_time) ? t.start_time : null);
      setAttr(c.running_for, "data-since", isNum(t.start_time) ? t.start_time : "");
      setText(c.running_for, isNum(t.start_time) ? fmtElapsed(serverNow() - t.start_time) : "–");
      tr._haystack = [t.task, t.name, args].join(" ").toLowerCase();
      markTerminating(tr, terminating.has(t.task));
    }

    function note() {
      if (!info || !info.location) return;
      const tasks = Array.isArray(info.tasks) ? info.tasks : [];
      const running = isNum(info.tasks_running) ? info.tasks_running : tasks.length;
      let text = "";
      if (running > tasks.length) text = "showing " + tasks.length + " of " + fmtInt(running) + " running jobs (at most " + JOB_LIMIT + ")";
      if (filterInput.value.trim()) {
        let shown = 0;
        for (const tr of tbody.children) if (!tr.hidden) shown++;
        text = shown + " of " + tasks.length + " match" + (text ? " · " + text : "");
      }
      setText($("jobs-note"), text);
    }

    function render() {
      if (!info) return;
      if (!info.location) { missing("The server " + loc + " is not known to this dashboard (yet)."); return; }
      $("server-missing").hidden = true;
      $("server-content").hidden = false;
      suspendBtn.hidden = resumeBtn.hidden = false;
      $("server-status").hidden = false;
      if (info.node) setNodeLink(info.node);
      updatePill($("server-status"), info.status);
      setText($("server-subtitle"), "Server on node " + (info.node || nodeOf(info.location)));
      setText($("sum-submitted"), fmtInt(info.tasks_submitted));
      setText($("sum-running"), fmtInt(info.tasks_running));
      setText($("sum-done"), fmtInt(info.tasks_done));
      setText($("sum-failed"), fmtInt(info.tasks_failed));
      $("sum-failed").classList.toggle("bad", info.tasks_failed > 0);
      agoCell($("sum-update"), info.update_time);
      const tasks = (Array.isArray(info.tasks) ? info.tasks : []).filter((t) => t && typeof t.task === "string");
      tasks.sort((a, b) => (a.start_time || 0) - (b.start_time || 0) || (a.task < b.task ? -1 : 1));
      const listed = new Set(tasks.map((t) => t.task));
      for (const t of [...terminating]) if (!listed.has(t)) terminating.delete(t);
      reconcile(tbody, "data-task", tasks, (t) => t.task, makeRow, updateRow);
      applyFilter();
      $("jobs-empty").hidden = tasks.length > 0;
      $("jobs-table").hidden = tasks.length === 0;
      $("args-hint").hidden = showArgs || tasks.length === 0;
      $("jobs-table").classList.toggle("no-args", !showArgs);
      note();
      sync();
    }

    if (!loc) {
      missing("No server was given: open this page from a node page (server.html?location=IP:PORT).");
      poller.start(async () => { applySummary(await getJSON("/cluster_summary")); });
      return;
    }

    poller.start(async () => {
      const [si, s] = await Promise.all([postForm("/server_info", { location: loc, limit: JOB_LIMIT }), getJSON("/cluster_summary")]);
      applySummary(s);
      if (typeof s.show_task_args === "boolean") showArgs = s.show_task_args;
      info = si && typeof si === "object" ? si : {};
      render();
    });
  }

  /* ---------------------------------------------------------------- start */

  if (page === "cluster") clusterPage();
  else if (page === "node") nodePage();
  else if (page === "server") serverPage();
})();
