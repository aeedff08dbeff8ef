// One goal: progress and roll-up, key results, the check-in form, and progress over time.
import { get, post } from '../lib/api.js';
import { h, clear, emptyState, formatDateTime } from '../lib/dom.js';
import { bar, chart, pct } from '../lib/progress.js';
import { statusBadge } from './goals.js';

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
  const canCheckIn = g.owner_id === ctx.me.person.id || ctx.me.person.reports?.some((r) => r.id === g.owner_id) || ctx.me.is_manager;
  const err = h('div.alert', { role: 'alert', hidden: true });
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
      main.querySelector('#progress-h')?.focus();
    } catch (ex) {
      err.textContent = Object.keys(ex.fields || {}).length ? Object.entries(ex.fields).map(([k, v]) => `${k}: ${v}`).join('; ') : ex.message;
      err.hidden = false;
    }
  });
  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'Goals' }, h('ol', h('li', h('a', { href: '#/goals' }, 'Goals')), g.parent_id ? h('li', h('a', { href: `#/goals/${g.parent_id}` }, 'Aligned to')) : null, h('li', { 'aria-current': 'page' }, g.title))),
    h('div.card.goal-head',
      h('div', h('h1', g.title), g.description ? h('p', g.description) : null,
        h('p.muted', [`Owner: ${g.owner.name}`, `${g.start_date} → ${g.due_date}`, `${g.level} · ${g.kind} · ${g.visibility}`].join(' · '))),
      statusBadge(g.status)),
    h('section.card', { 'aria-labelledby': 'progress-h' },
      h('h2', { id: 'progress-h', tabindex: '-1' }, 'Progress'),
      h('div.progress-big', bar(g.progress, 'Goal progress')),
      g.rollup_progress !== null ? h('p.muted', `Aligned goals (${g.children_count}): ${pct(g.rollup_progress)} `, bar(g.rollup_progress, 'Roll-up of aligned goals', 'bar-rollup')) : null,
      g.key_results.length ? h('ul.kr-list', g.key_results.map((k) => h('li',
        h('span.kr-title', k.title),
        h('span.muted', k.type === 'milestone' ? (k.done ? 'Done' : 'Not yet') : `${k.start} → ${k.target}${k.unit ? ' ' + k.unit : ''}, now ${k.current}`),
        bar(k.progress, `Progress of ${k.title}`)))) : h('p.muted', 'No key results: progress follows the status.')),
    h('section.card', { 'aria-labelledby': 'hist-h' },
      h('h2', { id: 'hist-h' }, 'Progress over time'),
      history.length ? chart(history, `Progress of ${g.title} over time`) : h('p.muted', 'No check-ins yet.'),
      history.length ? h('ol.checkins', [...history].reverse().map((c) => h('li',
        h('span.muted', formatDateTime(c.created_at)), ' ', h('strong', c.author.name), ` — ${pct(c.progress)}`,
        c.status ? ` · ${c.status.replace('_', ' ')}` : '', ` · confidence ${c.confidence}/5`,
        c.comment ? h('div', c.comment) : null))) : null),
    canCheckIn ? form : null);
}
