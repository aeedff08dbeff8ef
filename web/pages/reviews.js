// Reviews: what I have to write, my released outcomes (with the anonymous peer summary and the
// acknowledgement), and for HR the cycles with launch, progress, calibration and release.
import { get, post, qs } from '../lib/api.js';
import { h, clear, emptyState, formatDate } from '../lib/dom.js';
import { confirmDialog, flash } from '../lib/forms.js';
import { peersTab, casesTab, historyBlock } from './review_more.js';
import { cycleTab, releaseFlow } from './cycle.js';
import { launchFlow } from './cycle_setup.js';

const kindLabel = { self: 'Self-review', manager: 'Manager review', peer: 'Peer feedback', upward: 'Upward feedback' };

function assignment(r) {
  return h('li.goal-card',
    h('div.goal-main',
      h('a.goal-title', { href: `#/reviews/${r.id}` }, `${kindLabel[r.kind] || r.kind}: ${r.reviewee.name}`),
      h('span.goal-meta', [r.cycle_name, r.submitted_at ? `Submitted ${formatDate(r.submitted_at)}` : r.due_date ? `Due ${formatDate(r.due_date)}` : 'Not submitted yet'].filter(Boolean).join(' · '))),
    h(`span.badge.status-${r.status === 'submitted' ? 'done' : 'at_risk'}`, r.status));
}

/* The anonymous aggregate of peer or upward answers: never a name for the reviewee. */
function summaryBlock(title, s) {
  if (!s) return null;
  return [h('h4', title),
    s.below_threshold
      ? h('p.muted', `Too few responses to show (${s.responses}); answers stay anonymous.`)
      : h('ul.kr-list', s.questions.map((q) => h('li', h('span.kr-title', q.text || 'Question'),
        h('span.muted', q.average !== null ? `average ${Math.round(q.average * 10) / 10}${q.scale ? ` of ${q.scale}` : ''}` : ''),
        q.comments.length ? h('ul', q.comments.map((c) => h('li', c))) : null)))];
}

/* The released manager review, by question text with the scale and its labels. */
function managerReviewBlock(r, summaryShown) {
  if (!r) return null;
  return [h('h4', `Manager review by ${r.reviewer.name}`),
    // the summary question is the manager summary shown above: not twice
    h('dl.self-answers', r.questions.filter((q) => q.type !== 'goals' && !(summaryShown && q.id === 'summary')).map((q) => {
      const v = r.answers[q.id];
      const shown = v === undefined || v === null || v === '' ? 'No answer'
        : typeof v === 'number' ? `${v} of ${q.scale || 5}${q.labels?.[v - 1] ? ` — ${q.labels[v - 1]}` : ''}` : v;
      return [h('dt', `${q.competency ? `${q.competency}: ` : ''}${q.text}`), h('dd', shown)];
    }))];
}

