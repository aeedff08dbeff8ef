// The admin console: find a person's account, invite them by email, change their role, reset
// their password, deactivate or reactivate them, and end their sessions and API tokens. Every
// irreversible action asks first; the server audits each one.
import { get, post, patch, del, qs, sendBlob } from '../lib/api.js';
import { h, clear, avatar, emptyState, loading, errorState, formatDate, formatDateTime } from '../lib/dom.js';
import { confirmDialog, showErrors, clearErrors, flash } from '../lib/forms.js';
import { renderPeople as peopleTab, personCard } from './admin_people.js';

const ROLES = [['employee', 'Employee'], ['hr', 'HR'], ['admin', 'Administrator']];
const roleLabel = (r) => (ROLES.find(([v]) => v === r) || [r, r])[1];

export function notAdmin(main, title) {
  clear(main).append(h('div.page-head', h('h1', title)),
    emptyState('Not available to you', 'The admin console is for administrators.', h('a.btn', { href: '#/' }, 'Go home')));
}

export function adminTabs(current) {
  const tabs = [['#/admin', 'Accounts', 'accounts'], ['#/admin/people', 'People', 'people'], ['#/admin/organisation', 'Organisation', 'organisation'], ['#/admin/email', 'Email', 'email'], ['#/admin/sso', 'Single sign-on', 'sso']];
  return h('nav.tabs', { 'aria-label': 'Admin console' }, tabs.map(([href, label, key]) =>
    h('a.tab', { href, 'aria-current': key === current ? 'page' : null }, label)));
}

/** #/admin/people: add a person, import a people file. */
export async function renderPeople(main, params, ctx) {
  if (ctx.me.role !== 'admin') { notAdmin(main, 'Admin console'); return; }
  await peopleTab(main, params, ctx, adminTabs('people'));
}

/** #/admin/organisation: the organisation's name, its company values (what praise is given for)
 * and the anonymity threshold new review cycles start with; they apply at once. */
export async function renderOrganisation(main, params, ctx) {
  if (ctx.me.role !== 'admin') { notAdmin(main, 'Admin console'); return; }
  clear(main).append(loading());
  let s;
  try { s = await get('/api/v1/settings'); } catch (ex) { clear(main).append(errorState(ex)); return; }
  const name = h('input', { id: 'org-name', 'data-field': 'organisation_name', value: s.organisation_name, maxlength: 100, autocomplete: 'organization' });
  const values = h('textarea', { id: 'org-values', 'data-field': 'company_values', rows: 5 }, s.company_values.join('\n'));
  const threshold = h('input', { id: 'org-threshold', 'data-field': 'anonymity_threshold', type: 'number', min: 2, max: 20, value: String(s.anonymity_threshold) });
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const save = h('button.btn.btn-primary', { type: 'submit' }, 'Save settings');
  const form = h('form.admin-form', { 'aria-labelledby': 'org-h', novalidate: true },
    h('div.field', h('label', { for: 'org-name' }, 'Organisation name'), name,
      h('p.field-hint', 'Shown beside Trellis at the top of every page.')),
    h('div.field', h('label', { for: 'org-values' }, 'Company values'), values,
      h('p.field-hint', 'One per line, at most 12. Praise is given for one of them; leave empty to let people write their own.')),
    h('div.field', h('label', { for: 'org-threshold' }, 'Anonymity threshold for new review cycles'), threshold,
      h('p.field-hint', 'The fewest peer or upward reviews shown together, 2 to 20. Each cycle can change its own.')),
    summary, h('div.actions', save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    save.disabled = true;
    try {
      const body = {
        organisation_name: name.value.trim(),
        company_values: values.value.split('\n').map((x) => x.trim()).filter(Boolean),
        anonymity_threshold: Number(threshold.value),
      };
      const r = await patch('/api/v1/settings', body);
      name.value = r.organisation_name;
      values.value = r.company_values.join('\n');
      threshold.value = String(r.anonymity_threshold);
      ctx.me.organisation_name = r.organisation_name;
      const brand = document.querySelector('.brand');
      let org = document.querySelector('.brand-org');
      if (!org && brand) { org = h('span.brand-org'); brand.append(org); }
      if (org) org.textContent = r.organisation_name;
      flash(form, 'Saved. The settings apply now, for everyone.');
    } catch (ex) {
      showErrors(form, summary, ex, { organisation_name: 'Organisation name', company_values: 'Company values', anonymity_threshold: 'Anonymity threshold' });
    } finally { save.disabled = false; }
  });
  clear(main).append(
    h('div.page-head', h('h1', 'Admin console'), h('p.muted', 'Organisation: what applies to everyone.')),
    adminTabs('organisation'),
    h('section.card', { 'aria-labelledby': 'org-h' }, h('h2', { id: 'org-h' }, 'Organisation settings'), form),
    h('section.card', { 'aria-labelledby': 'logo-h' }, h('h2', { id: 'logo-h' }, 'Logo'), logoForm(s, ctx)),
    h('section.card', { 'aria-labelledby': 'rem-h' }, h('h2', { id: 'rem-h' }, 'Reminders'),
      h('p.muted', 'What Trellis reminds people of, and when. Each person can still turn a kind off for themselves in their notification settings.'),
      remindersForm(s.reminders)));
}

