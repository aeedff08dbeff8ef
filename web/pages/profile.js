// A person's profile: where they sit (manager chain), their team, and their role history.
import { get } from '../lib/api.js';
import { h, clear, avatar, formatDate, emptyState } from '../lib/dom.js';
import { personRow } from './people.js';

const kinds = {
  hire: 'Joined', promotion: 'Promotion', transfer: 'Transfer', title_change: 'Title change',
  manager_change: 'New manager', level_change: 'Level change', department_change: 'Department change',
  status_change: 'Status change',
};

export async function render(main, { match }, ctx) {
  let p;
  try {
    p = await get(`/api/v1/people/${match[1]}`);
  } catch (e) {
    if (e.status === 404) {
      clear(main).append(emptyState('Person not found', 'They may have left, or the link is wrong.', h('a.btn', { href: '#/people' }, 'Back to people')));
      return;
    }
    throw e;
  }
  const chain = [...p.manager_chain].reverse();
  const facts = [
    ['Email', h('a', { href: `mailto:${p.email}` }, p.email)],
    ['Department', p.department?.name || '—'],
    ['Employee id', p.employee_id || '—'],
    'level' in p ? ['Level', p.level || '—'] : null,
    'hire_date' in p ? ['Started', p.hire_date ? formatDate(p.hire_date) : '—'] : null,
    p.status !== 'active' ? ['Status', p.status] : null,
  ].filter(Boolean);
  clear(main).append(
    chain.length ? h('nav.breadcrumb', { 'aria-label': 'Manager chain' },
      h('ol', chain.map((m) => h('li', h('a', { href: `#/people/${m.id}` }, m.name))), h('li', { 'aria-current': 'page' }, p.name))) : null,
    h('div.profile-head.card',
      avatar(p.name, 'lg'),
      h('div',
        h('h1', p.name),
        h('p.profile-title', p.title || 'No title'),
        p.id === ctx.me.person.id ? h('span.badge.badge-accent', 'You') : null,
        h('p.profile-links',
          h('a', { href: p.id === ctx.me.person.id ? '#/goals?tab=mine' : `#/goals?owner=${p.id}&name=${encodeURIComponent(p.name)}` }, p.id === ctx.me.person.id ? 'My goals' : `${p.name.split(/\s+/u)[0]}'s goals`),
          ' · ',
          h('a', { href: p.id === ctx.me.person.id ? '#/journal' : `#/journal?person=${p.id}` }, p.id === ctx.me.person.id ? 'My journal' : 'Journal shared with you')),
        p.id !== ctx.me.person.id && p.status === 'active' ? h('div.actions',
          h('a.btn.btn-primary', { href: `#/feedback?give=${p.id}&name=${encodeURIComponent(p.name)}` }, 'Give praise or feedback'),
          h('a.btn', { href: `#/feedback?ask=${p.id}&name=${encodeURIComponent(p.name)}` }, 'Ask for feedback')) : null,
        // HR and admins answer data-subject requests from here (the person has theirs on Account)
        p.id !== ctx.me.person.id && ['hr', 'admin'].includes(ctx.me.role)
          ? h('div.actions', h('a.btn', { href: `/api/v1/people/${p.id}/export`, download: `trellis-person-${p.id}.json` }, `Download ${p.name.split(/\s+/u)[0]}'s data`)) : null),
      h('dl.facts', facts.map(([k, v]) => h('div', h('dt', k), h('dd', v))))),
    h('div.grid-2',
      h('section.card', { 'aria-labelledby': 'reports-h' },
        h('h2', { id: 'reports-h' }, p.reports.length ? `Direct reports (${p.reports.length})` : 'Direct reports'),
        p.reports.length ? h('ul.list', p.reports.map(personRow)) : h('p.muted', `Nobody reports to ${p.name.split(/\s+/u)[0]}.`)),
      h('section.card', { 'aria-labelledby': 'history-h' },
        h('h2', { id: 'history-h' }, 'Role history'),
        !('role_history' in p)
          ? h('p.muted', 'Role history is visible to this person, their managers and HR.')
          : p.role_history.length
            ? h('ol.timeline', p.role_history.map((r) => h('li',
              h('span.timeline-date', formatDate(r.effective_date)),
              h('span.timeline-kind', kinds[r.kind] || r.kind),
              h('span.timeline-text', [r.title, r.level, r.department?.name, r.manager ? `reports to ${r.manager.name}` : null].filter(Boolean).join(' · ')),
              r.reason ? h('span.timeline-reason', r.reason) : null)))
            : h('p.muted', 'No changes recorded yet.'))));
}
