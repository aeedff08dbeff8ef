// Feedback and recognition: what I received and gave, the public wall, requests to and from me,
// and forms to give feedback or ask coworkers for it.
import { get, post, qs } from '../lib/api.js';
import { h, clear, avatar, emptyState, formatDateTime } from '../lib/dom.js';

const visLabel = { private: 'Private', managers: 'Visible to managers', public: 'On the wall' };

function card(f) {
  return h('li.card.fb-card',
    h('div.fb-head', avatar(f.author.name, 'sm'),
      h('span', h('strong', f.author.name), ' → ', h('strong', f.recipient.name)),
      h(`span.badge.fb-${f.kind}`, f.kind === 'praise' ? 'Praise' : 'Constructive'),
      h('span.badge', visLabel[f.visibility]),
      f.company_value ? h('span.badge.badge-accent', f.company_value) : null),
    h('p.fb-body', f.body),
    h('p.muted.fb-date', formatDateTime(f.created_at)));
}

/** A person picker: a search box whose matches become a select; preset = {id, name} chosen. */
function personPicker(id, label, preset) {
  const input = h('input', { id: `${id}-q`, type: 'search', placeholder: 'Type a name', autocomplete: 'off', value: preset?.name || '' });
  const select = h('select', { id, required: true }, preset ? h('option', { value: preset.id, selected: true }, preset.name) : h('option', { value: '' }, 'Search first'));
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const page = await get('/api/v1/people' + qs({ q: input.value.trim(), limit: 10 }));
      clear(select).append(...(page.items.length ? page.items.map((p) => h('option', { value: p.id }, `${p.name} — ${p.title || ''}`)) : [h('option', { value: '' }, 'No match')]));
    }, 150);
  });
  return [h('div.field.grow', h('label', { for: `${id}-q` }, `Find ${label}`), input), h('div.field.grow', h('label', { for: id }, label), select)];
}

function errorText(ex) {
  return Object.keys(ex.fields || {}).length ? Object.entries(ex.fields).map(([k, v]) => `${k}: ${v}`).join('; ') : ex.message;
}

const kindSelect = (id) => h('select', { id }, h('option', { value: 'praise' }, 'Praise'), h('option', { value: 'constructive' }, 'Constructive'));
const visSelect = (id) => h('select', { id }, h('option', { value: 'private' }, 'Private (just the two of you)'), h('option', { value: 'managers' }, 'Visible to their managers'), h('option', { value: 'public' }, 'Public, on the recognition wall'));

function giveForm(done, preset) {
  const err = h('div.alert', { role: 'alert', hidden: true });
  // the company's values when an admin has listed them, else any words
  const valueField = h('div.field', h('label', { for: 'fb-value' }, 'Company value (praise)'), h('input', { id: 'fb-value' }));
  get('/api/v1/settings').then((s) => {
    if (!s.company_values.length) return;
    valueField.querySelector('#fb-value').replaceWith(h('select', { id: 'fb-value' },
      h('option', { value: '' }, 'None'), s.company_values.map((v) => h('option', { value: v }, v))));
  }).catch(() => {});
  const kind = kindSelect('fb-kind');
  const vis = visSelect('fb-vis');
  const form = h('form.card', { 'aria-labelledby': 'give-h' },
    h('h2', { id: 'give-h' }, preset ? `Give feedback to ${preset.name}` : 'Give feedback'),
    h('div.filters', ...personPicker('fb-to', 'Recipient', preset)),
    h('div.filters',
      h('div.field', h('label', { for: 'fb-kind' }, 'Kind'), kind),
      h('div.field', h('label', { for: 'fb-vis' }, 'Who sees it'), vis),
      valueField),
    h('div.field', h('label', { for: 'fb-body' }, 'Message'), h('textarea', { id: 'fb-body', rows: 3 })),
    err, h('button.btn.btn-primary', { type: 'submit' }, 'Send feedback'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const v = (id) => form.querySelector('#' + id).value;
    try {
      await post('/api/v1/feedback', { recipient_id: Number(v('fb-to')) || null, kind: kind.value, visibility: vis.value, company_value: v('fb-value').trim() || null, body: v('fb-body').trim() });
      done();
    } catch (ex) { err.textContent = errorText(ex); err.hidden = false; }
  });
  return form;
}

function askForm(done, preset) {
  const err = h('div.alert', { role: 'alert', hidden: true });
  const form = h('form.card', { 'aria-labelledby': 'ask-h' },
    h('h2', { id: 'ask-h' }, preset ? `Ask ${preset.name} for feedback` : 'Ask for feedback'),
    h('div.filters', ...personPicker('ask-to', 'Coworker', preset)),
    h('div.filters',
      h('div.field.grow', h('label', { for: 'ask-topic' }, 'About'), h('input', { id: 'ask-topic', placeholder: 'A project, a talk, a skill…' })),
      h('div.field', h('label', { for: 'ask-due' }, 'By'), h('input', { id: 'ask-due', type: 'date' }))),
    err, h('button.btn.btn-primary', { type: 'submit' }, 'Send request'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    err.hidden = true;
    const v = (id) => form.querySelector('#' + id).value;
    try {
      await post('/api/v1/feedback-requests', { asked_ids: v('ask-to') ? [Number(v('ask-to'))] : [], topic: v('ask-topic').trim(), due_date: v('ask-due') || null });
      done();
    } catch (ex) { err.textContent = errorText(ex); err.hidden = false; }
  });
  return form;
}

