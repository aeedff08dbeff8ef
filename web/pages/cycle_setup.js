// Setting up a review cycle (HR): name and period, who takes part (departments, a manager's whole
// organisation, hired before a date, people included or left out by name) with a live count,
// templates per role, peer selection, the anonymity threshold and the five phase deadlines. Saved
// as a draft (every setting can change until launch), previewed role by role as a participant
// sees it, and launched behind a confirmation that states how many reviews a dry run counted.
import { get, post, patch } from '../lib/api.js';
import { h, clear, append, emptyState } from '../lib/dom.js';
import { flatDepartments } from '../lib/departments.js';
import { showErrors, clearErrors, confirmDialog, flash } from '../lib/forms.js';
import { questionsPreview, kindLabel } from './templates.js';

const roles = ['self', 'manager', 'peer', 'upward'];
const phases = [['nomination', 'Peer nomination'], ['self', 'Self-reviews'], ['peer', 'Peer and upward feedback'], ['manager', 'Manager reviews'], ['calibration', 'Calibration']];
const plural = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const labels = {
  name: 'Name', period_start: 'Start of the period', period_end: 'End of the period', hired_before: 'Hired before', threshold: 'Anonymity threshold',
  peers_per_person: 'Peers per person', min_peers: 'Minimum peers', max_requests_per_peer: 'Requests per peer', self_template_id: 'Self-review template',
  manager_template_id: 'Manager review template', peer_template_id: 'Peer template', upward_template_id: 'Upward template', participants: 'Participants',
  'participants.department_ids': 'Departments', 'participants.manager_ids': 'Organisations', 'participants.include_ids': 'People included', 'participants.exclude_ids': 'People left out',
  'deadlines.nomination': 'Nomination deadline', 'deadlines.self': 'Self-review deadline', 'deadlines.peer': 'Peer feedback deadline', 'deadlines.manager': 'Manager review deadline', 'deadlines.calibration': 'Calibration deadline',
};

/* The confirmation of a launch, with the counts of the dry run d. */
function confirmLaunch(cycle, d) {
  const words = { self: ['self-review', 'self-reviews'], manager: ['manager review', 'manager reviews'], peer: ['peer review', 'peer reviews'], upward: ['upward review', 'upward reviews'] };
  const parts = roles.filter((k) => d.by_kind[k]).map((k) => `${d.by_kind[k]} ${words[k][d.by_kind[k] === 1 ? 0 : 1]}`);
  return confirmDialog(`Launch "${cycle.name}"?`,
    `${plural(d.reviews, 'review')} will be created for ${plural(d.participants, 'participant')} (${parts.join(', ')}). Everyone is asked to write at once; a launched cycle cannot go back to draft.`,
    `Launch and create ${plural(d.reviews, 'review')}`);
}

/** Launch of a saved draft from a list: dry run, confirmation, launch. Resolves the launch's
 * answer, or null when cancelled; throws the API's refusal (e.g. no participants). */
export async function launchFlow(cycle) {
  const d = await post(`/api/v1/review-cycles/${cycle.id}/dry-run`, {});
  if (!(await confirmLaunch(cycle, d))) return null;
  return post(`/api/v1/review-cycles/${cycle.id}/launch`, {});
}

/* A list of people chosen by name: a search box, "Add", and removable chips. */
function peoplePicker(idBase, title, field, initial, names, onChange) {
  const chosen = new Map(initial.map((id) => [id, names.get(id) || `Person ${id}`]));
  const input = h('input', { id: `${idBase}-q`, type: 'search', autocomplete: 'off', placeholder: 'Type a name' });
  const note = h('p.field-hint', { 'aria-live': 'polite' });
  const chips = h('ul.chips', { 'aria-label': `${title}: chosen` });
  const draw = () => {
    clear(chips).append(...[...chosen].map(([id, name]) => h('li.chip', name,
      h('button.chip-x', { type: 'button', 'aria-label': `Remove ${name} from ${title.toLowerCase()}`, onclick: () => { chosen.delete(id); draw(); onChange(); } }, '×'))));
  };
  const choose = (p) => { chosen.set(p.id, p.name); names.set(p.id, p.name); input.value = ''; note.textContent = ''; draw(); onChange(); input.focus(); };
  const add = async () => {
    const q = input.value.trim();
    if (!q) return;
    const found = (await get(`/api/v1/people?q=${encodeURIComponent(q)}&limit=8`)).items;
    const exact = found.filter((p) => p.name.toLowerCase() === q.toLowerCase());
    const pick = exact.length === 1 ? exact : found;
    clear(note);
    if (pick.length === 1) choose(pick[0]);
    else if (!pick.length) note.textContent = `No one is called "${q}".`;
    else note.append('Several people match: ', ...pick.map((p) => h('button.btn.btn-small', { type: 'button', onclick: () => choose(p) }, `${p.name}${p.title ? ` (${p.title})` : ''}`)));
  };
  input.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); add(); } });
  draw();
  const el = h('div.field.picker', { 'data-field': field },
    h('label', { for: `${idBase}-q` }, title),
    h('div.picker-row', input, h('button.btn', { type: 'button', onclick: add }, 'Add')), note, chips);
  el.value = () => [...chosen.keys()];
  return el;
}

