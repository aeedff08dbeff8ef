// The admin console's People tab: add a person, and import an HRIS people file with a dry run
// that lists every row's problem before anything is written. Editing and terminating one person
// are on their account page (personCard).
import { get, post, patch, qs, sendBlob } from '../lib/api.js';
import { h, clear } from '../lib/dom.js';
import { departmentOptions } from '../lib/departments.js';
import { confirmDialog, showErrors, clearErrors, flash } from '../lib/forms.js';

async function departmentSelect(id, value) {
  const depts = await get('/api/v1/departments');
  const sel = h('select', { id, 'data-field': 'department_id' }, h('option', { value: '' }, 'No department'),
    departmentOptions(depts.items));
  sel.value = value ? String(value) : '';
  return sel;
}

/** A manager picker: type a name, pick from the suggestions; .personId is the chosen id. */
export function personPicker(id, field = "manager_id") {
  const list = h('datalist', { id: `${id}-list` });
  const input = h('input', { id, type: 'text', list: `${id}-list`, 'data-field': field, autocomplete: 'off', placeholder: 'Type a name' });
  const found = new Map();
  let seq = 0;
  input.addEventListener('input', async () => {
    const q = input.value.replace(/\s*<[^>]*>?\s*$/, '').trim();
    if (found.has(input.value)) return;
    const mine = ++seq;
    if (q.length < 2) return;
    const page = await get('/api/v1/people' + qs({ q, limit: 10 })).catch(() => ({ items: [] }));
    if (mine !== seq) return;
    clear(list).append(...page.items.map((p) => {
      const label = `${p.name} <${p.email}>`;
      found.set(label, p.id);
      return h('option', { value: label });
    }));
  });
  return { input, list, id: () => found.get(input.value) || null };
}

const sendFile = (path, file) => sendBlob('POST', path, file, 'text/csv');