/** The organisation's logo: a preview, an upload and a removal behind a confirmation. */
function logoForm(initial, ctx) {
  let version = initial.logo;
  const box = h('div');
  const file = h('input', { id: 'logo-file', type: 'file', accept: 'image/png,image/jpeg,image/webp', 'data-field': 'logo' });
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const upload = h('button.btn.btn-primary', { type: 'submit' }, 'Upload the logo');
  const remove = h('button.btn', { type: 'button' }, 'Remove the logo');
  const form = h('form.admin-form', { 'aria-labelledby': 'logo-h', novalidate: true },
    box,
    h('div.field', h('label', { for: 'logo-file' }, 'Logo image'), file,
      h('p.field-hint', 'PNG, JPEG or WebP, at most 256 KB. Shown beside Trellis at the top of every page.')),
    summary, h('div.actions', upload, remove));
  const topbar = () => {
    ctx.me.organisation_logo = version;
    const brand = document.querySelector('.brand');
    let img = document.querySelector('.brand-logo');
    if (!version) { img?.remove(); return; }
    if (!img && brand) { img = h('img.brand-logo', { alt: `${ctx.me.organisation_name || 'Organisation'} logo`, height: 26 }); brand.querySelector('.brand-org') ? brand.insertBefore(img, brand.querySelector('.brand-org')) : brand.append(img); }
    if (img) img.src = `/api/v1/settings/logo?v=${encodeURIComponent(version)}`;
  };
  function show() {
    clear(box).append(version
      ? h('p', h('img.logo-preview', { src: `/api/v1/settings/logo?v=${encodeURIComponent(version)}`, alt: 'The current logo' }))
      : h('p.muted', 'No logo yet.'));
    remove.hidden = !version;
  }
  show();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    const f = file.files[0];
    if (!f) { showErrors(form, summary, { fields: { logo: 'choose an image file first' } }, { logo: 'Logo image:' }); return; }
    upload.disabled = true;
    try {
      version = (await sendBlob('PUT', '/api/v1/settings/logo', f, f.type || 'application/octet-stream')).logo;
      file.value = '';
      show();
      topbar();
      flash(form, 'Saved. Everyone sees the new logo from their next page.');
    } catch (ex) {
      showErrors(form, summary, ex, { logo: 'The logo' });
    } finally { upload.disabled = false; }
  });
  remove.addEventListener('click', async () => {
    if (!await confirmDialog('Remove the logo?', 'The top bar shows Trellis and the organisation name only. You can upload a logo again at any time.', 'Remove the logo')) return;
    try {
      version = (await del('/api/v1/settings/logo')).logo;
      show();
      topbar();
      flash(form, 'The logo was removed.');
    } catch (ex) { showErrors(form, summary, ex, {}); }
  });
  return form;
}

