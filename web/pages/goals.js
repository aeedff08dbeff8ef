// Goals: mine, my team's, and the alignment tree of the company or a department with roll-up
// progress (collapsible, deeper levels loaded when opened, with a search of what is shown); a form
// to add one (managers may propose one to a report).
import { get, qs } from '../lib/api.js';
import { h, clear, emptyState, loading, errorState } from '../lib/dom.js';
import { flash } from '../lib/forms.js';
import { bar } from '../lib/progress.js';
import { goalForm } from './goal_form.js';
import { departmentOptions } from '../lib/departments.js';

const statusLabel = { draft: 'Draft', on_track: 'On track', at_risk: 'At risk', off_track: 'Off track', done: 'Done', missed: 'Missed', abandoned: 'Abandoned' };

export function statusBadge(s) {
  return h(`span.badge.status-${s}`, statusLabel[s] || s);
}

function goalCard(g, tag = 'li') {
  return h(`${tag}.goal-card`,
    h('div.goal-main',
      h('a.goal-title', { href: `#/goals/${g.id}` }, g.title),
      h('span.goal-meta', [g.owner?.name, `due ${g.due_date}`, g.level !== 'individual' ? g.level : null].filter(Boolean).join(' · ')),
      h('div.bar-row', h('span.bar-label', 'Own'), bar(g.progress, `Progress of ${g.title}`)),
      g.rollup_progress !== null ? h('div.bar-row', h('span.bar-label', 'Aligned'), bar(g.rollup_progress, `Roll-up of ${g.title}`, 'bar-rollup')) : null),
    statusBadge(g.status));
}

// the tree asks for the top goals and what aligns to them; deeper levels load when opened
const TREE_DEPTH = 2;
const treeUrl = (params) => '/api/v1/goals/tree' + qs({ ...params, depth: TREE_DEPTH, limit: 50 });
const nodesIn = (list) => list.querySelectorAll(':scope > li.tree-node').length;

function setOpen(toggle, kids, open, n) {
  kids.hidden = !open;
  toggle.setAttribute('aria-expanded', String(open));
  toggle.textContent = `${open ? 'Hide' : 'Show'} ${n} aligned goal${n === 1 ? '' : 's'}`;
}

/** Appends one page of tree nodes to list, and a button for the next page while there is one. */
function appendPage(list, page, depth, more) {
  list.append(...page.items.map((g) => treeNode(g, depth)));
  if (!page.next_cursor) return;
  const btn = h('button.btn.btn-small', { type: 'button' }, 'Show more goals');
  const li = h('li.tree-more', btn);
  btn.addEventListener('click', async () => {
    btn.disabled = true;
    btn.textContent = 'Loading…';
    try {
      const next = await more(page.next_cursor);
      li.remove();
      appendPage(list, next, depth, more);
    } catch (e) { li.replaceChildren(errorState(e)); }
  });
  list.append(li);
}

function treeNode(g, depth = 0) {
  const card = goalCard(g, 'div');
  const li = h('li.tree-node', card);
  let loaded = g.children_complete !== false;
  let n = loaded ? g.children?.length || 0 : g.children_count;
  if (!n) return li;
  // aligned goals fold away below the first level; a button opens them, and loads them from the
  // server the first time when the tree stopped above them
  const kids = h('ul.tree-children', (g.children || []).map((c) => treeNode(c, depth + 1)));
  const toggle = h('button.btn.btn-small.tree-toggle', { type: 'button' });
  toggle.addEventListener('click', async () => {
    if (!loaded) {
      toggle.disabled = true;
      toggle.textContent = 'Loading…';
      const more = (cursor) => get(treeUrl({ parent: g.id, cursor }));
      try {
        const page = await more();
        appendPage(kids, page, depth + 1, more);
        loaded = true;
        if (!page.items.length && !page.next_cursor) kids.append(h('li.muted', 'None of them are shared with you.'));
        n = page.next_cursor ? n : nodesIn(kids);
      } catch (e) {
        kids.replaceChildren(h('li', errorState(e)));
      }
      toggle.disabled = false;
    }
    setOpen(toggle, kids, kids.hidden, n);
  });
  setOpen(toggle, kids, depth < 1 && loaded, n);
  card.querySelector('.goal-main').append(toggle);
  li.append(kids);
  return li;
}

