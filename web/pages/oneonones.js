// One-on-ones: my series with their next meeting, starting a series with my manager or a
// report, my private calendar feed, notifications, and cadence health for managers and HR.
import { get, post, del } from '../lib/api.js';
import { h, clear, emptyState, formatDate } from '../lib/dom.js';

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const failure = (err, ex) => {
  err.textContent = Object.keys(ex.fields || {}).length ? Object.values(ex.fields).join('; ') : ex.message;
  err.hidden = false;
};

function seriesCard(s, me) {
  const other = s.lead.id === me ? s.member : s.lead;
  return h('li.goal-card',
    h('div.goal-main',
      h('a.goal-title', { href: `#/one-on-ones/${s.id}` }, `${s.kind === 'career' ? 'Career conversations' : 'One-on-ones'} with ${other.name}`),
      s.status !== 'active' ? h('span.goal-meta', s.status === 'paused' ? 'Paused' : 'Ended') : null,
      s.status === 'ended' ? null : h('span.goal-meta', `Every ${s.cadence_weeks} week${s.cadence_weeks > 1 ? 's' : ''} on ${s.weekday} at ${s.time} (${s.timezone}), ${s.duration_minutes} min`),
      s.warnings.map((w) => h('span.goal-meta.warning', w)),
      s.next_meeting ? h('a', { href: `#/one-on-ones/meetings/${s.next_meeting.id}` }, `Next: ${s.next_meeting.local_start.replace('T', ' ')}`) : null),
    h('span.badge', s.relation === 'manager' && s.lead.id === me ? 'your report' : s.relation === 'manager' ? 'your manager' : s.relation));
}

async function createForm(ctx, reload) {
  const me = await get(`/api/v1/people/${ctx.me.person.id}`);
  const reports = (await get(`/api/v1/people?manager=${ctx.me.person.id}&limit=200`)).items;
  const people = [...(me.manager ? [{ id: me.manager.id, name: `${me.manager.name} (my manager)` }] : []), ...reports];
  if (!people.length) return null;
  const err = h('div.alert', { role: 'alert', hidden: true });
  const who = h('select', { id: 'oo-with' }, people.map((p) => h('option', { value: p.id }, p.name)));
  const cadence = h('input', { id: 'oo-cadence', type: 'number', min: 1, max: 12, value: 4 });
  const warn = h('p.muted', { role: 'status' });
  cadence.addEventListener('input', () => { warn.textContent = Number(cadence.value) > 6 ? 'Meeting less often than every six weeks makes feedback too rare to act on.' : ''; });
  const date = h('input', { id: 'oo-date', type: 'date' });
  const time = h('input', { id: 'oo-time', type: 'time', value: '10:00' });
  const tz = h('input', { id: 'oo-tz', type: 'text', value: Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC' });
  const kind = h('select', { id: 'oo-kind' }, h('option', { value: 'regular' }, 'Regular one-on-ones'), h('option', { value: 'career' }, 'Career conversations'));
  const form = h('form.card', { id: 'oo-create' }, h('h2', 'Start a one-on-one'),
    h('div.field', h('label', { for: 'oo-kind' }, 'Kind'), kind),
    h('div.field', h('label', { for: 'oo-with' }, 'With'), who),
    h('div.field', h('label', { for: 'oo-cadence' }, 'Every how many weeks'), cadence, warn),
    h('div.field', h('label', { for: 'oo-date' }, 'First meeting'), date),
    h('div.field', h('label', { for: 'oo-time' }, 'Time'), time),
    h('div.field', h('label', { for: 'oo-tz' }, 'Time zone'), tz), err,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Start the series'),
      reports.length ? h('button.btn', { type: 'button', id: 'oo-career', onclick: () => { kind.value = 'career'; form.requestSubmit(); } }, 'Start a career conversation series') : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const d = date.value ? new Date(`${date.value}T12:00:00Z`) : null;
    try {
      await post('/api/v1/one-on-ones', { with: Number(who.value), cadence_weeks: Number(cadence.value), first_date: date.value, weekday: d ? WEEKDAYS[(d.getUTCDay() + 6) % 7] : '', time: time.value, timezone: tz.value.trim(), kind: kind.value });
      reload();
    } catch (ex) { failure(err, ex); }
  });
  return form;
}

function calendarCard() {
  const out = h('p.muted', { role: 'status' }, 'Subscribe to your one-on-ones in your calendar application with a private address.');
  return h('section.card', h('h2', 'Calendar'), out,
    h('div.actions',
      h('button.btn', { type: 'button', onclick: async () => { const r = await post('/api/v1/me/calendar', {}); out.textContent = `Your private calendar address (shown once; a new one replaces it): ${new URL(r.path, location.origin).href}`; } }, 'Get my calendar address'),
      h('button.btn.btn-quiet', { type: 'button', onclick: async () => { await del('/api/v1/me/calendar'); out.textContent = 'The calendar address no longer works.'; } }, 'Revoke it')));
}

async function healthTab(body) {
  const r = await get('/api/v1/one-on-ones/health');
  if (!r.managers.length) { body.append(emptyState('No managers to show', 'Cadence health covers the managers in your organisation.')); return; }
  body.append(h('section.card', h('h2', 'Cadence health'),
    h('p', `${r.total.met_last_6_weeks} of ${r.total.reports} people met their manager in the last six weeks (${Math.round(r.total.share_met * 100)}%).`),
    r.managers_total > r.managers.length ? h('p.muted', `The ${r.managers.length} managers furthest behind of ${r.managers_total}: the lowest share met first.`) : null,
    h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Cadence health by manager' }, h('table.table',
      h('thead', h('tr', ['Manager', 'Reports', 'Met in 6 weeks', 'Median gap (days)', 'Meetings without career talk'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', r.managers.map((m) => h('tr', h('th', { scope: 'row' }, m.manager.name), h('td', String(m.reports)),
        h('td', `${m.met_last_6_weeks} (${Math.round(m.share_met * 100)}%)`), h('td', m.median_gap_days ?? '—'), h('td', String(m.meetings_without_career_discussion)))))))));
}

