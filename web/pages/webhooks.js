// Webhooks (admins): endpoints that receive signed events (review outcomes released, public goal
// completed, people changes, one-on-ones held, public feedback). Registering one shows its
// signing secret once with a copy button; each endpoint lists its deliveries with status,
// attempts and the last answer, sends a test event, redelivers a failed event, rotates its
// secret and is deleted after a confirmation. See docs/operations-webhooks.md.
import { get, post, patch, del } from '../lib/api.js';
import { h, clear, formatDateTime } from '../lib/dom.js';
import { confirmDialog, showErrors, clearErrors, flash } from '../lib/forms.js';

const KIND_LABELS = {
  'review.released': 'Review outcomes released',
  'goal.completed': 'Public goal completed',
  'person.changed': 'Person added, changed or left',
  'oneonone.held': 'One-on-one held',
  'feedback.given': 'Public feedback given',
  ping: 'Test event',
};
const kindLabel = (k) => KIND_LABELS[k] || k;
const STATUS = { delivered: 'Delivered', queued: 'Waiting', failed: 'Failed' };

function copyRow(id, label, value) {
  const input = h('input.secret-value', { id, readonly: true, value, spellcheck: 'false', autocomplete: 'off' });
  const copied = h('span.muted', { role: 'status' });
  const copy = h('button.btn', {
    type: 'button',
    'aria-label': `Copy ${label}`,
    onclick: async () => {
      input.select();
      try { await navigator.clipboard.writeText(value); } catch { document.execCommand('copy'); }
      copied.textContent = 'Copied.';
    },
  }, 'Copy');
  return h('div.field', h('label', { for: id }, label), h('div.secret-row', input, copy), copied);
}

function secretBox(ep, rotated) {
  return h('div.secret-box', { role: 'region', 'aria-labelledby': 'new-webhook-h' },
    h('h3', { id: 'new-webhook-h' }, rotated ? `New signing secret for ${ep.url}` : `Signing secret for ${ep.url}`),
    h('p.secret-warning', h('strong', 'Copy it now: it is shown only once.'),
      ' Your receiver checks the Trellis-Signature header of every request with it.'),
    copyRow('new-webhook-secret', 'Signing secret', ep.secret));
}

function answer(d) {
  if (d.last_status_code) return `HTTP ${d.last_status_code}`;
  if (d.last_error) return d.last_error;
  return '—';
}

