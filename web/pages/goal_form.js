// The goal form, for a new goal and for editing one: title, description, who it is for (a
// manager proposes goals to a report), level, alignment, visibility, dates, and key results that
// rise or fall (latency 800 → 200 ms) or are milestones. Errors show beside their field.
import { get, post, patch, qs } from '../lib/api.js';
import { h } from '../lib/dom.js';
import { showErrors, clearErrors } from '../lib/forms.js';

const labels = {
  title: 'Title', description: 'Description', due_date: 'Due date', start_date: 'Start date', parent_id: 'Aligns to',
  owner_id: 'For', visibility: 'Visibility', key_results: 'key result', target: 'target', start: 'start', current: 'current value', unit: 'unit',
};

const visibilityHelp = {
  public: 'Everyone in the company can see it and align to it.',
  managers: 'You, your managers and HR.',
  private: 'Only you (and contributors). It never shows in a parent\'s progress.',
};

function krRow(k, i) {
  const type = h('select', { id: `kr-type-${i}`, name: 'kr-type' },
    h('option', { value: 'metric', selected: k.type !== 'milestone' }, 'Number'),
    h('option', { value: 'milestone', selected: k.type === 'milestone' }, 'Milestone (done or not)'));
  const dir = h('select', { id: `kr-dir-${i}`, name: 'kr-dir' },
    h('option', { value: 'increase', selected: k.direction !== 'decrease' }, 'Increase to target'),
    h('option', { value: 'decrease', selected: k.direction === 'decrease' }, 'Decrease to target'));
  const numbers = h('div.filters.kr-numbers',
    h('div.field', h('label', { for: `kr-dir-${i}` }, 'Direction'), dir),
    h('div.field', h('label', { for: `kr-start-${i}` }, 'Start'), h('input', { id: `kr-start-${i}`, name: 'kr-start', type: 'number', step: 'any', value: String(k.start ?? 0), 'data-field': `key_results[${i}].start` })),
    h('div.field', h('label', { for: `kr-target-${i}` }, 'Target'), h('input', { id: `kr-target-${i}`, name: 'kr-target', type: 'number', step: 'any', value: String(k.target ?? 100), 'data-field': `key_results[${i}].target` })),
    k.id ? h('div.field', h('label', { for: `kr-current-${i}` }, 'Now'), h('input', { id: `kr-current-${i}`, name: 'kr-current', type: 'number', step: 'any', value: String(k.current ?? k.start ?? 0) })) : null,
    h('div.field', h('label', { for: `kr-unit-${i}` }, 'Unit'), h('input', { id: `kr-unit-${i}`, name: 'kr-unit', value: k.unit || '', placeholder: 'ms, %, deals' })));
  const sync = () => { numbers.hidden = type.value === 'milestone'; };
  type.addEventListener('change', sync);
  sync();
  const row = h('fieldset.kr-row', { 'data-id': k.id || '', 'data-done': k.done ? '1' : '' },
    h('legend', `Key result ${i + 1}`),
    h('div.filters',
      h('div.field.grow', h('label', { for: `kr-title-${i}` }, 'Title'), h('input', { id: `kr-title-${i}`, name: 'kr-title', value: k.title || '', 'data-field': `key_results[${i}].title` })),
      h('div.field', h('label', { for: `kr-type-${i}` }, 'Measured as'), type)),
    numbers,
    h('button.btn.btn-small', { type: 'button', onclick: () => row.remove() }, `Remove key result ${i + 1}`));
  return row;
}

function readKrs(krs) {
  return [...krs.children].map((row) => {
    const v = (n) => row.querySelector(`[name=${n}]`)?.value;
    const k = { title: v('kr-title').trim(), type: v('kr-type') };
    if (row.dataset.id) k.id = Number(row.dataset.id);
    if (k.type === 'milestone') {
      k.start = 0; k.target = 1;
      if (row.dataset.done) k.done = true;
    } else {
      k.direction = v('kr-dir');
      k.start = Number(v('kr-start'));
      k.target = Number(v('kr-target'));
      if (v('kr-current') !== undefined && v('kr-current') !== '') k.current = Number(v('kr-current'));
      k.unit = v('kr-unit').trim() || null;
    }
    return k;
  }).filter((k) => k.title);
}

/**
 * The form; goal is null for a new goal. onSaved(goal) runs after the server accepted it. A
 * manager creating a goal may choose one of their reports ("For"): that proposes it.
 */
