// The audit log for HR and admins, in words: "Priya Raman changed Sofia Alvarez's manager from
// Marcus Webb to Ana Ruiz", with filters by actor, person, kind and date. Images the reader may
// not see arrive as null from the server (redacted) and are said to be hidden.
import { get, qs } from '../lib/api.js';
import { h, clear, emptyState, errorState, loading, formatDateTime, formatDate } from '../lib/dom.js';
import { personPicker } from './admin_people.js';

const KINDS = [['', 'Everything'], ['person', 'People records'], ['people', 'People imports'], ['account', 'Accounts and roles'],
  ['session', 'Sign-ins'], ['token', 'API tokens'], ['goal', 'Goals'], ['review', 'Reviews'], ['review_cycle', 'Review cycles'],
  ['review_outcome', 'Review outcomes'], ['feedback', 'Feedback'], ['case', 'Promotion cases'], ['idp', 'Development plans']];
const ROLE = { employee: 'Employee', hr: 'HR', admin: 'Administrator' };
const FIELD = { manager_id: 'manager', department_id: 'department', title: 'title', name: 'name', email: 'email', level: 'level', hire_date: 'hire date', status: 'status', employee_id: 'employee id' };

function diff(before, after) {
  if (!before && !after) return null;
  const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])]
    .filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after?.[k]));
  if (!keys.length) return null;
  return h('ul.diff', keys.map((k) => h('li', h('span.diff-key', k), ': ',
    before ? h('del', String(before[k] ?? '—')) : null, before ? ' → ' : null, h('ins', String(after?.[k] ?? '—')))));
}

function flattenDepts(items, out = new Map()) {
  for (const d of items) { out.set(d.id, d.name); flattenDepts(d.children || [], out); }
  return out;
}

/** One audit entry as a sentence. */
export function sentence(e, depts = new Map()) {
  const who = e.actor ? e.actor.name : e.redacted ? 'Someone' : 'The command line';
  const subj = e.subject ? e.subject.name : e.entity_id ? `${e.entity} #${e.entity_id}` : e.entity;
  const self = e.actor && e.subject && e.actor.id === e.subject.id;
  const poss = self ? 'their own' : `${subj}'s`;
  const b = e.before || {};
  const a = e.after || {};
  const val = (k, v) => {
    if (v === null || v === undefined || v === '') return 'nobody'.replace(/nobody/, k === 'manager_id' ? 'no manager' : k === 'department_id' ? 'no department' : 'nothing');
    if (k === 'manager_id') return e.names?.[v] || `person #${v}`;
    if (k === 'department_id') return depts.get(v) || `department #${v}`;
    if (k === 'hire_date') return formatDate(v);
    return `“${v}”`;
  };
  switch (e.action) {
    case 'person.update': {
      if (!e.before && !e.after) return `${who} changed ${poss} record (details hidden from you)`;
      const parts = Object.keys(FIELD).filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
        .map((k) => `${FIELD[k]} from ${val(k, b[k])} to ${val(k, a[k])}`);
      return parts.length ? `${who} changed ${poss} ${parts.join(', ')}` : `${who} saved ${poss} record without changes`;
    }
    case 'person.create': return `${who} added ${subj}`;
    case 'person.import': return `${who} imported ${subj}`;
    case 'people.import': return `${who} imported a people file`;
    case 'account.role': return `${who} changed ${poss} role from ${ROLE[b.role] || 'none'} to ${ROLE[a.role] || a.role}`;
    case 'account.invite': return `${who} invited ${subj} by email${a.expires_at ? ` (the link works until ${formatDateTime(a.expires_at)})` : ''}`;
    case 'account.invitation_accept': return `${who} chose a password from an invitation`;
    case 'account.deactivate': return `${who} deactivated ${poss} account${a.tokens_revoked ? ` and revoked ${a.tokens_revoked} API token${a.tokens_revoked === 1 ? '' : 's'}` : ''}`;
    case 'account.reactivate': return `${who} reactivated ${poss} account`;
    case 'account.password_reset': return `${who} reset ${poss} password`;
    case 'account.password_change': return `${who} changed their password`;
    case 'account.password_set': return `${who} set ${poss} password`;
    case 'account.set': return `${who} set up ${poss} account`;
    case 'session.login': return `${who} signed in`;
    case 'session.logout': return `${who} signed out`;
    case 'session.revoke': return `${who} ended a session of ${subj}`;
    case 'token.issue': return `${who} created ${self ? 'their' : `${subj}'s`} API token ${a.name ? `“${a.name}”` : ''}`.trim();
    case 'token.revoke': return `${who} revoked ${self ? 'their' : `${subj}'s`} API token ${b.name ? `“${b.name}”` : ''}`.trim();
    default: {
      const [thing, verb = 'changed'] = e.action.split('.');
      const past = { create: 'created', update: 'updated', delete: 'deleted', give: 'gave', submit: 'submitted', release: 'released', launch: 'launched', open: 'opened', decide: 'decided', close: 'closed', end: 'ended', accept: 'accepted', decline: 'declined', reopen: 'reopened', calibrate: 'calibrated', acknowledge: 'acknowledged', checkin: 'checked in on', import: 'imported', comment: 'commented on', sign_off: 'signed off', remind: 'sent reminders for', sync: 'synchronised', retry: 'retried', complete: 'completed', skip: 'skipped', move: 'moved' }[verb] || verb.replace(/_/g, ' ');
      const what = e.subject ? subj : `${thing.replace(/_/g, ' ')}${e.entity_id ? ` #${e.entity_id}` : ''}`;
      return `${who} ${past} ${thing === e.entity || e.subject ? '' : thing.replace(/_/g, ' ') + ' of '}${what}`.replace(/\s+/g, ' ');
    }
  }
}

