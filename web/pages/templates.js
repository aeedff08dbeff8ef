// Review templates for HR: the list, and one template's editor: questions (rating, text,
// competency tied to the career framework with the expected level shown per level, a goals
// section), rating scales with a label per point, "manager only", weights that make the overall
// score. The server checks everything; its problems are shown beside the question they concern.
import { get, post, patch } from '../lib/api.js';
import { h, clear, emptyState, formatDate } from '../lib/dom.js';
import { showErrors, clearErrors, flash } from '../lib/forms.js';

export const kindLabel = { self: 'Self-review', manager: 'Manager review', peer: 'Peer feedback', upward: 'Upward feedback' };
const typeLabel = { rating: 'Rating', text: 'Written answer', competency: 'Competency rating', goals: 'Goals section' };
const isHr = (ctx) => ['hr', 'admin'].includes(ctx.me.role);
let seq = 0;

function slug(text, taken) {
  let base = String(text).toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 30) || 'q';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}_${n}`;
  return id;
}

/* The expected rating of a competency at each level of each track, from the framework. */
function expectations(framework, competency) {
  const rows = [];
  for (const t of framework?.tracks || []) {
    for (const l of t.levels || []) {
      const e = (l.expectations || []).find((x) => x.competency === competency);
      if (e) rows.push({ track: t.name, level: `${l.code} ${l.title || ''}`.trim(), rating: e.rating, description: e.description });
    }
  }
  return rows;
}

/** The questions as a participant sees them (inputs disabled): the preview of a template. */
export function questionsPreview(questions, { packetNote = true } = {}) {
  return h('div.preview-questions', questions.map((q, i) => {
    const label = `${q.competency ? `${q.competency}: ` : ''}${q.text}${q.required ? ' (required)' : ''}`;
    if (q.type === 'goals') {
      return h('fieldset.kr-row', h('legend', q.text), h('p.muted', packetNote ? "The person's goals of the period are listed here, with their progress." : ''));
    }
    if (q.type === 'rating' || q.type === 'competency') {
      return h('fieldset.kr-row', h('legend', label),
        Array.from({ length: q.scale }, (_, k) => k + 1).map((n) => h('label.share', h('input', { type: 'radio', name: `pv-${i}-${q.id}`, disabled: true }), q.labels ? ` ${n} ${q.labels[n - 1]}` : ` ${n}`)));
    }
    const id = `pv-${i}-${q.id}-${++seq}`;
    return h('div.field', h('label', { for: id }, label), h('textarea', { id, rows: 2, disabled: true }));
  }));
}

async function list(main, ctx) {
  const items = (await get('/api/v1/review-templates')).items;
  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'Reviews' }, h('ol', h('li', h('a', { href: '#/reviews?tab=cycles' }, 'Cycles')), h('li', { 'aria-current': 'page' }, 'Templates'))),
    h('div.page-head', h('h1', 'Review templates'), h('a.btn.btn-primary', { href: '#/templates/new' }, 'New template')),
    items.length
      ? h('ul.goal-list', items.map((t) => h('li.goal-card',
        h('div.goal-main', h('a.goal-title', { href: `#/templates/${t.id}` }, t.name),
          h('span.goal-meta', `${kindLabel[t.kind] || t.kind} · ${t.questions.length} question${t.questions.length === 1 ? '' : 's'} · created ${formatDate(t.created_at)}`)),
        h('span.badge', t.kind))))
      : emptyState('No templates yet', 'A template holds the questions of one kind of review.', h('a.btn.btn-primary', { href: '#/templates/new' }, 'New template')));
  void ctx;
}

