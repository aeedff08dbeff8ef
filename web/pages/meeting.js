// One meeting of a one-on-one: the four-part agenda (goals, development plan, feedback,
// actions), talking points from both sides, shared and private notes, action items, and
// complete / skip / move. Also the series page: its meetings, past and to come.
import { get, patch, post } from '../lib/api.js';
import { h, clear, emptyState, formatDate, formatDateTime } from '../lib/dom.js';
import { bar } from '../lib/progress.js';

const SECTIONS = { goals: 'Performance against goals', development: 'Development plan', feedback: 'Feedback', actions: 'Actions', other: 'Other' };
const failure = (err, ex) => {
  err.textContent = Object.keys(ex.fields || {}).length ? Object.values(ex.fields).join('; ') : ex.message;
  err.hidden = false;
};

export async function renderSeries(main, { match }, ctx) {
  let s;
  try { s = await get(`/api/v1/one-on-ones/${match[1]}`); } catch (e) {
    if (e.status === 404) { clear(main).append(emptyState('One-on-one not found', 'Only the two people who meet can open it.', h('a.btn', { href: '#/one-on-ones' }, 'Back'))); return; }
    throw e;
  }
  const other = s.lead.id === ctx.me.person.id ? s.member : s.lead;
  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'One-on-ones' }, h('ol', h('li', h('a', { href: '#/one-on-ones' }, 'One-on-ones')), h('li', { 'aria-current': 'page' }, other.name))),
    h('div.page-head', h('h1', `One-on-ones with ${other.name}`), h('p.muted', `Every ${s.cadence_weeks} weeks on ${s.weekday} at ${s.time} (${s.timezone})`)),
    s.warnings.length ? h('p.alert', { role: 'note' }, s.warnings.join(' ')) : '',
    h('ul.goal-list', s.meetings.map((m) => h('li.goal-card',
      h('div.goal-main', h('a.goal-title', { href: `#/one-on-ones/meetings/${m.id}` }, m.local_start.replace('T', ' ')),
        h('span.goal-meta', m.status === 'skipped' ? `Skipped: ${m.skip_reason}` : m.held_at ? `Held ${formatDate(m.held_at)}${m.career_discussed ? ' · career discussed' : ''}` : m.moved ? 'Moved' : 'Scheduled')),
      h('span.badge', m.status)))));
}

function section(title, content) {
  return h('section.agenda-section', h('h3', title), content);
}

function agendaBlock(m) {
  const a = m.agenda;
  const list = (items, render, empty) => (items.length ? h('ul.kr-list', items.map(render)) : h('p.muted', empty));
  return h('section.card', { 'aria-labelledby': 'agenda-h' }, h('h2', { id: 'agenda-h' }, 'Agenda'),
    section('1. Performance against goals', list(a.goals, (g) => h('li',
      h('a.kr-title', { href: `#/goals/${g.id}` }, g.title),
      h('span.muted', g.progress_at_previous !== null ? `${Math.round(g.progress_at_previous)}% → ${Math.round(g.progress)}% since the last meeting` : `${Math.round(g.progress)}%`),
      bar(g.progress, `Progress of ${g.title}`),
      g.aligned_to ? h('span.muted', `Supports: ${g.aligned_to.title}`) : null), 'No running goals.')),
    section('2. Development plan', h('p.muted', a.development.note)),
    section('3. Feedback', h('div',
      list(a.feedback.received, (f) => h('li', h('span.kr-title', f.body), h('span.muted', `${f.from.name} · ${f.kind} · ${formatDate(f.created_at)}`)), 'No new feedback since the last meeting.'),
      a.feedback.open_requests.length ? h('p', `Open requests: ${a.feedback.open_requests.map((q) => `${q.topic} (${q.asked.name})`).join('; ')}`) : null)),
    section('4. Actions', list([...a.actions.open, ...a.actions.new], (x) => h('li',
      h('span.kr-title', x.body), h('span.muted', `${x.owner.name}${x.due_date ? ` · due ${x.due_date}` : ''}`),
      x.status === 'open'
        ? h('button.btn.btn-small', { type: 'button', 'data-action': x.id }, `Done: ${x.body}`)
        : h('span.badge', 'done')), 'No open action items.')));
}

