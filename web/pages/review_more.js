// The parts of Reviews beyond writing and reading: peer nomination (the employee proposes, the
// manager approves), the 9-box grid of calibration, outcome history, and promotion cases.
import { get, patch, post, put } from '../lib/api.js';
import { h, emptyState, formatDate } from '../lib/dom.js';

const failure = (err, ex) => {
  err.textContent = Object.keys(ex.fields || {}).length ? Object.values(ex.fields).join('; ') : ex.message;
  err.hidden = false;
};

/* A coworker picker: search the directory, pick up to max people. */
function picker(chosen, max, onChange) {
  const id = `pick-${Math.random().toString(36).slice(2, 8)}`;
  const input = h('input', { id, type: 'search', autocomplete: 'off', placeholder: 'Name or email' });
  const results = h('ul.kr-list', { 'aria-live': 'polite' });
  const chips = h('ul.chips', { 'aria-label': 'Chosen coworkers' });
  const draw = () => {
    chips.replaceChildren(...chosen.map((p) => h('li.chip', p.name, ' ',
      h('button.btn.btn-small', { type: 'button', 'aria-label': `Remove ${p.name}`, onclick: () => { chosen.splice(chosen.indexOf(p), 1); draw(); onChange(); } }, '×'))));
  };
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (q.length < 2) { results.replaceChildren(); return; }
      const items = (await get(`/api/v1/people?q=${encodeURIComponent(q)}&limit=8`)).items;
      results.replaceChildren(...items.map((p) => h('li', h('span.kr-title', p.name), h('span.muted', p.title || ''),
        h('button.btn.btn-small', { type: 'button', disabled: chosen.length >= max || chosen.some((c) => c.id === p.id),
          onclick: () => { chosen.push({ id: p.id, name: p.name }); results.replaceChildren(); input.value = ''; draw(); onChange(); } }, `Add ${p.name}`))));
    }, 200);
  });
  draw();
  return h('div.field', h('label', { for: id }, 'Find coworkers'), input, results, chips);
}

/* One person's nomination: editable by the employee (propose) or their manager (approve). */
function nominationCard(cycle, n, person, approve, reload) {
  const chosen = n.peers.map((p) => ({ id: p.id, name: p.name }));
  const err = h('div.alert', { role: 'alert', hidden: true });
  const count = h('p.muted');
  const update = () => { count.textContent = `${chosen.length} chosen (${n.min_peers}–${n.max_peers})`; };
  update();
  const form = h('form.card',
    h('h3', approve ? `${person.name}'s peers` : 'Your peers'),
    h('p', h('span.badge', n.status), n.due ? ` · nominations close ${n.due}` : ''),
    picker(chosen, n.max_peers, update), count, err,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, approve ? 'Approve these peers' : 'Propose to my manager')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    try { await put(`/api/v1/review-cycles/${cycle.id}/nominations/${person.id}`, { peer_ids: chosen.map((p) => p.id) }); reload(); } catch (ex) { failure(err, ex); }
  });
  return form;
}

export async function peersTab(body, ctx, reload) {
  const cycles = (await get('/api/v1/review-cycles')).items.filter((c) => c.status === 'active' && c.peer_selection === 'nominated');
  if (!cycles.length) { body.append(emptyState('No peer nominations open', 'When a cycle asks you to choose your peers, you choose them here.')); return; }
  const me = { id: ctx.me.person.id, name: ctx.me.person.name };
  const reports = (await get(`/api/v1/people?manager=${me.id}&limit=200`)).items;
  for (const c of cycles) {
    body.append(h('h2', c.name));
    const mine = await get(`/api/v1/review-cycles/${c.id}/nominations/${me.id}`).catch(() => null);
    if (mine) body.append(nominationCard(c, mine, me, false, reload));
    for (const p of reports) {
      const n = await get(`/api/v1/review-cycles/${c.id}/nominations/${p.id}`).catch(() => null);
      if (n) body.append(nominationCard(c, n, p, true, reload));
    }
  }
}

