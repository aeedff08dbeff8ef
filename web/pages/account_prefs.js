// Account page sections: change your own password, and choose what Trellis tells you about
// and how (in the app, by email as well, or not at all), with an optional daily digest email.
import { get, post, put } from '../lib/api.js';
import { h, clear } from '../lib/dom.js';
import { showErrors, clearErrors, flash } from '../lib/forms.js';

const channels = [['app', 'In the app'], ['email', 'App and email'], ['off', 'Off']];

/** Change password: current, new, and the new one again (checked here before sending). */
export function passwordSection() {
  const section = h('section.card', { 'aria-labelledby': 'password-h' });
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const field = (id, name, label, hint) => h('div.field',
    h('label', { for: id }, label),
    h('input', { id, type: 'password', 'data-field': name, autocomplete: id === 'pw-current' ? 'current-password' : 'new-password', required: true, 'aria-describedby': hint ? `${id}-hint` : null }),
    hint ? h('p.muted.field-hint', { id: `${id}-hint` }, hint) : null);
  const form = h('form.password-form', { novalidate: true, 'aria-labelledby': 'password-h' },
    field('pw-current', 'current_password', 'Current password'),
    field('pw-new', 'new_password', 'New password', 'At least 10 characters, and not a common password.'),
    field('pw-again', 'new_password_again', 'New password again'),
    summary,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Change password')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    const [cur, next, again] = ['pw-current', 'pw-new', 'pw-again'].map((id) => form.querySelector(`#${id}`).value);
    const fields = {};
    if (!cur) fields.current_password = 'is required';
    if (next.length < 10) fields.new_password = 'needs at least 10 characters';
    else if (next !== again) fields.new_password_again = 'does not match the new password';
    if (Object.keys(fields).length) { showErrors(form, summary, { fields }, { new_password_again: 'The repeated password' }); return; }
    try {
      await post('/api/v1/me/password', { current_password: cur, new_password: next });
    } catch (ex) {
      showErrors(form, summary, ex);
      return;
    }
    // the server ends every session of the person: say so, and offer the way back in
    clear(section).append(
      h('h2', { id: 'password-h' }, 'Password'),
      h('p.flash', { role: 'status' }, 'Your password was changed. You are signed out everywhere: sign in again with your new password.'),
      h('div.actions', h('a.btn.btn-primary', { href: '#/login' }, 'Sign in again')));
  });
  section.append(h('h2', { id: 'password-h' }, 'Password'),
    h('p.muted', 'Changing your password signs you out on every device. Your API tokens keep working.'),
    form);
  return section;
}

/** Notification preferences: a channel per kind, saved together, and the daily digest. */
export async function notificationSection(ctx) {
  const section = h('section.card', { 'aria-labelledby': 'notify-h' });
  const p = await get('/api/v1/me/notification-preferences');
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const digest = h('input', { id: 'notify-digest', type: 'checkbox', 'data-field': 'digest', checked: p.digest });
  // what only a manager is ever told about is not offered to someone with no reports
  const managerOnly = new Set(['outcome_response', 'no_one_on_one']);
  const rows = p.kinds.filter((k) => ctx?.me?.is_manager || !managerOnly.has(k.kind)).map((k) => {
    const id = `notify-${k.kind}`;
    const sel = h('select', { id, 'data-kind': k.kind, 'data-field': 'kinds' },
      channels.map(([v, label]) => h('option', { value: v, selected: v === k.channel }, label)));
    return h('div.notify-row', h('label', { for: id }, k.label), sel);
  });
  const form = h('form.notify-form', { novalidate: true, 'aria-labelledby': 'notify-h' },
    h('div.notify-rows', rows),
    h('div.field.checkbox-field', digest, h('label', { for: 'notify-digest' }, 'Send my emails as one daily digest instead of one by one')),
    summary,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Save preferences')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    const kinds = {};
    for (const sel of form.querySelectorAll('select[data-kind]')) kinds[sel.dataset.kind] = sel.value;
    try {
      await put('/api/v1/me/notification-preferences', { kinds, digest: digest.checked });
    } catch (ex) {
      showErrors(form, summary, ex);
      return;
    }
    flash(section, 'Notification preferences saved.');
  });
  section.append(h('h2', { id: 'notify-h' }, 'Notifications'),
    h('p.muted', 'Choose what Trellis tells you about and how. Email goes to your work address.'),
    form);
  return section;
}