const RULES = [
  ['review_deadline', 'A review is due soon', 'to its writer'],
  ['review_overdue', 'A review is overdue', 'to its writer'],
  ['agenda_empty', 'A one-on-one within a day has an empty agenda', 'to both people'],
  ['action_due', 'An action item from a one-on-one is due', 'to its owner'],
  ['no_one_on_one', 'No one-on-one with a report for a while', 'to the manager'],
  ['goal_stale', 'A goal has had no check-in for a while', 'to its owner'],
];

/** The reminder rules: each on or off, their thresholds and the hour they run; only what
 * changed is sent. */
function remindersForm(initial) {
  let r = initial;
  const boxes = Object.fromEntries(RULES.map(([k]) => [k, h('input', { id: `rem-${k}`, type: 'checkbox', 'data-field': `reminders.rules.${k}` })]));
  const num = (id, field, min, max) => h('input', { id, 'data-field': `reminders.${field}`, type: 'number', min, max, inputmode: 'numeric' });
  const weeks = num('rem-weeks', 'no_one_on_one_weeks', 2, 26);
  const days = num('rem-days', 'goal_stale_days', 7, 180);
  const deadline = num('rem-deadline', 'review_deadline_days', 1, 14);
  const hour = h('select', { id: 'rem-hour', 'data-field': 'reminders.hour_utc' },
    h('option', { value: '' }, 'Every scheduler pass (within minutes)'),
    Array.from({ length: 24 }, (_, i) => h('option', { value: String(i) }, `${String(i).padStart(2, '0')}:00 UTC`)));
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const save = h('button.btn.btn-primary', { type: 'submit' }, 'Save reminders');
  function show() {
    for (const [k] of RULES) boxes[k].checked = !!r.rules[k];
    weeks.value = String(r.no_one_on_one_weeks);
    days.value = String(r.goal_stale_days);
    deadline.value = String(r.review_deadline_days);
    hour.value = r.hour_utc === null ? '' : String(r.hour_utc);
  }
  show();
  const form = h('form.admin-form', { 'aria-labelledby': 'rem-h', novalidate: true },
    h('fieldset.field', h('legend', 'Remind people when'),
      RULES.map(([k, label, who]) => h('label.check', { for: `rem-${k}` }, boxes[k], h('span', `${label} `, h('span.muted', `(${who})`))))),
    h('div.grid-2.tight',
      h('div.field', h('label', { for: 'rem-deadline' }, 'A review is "due soon" within (days)'), deadline, h('p.field-hint', '1 to 14 days before its phase deadline.')),
      h('div.field', h('label', { for: 'rem-weeks' }, 'No one-on-one for (weeks)'), weeks, h('p.field-hint', '2 to 26 weeks since the last one held.'))),
    h('div.grid-2.tight',
      h('div.field', h('label', { for: 'rem-days' }, 'No goal check-in for (days)'), days, h('p.field-hint', '7 to 180 days.')),
      h('div.field', h('label', { for: 'rem-hour' }, 'Send reminders at'), hour, h('p.field-hint', 'Once a day at this hour, or as soon as something is due.'))),
    summary, h('div.actions', save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    const body = {};
    const rules = {};
    for (const [k] of RULES) if (boxes[k].checked !== r.rules[k]) rules[k] = boxes[k].checked;
    if (Object.keys(rules).length) body.rules = rules;
    const n = (el, k) => { if (el.value.trim() !== String(r[k])) body[k] = /^\d+$/.test(el.value.trim()) ? Number(el.value.trim()) : el.value.trim(); };
    n(weeks, 'no_one_on_one_weeks');
    n(days, 'goal_stale_days');
    n(deadline, 'review_deadline_days');
    const hv = hour.value === '' ? null : Number(hour.value);
    if (hv !== r.hour_utc) body.hour_utc = hv;
    if (!Object.keys(body).length) { flash(form, 'Nothing to save: nothing was changed.'); return; }
    save.disabled = true;
    try {
      r = (await patch('/api/v1/settings', { reminders: body })).reminders;
      show();
      flash(form, 'Saved. The next reminder pass follows these rules.');
    } catch (ex) {
      showErrors(form, summary, ex, {
        'reminders.no_one_on_one_weeks': 'No one-on-one for (weeks)', 'reminders.goal_stale_days': 'No goal check-in for (days)',
        'reminders.review_deadline_days': 'Due soon within (days)', 'reminders.hour_utc': 'Send reminders at',
      });
    } finally { save.disabled = false; }
  });
  return form;
}

