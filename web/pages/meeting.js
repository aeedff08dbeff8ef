// One meeting of a one-on-one: the four-part agenda (goals, development plan, feedback,
// actions), talking points from both sides, shared and private notes, action items, and
// complete / skip / move. Also the series page: its meetings, past and to come.
import { get, patch, post } from '../lib/api.js';
import { h, clear, emptyState, formatDate, formatDateTime } from '../lib/dom.js';
import { bar } from '../lib/progress.js';
import { clearErrors, showErrors, humanField, humanProblem, confirmDialog, flash } from '../lib/forms.js';
import { KINDS } from './development.js';

const SECTIONS = { goals: 'Performance against goals', development: 'Development plan', feedback: 'Feedback', actions: 'Actions', other: 'Other' };
const failure = (err, ex) => {
  err.textContent = Object.keys(ex.fields || {}).length ? Object.values(ex.fields).join('; ') : ex.message;
  err.hidden = false;
};

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const SERIES_LABELS = { cadence_weeks: 'Every how many weeks', weekday: 'Weekday', time: 'Time', timezone: 'Time zone' };

/* The schedule of a series: edit cadence, weekday and time; pause or resume; end it (confirmed). */
function scheduleCard(s, reload) {
  const box = h('section.card', { id: 'series-schedule' }, h('h2', s.status === 'ended' ? 'Schedule' : 'Edit schedule'));
  const err = h('div.alert', { role: 'alert', hidden: true, tabindex: '-1' });
  if (s.status === 'ended') {
    box.append(h('p', 'This series has ended. Its held meetings and their notes are kept below.'));
    return box;
  }
  const cadence = h('input', { id: 'ss-cadence', type: 'number', min: 1, max: 12, value: s.cadence_weeks, 'data-field': 'cadence_weeks' });
  const warn = h('p.muted', { role: 'status' });
  const note = () => { warn.textContent = Number(cadence.value) > 6 ? 'Meeting less often than every six weeks makes feedback too rare to act on.' : ''; };
  cadence.addEventListener('input', note);
  note();
  const day = h('select', { id: 'ss-weekday', 'data-field': 'weekday' }, WEEKDAYS.map((d) => h('option', { value: d, selected: d === s.weekday }, d[0].toUpperCase() + d.slice(1))));
  const time = h('input', { id: 'ss-time', type: 'time', value: s.time, 'data-field': 'time' });
  const send = async (body, done) => {
    err.hidden = true;
    clearErrors(form);
    try {
      await patch(`/api/v1/one-on-ones/${s.id}`, body);
      await reload(done);
    } catch (ex) { showErrors(form, err, ex, SERIES_LABELS); }
  };
  const form = h('form', { id: 'series-form', 'aria-label': 'Edit schedule', novalidate: true },
    h('p.muted', 'The next meeting moves to the new rhythm; held meetings and their notes never change.'),
    h('div.field', h('label', { for: 'ss-cadence' }, 'Every how many weeks'), cadence, warn),
    h('div.field', h('label', { for: 'ss-weekday' }, 'Weekday'), day),
    h('div.field', h('label', { for: 'ss-time' }, `Time (${s.timezone})`), time), err,
    h('div.actions',
      h('button.btn.btn-primary', { type: 'submit' }, 'Save schedule'),
      s.status === 'paused'
        ? h('button.btn', { type: 'button', onclick: () => send({ paused: false }, 'The series is running again; the next meeting is scheduled.') }, 'Resume')
        : h('button.btn', { type: 'button', onclick: () => send({ paused: true }, 'The series is paused; no meeting is scheduled until you resume it.') }, 'Pause'),
      h('button.btn.btn-danger', {
        type: 'button',
        onclick: async () => {
          if (await confirmDialog('End this series?', 'The meeting to come is removed and no new ones are scheduled. Held meetings and their notes are kept. This cannot be undone.', 'End series')) send({ ended: true }, 'The series has ended.');
        },
      }, 'End series')));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    send({ cadence_weeks: Number(cadence.value), weekday: day.value, time: time.value }, 'Schedule saved.');
  });
  box.append(form);
  return box;
}

