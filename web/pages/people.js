// The people directory: search as you type, filter by department, load more with the cursor.
import { get, qs } from '../lib/api.js';
import { h, clear, avatar, emptyState, loading, errorState } from '../lib/dom.js';
import { departmentOptions } from '../lib/departments.js';

/** One person as a list row linking to their profile (shared by other pages). */
export function personRow(p) {
  return h('li.person-row',
    h('a.person-link', { href: `#/people/${p.id}` },
      avatar(p.name),
      h('span.person-text',
        h('span.person-name', p.name),
        h('span.person-meta', [p.title, p.department?.name].filter(Boolean).join(' · ') || '—'))),
    p.reports_count ? h('span.badge', { title: `${p.reports_count} direct reports` }, `${p.reports_count} ${p.reports_count === 1 ? 'report' : 'reports'}`) : null);
}

export async function render(main, { query }) {
  const depts = await get('/api/v1/departments');
  const q = h('input', { id: 'people-q', type: 'search', placeholder: 'Name, email, title or employee id', value: query.get('q') || '', autocomplete: 'off' });
  const dept = h('select', { id: 'people-dept' },
    h('option', { value: '' }, 'All departments'),
    departmentOptions(depts.items));
  dept.value = query.get('department') || '';
  const results = h('div.results', { 'aria-live': 'polite' });
  const count = h('p.muted.result-count');
  clear(main).append(
    h('div.page-head', h('h1', 'People')),
    h('form.filters', { role: 'search', onsubmit: (e) => e.preventDefault() },
      h('div.field.grow', h('label', { for: 'people-q' }, 'Search'), q),
      h('div.field', h('label', { for: 'people-dept' }, 'Department'), dept)),
    count, results);

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const params = { q: q.value.trim(), department: dept.value, limit: 30 };
    const hash = '#/people' + qs({ q: params.q, department: params.department });
    if (location.hash !== hash) history.replaceState(null, '', hash);
    clear(results).append(loading('Searching…'));
    try {
      const page = await get('/api/v1/people' + qs(params));
      if (mine !== seq) return;
      clear(results);
      if (!page.items.length) {
        count.textContent = '';
        results.append(emptyState(params.q ? `No people match “${params.q}”` : 'No people here yet',
          params.q ? 'Check the spelling, or search by email, title or employee id.' : 'People appear once HR imports them.'));
        return;
      }
      const list = h('ul.list.card', page.items.map(personRow));
      results.append(list);
      count.textContent = `${page.items.length}${page.next_cursor ? '+' : ''} ${page.items.length === 1 ? 'person' : 'people'}`;
      let cursor = page.next_cursor;
      const more = h('button.btn.load-more', { type: 'button' }, 'Load more');
      more.addEventListener('click', async () => {
        more.disabled = true;
        try {
          const next = await get('/api/v1/people' + qs({ ...params, cursor }));
          list.append(...next.items.map(personRow));
          cursor = next.next_cursor;
          count.textContent = `${list.children.length}${cursor ? '+' : ''} people`;
          if (!cursor) more.remove();
        } finally { more.disabled = false; }
      });
      if (cursor) results.append(more);
    } catch (e) {
      if (mine === seq) clear(results).append(errorState(e, load));
    }
  }
  let timer;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(load, 200); });
  dept.addEventListener('change', load);
  await load();
}