/* One question's editor row. */
function questionRow(q, index, framework, kindSel, onRemove, onMove) {
  const uid = ++seq;
  const id = (s) => `q${uid}-${s}`;
  const text = h('input', { id: id('text'), type: 'text', value: q.text || '', maxlength: 1000, 'data-field': `questions[${index}]`, 'aria-required': 'true' });
  const type = h('select', { id: id('type') }, Object.entries(typeLabel).map(([k, v]) => h('option', { value: k, selected: q.type === k }, v)));
  const key = h('input', { id: id('key'), type: 'text', value: q.id || '', maxlength: 40, 'aria-describedby': id('key-hint') });
  const scale = h('input', { id: id('scale'), type: 'number', min: 2, max: 10, value: q.scale || 5 });
  const weight = h('input', { id: id('weight'), type: 'number', min: 0, max: 100, step: 'any', value: q.weight ?? '' });
  const required = h('input', { id: id('req'), type: 'checkbox' });
  required.checked = q.required !== false;
  const managerOnly = h('input', { id: id('mo'), type: 'checkbox' });
  managerOnly.checked = !!q.manager_only;
  const comps = framework?.competencies || [];
  const comp = h('select', { id: id('comp') }, h('option', { value: '' }, 'Choose a competency'),
    comps.map((c) => h('option', { value: c.name, selected: q.competency === c.name }, c.name)));
  if (q.competency && !comps.some((c) => c.name === q.competency)) comp.append(h('option', { value: q.competency, selected: true }, q.competency));
  const expected = h('div.expected');
  const labelsBox = h('div.labels-box');
  const initial = Array.isArray(q.labels) ? q.labels : [];
  const labelInputs = Array.from({ length: 10 }, (_, k) => h('input', { type: 'text', id: id(`label-${k}`), value: initial[k] || '', maxlength: 100, 'aria-label': `Label of point ${k + 1}` }));
  const labelItems = labelInputs.map((inp) => h('li', inp));
  labelsBox.append(h('p.field-hint', 'Labels (optional): one for each point of the scale, or none.'), h('ol.labels-list', labelItems));
  const points = () => Math.max(2, Math.min(10, Number(scale.value) || 5));
  const drawLabels = () => { labelItems.forEach((li, k) => { li.hidden = k >= points(); }); };
  const drawExpected = () => {
    const rows = expectations(framework, comp.value);
    clear(expected);
    if (comp.value) expected.append(rows.length
        ? h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': `Expected level of ${comp.value} by level` }, h('table.table', h('caption', `Expected level of ${comp.value}`),
          h('thead', h('tr', ['Track', 'Level', 'Expected', 'What it looks like'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', rows.map((r) => h('tr', h('td', r.track), h('th', { scope: 'row' }, r.level), h('td', `${r.rating} of 5`), h('td', r.description || '—'))))))
        : h('p.muted', 'The career framework sets no expected level for this competency yet.'));
  };
  const show = {};
  const part = (name, ...children) => (show[name] = h('div.field', ...children));
  const row = h('fieldset.card.question-row', { 'data-question': index },
    h('legend', `Question ${index + 1}`),
    h('div.field', h('label', { for: id('text') }, 'Question'), text),
    h('div.question-grid',
      h('div.field', h('label', { for: id('type') }, 'Kind of answer'), type),
      part('scale', h('label', { for: id('scale') }, 'Scale (points)'), scale),
      part('weight', h('label', { for: id('weight') }, 'Weight in the overall score'), weight),
      h('div.field', h('label', { for: id('key') }, 'Answer key'), key, h('p.field-hint', { id: id('key-hint') }, '"overall", "summary" and "potential" feed the outcome.'))),
    part('comp', h('label', { for: id('comp') }, 'Competency (career framework)'), comp, expected),
    part('labels', labelsBox),
    h('div.question-flags',
      part('required', h('label.check', required, ' Required before submitting')),
      part('mo', h('label.check', managerOnly, ' Manager only (never shown to the person reviewed)'))),
    h('div.actions',
      index > 0 ? h('button.btn.btn-small', { type: 'button', onclick: () => onMove(-1) }, 'Move up') : null,
      h('button.btn.btn-small', { type: 'button', onclick: onRemove, 'aria-label': `Remove question ${index + 1}` }, 'Remove')));
  const sync = () => {
    const t = type.value;
    const rated = t === 'rating' || t === 'competency';
    show.scale.hidden = !rated;
    show.weight.hidden = !rated;
    show.labels.hidden = !rated;
    show.comp.hidden = t !== 'competency';
    show.required.hidden = t === 'goals';
    show.mo.hidden = kindSel.value !== 'manager';
  };
  type.addEventListener('change', sync);
  kindSel.addEventListener('change', sync);
  scale.addEventListener('input', drawLabels);
  scale.addEventListener('change', drawLabels);
  comp.addEventListener('change', drawExpected);
  drawLabels();
  drawExpected();
  sync();
  row.read = (taken) => {
    const t = type.value;
    const out = { id: key.value.trim() || slug(text.value || t, taken), type: t, text: text.value.trim() };
    taken.add(out.id);
    if (t === 'rating' || t === 'competency') {
      out.scale = Number(scale.value) || 5;
      const ls = labelInputs.slice(0, out.scale).map((l) => l.value.trim());
      if (ls.some(Boolean)) out.labels = ls;
      if (weight.value !== '') out.weight = Number(weight.value);
    }
    if (t === 'competency') out.competency = comp.value;
    if (t !== 'goals') out.required = required.checked;
    if (kindSel.value === 'manager' && managerOnly.checked) out.manager_only = true;
    return out;
  };
  return row;
}

async function editor(main, id, ctx) {
  const [tpl, framework] = await Promise.all([
    id ? get(`/api/v1/review-templates/${id}`) : Promise.resolve({ name: '', kind: 'self', questions: [{ id: 'overall', type: 'rating', text: 'Overall, how did the year go?', scale: 5 }] }),
    get('/api/v1/career/framework').catch(() => null)]);
  const name = h('input', { id: 'tpl-name', type: 'text', value: tpl.name, maxlength: 200, 'data-field': 'name', 'aria-required': 'true' });
  const kind = h('select', { id: 'tpl-kind', 'data-field': 'kind' }, Object.entries(kindLabel).map(([k, v]) => h('option', { value: k, selected: tpl.kind === k }, v)));
  const box = h('div.questions');
  let drafts = tpl.questions.map((q) => ({ ...q }));
  let rows = [];
  const snapshot = () => { const taken = new Set(); drafts = rows.map((r) => r.read(taken)); };
  const draw = () => {
    rows = drafts.map((q, i) => questionRow(q, i, framework, kind,
      () => { snapshot(); drafts.splice(i, 1); draw(); },
      (d) => { snapshot(); const [x] = drafts.splice(i, 1); drafts.splice(i + d, 0, x); draw(); }));
    clear(box).append(...rows);
    if (!rows.length) box.append(h('p.muted', 'No questions yet.'));
  };
  draw();
  const summary = h('div.alert', { role: 'alert', hidden: true, tabindex: '-1' });
  const status = h('div', { role: 'status' });
  // a launched cycle's reviews keep their questions: the editor saves a copy instead
  const locked = Boolean(id && tpl.launched_cycle_id);
  const save = h('button.btn.btn-primary', { type: 'submit' }, locked ? 'Save as a new template' : id ? 'Save template' : 'Create template');
  if (locked) name.value = `${tpl.name} (copy)`;
  const form = h('form.card.template-form', { novalidate: true },
    h('div.grid-2.tight',
      h('div.field', h('label', { for: 'tpl-name' }, 'Name'), name),
      h('div.field', h('label', { for: 'tpl-kind' }, 'Used for'), kind)),
    h('h2', 'Questions'), box,
    h('div.actions', h('button.btn', { type: 'button', onclick: () => { snapshot(); drafts.push({ type: 'rating', text: '', scale: 5 }); draw(); rows[rows.length - 1].querySelector('input').focus(); } }, 'Add a question')),
    summary,
    h('div.actions.form-end', save, h('a.btn', { href: '#/templates' }, 'Back to templates')));
  const preview = h('section.card', { 'aria-labelledby': 'tpl-preview-h' }, h('h2', { id: 'tpl-preview-h' }, 'Preview'), h('div.preview-body'));
  const drawPreview = () => {
    snapshot();
    const shown = kind.value === 'manager' ? drafts : drafts.filter((q) => !q.manager_only);
    clear(preview.querySelector('.preview-body')).append(h('p.muted', `What a ${kindLabel[kind.value].toLowerCase()} writer sees.`), questionsPreview(shown.filter((q) => q.text)));
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    snapshot();
    const body = { name: name.value.trim(), kind: kind.value, questions: drafts };
    save.disabled = true;
    try {
      const saved = id && !locked ? await patch(`/api/v1/review-templates/${id}`, body) : await post('/api/v1/review-templates', body);
      if (!id || locked) { location.hash = `#/templates/${saved.id}`; return; }
      drafts = saved.questions;
      draw();
      drawPreview();
      flash(status, 'Template saved.');
    } catch (ex) {
      showErrors(form, summary, ex, { questions: 'question', name: 'Name', kind: 'Kind' });
    } finally { save.disabled = false; }
  });
  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'Templates' }, h('ol', h('li', h('a', { href: '#/templates' }, 'Templates')), h('li', { 'aria-current': 'page' }, id ? tpl.name : 'New template'))),
    h('div.page-head', h('h1', id ? `Template: ${tpl.name}` : 'New review template'),
      h('button.btn', { type: 'button', onclick: drawPreview }, 'Preview')),
    status,
    locked ? h('p.alert.alert-info', 'A launched cycle uses this template, so its questions stay as they are for that cycle. Your changes are saved as a new template.') : null,
    form, preview);
  drawPreview();
  void ctx;
}

export async function render(main, { match }, ctx) {
  if (!isHr(ctx)) { clear(main).append(emptyState('HR edits review templates', 'Ask HR to change the questions of a review.')); return; }
  const which = match[1];
  if (!which) return list(main, ctx);
  return editor(main, which === 'new' ? null : which, ctx);
}
