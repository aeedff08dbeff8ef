// Home: what needs me (one call to /api/v1/me/tasks), grouped, each item linking to the page
// that resolves it; for a manager, the status of each direct report (a table, cards on phones).
import { get } from '../lib/api.js';
import { h, clear, avatar, formatDate, emptyState } from '../lib/dom.js';
import { personRow } from './people.js';

const groups = [
  ['Reviews', (k) => k.startsWith('review_') || k === 'outcome_acknowledge'],
  ['Feedback', (k) => k === 'feedback_request'],
  ['One-on-ones', (k) => k === 'one_on_one' || k === 'action_item'],
  ['Goals', (k) => k.startsWith('goal_')],
  ['Approvals', (k) => k === 'nomination' || k === 'idp_sign_off' || k.startsWith('case_')],
];

const today = () => new Date().toISOString().slice(0, 10);

function dueBadge(t) {
  if (!t.due) return null;
  if (t.kind === 'one_on_one') return null; // its detail says when
  const late = t.due < today();
  return h(`span.badge${late ? '.badge-danger' : ''}`, `${late ? 'Overdue' : 'Due'} ${formatDate(t.due)}`);
}

function taskRow(t) {
  return h('li.task', h('a.task-link', { href: t.href },
    h('span.task-text', h('span.task-title', t.title), t.detail ? h('span.task-detail', t.detail) : null),
    dueBadge(t)));
}

const reviewLabel = { assigned: 'not started', draft: 'draft', submitted: 'submitted' };
const idpLabel = { none: 'No plan', awaiting_sign_off: 'Waiting for your sign-off', signed_off: 'Signed off' };

function teamTable(team) {
  const cell = (label, ...content) => h('td', { 'data-label': label }, ...content);
  return h('div.card.table-wrap',
    h('table.table.team-table',
      h('caption.sr-only', 'Status of your direct reports'),
      h('thead', h('tr', ['Person', 'Goals at risk', 'Review', 'Last one-on-one', 'Next one-on-one', 'Development plan'].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', team.map((p) => h('tr',
        h('th', { scope: 'row' }, h('a.team-person', { href: `#/people/${p.id}` }, avatar(p.name, 'sm'), h('span', h('span.task-title', p.name), p.title ? h('span.task-detail', p.title) : null))),
        cell('Goals at risk', p.goals_at_risk ? h('span.badge.badge-danger', `${p.goals_at_risk} of ${p.goals_active}`) : h('span.muted', p.goals_active ? `0 of ${p.goals_active}` : 'No goals')),
        cell('Review', p.review
          ? h('span', h('span.task-detail', p.review.cycle), `Self: ${reviewLabel[p.review.self] || '—'} · Manager: ${reviewLabel[p.review.manager] || '—'}`)
          : h('span.muted', 'No open cycle')),
        cell('Last one-on-one', p.last_one_on_one ? formatDate(p.last_one_on_one) : h('span.muted', 'Never')),
        cell('Next one-on-one', p.next_meeting_id ? h('a', { href: `#/one-on-ones/meetings/${p.next_meeting_id}` }, formatDate(p.next_one_on_one.slice(0, 10))) : h('span.muted', 'None scheduled')),
        cell('Development plan', p.idp === 'awaiting_sign_off'
          ? h('a', { href: `#/development?tab=plan&person=${p.id}` }, idpLabel[p.idp])
          : h('span', idpLabel[p.idp] || p.idp, p.idp !== 'none' ? h('span.task-detail', `${p.idp_actions_done} done, ${p.idp_actions_open} open`) : null)))))));
}

export async function render(main, _params, ctx) {
  const me = ctx.me.person;
  const first = me.name.split(/\s+/u)[0];
  const d = await get('/api/v1/me/tasks');
  const n = d.items.length;
  const inbox = n
    ? h('div.task-groups', groups.map(([title, test]) => {
      const items = d.items.filter((t) => test(t.kind));
      if (!items.length) return null;
      const id = `tasks-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
      return h('section.card.task-group', { 'aria-labelledby': id },
        h('h3', { id }, title, ' ', h('span.badge', String(items.length))),
        h('ul.list', items.map(taskRow)));
    }))
    : emptyState('Nothing needs you right now', 'Reviews to write, feedback requests, one-on-ones and approvals appear here when they need you.');
  clear(main).append(...[
    h('div.page-head', h('h1', `Welcome, ${first}`), h('p.muted', [me.title, me.department?.name].filter(Boolean).join(' · '))),
    h('section', { 'aria-labelledby': 'inbox-h' },
      h('h2', { id: 'inbox-h' }, n ? `What needs you (${n})` : 'What needs you'),
      inbox),
    d.team ? h('section', { 'aria-labelledby': 'team-h' },
      h('h2.section-title', { id: 'team-h' }, `Your team (${d.team.length})`),
      teamTable(d.team)) : null,
    h('section.card.home-manager', { 'aria-labelledby': 'mgr-h' },
      h('h2', { id: 'mgr-h' }, 'Your manager'),
      me.manager ? h('ul.list', personRow(me.manager)) : h('p.muted', 'You have no manager in Trellis.'))].filter(Boolean));
}
