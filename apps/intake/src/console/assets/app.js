// Agent console: plain DOM, no framework. Every value is written with textContent.
const state = {
  token: sessionStorage.getItem('pt-token'),
  agent: JSON.parse(sessionStorage.getItem('pt-agent') || 'null'),
  incidentId: null,
  config: null,
  timer: null,
};
const $ = (id) => document.getElementById(id);

async function api(path, options = {}) {
  const headers = { 'content-type': 'application/json', ...(options.headers || {}) };
  if (state.token) headers.authorization = 'Bearer ' + state.token;
  const res = await fetch(path, { ...options, headers });
  const body = res.status === 204 ? null : await res.json().catch(() => null);
  if (res.status === 401 && path !== '/v1/auth/sign-in') signOut();
  if (!res.ok) throw new Error((body && body.message) || 'HTTP ' + res.status);
  return body;
}

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function money(minor, currency) {
  const n = BigInt(minor);
  const whole = n / 100n;
  const cents = (n % 100n).toString().padStart(2, '0');
  return whole + '.' + cents + ' ' + currency;
}

function timeLeftText(t) {
  if (!t) return '—';
  const m = Math.round(t.businessMinutes);
  const label = Math.abs(m) >= 60 ? Math.floor(Math.abs(m) / 60) + 'h ' + (Math.abs(m) % 60) + 'm' : Math.abs(m) + 'm';
  const what = t.target === 'FIRST_RESPONSE' ? 'to respond' : 'to resolve';
  if (t.paused) return 'paused (awaiting clearing)';
  return m < 0 ? label + ' overdue (' + what + ')' : label + ' ' + what;
}

function fill(dl, pairs) {
  dl.replaceChildren();
  for (const [k, v] of pairs) {
    dl.append(el('dt', k), el('dd', v === null || v === undefined || v === '' ? '—' : v));
  }
}

function table(rows, columns) {
  if (!rows || rows.length === 0) return el('p', 'none', 'muted');
  const t = el('table');
  const head = el('tr');
  for (const c of columns) head.append(el('th', c[0]));
  const thead = el('thead');
  thead.append(head);
  const tbody = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    for (const c of columns) tr.append(el('td', c[1](r)));
    tbody.append(tr);
  }
  t.append(thead, tbody);
  return t;
}

function show(view) {
  $('sign-in-view').hidden = view !== 'sign-in';
  $('app-view').hidden = view === 'sign-in';
  $('queue-view').hidden = view !== 'queue';
  $('incident-view').hidden = view !== 'incident';
  $('sign-out').hidden = view === 'sign-in';
  $('who').textContent = state.agent ? state.agent.displayName + ' (' + state.agent.role + ')' : '';
}

function signOut() {
  if (state.token) fetch('/v1/auth/sign-out', { method: 'POST', headers: { authorization: 'Bearer ' + state.token } }).catch(() => undefined);
  state.token = null;
  state.agent = null;
  sessionStorage.removeItem('pt-token');
  sessionStorage.removeItem('pt-agent');
  clearInterval(state.timer);
  show('sign-in');
}

async function loadQueue() {
  const params = new URLSearchParams({ status: $('filter-status').value, limit: '100' });
  if ($('filter-assignee').value) params.set('assignee', $('filter-assignee').value);
  const queue = await api('/v1/incidents?' + params);
  const tbody = $('queue').querySelector('tbody');
  tbody.replaceChildren();
  for (const item of queue.items) {
    const tr = el('tr');
    tr.dataset.id = item.id;
    tr.dataset.ticket = item.ticketNumber;
    const left = el('td', timeLeftText(item.timeLeft));
    if (item.timeLeft && item.timeLeft.businessMinutes < 0 && !item.timeLeft.paused) left.className = 'late';
    tr.append(
      el('td', item.ticketNumber),
      el('td', item.priority),
      el('td', item.status),
      el('td', item.decision ? item.decision.reasonCode : '—'),
      el('td', item.orderNumber),
      el('td', money(item.amountMinor, item.currency)),
      left,
      el('td', item.assigneeId ? (state.agent && item.assigneeId === state.agent.id ? 'me' : 'taken') : '—'),
    );
    tr.addEventListener('click', () => openIncident(item.id));
    tbody.append(tr);
  }
  $('queue-count').textContent = queue.total + ' incident(s)';
}

async function loadIncident() {
  const id = state.incidentId;
  const incident = await api('/v1/incidents/' + id);
  if (id !== state.incidentId) return;
  $('incident-title').textContent = incident.ticketNumber + ' · ' + incident.orderNumber;
  $('incident-status').textContent = incident.status + ' · ' + incident.priority + ' · ' + timeLeftText(incident.timeLeft);
  fill($('report'), [
    ['Type', incident.type],
    ['Source', incident.source],
    ['Account', incident.accountId],
    ['Amount', money(incident.amountMinor, incident.currency)],
    ['Paid at', incident.paidAt],
    ['Channel', incident.channel],
    ['Payment ref', incident.paymentReference],
    ['Urgent', incident.urgent ? 'yes' : 'no'],
    ['Reported', incident.createdAt],
  ]);
  const d = incident.decision;
  fill($('decision'), [
    ['Outcome', d && d.outcome],
    ['Reason', d && d.reasonCode],
    ['Explanation', d && d.explanation],
    ['Card keys issued', d && d.cardKeyIds && d.cardKeyIds.length > 0 ? d.cardKeyIds.join(', ') : d && d.cardKeyId],
    ['Decided', d && d.decidedAt],
    ['Resolution', incident.resolutionCode],
  ]);
  const timeline = await api('/v1/incidents/' + id + '/timeline');
  const list = $('timeline');
  list.replaceChildren();
  for (const e of timeline.entries) {
    const who = e.actorType === 'AGENT' ? e.actorName || e.actorId : e.actorType.toLowerCase() + (e.actorName ? ' ' + e.actorName : '');
    const change = e.statusBefore && e.statusAfter && e.statusBefore !== e.statusAfter ? ' ' + e.statusBefore + ' → ' + e.statusAfter : '';
    const li = el('li', e.at.replace('T', ' ').slice(0, 19) + ' · ' + who + ' · ' + e.action + change + (e.reason ? ' — ' + e.reason : ''));
    li.dataset.action = e.action;
    list.append(li);
  }
  await loadEvidence(id);
}

