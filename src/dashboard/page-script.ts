/**
 * The dashboard's browser script, inlined into the page. Plain ES2020, no template literals so it
 * can live in this string. Every value from the store goes in through textContent, never innerHTML.
 */
export const PAGE_JS = String.raw`
'use strict';
(function () {
  var REFRESH_MS = 5000;
  var params = new URLSearchParams(location.search);
  var token = params.get('token') || sessionStorage.getItem('modelpin-dashboard-token');
  if (params.has('token')) {
    // Keep the token out of the address bar and history once read.
    sessionStorage.setItem('modelpin-dashboard-token', params.get('token'));
    params.delete('token');
    var rest = params.toString();
    history.replaceState(null, '', location.pathname + (rest ? '?' + rest : '') + location.hash);
  }
  var $ = function (id) { return document.getElementById(id); };
  var controls = { by: $('by'), route: $('route'), env: $('env'), since: $('since') };
  var GROUP_HEADER = { 'served-model': 'Served model', route: 'Route', target: 'Target', arm: 'Arm' };
  var KIND_TEXT = { served_model_changed: 'served model changed', fingerprint_changed: 'fingerprint changed', alias_moved: 'alias moved' };
  var timer = null;
  var seq = 0;

  function el(tag, attrs) {
    var e = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'class') e.className = v; else e.setAttribute(k, v === true ? '' : String(v));
    });
    for (var i = 2; i < arguments.length; i++) {
      var kid = arguments[i];
      if (kid === null || kid === undefined) continue;
      e.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
    }
    return e;
  }
  function td(text, cls) { return el('td', cls ? { class: cls } : null, text); }
  function num(text, cls) { return el('td', { class: 'num' + (cls ? ' ' + cls : '') }, text); }

  function fmtInt(v) { return Number(v).toLocaleString('en-US'); }
  function fmtMs(v) { return v === null || v === undefined ? '-' : Math.round(v) + ' ms'; }
  function fmtPct(v) { return v === null || v === undefined ? 'n/a' : (v * 100).toFixed(v > 0 && v < 0.001 ? 2 : 1) + '%'; }
  function fmtUsd(v) {
    if (v === null || v === undefined) return 'unknown';
    if (v === 0) return '$0';
    var a = Math.abs(v);
    if (a >= 1) return '$' + v.toFixed(2);
    if (a >= 0.01) return '$' + v.toFixed(4);
    return '$' + v.toPrecision(3);
  }
  function fmtTime(iso) { return iso.replace('T', ' ').slice(0, 16) + 'Z'; }
  function fmtTs(ms) { return ms === null || ms === undefined ? '-' : fmtTime(new Date(ms).toISOString()); }
  function costTd(v) { return num(fmtUsd(v), v === null ? 'unknown' : ''); }

  function fill(tbody, rows, cols, emptyText) {
    tbody.replaceChildren();
    if (rows.length === 0) tbody.append(el('tr', null, el('td', { colspan: cols, class: 'empty' }, emptyText)));
    else rows.forEach(function (r) { tbody.append(r); });
  }

  function setOptions(select, values, allLabel) {
    var current = select.value;
    var want = [''].concat(values);
    if (current && want.indexOf(current) === -1) want.push(current);
    var have = Array.prototype.map.call(select.options, function (o) { return o.value; });
    if (have.join('\n') === want.join('\n')) return;
    select.replaceChildren.apply(select, want.map(function (v) { return el('option', { value: v }, v === '' ? allLabel : v); }));
    select.value = current;
  }

  function api(path, query) {
    var url = new URL('api/' + path, location.href);
    Object.keys(query).forEach(function (k) { if (query[k]) url.searchParams.set(k, query[k]); });
    return fetch(url, { headers: token ? { Authorization: 'Bearer ' + token } : {}, cache: 'no-store' }).then(function (res) {
      return res.json().then(function (body) {
        if (!res.ok) throw new Error((body && body.error && body.error.message) || ('HTTP ' + res.status));
        return body;
      });
    });
  }

  function renderUsage(u) {
    setOptions(controls.route, u.routes, 'All routes');
    setOptions(controls.env, u.envs, 'All envs');
    if (!controls.since.value) {
      if (!Array.prototype.some.call(controls.since.options, function (o) { return o.value === u.window; })) controls.since.append(el('option', { value: u.window }, u.window));
      controls.since.value = u.window;
    }
    var showServed = u.by !== 'served-model';
    $('versions-key').textContent = GROUP_HEADER[u.by];
    $('versions-served').hidden = !showServed;
    $('versions-caption').textContent = u.requests + ' requests since ' + fmtTime(u.since) + (u.route ? ', route ' + u.route : '') + (u.env ? ', env ' + u.env : '');
    fill($('versions-body'), u.rows.map(function (r) {
      var cost = r.costUsd === null ? 'unknown' : fmtUsd(r.costUsd) + (r.costKnownRequests < r.requests ? ' (' + r.costKnownRequests + '/' + r.requests + ' priced)' : '');
      return el('tr', { 'data-key': r.key },
        el('th', { scope: 'row' }, r.key),
        num(fmtInt(r.requests)),
        num(fmtPct(r.errorRate) + ' (' + fmtInt(r.errors) + ')', r.errorRate > 0.05 ? 'bad' : ''),
        num(fmtMs(r.p50LatencyMs)),
        num(fmtMs(r.p95LatencyMs)),
        costTd(r.costPerRequestUsd),
        num(cost, r.costUsd === null ? 'unknown' : ''),
        num(fmtInt(r.inputTokens)),
        num(fmtInt(r.outputTokens)),
        showServed ? td(r.servedModels.join(', ') || '-', 'wrap') : null);
    }), showServed ? 10 : 9, 'No usage recorded in this window.');
    renderTrend(u.trend);
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  var CHARTS = [
    { id: 'cost', title: 'Cost / request', value: function (p) { return p.costPerRequestUsd; }, fmt: fmtUsd },
    { id: 'p95', title: 'p95 latency', value: function (p) { return p.p95LatencyMs; }, fmt: fmtMs },
    { id: 'errors', title: 'Error rate', value: function (p) { return p.errorRate; }, fmt: fmtPct },
    { id: 'tokens', title: 'Output tokens / request', value: function (p) { return p.outputTokensPerRequest; }, fmt: function (v) { return v.toFixed(1); } },
  ];
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, String(attrs[k])); });
    for (var i = 2; i < arguments.length; i++) if (arguments[i]) e.append(arguments[i]);
    return e;
  }
  function bucketText(ms, size) { var iso = new Date(ms).toISOString(); return size % 86400000 === 0 ? iso.slice(0, 10) : iso.slice(5, 16).replace('T', ' ') + 'Z'; }

  // One small line chart: a polyline per series, broken where a bucket had no value.
  function chart(def, t) {
    var W = 320, H = 130, L = 8, R = 8, T = 16, B = 18;
    var n = t.starts.length;
    var max = 0;
    t.series.forEach(function (s) { s.points.forEach(function (p) { var v = p && def.value(p); if (v !== null && v !== undefined && v > max) max = v; }); });
    var x = function (i) { return L + (n <= 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1)); };
    var y = function (v) { return T + (H - T - B) * (1 - (max > 0 ? v / max : 0)); };
    var root = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'data-chart': def.id });
    root.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: H - B, y2: H - B }));
    root.append(svg('text', { x: L, y: 11 }, document.createTextNode('max ' + def.fmt(max))));
    if (n > 0) {
      root.append(svg('text', { x: L, y: H - 4 }, document.createTextNode(bucketText(t.starts[0], t.bucketMs))));
      root.append(svg('text', { x: W - R, y: H - 4, 'text-anchor': 'end' }, document.createTextNode(bucketText(t.starts[n - 1], t.bucketMs))));
    }
    var summary = [];
    t.series.forEach(function (s, si) {
      var cls = 's' + (si % 8);
      var run = [];
      var known = [];
      var flush = function () {
        if (run.length === 1) root.append(svg('circle', { class: cls, cx: run[0][0], cy: run[0][1], r: 2.5, 'data-key': s.key }));
        else if (run.length > 1) root.append(svg('polyline', { class: cls, points: run.map(function (q) { return q[0].toFixed(1) + ',' + q[1].toFixed(1); }).join(' '), 'data-key': s.key }, svg('title', null, document.createTextNode(s.key))));
        run = [];
      };
      s.points.forEach(function (p, i) {
        var v = p && def.value(p);
        if (v === null || v === undefined) { flush(); return; }
        run.push([x(i), y(v)]);
        known.push(v);
      });
      flush();
      if (known.length) summary.push(s.key + ' ' + def.fmt(known[0]) + (known.length > 1 ? ' to ' + def.fmt(known[known.length - 1]) : ''));
    });
    root.setAttribute('aria-label', def.title + ' per bucket: ' + (summary.join('; ') || 'no data'));
    return el('figure', { 'data-chart': def.id }, el('figcaption', null, def.title), root);
  }

  function renderTrend(t) {
    var size = t.bucketMs % 86400000 === 0 ? (t.bucketMs / 86400000) + ' d' : t.bucketMs % 3600000 === 0 ? (t.bucketMs / 3600000) + ' h' : (t.bucketMs / 60000) + ' min';
    $('trend-caption').textContent = t.series.length ? 'One point per ' + size + ' bucket; gaps where a version had no traffic.' : '';
    var box = $('trend');
    var legend = $('trend-legend');
    box.replaceChildren();
    legend.replaceChildren();
    if (!t.series.length) { box.append(el('p', { class: 'empty muted' }, 'No usage recorded in this window.')); return; }
    t.series.forEach(function (s, si) { legend.append(el('li', { class: 's' + (si % 8), 'data-key': s.key }, s.key)); });
    CHARTS.forEach(function (def) { box.append(chart(def, t)); });
  }

  function armText(a) {
    if (a.samples === 0) return 'no traffic since this step started';
    return 'n=' + a.samples + ' \u00b7 errors ' + fmtPct(a.errorRate) + ' \u00b7 p95 ' + fmtMs(a.p95LatencyMs) + ' \u00b7 ' + fmtUsd(a.costPerRequest) + '/req' + (a.formatValidShare === null ? '' : ' \u00b7 format ok ' + fmtPct(a.formatValidShare));
  }

  function renderState(s) {
    fill($('canaries-body'), s.canaries.map(function (v) {
      var c = v.record;
      var statusCls = c.status === 'running' ? 'good' : c.status === 'rolled_back' ? 'bad' : 'muted';
      return el('tr', { 'data-route': c.route },
        el('th', { scope: 'row' }, c.route + ' (' + c.env + ')'),
        el('td', null, el('span', { class: 'pill ' + statusCls }, c.status.replace('_', ' '))),
        num(c.percent + '%'),
        td(c.ramp.join(' \u2192 ')),
        el('td', { class: 'wrap' }, el('code', null, c.stable), el('br'), el('span', { class: 'muted' }, armText(v.stable))),
        el('td', { class: 'wrap' }, el('code', null, c.candidate), el('br'), el('span', { class: 'muted' }, armText(v.canary))),
        td(c.status === 'running' ? v.next.action + ': ' + v.next.reason : (c.reason || '-'), 'wrap'));
    }), 7, 'No canaries.');
    fill($('overrides-body'), s.overrides.map(function (o) {
      return el('tr', null,
        el('th', { scope: 'row' }, o.route), td(o.env), el('td', null, el('code', null, o.target)), td(o.reason, 'wrap'), td(o.actor),
        td(fmtTs(o.createdAt)), td(o.expiresAt === null ? 'never' : fmtTs(o.expiresAt)),
        el('td', null, el('span', { class: 'pill ' + (o.active ? 'good' : 'muted') }, o.active ? 'active' : 'expired')));
    }), 8, 'No runtime overrides: every route uses its pinned target.');
    fill($('sentinel-body'), s.sentinel.map(function (e) {
      return el('tr', { class: 'alert' },
        td(fmtTs(e.ts)), el('th', { scope: 'row' }, e.route), el('td', null, el('code', null, e.target)),
        td(KIND_TEXT[e.kind] || e.kind, 'bad'), td(e.previous === null ? '(none)' : e.previous), td(e.current));
    }), 6, 'No served-model changes in this window.');
    fill($('audit-body'), s.audit.map(function (a) {
      return el('tr', null, td(fmtTs(a.ts)), td(a.actor), td(a.action), td(a.route || '-'), el('td', { class: 'wrap' }, el('code', null, JSON.stringify(a.detail))));
    }), 5, 'No audit entries.');
  }

  function streakCell(s) { return num(s.days === 1 ? '1 day' : s.days + ' days', s.days > 0 ? 'good' : ''); }
  function failing(s) { var f = s.failingDays; return f.length ? f.slice(-3).join(', ') + (f.length > 3 ? ' (+' + (f.length - 3) + ')' : '') : '-'; }

  function renderHistory(h) {
    $('history-caption').textContent = 'Consecutive passing days ending ' + h.today + ' (or the day before if nothing ran yet today).';
    fill($('streaks-body'), h.routes.map(function (s) {
      return el('tr', null, el('th', { scope: 'row' }, s.route), td(s.env), streakCell(s), td(fmtTs(s.lastRun)), td(failing(s)));
    }), 5, 'No eval runs recorded.');
    fill($('snapshots-body'), h.snapshots.map(function (s) {
      return el('tr', null, el('th', { scope: 'row' }, s.route), el('td', null, el('code', null, s.servedModel)), streakCell(s), td(fmtTs(s.lastRun)), td(failing(s)));
    }), 5, 'No single-snapshot runs yet.');
    fill($('runs-body'), h.runs.map(function (d) {
      return el('tr', null, el('th', { scope: 'row' }, d.day), td(d.route), td(d.env), td(d.servedModels.join(', ') || '-', 'wrap'),
        td(d.passed ? 'pass' : 'FAIL', d.passed ? 'good' : 'bad'), num(d.passedCases + '/' + d.totalCases), costTd(d.costUsd));
    }), 7, 'No eval runs in the last ' + h.days + ' days.');
  }

  function refresh() {
    clearTimeout(timer);
    var mine = ++seq;
    var q = { by: controls.by.value, route: controls.route.value, env: controls.env.value, since: controls.since.value };
    Promise.all([
      api('usage', q),
      api('state', { since: q.since }),
      api('history', { days: '14', route: q.route, env: q.env }),
    ]).then(function (r) {
      if (mine !== seq) return;
      renderUsage(r[0]); renderState(r[1]); renderHistory(r[2]);
      $('status').className = '';
      $('status').textContent = 'Updated ' + fmtTime(r[0].now) + ' \u00b7 refreshes every 5 s';
      document.body.setAttribute('data-loaded', String(mine));
    }).catch(function (err) {
      if (mine !== seq) return;
      $('status').className = 'error';
      $('status').textContent = 'Cannot load data: ' + err.message;
    }).then(function () {
      if (mine === seq) timer = setTimeout(refresh, REFRESH_MS);
    });
  }

  Object.keys(controls).forEach(function (k) { controls[k].addEventListener('change', refresh); });
  document.addEventListener('visibilitychange', function () { if (!document.hidden) refresh(); });
  refresh();
})();
`;
