// Development: the individual development plan (drafted from the gap suggestions, signed off by
// the manager), skills and the gap to the target level, learning, mentoring, internal
// opportunities, the career progress page with charts, and for HR the framework and dashboard.
import { get, post, put, patch } from '../lib/api.js';
import { h, clear, emptyState, formatDate } from '../lib/dom.js';
import { bar } from '../lib/progress.js';
import { frameworkEditor } from './framework.js';

export const KINDS = ['training', 'certification', 'mentorship', 'stretch_assignment', 'cross_functional_project', 'job_rotation', 'course', 'reading', 'other'];
const label = (k) => k.replace(/_/g, ' ');
const failure = (err, ex) => {
  err.textContent = Object.keys(ex.fields || {}).length ? Object.values(ex.fields).join('; ') : ex.message;
  err.hidden = false;
};
const field = (id, text, input) => h('div.field', h('label', { for: id }, text), input);

/* "2026-11" as "Nov 26" */
const monthLabel = (m) => `${new Date(`${m}-01T00:00:00Z`).toLocaleString('en', { month: 'short', timeZone: 'UTC' })} ${m.slice(2, 4)}`;

/* A bar chart as SVG: [{label, value}] with values 0..max, drawn on a year's worth of slots so
 * that one or two months make narrow bars of a sane height, not a wall of colour; each bar shows
 * its value above it. */