async function notificationsTab(body, reload) {
  const r = await get('/api/v1/notifications');
  if (!r.items.length) { body.append(emptyState('No notifications', 'Reminders about meetings, action items, reviews and goals appear here.')); return; }
  body.append(h('ul.fb-list', r.items.map((n) => h('li.card.fb-card',
    h('p', n.link ? h('a', { href: n.link }, n.body) : n.body),
    h('p.muted', formatDate(n.created_at), n.read_at ? ' · read' : ''),
    n.read_at ? null : h('button.btn.btn-small', { type: 'button', onclick: async () => { await post(`/api/v1/notifications/${n.id}/read`, {}); reload(); } }, 'Mark read')))));
}

export async function render(main, { query }, ctx) {
  const tab = query.get('tab') || 'mine';
  const isHr = ['hr', 'admin'].includes(ctx.me.role);
  const body = h('div');
  const reload = () => render(main, { query }, ctx);
  const tabs = [['mine', 'My one-on-ones'], ['notifications', 'Notifications'], ['health', isHr ? 'Cadence health' : 'My team\'s cadence']];
  clear(main).append(h('div.page-head', h('h1', 'One-on-ones')),
    h('nav.tabs', { 'aria-label': 'One-on-one views' }, tabs.map(([k, label]) => h('a.tab', { href: `#/one-on-ones?tab=${k}`, 'aria-current': k === tab ? 'page' : null }, label))),
    body);
  if (tab === 'health') return healthTab(body);
  if (tab === 'notifications') return notificationsTab(body, reload);
  const series = (await get('/api/v1/one-on-ones')).items;
  body.append(series.length ? h('ul.goal-list', series.map((s) => seriesCard(s, ctx.me.person.id))) : emptyState('No one-on-ones yet', 'Start a recurring meeting with your manager or a report: every four weeks is a good rhythm.'));
  const form = await createForm(ctx, reload);
  if (form) body.append(form);
  body.append(calendarCard());
}
