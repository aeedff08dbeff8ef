// Home: who you are, your manager and team at a glance, and where to go next.
import { h, clear } from '../lib/dom.js';
import { personRow } from './people.js';

export async function render(main, _params, ctx) {
  const me = ctx.me.person;
  const first = me.name.split(/\s+/u)[0];
  const areas = [
    ['#/people', 'People', 'Find anyone in the company and see where they sit.'],
    ['#/org', 'Org chart', 'Explore teams from the top down.'],
    ['#/goals', 'Goals', 'Your goals and OKRs, aligned to the company’s.'],
    ['#/journal', 'Journal', 'Record wins and share them with your manager.'],
    ['#/development', 'Development', 'Coming soon: your plan, skills and career ladder.'],
  ];
  clear(main).append(
    h('div.page-head', h('h1', `Welcome, ${first}`), h('p.muted', [me.title, me.department?.name].filter(Boolean).join(' · '))),
    h('div.grid-2',
      h('section.card', { 'aria-labelledby': 'mgr-h' },
        h('h2', { id: 'mgr-h' }, 'Your manager'),
        me.manager ? h('ul.list', personRow(me.manager)) : h('p.muted', 'You have no manager in Trellis.')),
      h('section.card', { 'aria-labelledby': 'team-h' },
        h('h2', { id: 'team-h' }, me.reports.length ? `Your team (${me.reports.length})` : 'Your team'),
        me.reports.length ? h('ul.list', me.reports.map(personRow)) : h('p.muted', 'Nobody reports to you.'))),
    h('section', { 'aria-labelledby': 'areas-h' },
      h('h2', { id: 'areas-h', class: 'section-title' }, 'Where to next'),
      h('div.tiles', areas.map(([href, title, text]) => h('a.tile', { href }, h('span.tile-title', title), h('span.tile-text', text))))));
}