/* The performance x potential grid: high potential on top, high performance on the right. */
export function nineBox(grid) {
  const cell = (perf, pot) => grid.cells.find((c) => c.performance === perf && c.potential === pot);
  const levels = ['low', 'medium', 'high'];
  return h('section.card', { 'aria-labelledby': 'nine-box-h' },
    h('h2', { id: 'nine-box-h' }, 'Performance × potential'),
    h('div.table-wrap', h('table.table.nine-box',
      h('thead', h('tr', h('th', { scope: 'col' }, 'Potential ↓ / Performance →'), levels.map((l) => h('th', { scope: 'col' }, l)))),
      h('tbody', [...levels].reverse().map((pot) => h('tr', h('th', { scope: 'row' }, pot),
        levels.map((perf) => {
          const c = cell(perf, pot);
          return h('td', h('strong', String(c.count)), c.people.length ? h('ul', c.people.slice(0, 12).map((p) => h('li', p.name))) : null,
            c.count > 12 ? h('span.muted', `and ${c.count - 12} more`) : null);
        })))))),
    h('p.muted', `${grid.unassessed} without both a rating and a potential.`));
}

/* HR adjusts a rating or potential with a written justification (kept in the audit log). */
export function adjustForm(cal, reload) {
  const people = new Map();
  for (const c of cal.nine_box.cells) for (const p of c.people) people.set(p.outcome_id, p.name);
  for (const o of cal.outliers) people.set(o.outcome_id, o.person.name);
  if (!people.size) return null;
  const err = h('div.alert', { role: 'alert', hidden: true });
  const who = h('select', { id: 'adj-who' }, [...people].map(([id, name]) => h('option', { value: id }, name)));
  const rating = h('input', { id: 'adj-rating', type: 'number', min: 1, max: 10, step: 0.5 });
  const potential = h('select', { id: 'adj-potential' }, h('option', { value: '' }, 'unchanged'),
    [['1', 'low'], ['2', 'medium'], ['3', 'high']].map(([v, l]) => h('option', { value: v }, l)));
  const why = h('textarea', { id: 'adj-why', rows: 3 });
  const form = h('form.card', h('h2', 'Adjust a rating'),
    h('div.field', h('label', { for: 'adj-who' }, 'Person'), who),
    h('div.field', h('label', { for: 'adj-rating' }, 'Calibrated rating'), rating),
    h('div.field', h('label', { for: 'adj-potential' }, 'Potential'), potential),
    h('div.field', h('label', { for: 'adj-why' }, 'Justification'), why), err,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Save calibration')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const body = { justification: why.value.trim() };
    if (rating.value) body.calibrated_rating = Number(rating.value);
    if (potential.value) body.potential = Number(potential.value);
    try { await patch(`/api/v1/review-outcomes/${who.value}`, body); reload(); } catch (ex) { failure(err, ex); }
  });
  return form;
}

/* Earlier released versions of an outcome that HR reopened. */
export function historyBlock(o) {
  if (!o.version || o.version < 2) return null;
  const box = h('details', h('summary', `Earlier versions (${o.version - 1})`));
  box.addEventListener('toggle', async () => {
    if (!box.open || box.dataset.loaded) return;
    box.dataset.loaded = '1';
    const hist = await get(`/api/v1/review-outcomes/${o.id}/history`);
    box.append(h('ol', hist.versions.map((v) => h('li',
      h('p', `Version ${v.version}, released ${formatDate(v.released_at)}: rating ${v.calibrated_rating ?? v.rating ?? '—'}`),
      v.manager_summary ? h('p', v.manager_summary) : null,
      v.employee_comment ? h('p.muted', `Your comment: ${v.employee_comment}`) : null,
      h('p.muted', `Reopened ${formatDate(v.reopened_at)} by ${v.reopened_by.name}: ${v.reason}`)))));
  });
  return box;
}

