// The Agent Gateway console: reads the gateway's endpoints through ./api, refreshes when the server
// pushes an event (a call settled, a tool call ended, an approval was asked or decided, an operator acted).
// No build step, no framework.
"use strict";

const WINDOW = 500; // calls read for the chart and the runs
const state = { session: null, gateway: null, calls: [], toolCalls: [], allCalls: [], checkpoints: {}, approvals: null, chart: null };

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

/** The JSON at path, or null when the console answers 404 (Actuator does not expose that endpoint). */
async function getOptional(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" }, credentials: "same-origin" });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(path + ": HTTP " + response.status);
  return response.json();
}

async function post(path, body) {
  const headers = { "Content-Type": "application/json", Accept: "application/json" };
  const csrf = state.session.csrf;
  if (csrf && csrf.headerName) headers[csrf.headerName] = csrf.token;
  const response = await fetch(path, { method: "POST", headers, credentials: "same-origin", body: JSON.stringify(body || {}) });
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(answer.message || answer.error || "HTTP " + response.status);
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
  const run = (id) => byId.get(id) || byId.set(id, { id, calls: [], toolCalls: [], approvals: [], cost: 0, steps: 0 }).get(id);
  state.allCalls.filter((call) => call.workflowId).forEach((call) => {
    const entry = run(call.workflowId);
    entry.calls.push(call);
    entry.cost += Number(call.cost || 0);
    // as the ledger counts: a refused or failed call's reservation is released, it is no step
    if (call.success) entry.steps += 1;
  });
  state.toolCalls.filter((tool) => tool.workflowId && byId.has(tool.workflowId)).forEach((tool) => run(tool.workflowId).toolCalls.push(tool));
  pendingApprovals().forEach((approval) => run(approval.workflowId).approvals.push(approval));
  return [...byId.values()].map((entry) => {
    const last = entry.calls[entry.calls.length - 1];
    const checkpoint = state.checkpoints[entry.id];
    entry.checkpoint = checkpoint;
    entry.last = last;
    entry.agentId = last ? last.agentId : entry.approvals[0].agentId;
    entry.started = entry.calls.length ? entry.calls[0].timestamp : entry.approvals[0].requestedAt;
    entry.latest = [last && last.timestamp, ...entry.approvals.map((approval) => approval.requestedAt)].filter(Boolean).sort().pop();
    entry.state = runState(entry, last, checkpoint);
    return entry;
  }).sort((a, b) => (b.latest || "").localeCompare(a.latest || ""));
}

function runState(entry, last, checkpoint) {
  if (entry.approvals.length) return "awaiting approval";
  if (last.errorType === "LoopDetectedException") return "loop detected";
  if (!last.success) return "failed";
  const finished = checkpoint ? checkpoint.resumePoint && checkpoint.resumePoint.finished
    : last.finishReason !== "tool_calls";
  return finished ? "finished" : "running";
}

function pendingApprovals() {
  return state.approvals ? state.approvals.approvals.filter((approval) => String(approval.state).toLowerCase() === "pending") : [];
}

/** Spend and steps against the per-run limits, and the time from the run's first event to its last (or now). */
function runUsage(entry) {
  const limits = state.gateway.limits.perWorkflow;
  const threshold = state.gateway.limits.warningThreshold;
  const ongoing = entry.state === "running" || entry.state === "awaiting approval";
  const end = ongoing ? Date.now() : new Date(entry.latest).getTime();
  const seconds = Math.max(0, Math.round((end - new Date(entry.started).getTime()) / 1000));
  return el("div", { class: "run-usage", "data-run-usage": entry.id },
    el("span", { class: "kind" }, "spend"), bar(entry.cost, 0, limits.maxBudget, threshold, money),
    el("span", { class: "kind" }, "steps"), bar(entry.steps, 0, limits.maxSteps, threshold, String),
    el("span", { class: "kind" }, "time"), el("span", {}, seconds + " s" + (ongoing ? " so far" : "")));
}

function renderRuns() {
  const all = runs();
  $("runs").replaceChildren(...(all.length ? all.map((entry) => {
    const events = [
      ...entry.calls.map((call) => ({ at: call.timestamp, node: el("span", { class: "event call " + outcomeOf(call),
        title: (call.model || "") + " " + money(call.cost) + (call.error ? " — " + call.error : "") },
        "step " + (call.step ?? "–") + " · " + outcomeOf(call)) })),
      ...entry.toolCalls.map((tool) => ({ at: tool.timestamp, node: el("span", { class: "event tool " + tool.outcome,
        title: tool.durationMs + " ms" }, "tool " + tool.toolName + " · " + tool.outcome) })),
      ...entry.approvals.map((approval) => ({ at: approval.requestedAt, node: el("span", { class: "event approval",
        title: approval.arguments }, approval.toolName + " · awaiting approval") })),
    ].sort((a, b) => (a.at || "").localeCompare(b.at || ""));
    const checkpoint = entry.checkpoint
      ? el("span", { class: "event checkpoint" }, "✓ " + entry.checkpoint.checkpoints + " checkpoints"
        + (entry.checkpoint.resumePoint && entry.checkpoint.resumePoint.resumable ? ", resumable" : "")) : "";
    return el("div", { class: "run", "data-run": entry.id, "data-state": entry.state },
      el("div", { class: "run-head" }, el("strong", {}, entry.id), " ", el("span", { class: "pill " + entry.state.replaceAll(" ", "-") }, entry.state),
        el("span", { class: "muted" }, " agent " + entry.agentId)),
      runUsage(entry),
      el("div", { class: "timeline" }, ...events.map((event) => event.node), checkpoint));
  }) : [el("p", { class: "muted" }, "No runs yet.")]));
}