async function loadEvidence(id) {
  const ledger = $('ledger');
  const clearing = $('clearing');
  try {
    const res = await fetch(state.config.reconciliationUrl + '/v1/decisions/' + id, { headers: { authorization: 'Bearer ' + state.token } });
    if (res.status === 404) {
      ledger.replaceChildren(el('p', 'no decision yet', 'muted'));
      clearing.replaceChildren(el('p', 'no decision yet', 'muted'));
      return;
    }
    const body = await res.json();
    const last = body.decisions[body.decisions.length - 1];
    const e = last.evidence;
    const order = e.order
      ? table(
          [e.order],
          [
            ['Order', (o) => o.orderNumber],
            ['Account', (o) => o.accountId],
            ['SKU', (o) => o.sku],
            ['Quantity', (o) => o.quantity],
            ['Amount', (o) => money(o.amountMinor, o.currency)],
            ['Status', (o) => o.status],
          ],
        )
      : el('p', 'order not in the ledger', 'muted');
    ledger.replaceChildren(
      order,
      el('h3', 'Payments'),
      table(e.payments, [
        ['Reference', (p) => p.paymentReference],
        ['Channel', (p) => p.channel],
        ['Amount', (p) => money(p.amountMinor, p.currency)],
        ['Correction', (p) => (p.isCorrection ? 'yes' : 'no')],
      ]),
      el('h3', 'Deliveries'),
      table(e.deliveries, [
        ['Line', (d) => (d.lineNo == null ? '' : d.lineNo)],
        ['Key', (d) => d.cardKeyRef],
        ['Source', (d) => d.source],
        ['State', (d) => d.keyState],
        ['At', (d) => d.deliveredAt],
      ]),
      el(
        'p',
        e.lines ? 'Lines: ' + e.lines.quantity + ' · covered ' + (e.lines.covered.join(', ') || 'none') + ' · owed ' + (e.lines.owed.join(', ') || 'none') : '',
        'muted',
      ),
      el('p', 'Rule version ' + last.ruleVersion + ' · stock ' + e.stockAvailable + ' · ' + body.decisions.length + ' decision(s)', 'muted'),
    );
    clearing.replaceChildren(
      table(e.clearing, [
        ['Reference', (c) => c.paymentReference],
        ['Status', (c) => c.status + (c.failureCode ? ' (' + c.failureCode + ')' : '')],
        ['Amount', (c) => money(c.amountMinor, c.currency)],
        ['Version', (c) => c.version],
        ['At', (c) => c.statusAt],
      ]),
    );
  } catch (error) {
    ledger.replaceChildren(el('p', 'evidence unavailable: ' + error.message, 'error'));
  }
}

function openIncident(id) {
  state.incidentId = id;
  $('action-error').textContent = '';
  show('incident');
  loadIncident().catch((e) => ($('action-error').textContent = e.message));
}

async function act(path, body) {
  $('action-error').textContent = '';
  try {
    await api('/v1/incidents/' + state.incidentId + '/' + path, { method: 'POST', body: JSON.stringify(body || {}) });
    await loadIncident();
  } catch (error) {
    $('action-error').textContent = error.message;
  }
}

function poll() {
  clearInterval(state.timer);
  state.timer = setInterval(() => {
    const task = !$('incident-view').hidden ? loadIncident() : loadQueue();
    task.catch(() => undefined);
  }, 3000);
}

async function start() {
  state.config = await fetch('/console/config.json').then((r) => r.json());
  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    $('sign-in-error').textContent = '';
    try {
      const signed = await api('/v1/auth/sign-in', { method: 'POST', body: JSON.stringify({ username: $('username').value, password: $('password').value }) });
      state.token = signed.token;
      state.agent = signed.agent;
      sessionStorage.setItem('pt-token', signed.token);
      sessionStorage.setItem('pt-agent', JSON.stringify(signed.agent));
      show('queue');
      await loadQueue();
      poll();
    } catch (error) {
      $('sign-in-error').textContent = error.message;
    }
  });
  $('sign-out').addEventListener('click', signOut);
  $('back').addEventListener('click', () => {
    state.incidentId = null;
    show('queue');
    loadQueue();
  });
  $('filter-status').addEventListener('change', loadQueue);
  $('filter-assignee').addEventListener('change', loadQueue);
  $('action-claim').addEventListener('click', () => act('claim'));
  $('action-recheck').addEventListener('click', () => act('recheck', { reason: 'requested from the console' }));
  $('action-escalate').addEventListener('click', () => {
    const reason = window.prompt('Why does this need a supervisor?');
    if (reason) act('escalate', { reason });
  });
  $('action-resolve').addEventListener('click', () => {
    const note = $('resolution-note').value.trim();
    if (!note) {
      $('action-error').textContent = 'write a note for the resolution';
      return;
    }
    act('resolve', { resolutionCode: $('resolution-code').value, note });
  });
  if (state.token) {
    show('queue');
    loadQueue()
      .then(poll)
      .catch(() => undefined);
  } else {
    show('sign-in');
  }
}

start();
