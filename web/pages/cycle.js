// One review cycle for HR: how far it has got (counts by kind with bars, by department, by
// manager, the overdue list), a reminder to those behind, and the release behind a confirmation
// that says how many outcomes go out; when the server's guard refuses, its counts and an
// override that needs a reason (recorded in the audit log).
import { get, post } from '../lib/api.js';
import { h, clear, emptyState, formatDate, formatDateTime } from '../lib/dom.js';
import { confirmDialog, flash } from '../lib/forms.js';
import { peopleCard } from './cycle_people.js';

const kindLabel = { self: 'Self-reviews', manager: 'Manager reviews', peer: 'Peer feedback', upward: 'Upward feedback' };
const states = [['submitted', 'submitted'], ['in_progress', 'in progress'], ['not_started', 'not started']];
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/* One bar split into submitted / in progress / not started, with the numbers in words. */
function stackBar(c, label) {
  const track = h('span.stack', { role: 'img', 'aria-label': `${label}: ${states.map(([k, w]) => `${c[k]} ${w}`).join(', ')}` });
  for (const [k] of states) {
    const seg = h(`span.stack-${k}`);
    seg.style.width = `${c.total ? (c[k] / c.total) * 100 : 0}%`;
    track.append(seg);
  }
  return track;
}

function kindsOf(p) {
  return Object.keys(kindLabel).filter((k) => p.overall[k]?.total);
}

function overallCard(p) {
  const kinds = kindsOf(p);
  return h('section.card', h('h2', 'Progress'),
    kinds.length ? h('ul.progress-kinds', kinds.map((k) => {
      const c = p.overall[k];
      return h('li',
        h('div.progress-kind-head', h('strong', kindLabel[k]), h('span.muted', `${c.submitted} of ${c.total} submitted`)),
        stackBar(c, kindLabel[k]),
        h('p.progress-legend', states.map(([s, w]) => h(`span.legend-${s}`, `${c[s]} ${w}`))));
    })) : h('p.muted', 'This cycle has no reviews yet.'));
}

/* Department or manager groups: one row each, a cell per kind with "submitted / total". */
function groupTable(title, groups, key, kinds) {
  const cell = (c) => (c.total ? `${c.submitted} / ${c.total}${c.in_progress ? ` (${c.in_progress} in progress)` : ''}` : '—');
  return h('section.card', h('h2', title), h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': title }, h('table.table.cycle-table',
    h('thead', h('tr', h('th', { scope: 'col' }, key === 'department' ? 'Department' : 'Manager'), kinds.map((k) => h('th', { scope: 'col' }, kindLabel[k])))),
    h('tbody', groups.map((g) => h('tr', h('th', { scope: 'row' }, g[key]?.name || (key === 'manager' ? 'No manager' : 'No department')),
      kinds.map((k) => h('td', cell(g.counts[k])))))))));
}

function overdueCard(p) {
  const kindName = { self: 'self-review', manager: 'manager review', peer: 'peer feedback', upward: 'upward feedback' };
  return h('section.card', h('h2', `Overdue (${p.overdue.length})`),
    p.overdue.length
      ? h('ul.overdue-list', p.overdue.map((o) => h('li',
        h('span.overdue-who', h('strong', o.reviewer.name), o.kind === 'self' ? ': self-review' : `: ${kindName[o.kind] || o.kind} about ${o.reviewee.name}`),
        h('span.muted', `due ${formatDate(o.deadline)} · ${o.status.replace('_', ' ')}`))))
      : h('p.muted', 'Nothing is past its deadline.'));
}

/* What the guard found, in words. */
function countsList(k, calibrationDue) {
  return h('ul.guard-counts',
    k.manager_reviews_not_submitted ? h('li', `${plural(k.manager_reviews_not_submitted, 'manager review')} not submitted`) : null,
    k.calibration_incomplete ? h('li', `${plural(k.calibration_incomplete, 'outcome')} without a rating yet (calibration incomplete)`) : null,
    k.calibration_open ? h('li', `Calibration runs until ${calibrationDue ? formatDate(calibrationDue) : 'its deadline'}`) : null);
}