const TLS = [['', 'As the server\'s configuration says'], ['opportunistic', 'When the server offers it'], ['required', 'Always (refuse a server without it)'], ['off', 'Never']];

/** The SMTP server an admin sets here, over the server's configuration: only changed fields are
 * sent; the password is write-only. */
function smtpForm(initial) {
  let s = initial;
  const cfg = (k) => s.config?.[k];
  const hint = (k, what) => h('p.field-hint', cfg(k) ? `Empty: the server's configuration, ${cfg(k)}.` : `Empty: ${what}.`);
  const url = h('input', { id: 'smtp-url', 'data-field': 'smtp_url', value: s.smtp_url || '', placeholder: 'smtp://mail.example.com:587', autocomplete: 'off', spellcheck: 'false' });
  const from = h('input', { id: 'smtp-from', 'data-field': 'smtp_from', value: s.smtp_from || '', placeholder: 'Trellis <people@example.com>', autocomplete: 'off' });
  const user = h('input', { id: 'smtp-user', 'data-field': 'smtp_user', value: s.smtp_user || '', autocomplete: 'off', spellcheck: 'false' });
  const pass = h('input', { id: 'smtp-password', 'data-field': 'smtp_password', type: 'password', autocomplete: 'new-password' });
  const passState = h('p.field-hint', { id: 'smtp-password-hint' });
  const removePass = h('input', { id: 'smtp-password-remove', type: 'checkbox' });
  const removeRow = h('div.field', h('label.check', { for: 'smtp-password-remove' }, removePass, ' Remove the saved password'));
  const tls = h('select', { id: 'smtp-tls', 'data-field': 'smtp_starttls' }, TLS.map(([v, l]) => h('option', { value: v }, l)));
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const save = h('button.btn.btn-primary', { type: 'submit' }, 'Save email settings');
  function show() {
    url.value = s.smtp_url || '';
    from.value = s.smtp_from || '';
    user.value = s.smtp_user || '';
    tls.value = s.smtp_starttls || '';
    pass.value = '';
    removePass.checked = false;
    removeRow.style.display = s.smtp_password_set ? '' : 'none';
    passState.textContent = s.smtp_password_set ? 'A password is saved. Leave this empty to keep it.'
      : cfg('smtp_password_set') ? 'Empty: the password of the server\'s configuration.' : 'None is saved.';
  }
  show();
  const form = h('form.admin-form', { 'aria-labelledby': 'smtp-h', novalidate: true },
    h('div.field', h('label', { for: 'smtp-url' }, 'SMTP server'), url, hint('smtp_url', 'no server, so email waits in the outbox')),
    h('div.field', h('label', { for: 'smtp-from' }, 'Sender'), from, hint('smtp_from', 'trellis@localhost')),
    h('div.grid-2.tight',
      h('div.field', h('label', { for: 'smtp-user' }, 'User name'), user, hint('smtp_user', 'no sign-in')),
      h('div.field', h('label', { for: 'smtp-password' }, 'Password'), pass, passState)),
    removeRow,
    h('div.field', h('label', { for: 'smtp-tls' }, 'STARTTLS on smtp://'), tls,
      h('p.field-hint', `smtps:// always uses TLS. The configuration says: ${TLS.find(([v]) => v === cfg('smtp_starttls'))?.[1].toLowerCase() || 'when the server offers it'}.`)),
    summary, h('div.actions', save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    const body = {};
    const put = (k, v) => { if ((s[k] || '') !== v) body[k] = v === '' ? null : v; };
    put('smtp_url', url.value.trim());
    put('smtp_from', from.value.trim());
    put('smtp_user', user.value.trim());
    put('smtp_starttls', tls.value);
    if (pass.value) body.smtp_password = pass.value;
    else if (removePass.checked) body.smtp_password = null;
    if (!Object.keys(body).length) { flash(form, 'Nothing to save: nothing was changed.'); return; }
    save.disabled = true;
    try {
      s = await patch('/api/v1/settings/email', body);
      show();
      flash(form, 'Saved. The next email goes out through these settings, on every server.');
    } catch (ex) {
      showErrors(form, summary, ex, { smtp_url: 'SMTP server', smtp_from: 'Sender', smtp_user: 'User name', smtp_password: 'Password', smtp_starttls: 'STARTTLS' });
    } finally { save.disabled = false; }
  });
  return form;
}

