// The accomplishments journal: record wins, share them with your manager, export for a review.
import { get, post, patch, qs } from '../lib/api.js';
import { h, clear, emptyState, formatDate } from '../lib/dom.js';

function entry(x, onChange) {
  const share = h('input', { type: 'checkbox', id: `share-${x.id}`, checked: x.shared_with_manager });
  share.checked = x.shared_with_manager;
  share.addEventListener('change', async () => {
    share.disabled = true;
    try { await patch(`/api/v1/accomplishments/${x.id}`, { shared_with_manager: share.checked }); onChange?.(); } finally { share.disabled = false; }
  });
  return h('li.card.journal-entry',
    h('div.journal-date', formatDate(x.happened_on)),
    h('h3', x.title),
    x.impact ? h('p', h('strong', 'Impact: '), x.impact) : null,
    x.challenges ? h('p', h('strong', 'Challenges: '), x.challenges) : null,
    x.tags.length ? h('p.tags', x.tags.map((t) => h('span.badge', t))) : null,
    onChange ? h('label.share', { for: `share-${x.id}` }, share, ' Share with my manager') : (x.shared_with_manager ? h('span.badge.badge-accent', 'Shared') : null));
}

export async function render(main, { query }, ctx) {
  const person = query.get('person');
  const mine = !person || Number(person) === ctx.me.person.id;
  const list = h('div');
  const load = async () => {
    const page = await get('/api/v1/accomplishments' + qs({ person, limit: 100 }));
    clear(list).append(page.items.length ? h('ul.journal', page.items.map((x) => entry(x, mine ? load : null)))
      : emptyState(mine ? 'Your journal is empty' : 'Nothing shared yet', mine ? 'Record wins, challenges overcome and value delivered: the evidence you bring to your review.' : 'Entries appear here when they are shared with you.'));
  };
  const err = h('div.alert', { role: 'alert', hidden: true });
  const today = new Date().toISOString().slice(0, 10);
  const form = h('form.card', { 'aria-labelledby': 'acc-h' },
    h('h2', { id: 'acc-h' }, 'Record an accomplishment'),
    h('div.filters',
      h('div.field.grow', h('label', { for: 'acc-title' }, 'What happened'), h('input', { id: 'acc-title' })),
      h('div.field', h('label', { for: 'acc-date' }, 'Date'), h('input', { id: 'acc-date', type: 'date', value: today }))),
    h('div.field', h('label', { for: 'acc-impact' }, 'Impact'), h('input', { id: 'acc-impact' })),
    h('div.field', h('label', { for: 'acc-tags' }, 'Tags (comma separated)'), h('input', { id: 'acc-tags' })),
    h('label.share', { for: 'acc-share' }, h('input', { id: 'acc-share', type: 'checkbox' }), ' Share with my manager'),
    err,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const v = (id) => form.querySelector('#' + id);
    try {
      await post('/api/v1/accomplishments', {
        title: v('acc-title').value.trim(), happened_on: v('acc-date').value, impact: v('acc-impact').value.trim() || null,
        tags: v('acc-tags').value.split(',').map((t) => t.trim()).filter(Boolean), shared_with_manager: v('acc-share').checked,
      });
      v('acc-title').value = ''; v('acc-impact').value = ''; v('acc-tags').value = '';
      await load();
    } catch (ex) {
      err.textContent = Object.keys(ex.fields || {}).length ? Object.entries(ex.fields).map(([k, m]) => `${k}: ${m}`).join('; ') : ex.message;
      err.hidden = false;
    }
  });
  clear(main).append(
    h('div.page-head.page-head-row', h('h1', mine ? 'My journal' : 'Shared accomplishments'),
      mine ? h('div.actions', h('a.btn', { href: '/api/v1/accomplishments/export?format=markdown' }, 'Export Markdown'), h('a.btn', { href: '/api/v1/accomplishments/export?format=csv' }, 'Export CSV')) : null),
    mine ? form : null,
    list);
  await load();
}
