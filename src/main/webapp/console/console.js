/*
 * Solar Wind console: plain JavaScript, no framework, nothing loaded from elsewhere.
 *
 * Every figure comes from the server's /api/v1 with the user's own credentials, which this tab
 * keeps in sessionStorage and sends in the Authorization header (a password as HTTP Basic, or a
 * bearer token). Every call also carries X-SolarWind-CSRF, which the server requires of a
 * browser's state-changing calls (docs/security.md). The trend is kept in this page only.
 */
(function () {
  'use strict';

  const API = '../api/v1';
  const AUTH_KEY = 'solarwind.console.auth';
  const HISTORY_MILLIS = 10 * 60 * 1000; // the sparklines show the last ten minutes this page has seen
  const ADMIN = 'solarwind-admin';

  const $ = (id) => document.getElementById(id);

  const state = {
    auth: null,          // {header, user, roles}
    timer: null,
    refreshing: false,
    registrations: new Map(), // key topic/purpose -> registration
    history: new Map(),       // key -> [{t, pending, inFlight, delivered, rate}]
    selected: null,           // key of the purpose shown in detail
    deadLetters: [],
    chosen: new Set(),        // ids of the selected dead letters
  };

  // ---- calls ----------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, problem, fallback) {
      super(problem && problem.detail ? problem.detail : fallback);
      this.status = status;
      this.problem = problem;
    }
  }

  async function call(method, path, body, header) {
    const headers = {
      'Accept': 'application/json',
      'X-SolarWind-CSRF': '1',
      'Authorization': header || (state.auth && state.auth.header) || '',
    };
    const init = {method, headers, credentials: 'omit', cache: 'no-store'};
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(API + path, init);
    const text = await response.text();
    let json = null;
    if (text) {
      try { json = JSON.parse(text); } catch (e) { json = null; }
    }
    if (!response.ok) {
      throw new ApiError(response.status, json, method + ' ' + path + ' answered ' + response.status);
    }
    return json;
  }

  const enc = encodeURIComponent;
  const purposePath = (r) => '/topics/' + enc(r.topic) + '/purposes/' + enc(r.purpose);

  // ---- small DOM helpers (text is always set as text, never as HTML) -----------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else if (name.startsWith('on')) node.addEventListener(name.substring(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  function show(node, visible) { node.hidden = !visible; }

  function say(text) {
    const m = $('message');
    m.textContent = text;
    show(m, true);
    clearTimeout(say.timer);
    say.timer = setTimeout(() => show(m, false), 6000);
  }

  function fail(error) {
    if (error instanceof ApiError && error.status === 401) {
      logout('Your credentials were not accepted any more; log in again.');
      return;
    }
    const e = $('error');
    e.textContent = error instanceof ApiError && error.status === 403
        ? 'Refused (403): ' + error.message
        : (error.message || String(error));
    show(e, true);
  }

  function clearError() { show($('error'), false); }

  const isAdmin = () => !!state.auth && state.auth.roles.includes(ADMIN);

  // ---- login ------------------------------------------------------------------------------------

  async function login(event) {
    event.preventDefault();
    const user = $('login-user').value.trim();
    const password = $('login-password').value;
    const token = $('login-token').value.trim();
    let header;
    if (token) header = 'Bearer ' + token;
    else if (user) header = 'Basic ' + btoa(unescape(encodeURIComponent(user + ':' + password)));
    else { loginError('Give a user and password, or a token.'); return; }
    try {
      const me = await call('GET', '/me', undefined, header);
      state.auth = {header, user: me.user, roles: me.roles || []};
      sessionStorage.setItem(AUTH_KEY, JSON.stringify(state.auth));
      $('login-password').value = '';
      $('login-token').value = '';
      start();
    } catch (e) {
      loginError(e instanceof ApiError && e.status === 401 ? 'Not accepted: wrong user, password or token.'
          : e instanceof ApiError && e.status === 403 ? 'This user has none of Solar Wind\'s roles.'
          : 'The server did not answer: ' + e.message);
    }
  }

  function loginError(text) {
    $('login-error').textContent = text;
    show($('login-error'), true);
  }

  function logout(why) {
    sessionStorage.removeItem(AUTH_KEY);
    state.auth = null;
    clearInterval(state.timer);
    state.timer = null;
    state.history.clear();
    state.selected = null;
    show($('app'), false);
    show($('who'), false);
    show($('login'), true);
    $('broker').textContent = '';
    show($('login-error'), !!why);
    $('login-error').textContent = why || '';
  }

  function start() {
    show($('login'), false);
    show($('login-error'), false);
    show($('app'), true);
    show($('who'), true);
    $('who-name').textContent = state.auth.user;
    $('who-roles').textContent = '(' + state.auth.roles.map((r) => r.replace('solarwind-', '')).join(', ') + ')';
    const admin = isAdmin();
    document.querySelectorAll('.admin-only').forEach((n) => show(n, admin));
    show($('readonly'), !admin);
    schedule();
    refresh();
  }

  // ---- refresh ----------------------------------------------------------------------------------

  function schedule() {
    clearInterval(state.timer);
    state.timer = setInterval(() => {
      if (!$('refresh-paused').checked) refresh();
    }, Number($('refresh-every').value));
  }

  async function refresh() {
    if (!state.auth || state.refreshing) return;
    state.refreshing = true;
    try {
      const [topics, broker] = await Promise.all([call('GET', '/topics'), call('GET', '/broker')]);
      clearError();
      const now = Date.now();
      const seen = new Map();
      for (const t of topics) for (const r of t.purposes) seen.set(r.topic + '/' + r.purpose, r);
      state.registrations = seen;
      record(now, seen);
      renderBroker(broker);
      renderPurposes(topics);
      $('refreshed').textContent = 'refreshed ' + new Date(now).toLocaleTimeString();
      if (state.selected) {
        if (seen.has(state.selected)) await refreshDetail();
        else closeDetail();
      }
    } catch (e) {
      fail(e);
    } finally {
      state.refreshing = false;
    }
  }

  /** Adds a sample per purpose, with its delivery rate since the previous sample. */
  function record(now, registrations) {
    for (const [key, r] of registrations) {
      const samples = state.history.get(key) || [];
      const last = samples[samples.length - 1];
      let rate = null;
      if (last && now > last.t) {
        const delta = (r.delivered || 0) - last.delivered;
        rate = delta >= 0 ? delta * 1000 / (now - last.t) : 0; // a broker restart starts its counters at 0
      }
      samples.push({t: now, pending: r.pending, inFlight: r.inFlight || 0, delivered: r.delivered || 0, rate});
      while (samples.length && samples[0].t < now - HISTORY_MILLIS) samples.shift();
      state.history.set(key, samples);
    }
    for (const key of [...state.history.keys()]) if (!registrations.has(key)) state.history.delete(key);
  }

  function renderBroker(b) {
    const node = $('broker');
    node.textContent = '';
    const good = b.connected && (b.dispatcher === 'active' || b.dispatcher === 'standby');
    node.append(
        'broker ', el('span', {class: 'state ' + (b.connected ? 'good' : 'bad'), text: b.connected ? 'connected' : 'disconnected'}),
        ' ', el('span', {class: 'muted', text: (b.embedded ? 'embedded' : 'external') + ' · ' + (b.connectedTo || b.url || '')}),
        '  dispatcher ', el('span', {class: 'state ' + (good ? 'good' : 'bad'), id: 'dispatcher-state', text: b.dispatcher}));
  }

  function fmt(n) { return n === null || n === undefined ? '–' : Number(n).toLocaleString('en-US'); }

  function fmtRate(n) { return n === null || n === undefined ? '–' : n < 10 ? n.toFixed(1) : Math.round(n).toLocaleString('en-US'); }

  function renderPurposes(topics) {
    const body = $('purposes-body');
    body.textContent = '';
    let purposes = 0, pending = 0, inFlight = 0, dead = 0, rate = 0;
    for (const t of topics) {
      t.purposes.forEach((r, i) => {
        const key = r.topic + '/' + r.purpose;
        const samples = state.history.get(key) || [];
        const last = samples[samples.length - 1];
        purposes++;
        pending += r.pending;
        inFlight += r.inFlight || 0;
        dead += r.deadLetters || 0;
        rate += (last && last.rate) || 0;
        body.append(el('tr', {class: 'purpose' + (key === state.selected ? ' selected' : ''), 'data-key': key},
            el('td', {class: 'topic' + (i > 0 ? ' repeat' : ''), text: r.topic}),
            el('td', {class: 'name', text: r.purpose}),
            el('td', {}, el('span', {class: 'exchange', text: r.exchange})),
            el('td', {class: 'num consumers', text: fmt(r.consumers)}),
            el('td', {class: 'num pending', text: fmt(r.pending)}),
            el('td', {class: 'num in-flight', text: fmt(r.inFlight)}),
            el('td', {class: 'num redelivering', text: fmt(r.redelivering)}),
            el('td', {class: 'num dead-letters' + (r.deadLetters ? ' warn' : ''), text: fmt(r.deadLetters)}),
            el('td', {class: 'num rate', text: fmtRate(last ? last.rate : null)}),
            el('td', {class: 'trend'}, sparkline(samples))));
      });
    }
    show($('no-purposes'), purposes === 0);
    const totals = $('totals');
    totals.textContent = '';
    const item = (label, value, id) => el('span', {}, label + ' ', el('b', {id, text: value}));
    totals.append(item('topics', fmt(topics.length), 'total-topics'), item('purposes', fmt(purposes), 'total-purposes'),
        item('pending', fmt(pending), 'total-pending'), item('in flight', fmt(inFlight), 'total-in-flight'),
        item('dead letters', fmt(dead), 'total-dead-letters'), item('delivered/s', fmtRate(rate), 'total-rate'));
  }

  /** An inline SVG of pending and delivered/s over the samples this page has seen. */
  function sparkline(samples) {
    const ns = 'http://www.w3.org/2000/svg';
    const w = 140, h = 26, pad = 2;
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', w);
    svg.setAttribute('height', h);
    svg.setAttribute('viewBox', '0 0 ' + w + ' ' + h);
    const base = document.createElementNS(ns, 'line');
    base.setAttribute('class', 'base');
    base.setAttribute('x1', 0); base.setAttribute('x2', w);
    base.setAttribute('y1', h - pad); base.setAttribute('y2', h - pad);
    svg.append(base);
    if (samples.length < 2) return svg;
    const t0 = samples[0].t, t1 = samples[samples.length - 1].t;
    const x = (t) => pad + (w - 2 * pad) * (t - t0) / Math.max(1, t1 - t0);
    const line = (values, cls) => {
      const max = Math.max(1, ...values.map((v) => v.value));
      const points = values.map((v) => x(v.t).toFixed(1) + ',' + (h - pad - (h - 2 * pad) * v.value / max).toFixed(1));
      const p = document.createElementNS(ns, 'polyline');
      p.setAttribute('class', cls);
      p.setAttribute('points', points.join(' '));
      svg.append(p);
      return max;
    };
    const maxPending = line(samples.map((s) => ({t: s.t, value: s.pending})), 'pending');
    const rates = samples.filter((s) => s.rate !== null).map((s) => ({t: s.t, value: s.rate}));
    const maxRate = rates.length > 1 ? line(rates, 'rate') : 0;
    const title = document.createElementNS(ns, 'title');
    title.textContent = 'last ' + Math.round((t1 - t0) / 1000) + ' s: pending up to ' + fmt(Math.max(...samples.map((s) => s.pending)))
        + ', delivered/s up to ' + fmtRate(rates.length ? Math.max(...rates.map((r) => r.value)) : 0)
        + ' (scales: ' + fmt(maxPending) + ' and ' + fmtRate(maxRate) + ')';
    svg.append(title);
    return svg;
  }

  // ---- one purpose ----------------------------------------------------------------------------

  function select(key) {
    if (state.selected !== key) state.chosen.clear();
    state.selected = key;
    document.querySelectorAll('#purposes-body tr').forEach((tr) => tr.classList.toggle('selected', tr.dataset.key === key));
    const r = state.registrations.get(key);
    $('replay-from').value = localInput(new Date(Date.now() - 3600 * 1000));
    $('replay-to').value = '';
    $('replay-note').textContent = '';
    show($('detail'), true);
    renderFacts(r);
    refreshDetail();
  }

  function closeDetail() {
    state.selected = null;
    state.chosen.clear();
    show($('detail'), false);
    document.querySelectorAll('#purposes-body tr.selected').forEach((tr) => tr.classList.remove('selected'));
  }

  function localInput(date) {
    const p = (n) => String(n).padStart(2, '0');
    return date.getFullYear() + '-' + p(date.getMonth() + 1) + '-' + p(date.getDate()) + 'T' + p(date.getHours()) + ':'
        + p(date.getMinutes()) + ':' + p(date.getSeconds());
  }

  function renderFacts(r) {
    $('detail-title').textContent = r.topic + ' / ' + r.purpose;
    const facts = $('detail-facts');
    facts.textContent = '';
    const d = r.redelivery || {};
    for (const [name, value] of [
      ['exchange', r.exchange], ['destination', r.destination + ' (' + r.destinationType + ')'],
      ['instances', fmt(r.consumers)], ['pending', fmt(r.pending)], ['in flight', fmt(r.inFlight)],
      ['redelivering', fmt(r.redelivering)], ['added / delivered', fmt(r.added) + ' / ' + fmt(r.delivered) + ' since the broker started'],
      ['redelivery', d.maxAttempts + ' attempts, ' + d.delayMillis + ' ms × ' + d.multiplier + ', at most ' + d.maxDelayMillis + ' ms apart'],
      ['registered', new Date(r.registeredAt).toLocaleString() + ' (version ' + r.version + ')']]) {
      facts.append(el('dt', {text: name}), el('dd', {text: value}));
    }
    // versions of the purpose its instances implement: each with its queue's figures, the active one marked
    const versions = (r.purposeVersions || []).map((v) => v.version + (v.active ? ' (active)' : '')
        + (v.pending === undefined ? '' : ': ' + fmt(v.pending) + ' pending, ' + fmt(v.consumers) + ' instances'));
    if (versions.length > 1 || (r.cutovers || []).length > 0) {
      facts.append(el('dt', {text: 'versions'}), el('dd', {text: versions.join('; ')}));
      const cutovers = r.cutovers || [];
      const last = cutovers[cutovers.length - 1];
      if (last) {
        facts.append(el('dt', {text: 'last cut-over'}),
            el('dd', {text: last.from + ' → ' + last.to + ', ' + new Date(last.at).toLocaleString()}));
      }
    }
    const direct = r.exchange === 'direct';
    $('replay-submit').disabled = !direct;
    $('replay-note').textContent = direct ? '' : 'replay is for direct purposes';
  }

  async function refreshDetail() {
    const r = state.registrations.get(state.selected);
    if (!r) return;
    renderFacts(r);
    try {
      const letters = await call('GET', purposePath(r) + '/dead-letters');
      if (state.selected !== r.topic + '/' + r.purpose) return;
      state.deadLetters = letters;
      renderDeadLetters();
    } catch (e) {
      fail(e);
    }
  }

  function renderDeadLetters() {
    const admin = isAdmin();
    const ids = new Set(state.deadLetters.map((l) => l.id));
    for (const id of [...state.chosen]) if (!ids.has(id)) state.chosen.delete(id);
    const body = $('dead-body');
    body.textContent = '';
    for (const letter of state.deadLetters) {
      body.append(el('tr', {'data-id': letter.id},
          admin ? el('td', {}, el('input', {type: 'checkbox', class: 'choose', 'data-id': letter.id,
            checked: state.chosen.has(letter.id), 'aria-label': 'select ' + letter.id})) : null,
          el('td', {class: 'id', text: letter.id}),
          el('td', {class: 'reason', text: letter.reason}),
          // a dead letter the broker moved itself does not record its attempts (the API gives 0)
          el('td', {class: 'num', text: letter.attempts > 0 ? fmt(letter.attempts) : '–',
            title: letter.attempts > 0 ? null : 'not recorded: the broker moved it after the purpose\'s last attempt'}),
          el('td', {text: new Date(letter.deadLetteredAt).toLocaleString()}),
          admin ? el('td', {},
              el('button', {type: 'button', class: 'small retry', 'data-id': letter.id, text: 'Retry'}), ' ',
              el('button', {type: 'button', class: 'small danger discard', 'data-id': letter.id, text: 'Discard'})) : null));
    }
    $('dead-count').textContent = '(' + state.deadLetters.length + (state.deadLetters.length >= 500 ? '+, the oldest 500 shown' : '') + ')';
    show($('no-dead'), state.deadLetters.length === 0);
    $('dead-select-all').checked = state.deadLetters.length > 0 && state.chosen.size === state.deadLetters.length;
    const none = state.deadLetters.length === 0;
    $('retry-all').disabled = none;
    $('discard-all').disabled = none;
    $('retry-selected').disabled = state.chosen.size === 0;
    $('discard-selected').disabled = state.chosen.size === 0;
  }

  /** Retries or discards the dead letters with these ids, one call each, and says how it went. */
  async function take(ids, retry) {
    const r = state.registrations.get(state.selected);
    if (!r || ids.length === 0) return;
    let done = 0, gone = 0;
    for (const id of ids) {
      try {
        await call(retry ? 'POST' : 'DELETE', purposePath(r) + '/dead-letters/' + enc(id) + (retry ? '/retry' : ''));
        done++;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) { gone++; continue; } // already taken (another user, another server)
        fail(e);
        break;
      }
      state.chosen.delete(id);
    }
    say((retry ? 'Sent back to ' : 'Discarded from ') + r.purpose + ': ' + done + ' dead letter' + (done === 1 ? '' : 's')
        + (gone ? '; ' + gone + ' were gone already' : '') + '.');
    await refresh();
  }

  // ---- changes ----------------------------------------------------------------------------------

  async function register(event) {
    event.preventDefault();
    const topic = $('register-topic').value.trim();
    const purpose = $('register-purpose').value.trim();
    const body = {exchange: $('register-exchange').value};
    const redelivery = {};
    const number = (id, field, parse) => {
      const v = $(id).value.trim();
      if (v !== '') redelivery[field] = parse(v);
    };
    number('register-attempts', 'maxAttempts', (v) => parseInt(v, 10));
    number('register-delay', 'delayMillis', (v) => parseInt(v, 10));
    number('register-multiplier', 'multiplier', Number);
    number('register-max-delay', 'maxDelayMillis', (v) => parseInt(v, 10));
    if (Object.keys(redelivery).length) body.redelivery = redelivery;
    try {
      const r = await call('PUT', purposePath({topic, purpose}), body);
      clearError();
      say('Registered ' + r.purpose + ' (' + r.exchange + ') on ' + r.topic + '.');
      $('register-purpose').value = '';
      await refresh();
    } catch (e) {
      fail(e);
    }
  }

  async function deletePurpose() {
    const r = state.registrations.get(state.selected);
    if (!r || !confirm('Delete purpose ' + r.purpose + ' of ' + r.topic + '? Its queue goes with the '
        + r.pending + ' events waiting in it.')) return;
    try {
      await call('DELETE', purposePath(r));
      say('Deleted ' + r.purpose + ' of ' + r.topic + '.');
      closeDetail();
      await refresh();
    } catch (e) {
      fail(e);
    }
  }

  async function replay(event) {
    event.preventDefault();
    const r = state.registrations.get(state.selected);
    if (!r) return;
    const body = {from: new Date($('replay-from').value).toISOString()};
    if ($('replay-to').value) body.to = new Date($('replay-to').value).toISOString();
    $('replay-submit').disabled = true;
    $('replay-note').textContent = 'replaying…';
    try {
      const answer = await call('POST', purposePath(r) + '/replay', body);
      $('replay-note').textContent = '';
      say('Replayed ' + answer.replayed + ' events of ' + r.topic + ' into ' + r.purpose + '.');
      await refresh();
    } catch (e) {
      $('replay-note').textContent = '';
      fail(e);
    } finally {
      $('replay-submit').disabled = r.exchange !== 'direct';
    }
  }

  // ---- wiring -----------------------------------------------------------------------------------

  document.addEventListener('DOMContentLoaded', () => {
    $('login-form').addEventListener('submit', login);
    $('logout').addEventListener('click', () => logout());
    $('refresh-every').addEventListener('change', schedule);
    $('register-form').addEventListener('submit', register);
    $('replay-form').addEventListener('submit', replay);
    $('delete-purpose').addEventListener('click', deletePurpose);
    $('detail-close').addEventListener('click', closeDetail);
    $('purposes-body').addEventListener('click', (e) => {
      const tr = e.target.closest('tr.purpose');
      if (tr) select(tr.dataset.key);
    });
    $('dead-body').addEventListener('click', (e) => {
      const target = e.target;
      if (target.classList.contains('choose')) {
        if (target.checked) state.chosen.add(target.dataset.id); else state.chosen.delete(target.dataset.id);
        renderDeadLetters();
      } else if (target.classList.contains('retry')) {
        take([target.dataset.id], true);
      } else if (target.classList.contains('discard')) {
        if (confirm('Discard dead letter ' + target.dataset.id + '?')) take([target.dataset.id], false);
      }
    });
    $('dead-select-all').addEventListener('change', (e) => {
      state.chosen = new Set(e.target.checked ? state.deadLetters.map((l) => l.id) : []);
      renderDeadLetters();
    });
    $('retry-selected').addEventListener('click', () => take([...state.chosen], true));
    $('discard-selected').addEventListener('click', () => {
      if (confirm('Discard ' + state.chosen.size + ' dead letters?')) take([...state.chosen], false);
    });
    $('retry-all').addEventListener('click', () => take(state.deadLetters.map((l) => l.id), true));
    $('discard-all').addEventListener('click', () => {
      if (confirm('Discard all ' + state.deadLetters.length + ' listed dead letters?')) take(state.deadLetters.map((l) => l.id), false);
    });

    const stored = sessionStorage.getItem(AUTH_KEY);
    if (stored) {
      try {
        state.auth = JSON.parse(stored);
        start();
        return;
      } catch (e) {
        sessionStorage.removeItem(AUTH_KEY);
      }
    }
    logout();
  });
})();
