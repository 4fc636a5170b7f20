// The Agent Gateway console: reads the gateway's endpoints through ./api, refreshes when the server
// pushes an event (a call settled, a tool call ended, an operator acted). No build step, no framework.
"use strict";

const WINDOW = 500; // calls read for the chart and the runs
const state = { session: null, gateway: null, calls: [], toolCalls: [], allCalls: [], checkpoints: {}, chart: null };

const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([key, value]) => {
    if (value === undefined || value === null || value === false) return;
    if (key === "class") node.className = value; else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  });
  children.flat().forEach((child) => node.append(child instanceof Node ? child : document.createTextNode(child ?? "")));
  return node;
}

async function getJson(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (!response.ok) throw new Error(path + ": HTTP " + response.status);
  return response.json();
}

async function post(path, body) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const csrf = state.session.csrf;
  if (csrf && csrf.headerName) headers[csrf.headerName] = csrf.token;
  const response = await fetch(path, { method: "POST", headers, credentials: "same-origin", body: JSON.stringify(body || {}) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.message || "HTTP " + response.status);
  return answer;
}

// ---- figures ------------------------------------------------------------------------------------

const money = (value) => value === null || value === undefined ? "–" : "$" + Number(value).toFixed(4);
const outcomeOf = (call) => call.success ? "success" : call.refusedBy ? "refused" : "failed";
const time = (iso) => iso ? new Date(iso).toLocaleTimeString() : "";

function bar(used, reserved, limit, threshold, format) {
  if (limit === null || limit === undefined) {
    return el("span", { class: "muted" }, format(used) + " (no limit)");
  }
  const max = Number(limit);
  const share = max > 0 ? (Number(used) + Number(reserved || 0)) / max : 1;
  const level = share >= 1 ? "over" : share >= threshold ? "warn" : "ok";
  return el("div", { class: "bar " + level, title: format(used) + " of " + format(limit), "data-share": share.toFixed(3) },
    el("div", { class: "fill", style: "width:" + Math.min(100, share * 100).toFixed(1) + "%" }),
    el("div", { class: "mark", style: "left:" + (threshold * 100).toFixed(1) + "%" }),
    el("span", { class: "label" }, format(used) + " / " + format(limit)));
}

function scopeRow(kind, name, figures, threshold, extra) {
  return el("tr", { "data-scope": kind + ":" + name },
    el("td", {}, el("span", { class: "kind" }, kind), " ", name),
    el("td", {}, bar(figures.cost, figures.reservedCost, figures.limits.maxBudget, threshold, money)),
    el("td", {}, bar(figures.steps, figures.reservedSteps, figures.limits.maxSteps, threshold, String)),
    el("td", {}, figures.time || ""),
    el("td", {}, extra || ""));
}

function renderScopes() {
  const gateway = state.gateway;
  const limits = gateway.limits;
  const threshold = limits.warningThreshold;
  $("threshold").textContent = Math.round(threshold * 100);
  const metrics = gateway.metrics;
  const global = {
    cost: metrics.total_cost, steps: metrics.total_steps, reservedCost: 0, reservedSteps: 0,
    limits: { maxBudget: limits.maxBudget, maxSteps: limits.maxSteps },
    time: limits.maxTimeSeconds === null ? Math.round(metrics.elapsed_seconds) + " s (no limit)" : null,
  };
  const rows = [];
  const globalRow = scopeRow("global", "", global, threshold);
  if (limits.maxTimeSeconds !== null) {
    globalRow.children[3].replaceChildren(bar(metrics.elapsed_seconds, 0, limits.maxTimeSeconds, threshold,
      (seconds) => Math.round(seconds) + " s"));
  }
  rows.push(globalRow);
  Object.entries(gateway.agents).forEach(([id, figures]) => rows.push(scopeRow("agent", id, figures, threshold, agentControls(id, figures))));
  Object.entries(gateway.tenants).forEach(([id, figures]) => rows.push(scopeRow("tenant", id, figures, threshold)));
  runs().filter((run) => run.state === "running").forEach((run) => rows.push(scopeRow("run", run.id, {
    cost: run.cost, steps: run.steps, limits: limits.perWorkflow,
  }, threshold)));
  $("scopes").tBodies[0].replaceChildren(...rows);
  const stopped = gateway.stopped;
  $("gateway-state").textContent = stopped ? "STOPPED" : "running";
  $("gateway-state").className = "pill " + (stopped ? "stopped" : "running");
}

