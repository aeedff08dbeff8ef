// Calibration as a picture (#/cycles/<id>/calibration): the performance × potential grid with
// every name reachable (a button per person, a count per box, the box scrolls), rating
// distributions as bars per department and per manager beside the company's and HR's target,
// manager leniency/severity flags with their z-score, the adjust form in place (new rating and
// a justification, both required), and the adjustments with their justification for HR and for
// the manager of the person whose rating changed. The reader's own row never appears.
import { get, patch, put } from '../lib/api.js';
import { h, clear, emptyState } from '../lib/dom.js';
import { flash } from '../lib/forms.js';

const levels = ['low', 'medium', 'high'];
const RATINGS = ['1', '2', '3', '4', '5'];
const round = (x, d = 2) => (x === null || x === undefined ? '—' : String(Math.round(x * 10 ** d) / 10 ** d));
const boxName = (perf, pot) => `${pot[0].toUpperCase()}${pot.slice(1)} potential, ${perf} performance`;

/* Shares of ratings 1..5 in a distribution {"1": n, ...}; 5 takes 5 and above. */
function shares(dist) {
  const counts = RATINGS.map((k) => Number(dist?.[k] || 0));
  for (const [k, v] of Object.entries(dist || {})) if (Number(k) > 5) counts[4] += v;
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total ? (c / total) * 100 : 0));
}

/* One group's distribution as five vertical bars with the percentages in words. */
function distChart(label, pct, extra = '') {
  return h('figure.dist', h('figcaption', h('strong', label), extra ? h('span.muted', ` ${extra}`) : null),
    h('div.dist-bars', { role: 'img', 'aria-label': `${label}: ${RATINGS.map((r, i) => `rating ${r} ${Math.round(pct[i])}%`).join(', ')}` },
      RATINGS.map((r, i) => {
        const bar = h('span.dist-bar');
        bar.style.height = `${Math.max(pct[i], 1)}%`;
        return h('span.dist-col', h('span.dist-pct', `${Math.round(pct[i])}%`), h('span.dist-track', bar), h('span.dist-label', r));
      })));
}

function adjustPanel(person, cal, reload) {
  const err = h('div.alert', { role: 'alert', hidden: true });
  const rating = h('input', { id: 'adj-rating', type: 'number', min: 1, max: 5, step: 0.5, required: true, 'aria-required': 'true', value: person.rating ?? '' });
  const potential = h('select', { id: 'adj-potential' }, h('option', { value: '' }, 'unchanged'),
    [['1', 'low'], ['2', 'medium'], ['3', 'high']].map(([v, l]) => h('option', { value: v, selected: String(person.potential) === v }, l)));
  const why = h('textarea', { id: 'adj-why', rows: 3, required: true, 'aria-required': 'true' });
  const form = h('form.adjust', { 'aria-labelledby': 'adj-h', novalidate: true },
    h('h3', { id: 'adj-h' }, `Adjust ${person.name}`),
    h('p.muted', `Rating now ${round(person.rating, 1)}${person.calibrated ? ' (calibrated)' : ''} · potential ${person.potential ? levels[person.potential - 1] : 'not set'}`),
    h('div.field', h('label', { for: 'adj-rating' }, 'New rating (1 to 5, required)'), rating),
    h('div.field', h('label', { for: 'adj-potential' }, 'Potential'), potential),
    h('div.field', h('label', { for: 'adj-why' }, 'Justification (required; shown to their manager)'), why), err,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Save calibration')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const text = why.value.trim();
    const value = Number(rating.value);
    const problems = [];
    if (!rating.value || value < 1 || value > 5) problems.push('Give a new rating from 1 to 5.');
    if (text.length < 10) problems.push('Explain the change in a sentence: the justification is required.');
    if (problems.length) { err.textContent = problems.join(' '); err.hidden = false; (problems.length && !rating.value ? rating : why).focus(); return; }
    const body = { calibrated_rating: value, justification: text };
    if (potential.value) body.potential = Number(potential.value);
    try {
      await patch(`/api/v1/review-outcomes/${person.outcome_id}`, body);
      await reload();
      flash(document.querySelector('main'), `${person.name}: rating ${value} saved.`);
    } catch (ex) {
      err.textContent = ex.fields ? Object.entries(ex.fields).map(([k, v]) => `${k.replace('_', ' ')} ${v}`).join('; ') : ex.message;
      err.hidden = false;
    }
  });
  return form;
}