/** #/admin/email: the SMTP server, and a test email through it with the server's answer. */
export async function renderEmail(main, params, ctx) {
  if (ctx.me.role !== 'admin') { notAdmin(main, 'Admin console'); return; }
  clear(main).append(loading());
  let settings;
  try { settings = await get('/api/v1/settings/email'); } catch (ex) { clear(main).append(errorState(ex)); return; }
  const to = h('input', { id: 'test-to', type: 'email', 'data-field': 'to', value: ctx.me.person.email, autocomplete: 'off' });
  const send = h('button.btn.btn-primary', { type: 'submit' }, 'Send a test email');
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const answer = h('div', { role: 'status', 'aria-live': 'polite' });
  const form = h('form.admin-form', { 'aria-labelledby': 'test-h', novalidate: true },
    h('div.field', h('label', { for: 'test-to' }, 'Send to'), to), summary, h('div.actions', send));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    clear(answer).append(h('p.muted', 'Sending… (this waits for the SMTP server, at most 20 seconds)'));
    send.disabled = true;
    try {
      const r = await post('/api/v1/admin/test-email', { to: to.value.trim() });
      clear(answer).append(h('div.alert.alert-info', h('strong', `Sent to ${r.to}. `), `The server's answer: ${r.answer}.`));
    } catch (ex) {
      clear(answer);
      if (ex.fields && Object.keys(ex.fields).length) showErrors(form, summary, ex, { to: 'Send to' });
      else answer.append(h('div.alert', { role: 'alert' }, h('strong', 'Not sent. '), ex.message.replace(/^./, (c) => c.toUpperCase()) + '.'));
    } finally { send.disabled = false; }
  });
  clear(main).append(
    h('div.page-head', h('h1', 'Admin console'), h('p.muted', 'Email: the mail server Trellis sends through, and a test email.')),
    adminTabs('email'),
    h('section.card', { 'aria-labelledby': 'smtp-h' }, h('h2', { id: 'smtp-h' }, 'Mail server'),
      h('p.muted', 'Trellis sends invitations, reminders and meeting summaries through this SMTP server. What you set here is used instead of the server\'s configuration file, at once and without a restart; empty a field to go back to the configuration.'),
      smtpForm(settings)),
    h('section.card', { 'aria-labelledby': 'test-h' }, h('h2', { id: 'test-h' }, 'Test the email settings'),
      h('p.muted', 'A test email goes out at once, outside the outbox, through the settings above, and you see what the server answered.'),
      form, answer));
}