function agentControls(id, figures) {
  const parts = [];
  if (figures.paused) parts.push(el("span", { class: "pill stopped" }, "paused"));
  if (state.session.writeEnabled) {
    const action = figures.paused ? "resume" : "pause";
    parts.push(el("button", { type: "button", class: "small", "data-agent-action": action + ":" + id,
      onclick: () => act(action + " agent " + id + "?", "api/agents/" + encodeURIComponent(id) + "/" + action) }, action));
  }
  return parts;
}

// ---- chart --------------------------------------------------------------------------------------

function renderChart() {
  const calls = state.allCalls.filter((call) => call.timestamp);
  const agents = [...new Set(calls.map((call) => call.agentId))].sort();
  const xs = calls.map((call) => new Date(call.timestamp).getTime() / 1000);
  const totals = Object.fromEntries(agents.map((agent) => [agent, 0]));
  const series = agents.map(() => []);
  calls.forEach((call) => {
    totals[call.agentId] += Number(call.cost || 0);
    agents.forEach((agent, i) => series[i].push(totals[agent]));
  });
  const target = $("spend-chart");
  if (state.chart) { state.chart.destroy(); state.chart = null; }
  if (!window.uPlot || xs.length === 0) { target.replaceChildren(el("p", { class: "muted" }, "No spend yet.")); return; }
  target.replaceChildren();
  const colors = ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1", "#b83280", "#2c7a7b"];
  state.chart = new uPlot({
    width: Math.max(320, target.clientWidth || 640), height: 220,
    series: [{}, ...agents.map((agent, i) => ({ label: agent, stroke: colors[i % colors.length], width: 2,
      value: (u, v) => v === null ? "–" : "$" + v.toFixed(4) }))],
    axes: [{}, { values: (u, values) => values.map((v) => "$" + v.toFixed(3)), size: 70 }],
  }, [xs, ...series], target);
}

// ---- calls --------------------------------------------------------------------------------------

function callFilters() {
  return { agent: $("filter-agent").value.trim(), workflow: $("filter-workflow").value.trim(),
    tenant: $("filter-tenant").value.trim(), outcome: $("filter-outcome").value };
}

function renderCalls() {
  const filters = callFilters();
  const shown = state.calls.filter((call) => !filters.outcome || outcomeOf(call) === filters.outcome).slice().reverse();
  $("calls").tBodies[0].replaceChildren(...shown.map((call) => el("tr", {
    "data-call-id": call.callId, class: "clickable " + outcomeOf(call), onclick: () => openCall(call.callId),
  }, el("td", {}, time(call.timestamp)), el("td", {}, call.agentId), el("td", {}, call.workflowId || ""),
    el("td", {}, call.tenant || ""), el("td", {}, call.model || ""),
    el("td", { class: "outcome", title: call.error || "" }, outcomeOf(call) + (call.refusedBy ? " (" + call.refusedBy + ")" : "")),
    el("td", { class: "num" }, money(call.cost)), el("td", { class: "num" }, call.totalTokens),
    el("td", { class: "num" }, Math.round(call.latencyMs) + " ms"))));
  $("calls-empty").hidden = shown.length > 0;
  fillList("known-agents", state.allCalls.map((call) => call.agentId));
  fillList("known-runs", state.allCalls.map((call) => call.workflowId));
  fillList("known-tenants", state.allCalls.map((call) => call.tenant));
}

function fillList(id, values) {
  $(id).replaceChildren(...[...new Set(values.filter(Boolean))].sort().map((value) => el("option", { value })));
}

async function openCall(callId) {
  const call = await getJson("api/calls/" + encodeURIComponent(callId));
  $("detail-id").textContent = call.callId;
  const figures = { agent: call.agentId, run: call.workflowId, step: call.step, tenant: call.tenant, provider: call.provider,
    model: call.model, outcome: outcomeOf(call), error: call.error, "input tokens": call.inputTokens,
    "output tokens": call.outputTokens, cost: money(call.cost), latency: Math.round(call.latencyMs) + " ms",
    "finish reason": call.finishReason, redacted: call.redacted ? "yes (agent-gateway.history.redact-content)" : "no" };
  $("detail-figures").replaceChildren(...Object.entries(figures).filter(([, v]) => v !== null && v !== undefined)
    .flatMap(([key, value]) => [el("dt", {}, key), el("dd", {}, String(value))]));
  const request = call.request || { messages: [], tools: [] };
  $("detail-request").replaceChildren(
    el("p", { class: "muted" }, "temperature " + (request.temperature ?? "–") + ", max tokens " + (request.maxTokens ?? "–")
      + (request.tools.length ? ", tools offered: " + request.tools.map((tool) => tool.name).join(", ") : "")),
    ...request.messages.map((message) => el("div", { class: "message " + message.role },
      el("span", { class: "kind" }, message.role), el("pre", {}, message.content ?? ""),
      ...(message.toolCalls || []).map((tool) => el("pre", { class: "tool" }, tool.name + "(" + tool.arguments + ")")))));
  const response = call.response;
  $("detail-response").replaceChildren(response
    ? el("div", { class: "message assistant" }, el("pre", {}, response.content ?? ""))
    : el("p", { class: "error" }, call.error || "no response"));
  const asked = response ? response.toolCalls : [];
  $("detail-tools").replaceChildren(...(asked.length ? asked.map((tool) => {
    const result = (call.toolResults || []).find((r) => r.toolCallId === tool.id);
    return el("div", { class: "message tool", "data-tool-call": tool.id },
      el("strong", {}, tool.name), el("pre", {}, tool.arguments),
      el("pre", {}, result ? result.outcome + ": " + (result.result ?? "") : "not executed"));
  }) : [el("p", { class: "muted" }, "none")]));
  $("call-detail").showModal();
}

