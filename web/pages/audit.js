// The audit log for HR and admins: who changed what, when, before and after.
import { get, qs } from '../lib/api.js';
import { h, clear, emptyState, errorState, loading, formatDateTime } from '../lib/dom.js';

function diff(before, after) {
  if (!before && !after) return null;
  const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])]
    .filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]));
  if (!keys.length) return null;
  return h('ul.diff', keys.map((k) => h('li', h('span.diff-key', k), ': ',
    before ? h('del', String(before[k] ?? '—')) : null, before ? ' → ' : null, h('ins', String(after?.[k] ?? '—')))));
}

export async function render(main, { query }, ctx) {
  if (!['hr', 'admin'].includes(ctx.me.role)) {
    clear(main).append(h('div.page-head', h('h1', 'Audit log')),
      emptyState('Not available to you', 'The audit log is for HR and administrators.', h('a.btn', { href: '#/' }, 'Go home')));
    return;
  }
  const entity = h('select', { id: 'audit-entity' }, ['', 'person', 'import'].map((v) => h('option', { value: v }, v || 'Everything')));
  entity.value = query.get('entity') || '';
  const body = h('div');
  clear(main).append(
    h('div.page-head', h('h1', 'Audit log'), h('p.muted', 'Every change, newest first.')),
    h('form.filters', { onsubmit: (e) => e.preventDefault() }, h('div.field', h('label', { for: 'audit-entity' }, 'Show'), entity)),
    body);

  async function load() {
    clear(body).append(loading());
    try {
      const page = await get('/api/v1/audit' + qs({ entity: entity.value, limit: 50 }));
      clear(body);
      if (!page.items.length) { body.append(emptyState('No entries', 'Nothing has been recorded for this filter yet.')); return; }
      const rows = h('tbody');
      const addRows = (items) => rows.append(...items.map((e) => h('tr',
        h('td', h('time', { datetime: e.at }, formatDateTime(e.at))),
        h('td', e.actor ? h('a', { href: `#/people/${e.actor.id}` }, e.actor.name) : 'System'),
        h('td', h('code', e.action)),
        h('td', e.entity === 'person' && e.entity_id ? h('a', { href: `#/people/${e.entity_id}` }, `person #${e.entity_id}`) : e.entity),
        h('td', diff(e.before, e.after) || '—'))));
      addRows(page.items);
      body.append(h('div.table-wrap.card', h('table.table',
        h('caption.sr-only', 'Audit entries'),
        h('thead', h('tr', ['When', 'Who', 'Action', 'About', 'Change'].map((t) => h('th', { scope: 'col' }, t)))),
        rows)));
      let cursor = page.next_cursor;
      if (cursor) {
        const more = h('button.btn.load-more', { type: 'button' }, 'Load more');
        more.addEventListener('click', async () => {
          const next = await get('/api/v1/audit' + qs({ entity: entity.value, limit: 50, cursor }));
          addRows(next.items);
          cursor = next.next_cursor;
          if (!cursor) more.remove();
        });
        body.append(more);
      }
    } catch (e) { clear(body).append(errorState(e, load)); }
  }
  entity.addEventListener('change', load);
  await load();
}
