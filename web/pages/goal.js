// One goal: progress and roll-up, key results, the check-in form, progress over time, and what
// the caller may do with it (the server's "can": edit, delete, check in, accept or decline a
// proposal).
import { get, post, patch, del } from '../lib/api.js';
import { h, clear, emptyState, formatDateTime } from '../lib/dom.js';
import { showErrors, confirmDialog, flash } from '../lib/forms.js';
import { bar, chart, pct } from '../lib/progress.js';
import { statusBadge } from './goals.js';
import { goalForm } from './goal_form.js';

export async function render(main, { match }, ctx) {
  let g;
  try {
    g = await get(`/api/v1/goals/${match[1]}`);
  } catch (e) {
    if (e.status === 404) {
      clear(main).append(emptyState('Goal not found', 'It may be private, or it was deleted.', h('a.btn', { href: '#/goals' }, 'Back to goals')));
      return;
    }
    throw e;
  }
  const history = (await get(`/api/v1/goals/${g.id}/checkins`)).items;
  const can = g.can || {};
  const err = h('div.alert', { role: 'alert', hidden: true, tabindex: '-1' });
  const krSelect = h('select', { id: 'ci-kr' }, h('option', { value: '' }, 'No key result (status or comment only)'),
    g.key_results.map((k) => h('option', { value: k.id }, k.type === 'milestone' ? `${k.title} (milestone)` : `${k.title} (now ${k.current}${k.unit ? ' ' + k.unit : ''})`)));
  const form = h('form.card.checkin-form', { 'aria-labelledby': 'ci-h' },
    h('h2', { id: 'ci-h' }, 'Check in'),
    h('div.filters',
      h('div.field.grow', h('label', { for: 'ci-kr' }, 'Key result'), krSelect),
      h('div.field', h('label', { for: 'ci-value' }, 'New value'), h('input', { id: 'ci-value', type: 'number', step: 'any' })),
      h('div.field', h('label', { for: 'ci-status' }, 'Status'), h('select', { id: 'ci-status' },
        h('option', { value: '' }, 'Unchanged'), ['on_track', 'at_risk', 'off_track', 'done', 'missed', 'abandoned'].map((s) => h('option', { value: s }, s.replace('_', ' '))))),
      h('div.field', h('label', { for: 'ci-conf' }, 'Confidence'), h('select', { id: 'ci-conf' }, [1, 2, 3, 4, 5].map((n) => h('option', { value: n, selected: n === 3 }, `${n} of 5`))))),
    h('div.field', h('label', { for: 'ci-comment' }, 'Comment'), h('input', { id: 'ci-comment' })),
    err,
    h('button.btn.btn-primary', { type: 'submit' }, 'Save check-in'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const body = { confidence: Number(form.querySelector('#ci-conf').value) };
    const kr = krSelect.value, value = form.querySelector('#ci-value').value;
    const status = form.querySelector('#ci-status').value, comment = form.querySelector('#ci-comment').value.trim();
    if (kr) { body.key_result_id = Number(kr); body.value = value === '' ? null : Number(value); }
    if (status) body.status = status;
    if (comment) body.comment = comment;
    try {
      await post(`/api/v1/goals/${g.id}/checkins`, body);
      await render(main, { match }, ctx);
      flash(main, 'Check-in saved.');
      main.querySelector('#progress-h')?.focus();
    } catch (ex) {
      showErrors(form, err, ex, { value: 'New value', key_result_id: 'Key result', comment: 'Comment' });
    }
  });
  const editSlot = h('div');
  const edit = () => {
    clear(editSlot).append(goalForm(ctx, g, async (saved, changed) => {
      await render(main, { match }, ctx);
      if (changed) flash(main, 'Goal saved.');
    }, () => clear(editSlot)));
    editSlot.querySelector('input')?.focus();
  };
  const remove = async () => {
    const ok = await confirmDialog('Delete this goal?', `“${g.title}”, its key results and check-ins are deleted. This cannot be undone.`, 'Delete goal');
    if (!ok) return;
    try {
      await del(`/api/v1/goals/${g.id}`);
      ctx.navigate('#/goals?deleted=1');
    } catch (ex) {
      err.textContent = ex.status === 409 ? 'Goals are aligned to this one: move or delete them first.' : ex.message;
      err.hidden = false;
      err.focus();
    }
  };
  const accept = async () => {
    try {
      await patch(`/api/v1/goals/${g.id}`, { accepted: true });
      await render(main, { match }, ctx);
      flash(main, 'You accepted the goal.');
    } catch (ex) { err.textContent = ex.message; err.hidden = false; }
  };
  // declining says why, for the person who proposed it; the form keeps what was typed on errors
  const declineSlot = h('div');
  const decline = () => {
    const reason = h('textarea', { id: 'decline-reason', 'data-field': 'reason', rows: 3, maxlength: 1000 });
    const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
    const form = h('form.card', { 'aria-labelledby': 'decline-h', novalidate: true },
      h('h2', { id: 'decline-h' }, 'Decline this goal'),
      h('div.field', h('label', { for: 'decline-reason' }, `Why? ${g.proposed_by ? 'The person who proposed it is told.' : ''}`), reason),
      summary,
      h('div.actions', h('button.btn', { type: 'button', onclick: () => clear(declineSlot) }, 'Keep it for now'),
        h('button.btn.btn-danger', { type: 'submit' }, 'Decline goal')));
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!reason.value.trim()) { showErrors(form, summary, { fields: { reason: 'must say why, for the person who proposed it' } }, { reason: 'Reason' }); return; }
      if (!(await confirmDialog('Decline this goal?', 'It is closed as abandoned, and the person who proposed it is told why. This cannot be undone.', 'Decline goal'))) return;
      try {
        await post(`/api/v1/goals/${g.id}/decline`, { reason: reason.value.trim() });
        await render(main, { match }, ctx);
        flash(main, 'You declined the goal; the person who proposed it is told.');
      } catch (ex) { showErrors(form, summary, ex, { reason: 'Reason' }); }
    });
    clear(declineSlot).append(form);
    reason.focus();
  };
  const actions = h('div.actions.goal-actions',
    can.accept ? h('button.btn.btn-primary', { type: 'button', onclick: accept }, 'Accept goal') : null,
    can.decline ? h('button.btn', { type: 'button', onclick: decline }, 'Decline…') : null,
    can.edit ? h('button.btn', { type: 'button', onclick: edit }, 'Edit goal') : null,
    can.delete ? h('button.btn.btn-danger-outline', { type: 'button', onclick: remove }, 'Delete goal') : null);
  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'Goals' }, h('ol', h('li', h('a', { href: '#/goals' }, 'Goals')), g.parent_id ? h('li', h('a', { href: `#/goals/${g.parent_id}` }, 'Aligned to')) : null, h('li', { 'aria-current': 'page' }, g.title))),
    h('div.card.goal-head',
      h('div', h('h1', g.title), g.description ? h('p', g.description) : null,
        h('p.muted', [`Owner: ${g.owner.name}`, `${g.start_date} → ${g.due_date}`, `${g.level} · ${g.kind} · ${{ public: 'visible to everyone', managers: 'visible to managers and HR', private: 'private' }[g.visibility] || g.visibility}`].join(' · ')),
        !g.accepted && g.status !== 'abandoned' ? h('p.alert.alert-info', can.accept ? 'Your manager proposed this goal: accept it to make it yours, edit it first, or decline it with a reason.' : 'Proposed: waiting for the owner to accept it.') : null,
        !g.accepted && g.status === 'abandoned' ? h('p.alert', 'This proposal was declined: its reason is in the history below.') : null),
      statusBadge(g.status)),
    err,
    actions,
    declineSlot,
    editSlot,
    h('section.card', { 'aria-labelledby': 'progress-h' },
      h('h2', { id: 'progress-h', tabindex: '-1' }, 'Progress'),
      h('div.progress-big', bar(g.progress, 'Goal progress')),
      g.rollup_progress !== null ? h('p.muted', `Aligned goals (${g.children_count}): ${pct(g.rollup_progress)} `, bar(g.rollup_progress, 'Roll-up of aligned goals', 'bar-rollup')) : null,
      g.key_results.length ? h('ul.kr-list', g.key_results.map((k) => h('li',
        h('span.kr-title', k.title),
        h('span.muted', k.type === 'milestone' ? (k.done ? 'Done' : 'Not yet') : `${k.direction === 'decrease' ? 'down ' : ''}${k.start} → ${k.target}${k.unit ? ' ' + k.unit : ''}, now ${k.current}`),
        bar(k.progress, `Progress of ${k.title}`)))) : h('p.muted', 'No key results: progress follows the status.')),
    h('section.card', { 'aria-labelledby': 'hist-h' },
      h('h2', { id: 'hist-h' }, 'Progress over time'),
      history.length ? chart(history, `Progress of ${g.title} over time`) : h('p.muted', 'No check-ins yet.'),
      history.length ? h('ol.checkins', [...history].reverse().map((c) => h('li',
        h('span.muted', formatDateTime(c.created_at)), ' ', h('strong', c.author.name), ` — ${pct(c.progress)}`,
        c.status ? ` · ${c.status.replace('_', ' ')}` : '', ` · confidence ${c.confidence}/5`,
        c.comment ? h('div', c.comment) : null))) : null),
    can.check_in ? form : null);
}