export async function render(main, { query }, ctx) {
  if (!['hr', 'admin'].includes(ctx.me.role)) {
    clear(main).append(h('div.page-head', h('h1', 'Audit log')),
      emptyState('Not available to you', 'The audit log is for HR and administrators.', h('a.btn', { href: '#/' }, 'Go home')));
    return;
  }
  const depts = flattenDepts((await get('/api/v1/departments')).items);
  const kind = h('select', { id: 'audit-kind' }, KINDS.map(([v, l]) => h('option', { value: v }, l)));
  kind.value = query.get('kind') || '';
  const person = personPicker('audit-person', 'entity_id');
  const actor = personPicker('audit-actor', 'actor');
  const from = h('input', { id: 'audit-from', type: 'date', value: query.get('from') || '' });
  const to = h('input', { id: 'audit-to', type: 'date', value: query.get('to') || '' });
  const note = h('p.muted', { role: 'status' });
  const body = h('div');
  const filters = h('form.filters.audit-filters', { 'aria-label': 'Filter the audit log' },
    h('div.field', h('label', { for: 'audit-person' }, 'About'), person.input, person.list),
    h('div.field', h('label', { for: 'audit-actor' }, 'Done by'), actor.input, actor.list),
    h('div.field', h('label', { for: 'audit-kind' }, 'Kind'), kind),
    h('div.field', h('label', { for: 'audit-from' }, 'From'), from),
    h('div.field', h('label', { for: 'audit-to' }, 'To'), to),
    h('div.field', h('button.btn', { type: 'submit' }, 'Show')));
  clear(main).append(
    h('div.page-head', h('h1', 'Audit log'), h('p.muted', 'Every change, newest first.')),
    filters, note, body);

  function params(cursor) {
    const p = { kind: kind.value, from: from.value, to: to.value, limit: 50, cursor };
    const pid = person.id();
    if (pid) { p.entity = 'person'; p.entity_id = pid; }
    if (actor.id()) p.actor = actor.id();
    return p;
  }
  function entry(e) {
    const words = sentence(e, depts);
    const details = diff(e.before, e.after);
    return h('li.audit-entry', { 'data-action': e.action },
      h('p.audit-words', words, '.'),
      h('p.audit-meta.muted', h('time', { datetime: e.at }, formatDateTime(e.at)), ' · ', h('code', e.action),
        e.subject ? [' · ', h('a', { href: `#/people/${e.subject.id}` }, e.subject.name)] : null,
        e.redacted ? ' · some details are hidden from you' : null),
      details ? h('details', h('summary', 'Fields before and after'), details) : null);
  }
  async function load() {
    note.textContent = '';
    if ((person.input.value.trim() && !person.id()) || (actor.input.value.trim() && !actor.id())) {
      note.textContent = 'Pick a person from the suggestions, or clear the field.';
      return;
    }
    clear(body).append(loading());
    try {
      const page = await get('/api/v1/audit' + qs(params()));
      clear(body);
      if (!page.items.length) { body.append(emptyState('No entries', 'Nothing has been recorded for this filter.')); return; }
      const list = h('ol.audit-list.card', { 'aria-label': 'Audit entries' }, page.items.map(entry));
      body.append(list);
      let cursor = page.next_cursor;
      if (cursor) {
        const more = h('button.btn.load-more', { type: 'button' }, 'Load more');
        more.addEventListener('click', async () => {
          const next = await get('/api/v1/audit' + qs(params(cursor)));
          list.append(...next.items.map(entry));
          cursor = next.next_cursor;
          if (!cursor) more.remove();
        });
        body.append(more);
      }
    } catch (e) { clear(body).append(errorState(e, load)); }
  }
  filters.addEventListener('submit', (e) => { e.preventDefault(); load(); });
  kind.addEventListener('change', load);
  await load();
}