function nineBox(cal, onPick) {
  const cell = (perf, pot) => cal.nine_box.cells.find((c) => c.performance === perf && c.potential === pot);
  const person = (p) => h('li', h('button.box-name', { type: 'button', onclick: (e) => onPick(p, e.currentTarget) }, p.name));
  const boxes = [...levels].reverse().flatMap((pot) => levels.map((perf) => {
    const c = cell(perf, pot);
    const id = `box-${perf}-${pot}`;
    return h(`section.box.box-${perf}-${pot}`, { 'aria-labelledby': id },
      h('h3.box-head', { id }, h('span', boxName(perf, pot)), h('span.box-count', { 'aria-label': `${c.count} ${c.count === 1 ? 'person' : 'people'}` }, String(c.count))),
      c.people.length ? h('ul.box-people', { tabindex: c.people.length > 6 ? '0' : null, 'aria-label': `People in ${boxName(perf, pot)}` }, c.people.map(person)) : h('p.muted.box-empty', 'Nobody'),
      c.count > c.people.length ? h('p.muted', `and ${c.count - c.people.length} more`) : null);
  }));
  return h('section.card', { 'aria-labelledby': 'nine-box-h' },
    h('h2', { id: 'nine-box-h' }, 'Performance × potential'),
    h('p.muted', 'High potential on top, high performance on the right. Choose a name to see and adjust their rating.'),
    h('div.nine-box-wrap', h('span.axis-y', { 'aria-hidden': 'true' }, 'Potential ↑'),
      h('div.nine-box', boxes), h('span.axis-x', { 'aria-hidden': 'true' }, 'Performance →')),
    cal.nine_box.unassessed ? h('div.unassessed', h('h3', `Without both a rating and a potential (${cal.nine_box.unassessed})`),
      h('ul.box-people.inline', cal.nine_box.unassessed_people.map(person))) : null);
}

function targetForm(cycleId, target, reload) {
  const inputs = RATINGS.map((r) => h('input', { id: `target-${r}`, type: 'number', min: 0, max: 100, step: 1, value: target?.[r] ?? '', 'data-field': 'distribution' }));
  const err = h('div.alert', { role: 'alert', hidden: true });
  const form = h('form.target-form', { 'aria-labelledby': 'target-h' },
    h('h3', { id: 'target-h' }, 'Target distribution (%)'),
    h('div.target-inputs', RATINGS.map((r, i) => h('div.field', h('label', { for: `target-${r}` }, `Rating ${r}`), inputs[i]))), err,
    h('div.actions', h('button.btn', { type: 'submit' }, 'Save target'),
      target ? h('button.btn.btn-quiet', { type: 'button', onclick: async () => { await put(`/api/v1/review-cycles/${cycleId}/calibration/target`, { distribution: null }); reload(); } }, 'Remove target') : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const distribution = Object.fromEntries(RATINGS.map((r, i) => [r, Number(inputs[i].value || 0)]));
    const sum = Object.values(distribution).reduce((a, b) => a + b, 0);
    if (Math.abs(sum - 100) > 0.5) { err.textContent = `The percentages add up to ${sum}; they must add up to 100.`; err.hidden = false; inputs[0].focus(); return; }
    try { await put(`/api/v1/review-cycles/${cycleId}/calibration/target`, { distribution }); await reload(); } catch (ex) { err.textContent = ex.fields?.distribution || ex.message; err.hidden = false; }
  });
  return form;
}

function distributions(cal, isHr, cycleId, reload) {
  const charts = [];
  if (cal.company) charts.push(distChart('Company', shares(cal.company.distribution), `${cal.company.count} ratings · average ${round(cal.company.average)}`));
  if (cal.target) charts.push(distChart('Target', RATINGS.map((r) => Number(cal.target[r] || 0)), 'set by HR'));
  const group = (title, groups, key) => h('div.dist-group', h('h3', title), h('div.dist-grid', groups.map((g) =>
    distChart(g[key]?.name || (key === 'manager' ? 'No manager' : 'No department'), shares(g.distribution), `${g.count} · avg ${round(g.average)}`))));
  return h('section.card', { 'aria-labelledby': 'dist-h' }, h('h2', { id: 'dist-h' }, 'Rating distributions'),
    h('div.dist-grid.dist-main', charts),
    isHr && cal.can_adjust ? targetForm(cycleId, cal.target, reload) : null,
    group('By department', cal.by_department, 'department'),
    group(cal.by_manager_total > cal.by_manager.length ? `By manager (the ${cal.by_manager.length} largest of ${cal.by_manager_total})` : 'By manager', cal.by_manager, 'manager'));
}