const caseKinds = { promotion: 'Promotion', raise: 'Raise', responsibilities: 'New responsibilities' };

function caseCard(c, ctx, reload) {
  const isHr = ['hr', 'admin'].includes(ctx.me.role);
  const err = h('div.alert', { role: 'alert', hidden: true });
  const note = h('input', { id: `note-${c.id}`, type: 'text' });
  const decide = async (decision) => {
    try { await post(`/api/v1/promotion-cases/${c.id}/decide`, { decision, note: note.value.trim() || null }); reload(); } catch (ex) { failure(err, ex); }
  };
  const canEndorse = c.status === 'requested' && c.person.id !== ctx.me.person.id;
  return h('li.card.fb-card',
    h('h3', `${caseKinds[c.kind] || c.kind}: ${c.person.name}`),
    h('p', h('span.badge', c.status), ` opened by ${c.opened_by.name} on ${formatDate(c.created_at)}`),
    c.proposed_title || c.proposed_level ? h('p', `Proposed: ${[c.proposed_title, c.proposed_level].filter(Boolean).join(', ')}`) : null,
    h('p', c.justification),
    c.decision_note ? h('p.muted', `Decision note: ${c.decision_note}`) : null,
    err,
    canEndorse ? h('div.actions', h('button.btn', { type: 'button', onclick: async () => { try { await post(`/api/v1/promotion-cases/${c.id}/endorse`, {}); reload(); } catch (ex) { failure(err, ex); } } }, 'Endorse the request')) : null,
    isHr && c.status === 'open'
      ? h('div.actions', h('label', { for: `note-${c.id}` }, 'Note'), note,
        h('button.btn.btn-primary', { type: 'button', onclick: () => decide('approved') }, 'Approve'),
        h('button.btn', { type: 'button', onclick: () => decide('rejected') }, 'Reject'))
      : null);
}

function openCaseForm(ctx, reports, reload) {
  const err = h('div.alert', { role: 'alert', hidden: true });
  const who = h('select', { id: 'case-person' },
    h('option', { value: ctx.me.person.id }, `Myself (a request to my manager)`),
    reports.map((p) => h('option', { value: p.id }, p.name)));
  const kind = h('select', { id: 'case-kind' }, Object.entries(caseKinds).map(([k, v]) => h('option', { value: k }, v)));
  const title = h('input', { id: 'case-title', type: 'text' });
  const level = h('input', { id: 'case-level', type: 'text' });
  const why = h('textarea', { id: 'case-why', rows: 4 });
  const form = h('form.card', h('h2', 'Open a case'),
    h('div.field', h('label', { for: 'case-person' }, 'For'), who),
    h('div.field', h('label', { for: 'case-kind' }, 'Kind'), kind),
    h('div.field', h('label', { for: 'case-title' }, 'Proposed title (optional)'), title),
    h('div.field', h('label', { for: 'case-level' }, 'Proposed level (optional)'), level),
    h('div.field', h('label', { for: 'case-why' }, 'Why: the evidence in your words'), why), err,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Open the case')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    try {
      await post('/api/v1/promotion-cases', { person_id: Number(who.value), kind: kind.value, proposed_title: title.value.trim() || null, proposed_level: level.value.trim() || null, justification: why.value.trim(), evidence: {} });
      reload();
    } catch (ex) { failure(err, ex); }
  });
  return form;
}

export async function casesTab(body, ctx, reload) {
  const [cases, reports] = await Promise.all([get('/api/v1/promotion-cases').then((x) => x.items),
    get(`/api/v1/people?manager=${ctx.me.person.id}&limit=200`).then((x) => x.items)]);
  body.append(openCaseForm(ctx, reports, reload),
    cases.length ? h('ul.fb-list', cases.map((c) => caseCard(c, ctx, reload))) : emptyState('No cases', 'Promotion, raise and responsibility cases you may read appear here.'));
}