function outcomeCard(o, ctx, reload, cycleNames = {}) {
  const err = h('div.alert', { role: 'alert', hidden: true });
  let ack = null;
  if (!o.acknowledged_at && o.person_id === ctx.me.person.id) {
    const comment = h('textarea', { id: `ack-${o.id}`, rows: 3, maxlength: '5000' });
    ack = h('form.answer', h('label', { for: `ack-${o.id}` }, 'Your comments for your manager (optional)'), comment, err,
      h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Acknowledge')));
    ack.addEventListener('submit', async (e) => {
      e.preventDefault();
      const text = comment.value.trim();
      if (!await confirmDialog('Acknowledge this outcome?', `Your manager is told${text ? ' and reads your response' : ''}. This cannot be undone or edited.`, 'Acknowledge')) return;
      try {
        await post(`/api/v1/review-outcomes/${o.id}/acknowledge`, { comment: text || null });
        await reload();
        const main = document.querySelector('main');
        if (main) flash(main, 'Acknowledged. Your manager has been told.');
      } catch (ex) { err.textContent = ex.message; err.hidden = false; }
    });
  }
  return h('li.card.fb-card',
    h('h3', cycleNames[o.cycle_id] || `Review cycle ${o.cycle_id}`),
    h('p', h('strong', 'Rating: '), o.calibrated_rating ?? o.rating ?? '—'),
    o.manager_summary ? h('p', h('strong', 'Manager summary: '), o.manager_summary) : null,
    managerReviewBlock(o.manager_review, Boolean(o.manager_summary)),
    summaryBlock('Peer feedback', o.peer_summary),
    summaryBlock('Feedback from your reports', o.upward_summary?.responses ? o.upward_summary : null),
    historyBlock(o),
    o.acknowledged_at ? h('p.muted', `Acknowledged ${formatDate(o.acknowledged_at)}${o.employee_comment ? ': ' + o.employee_comment : ''}`) : ack);
}

async function cyclesTab(body, reload) {
  const cycles = (await get('/api/v1/review-cycles')).items;
  const note = h('div', { role: 'status' });
  body.append(h('div.actions.cycles-actions', h('a.btn.btn-primary', { href: '#/cycles/new' }, 'New cycle'), h('a.btn', { href: '#/templates' }, 'Review templates')), note);
  if (!cycles.length) { body.append(emptyState('No review cycles yet', 'Set up a cycle: who takes part, the templates per role and the deadlines.')); return; }
  const launch = async (c) => {
    try {
      const r = await launchFlow(c);
      if (r) { sessionStorage.setItem('trellis-flash', `Launched: ${r.assignments} review${r.assignments === 1 ? '' : 's'} created.`); location.hash = `#/reviews?tab=cycle&cycle=${c.id}`; }
    } catch (ex) { note.textContent = ex.fields?.participants ? 'Nobody takes part in this cycle yet: set up its participants first.' : ex.message; note.className = 'alert'; }
  };
  body.append(h('ul.goal-list', cycles.map((c) => h('li.goal-card',
    h('div.goal-main', h('a.goal-title', { href: `#/reviews?tab=cycle&cycle=${c.id}` }, c.name), h('span.goal-meta', `${c.period_start} → ${c.period_end} · anonymity threshold ${c.threshold} · phase: ${c.phase.replace('_', ' ')}`),
      h('span.goal-meta', Object.entries(c.deadlines).filter(([, d]) => d).map(([k, d]) => `${k} by ${d}`).join(' · ')),
      h('div.actions',
        c.status === 'active' ? h('button.btn', { type: 'button', onclick: async () => { const s = await post(`/api/v1/review-cycles/${c.id}/sync`, {}); alertSync(s); reload(); } }, 'Follow joiners and leavers') : null,
        c.status === 'draft' ? h('a.btn', { href: `#/cycles/${c.id}/edit` }, 'Set up') : null,
        c.status === 'draft' ? h('button.btn', { type: 'button', onclick: () => launch(c) }, 'Launch…') : null,
        c.status !== 'draft' ? h('a.btn', { href: `#/reviews?tab=cycle&cycle=${c.id}` }, 'Progress') : null,
        c.status === 'active' ? h('button.btn', { type: 'button', onclick: async () => { if (await releaseFlow(c)) reload(); } }, 'Release outcomes') : null,
        c.status !== 'draft' ? h('a.btn', { href: `#/cycles/${c.id}/calibration` }, 'Calibration') : null)),
    h('span.badge', c.status)))));
}

function alertSync(s) {
  document.querySelector('#sync-status')?.remove();
  document.querySelector('main')?.prepend(h('p.alert.alert-info', { id: 'sync-status', role: 'status' }, `${s.joined} joined, ${s.left} left, ${s.moved_to_new_manager} moved to a new manager.`));
}

/* The running cycles a manager can calibrate (their organisation's 9-box and distributions). */
async function managerCalibration(ctx) {
  const reports = (await get(`/api/v1/people?manager=${ctx.me.person.id}&limit=1`)).items;
  if (!reports.length) return [];
  return (await get('/api/v1/review-cycles')).items.filter((c) => c.status === 'active');
}

export async function render(main, { query }, ctx) {
  const isHr = ['hr', 'admin'].includes(ctx.me.role);
  const tab = query.get('tab') || 'write';
  const tabs = [['write', 'To write'], ['peers', 'Peers'], ['outcomes', 'My outcomes'], ['cases', 'Cases'], isHr ? ['cycles', 'Cycles'] : null].filter(Boolean);
  const body = h('div');
  const reload = () => render(main, { query }, ctx);
  clear(main).append(h('div.page-head', h('h1', 'Reviews')),
    h('nav.tabs', { 'aria-label': 'Review views' }, tabs.map(([k, label]) => h('a.tab', { href: `#/reviews?tab=${k}`, 'aria-current': k === tab || (k === 'cycles' && tab === 'cycle') ? 'page' : null }, label))),
    body);
  if (tab === 'cycles' && isHr) return cyclesTab(body, reload);
  if (tab === 'cycle' && query.get('cycle')) return cycleTab(body, query.get('cycle'), ctx, reload);
  if (tab === 'calibration' && query.get('cycle')) { location.replace(`#/cycles/${query.get('cycle')}/calibration`); return; }
  if (tab === 'peers') return peersTab(body, ctx, reload);
  if (tab === 'cases') return casesTab(body, ctx, reload);
  if (tab === 'outcomes') {
    const [items, cycles] = await Promise.all([get('/api/v1/review-outcomes').then((x) => x.items), get('/api/v1/review-cycles').then((x) => x.items)]);
    const names = Object.fromEntries(cycles.map((c) => [c.id, c.name]));
    body.append(items.length ? h('ul.fb-list', items.map((o) => outcomeCard(o, ctx, reload, names))) : emptyState('No released outcomes', 'Your review outcome appears here once HR releases it.'));
    return;
  }
  const [items, calib] = await Promise.all([get('/api/v1/reviews').then((x) => x.items), isHr ? [] : managerCalibration(ctx)]);
  body.append(items.length ? h('ul.goal-list', items.map(assignment)) : emptyState('Nothing to write', 'When a review cycle starts, your reviews appear here.'));
  if (calib.length) body.append(h('section.card', { 'aria-labelledby': 'calib-h' }, h('h2', { id: 'calib-h' }, 'Calibration of your organisation'), h('ul', calib.map((c) => h('li', h('a', { href: `#/cycles/${c.id}/calibration` }, c.name))))));
  void qs;
}