export async function renderSeries(main, { match }, ctx, done) {
  let s;
  try { s = await get(`/api/v1/one-on-ones/${match[1]}`); } catch (e) {
    if (e.status === 404) { clear(main).append(emptyState('One-on-one not found', 'Only the two people who meet can open it.', h('a.btn', { href: '#/one-on-ones' }, 'Back'))); return; }
    throw e;
  }
  const other = s.lead.id === ctx.me.person.id ? s.member : s.lead;
  const what = s.kind === 'career' ? 'Career conversations' : 'One-on-ones';
  const state = s.status === 'ended' ? 'Ended' : s.status === 'paused' ? 'Paused' : `Every ${s.cadence_weeks} week${s.cadence_weeks > 1 ? 's' : ''} on ${s.weekday} at ${s.time} (${s.timezone})`;
  const reload = (text) => renderSeries(main, { match }, ctx, text);
  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'One-on-ones' }, h('ol', h('li', h('a', { href: '#/one-on-ones' }, 'One-on-ones')), h('li', { 'aria-current': 'page' }, other.name))),
    h('div.page-head', h('h1', `${what} with ${other.name}`), h('p.muted', { id: 'series-state' }, state)),
    s.warnings.length ? h('p.alert', { role: 'note' }, s.warnings.join(' ')) : '',
    scheduleCard(s, reload),
    h('h2', 'Meetings'),
    h('ul.goal-list', s.meetings.map((m) => h('li.goal-card',
      h('div.goal-main', h('a.goal-title', { href: `#/one-on-ones/meetings/${m.id}` }, m.local_start.replace('T', ' ')),
        h('span.goal-meta', m.status === 'skipped' ? `Skipped: ${m.skip_reason}` : m.held_at ? `Held ${formatDate(m.held_at)}${m.career_discussed ? ' · career discussed' : ''}` : m.moved ? 'Moved' : 'Scheduled')),
      h('span.badge', m.status)))));
  if (done) flash(main, done);
}

function section(title, content) {
  return h('section.agenda-section', h('h3', title), content);
}

const label = (k) => k.replace(/_/g, ' ');
const list = (items, render, empty) => (items.length ? h('ul.kr-list.meeting-list', items.map(render)) : h('p.muted', empty));

/* Part 2: the member's IDP actions due before the next meeting, the others open, and those done
 * since the last meeting; a note instead when the reader may not read the plan. */
function developmentPart(d) {
  if (!d.available) return h('p.muted', d.note);
  const soon = new Set(d.due_before_next_meeting.map((a) => a.id));
  const item = (a) => h('li',
    h('span.kr-title', a.title),
    h('span.muted', [label(a.kind), a.status === 'done' ? `done ${formatDate(a.completed_at)}` : a.due_date ? `due ${formatDate(a.due_date)}` : 'no due date', a.success_measure || ''].filter(Boolean).join(' · ')),
    h('span.badge', a.status === 'done' ? 'done' : soon.has(a.id) ? 'due soon' : label(a.status)));
  const group = (title, items) => (items.length ? [h('h4.agenda-sub', title), h('ul.kr-list.meeting-list', items.map(item))] : null);
  const rest = d.open.filter((a) => !soon.has(a.id));
  if (!d.open.length && !d.done_since_previous.length) return h('p.muted', 'No open development plan actions.');
  return h('div', group('Due before the next meeting', d.due_before_next_meeting), group('Open', rest), group('Done since the last meeting', d.done_since_previous));
}

