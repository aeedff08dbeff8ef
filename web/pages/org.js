// The org chart: from the top, each manager expands on demand to show their reports.
import { get, qs } from '../lib/api.js';
import { h, clear, avatar, emptyState } from '../lib/dom.js';

async function reportsOf(managerId) {
  const items = [];
  let cursor = null;
  do {
    const page = await get('/api/v1/people' + qs({ manager: managerId, limit: 200, cursor }));
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return items;
}

function node(p, level) {
  const li = h('li.org-node', { role: 'treeitem', 'aria-level': level, 'aria-expanded': p.reports_count ? 'false' : null });
  const card = h('div.org-card',
    avatar(p.name, 'sm'),
    h('span.org-text', h('a.org-name', { href: `#/people/${p.id}` }, p.name), h('span.org-title', p.title || '')));
  li.append(card);
  if (p.reports_count) {
    const btn = h('button.org-toggle', { type: 'button', 'aria-label': `Show ${p.reports_count} reports of ${p.name}` }, `${p.reports_count}`, h('span.chev', { 'aria-hidden': 'true' }, '▸'));
    let group = null;
    btn.addEventListener('click', async () => {
      const open = li.getAttribute('aria-expanded') === 'true';
      if (open) {
        li.setAttribute('aria-expanded', 'false');
        btn.setAttribute('aria-label', `Show ${p.reports_count} reports of ${p.name}`);
        group.hidden = true;
        return;
      }
      if (!group) {
        btn.disabled = true;
        try {
          const kids = await reportsOf(p.id);
          group = h('ul.org-children', { role: 'group' }, kids.map((k) => node(k, level + 1)));
          li.append(group);
        } finally { btn.disabled = false; }
      }
      group.hidden = false;
      li.setAttribute('aria-expanded', 'true');
      btn.setAttribute('aria-label', `Hide reports of ${p.name}`);
    });
    card.append(btn);
  }
  return li;
}

export async function render(main) {
  const roots = await reportsOf('none');
  clear(main).append(h('div.page-head', h('h1', 'Org chart'), h('p.muted', 'Expand a manager to see their team.')));
  if (!roots.length) {
    main.append(emptyState('No one here yet', 'The org chart appears once HR imports people.'));
    return;
  }
  const tree = h('ul.org-tree.card', { role: 'tree', 'aria-label': 'Organisation' }, roots.map((r) => node(r, 1)));
  main.append(tree);
  const first = tree.querySelector('.org-toggle');
  if (roots.length === 1 && first) first.click();
}