function chart(title, points, max) {
  const w = 28, gap = 8, hgt = 100, top = 12;
  const slots = Math.max(12, points.length);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `0 0 ${slots * (w + gap)} ${hgt + top + 20}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `${title}: ${points.map((p) => `${p.label} ${p.value}`).join(', ') || 'no data'}`);
  svg.classList.add('chart');
  points.forEach((p, i) => {
    const bh = max ? Math.round((p.value / max) * hgt) : 0;
    const r = document.createElementNS(svg.namespaceURI, 'rect');
    r.setAttribute('x', i * (w + gap));
    r.setAttribute('y', top + hgt - bh);
    r.setAttribute('width', w);
    r.setAttribute('height', bh);
    const v = document.createElementNS(svg.namespaceURI, 'text');
    v.setAttribute('x', i * (w + gap) + w / 2);
    v.setAttribute('y', top + hgt - bh - 3);
    v.setAttribute('text-anchor', 'middle');
    v.textContent = String(p.value);
    const t = document.createElementNS(svg.namespaceURI, 'text');
    t.setAttribute('x', i * (w + gap) + w / 2);
    t.setAttribute('y', top + hgt + 14);
    t.setAttribute('text-anchor', 'middle');
    t.textContent = p.label;
    svg.append(r, v, t);
  });
  return h('figure.chart-box', h('figcaption', title), svg);
}

async function planTab(body, person, ctx, reload) {
  const mine = person.id === ctx.me.person.id;
  const idp = await get(`/api/v1/people/${person.id}/idp`).catch((e) => (e.status === 404 ? null : Promise.reject(e)));
  const err = h('div.alert', { role: 'alert', hidden: true });
  const act = async (fn) => { err.hidden = true; try { await fn(); reload(); } catch (ex) { failure(err, ex); } };
  body.append(err);
  if (mine) {
    const fw = await get('/api/v1/career/framework');
    const ids = ['short_term', 'long_term', 'target_role', 'strengths', 'improvements'];
    const names = { short_term: 'Short-term aspiration', long_term: 'Long-term aspiration', target_role: 'Target role', strengths: 'Strengths', improvements: 'Areas to improve' };
    const inputs = Object.fromEntries(ids.map((k) => { const t = h('textarea', { id: `idp-${k}`, rows: 2 }); t.value = idp?.[k] || ''; return [k, t]; }));
    const target = h('select', { id: 'idp-target' }, h('option', { value: '' }, '—'),
      fw.tracks.flatMap((t) => t.levels.map((l) => h('option', { value: l.id, selected: idp?.target_level_id === l.id }, `${t.name}: ${l.code} ${l.title}`))));
    body.append(h('form.card', { onsubmit: (e) => { e.preventDefault(); act(() => put(`/api/v1/people/${person.id}/idp`, { ...Object.fromEntries(ids.map((k) => [k, inputs[k].value.trim() || null])), target_level_id: target.value ? Number(target.value) : null })); } },
      h('h2', 'My aspirations'), ids.map((k) => field(`idp-${k}`, names[k], inputs[k])), field('idp-target', 'Target level', target),
      h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, idp ? 'Save the plan' : 'Start my plan'))));
  }
  if (!idp) { if (!mine) body.append(emptyState('No development plan yet', `${person.name} has not written a plan.`)); return; }
  body.append(h('section.card', h('h2', 'Plan'),
    h('p', `Target: ${idp.target_level_code ? `${idp.target_level_code} ${idp.target_level_title}` : '—'}${idp.target_role ? ` · ${idp.target_role}` : ''}`),
    bar(idp.completion, 'Plan completion'), h('p.muted', `${Math.round(idp.completion)}% complete · version ${idp.version}`),
    idp.signed_off_at ? h('p', h('span.badge.status-done', 'signed off'), ` by ${idp.signed_off_by_name} on ${formatDate(idp.signed_off_at)}`) : h('p.muted', 'Not signed off yet.'),
    !mine && !idp.signed_off_at && ctx.me.person.id !== person.id ? h('button.btn.btn-primary', { type: 'button', onclick: () => act(() => post(`/api/v1/people/${person.id}/idp/sign-off`, {})) }, 'Sign off the plan') : null));
  body.append(h('section.card', h('h2', 'Action plan'),
    idp.actions.length ? h('ul.kr-list', idp.actions.map((a) => h('li',
      h('span.kr-title', a.title), h('span.muted', `${label(a.kind)}${a.due_date ? ` · due ${a.due_date}` : ''}${a.skill ? ` · ${a.skill}` : ''}${a.competency ? ` · ${a.competency}` : ''}`),
      h(`span.badge.status-${a.status === 'done' ? 'done' : 'on_track'}`, label(a.status)),
      mine && a.status !== 'done' ? h('button.btn.btn-small', { type: 'button', onclick: () => act(() => patch(`/api/v1/idp-actions/${a.id}`, ['course', 'certification', 'training'].includes(a.kind) ? { status: 'done', learning: { provider: null } } : { status: 'done' })) }, `Complete: ${a.title}`) : null))) : h('p.muted', 'No actions yet.'),
    h('h3', 'Milestones'),
    idp.milestones.length ? h('ul', idp.milestones.map((m) => h('li', `${m.title}${m.due_date ? ` (${m.due_date})` : ''} `, m.done_at ? h('span.badge.status-done', 'done') :
      mine ? h('button.btn.btn-small', { type: 'button', onclick: () => act(() => patch(`/api/v1/idp-milestones/${m.id}`, { done: true })) }, `Done: ${m.title}`) : null))) : h('p.muted', 'No milestones.')));
  if (mine) {
    const sugg = await get(`/api/v1/people/${person.id}/idp/suggestions`).catch(() => ({ items: [] }));
    if (sugg.items.length) {
      body.append(h('section.card', h('h2', 'Suggested from your gaps'), h('ul.kr-list', sugg.items.map((s) => h('li',
        h('span.kr-title', `${s.gap.name}: expected ${s.gap.expected}, now ${s.gap.current ?? '—'}`),
        s.mentors.length ? h('span.muted', `Mentors: ${s.mentors.map((m) => m.name).join(', ')}`) : null,
        s.opportunities.length ? h('span.muted', `Opportunities: ${s.opportunities.map((o) => o.title).join(', ')}`) : null,
        h('button.btn.btn-small', { type: 'button', onclick: () => act(() => post(`/api/v1/people/${person.id}/idp/actions`, { kind: s.action.kind, title: s.action.title, skill_id: s.action.skill_id ?? null, competency_id: s.action.competency_id ?? null, success_measure: `Reach ${s.gap.expected} in ${s.gap.name}` })) }, `Add to plan: ${s.action.title}`))))));
    }
    const title = h('input', { id: 'a-title', type: 'text' });
    const kind = h('select', { id: 'a-kind' }, KINDS.map((k) => h('option', { value: k }, label(k))));
    const due = h('input', { id: 'a-due', type: 'date' });
    const measure = h('input', { id: 'a-measure', type: 'text' });
    const support = h('input', { id: 'a-support', type: 'text' });
    body.append(h('form.card', { onsubmit: (e) => { e.preventDefault(); act(() => post(`/api/v1/people/${person.id}/idp/actions`, { kind: kind.value, title: title.value.trim(), due_date: due.value || null, success_measure: measure.value.trim() || null, support_needed: support.value.trim() || null })); } },
      h('h2', 'Add an action'), field('a-title', 'Action', title), field('a-kind', 'Kind', kind), field('a-due', 'Due', due), field('a-measure', 'Success measure', measure), field('a-support', 'Support needed from the company', support),
      h('div.actions', h('button.btn', { type: 'submit' }, 'Add action'))));
  }
  const comment = h('textarea', { id: 'idp-comment', rows: 2 });
  body.append(h('section.card', h('h2', 'Comments'),
    idp.comments.length ? h('ul', idp.comments.map((c) => h('li', h('strong', c.author), `: ${c.body}`))) : h('p.muted', 'No comments yet.'),
    field('idp-comment', 'Add a comment', comment),
    h('div.actions', h('button.btn', { type: 'button', onclick: () => act(() => post(`/api/v1/people/${person.id}/idp/comments`, { body: comment.value.trim() })) }, 'Comment'))));
}

async function skillsTab(body, person, ctx, reload) {
  const [s, g, catalogue] = await Promise.all([get(`/api/v1/people/${person.id}/skills`), get(`/api/v1/people/${person.id}/gaps`).catch(() => null), get('/api/v1/skills')]);
  const err = h('div.alert', { role: 'alert', hidden: true });
  body.append(err);
  if (g) {
    body.append(h('section.card', h('h2', `Gap to ${g.target.code || g.target.title} ${g.target.title || ''}`),
      g.gaps.length ? h('ul.kr-list', g.gaps.map((x) => h('li', h('span.kr-title', `${x.name} (${x.kind})`), h('span.muted', `expected ${x.expected}, now ${x.current ?? '—'}`), bar(((x.current ?? 0) / x.expected) * 100, `${x.name} against expectation`)))) : h('p', 'Meets every expectation of the target level.')));
  }
  body.append(h('section.card', h('h2', 'Ratings'), h('div.table-wrap', h('table.table',
    h('thead', h('tr', ['Skill or competency', 'Self', 'Manager'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', s.ratings.map((x) => h('tr', h('th', { scope: 'row' }, `${x.name} (${x.kind})`), h('td', String(x.self ?? '—')), h('td', String(x.manager ?? '—')))))))));
  const which = h('select', { id: 'r-skill' }, catalogue.items.map((x) => h('option', { value: x.id }, `${x.name} (${x.category})`)));
  const rating = h('select', { id: 'r-rating' }, [1, 2, 3, 4, 5].map((n) => h('option', { value: n }, String(n))));
  body.append(h('form.card', { onsubmit: async (e) => { e.preventDefault(); try { await post(`/api/v1/people/${person.id}/ratings`, { subject: 'skill', subject_id: Number(which.value), rating: Number(rating.value) }); reload(); } catch (ex) { failure(err, ex); } } },
    h('h2', person.id === ctx.me.person.id ? 'Rate one of my skills' : `Rate ${person.name}'s skill`), field('r-skill', 'Skill', which), field('r-rating', 'Rating (1-5)', rating),
    h('div.actions', h('button.btn', { type: 'submit' }, 'Save rating'))));
}