export function goalForm(ctx, goal, onSaved, onCancel) {
  const editing = Boolean(goal);
  const isHr = ['hr', 'admin'].includes(ctx.me.role);
  const year = new Date().getFullYear();
  const g = goal || { title: '', description: '', level: 'individual', visibility: 'public', start_date: `${year}-01-01`, due_date: `${year}-12-31`, key_results: [{}] };
  const err = h('div.alert', { role: 'alert', hidden: true, tabindex: '-1' });
  const krs = h('div.kr-rows', g.key_results.map(krRow));
  const addKr = () => krs.append(krRow({}, krs.children.length));
  const reports = ctx.me.person.reports || [];
  const owner = !editing && reports.length
    ? h('select', { id: 'goal-owner', 'data-field': 'owner_id' },
      h('option', { value: String(ctx.me.person.id) }, 'Me'),
      reports.map((p) => h('option', { value: String(p.id) }, `${p.name} (propose to them)`)))
    : null;
  const level = h('select', { id: 'goal-level', disabled: editing },
    h('option', { value: 'individual', selected: g.level === 'individual' }, 'Individual'),
    ctx.me.is_manager || isHr || g.level === 'team' ? h('option', { value: 'team', selected: g.level === 'team' }, 'Team') : null,
    isHr || g.level === 'company' ? h('option', { value: 'company', selected: g.level === 'company' }, 'Company') : null);
  const parent = h('select', { id: 'goal-parent', 'data-field': 'parent_id' }, h('option', { value: '' }, 'Not aligned'));
  get('/api/v1/goals' + qs({ period: String(year), limit: 200 })).then((p) => {
    for (const x of p.items.filter((y) => y.visibility === 'public' && y.level !== 'individual' && y.id !== g.id)) {
      parent.append(h('option', { value: x.id, selected: x.id === g.parent_id }, `${x.title} (${x.level})`));
    }
    if (g.parent_id && ![...parent.options].some((o) => Number(o.value) === g.parent_id)) parent.append(h('option', { value: g.parent_id, selected: true }, 'The current parent goal'));
  }).catch(() => {});
  const visHelp = h('p.help', { id: 'goal-vis-help' }, visibilityHelp[g.visibility]);
  const visibility = h('select', { id: 'goal-visibility', 'data-field': 'visibility', 'aria-describedby': 'goal-vis-help' },
    h('option', { value: 'public', selected: g.visibility === 'public' }, 'Everyone'),
    h('option', { value: 'managers', selected: g.visibility === 'managers' }, 'My managers and HR'),
    h('option', { value: 'private', selected: g.visibility === 'private' }, 'Only me'));
  visibility.addEventListener('change', () => { visHelp.textContent = visibilityHelp[visibility.value]; });
  const formId = editing ? 'edit-goal-h' : 'new-goal-h';
  const form = h('form.card.goal-form', { 'aria-labelledby': formId, novalidate: true },
    h('h2', { id: formId }, editing ? 'Edit goal' : 'New goal'),
    owner ? h('div.field', h('label', { for: 'goal-owner' }, 'For'), owner) : null,
    h('div.field', h('label', { for: 'goal-title' }, 'Title'), h('input', { id: 'goal-title', required: true, value: g.title, 'data-field': 'title' })),
    h('div.field', h('label', { for: 'goal-desc' }, 'Description'), h('textarea', { id: 'goal-desc', rows: 2, 'data-field': 'description' }, g.description || '')),
    h('div.filters',
      h('div.field', h('label', { for: 'goal-level' }, 'Level'), level),
      h('div.field.grow', h('label', { for: 'goal-parent' }, 'Aligns to'), parent),
      h('div.field', h('label', { for: 'goal-visibility' }, 'Who can see it'), visibility)),
    visHelp,
    h('div.filters',
      h('div.field', h('label', { for: 'goal-start' }, 'Start'), h('input', { id: 'goal-start', type: 'date', value: g.start_date, 'data-field': 'start_date' })),
      h('div.field', h('label', { for: 'goal-due' }, 'Due'), h('input', { id: 'goal-due', type: 'date', value: g.due_date, 'data-field': 'due_date' }))),
    krs,
    err,
    h('div.actions',
      h('button.btn', { type: 'button', onclick: addKr }, 'Add key result'),
      onCancel ? h('button.btn', { type: 'button', onclick: onCancel }, 'Cancel') : null,
      h('button.btn.btn-primary', { type: 'submit' }, editing ? 'Save changes' : 'Create goal')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    clearErrors(form);
    const val = (id) => form.querySelector('#' + id).value;
    const body = {
      title: val('goal-title').trim(), description: val('goal-desc').trim() || null,
      parent_id: parent.value ? Number(parent.value) : null, visibility: visibility.value,
      start_date: val('goal-start'), due_date: val('goal-due'), key_results: readKrs(krs),
    };
    if (!body.title) {
      showErrors(form, err, { fields: { title: 'must not be empty' } }, labels);
      return;
    }
    try {
      let saved;
      if (editing) {
        // send only what changed: a field nobody touched is never overwritten
        const changed = {};
        for (const [k, v] of Object.entries(body)) {
          const before = k === 'key_results'
            ? JSON.stringify(readKrs(h('div', goal.key_results.map(krRow))))
            : JSON.stringify(goal[k] ?? null);
          if (JSON.stringify(v ?? null) !== before) changed[k] = v;
        }
        if (!Object.keys(changed).length) { onSaved(goal, false); return; }
        // from the version this form was opened on: someone else's edit since is not overwritten
        saved = await patch(`/api/v1/goals/${goal.id}`, { ...changed, version: goal.version });
      } else {
        body.level = level.value;
        if (owner && Number(owner.value) !== ctx.me.person.id) body.owner_id = Number(owner.value);
        saved = await post('/api/v1/goals', body);
      }
      onSaved(saved, true);
    } catch (ex) {
      if (ex.code === 'precondition_failed' && ex.currentVersion) {
        // keep what was typed; a second Save means "mine over theirs", knowingly
        goal.version = ex.currentVersion;
        showErrors(form, err, { message: 'Someone else changed this goal after you opened it, so nothing was saved. Your changes are still in the form: open the goal in another tab to see theirs, or press Save again to save yours over them.' }, labels);
        return;
      }
      showErrors(form, err, ex, labels);
    }
  });
  return form;
}