/** #/admin: search people and open one's account. */
export async function render(main, { query }, ctx) {
  if (ctx.me.role !== 'admin') { notAdmin(main, 'Admin console'); return; }
  const q = h('input', { id: 'admin-q', type: 'search', placeholder: 'Name, email, title or employee id', value: query.get('q') || '', autocomplete: 'off' });
  const results = h('div', { 'aria-live': 'polite' });
  clear(main).append(
    h('div.page-head', h('h1', 'Admin console'), h('p.muted', 'Accounts: invitations, roles, passwords, sessions and API tokens.')),
    adminTabs('accounts'),
    h('form.filters', { role: 'search', onsubmit: (e) => e.preventDefault() },
      h('div.field.grow', h('label', { for: 'admin-q' }, 'Find a person'), q)),
    results);
  let seq = 0;
  async function load() {
    const mine = ++seq;
    clear(results).append(loading());
    try {
      const page = await get('/api/v1/people' + qs({ q: q.value.trim(), status: 'all', limit: 50 }));
      if (mine !== seq) return;
      clear(results);
      if (!page.items.length) { results.append(emptyState('Nobody found', 'Try another name or email.')); return; }
      results.append(h('div.table-wrap.card', { tabindex: '0', role: 'region', 'aria-label': 'People and their accounts' }, h('table.table.admin-table',
        h('thead', h('tr', h('th', { scope: 'col' }, 'Name'), h('th.col-email', { scope: 'col' }, 'Email'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, h('span.sr-only', 'Actions')))),
        h('tbody', page.items.map((p) => h('tr', { 'data-person-id': p.id },
          h('td', h('span.person-cell', avatar(p.name, 'sm'), h('span', p.name, p.title ? h('span.muted.block', p.title) : null))),
          h('td.col-email', { 'data-label': 'Email' }, p.email),
          h('td', { 'data-label': 'Status' }, p.status === 'active' ? 'Active' : h('span.badge', p.status)),
          h('td', h('a.btn.btn-small', { href: `#/admin/accounts/${p.id}`, 'aria-label': `Manage ${p.name}` }, 'Manage'))))))));
      if (page.next_cursor) results.append(h('p.muted', 'Showing the first 50; search to narrow the list.'));
    } catch (e) { if (mine === seq) clear(results).append(errorState(e, load)); }
  }
  let timer = null;
  q.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(load, 200); });
  await load();
}

function sessionAgent(s) {
  const ua = s.user_agent || '';
  const browser = /Firefox\//.test(ua) ? 'Firefox' : /Edg\//.test(ua) ? 'Edge' : /Chrom(e|ium)\//.test(ua) ? 'Chrome' : /Safari\//.test(ua) ? 'Safari' : ua ? ua.slice(0, 40) : 'Unknown client';
  return `${browser}${s.ip ? ' from ' + s.ip : ''}`;
}