/** Shows the tree's goals whose title or owner matches q, with their ancestors, opened. */
function filterTree(root, q) {
  const needle = q.trim().toLocaleLowerCase();
  let shown = 0;
  const visit = (li) => {
    const card = li.querySelector(':scope > .goal-card');
    if (!card) { li.hidden = Boolean(needle); return false; } // a "show more" row
    const text = [...card.querySelectorAll('.goal-title, .goal-meta')].map((e) => e.textContent).join(' ');
    const own = !needle || text.toLocaleLowerCase().includes(needle);
    const kids = li.querySelector(':scope > ul.tree-children');
    let any = false;
    for (const c of kids ? kids.children : []) any = visit(c) || any;
    li.hidden = !(own || any);
    if (kids && needle && any) setOpen(card.querySelector('.tree-toggle'), kids, true, nodesIn(kids));
    if (own && needle) shown++;
    return own || any;
  };
  for (const li of root.children) visit(li);
  return shown;
}

/** The alignment tree of the company, or of one department, with a search of what is shown. */
async function companyTree(body, query, ctx) {
  const dept = query.get('department') || '';
  clear(body).append(loading());
  const depts = await get('/api/v1/departments');
  const pick = h('select', { id: 'tree-dept' }, h('option', { value: '' }, 'The whole company'), departmentOptions(depts.items));
  pick.value = dept;
  pick.addEventListener('change', () => ctx.navigate(`#/goals${qs({ tab: 'company', department: pick.value || undefined })}`));
  const params = { period: String(new Date().getFullYear()), department: dept || undefined };
  const more = (cursor) => get(treeUrl({ ...params, cursor }));
  const picker = h('div.field', h('label', { for: 'tree-dept' }, 'Goals of'), pick);
  const tree = await more();
  if (!tree.items.length) {
    clear(body).append(h('div.tree-filters', picker), dept
      ? emptyState('No team goals in this department yet', 'Managers set their team goals for the year; they appear here.')
      : emptyState('No company goals yet', 'HR sets the company goals for the year.'));
    return;
  }
  const root = h('ul.goal-tree');
  appendPage(root, tree, 0, more);
  const count = h('p.muted', { role: 'status' });
  const search = h('input', { id: 'tree-q', type: 'search', placeholder: 'A goal or a person' });
  search.addEventListener('input', () => {
    const n = filterTree(root, search.value);
    count.textContent = search.value.trim() ? `${n} matching goal${n === 1 ? '' : 's'} among those shown` : '';
  });
  clear(body).append(h('div.tree-filters', picker, h('div.field.tree-search', h('label', { for: 'tree-q' }, 'Find in the goals shown'), search)), count, root);
}

async function listInto(body, params, empty) {
  clear(body).append(loading());
  const page = await get('/api/v1/goals' + qs({ ...params, limit: 100 }));
  clear(body);
  if (!page.items.length) body.append(emptyState(...empty));
  else body.append(h('ul.goal-list', page.items.map((g) => goalCard(g))));
}

export async function render(main, { query }, ctx) {
  const tab = query.get('tab') || 'mine';
  const tabs = [['mine', 'My goals'], ctx.me.is_manager ? ['team', 'My team'] : null, ['company', 'Company']].filter(Boolean);
  const body = h('div.tab-body');
  const formSlot = h('div');
  clear(main).append(
    h('div.page-head.page-head-row', h('h1', 'Goals'),
      h('button.btn.btn-primary', { type: 'button', onclick: () => { clear(formSlot).append(goalForm(ctx, null, (g) => ctx.navigate(`#/goals/${g.id}`), () => clear(formSlot))); formSlot.querySelector('select, input').focus(); } }, 'New goal')),
    formSlot,
    h('nav.tabs', { 'aria-label': 'Goal views' }, tabs.map(([k, label]) => h('a.tab', { href: `#/goals?tab=${k}`, 'aria-current': k === tab && !query.get('owner') ? 'page' : null }, label))),
    body);
  if (query.get('deleted')) flash(main, 'Goal deleted.');
  const owner = query.get('owner');
  try {
    if (owner) {
      // someone's goals from their profile: what the caller may see of them
      body.before(h('h2.section-title', `Goals of ${query.get('name') || 'this person'}`));
      await listInto(body, { owner }, ['No goals to show', 'Their public goals (and those shared with you) appear here.']);
    } else if (tab === 'team') await listInto(body, { team: 1 }, ['No team goals yet', 'Goals your reports set appear here.']);
    else if (tab === 'company') await companyTree(body, query, ctx);
    else await listInto(body, { mine: 1 }, ['No goals yet', 'Create your first goal and align it with your team.']);
  } catch (e) { clear(body).append(errorState(e)); }
}
