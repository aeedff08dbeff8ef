// HR analytics (#/analytics, HR and admins): one card per company report with a bar chart, the
// figures as a table and a CSV download. Groups below the anonymity threshold are left out by
// the server and said so here; private goals and feedback are not counted.
import { get } from '../lib/api.js';
import { h, clear, emptyState } from '../lib/dom.js';

const pct = (x) => `${Math.round((x || 0) * 100)}%`;
const REPORTS = [
  { path: 'completion', label: (r) => `${r.cycle} · ${r.kind}`, value: (r) => r.share_submitted, text: (r) => `${r.submitted} of ${r.total} submitted (${pct(r.share_submitted)})` },
  { path: 'ratings', label: (r) => r.cycle, value: (r) => (r.average || 0) / 5, text: (r) => `average ${Math.round(r.average * 100) / 100} of ${r.rated} · 1: ${r.r1} · 2: ${r.r2} · 3: ${r.r3} · 4: ${r.r4} · 5: ${r.r5}` },
  { path: 'goals', label: (r) => `${r.group} (${r.group_by})`, value: (r) => r.share_done, text: (r) => `${pct(r.share_done)} done · ${r.goals} goals of ${r.people} people` },
  { path: 'promotions', label: (r) => `${r.group} (${r.group_by})`, value: (r) => r.promotion_rate, text: (r) => `${pct(r.promotion_rate)} promoted · median ${r.median_months_in_level ?? '—'} months in level` },
  { path: 'idps', label: (r) => `${r.group} (${r.group_by})`, value: (r) => r.coverage, text: (r) => `${pct(r.coverage)} with a plan · ${pct(r.completion)} of ${r.actions} actions done` },
  { path: 'feedback', label: (r) => r.month, value: (r) => r.share_praise, text: (r) => `${r.total} items: ${r.praise} praise, ${r.constructive} constructive` },
  { path: 'one-on-ones', label: (r) => r.manager, value: (r) => r.risk, text: (r) => `${r.met_last_6_weeks} of ${r.reports} met in 6 weeks${r.never_met ? ` · ${r.never_met} never` : ''}`, risk: true },
];

function cell(v) {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number' && !Number.isInteger(v)) return String(Math.round(v * 1000) / 1000);
  return String(v);
}

function card(def, rep) {
  const id = `rep-${def.path}`;
  const rows = rep.rows;
  return h('section.card.report', { 'aria-labelledby': id },
    h('div.report-head', h('h2', { id }, rep.title),
      h('a.btn', { href: `/api/v1/analytics/${def.path}?format=csv`, download: `trellis-${rep.report}.csv` }, 'Download CSV', h('span.sr-only', ` of ${rep.title}`))),
    rep.note ? h('p.muted', rep.note) : null,
    rep.suppressed ? h('p.suppressed', `${rep.suppressed} ${rep.suppressed === 1 ? 'group is' : 'groups are'} too small to show (fewer than ${rep.threshold}).`) : null,
    rows.length ? h('ul.hbars', rows.map((r) => {
      const bar = h(`span.hbar-fill${def.risk && r.risk >= 0.5 ? '.hbar-risk' : ''}`);
      bar.style.width = `${Math.min(100, Math.max(0, (def.value(r) || 0) * 100))}%`;
      return h('li.hbar', h('span.hbar-label', def.label(r)), h('span.hbar-track', { 'aria-hidden': 'true' }, bar), h('span.hbar-text', def.text(r)));
    })) : h('p.muted', 'Nothing to show yet.'),
    rows.length ? h('details', h('summary', 'Figures'), h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': `${rep.title}: figures` }, h('table.table',
      h('thead', h('tr', rep.columns.map((c) => h('th', { scope: 'col' }, c.label)))),
      h('tbody', rows.map((r) => h('tr', rep.columns.map((c) => h('td', cell(r[c.key])))))))))
      : null);
}

export async function render(main, _params, ctx) {
  clear(main).append(h('div.page-head', h('h1', 'Analytics')));
  if (!['hr', 'admin'].includes(ctx.me.role)) { main.append(emptyState('Analytics are for HR', 'Company-wide figures are shown to HR and admins.')); return; }
  const reps = await Promise.all(REPORTS.map((d) => get(`/api/v1/analytics/${d.path}`)));
  main.append(h('p.muted', 'Company figures. A group smaller than the anonymity threshold is never shown; private goals and private feedback are not counted.'),
    h('nav.report-nav', { 'aria-label': 'Reports' }, h('ul', reps.map((r, i) => h('li', h('a', { href: `#/analytics`, onclick: (e) => { e.preventDefault(); document.getElementById(`rep-${REPORTS[i].path}`)?.scrollIntoView(); } }, r.title))))),
    h('div.reports', reps.map((r, i) => card(REPORTS[i], r))));
}