function requestRow(q, reload) {
  const actions = [];
  if (q.status === 'open' && reload) {
    const body = h('textarea', { id: `ans-${q.id}`, rows: 3 });
    const err = h('div.alert', { role: 'alert', hidden: true });
    const kind = kindSelect(`ans-kind-${q.id}`), vis = visSelect(`ans-vis-${q.id}`);
    const answer = h('form.answer', h('label', { for: `ans-${q.id}` }, `Your feedback for ${q.requester.name} on “${q.topic}”`), body,
      h('div.filters',
        h('div.field', h('label', { for: `ans-kind-${q.id}` }, 'Kind'), kind),
        h('div.field', h('label', { for: `ans-vis-${q.id}` }, 'Who sees it'), vis)),
      err,
      h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Answer'),
        h('button.btn', { type: 'button', onclick: async () => { await post(`/api/v1/feedback-requests/${q.id}/decline`, {}); reload(); } }, 'Decline')));
    answer.addEventListener('submit', async (e) => {
      e.preventDefault();
      try { await post(`/api/v1/feedback-requests/${q.id}/answer`, { body: body.value.trim(), kind: kind.value, visibility: vis.value }); reload(); } catch (ex) { err.textContent = errorText(ex); err.hidden = false; }
    });
    actions.push(answer);
  }
  return h('li.card.fb-card',
    h('div.fb-head', h('strong', q.requester.name), ' asked ', h('strong', q.asked.name), h('span.badge', q.status)),
    h('p.fb-body', q.topic), q.due_date ? h('p.muted', `Due ${q.due_date}`) : null, actions);
}

export async function render(main, { query }, ctx) {
  const tab = query.get('tab') || 'received';
  const tabs = [['received', 'Received'], ['given', 'Given'], ['requests', 'Requests'], ['wall', 'Recognition wall']];
  const body = h('div');
  const slot = h('div');
  const reload = () => render(main, { query }, ctx);
  // from a profile: #/feedback?give=ID&name=… or ?ask=ID&name=… opens the form for that person
  const presetId = query.get('give') || query.get('ask');
  const preset = presetId ? { id: Number(presetId), name: query.get('name') || 'this person' } : null;
  if (preset) queueMicrotask(() => clear(slot).append(query.get('give') ? giveForm(() => ctx.navigate('#/feedback?tab=given'), preset) : askForm(() => ctx.navigate('#/feedback?tab=requests'), preset)));
  clear(main).append(
    h('div.page-head.page-head-row', h('h1', 'Feedback'),
      h('div.actions',
        h('button.btn.btn-primary', { type: 'button', onclick: () => clear(slot).append(giveForm(reload)) }, 'Give feedback'),
        h('button.btn', { type: 'button', onclick: () => clear(slot).append(askForm(() => ctx.navigate('#/feedback?tab=requests'))) }, 'Ask for feedback'))),
    slot,
    h('nav.tabs', { 'aria-label': 'Feedback views' }, tabs.map(([k, label]) => h('a.tab', { href: `#/feedback?tab=${k}`, 'aria-current': k === tab ? 'page' : null }, label))),
    body);
  if (tab === 'requests') {
    const [toMe, mine] = await Promise.all([get('/api/v1/feedback-requests'), get('/api/v1/feedback-requests?mine=1')]);
    body.append(h('h2.section-title', 'Asked of me'),
      toMe.items.length ? h('ul.fb-list', toMe.items.map((q) => requestRow(q, reload))) : emptyState('No requests for you', 'When coworkers ask for your feedback it appears here.'),
      h('h2.section-title', 'My requests'),
      mine.items.length ? h('ul.fb-list', mine.items.map((q) => requestRow(q, null))) : emptyState('You have not asked yet', 'Ask coworkers for feedback on a project or a skill.'));
    return;
  }
  const params = tab === 'given' ? { given: 1 } : tab === 'wall' ? { wall: 1 } : {};
  const page = await get('/api/v1/feedback' + qs({ ...params, limit: 100 }));
  body.append(page.items.length ? h('ul.fb-list', page.items.map(card))
    : emptyState(tab === 'wall' ? 'The wall is empty' : 'Nothing here yet', tab === 'wall' ? 'Public praise appears on the recognition wall.' : 'Feedback appears here as it is given.'));
}