export async function render(main, params, ctx) {
  const head = h('div.page-head', h('h1', 'Webhooks'),
    h('p.muted', 'Tell other systems when something happens in Trellis: each event is sent as a signed JSON POST to the endpoints you register.'));
  if (ctx.me.role !== 'admin') {
    clear(main).append(head, h('section.card', h('h2', 'Webhooks'),
      h('p', 'Only an admin can register webhook endpoints. Ask an admin of your organisation.')));
    return;
  }
  const section = h('section.card', { 'aria-labelledby': 'webhooks-h' });
  clear(main).append(head, section);
  const data = await get('/api/v1/admin/webhooks');
  const reveal = h('div');
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const url = h('input', { id: 'webhook-url', 'data-field': 'url', type: 'url', maxlength: '2000', required: true, autocomplete: 'off', placeholder: 'https://example.com/trellis-events' });
  const desc = h('input', { id: 'webhook-description', 'data-field': 'description', maxlength: '500', autocomplete: 'off' });
  const boxes = data.event_kinds.map((k) => h('input', { type: 'checkbox', id: `webhook-kind-${k}`, value: k, checked: true }));
  const form = h('form.token-form', { 'aria-labelledby': 'webhook-create-h', novalidate: true },
    h('h3', { id: 'webhook-create-h' }, 'Register an endpoint'),
    h('div.field', h('label', { for: 'webhook-url' }, 'Endpoint URL'), url),
    h('div.field', h('label', { for: 'webhook-description' }, 'Description (optional)'), desc),
    h('fieldset.webhook-kinds', { 'data-field': 'event_kinds' }, h('legend', 'Events to send'),
      boxes.map((b) => h('div.field.checkbox-field', b, h('label', { for: b.id }, kindLabel(b.value))))),
    summary,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Register endpoint')));
  const listEl = h('div');

  const countsText = (ep) => `Events: ${ep.event_kinds.map(kindLabel).join(', ')} · ${ep.delivered} delivered, ${ep.queued} waiting, ${ep.failed} failed`;

  async function deliveriesOf(ep, box, counts) {
    const [{ items }, now] = await Promise.all([get(`/api/v1/admin/webhooks/${ep.id}/deliveries?limit=20`), get(`/api/v1/admin/webhooks/${ep.id}`)]);
    if (counts) counts.textContent = countsText(now);
    clear(box);
    box.append(h('div.actions',
      h('h4', { id: `deliveries-h-${ep.id}` }, 'Recent deliveries'),
      h('button.btn.btn-quiet', { type: 'button', 'aria-label': `Refresh deliveries of ${ep.url}`, onclick: () => deliveriesOf(ep, box, counts) }, 'Refresh')));
    if (!items.length) {
      box.append(h('p.muted', 'Nothing sent yet. Send a test event to try the endpoint.'));
      return;
    }
    box.append(h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-labelledby': `deliveries-h-${ep.id}` }, h('table.table.deliveries-table',
      h('thead', h('tr', ['Event', 'Status', 'Attempts', 'Last answer', 'Time', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', items.map((d) => h('tr', { 'data-delivery-id': d.id },
        h('td', { 'data-label': 'Event' }, kindLabel(d.kind), h('br'), h('code.muted', d.event_id)),
        h('td', { 'data-label': 'Status' }, h(d.status === 'failed' ? 'span.badge.badge-danger' : d.status === 'delivered' ? 'span.badge.badge-accent' : 'span.badge', STATUS[d.status] || d.status)),
        h('td', { 'data-label': 'Attempts' }, String(d.attempts)),
        h('td', { 'data-label': 'Last answer', title: d.history.map((a) => `${formatDateTime(a.attempted_at)}: ${a.status_code ? 'HTTP ' + a.status_code : a.error}`).join('\n') }, answer(d)),
        h('td', { 'data-label': 'Time' }, formatDateTime(d.delivered_at || d.created_at)),
        h('td', d.status !== 'failed' ? null : h('button.btn.btn-quiet', {
          type: 'button',
          onclick: async () => {
            await post(`/api/v1/admin/webhooks/${ep.id}/deliveries/${d.id}/redeliver`);
            await deliveriesOf(ep, box, counts);
          },
        }, 'Redeliver'))))))));
  }

  function endpointCard(ep) {
    const box = h('div.webhook-deliveries');
    const counts = h('p.muted', countsText(ep));
    const card = h('article.webhook', { 'aria-label': `Endpoint ${ep.url}` },
      h('h3.webhook-url', ep.url, ' ', h(ep.active ? 'span.badge.badge-accent' : 'span.badge', ep.active ? 'Active' : 'Paused')),
      ep.description ? h('p', ep.description) : null,
      counts,
      h('div.actions',
        h('button.btn', {
          type: 'button',
          onclick: async () => {
            await post(`/api/v1/admin/webhooks/${ep.id}/test`);
            flash(card, 'A test event is on its way.');
            await deliveriesOf(ep, box, counts);
          },
        }, 'Send test event'),
        h('button.btn', {
          type: 'button',
          onclick: async () => {
            await patch(`/api/v1/admin/webhooks/${ep.id}`, { active: !ep.active });
            await refresh();
          },
        }, ep.active ? 'Pause' : 'Resume'),
        h('button.btn', {
          type: 'button',
          onclick: async () => {
            if (!await confirmDialog('Rotate the signing secret?', `Requests to ${ep.url} are signed with a new secret from now on; the receiver must be given it.`, 'Rotate secret')) return;
            const r = await post(`/api/v1/admin/webhooks/${ep.id}/rotate-secret`);
            clear(reveal).append(secretBox(r, true));
            reveal.querySelector('input').focus();
          },
        }, 'Rotate secret'),
        h('button.btn.btn-quiet', {
          type: 'button',
          'aria-label': `Delete ${ep.url}`,
          onclick: async () => {
            if (!await confirmDialog('Delete this endpoint?', `${ep.url} will receive no more events, and its delivery history is deleted. This cannot be undone.`, 'Delete endpoint')) return;
            await del(`/api/v1/admin/webhooks/${ep.id}`);
            clear(reveal);
            await refresh();
            flash(section, `${ep.url} was deleted.`);
          },
        }, 'Delete')),
      box);
    deliveriesOf(ep, box, counts).catch(() => {}); // an endpoint deleted meanwhile shows nothing
    return card;
  }

  async function refresh(items) {
    if (!items) ({ items } = await get('/api/v1/admin/webhooks'));
    clear(listEl);
    if (!items.length) {
      listEl.append(h('p.muted', 'No endpoints yet.'));
      return;
    }
    listEl.append(...items.map(endpointCard));
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    const body = { url: url.value.trim(), description: desc.value.trim(), event_kinds: boxes.filter((b) => b.checked).map((b) => b.value) };
    if (!body.url) {
      showErrors(form, summary, { fields: { url: 'is required' } }, { url: 'Endpoint URL' });
      return;
    }
    let ep;
    try {
      ep = await post('/api/v1/admin/webhooks', body);
    } catch (ex) {
      showErrors(form, summary, ex, { url: 'Endpoint URL', event_kinds: 'Events' });
      return;
    }
    form.reset();
    for (const b of boxes) b.checked = true;
    clear(reveal).append(secretBox(ep, false));
    await refresh();
    reveal.querySelector('input').focus();
    reveal.querySelector('input').select();
  });

  section.append(
    h('h2', { id: 'webhooks-h' }, 'Endpoints'),
    h('p.muted', 'Each request carries Trellis-Event, Trellis-Delivery (the event id, the same on every retry), Trellis-Timestamp and Trellis-Signature: v1= and the hex HMAC-SHA256 of the timestamp, a dot and the body, under the endpoint’s secret. An answer other than 2xx is retried after 1 minute, 5 minutes, 30 minutes, 2 hours and 12 hours. Goals and feedback are sent only when public.'),
    reveal, form, h('h3', 'Registered endpoints'), listEl);
  await refresh(data.items);
}