// ---- approvals ----------------------------------------------------------------------------------

function renderApprovals() {
  $("approvals-section").hidden = state.approvals === null;
  if (state.approvals === null) return;
  const pending = pendingApprovals();
  const writable = state.approvals.writeEnabled;
  $("approvals").tBodies[0].replaceChildren(...pending.map((approval) => el("tr", { "data-approval": approval.id },
    el("td", {}, time(approval.requestedAt)), el("td", {}, el("strong", {}, approval.toolName)),
    el("td", {}, el("pre", {}, approval.arguments)), el("td", {}, approval.workflowId), el("td", {}, approval.agentId),
    el("td", {}, approval.tenant || ""), el("td", {}, time(approval.expiresAt)),
    el("td", {}, writable ? approvalButtons(approval) : ""))));
  $("approvals-empty").hidden = pending.length > 0;
  $("approvals-count").textContent = String(state.approvals.pending);
  $("approvals-count").className = "pill" + (state.approvals.pending > 0 ? " some" : "");
}

function approvalButtons(approval) {
  const describe = approval.toolName + " of run " + approval.workflowId;
  return [
    el("button", { type: "button", class: "small", "data-approval-action": "approve",
      onclick: () => decide("Approve " + describe + "?", approval, { decision: "approve" }) }, "approve"),
    el("button", { type: "button", class: "small", "data-approval-action": "edit",
      onclick: () => openDecision(approval, "edit") }, "edit"),
    el("button", { type: "button", class: "small danger", "data-approval-action": "reject",
      onclick: () => openDecision(approval, "reject") }, "reject"),
  ];
}

function decide(question, approval, body) {
  return act(question, "api/approvals/" + encodeURIComponent(approval.id), body, "approval-error");
}

/** The dialog that edits the arguments ("edit") or asks for the reason ("reject") before deciding. */
function openDecision(approval, mode) {
  const dialog = $("approval-dialog");
  dialog.approval = approval;
  dialog.dataset.mode = mode;
  $("approval-title").textContent = (mode === "edit" ? "Approve with edited arguments: " : "Reject: ") + approval.toolName;
  $("approval-what").textContent = "Run " + approval.workflowId + ", agent " + approval.agentId + ". The model asked: " + approval.arguments;
  $("approval-arguments-field").hidden = mode !== "edit";
  $("approval-reason-field").hidden = mode !== "reject";
  $("approval-arguments").value = approval.arguments;
  $("approval-reason").value = "";
  $("approval-reason").required = mode === "reject";
  $("approval-submit").textContent = mode === "edit" ? "Approve with these arguments" : "Reject";
  $("approval-submit").className = mode === "reject" ? "danger" : "";
  dialog.showModal();
}

function submitDecision(event) {
  event.preventDefault();
  const dialog = $("approval-dialog");
  dialog.close();
  if (event.submitter && event.submitter.value === "cancel") return;
  const approval = dialog.approval;
  const describe = approval.toolName + " of run " + approval.workflowId;
  if (dialog.dataset.mode === "edit") {
    const edited = $("approval-arguments").value.trim();
    decide("Approve " + describe + " with the arguments " + edited + "?", approval, { decision: "approve-with-edit", arguments: edited });
  } else {
    const reason = $("approval-reason").value.trim();
    decide("Reject " + describe + " (" + reason + ")?", approval, { decision: "reject", reason });
  }
}

// ---- control and audit --------------------------------------------------------------------------

async function act(question, path, body, errorId = "control-error") {
  if (!window.confirm(question)) return;
  $(errorId).hidden = true;
  try {
    await post(path, body);
  } catch (failure) {
    $(errorId).textContent = failure.message;
    $(errorId).hidden = false;
  }
  refresh();
}

function renderControls() {
  const writable = state.session.writeEnabled;
  $("controls").hidden = !writable;
  if (!writable) return;
  const options = [el("option", { value: "gateway" }, "global"),
    ...Object.keys(state.gateway.agents).map((id) => el("option", { value: "agent:" + id }, "agent " + id)),
    ...Object.keys(state.gateway.tenants).map((id) => el("option", { value: "tenant:" + id }, "tenant " + id)),
    el("option", { value: "tenant:*" }, "another tenant…")];
  const chosen = $("limit-scope").value;
  const current = [...$("limit-scope").options].map((option) => option.value).join("\n");
  // left alone while the scopes are the same, so a refresh never pulls the list from under the operator
  if (current === options.map((option) => option.value).join("\n")) return;
  $("limit-scope").replaceChildren(...options);
  if (options.some((option) => option.value === chosen)) $("limit-scope").value = chosen;
}