export async function renderPeople(main, params, ctx, tabs) {
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const f = {
    name: h('input', { id: 'np-name', 'data-field': 'name', required: true, autocomplete: 'off' }),
    email: h('input', { id: 'np-email', 'data-field': 'email', type: 'email', required: true, autocomplete: 'off' }),
    employee_id: h('input', { id: 'np-eid', 'data-field': 'employee_id', autocomplete: 'off' }),
    title: h('input', { id: 'np-title', 'data-field': 'title', autocomplete: 'off' }),
    level: h('input', { id: 'np-level', 'data-field': 'level', autocomplete: 'off' }),
    hire_date: h('input', { id: 'np-hire', 'data-field': 'hire_date', type: 'date' }),
  };
  const dept = await departmentSelect('np-dept');
  const mgr = personPicker('np-manager');
  const field = (id, label, input, extra) => h('div.field', h('label', { for: id }, label), input, extra || null);
  const addForm = h('form.admin-form', { 'aria-labelledby': 'np-h', novalidate: true },
    h('div.grid-2',
      field('np-name', 'Name', f.name), field('np-email', 'Work email', f.email),
      field('np-title', 'Title', f.title), field('np-eid', 'Employee id (optional)', f.employee_id),
      field('np-dept', 'Department', dept), field('np-manager', 'Manager', mgr.input, mgr.list),
      field('np-level', 'Level (optional)', f.level), field('np-hire', 'Hire date', f.hire_date)),
    summary,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Add person')));
  const addCard = h('section.card', { 'aria-labelledby': 'np-h' }, h('h2', { id: 'np-h' }, 'Add a person'), addForm);
  addForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(addForm);
    const body = {};
    for (const [k, el] of Object.entries(f)) if (el.value.trim()) body[k] = el.value.trim();
    if (dept.value) body.department_id = Number(dept.value);
    if (mgr.input.value.trim()) {
      if (!mgr.id()) { showErrors(addForm, summary, { fields: { manager_id: 'pick a person from the suggestions' } }, { manager_id: 'Manager' }); return; }
      body.manager_id = mgr.id();
    }
    let p;
    try { p = await post('/api/v1/people', body); } catch (ex) { showErrors(addForm, summary, ex, { manager_id: 'Manager', department_id: 'Department', hire_date: 'Hire date', employee_id: 'Employee id' }); return; }
    addForm.reset();
    summary.hidden = true;
    const note = flash(addCard, `${p.name} was added. `);
    note.append(h('a', { href: `#/admin/accounts/${p.id}` }, `Invite ${p.name}`));
  });

  // the import: a dry run first, then the same file applied
  const file = h('input', { id: 'imp-file', type: 'file', accept: '.csv,.tsv,.txt,text/csv' });
  const fmt = h('select', { id: 'imp-fmt' }, [['', 'Work it out from the file'], ['DD/MM/YYYY', 'Day first (DD/MM/YYYY)'], ['MM/DD/YYYY', 'Month first (MM/DD/YYYY)']].map(([v, l]) => h('option', { value: v }, l)));
  const result = h('div', { 'aria-live': 'polite' });
  const check = h('button.btn.btn-primary', { type: 'submit' }, 'Check the file');
  const impForm = h('form.admin-form', { 'aria-labelledby': 'imp-h', novalidate: true },
    h('div.grid-2', field('imp-file', 'People file (CSV or an HRIS export)', file), field('imp-fmt', 'Dates', fmt)),
    h('div.actions', check));
  const impCard = h('section.card', { 'aria-labelledby': 'imp-h' }, h('h2', { id: 'imp-h' }, 'Import people'),
    h('p.muted', 'Trellis checks the whole file first and shows every problem; nothing is written until you apply a file without problems. People are matched by employee id, then email.'),
    impForm, result);
  const path = (dry) => '/api/v1/people/import' + qs({ dry_run: dry ? 'true' : '', date_format: fmt.value });
  impForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(result);
    const chosen = file.files[0];
    if (!chosen) { result.append(h('p.field-error', { role: 'alert' }, 'Choose a file first.')); return; }
    check.disabled = true;
    try {
      const r = await sendFile(path(true), chosen, ctx.me.csrf);
      const apply = h('button.btn.btn-primary', { type: 'button' }, `Apply the import (${r.rows} rows)`);
      result.append(h('div.import-preview', { role: 'region', 'aria-label': 'Dry run' },
        h('h3', 'The file is ready: nothing has been written yet'),
        h('dl.facts', h('dt', 'Rows'), h('dd', String(r.rows)), h('dt', 'New people'), h('dd', String(r.created)),
          h('dt', 'Changed'), h('dd', String(r.updated)), h('dt', 'Unchanged'), h('dd', String(r.unchanged)),
          h('dt', 'Read as'), h('dd', `${r.encoding}, separated by ${r.delimiter === '\t' ? 'tabs' : `“${r.delimiter}”`}`),
          h('dt', 'Columns not imported'), h('dd', r.ignored_columns || 'none')),
        h('div.actions', apply)));
      apply.addEventListener('click', async () => {
        if (!await confirmDialog('Apply this import?', `${r.created} people will be added and ${r.updated} changed. Role history records each change.`, 'Apply import')) return;
        try {
          const done = await sendFile(path(false), chosen, ctx.me.csrf);
          clear(result);
          flash(impCard, `Imported: ${done.created} added, ${done.updated} changed, ${done.unchanged} unchanged.`);
          impForm.reset();
        } catch (ex) { clear(result).append(h('p.field-error', { role: 'alert' }, ex.message)); }
      });
    } catch (ex) {
      const rows = Object.entries(ex.fields || {});
      result.append(h('div.import-preview', { role: 'region', 'aria-label': 'Problems in the file' },
        h('p.field-error', { role: 'alert' }, `${ex.message.replace(/^./, (c) => c.toUpperCase())}.`),
        rows.length ? h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Every problem' }, h('table.table',
          h('thead', h('tr', h('th', { scope: 'col' }, 'Where'), h('th', { scope: 'col' }, 'Problem'))),
          h('tbody', rows.map(([where, problem]) => h('tr', h('td', where.replace(/^row/, 'Row')), h('td.row-error', problem)))))) : null,
        rows.length && /has (\d+) problems/.test(ex.message) && Number(/has (\d+) problems/.exec(ex.message)[1]) > rows.length
          ? h('p.muted', `The first ${rows.length} are listed; fix them and check again for the rest.`) : null));
    } finally { check.disabled = false; }
  });
  clear(main).append(
    h('div.page-head', h('h1', 'Admin console'), h('p.muted', 'People: add someone, or import the HRIS export.')),
    tabs, addCard, impCard);
}