// ---- runs ---------------------------------------------------------------------------------------

function runs() {
  const byId = new Map();
  const run = (id) => byId.get(id) || byId.set(id, { id, calls: [], toolCalls: [], cost: 0, steps: 0 }).get(id);
  state.allCalls.filter((call) => call.workflowId).forEach((call) => {
    const entry = run(call.workflowId);
    entry.calls.push(call);
    entry.cost += Number(call.cost || 0);
    if (!call.refusedBy || call.success) entry.steps += 1;
  });
  state.toolCalls.filter((tool) => tool.workflowId && byId.has(tool.workflowId)).forEach((tool) => run(tool.workflowId).toolCalls.push(tool));
  return [...byId.values()].map((entry) => {
    const last = entry.calls[entry.calls.length - 1];
    const checkpoint = state.checkpoints[entry.id];
    const finished = checkpoint ? checkpoint.resumePoint && checkpoint.resumePoint.finished : last.success && last.finishReason !== "tool_calls";
    entry.checkpoint = checkpoint;
    entry.last = last;
    entry.state = last.errorType === "LoopDetectedException" ? "loop detected" : !last.success ? "failed" : finished ? "finished" : "running";
    return entry;
  }).sort((a, b) => (b.last.timestamp || "").localeCompare(a.last.timestamp || ""));
}

function renderRuns() {
  const all = runs();
  $("runs").replaceChildren(...(all.length ? all.map((entry) => {
    const events = [
      ...entry.calls.map((call) => ({ at: call.timestamp, node: el("span", { class: "event call " + outcomeOf(call),
        title: (call.model || "") + " " + money(call.cost) + (call.error ? " — " + call.error : "") },
        "step " + (call.step ?? "–") + " · " + outcomeOf(call)) })),
      ...entry.toolCalls.map((tool) => ({ at: tool.timestamp, node: el("span", { class: "event tool " + tool.outcome,
        title: tool.durationMs + " ms" }, "🔧 " + tool.toolName + " · " + tool.outcome) })),
    ].sort((a, b) => (a.at || "").localeCompare(b.at || ""));
    const checkpoint = entry.checkpoint
      ? el("span", { class: "event checkpoint" }, "✓ " + entry.checkpoint.checkpoints + " checkpoints"
        + (entry.checkpoint.resumePoint && entry.checkpoint.resumePoint.resumable ? ", resumable" : "")) : "";
    return el("div", { class: "run", "data-run": entry.id },
      el("div", { class: "run-head" }, el("strong", {}, entry.id), " ", el("span", { class: "pill " + entry.state.replace(" ", "-") }, entry.state),
        el("span", { class: "muted" }, " " + entry.steps + " steps, " + money(entry.cost) + ", agent " + entry.last.agentId)),
      el("div", { class: "timeline" }, ...events.map((event) => event.node), checkpoint));
  }) : [el("p", { class: "muted" }, "No runs yet.")]));
}

// ---- control and audit --------------------------------------------------------------------------

async function act(question, path, body) {
  if (!window.confirm(question)) return;
  $("control-error").hidden = true;
  try {
    await post(path, body);
  } catch (failure) {
    $("control-error").textContent = failure.message;
    $("control-error").hidden = false;
  }
  refresh();
}

function renderControls() {
  const writable = state.session.writeEnabled;
  $("controls").hidden = !writable;
  if (!writable) return;
  const options = [el("option", { value: "gateway" }, "global"),
    ...Object.keys(state.gateway.agents).map((id) => el("option", { value: "agent:" + id }, "agent " + id)),
    ...Object.keys(state.gateway.tenants).map((id) => el("option", { value: "tenant:" + id }, "tenant " + id))];
  const chosen = $("limit-scope").value;
  $("limit-scope").replaceChildren(...options);
  if (options.some((option) => option.value === chosen)) $("limit-scope").value = chosen;
}