/** #/admin/accounts/ID: one person's account. */
export async function renderAccount(main, { match }, ctx) {
  if (ctx.me.role !== 'admin') { notAdmin(main, 'Account'); return; }
  const id = Number(match[1]);
  const self = id === ctx.me.person.id;
  const box = h('div');
  clear(main).append(h('p.breadcrumb', h('a', { href: '#/admin' }, 'Admin console'), ' / Account'), box);

  async function refresh(note) {
    const [a, tokens] = await Promise.all([get(`/api/v1/accounts/${id}`), get(`/api/v1/accounts/${id}/tokens`)]);
    const person = await personCard(a.person, ctx, refresh);
    draw(a, tokens.items, person);
    if (note) flash(box, note);
  }

  function draw(a, tokens, personEl) {
    const p = a.person;
    const acc = a.account;
    const active = acc && acc.active;
    const status = !acc ? 'No account yet' : !active ? `Deactivated ${formatDate(acc.disabled_at)}` : acc.has_password ? 'Active' : 'Invited, no password yet';
    const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
    const actionsCard = h('section.card.admin-account', { 'aria-labelledby': 'acct-actions-h' }, h('h2', { id: 'acct-actions-h' }, 'Account'));
    const facts = h('dl.facts',
      h('dt', 'Email'), h('dd', p.email),
      h('dt', 'Role'), h('dd', { id: 'acct-role' }, acc ? roleLabel(acc.role) : '—'),
      h('dt', 'Status'), h('dd', { id: 'acct-status' }, status),
      h('dt', 'Invitation'), h('dd', { id: 'acct-invitation' }, !a.invitation ? 'None sent'
        : a.invitation.state === 'pending' ? `Sent ${formatDateTime(a.invitation.created_at)}, valid until ${formatDateTime(a.invitation.expires_at)}`
          : a.invitation.state === 'used' ? `Accepted ${formatDateTime(a.invitation.used_at)}`
            : `Expired ${formatDateTime(a.invitation.expires_at)}`));
    actionsCard.append(facts, summary);

    if (self) {
      actionsCard.append(h('p.muted', 'This is your own account: another administrator changes its role or deactivates it. Your password and tokens are on your ', h('a', { href: '#/account' }, 'account page'), '.'));
    } else if (p.status !== 'active') {
      actionsCard.append(h('p.muted', `${p.name} is ${p.status} in the directory, so they cannot sign in.`));
    } else {
      const roleSel = h('select', { id: 'acct-role-select', 'data-field': 'role' }, ROLES.map(([v, l]) => h('option', { value: v }, l)));
      roleSel.value = acc ? acc.role : 'employee';
      const roleForm = h('form.inline-form', { 'aria-label': 'Change the role', novalidate: true },
        h('div.field', h('label', { for: 'acct-role-select' }, 'Role'), roleSel),
        h('button.btn', { type: 'submit' }, 'Change role'));
      roleForm.addEventListener('submit', async (e) => {
        e.preventDefault();
        clearErrors(roleForm);
        if (acc && roleSel.value === acc.role) { flash(box, `${p.name} is already ${roleLabel(acc.role)}.`); return; }
        if (roleSel.value === 'admin' && !await confirmDialog(`Make ${p.name} an administrator?`, 'Administrators manage every account, role, password and token.', 'Make administrator')) return;
        try { await patch(`/api/v1/accounts/${id}`, { role: roleSel.value }); } catch (ex) { showErrors(roleForm, summary, ex); return; }
        await refresh(`${p.name} is now ${roleLabel(roleSel.value)}.`);
      });
      const buttons = h('div.actions.admin-actions');
      const act = (label, cls, fn) => buttons.append(h(`button.btn${cls}`, { type: 'button', onclick: async () => {
        summary.hidden = true;
        try { await fn(); } catch (ex) { showErrors(actionsCard, summary, ex); }
      } }, label));
      if (!acc || active) {
        act(a.invitation && a.invitation.state === 'pending' ? 'Send a new invitation' : 'Send invitation', '', async () => {
          if (acc && acc.has_password && !await confirmDialog(`Send ${p.name} an invitation?`, `${p.name} already has a password. The link lets them choose a new one; their current password keeps working until they do.`, 'Send invitation')) return;
          if (a.invitation && a.invitation.state === 'pending' && !await confirmDialog('Send a new invitation?', 'The link sent before stops working.', 'Send new link')) return;
          const r = await post(`/api/v1/accounts/${id}/invitation`, acc ? {} : { role: roleSel.value });
          await refresh(`Invitation emailed to ${r.email}; the link works once, until ${formatDateTime(r.expires_at)}.`);
        });
      }
      if (acc && active) {
        act('Reset password', '', async () => {
          if (!await confirmDialog(`Reset ${p.name}'s password?`, 'Their current password stops working, they are signed out everywhere and their API tokens are revoked. This cannot be undone.', 'Reset password')) return;
          const r = await post(`/api/v1/accounts/${id}/password-reset`);
          await refresh();
          box.prepend(h('div.secret-box', { role: 'region', 'aria-labelledby': 'temp-h' },
            h('h3', { id: 'temp-h' }, `Temporary password for ${p.name}`),
            h('p.secret-warning', h('strong', 'Give it to them now: it is shown only once.'), ' They should change it on their account page after signing in.'),
            h('div.field', h('label', { for: 'temp-pw' }, 'Temporary password'), h('input.secret-value', { id: 'temp-pw', readonly: true, value: r.temporary_password }))));
        });
        act('Deactivate', '.btn-danger-outline', async () => {
          if (!await confirmDialog(`Deactivate ${p.name}?`, 'They are signed out at once, every API token of theirs is revoked for good, and they cannot sign in until an administrator reactivates the account.', 'Deactivate')) return;
          await post(`/api/v1/accounts/${id}/deactivate`);
          await refresh(`${p.name} is deactivated.`);
        });
      }
      if (acc && !active) {
        act('Reactivate', '', async () => {
          await post(`/api/v1/accounts/${id}/reactivate`);
          await refresh(`${p.name} can sign in again.`);
        });
      }
      actionsCard.append(roleForm, buttons);
    }

    const sessionsCard = h('section.card', { 'aria-labelledby': 'acct-sessions-h' }, h('h2', { id: 'acct-sessions-h' }, 'Signed-in sessions'));
    if (!a.sessions.length) sessionsCard.append(h('p.muted', 'No open sessions.'));
    else {
      sessionsCard.append(h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Sessions' }, h('table.table',
        h('thead', h('tr', ['Client', 'Signed in', 'Last seen', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', a.sessions.map((s) => h('tr', { 'data-session-id': s.id },
          h('td', sessionAgent(s)),
          h('td', { 'data-label': 'Signed in' }, formatDateTime(new Date(s.created_at * 1000).toISOString())),
          h('td', { 'data-label': 'Last seen' }, formatDateTime(new Date(s.last_seen * 1000).toISOString())),
          h('td', h('button.btn.btn-quiet', { type: 'button', 'aria-label': `End session ${sessionAgent(s)}`, onclick: async () => {
            if (!await confirmDialog('End this session?', `${p.name} is signed out of it at once.`, 'End session')) return;
            await del(`/api/v1/accounts/${id}/sessions/${s.id}`);
            await refresh('The session was ended.');
          } }, 'End'))))))));
    }

    const tokensCard = h('section.card', { 'aria-labelledby': 'acct-tokens-h' }, h('h2', { id: 'acct-tokens-h' }, 'API tokens'));
    if (!tokens.length) tokensCard.append(h('p.muted', 'No API tokens.'));
    else {
      tokensCard.append(h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'API tokens' }, h('table.table',
        h('thead', h('tr', ['Name', 'Created', 'Last used', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', tokens.map((t) => h('tr', { 'data-token-id': t.id },
          h('td', t.name || '(unnamed)', ' ', t.revoked_at ? h('span.badge', `Revoked ${formatDate(t.revoked_at)}`) : null),
          h('td', { 'data-label': 'Created' }, formatDate(t.created_at)),
          h('td', { 'data-label': 'Last used' }, t.last_used_at ? formatDateTime(t.last_used_at) : 'Never used'),
          h('td', t.revoked_at ? null : h('button.btn.btn-quiet', { type: 'button', 'aria-label': `Revoke ${t.name || 'token'}`, onclick: async () => {
            if (!await confirmDialog('Revoke this token?', `Scripts using “${t.name || 'this token'}” stop working at once. This cannot be undone.`, 'Revoke token')) return;
            await del(`/api/v1/accounts/${id}/tokens/${t.id}`);
            await refresh('The token was revoked.');
          } }, 'Revoke'))))))));
    }

    clear(box).append(
      h('div.page-head.profile-head', avatar(p.name, 'lg'), h('div', h('h1', p.name), h('p.muted', [p.title, p.department?.name].filter(Boolean).join(' · ')))),
      actionsCard, personEl, sessionsCard, tokensCard);
  }
  try { await refresh(); } catch (e) { clear(box).append(errorState(e, () => refresh())); }
}