export async function render(main, { match }, ctx) {
  let m;
  try { m = await get(`/api/v1/one-on-ones/meetings/${match[1]}`); } catch (e) {
    if (e.status === 404) { clear(main).append(emptyState('Meeting not found', 'Only the two people who meet can open it.', h('a.btn', { href: '#/one-on-ones' }, 'Back'))); return; }
    throw e;
  }
  const reload = () => render(main, { match }, ctx);
  const s = m.series;
  const other = s.lead.id === ctx.me.person.id ? s.member : s.lead;
  const open = m.status === 'scheduled';
  const err = h('div.alert', { role: 'alert', hidden: true });
  const act = async (fn) => { err.hidden = true; try { await fn(); reload(); } catch (ex) { failure(err, ex); } };

  const pointText = h('input', { id: 'pt-body', type: 'text' });
  const pointSection = h('select', { id: 'pt-section' }, Object.entries(SECTIONS).map(([k, v]) => h('option', { value: k }, v)));
  const points = h('section.card', h('h2', 'Talking points'),
    m.points.length ? h('ul.kr-list', m.points.map((p) => h('li',
      h('span.kr-title', p.body), h('span.muted', `${SECTIONS[p.section]} · ${p.author.name}`), h('span.badge', p.status),
      open && p.status === 'open' ? [
        h('button.btn.btn-small', { type: 'button', onclick: () => act(() => patch(`/api/v1/one-on-ones/points/${p.id}`, { status: 'discussed' })) }, `Discussed: ${p.body}`),
        h('button.btn.btn-small', { type: 'button', onclick: () => act(() => patch(`/api/v1/one-on-ones/points/${p.id}`, { status: 'moved' })) }, `Next time: ${p.body}`)] : null))) : h('p.muted', 'No talking points yet.'),
    open ? h('form.inline-form', { onsubmit: (e) => { e.preventDefault(); act(() => post(`/api/v1/one-on-ones/meetings/${m.id}/points`, { section: pointSection.value, body: pointText.value.trim() })); } },
      h('label', { for: 'pt-section' }, 'Section'), pointSection, h('label', { for: 'pt-body' }, 'New talking point'), pointText, h('button.btn', { type: 'submit' }, 'Add point')) : null);

  const shared = h('textarea', { id: 'notes-shared', rows: 4 });
  shared.value = m.shared_notes;
  const mine = h('textarea', { id: 'notes-private', rows: 3 });
  mine.value = m.private_note || '';
  const saved = h('p.muted', { role: 'status' });
  const notes = h('section.card', h('h2', 'Notes'),
    h('div.field', h('label', { for: 'notes-shared' }, `Shared notes (${other.name} sees them; they go in the summary)`), shared),
    h('div.field', h('label', { for: 'notes-private' }, 'My private notes (only you can ever read them)'), mine), saved,
    h('div.actions', h('button.btn', { type: 'button', onclick: async () => { try { await patch(`/api/v1/one-on-ones/meetings/${m.id}`, { shared_notes: shared.value, private_note: mine.value }); saved.textContent = 'Notes saved.'; } catch (ex) { failure(err, ex); } } }, 'Save notes')));

  const owner = h('select', { id: 'ai-owner' }, [s.member, s.lead].map((p) => h('option', { value: p.id }, p.name)));
  const aiText = h('input', { id: 'ai-body', type: 'text' });
  const aiDue = h('input', { id: 'ai-due', type: 'date' });
  const actions = m.status !== 'skipped' ? h('form.card', { onsubmit: (e) => { e.preventDefault(); act(() => post(`/api/v1/one-on-ones/meetings/${m.id}/actions`, { owner_id: Number(owner.value), body: aiText.value.trim(), due_date: aiDue.value || null })); } },
    h('h2', 'New action item'), h('div.field', h('label', { for: 'ai-body' }, 'Action'), aiText), h('div.field', h('label', { for: 'ai-owner' }, 'Owner'), owner),
    h('div.field', h('label', { for: 'ai-due' }, 'Due'), aiDue), h('div.actions', h('button.btn', { type: 'submit' }, 'Add action item'))) : null;

  const career = h('input', { id: 'career', type: 'checkbox' });
  const reason = h('input', { id: 'skip-reason', type: 'text' });
  const controls = open ? h('section.card', h('h2', 'Finish'),
    h('label.share', { for: 'career' }, career, ' We discussed career development'),
    h('div.actions', h('button.btn.btn-primary', { type: 'button', onclick: () => act(() => post(`/api/v1/one-on-ones/meetings/${m.id}/complete`, { career_discussed: career.checked })) }, 'Complete the meeting')),
    h('div.field', h('label', { for: 'skip-reason' }, 'Reason to skip'), reason),
    h('div.actions', h('button.btn', { type: 'button', onclick: () => act(() => post(`/api/v1/one-on-ones/meetings/${m.id}/skip`, { reason: reason.value.trim() })) }, 'Skip this meeting'))) : null;

  const sent = m.summary_emails.length ? h('section.card', h('h2', 'Summary email'), h('ul', m.summary_emails.map((e) => h('li',
    e.sent_at ? `Sent to ${e.to} on ${formatDateTime(e.sent_at)}` : `Waiting to be sent to ${e.to}${e.last_error ? ` (last try: ${e.last_error}; next ${formatDateTime(e.next_attempt_at)})` : ''}`)))) : null;

  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'One-on-ones' }, h('ol', h('li', h('a', { href: '#/one-on-ones' }, 'One-on-ones')), h('li', h('a', { href: `#/one-on-ones/${s.id}` }, other.name)), h('li', { 'aria-current': 'page' }, m.local_start.slice(0, 10)))),
    h('div.page-head', h('h1', `One-on-one with ${other.name}`),
      h('p.muted', `${m.local_start.replace('T', ' ')} (${s.timezone}) · ${m.status}${m.moved ? ' · moved' : ''}${m.skip_reason ? ` · ${m.skip_reason}` : ''}`)),
    err, agendaBlock(m), points, notes, actions || '', controls || '', sent || '');
  main.querySelectorAll('button[data-action]').forEach((b) => b.addEventListener('click', () => act(() => patch(`/api/v1/action-items/${b.dataset.action}`, { status: 'done' }))));
}
