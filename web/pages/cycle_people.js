// People in a running cycle (HR, on the cycle page): find a person, see the reviews about them
// and their outcome; add a late joiner, remove a leaver (both behind a confirmation, done by the
// participant rules and the sync), reopen a submitted review or a released outcome with a reason
// (audited), and the outcome's history.
import { get, post, patch } from '../lib/api.js';
import { h, clear, append, formatDate } from '../lib/dom.js';
import { confirmDialog, flash } from '../lib/forms.js';

const kindName = { self: 'Self-review', manager: 'Manager review', peer: 'Peer review', upward: 'Upward review' };

/* Asks for a reason (at least a sentence); resolves the text, or null when cancelled. */
function reasonDialog(title, text, confirmLabel, send) {
  return new Promise((resolve) => {
    const reason = h('textarea', { id: 'reopen-reason', rows: 3, 'aria-required': 'true' });
    const err = h('p.field-error', { id: 'reopen-error', hidden: true });
    const yes = h('button.btn.btn-danger', { type: 'submit' }, confirmLabel);
    const no = h('button.btn', { type: 'button' }, 'Cancel');
    const form = h('form', h('div.field', h('label', { for: 'reopen-reason' }, 'Reason (required; recorded in the audit log)'), reason, err), h('div.actions', no, yes));
    const dlg = h('dialog.confirm', { 'aria-labelledby': 'reopen-h' }, h('h2', { id: 'reopen-h' }, title), h('p', text), form);
    const done = (v) => { dlg.close(); dlg.remove(); resolve(v); };
    no.addEventListener('click', () => done(null));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); done(null); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const t = reason.value.trim();
      const fail = (m) => { err.textContent = m; err.hidden = false; reason.setAttribute('aria-invalid', 'true'); reason.setAttribute('aria-describedby', 'reopen-error'); reason.focus(); };
      if (t.length < 10) { fail('Explain in a sentence why (at least 10 characters).'); return; }
      yes.disabled = true;
      try { done(await send(t)); } catch (ex) { yes.disabled = false; fail(ex.fields?.reason ? `The reason ${ex.fields.reason}` : ex.message); }
    });
    document.body.append(dlg);
    dlg.showModal();
    reason.focus();
  });
}