export async function render(main, { match }, ctx) {
  const url = `/api/v1/one-on-ones/meetings/${match[1]}`;
  let m;
  try { m = await get(url); } catch (e) {
    if (e.status === 404) { clear(main).append(emptyState('Meeting not found', 'Only the two people who meet can open it.', h('a.btn', { href: '#/one-on-ones' }, 'Back'))); return; }
    throw e;
  }
  const s = m.series;
  const other = s.lead.id === ctx.me.person.id ? s.member : s.lead;
  const open = m.status === 'scheduled';
  const err = h('div.alert', { role: 'alert', hidden: true });

  /* The lists are re-rendered from a fresh read after each action; the notes, the forms and
   * whatever is typed in them are never rebuilt. */
  const goalsBox = h('div'), devBox = h('div'), feedbackBox = h('div'), actionsBox = h('div'), pointsBox = h('div');
  const refreshLists = () => {
    const a = m.agenda;
    clear(goalsBox).append(list(a.goals, (g) => h('li',
      h('a.kr-title', { href: `#/goals/${g.id}` }, g.title),
      h('span.muted', g.progress_at_previous !== null ? `${Math.round(g.progress_at_previous)}% → ${Math.round(g.progress)}% since the last meeting` : `${Math.round(g.progress)}%`),
      bar(g.progress, `Progress of ${g.title}`),
      g.aligned_to ? h('span.muted', `Supports: ${g.aligned_to.title}`) : null), 'No running goals.'));
    clear(devBox).append(developmentPart(a.development));
    clear(feedbackBox).append(
      list(a.feedback.received, (f) => h('li', h('span.kr-title', f.body), h('span.muted', `${f.from.name} · ${f.kind} · ${formatDate(f.created_at)}`)), 'No new feedback since the last meeting.'),
      a.feedback.open_requests.length ? h('p', `Open requests: ${a.feedback.open_requests.map((q) => `${q.topic} (${q.asked.name})`).join('; ')}`) : '');
    clear(actionsBox).append(list([...a.actions.open, ...a.actions.new], (x) => h('li',
      h('span.kr-title', x.body), h('span.muted', `${x.owner.name}${x.due_date ? ` · due ${x.due_date}` : ''}`),
      x.status === 'open'
        ? h('button.btn.btn-small', { type: 'button', onclick: () => act(() => patch(`/api/v1/action-items/${x.id}`, { status: 'done' })) }, `Done: ${x.body}`)
        : h('span.badge', 'done')), 'No open action items.'));
    clear(pointsBox).append(m.points.length ? h('ul.kr-list.meeting-list', m.points.map((p) => h('li',
      h('span.kr-title', p.body), h('span.muted', `${SECTIONS[p.section]} · ${p.author.name}`), h('span.badge', p.status),
      open && p.status === 'open' ? h('span.row-actions',
        h('button.btn.btn-small', { type: 'button', onclick: () => act(() => patch(`/api/v1/one-on-ones/points/${p.id}`, { status: 'discussed' })) }, `Discussed: ${p.body}`),
        h('button.btn.btn-small', { type: 'button', onclick: () => act(() => patch(`/api/v1/one-on-ones/points/${p.id}`, { status: 'moved' })) }, `Next time: ${p.body}`)) : null))) : h('p.muted', 'No talking points yet.'));
  };
  /* runs fn, then reads the meeting again and redraws the lists only; done() clears its form */
  const act = async (fn, done) => {
    err.hidden = true;
    try { await fn(); } catch (ex) { failure(err, ex); return false; }
    done?.();
    try { m = await get(url); refreshLists(); } catch (ex) { failure(err, ex); }
    return true;
  };

  const pointText = h('input', { id: 'pt-body', type: 'text', maxlength: 2000 });
  const pointSection = h('select', { id: 'pt-section' }, Object.entries(SECTIONS).map(([k, v]) => h('option', { value: k }, v)));
  const points = h('section.card', h('h2', 'Talking points'), pointsBox,
    open ? h('form.inline-form', { onsubmit: (e) => { e.preventDefault(); act(() => post(`/api/v1/one-on-ones/meetings/${m.id}/points`, { section: pointSection.value, body: pointText.value.trim() }), () => { pointText.value = ''; }); } },
      h('label', { for: 'pt-section' }, 'Section'), pointSection, h('label', { for: 'pt-body' }, 'New talking point'), pointText, h('button.btn', { type: 'submit' }, 'Add point')) : null);

  const shared = h('textarea', { id: 'notes-shared', rows: 4 });
  shared.value = m.shared_notes;
  const mine = h('textarea', { id: 'notes-private', rows: 3 });
  mine.value = m.private_note || '';
  const notesState = h('span.save-state', { id: 'notes-state', role: 'status' });
  const retry = h('button.btn.btn-small', { type: 'button', hidden: true }, 'Retry');
  const saver = noteSaver(url, m, shared, mine, notesState, retry);
  if (m.status === 'skipped') { shared.readOnly = true; mine.readOnly = true; }
  const notes = h('section.card', h('h2', 'Notes'),
    h('div.field', h('label', { for: 'notes-shared' }, `Shared notes (${other.name} sees them; they go in the summary)`), shared),
    h('div.field', h('label', { for: 'notes-private' }, 'My private notes (only you can ever read them)'), mine),
    m.status !== 'skipped' ? h('div.actions.save-line', h('button.btn', { type: 'button', onclick: () => saver.flush() }, 'Save notes'), notesState, retry) : null);

  const owner = h('select', { id: 'ai-owner' }, [s.member, s.lead].map((p) => h('option', { value: p.id }, p.name)));
  const aiText = h('input', { id: 'ai-body', type: 'text', maxlength: 2000 });
  const aiDue = h('input', { id: 'ai-due', type: 'date' });
  const actions = m.status !== 'skipped' ? h('form.card', { onsubmit: (e) => { e.preventDefault(); act(() => post(`/api/v1/one-on-ones/meetings/${m.id}/actions`, { owner_id: Number(owner.value), body: aiText.value.trim(), due_date: aiDue.value || null }), () => { aiText.value = ''; aiDue.value = ''; }); } },
    h('h2', 'New action item'), h('div.field', h('label', { for: 'ai-body' }, 'Action'), aiText), h('div.field', h('label', { for: 'ai-owner' }, 'Owner'), owner),
    h('div.field', h('label', { for: 'ai-due' }, 'Due'), aiDue), h('div.actions', h('button.btn', { type: 'submit' }, 'Add action item'))) : null;

  /* an IDP action agreed in the meeting goes to the member's plan, offered to whoever the server
   * lets add one (the plan's owner) */
  let idpForm = null;
  if (m.agenda.development.can_add && m.status !== 'skipped') {
    const title = h('input', { id: 'idp-title', type: 'text', maxlength: 300, 'data-field': 'title', required: true });
    const kind = h('select', { id: 'idp-kind', 'data-field': 'kind' }, KINDS.map((k) => h('option', { value: k }, label(k))));
    const due = h('input', { id: 'idp-due', type: 'date', 'data-field': 'due_date' });
    const summary = h('p.alert', { role: 'alert', hidden: true, tabindex: -1 });
    const note = h('p.muted', { role: 'status' });
    idpForm = h('form.idp-add', { 'aria-labelledby': 'idp-add-h', onsubmit: async (e) => {
      e.preventDefault();
      clearErrors(idpForm);
      summary.hidden = true;
      note.textContent = '';
      const body = { kind: kind.value, title: title.value.trim(), due_date: due.value || null };
      try { await post(`/api/v1/people/${s.member.id}/idp/actions`, body); } catch (ex) { showErrors(idpForm, summary, ex, { title: 'The plan item', due_date: 'The target date' }); return; }
      title.value = '';
      due.value = '';
      note.textContent = `Added to your development plan: ${body.title}`;
      try { m = await get(url); refreshLists(); } catch (ex) { failure(err, ex); }
    } },
    h('h4.agenda-sub', { id: 'idp-add-h' }, 'Add to my development plan'), summary,
    h('div.field', h('label', { for: 'idp-title' }, 'Plan item'), title),
    h('div.idp-row', h('div.field', h('label', { for: 'idp-kind' }, 'Kind'), kind), h('div.field', h('label', { for: 'idp-due' }, 'Target date'), due)),
    h('div.actions', h('button.btn', { type: 'submit' }, 'Add to my plan')), note);
  }

  /* completing or skipping ends the meeting: the notes are saved first, or nothing happens */
  const finish = async (fn) => {
    err.hidden = true;
    if (!(await saver.flush())) { failure(err, { message: 'Your notes are not saved yet; save them before finishing the meeting.' }); return; }
    try { await fn(); } catch (ex) { failure(err, ex); return; }
    render(main, { match }, ctx);
  };
  const career = h('input', { id: 'career', type: 'checkbox' });
  const reason = h('input', { id: 'skip-reason', type: 'text' });
  const controls = open ? h('section.card', h('h2', 'Finish'),
    h('label.share', { for: 'career' }, career, ' We discussed career development'),
    h('div.actions', h('button.btn.btn-primary', { type: 'button', onclick: () => finish(() => post(`/api/v1/one-on-ones/meetings/${m.id}/complete`, { career_discussed: career.checked })) }, 'Complete the meeting')),
    h('div.field', h('label', { for: 'skip-reason' }, 'Reason to skip'), reason),
    h('div.actions', h('button.btn', { type: 'button', onclick: () => finish(() => post(`/api/v1/one-on-ones/meetings/${m.id}/skip`, { reason: reason.value.trim() })) }, 'Skip this meeting'))) : null;

  const sent = m.summary_emails.length ? h('section.card', h('h2', 'Summary email'), h('ul', m.summary_emails.map((e) => h('li',
    e.sent_at ? `Sent to ${e.to} on ${formatDateTime(e.sent_at)}` : `Waiting to be sent to ${e.to}${e.last_error ? ` (last try: ${e.last_error}; next ${formatDateTime(e.next_attempt_at)})` : ''}`)))) : null;

  refreshLists();
  const agenda = h('section.card', { 'aria-labelledby': 'agenda-h' }, h('h2', { id: 'agenda-h' }, 'Agenda'),
    section('1. Performance against goals', goalsBox),
    section('2. Development plan', h('div', devBox, idpForm)),
    section('3. Feedback', feedbackBox),
    section('4. Actions', actionsBox));
  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'One-on-ones' }, h('ol', h('li', h('a', { href: '#/one-on-ones' }, 'One-on-ones')), h('li', h('a', { href: `#/one-on-ones/${s.id}` }, other.name)), h('li', { 'aria-current': 'page' }, m.local_start.slice(0, 10)))),
    h('div.page-head', h('h1', `One-on-one with ${other.name}`),
      h('p.muted', `${m.local_start.replace('T', ' ')} (${s.timezone}) · ${m.status}${m.moved ? ' · moved' : ''}${m.skip_reason ? ` · ${m.skip_reason}` : ''}`)),
    err, agenda, points, notes, actions || '', controls || '', sent || '');
}