function changeLimit(event) {
  event.preventDefault();
  const scope = $("limit-scope").value;
  const name = $("limit-name").value;
  const value = $("limit-value").value.trim() || "none";
  const [kind, id] = scope.includes(":") ? [scope.slice(0, scope.indexOf(":")), scope.slice(scope.indexOf(":") + 1)] : ["gateway", ""];
  const path = kind === "agent" ? "api/agents/" + encodeURIComponent(id) + "/limits"
    : kind === "tenant" ? "api/tenants/" + encodeURIComponent(id) + "/limits" : "api/control/limits";
  act("Set " + name + " of " + (id ? kind + " " + id : "the gateway") + " to " + value + "?", path, { [name]: value });
}

function renderAudit(entries) {
  $("audit").replaceChildren(...entries.map((entry) => el("li", {}, time(entry.timestamp) + " — " + entry.operator + ": "
    + entry.action + " " + entry.target + (Object.keys(entry.settings).length ? " " + JSON.stringify(entry.settings) : ""))));
  $("audit-empty").hidden = entries.length > 0;
}

// ---- refresh and live updates ---------------------------------------------------------------------

function query(filters) {
  const params = new URLSearchParams();
  ["agent", "workflow", "tenant"].forEach((key) => { if (filters[key]) params.set(key, filters[key]); });
  if (filters.outcome === "success") params.set("success", "true");
  if (filters.outcome === "failed" || filters.outcome === "refused") params.set("success", "false");
  params.set("limit", WINDOW);
  return "api/calls?" + params;
}

let refreshing = null;
let again = false;

async function refresh() {
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    try {
      const sections = state.session.sections;
      const [gateway, filtered, all, checkpoints, audit] = await Promise.all([
        getJson("api/gateway"), sections.calls ? getJson(query(callFilters())) : { calls: [] },
        sections.calls ? getJson(query({})) : { calls: [], toolCalls: [] },
        sections.checkpoints ? getJson("api/checkpoints") : { workflows: {} }, getJson("api/audit")]);
      Object.assign(state, { gateway, calls: filtered.calls, allCalls: all.calls, toolCalls: all.toolCalls,
        checkpoints: checkpoints.workflows });
      renderScopes(); renderCalls(); renderRuns(); renderChart(); renderControls(); renderAudit(audit);
      document.body.dataset.refreshed = String(Date.now());
    } catch (failure) {
      $("access-note").textContent = "Could not read the gateway: " + failure.message;
    }
  })();
  await refreshing;
  refreshing = null;
  if (again) { again = false; return refresh(); }
}

let pending = null;
function refreshSoon() {
  clearTimeout(pending);
  pending = setTimeout(refresh, 150);
}

function listen() {
  const source = new EventSource("api/events");
  source.addEventListener("open", () => { $("live").textContent = "live"; $("live").className = "pill on"; });
  source.addEventListener("error", () => { $("live").textContent = "reconnecting"; $("live").className = "pill off"; });
  ["call", "toolCall", "audit"].forEach((name) => source.addEventListener(name, refreshSoon));
  window.addEventListener("pagehide", () => source.close());
}

async function start() {
  state.session = await getJson("api/session");
  const session = state.session;
  $("operator").textContent = session.operator;
  const missing = Object.entries(session.sections).filter(([, shown]) => !shown).map(([name]) => name);
  $("access-note").textContent = (session.secured
    ? "Protected by Spring Security: signed in as " + session.operator + "."
    : "No Spring Security guards this console: it is open to whoever reaches this port, as the Actuator endpoints it shows are.")
    + (session.writeEnabled ? " Write actions are enabled (agent-gateway.actuator.write-enabled)." : " Read-only: write actions are off.")
    + (missing.length ? " Not exposed by Actuator: " + missing.join(", ") + "." : "");
  ["filter-agent", "filter-workflow", "filter-tenant"].forEach((id) => $(id).addEventListener("change", refresh));
  $("filter-outcome").addEventListener("change", refresh);
  $("call-filters").addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  $("btn-stop").addEventListener("click", () => act("Stop all agents? Every new call will be refused.", "api/control/stop"));
  $("btn-resume").addEventListener("click", () => act("Resume the gateway?", "api/control/resume"));
  $("btn-reset").addEventListener("click", () => act("Reset all figures, history and checkpoints?", "api/control/reset"));
  $("limit-form").addEventListener("submit", changeLimit);
  await refresh();
  listen();
}

start();