async function learningTab(body, person) {
  const l = await get(`/api/v1/people/${person.id}/learning`);
  body.append(l.items.length ? h('ul.fb-list', l.items.map((x) => h('li.card.fb-card', h('h3', x.title), h('p.muted', `${x.kind} · ${x.provider || '—'} · completed ${x.completed_on}${x.expires_on ? ` · expires ${x.expires_on}` : ''}`))))
    : emptyState('No learning recorded', 'Completing a course or certification in your plan records it here.'));
}

async function mentoringTab(body, ctx, reload) {
  const [mine, catalogue] = await Promise.all([get('/api/v1/mentorships'), get('/api/v1/skills')]);
  const err = h('div.alert', { role: 'alert', hidden: true });
  const results = h('div');
  const which = h('select', { id: 'm-skill' }, catalogue.items.map((x) => h('option', { value: x.id }, x.name)));
  const respond = (m, verb) => h('button.btn.btn-small', { type: 'button', onclick: async () => { try { await post(`/api/v1/mentorships/${m.id}/${verb}`, {}); reload(); } catch (ex) { failure(err, ex); } } }, `${verb === 'accept' ? 'Accept' : 'Decline'}: ${m.mentee}`);
  body.append(err, h('section.card', h('h2', 'My mentorships'), mine.items.length ? h('ul', mine.items.map((m) => h('li', `${m.mentor} mentors ${m.mentee}${m.skill ? ` in ${m.skill}` : ''} · ${m.status} `,
    m.status === 'requested' && m.mentor_id === ctx.me.person.id ? [respond(m, 'accept'), respond(m, 'decline')] : null))) : h('p.muted', 'None yet.')),
    h('form.card', { onsubmit: async (e) => {
      e.preventDefault();
      const r = await get(`/api/v1/mentors?skill=${which.value}`);
      results.replaceChildren(r.items.length ? h('ul.kr-list', r.items.map((m) => h('li', h('span.kr-title', m.name), h('span.muted', `${m.department || ''} · ${m.reasons.join('; ')}`),
        h('button.btn.btn-small', { type: 'button', onclick: async () => { try { await post('/api/v1/mentorships', { mentor_id: m.id, skill_id: Number(which.value), start_date: new Date().toISOString().slice(0, 10) }); reload(); } catch (ex) { failure(err, ex); } } }, `Ask ${m.name}`)))) : h('p.muted', 'No mentor with room offers this skill yet.'));
    } }, h('h2', 'Find a mentor'), field('m-skill', 'Skill', which), h('div.actions', h('button.btn', { type: 'submit' }, 'Find mentors')), results));
  void ctx;
}