/** The Person card of an account page: edit the record, or terminate the person. */
export async function personCard(p, ctx, onChange) {
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const f = {
    name: h('input', { id: 'ep-name', 'data-field': 'name', value: p.name }),
    email: h('input', { id: 'ep-email', 'data-field': 'email', type: 'email', value: p.email }),
    title: h('input', { id: 'ep-title', 'data-field': 'title', value: p.title || '' }),
  };
  const dept = await departmentSelect('ep-dept', p.department?.id);
  const card = h('section.card', { 'aria-labelledby': 'ep-h' }, h('h2', { id: 'ep-h' }, 'Person'));
  if (p.status !== 'active') {
    card.append(h('p', `${p.name} is ${p.status}.`));
    return card;
  }
  const field = (id, label, input) => h('div.field', h('label', { for: id }, label), input);
  const form = h('form.admin-form', { 'aria-label': 'Edit the person', novalidate: true },
    h('div.grid-2', field('ep-name', 'Name', f.name), field('ep-email', 'Work email', f.email), field('ep-title', 'Title', f.title), field('ep-dept', 'Department', dept)),
    summary, h('div.actions', h('button.btn', { type: 'submit' }, 'Save changes')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const body = {};
    if (f.name.value.trim() !== p.name) body.name = f.name.value.trim();
    if (f.email.value.trim() !== p.email) body.email = f.email.value.trim();
    if (f.title.value.trim() !== (p.title || '')) body.title = f.title.value.trim() || null;
    if ((dept.value || '') !== String(p.department?.id || '')) body.department_id = dept.value ? Number(dept.value) : null;
    if (!Object.keys(body).length) { flash(card, 'Nothing changed.'); return; }
    try { await patch(`/api/v1/people/${p.id}`, body); } catch (ex) { showErrors(form, summary, ex, { department_id: 'Department' }); return; }
    await onChange(`${f.name.value.trim()} was saved.`);
  });
  const reason = h('input', { id: 'ep-reason', autocomplete: 'off', placeholder: 'e.g. Resigned' });
  const leave = h('input', { id: 'ep-leave', type: 'date' });
  const term = h('form.admin-form', { 'aria-label': 'Terminate', novalidate: true },
    h('h3', 'Leaving the company'),
    h('div.grid-2', field('ep-reason', 'Reason', reason), field('ep-leave', 'Last day (optional)', leave)),
    h('div.actions', h('button.btn.btn-danger-outline', { type: 'submit' }, `Terminate ${p.name}`)));
  term.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!await confirmDialog(`Terminate ${p.name}?`, 'They leave the directory, are signed out at once and their API tokens are revoked for good. Role history records the termination.', 'Terminate')) return;
    const body = { status: 'terminated', reason: reason.value.trim() || 'terminated' };
    if (leave.value) body.effective_date = leave.value;
    try { await patch(`/api/v1/people/${p.id}`, body); } catch (ex) { showErrors(term, summary, ex); return; }
    await onChange(`${p.name} was terminated.`);
  });
  card.append(form, term);
  return card;
}