export function peopleCard(cycle) {
  const status = h('div', { role: 'status' });
  const result = h('div.person-in-cycle');
  const input = h('input', { id: 'cp-q', type: 'search', autocomplete: 'off', placeholder: 'Type a name' });
  const note = h('p.field-hint', { 'aria-live': 'polite' });
  const active = cycle.status === 'active' && !cycle.launching; // a launch still writing: sync waits

  const scopeOf = async () => (await get(`/api/v1/review-cycles/${cycle.id}`)).participants;
  const setScope = async (change) => {
    const s = await scopeOf();
    const next = change(s);
    await patch(`/api/v1/review-cycles/${cycle.id}`, { participants: next });
    return post(`/api/v1/review-cycles/${cycle.id}/sync`, {});
  };

  const show = async (p) => {
    const d = await get(`/api/v1/review-cycles/${cycle.id}/people/${p.id}`);
    const inCycle = d.outcome && !d.outcome.withdrawn_at;
    const actions = [];
    if (active && !inCycle) {
      actions.push(h('button.btn', { type: 'button', onclick: async () => {
        if (!(await confirmDialog(`Add ${d.person.name} to this cycle?`, `${d.person.name} joins "${cycle.name}": their self-review, their manager's review and their peers are assigned now.`, 'Add to the cycle'))) return;
        const r = await setScope((s) => ({ ...s, include_ids: [...new Set([...s.include_ids, p.id])], exclude_ids: s.exclude_ids.filter((x) => x !== p.id) }));
        flash(status, `${d.person.name} joined: ${r.assignments} review${r.assignments === 1 ? '' : 's'} assigned.`);
        show(p);
      } }, 'Add as a late joiner'));
    }
    if (active && inCycle) {
      actions.push(h('button.btn.btn-danger', { type: 'button', onclick: async () => {
        if (!(await confirmDialog(`Remove ${d.person.name} from this cycle?`, `${d.person.name} leaves "${cycle.name}": the reviews they have not submitted, written or received, are cancelled. Submitted ones are kept.`, 'Remove from the cycle'))) return;
        const r = await setScope((s) => ({ ...s, include_ids: s.include_ids.filter((x) => x !== p.id), exclude_ids: [...new Set([...s.exclude_ids, p.id])] }));
        flash(status, r.left ? `${d.person.name} was removed from the cycle.` : `${d.person.name} is no longer in the cycle.`);
        show(p);
      } }, 'Remove as a leaver'));
    }
    if (d.outcome?.released_at) {
      actions.push(h('button.btn', { type: 'button', onclick: async () => {
        const ok = await reasonDialog(`Reopen ${d.person.name}'s outcome?`, 'The released outcome is kept as a version; the manager review goes back to draft for correction and the outcome is released again afterwards.', 'Reopen outcome',
          (reason) => post(`/api/v1/review-outcomes/${d.outcome.id}/reopen`, { reason }));
        if (ok) { flash(status, 'Outcome reopened.'); show(p); }
      } }, 'Reopen the outcome'));
    }
    const rows = d.reviews.map((r) => h('tr',
      h('th', { scope: 'row' }, kindName[r.kind] || r.kind),
      h('td', r.reviewer.name),
      h('td', r.status === 'submitted' ? `submitted ${formatDate(r.submitted_at)}` : r.status.replace('_', ' ')),
      h('td', r.status === 'submitted' && active && !d.outcome?.released_at ? h('button.btn.btn-small', { type: 'button', 'aria-label': `Reopen ${kindName[r.kind] || r.kind} by ${r.reviewer.name}`, onclick: async () => {
        const ok = await reasonDialog(`Reopen this ${(kindName[r.kind] || r.kind).toLowerCase()}?`, `${r.reviewer.name} can change and submit it again; the answers are kept.`, 'Reopen review',
          (reason) => post(`/api/v1/reviews/${r.id}/reopen`, { reason }));
        if (ok) { flash(status, `Reopened: ${r.reviewer.name} can edit it again.`); show(p); }
      } }, 'Reopen') : '')));
    let history = null;
    if (d.outcome) {
      const hist = await get(`/api/v1/review-outcomes/${d.outcome.id}/history`).catch(() => null);
      if (hist?.versions?.length) {
        history = h('div', h('h4', 'History'), h('ul', hist.versions.map((v) => h('li', `Version ${v.version}: rating ${v.calibrated_rating ?? v.rating ?? '—'}, released ${v.released_at ? formatDate(v.released_at) : '—'}; reopened ${formatDate(v.reopened_at)}${v.reopened_by?.name ? ` by ${v.reopened_by.name}` : ''}: ${v.reason}`))));
      }
    }
    append(clear(result), [
      h('h3', d.person.name),
      h('p.muted', !d.outcome ? 'Not in this cycle.' : d.outcome.withdrawn_at ? `Removed from the cycle ${formatDate(d.outcome.withdrawn_at)}.` : d.outcome.released_at ? `Outcome released ${formatDate(d.outcome.released_at)} (version ${d.outcome.version}).` : 'In this cycle; outcome not released yet.'),
      d.reviews.length ? h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': `Reviews about ${d.person.name}` }, h('table.table',
        h('thead', h('tr', ['Review', 'Written by', 'Status', ''].map((t, i) => h('th', { scope: 'col' }, t || h('span.sr-only', i === 3 ? 'Actions' : ''))))),
        h('tbody', rows))) : null,
      history,
      actions.length ? h('div.actions', actions) : null]);
  };
  const find = async () => {
    const q = input.value.trim();
    clear(note);
    if (!q) return;
    const found = (await get(`/api/v1/people?q=${encodeURIComponent(q)}&limit=8&status=all`)).items;
    const exact = found.filter((p) => p.name.toLowerCase() === q.toLowerCase());
    const pick = exact.length === 1 ? exact : found;
    if (pick.length === 1) show(pick[0]);
    else if (!pick.length) note.textContent = `No one is called "${q}".`;
    else note.append('Several people match: ', ...pick.map((p) => h('button.btn.btn-small', { type: 'button', onclick: () => { clear(note); show(p); } }, p.name)));
  };
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); find(); } });
  const sync = active ? h('button.btn', { type: 'button', onclick: async () => {
    const s = await post(`/api/v1/review-cycles/${cycle.id}/sync`, {});
    flash(status, `${s.joined} joined, ${s.left} left, ${s.moved_to_new_manager} moved to a new manager.`);
  } }, 'Follow joiners and leavers') : null;
  return h('section.card', { 'aria-labelledby': 'cp-h' },
    h('h2', { id: 'cp-h' }, 'People in this cycle'),
    h('p.muted', 'Find a person to see the reviews about them, add a late joiner, remove a leaver or reopen a review.'),
    status,
    h('div.field', h('label', { for: 'cp-q' }, 'Person'), h('div.picker-row', input, h('button.btn', { type: 'button', onclick: find }, 'Find'))),
    note, result,
    sync ? h('div.actions', sync) : null);
}
