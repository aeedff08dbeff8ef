// Areas that arrive in later releases: a clear empty state rather than a dead link.
import { h, clear } from '../lib/dom.js';

const areas = {
  development: ['Development', 'Your development plan, career ladder, skills, learning and mentorship.'],
};

export async function render(main, { match }) {
  const [title, text] = areas[match[1]];
  clear(main).append(
    h('div.page-head', h('h1', title)),
    h('div.card.state', h('div.state-icon', { 'aria-hidden': 'true' }, '◔'), h('h2.state-title', 'Coming soon'), h('p.state-text', text),
      h('a.btn', { href: '#/people' }, 'Browse the people directory')));
}
