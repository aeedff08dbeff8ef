// Goals: mine, my team's, and the company alignment tree with roll-up progress; a form to add one.
import { get, post, qs } from '../lib/api.js';
import { h, clear, emptyState, loading, errorState } from '../lib/dom.js';
import { bar } from '../lib/progress.js';

const statusLabel = { draft: 'Draft', on_track: 'On track', at_risk: 'At risk', off_track: 'Off track', done: 'Done', missed: 'Missed', abandoned: 'Abandoned' };

export function statusBadge(s) {
  return h(`span.badge.status-${s}`, statusLabel[s] || s);
}

function goalCard(g) {
  return h('li.goal-card',
    h('div.goal-main',
      h('a.goal-title', { href: `#/goals/${g.id}` }, g.title),
      h('span.goal-meta', [g.owner?.name, `due ${g.due_date}`, g.level !== 'individual' ? g.level : null].filter(Boolean).join(' · ')),
      h('div.bar-row', h('span.bar-label', 'Own'), bar(g.progress, `Progress of ${g.title}`)),
      g.rollup_progress !== null ? h('div.bar-row', h('span.bar-label', 'Aligned'), bar(g.rollup_progress, `Roll-up of ${g.title}`, 'bar-rollup')) : null),
    statusBadge(g.status));
}

function treeNode(g) {
  const li = h('li.tree-node', goalCard(g));
  if (g.children?.length) li.append(h('ul.tree-children', g.children.map(treeNode)));
  return li;
}

async function listInto(body, params, empty) {
  clear(body).append(loading());
  const page = await get('/api/v1/goals' + qs({ ...params, limit: 100 }));
  clear(body);
  if (!page.items.length) body.append(emptyState(...empty));
  else body.append(h('ul.goal-list', page.items.map(goalCard)));
}

function newGoalForm(ctx, onCreated) {
  const isHr = ['hr', 'admin'].includes(ctx.me.role);
  const year = new Date().getFullYear();
  const err = h('div.alert', { role: 'alert', hidden: true });
  const krs = h('div.kr-rows');
  const addKr = () => {
    const i = krs.children.length;
    krs.append(h('fieldset.kr-row',
      h('legend', `Key result ${i + 1}`),
      h('div.field.grow', h('label', { for: `kr-title-${i}` }, 'Title'), h('input', { id: `kr-title-${i}`, name: 'kr-title' })),
      h('div.field', h('label', { for: `kr-start-${i}` }, 'Start'), h('input', { id: `kr-start-${i}`, name: 'kr-start', type: 'number', step: 'any', value: '0' })),
      h('div.field', h('label', { for: `kr-target-${i}` }, 'Target'), h('input', { id: `kr-target-${i}`, name: 'kr-target', type: 'number', step: 'any', value: '100' })),
      h('div.field', h('label', { for: `kr-unit-${i}` }, 'Unit'), h('input', { id: `kr-unit-${i}`, name: 'kr-unit' }))));
  };
  addKr();
  const level = h('select', { id: 'goal-level' },
    h('option', { value: 'individual' }, 'Individual'),
    ctx.me.is_manager || isHr ? h('option', { value: 'team' }, 'Team') : null,
    isHr ? h('option', { value: 'company' }, 'Company') : null);
  const parent = h('select', { id: 'goal-parent' }, h('option', { value: '' }, 'Not aligned'));
  get('/api/v1/goals' + qs({ period: String(year), limit: 200 })).then((p) => {
    for (const g of p.items.filter((x) => x.visibility === 'public' && x.level !== 'individual')) parent.append(h('option', { value: g.id }, `${g.title} (${g.level})`));
  }).catch(() => {});
  const form = h('form.card.goal-form', { 'aria-labelledby': 'new-goal-h' },
    h('h2', { id: 'new-goal-h' }, 'New goal'),
    h('div.field', h('label', { for: 'goal-title' }, 'Title'), h('input', { id: 'goal-title', required: true })),
    h('div.field', h('label', { for: 'goal-desc' }, 'Description'), h('input', { id: 'goal-desc' })),
    h('div.filters',
      h('div.field', h('label', { for: 'goal-level' }, 'Level'), level),
      h('div.field.grow', h('label', { for: 'goal-parent' }, 'Aligns to'), parent),
      h('div.field', h('label', { for: 'goal-start' }, 'Start'), h('input', { id: 'goal-start', type: 'date', value: `${year}-01-01` })),
      h('div.field', h('label', { for: 'goal-due' }, 'Due'), h('input', { id: 'goal-due', type: 'date', value: `${year}-12-31` }))),
    krs,
    err,
    h('div.actions',
      h('button.btn', { type: 'button', onclick: addKr }, 'Add key result'),
      h('button.btn.btn-primary', { type: 'submit' }, 'Create goal')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const val = (id) => form.querySelector('#' + id).value;
    const key_results = [...krs.children].map((row) => ({
      title: row.querySelector('[name=kr-title]').value.trim(),
      start: Number(row.querySelector('[name=kr-start]').value),
      target: Number(row.querySelector('[name=kr-target]').value),
      unit: row.querySelector('[name=kr-unit]').value.trim() || null,
    })).filter((k) => k.title);
    try {
      const g = await post('/api/v1/goals', {
        title: val('goal-title').trim(), description: val('goal-desc').trim() || null, level: level.value,
        parent_id: parent.value ? Number(parent.value) : null, start_date: val('goal-start'), due_date: val('goal-due'), key_results,
      });
      onCreated(g);
    } catch (ex) {
      err.textContent = ex.fields && Object.keys(ex.fields).length
        ? Object.entries(ex.fields).map(([k, v]) => `${k}: ${v}`).join('; ') : ex.message;
      err.hidden = false;
    }
  });
  return form;
}

export async function render(main, { query }, ctx) {
  const tab = query.get('tab') || 'mine';
  const tabs = [['mine', 'My goals'], ctx.me.is_manager ? ['team', 'My team'] : null, ['company', 'Company']].filter(Boolean);
  const body = h('div.tab-body');
  const formSlot = h('div');
  clear(main).append(
    h('div.page-head.page-head-row', h('h1', 'Goals'),
      h('button.btn.btn-primary', { type: 'button', onclick: () => { clear(formSlot).append(newGoalForm(ctx, (g) => ctx.navigate(`#/goals/${g.id}`))); formSlot.querySelector('input').focus(); } }, 'New goal')),
    formSlot,
    h('nav.tabs', { 'aria-label': 'Goal views' }, tabs.map(([k, label]) => h('a.tab', { href: `#/goals?tab=${k}`, 'aria-current': k === tab ? 'page' : null }, label))),
    body);
  try {
    if (tab === 'team') await listInto(body, { team: 1 }, ['No team goals yet', 'Goals your reports set appear here.']);
    else if (tab === 'company') {
      clear(body).append(loading());
      const tree = await get('/api/v1/goals/tree' + qs({ period: String(new Date().getFullYear()) }));
      clear(body).append(tree.items.length ? h('ul.goal-tree', tree.items.map(treeNode)) : emptyState('No company goals yet', 'HR sets the company goals for the year.'));
    } else await listInto(body, { mine: 1 }, ['No goals yet', 'Create your first goal and align it with your team.']);
  } catch (e) { clear(body).append(errorState(e)); }
}