function changeLimit(event) {
  event.preventDefault();
  const scope = $("limit-scope").value;
  const name = $("limit-name").value;
  const value = $("limit-value").value.trim() || "none";
  let [kind, id] = scope.includes(":") ? [scope.slice(0, scope.indexOf(":")), scope.slice(scope.indexOf(":") + 1)] : ["gateway", ""];
  if (scope === "tenant:*") {
    // a tenant with no limit and no spend yet is not listed: the operator names it
    id = (window.prompt("Which tenant?") || "").trim();
    if (!id) return;
  }
  const path = kind === "agent" ? "api/agents/" + encodeURIComponent(id) + "/limits"
    : kind === "tenant" ? "api/tenants/" + encodeURIComponent(id) + "/limits" : "api/control/limits";
  act("Set " + name + " of " + (id ? kind + " " + id : "the gateway") + " to " + value + "?", path, { [name]: value });
}

function renderAudit(entries) {
  $("audit").replaceChildren(...entries.map((entry) => el("li", {}, time(entry.timestamp) + " — " + entry.operator + ": "
    + entry.action + " " + entry.target + (Object.keys(entry.settings).length ? " " + JSON.stringify(entry.settings) : ""))));
  $("audit-empty").hidden = entries.length > 0;
}

function renderAccessNote() {
  const session = state.session;
  const missing = Object.entries(session.sections).filter(([, shown]) => !shown).map(([name]) => name);
  if (state.approvals === null) missing.push("approvals");
  $("access-note").textContent = (session.secured
    ? "Protected by Spring Security: signed in as " + session.operator + "."
    : "No Spring Security guards this console: it is open to whoever reaches this port, as the Actuator endpoints it shows are.")
    + (session.writeEnabled ? " Write actions are enabled (agent-gateway.actuator.write-enabled)." : " Read-only: write actions are off.")
    + (missing.length ? " Not exposed by Actuator: " + missing.join(", ") + "." : "");
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
      const [gateway, filtered, all, checkpoints, audit, approvals] = await Promise.all([
        getJson("api/gateway"), sections.calls ? getJson(query(callFilters())) : { calls: [] },
        sections.calls ? getJson(query({})) : { calls: [], toolCalls: [] },
        sections.checkpoints ? getJson("api/checkpoints") : { workflows: {} }, getJson("api/audit"),
        getOptional("api/approvals")]);
      Object.assign(state, { gateway, calls: filtered.calls, allCalls: all.calls, toolCalls: all.toolCalls,
        checkpoints: checkpoints.workflows, approvals });
      renderScopes(); renderCalls(); renderApprovals(); renderRuns(); renderChart(); renderControls(); renderAudit(audit);
      renderAccessNote();
      document.body.dataset.refreshed = String(Date.now());
      document.body.dataset.refreshes = String(Number(document.body.dataset.refreshes || 0) + 1);
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

const RETRY_MS = 3000;
let events = null;

function listen() {
  const source = new EventSource("api/events");
  events = source;
  // on a reconnect too: what settled while the stream was down was never pushed, so read it now
  source.addEventListener("open", () => { $("live").textContent = "live"; $("live").className = "pill on"; refreshSoon(); });
  source.addEventListener("error", () => {
    $("live").textContent = "reconnecting"; $("live").className = "pill off";
    // the browser retries a dropped stream itself, but gives up on an answer such as 503 (all
    // agent-gateway.console.max-subscribers places taken): ask again later
    if (source.readyState === EventSource.CLOSED && events === source) setTimeout(listen, RETRY_MS);
  });
  ["call", "toolCall", "approval", "audit"].forEach((name) => source.addEventListener(name, refreshSoon));
}

async function start() {
  state.session = await getJson("api/session");
  $("operator").textContent = state.session.operator;
  ["filter-agent", "filter-workflow", "filter-tenant"].forEach((id) => $(id).addEventListener("change", refresh));
  $("filter-outcome").addEventListener("change", refresh);
  $("call-filters").addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  $("btn-stop").addEventListener("click", () => act("Stop all agents? Every new call will be refused.", "api/control/stop"));
  $("btn-resume").addEventListener("click", () => act("Resume the gateway?", "api/control/resume"));
  $("btn-reset").addEventListener("click", () => act("Reset all figures, history and checkpoints?", "api/control/reset"));
  $("limit-form").addEventListener("submit", changeLimit);
  $("approval-form").addEventListener("submit", submitDecision);
  await refresh();
  listen();
  window.addEventListener("pagehide", () => { const source = events; events = null; if (source) source.close(); });
}

start();
