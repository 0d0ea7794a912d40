'use strict';
// tracesift trace view: search, result list, virtualized waterfall, span details. Talks to the Jaeger-compatible
// API of the same origin; all data is inserted as text, never as HTML.
(function () {
  const ROW_H = 24;
  const OVERSCAN = 10;
  const SLOW_US = 2000000; // the default sampling rule keeps traces slower than 2 s
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7',
    '#5f9ed1', '#8cd17d', '#b6992d', '#d37295', '#499894', '#86bcb6', '#a0cbe8', '#ffbe7d'];
  const $ = (id) => document.getElementById(id);

  const state = { trace: null, rows: [], selected: null, refreshTimer: null, pool: [] };

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  // ---- credentials -------------------------------------------------------------------------------------------
  function credentials() {
    return { key: sessionStorage.getItem('tracesift.key'), org: sessionStorage.getItem('tracesift.org') };
  }

  function askForKey(message) {
    const err = $('key-error');
    err.hidden = !message;
    err.textContent = message || '';
    const dialog = $('key-dialog');
    if (!dialog.open) dialog.showModal();
    $('api-key').focus();
  }

  function showWho() {
    const c = credentials();
    $('who').textContent = c.key ? 'API key set' + (c.org ? ' · tenant ' + c.org : '') : 'no API key';
  }

  async function api(path) {
    const c = credentials();
    if (!c.key) {
      askForKey();
      throw new Error('an API key is needed');
    }
    const headers = { 'Authorization': 'Bearer ' + c.key };
    if (c.org) headers['X-Scope-OrgID'] = c.org;
    const response = await fetch(path, { headers });
    let body = null;
    try { body = await response.json(); } catch (e) { body = null; }
    if (response.status === 401) {
      askForKey(messageOf(body) || 'The API key was not accepted.');
      throw new Error('not authorized');
    }
    if (!response.ok) {
      const error = new Error(messageOf(body) || ('HTTP ' + response.status));
      error.status = response.status;
      throw error;
    }
    return body;
  }

  function messageOf(body) {
    return body && Array.isArray(body.errors) && body.errors.length ? body.errors.map((e) => e.msg).join('; ') : null;
  }

  // ---- formatting --------------------------------------------------------------------------------------------
  function fmtDuration(us) {
    if (us < 1000) return Math.round(us) + 'µs';
    if (us < 1000000) return (us / 1000).toFixed(us < 10000 ? 2 : 1) + 'ms';
    if (us < 60000000) return (us / 1000000).toFixed(2) + 's';
    const s = Math.round(us / 1000000);
    if (s < 3600) return Math.floor(s / 60) + 'm ' + (s % 60) + 's';
    return Math.floor(s / 3600) + 'h ' + Math.floor((s % 3600) / 60) + 'm';
  }

  function fmtTime(us) {
    return new Date(us / 1000).toLocaleString();
  }

  function tagValue(tags, key) {
    for (const t of tags || []) if (t.key === key) return t.value;
    return undefined;
  }

  function isError(span) {
    return tagValue(span.tags, 'error') === true || tagValue(span.tags, 'otel.status_code') === 'ERROR';
  }

  function parentOf(span) {
    for (const r of span.references || []) if (r.refType === 'CHILD_OF' && r.traceID === span.traceID) return r.spanID;
    return null;
  }

  // ---- search ------------------------------------------------------------------------------------------------
  async function loadServices() {
    const select = $('service');
    const chosen = select.value;
    const body = await api('/api/services');
    select.replaceChildren(el('option', null, '(all services)'));
    select.firstChild.value = '';
    for (const s of body.data || []) {
      const o = el('option', null, s);
      o.value = s;
      select.appendChild(o);
    }
    select.value = chosen;
    await loadOperations();
  }

  async function loadOperations() {
    const service = $('service').value;
    const select = $('operation');
    select.replaceChildren(el('option', null, '(all operations)'));
    select.firstChild.value = '';
    if (!service) return;
    const body = await api('/api/services/' + encodeURIComponent(service) + '/operations');
    for (const op of body.data || []) {
      const o = el('option', null, op);
      o.value = op;
      select.appendChild(o);
    }
  }

  function parseTags(text) {
    const tags = {};
    for (const token of text.trim().split(/\s+/)) {
      if (!token) continue;
      const eq = token.indexOf('=');
      if (eq <= 0) throw new Error('tags are key=value pairs separated by spaces: "' + token + '"');
      tags[token.slice(0, eq)] = token.slice(eq + 1);
    }
    return tags;
  }

  const LOOKBACK_US = { '1h': 3600e6, '6h': 6 * 3600e6, '24h': 24 * 3600e6, '48h': 48 * 3600e6 };

  async function search(event) {
    if (event) event.preventDefault();
    const status = $('search-status');
    try {
      const params = new URLSearchParams();
      const service = $('service').value;
      const operation = $('operation').value;
      if (service) params.set('service', service);
      if (operation) params.set('operation', operation);
      const tags = parseTags($('tags').value);
      if (Object.keys(tags).length) params.set('tags', JSON.stringify(tags));
      if ($('min-duration').value.trim()) params.set('minDuration', $('min-duration').value.trim());
      if ($('max-duration').value.trim()) params.set('maxDuration', $('max-duration').value.trim());
      const end = Date.now() * 1000;
      params.set('end', String(end));
      params.set('start', String(end - LOOKBACK_US[$('lookback').value]));
      params.set('limit', $('limit').value || '20');
      status.textContent = 'Searching…';
      const body = await api('/api/traces?' + params.toString());
      renderResults(body.data || []);
      const partial = messageOf(body);
      status.textContent = (body.data || []).length + ' traces' + (partial ? ' · partial: ' + partial : '');
    } catch (e) {
      status.textContent = e.message;
    }
  }

  function summarize(trace) {
    let start = Infinity;
    let end = -Infinity;
    let errors = 0;
    let root = null;
    const services = new Set();
    for (const s of trace.spans) {
      start = Math.min(start, s.startTime);
      end = Math.max(end, s.startTime + s.duration);
      if (isError(s)) errors++;
      services.add((trace.processes[s.processID] || {}).serviceName);
      if (!parentOf(s) && (!root || s.startTime < root.startTime)) root = s;
    }
    if (!root) root = trace.spans.reduce((a, b) => (a.startTime <= b.startTime ? a : b), trace.spans[0]);
    return {
      id: trace.traceID, start, duration: Math.max(0, end - start), errors, spans: trace.spans.length,
      services: services.size, warnings: trace.warnings || [],
      title: root ? ((trace.processes[root.processID] || {}).serviceName + ': ' + root.operationName) : trace.traceID,
    };
  }

  function renderResults(traces) {
    const list = $('results');
    list.replaceChildren();
    const summaries = traces.filter((t) => t.spans && t.spans.length).map(summarize);
    const sorted = summaries.map((s) => s.duration).sort((a, b) => a - b);
    const median = sorted.length ? sorted[Math.floor(sorted.length / 2)] : 0;
    const longest = sorted.length ? sorted[sorted.length - 1] : 1;
    for (const s of summaries) {
      const slow = s.duration >= SLOW_US || (summaries.length >= 3 && s.duration >= 3 * median && s.duration > 0);
      const li = el('li', 'result' + (s.errors ? ' failed' : '') + (slow ? ' slow' : ''));
      li.dataset.traceId = s.id;
      li.appendChild(el('div', 'title', s.title));
      const facts = el('div', 'facts');
      facts.appendChild(el('span', 'duration', fmtDuration(s.duration)));
      facts.appendChild(el('span', null, s.spans + ' spans'));
      facts.appendChild(el('span', null, s.services + ' services'));
      facts.appendChild(el('span', 'status-badge', s.errors ? s.errors + ' errors' : 'ok'));
      if (slow) facts.appendChild(el('span', 'badge slow', 'slow'));
      if (s.errors) facts.appendChild(el('span', 'badge err', 'failed'));
      if (s.warnings.some((w) => w.startsWith('in progress'))) facts.appendChild(el('span', 'badge open', 'in progress'));
      facts.appendChild(el('span', null, fmtTime(s.start)));
      facts.appendChild(el('span', 'trace-id', s.id.slice(0, 12)));
      li.appendChild(facts);
      const bar = el('div', 'bar');
      bar.style.width = Math.max(2, (100 * s.duration) / Math.max(1, longest)) + '%';
      li.appendChild(bar);
      li.addEventListener('click', () => openTrace(s.id));
      list.appendChild(li);
    }
  }

  // ---- one trace ---------------------------------------------------------------------------------------------
  async function openTrace(id, spanToSelect) {
    clearTimeout(state.refreshTimer);
    const status = $('search-status');
    try {
      const body = await api('/api/traces/' + encodeURIComponent(id));
      const trace = (body.data || [])[0];
      if (!trace) throw new Error('trace not found');
      for (const li of $('results').children) li.classList.toggle('selected', li.dataset.traceId === trace.traceID);
      renderTrace(trace, spanToSelect);
      if ((trace.warnings || []).some((w) => w.startsWith('in progress'))) {
        // A running workflow: follow it until it is decided.
        state.refreshTimer = setTimeout(() => {
          if (state.trace && state.trace.traceID === trace.traceID) openTrace(trace.traceID, state.selected && state.selected.spanID);
        }, 5000);
      }
    } catch (e) {
      status.textContent = e.status === 404 ? 'Trace ' + id + ' was not found' : e.message;
    }
  }

  function buildRows(trace) {
    const byId = new Map();
    for (const s of trace.spans) byId.set(s.spanID, s);
    const children = new Map();
    const roots = [];
    for (const s of trace.spans) {
      const p = parentOf(s);
      if (p && byId.has(p) && p !== s.spanID) {
        if (!children.has(p)) children.set(p, []);
        children.get(p).push(s);
      } else {
        roots.push(s);
      }
    }
    const byStart = (a, b) => a.startTime - b.startTime;
    roots.sort(byStart);
    for (const list of children.values()) list.sort(byStart);
    const rows = [];
    const seen = new Set();
    const stack = [];
    for (let i = roots.length - 1; i >= 0; i--) stack.push([roots[i], 0]);
    while (stack.length) {
      const [span, depth] = stack.pop();
      if (seen.has(span.spanID)) continue;
      seen.add(span.spanID);
      rows.push({ span, depth });
      const kids = children.get(span.spanID) || [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1]);
    }
    return rows;
  }

  /**
   * Stretches of the trace where no leaf span is running: the waits between agent tasks, queues, humans.
   * Enclosing spans (a workflow root) are running then, but only waiting for their children.
   */
  function idleGaps(spans, t0, total) {
    const parents = new Set();
    for (const s of spans) {
      const p = parentOf(s);
      if (p) parents.add(p);
    }
    const intervals = spans.filter((s) => !parents.has(s.spanID))
      .map((s) => [s.startTime, s.startTime + s.duration]).sort((a, b) => a[0] - b[0]);
    const gaps = [];
    let reach = intervals.length ? intervals[0][1] : t0;
    for (const [start, end] of intervals) {
      if (start > reach && start - reach >= Math.max(total * 0.01, 1000)) gaps.push([reach, start]);
      reach = Math.max(reach, end);
    }
    return gaps.map(([a, b]) => ({ left: (a - t0) / total, width: (b - a) / total, us: b - a }));
  }

  function renderTrace(trace, spanToSelect) {
    state.trace = trace;
    state.selected = null;
    $('trace').hidden = false;
    $('detail').hidden = true;
    const summary = summarize(trace);
    const t0 = summary.start;
    const total = Math.max(1, summary.duration);
    state.t0 = t0;
    state.total = total;

    const colors = new Map();
    state.colorOf = (span) => {
      const svc = (trace.processes[span.processID] || {}).serviceName || '?';
      if (!colors.has(svc)) colors.set(svc, PALETTE[colors.size % PALETTE.length]);
      return colors.get(svc);
    };
    state.rows = buildRows(trace);
    for (const r of state.rows) state.colorOf(r.span);

    $('trace-title').textContent = summary.title;
    const meta = $('trace-meta');
    meta.replaceChildren(
      el('span', null, 'Trace ' + trace.traceID),
      el('span', null, 'Started ' + fmtTime(t0)),
      el('span', 'trace-duration', 'Duration ' + fmtDuration(summary.duration)),
      el('span', null, summary.spans + ' spans'),
      el('span', summary.errors ? 'error-text' : null, summary.errors + ' errors'));
    const warnings = $('trace-warnings');
    warnings.replaceChildren(...(trace.warnings || []).map((w) => el('div', null, w)));
    const legend = $('legend');
    legend.replaceChildren();
    for (const [svc, color] of colors) {
      const item = el('span', 'legend-item');
      const swatch = el('i');
      swatch.style.background = color;
      item.append(swatch, document.createTextNode(svc));
      legend.appendChild(item);
    }

    const axis = $('axis');
    axis.replaceChildren();
    for (let i = 0; i <= 4; i++) {
      const tick = el('span', i === 0 ? 'first' : i === 4 ? 'last' : null, fmtDuration((total * i) / 4));
      tick.style.left = (25 * i) + '%';
      axis.appendChild(tick);
    }

    const height = state.rows.length * ROW_H;
    $('rows').style.height = height + 'px';
    const gapsEl = $('gaps');
    gapsEl.style.height = height + 'px';
    gapsEl.replaceChildren();
    for (const g of idleGaps(trace.spans, t0, total)) {
      const band = el('div', 'gap');
      band.style.left = (100 * g.left) + '%';
      band.style.width = (100 * g.width) + '%';
      band.title = 'idle ' + fmtDuration(g.us);
      band.appendChild(el('span', 'gap-label', 'idle ' + fmtDuration(g.us)));
      gapsEl.appendChild(band);
    }
    for (const row of state.pool) row.remove();
    state.pool = [];
    const wf = $('waterfall');
    wf.scrollTop = 0;
    renderVisible();
    if (spanToSelect) {
      const index = state.rows.findIndex((r) => r.span.spanID === spanToSelect);
      if (index >= 0) selectRow(index, true);
    }
  }

  /** Renders only the rows in (and near) the viewport, reusing a small pool of row elements. */
  function renderVisible() {
    const wf = $('waterfall');
    const first = Math.max(0, Math.floor(wf.scrollTop / ROW_H) - OVERSCAN);
    const last = Math.min(state.rows.length, Math.ceil((wf.scrollTop + wf.clientHeight) / ROW_H) + OVERSCAN);
    const needed = last - first;
    const container = $('rows');
    while (state.pool.length < needed) {
      const row = el('div', 'row');
      const name = el('div', 'name');
      const lane = el('div', 'lane');
      const bar = el('div', 'span-bar');
      const label = el('div', 'span-label');
      lane.append(bar, label);
      row.append(name, lane);
      row.addEventListener('click', () => selectRow(Number(row.dataset.index)));
      container.appendChild(row);
      state.pool.push(row);
    }
    for (let i = 0; i < state.pool.length; i++) {
      const row = state.pool[i];
      const index = first + i;
      if (index >= last) {
        row.hidden = true;
        continue;
      }
      row.hidden = false;
      fillRow(row, index);
    }
  }

  function fillRow(row, index) {
    const { span, depth } = state.rows[index];
    const trace = state.trace;
    const err = isError(span);
    row.dataset.index = String(index);
    row.dataset.spanId = span.spanID;
    row.className = 'row' + (err ? ' err' : '') + (state.selected === span ? ' selected' : '');
    row.style.top = (index * ROW_H) + 'px';
    const [name, lane] = row.children;
    name.style.paddingLeft = (4 + Math.min(depth, 40) * 12) + 'px';
    const dot = el('span', 'dot');
    dot.style.background = state.colorOf(span);
    const parts = [dot, el('span', 'svc', (trace.processes[span.processID] || {}).serviceName), document.createTextNode(span.operationName)];
    if (err) parts.unshift(el('span', 'err-mark', '! '));
    name.replaceChildren(...parts);
    name.title = span.operationName;
    const left = (span.startTime - state.t0) / state.total;
    const width = span.duration / state.total;
    const [bar, label] = lane.children;
    bar.style.left = (100 * left) + '%';
    bar.style.width = (100 * width) + '%';
    bar.style.background = state.colorOf(span);
    label.textContent = fmtDuration(span.duration);
    if (left + width > 0.85) {
      label.style.left = '';
      label.style.right = (100 * (1 - left) + 0.5) + '%';
    } else {
      label.style.right = '';
      label.style.left = (100 * (left + width) + 0.5) + '%';
    }
  }

  function selectRow(index, scrollIntoView) {
    const { span } = state.rows[index];
    state.selected = span;
    if (scrollIntoView) {
      const wf = $('waterfall');
      wf.scrollTop = Math.max(0, index * ROW_H - wf.clientHeight / 2);
    }
    renderVisible();
    renderDetail(span);
  }

  function table(pairs) {
    const t = el('table');
    for (const [k, v] of pairs) {
      const tr = el('tr');
      tr.append(el('td', null, k), el('td', null, typeof v === 'object' ? JSON.stringify(v) : v));
      t.appendChild(tr);
    }
    return t;
  }

  function renderDetail(span) {
    const trace = state.trace;
    const process = trace.processes[span.processID] || { serviceName: '?', tags: [] };
    const d = $('detail');
    d.hidden = false;
    d.replaceChildren();
    d.appendChild(el('h3', 'detail-title', process.serviceName + ' · ' + span.operationName));
    const parent = parentOf(span);
    d.appendChild(table([
      ['Span id', span.spanID], ['Parent', parent || '(root)'],
      ['Start', '+' + fmtDuration(span.startTime - state.t0) + ' (' + fmtTime(span.startTime) + ')'],
      ['Duration', fmtDuration(span.duration)],
      ['Kind', tagValue(span.tags, 'span.kind') || 'unspecified'],
      ['Status', tagValue(span.tags, 'otel.status_code') || 'unset'],
    ]));

    for (const log of span.logs || []) {
      const fields = Object.fromEntries((log.fields || []).map((f) => [f.key, f.value]));
      if (fields.event === 'exception') {
        const box = el('div', 'exception');
        box.appendChild(el('div', 'message', (fields['exception.type'] ? fields['exception.type'] + ': ' : '') + (fields['exception.message'] || 'exception')));
        if (fields['exception.stacktrace']) box.appendChild(el('pre', 'stacktrace', fields['exception.stacktrace']));
        d.appendChild(box);
      }
    }
    const description = tagValue(span.tags, 'otel.status_description');
    if (description && isError(span) && !(span.logs || []).some((l) => (l.fields || []).some((f) => f.key === 'event' && f.value === 'exception'))) {
      const box = el('div', 'exception');
      box.appendChild(el('div', 'message', description));
      d.appendChild(box);
    }

    d.appendChild(el('h4', null, 'Attributes'));
    d.appendChild(table((span.tags || []).map((t) => [t.key, t.value])));
    d.appendChild(el('h4', null, 'Resource (' + process.serviceName + ')'));
    d.appendChild(table([['service.name', process.serviceName]].concat((process.tags || []).map((t) => [t.key, t.value]))));

    d.appendChild(el('h4', null, 'Events (' + (span.logs || []).length + ')'));
    const events = el('ol', 'events');
    for (const log of span.logs || []) {
      const li = el('li');
      const fields = log.fields || [];
      const name = (fields.find((f) => f.key === 'event') || {}).value || 'event';
      li.appendChild(el('div', 'event-name', '+' + fmtDuration(log.timestamp - state.t0) + ' ' + name));
      li.appendChild(table(fields.filter((f) => f.key !== 'event' && f.key !== 'exception.stacktrace').map((f) => [f.key, f.value])));
      events.appendChild(li);
    }
    d.appendChild(events);

    const links = (span.references || []).filter((r) => r.refType === 'FOLLOWS_FROM');
    d.appendChild(el('h4', null, 'Links (' + links.length + ')'));
    const list = el('ul', 'links');
    for (const r of links) {
      const li = el('li');
      const a = el('a', null, r.traceID === trace.traceID ? 'span ' + r.spanID : 'trace ' + r.traceID + ' span ' + r.spanID);
      a.addEventListener('click', () => {
        const index = state.rows.findIndex((row) => row.span.spanID === r.spanID);
        if (r.traceID === trace.traceID && index >= 0) selectRow(index, true);
        else openTrace(r.traceID, r.spanID);
      });
      li.appendChild(a);
      list.appendChild(li);
    }
    d.appendChild(list);
  }

  // ---- wiring ------------------------------------------------------------------------------------------------
  document.addEventListener('DOMContentLoaded', () => {
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      sessionStorage.setItem('tracesift.key', $('api-key').value.trim());
      const org = $('org-id').value.trim();
      if (org) sessionStorage.setItem('tracesift.org', org); else sessionStorage.removeItem('tracesift.org');
      $('key-dialog').close();
      showWho();
      loadServices().catch((e) => { $('search-status').textContent = e.message; });
    });
    $('change-key').addEventListener('click', () => askForKey());
    $('service').addEventListener('change', () => loadOperations().catch((e) => { $('search-status').textContent = e.message; }));
    $('search-form').addEventListener('submit', search);
    $('lookup-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const id = $('trace-id').value.trim();
      if (id) openTrace(id);
    });
    let scheduled = false;
    $('waterfall').addEventListener('scroll', () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => { scheduled = false; renderVisible(); });
    });
    window.addEventListener('resize', () => { if (state.trace) renderVisible(); });
    showWho();
    if (credentials().key) loadServices().catch((e) => { $('search-status').textContent = e.message; });
    else askForKey();
  });
})();