/* The refusal: the counts and an override with a required reason. Resolves true once released. */
function overrideDialog(cycle, ex) {
  return new Promise((resolve) => {
    const k = ex.counts || {};
    const reason = h('textarea', { id: 'override-reason', rows: 3, 'data-field': 'reason', 'aria-required': 'true' });
    const err = h('p.field-error', { id: 'override-error', hidden: true });
    const yes = h('button.btn.btn-danger', { type: 'submit' }, 'Release anyway');
    const no = h('button.btn', { type: 'button' }, 'Cancel');
    const form = h('form',
      h('div.field', h('label', { for: 'override-reason' }, 'Reason for releasing now (required; recorded in the audit log)'), reason, err),
      h('div.actions', no, yes));
    const dlg = h('dialog.confirm', { 'aria-labelledby': 'override-h' },
      h('h2', { id: 'override-h' }, 'This cycle is not complete'),
      h('p', `${plural(k.to_release ?? 0, 'outcome')} would be released while:`),
      countsList(k, cycle.deadlines?.calibration), form);
    const done = (v) => { dlg.close(); dlg.remove(); resolve(v); };
    no.addEventListener('click', () => done(false));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      err.hidden = true;
      reason.removeAttribute('aria-invalid');
      const text = reason.value.trim();
      if (text.length < 10) {
        err.textContent = 'Explain in a sentence why the outcomes go out now.';
        err.hidden = false;
        reason.setAttribute('aria-invalid', 'true');
        reason.setAttribute('aria-describedby', 'override-error');
        reason.focus();
        return;
      }
      yes.disabled = true;
      try {
        await post(`/api/v1/review-cycles/${cycle.id}/release`, { override: true, reason: text });
        done(true);
      } catch (ex2) {
        err.textContent = ex2.fields?.reason ? `The reason ${ex2.fields.reason}` : ex2.message;
        err.hidden = false;
        yes.disabled = false;
      }
    });
    document.body.append(dlg);
    dlg.showModal();
    reason.focus();
  });
}

/** Release with a confirmation stating how many outcomes go out; on the guard's refusal, the
 * counts and the override. Resolves true once released. */
export async function releaseFlow(cycle, toRelease) {
  const n = toRelease ?? (await get(`/api/v1/review-cycles/${cycle.id}/progress`)).outcomes.to_release;
  const ok = await confirmDialog('Release outcomes?', `${plural(n, 'outcome')} will be released to ${n === 1 ? 'its employee' : 'employees'}, who can then read ${n === 1 ? 'it' : 'them'}. Released outcomes are only changed by reopening them one by one.`, `Release ${plural(n, 'outcome')}`);
  if (!ok) return false;
  try {
    await post(`/api/v1/review-cycles/${cycle.id}/release`, {});
    return true;
  } catch (ex) {
    if (ex.code !== 'release_incomplete') throw ex;
    return overrideDialog(cycle, ex);
  }
}

/* A large cycle's launch still writing its reviews: how far it got; once no range was written
 * for two minutes (its server stopped), a button finishes it. */
async function launchCard(id, status, reload) {
  const d = await get(`/api/v1/review-cycles/${id}`);
  const lp = d.launch_progress || { participants: 0, enrolled: 0, assignments: 0 };
  const stalled = lp.last_written_at && Date.now() - Date.parse(lp.last_written_at) > 120000;
  const finish = h('button.btn.btn-primary', { type: 'button', onclick: async () => {
    finish.disabled = true;
    try {
      const r = await post(`/api/v1/review-cycles/${id}/launch`, {});
      sessionStorage.setItem('trellis-flash', `Launch finished: ${plural(r.assignments, 'review')} in all.`);
      await reload();
    } catch (ex) { finish.disabled = false; flash(status, ex.message); }
  } }, 'Finish the launch');
  return h('section.card.launch-note', { 'aria-labelledby': 'launch-h' },
    h('h2', { id: 'launch-h' }, 'Launching'),
    h('p', `${lp.enrolled} of ${plural(lp.participants, 'participant')} have their reviews so far (${plural(lp.assignments, 'review')} written). People get their reviews team by team; release and sync wait until the launch is finished.`),
    stalled ? h('p', `Nothing was written since ${formatDateTime(lp.last_written_at)}: the launch stopped part-way. Finishing it writes the reviews of everyone left, once each.`)
      : h('p.muted', 'This page shows the progress when you reload it.'),
    h('div.actions', stalled ? finish : h('button.btn', { type: 'button', onclick: () => reload() }, 'Reload')));
}