/*
 * Autosave of the shared notes and the private note: ~800 ms after typing stops and on blur,
 * only the fields that changed, one request at a time. The state reads "Saving…", "Saved" or
 * "Not saved: <reason>" with a Retry; what was typed stays in the textareas whatever happens,
 * and leaving the page while a save is pending asks first.
 */
const DEBOUNCE_MS = 800;
function noteSaver(url, m, shared, mine, state, retry) {
  const saved = { shared_notes: m.shared_notes, private_note: m.private_note || '' };
  let timer = null, inFlight = null, failed = false;
  const changes = () => {
    const now = { shared_notes: shared.value, private_note: mine.value }, body = {};
    for (const k of Object.keys(now)) if (now[k] !== saved[k]) body[k] = now[k];
    return body;
  };
  const dirty = () => Object.keys(changes()).length > 0;
  const guard = (e) => {
    /* nothing to warn about once the page is gone and its last try failed */
    if (failed && !shared.isConnected) return disarm();
    if (timer || inFlight || dirty()) { e.preventDefault(); e.returnValue = ''; }
  };
  let armed = false;
  const arm = () => { if (!armed) { window.addEventListener('beforeunload', guard); armed = true; } };
  function disarm() { if (armed) { window.removeEventListener('beforeunload', guard); armed = false; } }
  const show = (text, canRetry = false) => { state.textContent = text; state.classList.toggle('save-failed', canRetry); retry.hidden = !canRetry; };

  async function save() {
    clearTimeout(timer);
    timer = null;
    if (inFlight) return inFlight.then(() => (timer || failed ? !failed : save()));
    const body = changes();
    if (!Object.keys(body).length) {
      if (!failed && state.textContent) show('Saved');
      disarm();
      return true;
    }
    arm();
    show('Saving…');
    inFlight = patch(url, body).then(() => {
      Object.assign(saved, body);
      failed = false;
    }, (ex) => {
      failed = true;
      const fields = Object.entries(ex.fields || {}).map(([f, p]) => `${humanField(f, { shared_notes: 'Shared notes', private_note: 'Private note' })} ${humanProblem(p)}`);
      show(`Not saved: ${fields.length ? fields.join('; ') : ex.message}`, true);
    });
    await inFlight;
    inFlight = null;
    if (failed) return false;
    if (timer) return true; /* still typing: the timer saves the rest */
    if (dirty()) return save();
    show('Saved');
    disarm();
    return true;
  }
  const later = () => {
    if (shared.readOnly) return;
    arm();
    failed = false;
    show('Saving…');
    clearTimeout(timer);
    timer = setTimeout(save, DEBOUNCE_MS);
  };
  for (const t of [shared, mine]) {
    t.addEventListener('input', later);
    t.addEventListener('blur', () => { if (timer || dirty()) save(); });
  }
  retry.addEventListener('click', () => save());
  return { flush: () => (shared.readOnly ? Promise.resolve(true) : save()) };
}
