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

  // Requests no model answered (bad input, auth, unknown route, or every target failed) group under
  // "(none)" by served model and under an empty target. Shown apart: they are not a version.
  var REJECTED_TEXT = 'no model answered';
  function isRejected(by, key) { return (by === 'served-model' && key === '(none)') || (by === 'target' && key === ''); }
  var lastUsage = null;
  var drillKey = null;

  function keyCell(u, r) {
    if (isRejected(u.by, r.key)) {
      return el('th', { scope: 'row', title: 'Requests answered with an error before any model replied: rejected before routing (bad input, auth, unknown route) or failed on every target. Kept out of the error-rate chart.' }, REJECTED_TEXT);
    }
    if (u.by !== 'served-model' && u.by !== 'target') return el('th', { scope: 'row' }, r.key);
    var b = el('button', { type: 'button', class: 'pick', 'data-key': r.key, 'aria-controls': 'drill', title: 'Show recent requests and eval cases' }, r.key);
    b.addEventListener('click', function () { openDrill(u.by, r.key); });
    return el('th', { scope: 'row' }, b);
  }

  function renderUsage(u) {
    lastUsage = u;
    setOptions(controls.route, u.routes, 'All routes');
    setOptions(controls.env, u.envs, 'All envs');
    if (!controls.since.value) {
      if (!Array.prototype.some.call(controls.since.options, function (o) { return o.value === u.window; })) controls.since.append(el('option', { value: u.window }, u.window));
      controls.since.value = u.window;
    }
    var showServed = u.by !== 'served-model';
    $('versions-key').textContent = GROUP_HEADER[u.by];
    $('versions-served').hidden = !showServed;
    $('versions-caption').textContent = u.requests + ' requests since ' + fmtTime(u.since) + (u.route ? ', route ' + u.route : '') + (u.env ? ', env ' + u.env : '') +
      (u.by === 'served-model' || u.by === 'target' ? '. Click a version for its recent requests and eval cases.' : '');
    var rejected = null;
    fill($('versions-body'), u.rows.map(function (r) {
      var rej = isRejected(u.by, r.key);
      if (rej) rejected = r;
      var cost = r.costUsd === null ? 'unknown' : fmtUsd(r.costUsd) + (r.costKnownRequests < r.requests ? ' (' + r.costKnownRequests + '/' + r.requests + ' priced)' : '');
      return el('tr', { 'data-key': r.key, class: (rej ? 'rejected' : '') + (r.key === drillKey && !rej ? ' picked' : '') || null },
        keyCell(u, r),
        num(fmtInt(r.requests)),
        num(fmtPct(r.errorRate) + ' (' + fmtInt(r.errors) + ')', !rej && r.errorRate > 0.05 ? 'bad' : ''),
        num(fmtMs(r.p50LatencyMs)),
        num(fmtMs(r.p95LatencyMs)),
        costTd(r.costPerRequestUsd),
        num(cost, r.costUsd === null ? 'unknown' : ''),
        num(fmtInt(r.inputTokens)),
        num(fmtInt(r.outputTokens)),
        showServed ? td(r.servedModels.join(', ') || '-', 'wrap') : null);
    }), showServed ? 10 : 9, 'No usage recorded in this window.');
    var note = $('versions-note');
    note.hidden = !rejected;
    note.textContent = rejected ? '"' + REJECTED_TEXT + '": ' + fmtInt(rejected.requests) + ' requests were refused before routing (bad input, auth, unknown route) or failed on every target, so no version answered them. They are listed for completeness and left out of the error-rate chart.' : '';
    renderTrend(u);
  }

  var CHARTS = [
    { id: 'cost', title: 'Cost / request', value: function (p) { return p.costPerRequestUsd; }, fmt: fmtUsd },
    { id: 'p95', title: 'p95 latency', value: function (p) { return p.p95LatencyMs; }, fmt: fmtMs },
    { id: 'errors', title: 'Error rate (answered versions only)', value: function (p) { return p.errorRate; }, fmt: fmtPct, skipRejected: true },
    { id: 'tokens', title: 'Output tokens / request', value: function (p) { return p.outputTokensPerRequest; }, fmt: function (v) { return v.toFixed(1); } },
  ];
  var CHART_H = 190;
  var charts = {};
  function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function colorIndex(key, si) { return key === '(other)' ? 7 : si % 8; }
  function bucketText(ms, size) { var iso = new Date(ms).toISOString(); return size % 86400000 === 0 ? iso.slice(0, 10) : iso.slice(5, 16).replace('T', ' ') + 'Z'; }
  function valueOf(def, p) { var v = p && def.value(p); return v === null || v === undefined ? null : v; }

  function showTip(c, u) {
    var idx = u.cursor.idx;
    if (idx === null || idx === undefined || u.cursor.left < 0) { c.tip.hidden = true; return; }
    var t = c.trend;
    var rows = [el('b', null, bucketText(t.starts[idx], t.bucketMs) + ' (' + fmtInt(c.keys.reduce(function (n, s) { var p = s.points[idx]; return n + (p ? p.requests : 0); }, 0)) + ' req)')];
    c.keys.forEach(function (s) {
      var v = valueOf(c.def, s.points[idx]);
      rows.push(el('span', { 'data-key': s.key }, el('i', { class: 'swatch sw' + s.color }), s.key + ': ' + (v === null ? 'no traffic' : c.def.fmt(v))));
    });
    c.tip.replaceChildren.apply(c.tip, rows);
    c.tip.hidden = false;
    var over = u.over.getBoundingClientRect();
    var box = c.fig.getBoundingClientRect();
    var left = over.left - box.left + u.cursor.left + 12;
    if (left + c.tip.offsetWidth > box.width) left = Math.max(0, left - c.tip.offsetWidth - 24);
    c.tip.style.left = left + 'px';
    c.tip.style.top = (over.top - box.top + Math.max(0, u.cursor.top - 10)) + 'px';
  }

  // Wide enough for the longest tick label ("$0.000110"), so y labels are never clipped.
  function axisSize(u, values) {
    var longest = (values || []).reduce(function (n, v) { return Math.max(n, String(v).length); }, 4);
    return Math.ceil(longest * 6.6) + 18;
  }

  // UTC like the rest of the page, 24-hour clock; a day boundary shows the date.
  function timeTicks(u, splits, ai, space, incr) {
    return splits.map(function (ms) {
      var iso = new Date(ms).toISOString();
      return incr >= 86400000 || iso.slice(11, 16) === '00:00' ? iso.slice(5, 10) : iso.slice(11, 16);
    });
  }

  function makeChart(def, fig, plot, tip) {
    var c = { def: def, fig: fig, tip: tip, keys: [], trend: null, range: [0, 1], u: null, sig: '' };
    c.build = function () {
      var muted = cssVar('--muted'), line = cssVar('--line');
      var axis = { stroke: muted, grid: { stroke: line, width: 1 }, ticks: { stroke: line, width: 1 }, font: '11px system-ui, sans-serif' };
      var opts = {
        width: Math.max(200, plot.clientWidth), height: CHART_H, ms: 1,
        tzDate: function (ts) { return uPlot.tzDate(new Date(ts), 'Etc/UTC'); },
        legend: { show: false },
        cursor: { points: { size: 8 }, drag: { x: false, y: false, setScale: false } },
        scales: {
          x: { time: true, range: function () { return c.range; } },
          y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.15 : 1]; } },
        },
        axes: [Object.assign({}, axis, { values: timeTicks }), Object.assign({}, axis, { size: axisSize, values: function (u, splits) { return splits.map(function (v) { return def.fmt(v); }); } })],
        series: [{}].concat(c.keys.map(function (s) {
          // Empty buckets are joined over: a quiet hour is not a zero. Every real bucket is also marked.
          return { label: s.key, stroke: cssVar('--s' + s.color), width: 2, spanGaps: true, points: { show: true, size: 5, fill: cssVar('--s' + s.color) } };
        })),
        hooks: { setCursor: [function (u) { showTip(c, u); }] },
      };
      if (c.u) c.u.destroy();
      c.u = new uPlot(opts, c.data(), plot);
      c.u.over.addEventListener('mouseleave', function () { tip.hidden = true; });
    };
    c.data = function () {
      return [c.trend.starts].concat(c.keys.map(function (s) { return s.points.map(function (p) { return valueOf(def, p); }); }));
    };
    c.update = function (u) {
      var t = u.trend;
      c.trend = t;
      var nowMs = Date.parse(u.now);
      c.range = [Math.min(Date.parse(u.since), t.starts[0]), Math.max(nowMs, t.starts[t.starts.length - 1] + 1)];
      c.keys = t.series.map(function (s, si) { return { key: s.key, points: s.points, color: colorIndex(s.key, si) }; })
        .filter(function (s) { return !(def.skipRejected && isRejected(t.by, s.key)); })
        .filter(function (s) { return s.points.some(function (p) { return valueOf(def, p) !== null; }); });
      var summary = c.keys.map(function (s) {
        var known = s.points.map(function (p) { return valueOf(def, p); }).filter(function (v) { return v !== null; });
        return s.key + ' ' + def.fmt(known[0]) + (known.length > 1 ? ' to ' + def.fmt(known[known.length - 1]) : '');
      });
      plot.setAttribute('aria-label', def.title + ' per bucket: ' + (summary.join('; ') || 'no data'));
      fig.setAttribute('data-series', c.keys.map(function (s) { return s.key; }).join('\n'));
      var sig = c.keys.map(function (s) { return s.key + '#' + s.color; }).join('|') + '@' + t.starts.length + '/' + t.bucketMs;
      if (c.u && sig === c.sig) { c.u.setData(c.data()); return; }
      c.sig = sig;
      c.build();
    };
    return c;
  }

  function renderTrend(u) {
    var t = u.trend;
    var size = t.bucketMs % 86400000 === 0 ? (t.bucketMs / 86400000) + ' d' : t.bucketMs % 3600000 === 0 ? (t.bucketMs / 3600000) + ' h' : (t.bucketMs / 60000) + ' min';
    $('trend-caption').textContent = t.series.length ? 'One point per ' + size + ' bucket (UTC); lines join over buckets without traffic. Hover a chart for the values.' : '';
    var box = $('trend');
    var legend = $('trend-legend');
    legend.replaceChildren();
    if (!t.series.length) {
      Object.keys(charts).forEach(function (k) { if (charts[k].u) charts[k].u.destroy(); });
      charts = {};
      box.replaceChildren(el('p', { class: 'empty muted' }, 'No usage recorded in this window.'));
      return;
    }
    t.series.forEach(function (s, si) {
      var rej = isRejected(t.by, s.key);
      legend.append(el('li', { 'data-key': s.key, class: rej ? 'muted' : null }, el('i', { class: 'swatch sw' + colorIndex(s.key, si) }), rej ? REJECTED_TEXT : s.key));
    });
    if (!box.querySelector('figure')) box.replaceChildren();
    // Every figure is in the grid before any is measured: a lone first figure would span the row.
    CHARTS.forEach(function (def) {
      if (charts[def.id]) return;
      var plot = el('div', { class: 'plot', role: 'img' });
      var tip = el('div', { class: 'tip', hidden: true, 'aria-hidden': 'true' });
      var fig = el('figure', { 'data-chart': def.id }, el('figcaption', null, def.title), plot, tip);
      box.append(fig);
      charts[def.id] = makeChart(def, fig, plot, tip);
    });
    CHARTS.forEach(function (def) { charts[def.id].update(u); });
  }
  var resizeTimer = null;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () {
      Object.keys(charts).forEach(function (k) { var c = charts[k]; if (c.u) c.u.setSize({ width: Math.max(200, c.fig.clientWidth), height: CHART_H }); });
    }, 100);
  });

  function answerText(a) {
    if (a === undefined) return '(not recorded in this run)';
    if (a === null) return '(no answer)';
    return a.length > 600 ? a.slice(0, 600) + '\u2026' : a;
  }

  function openDrill(by, key) {
    drillKey = key;
    var box = $('drill');
    box.hidden = false;
    $('drill-h').textContent = key;
    $('drill-caption').textContent = 'Loading\u2026';
    Array.prototype.forEach.call(document.querySelectorAll('#versions-body tr'), function (tr) { tr.classList.toggle('picked', tr.getAttribute('data-key') === key); });
    api('version', { by: by, key: key, limit: '20', route: controls.route.value, env: controls.env.value }).then(function (d) {
      if (drillKey !== key) return;
      $('drill-caption').textContent = 'The ' + d.requests.length + ' most recent requests (at most ' + d.limit + ') and its cases in the latest ' + d.runs + ' eval run' + (d.runs === 1 ? '' : 's') + ' of the last ' + d.evalDays + ' days.';
      fill($('drill-requests-body'), d.requests.map(function (r) {
        var err = r.status >= 400;
        return el('tr', null, td(fmtTs(r.ts)), td(r.route), td(r.env), num(String(r.status), err ? 'bad' : ''), num(fmtMs(r.latencyMs)),
          num(fmtInt(r.inputTokens) + ' / ' + fmtInt(r.outputTokens)), costTd(r.costUsd), td(r.errorCode || '-', err ? 'bad' : ''));
      }), 8, 'No requests recorded for this version.');
      fill($('drill-cases-body'), d.cases.map(function (c) {
        var res = c.errored ? 'error' : c.passed ? 'pass' : 'FAIL';
        return el('tr', null, td(fmtTs(c.startedAt)), td(c.env), el('th', { scope: 'row' }, c.caseId), td(res, c.passed ? 'good' : 'bad'), num(c.score.toFixed(2)),
          el('td', { class: 'answer' }, answerText(c.answer)), td(c.reasons.join('; ') || '-', 'wrap'));
      }), 7, 'No eval cases answered by this version in the last ' + d.evalDays + ' days.');
      box.setAttribute('data-loaded', key);
    }).catch(function (err) {
      if (drillKey !== key) return;
      $('drill-caption').textContent = 'Cannot load this version: ' + err.message;
    });
    $('drill-h').focus();
  }
  $('drill-close').addEventListener('click', function () {
    drillKey = null;
    $('drill').hidden = true;
    $('drill').removeAttribute('data-loaded');
    Array.prototype.forEach.call(document.querySelectorAll('#versions-body tr.picked'), function (tr) { tr.classList.remove('picked'); });
  });

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