export async function cycleTab(body, id, ctx, reload) {
  const isHr = ['hr', 'admin'].includes(ctx.me.role);
  if (!isHr) { body.append(emptyState('HR runs review cycles', 'The progress of a cycle is shown to HR.')); return; }
  const [cycle, p] = await Promise.all([
    get('/api/v1/review-cycles').then((x) => x.items.find((c) => String(c.id) === String(id))),
    get(`/api/v1/review-cycles/${id}/progress`)]);
  if (!cycle) { body.append(emptyState('No such cycle', 'It may have been removed.')); return; }
  const status = h('div', { role: 'status' });
  const launching = cycle.status === 'active' && cycle.launching;
  const active = cycle.status === 'active' && !launching;
  const remind = active && p.remind.behind ? h('button.btn', { type: 'button', onclick: async () => {
    const n = p.remind.due;
    if (!n) { flash(status, `Everyone behind was reminded within the last hour (${plural(p.remind.behind, 'reviewer')}).`); return; }
    if (!(await confirmDialog('Send reminders?', `${plural(n, 'reviewer')} with unsubmitted reviews will get a reminder${p.remind.behind > n ? ` (${p.remind.behind - n} reminded within the last hour are skipped)` : ''}.`, `Remind ${plural(n, 'reviewer')}`))) return;
    const r = await post(`/api/v1/review-cycles/${id}/remind`, {});
    await reload();
    flash(document.querySelector('main') || body, `${plural(r.reminded, 'reviewer')} reminded.`);
  } }, 'Remind those behind') : null;
  const release = active ? h('button.btn.btn-primary', { type: 'button', onclick: async () => {
    try {
      if (await releaseFlow(cycle, p.outcomes.to_release)) { await reload(); flash(document.querySelector('main') || body, 'Outcomes released.'); }
    } catch (ex) { flash(status, ex.message); }
  } }, 'Release outcomes') : null;
  const launchNote = launching ? await launchCard(id, status, reload) : null;
  const kinds = kindsOf(p);
  const pending = sessionStorage.getItem('trellis-flash');
  sessionStorage.removeItem('trellis-flash');
  if (pending) setTimeout(() => flash(status, pending));
  clear(body).append(
    h('section.card.cycle-head',
      h('div', h('h2', cycle.name), h('p.muted', `${cycle.period_start} → ${cycle.period_end} · phase: ${p.phase.replace('_', ' ')} · ${cycle.status}`),
        h('p', `${plural(p.outcomes.released, 'outcome')} released, ${p.outcomes.to_release} to release${p.outcomes.withdrawn ? `, ${p.outcomes.withdrawn} withdrawn` : ''}.`),
        active && (p.release.manager_reviews_not_submitted || p.release.calibration_incomplete || p.release.calibration_open)
          ? h('div.guard-note', h('p', 'Not ready to release:'), countsList(p.release, cycle.deadlines?.calibration)) : null),
      h('div.actions', remind, release, h('a.btn', { href: `#/cycles/${cycle.id}/calibration` }, 'Calibration'))),
    status,
    launchNote,
    overallCard(p),
    overdueCard(p),
    kinds.length ? groupTable('By department', p.by_department, 'department', kinds) : null,
    kinds.length ? groupTable('By manager', p.by_manager, 'manager', kinds) : null,
    peopleCard(cycle));
}