async function opportunitiesTab(body, person, ctx, reload) {
  const ranked = await get(`/api/v1/people/${person.id}/opportunities`);
  const err = h('div.alert', { role: 'alert', hidden: true });
  body.append(err, ranked.items.length ? h('ul.fb-list', ranked.items.map((o) => h('li.card.fb-card',
    h('h3', o.title), h('p.muted', `${o.kind} · posted by ${o.posted_by_name}${o.closes_on ? ` · closes ${o.closes_on}` : ''}`),
    o.description ? h('p', o.description) : null, o.reasons.length ? h('p', `Why: ${o.reasons.join('; ')}`) : null,
    person.id === ctx.me.person.id ? h('button.btn.btn-small', { type: 'button', onclick: async () => { try { await post(`/api/v1/opportunities/${o.id}/interest`, { note: null }); reload(); } catch (ex) { failure(err, ex); } } }, `I'm interested: ${o.title}`) : null)))
    : emptyState('No open opportunities', 'Projects, roles, rotations and shadowing posted by managers appear here.'));
}

async function careerTab(body, person) {
  const c = await get(`/api/v1/people/${person.id}/career`);
  const months = [...new Set(c.feedback_by_month.map((f) => f.month))];
  const fb = months.map((m) => ({ label: monthLabel(m), value: c.feedback_by_month.filter((f) => f.month === m).reduce((s, f) => s + f.count, 0) }));
  body.append(h('section.card', h('h2', 'Where I stand'),
    h('p', c.placement ? `${c.placement.track}: ${c.placement.code} ${c.placement.title}` : 'Not placed on a career track.'),
    h('p.muted', `In this level since ${c.in_level_since || '—'} (${c.days_in_level} days)`),
    h('ul.stats', Object.entries(c.counts).map(([k, v]) => h('li', h('strong', String(v)), ` ${label(k)}`)))),
  h('section.card', h('h2', 'Over time'),
    chart('Feedback received per month', fb, Math.max(1, ...fb.map((p) => p.value))),
    chart('Skills rated per month', c.skills_by_month.map((s) => ({ label: monthLabel(s.month), value: s.skills_rated })), Math.max(1, ...c.skills_by_month.map((s) => s.skills_rated)))),
  h('section.card', h('h2', 'Role history'), h('ul', c.role_history.map((r) => h('li', `${r.effective_date}: ${label(r.kind)}${r.title ? ` · ${r.title}` : ''}${r.level ? ` · ${r.level}` : ''}`)))),
  h('section.card', h('h2', 'Learning completed'), c.learning.length ? h('ul', c.learning.map((l) => h('li', `${l.title} (${l.kind}, ${l.completed_on})`))) : h('p.muted', 'None yet.')),
  h('p', h('a.btn', { href: `/api/v1/people/${person.id}/career-record?format=markdown`, download: 'career-record.md' }, 'Download my career record')));
}