export async function render(main, { match }, ctx) {
  if (!['hr', 'admin'].includes(ctx.me.role)) { clear(main).append(emptyState('HR sets up review cycles', 'Your reviews appear under Reviews once a cycle starts.')); return; }
  const id = match[1] === 'new' ? null : match[1];
  const [cycle, templates, deps] = await Promise.all([
    id ? get(`/api/v1/review-cycles/${id}`) : Promise.resolve(null),
    get('/api/v1/review-templates').then((x) => x.items),
    get('/api/v1/departments').then((x) => flatDepartments(x.items || x))]);
  if (cycle && cycle.status !== 'draft') {
    clear(main).append(emptyState('This cycle is running', 'After launch only its name and deadlines change, from the cycle page.', h('a.btn', { href: `#/reviews?tab=cycle&cycle=${cycle.id}` }, 'Open the cycle')));
    return;
  }
  const c = cycle || { name: '', period_start: '', period_end: '', threshold: 3, peers_per_person: 3, min_peers: 0, max_requests_per_peer: 0, peer_selection: 'auto', manager_sees_peer_names: false, deadlines: {}, participants: { department_ids: [], manager_ids: [], include_ids: [], exclude_ids: [] } };
  const scope = c.participants || { department_ids: [], manager_ids: [], include_ids: [], exclude_ids: [] };
  // names of the people already chosen
  const names = new Map();
  const ids = [...scope.manager_ids, ...scope.include_ids, ...scope.exclude_ids];
  if (ids.length) {
    await Promise.all(ids.map((pid) => get(`/api/v1/people/${pid}`).then((p) => names.set(pid, p.name)).catch(() => null)));
  }
  const input = (key, type, value, attrs = {}) => h('input', { id: `cy-${key.replace('.', '-')}`, type, value: value ?? '', 'data-field': key, ...attrs });
  const field = (key, el, hint) => h('div.field', h('label', { for: el.id }, labels[key] || key), el, hint ? h('p.field-hint', hint) : null);
  const name = input('name', 'text', c.name, { maxlength: 200, 'aria-required': 'true' });
  const start = input('period_start', 'date', c.period_start, { 'aria-required': 'true' });
  const end = input('period_end', 'date', c.period_end, { 'aria-required': 'true' });
  const hired = input('hired_before', 'date', c.hired_before);
  const threshold = input('threshold', 'number', c.threshold, { min: 2, max: 20 });
  const perPerson = input('peers_per_person', 'number', c.peers_per_person, { min: 0, max: 10 });
  const minPeers = input('min_peers', 'number', c.min_peers, { min: 0, max: 10 });
  const maxReq = input('max_requests_per_peer', 'number', c.max_requests_per_peer, { min: 0, max: 20 });
  const namesShown = h('input', { id: 'cy-names', type: 'checkbox' });
  namesShown.checked = !!c.manager_sees_peer_names;
  const selection = ['auto', 'nominated'].map((v) => {
    const r = h('input', { type: 'radio', name: 'peer_selection', id: `cy-sel-${v}`, value: v });
    r.checked = (c.peer_selection || 'auto') === v;
    return h('label.check', { for: `cy-sel-${v}` }, r, v === 'auto' ? ' Assigned: teammates with the same manager' : ' Nominated by the employee, approved by their manager');
  });
  const tplSel = Object.fromEntries(roles.map((k) => [k, h('select', { id: `cy-tpl-${k}`, 'data-field': `${k}_template_id` },
    h('option', { value: '' }, k === 'self' || k === 'manager' ? 'None' : `No ${kindLabel[k].toLowerCase()}`),
    templates.filter((t) => t.kind === k).map((t) => h('option', { value: t.id, selected: c[`${k}_template_id`] === t.id }, t.name)))]));
  const deadline = Object.fromEntries(phases.map(([k]) => [k, input(`deadlines.${k}`, 'date', c.deadlines?.[k])]));
  const depBoxes = deps.map((d) => {
    const box = h('input', { type: 'checkbox', id: `cy-dep-${d.id}`, value: d.id });
    box.checked = scope.department_ids.includes(d.id);
    return h(`label.check.dep-depth-${Math.min(d.depth, 4)}`, { for: `cy-dep-${d.id}` }, box, ` ${d.name}`);
  });
  const count = h('p.live-count', { role: 'status', 'aria-live': 'polite' }, 'Counting participants…');
  const who = h('details.live-who', h('summary', 'Who takes part'), h('ul.who-list'));
  let timer = null;
  const scopeBody = () => ({
    department_ids: depBoxes.map((l) => l.querySelector('input')).filter((b) => b.checked).map((b) => Number(b.value)),
    manager_ids: orgs.value(), include_ids: incl.value(), exclude_ids: excl.value(),
  });
  const recount = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      try {
        const r = await post('/api/v1/review-cycle-participants', { hired_before: hired.value || null, participants: scopeBody() });
        count.textContent = r.count ? `${plural(r.count, 'person', 'people')} take${r.count === 1 ? 's' : ''} part.` : 'Nobody matches these rules yet: a cycle cannot launch without participants.';
        count.classList.toggle('warn', !r.count);
        append(clear(who.querySelector('ul')), [r.people.map((p) => h('li', p.name)), r.count > r.people.length ? h('li.muted', `and ${r.count - r.people.length} more`) : null]);
      } catch (ex) { count.textContent = `Cannot count yet: ${ex.fields ? Object.entries(ex.fields).map(([f, m]) => `${labels[f] || f} ${m}`).join('; ') : ex.message}`; }
    }, 250);
  };
  const orgs = peoplePicker('cy-org', 'Organisations of these managers (the manager and everyone below)', 'participants.manager_ids', scope.manager_ids, names, recount);
  const incl = peoplePicker('cy-inc', 'Also include these people', 'participants.include_ids', scope.include_ids, names, recount);
  const excl = peoplePicker('cy-exc', 'Leave out these people', 'participants.exclude_ids', scope.exclude_ids, names, recount);
  for (const l of depBoxes) l.querySelector('input').addEventListener('change', recount);
  hired.addEventListener('change', recount);

  const summary = h('div.alert', { role: 'alert', hidden: true, tabindex: '-1' });
  const status = h('div', { role: 'status' });
  const body = () => {
    const num = (el) => (el.value === '' ? undefined : Number(el.value));
    const b = {
      name: name.value.trim(), period_start: start.value, period_end: end.value, hired_before: hired.value || null,
      threshold: num(threshold), peers_per_person: num(perPerson), min_peers: num(minPeers), max_requests_per_peer: num(maxReq),
      manager_sees_peer_names: namesShown.checked, peer_selection: main.querySelector('input[name="peer_selection"]:checked')?.value || 'auto',
      deadlines: Object.fromEntries(phases.map(([k]) => [k, deadline[k].value || null])), participants: scopeBody(),
    };
    for (const k of roles) b[`${k}_template_id`] = tplSel[k].value ? Number(tplSel[k].value) : null;
    for (const k of Object.keys(b)) if (b[k] === undefined) delete b[k];
    return b;
  };
  const form = h('form.cycle-form', { novalidate: true });
  const save = async () => {
    clearErrors(form);
    summary.hidden = true;
    try {
      const saved = id ? await patch(`/api/v1/review-cycles/${id}`, body()) : await post('/api/v1/review-cycles', body());
      return saved;
    } catch (ex) {
      showErrors(form, summary, ex, labels);
      return null;
    }
  };
  const saveBtn = h('button.btn', { type: 'submit' }, 'Save draft');
  const launchBtn = h('button.btn.btn-primary', { type: 'button' }, 'Launch…');
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    saveBtn.disabled = true;
    const saved = await save();
    saveBtn.disabled = false;
    if (!saved) return;
    if (!id) { sessionStorage.setItem('trellis-flash', 'Draft saved.'); location.hash = `#/cycles/${saved.id}/edit`; return; }
    flash(status, 'Draft saved.');
    drawPreview();
  });
  launchBtn.addEventListener('click', async () => {
    const saved = await save();
    if (!saved) return;
    const cid = saved.id;
    let d;
    try { d = await post(`/api/v1/review-cycles/${cid}/dry-run`, {}); } catch (ex) {
      if (!id) { sessionStorage.setItem('trellis-flash', 'Draft saved.'); location.hash = `#/cycles/${cid}/edit`; }
      showErrors(form, summary, ex.fields?.participants ? { ...ex, fields: {}, message: 'Nobody takes part with these rules: add departments, organisations or people before launching.' } : ex, labels);
      return;
    }
    try {
      if (!(await confirmLaunch(saved, d))) { if (!id) location.hash = `#/cycles/${cid}/edit`; return; }
      const r = await post(`/api/v1/review-cycles/${cid}/launch`, {});
      sessionStorage.setItem('trellis-flash', `Launched: ${plural(r.assignments, 'review')} created.`);
      location.hash = `#/reviews?tab=cycle&cycle=${cid}`;
    } catch (ex) { showErrors(form, summary, ex, labels); }
  });

  // preview: what a participant sees, role by role
  const previewBody = h('div.preview-body');
  const roleTabs = h('div.actions', { role: 'group', 'aria-label': 'Preview as' });
  let previewRole = 'self';
  const drawPreview = () => {
    if (!roleTabs.firstChild) roleTabs.append(...roles.map((k) => h('button.btn.btn-small', { type: 'button', 'data-role': k, onclick: () => { previewRole = k; drawPreview(); } }, kindLabel[k])));
    for (const b of roleTabs.children) b.setAttribute('aria-pressed', String(b.dataset.role === previewRole));
    const t = templates.find((x) => String(x.id) === tplSel[previewRole].value);
    append(clear(previewBody), t
      ? [h('h3', `${kindLabel[previewRole]}: ${t.name}`), h('p.muted', previewRole === 'self' ? 'What each participant answers about themselves.' : previewRole === 'manager' ? 'What each manager answers about a report; manager-only questions are never shown to the person reviewed.' : previewRole === 'peer' ? `What a peer answers; shown to the person only as an average and comments, never by name, and only from ${threshold.value || 3} answers.` : `What each report answers about their manager, anonymous under the same threshold of ${threshold.value || 3}.`),
        questionsPreview(previewRole === 'manager' ? t.questions : t.questions.filter((q) => !q.manager_only))]
      : [h('p.muted', `No ${kindLabel[previewRole].toLowerCase()} in this cycle.`)]);
  };
  for (const k of roles) tplSel[k].addEventListener('change', drawPreview);

  form.append(
    h('section.card', h('h2', 'Cycle'),
      field('name', name),
      h('div.grid-2.tight', field('period_start', start), field('period_end', end))),
    h('section.card', h('h2', 'Who takes part'),
      h('fieldset.field', { 'data-field': 'participants.department_ids' }, h('legend', 'Departments'), h('div.check-list', depBoxes), h('p.field-hint', 'No department and no organisation chosen: the whole company.')),
      orgs,
      field('hired_before', hired, 'Only people hired before this date (people included by name always take part).'),
      incl, excl,
      h('div.live', count, who)),
    h('section.card', h('h2', 'Templates'),
      h('div.grid-2.tight', roles.map((k) => field(`${k}_template_id`, tplSel[k]))),
      h('p', h('a', { href: '#/templates' }, 'Edit templates'))),
    h('section.card', h('h2', 'Peers and anonymity'),
      h('fieldset.field', h('legend', 'Peer selection'), selection),
      h('div.grid-2.tight', field('peers_per_person', perPerson), field('min_peers', minPeers, 'For nominations: the fewest peers an employee proposes.'),
        field('max_requests_per_peer', maxReq, '0: as many as peers per person.'), field('threshold', threshold, 'Peer and upward answers are shown only from this many respondents.')),
      h('label.check', { for: 'cy-names' }, namesShown, ' Managers see the names of their reports\' peer reviewers')),
    h('section.card', h('h2', 'Phase deadlines'),
      h('div.grid-2.tight', phases.map(([k, l]) => h('div.field', h('label', { for: deadline[k].id }, l), deadline[k])))),
    summary,
    h('div.actions.form-end', saveBtn, launchBtn, h('a.btn', { href: '#/reviews?tab=cycles' }, 'Back to cycles')));
  const pending = sessionStorage.getItem('trellis-flash');
  sessionStorage.removeItem('trellis-flash');
  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'Cycles' }, h('ol', h('li', h('a', { href: '#/reviews?tab=cycles' }, 'Cycles')), h('li', { 'aria-current': 'page' }, id ? c.name : 'New cycle'))),
    h('div.page-head', h('h1', id ? `Set up: ${c.name}` : 'New review cycle'), h('span.badge', 'draft')),
    status, form,
    h('section.card', { 'aria-labelledby': 'preview-h' }, h('h2', { id: 'preview-h' }, 'Preview what participants see'), roleTabs, previewBody));
  if (pending) flash(status, pending);
  drawPreview();
  recount();
}