function flagsCard(cal) {
  const f = cal.flags;
  return h('section.card', { 'aria-labelledby': 'flags-h' }, h('h2', { id: 'flags-h' }, 'Manager leniency and severity'),
    h('p.muted', `z = (manager's mean − company mean) ÷ (company standard deviation ÷ √ratings). Flagged at |z| ≥ ${f.z_threshold} with at least ${f.min_ratings} ratings.`),
    f.managers_total > f.managers.length ? h('p', `The ${f.managers.length} most telling of ${f.managers_total} managers: those flagged first, then the largest |z|.`) : null,
    f.managers.length ? h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Manager flags' }, h('table.table',
      h('thead', h('tr', ['Manager', 'Ratings', 'Average', 'z', 'Flag'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', f.managers.map((m) => h('tr', h('th', { scope: 'row' }, m.manager.name), h('td', String(m.count)), h('td', round(m.average)),
        h('td', m.z === null ? 'too few' : round(m.z)),
        h('td', m.flag ? h(`span.badge.flag-${m.flag}`, m.flag === 'lenient' ? 'Lenient' : 'Severe') : h('span.muted', '—'))))))) : h('p.muted', 'No manager has rated anyone yet.'));
}

function adjustmentsCard(cal) {
  return h('section.card', { 'aria-labelledby': 'adjusted-h' }, h('h2', { id: 'adjusted-h' }, 'Calibrated ratings'),
    cal.adjustments.length ? h('ul.adjusted', cal.adjustments.map((a) => h('li',
      h('strong', a.person.name), `: ${round(a.rating, 1)} → ${round(a.calibrated_rating, 1)}`,
      a.justification ? h('blockquote', a.justification) : null)))
      : h('p.muted', 'No rating has been changed in calibration.'));
}

export async function render(main, { match }, ctx) {
  const id = match[1];
  const isHr = ['hr', 'admin'].includes(ctx.me.role);
  const reload = () => render(main, { match }, ctx);
  const [cal, cycles] = await Promise.all([
    get(`/api/v1/review-cycles/${id}/calibration`).catch((e) => { if (e.status === 403 || e.status === 404) return null; throw e; }),
    get('/api/v1/review-cycles').then((x) => x.items).catch(() => [])]);
  const cycle = cycles.find((c) => String(c.id) === String(id));
  const head = h('div.page-head', h('h1', `Calibration${cycle ? `: ${cycle.name}` : ''}`),
    isHr ? h('a.btn', { href: `#/reviews?tab=cycle&cycle=${id}` }, 'Cycle progress') : null);
  if (!cal) { clear(main).append(head, emptyState('Nothing to calibrate', 'Calibration is for HR and for the managers above the people of a cycle.')); return; }
  const panel = h('aside.card.adjust-panel', { 'aria-live': 'polite' },
    h('p.muted', cal.can_adjust ? 'Choose a name in the grid to adjust their rating.' : 'Choose a name in the grid to see their rating.'));
  const pick = (p) => {
    clear(panel);
    if (cal.can_adjust) panel.append(adjustPanel(p, cal, reload));
    else panel.append(h('h3', p.name), h('p', `Rating ${round(p.rating, 1)}${p.calibrated ? ' (calibrated)' : ''} · potential ${p.potential ? levels[p.potential - 1] : 'not set'}`));
    panel.querySelector('input, h3')?.focus();
  };
  clear(main).append(head,
    h('p.muted', `${cal.outcomes} ${cal.outcomes === 1 ? 'person' : 'people'} in this view${isHr ? '' : ' (your organisation)'}. Your own review is never shown here.`),
    h('div.calibration-layout', nineBox(cal, pick), panel),
    distributions(cal, isHr, id, reload),
    flagsCard(cal),
    adjustmentsCard(cal));
}