async function frameworkTab(body, reload) {
  await frameworkEditor(body, reload);
}

async function dashboardTab(body) {
  const d = await get('/api/v1/career/dashboard');
  const pct = (v) => `${Math.round(v * 100)}%`;
  body.append(h('section.card', h('h2', 'Career development by department'), h('p.muted', `Computed ${formatDate(d.computed_at)}; refreshed every few minutes.`), h('div.table-wrap', h('table.table',
    h('thead', h('tr', ['Department', 'People', 'Promotion rate (12 months)', 'Median days in level', 'IDP coverage', 'IDP completion', 'Framework coverage'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', d.departments.map((x) => h('tr', h('th', { scope: 'row' }, x.department), h('td', String(x.headcount)), h('td', pct(x.promotion_rate)), h('td', String(x.median_days_in_level ?? '—')), h('td', pct(x.idp_coverage)), h('td', pct(x.idp_completion)), h('td', pct(x.framework_coverage)))))))));
}

export async function render(main, { query }, ctx) {
  const isHr = ['hr', 'admin'].includes(ctx.me.role);
  const tab = query.get('tab') || 'plan';
  const pid = Number(query.get('person')) || ctx.me.person.id;
  const person = pid === ctx.me.person.id ? { id: pid, name: ctx.me.person.name } : await get(`/api/v1/people/${pid}`);
  const reload = () => render(main, { query }, ctx);
  const reports = (await get(`/api/v1/people?manager=${ctx.me.person.id}&limit=200`)).items;
  const tabs = [['plan', 'Plan'], ['skills', 'Skills and gaps'], ['learning', 'Learning'], ['mentoring', 'Mentoring'], ['opportunities', 'Opportunities'], ['career', 'Career progress'],
    ...(isHr ? [['framework', 'Framework'], ['dashboard', 'Dashboard']] : [])];
  const who = reports.length ? h('form.inline-form', h('label', { for: 'dev-person' }, 'Showing'), h('select', { id: 'dev-person', onchange: (e) => { location.hash = `#/development?tab=${tab}&person=${e.target.value}`; } },
    [{ id: ctx.me.person.id, name: 'Me' }, ...reports].map((p) => h('option', { value: p.id, selected: p.id === pid }, p.name)))) : null;
  const body = h('div');
  clear(main).append(h('div.page-head', h('h1', pid === ctx.me.person.id ? 'My development' : `Development: ${person.name}`), who),
    h('nav.tabs', { 'aria-label': 'Development views' }, tabs.map(([k, l]) => h('a.tab', { href: `#/development?tab=${k}${pid !== ctx.me.person.id ? `&person=${pid}` : ''}`, 'aria-current': k === tab ? 'page' : null }, l))), body);
  if (tab === 'skills') return skillsTab(body, person, ctx, reload);
  if (tab === 'learning') return learningTab(body, person);
  if (tab === 'mentoring') return mentoringTab(body, ctx, reload);
  if (tab === 'opportunities') return opportunitiesTab(body, person, ctx, reload);
  if (tab === 'career') return careerTab(body, person);
  if (tab === 'framework' && isHr) return frameworkTab(body, reload);
  if (tab === 'dashboard' && isHr) return dashboardTab(body);
  return planTab(body, person, ctx, reload);
}
