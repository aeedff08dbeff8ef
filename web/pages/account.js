// The signed-in person's account: their API tokens (for scripts: Authorization: Bearer TOKEN).
// Changing one's password and notification preferences are in account_prefs.js.
// A new token's secret is shown once, with a copy button; revoking asks first.
import { get, post, del } from '../lib/api.js';
import { h, clear, formatDate, formatDateTime } from '../lib/dom.js';
import { confirmDialog, showErrors, clearErrors, flash } from '../lib/forms.js';
import { passwordSection, notificationSection } from './account_prefs.js';

const expiries = [['', 'Never'], ['7', 'In 7 days'], ['30', 'In 30 days'], ['90', 'In 90 days'], ['365', 'In a year']];

function state(t) {
  if (t.revoked_at) return h('span.badge', `Revoked ${formatDate(t.revoked_at)}`);
  if (t.expires_at && Date.parse(t.expires_at) <= Date.now()) return h('span.badge', 'Expired');
  return null;
}

/** The secret of a token just created: shown once, with a copy button. */
function secretBox(t) {
  const input = h('input.secret-value', { id: 'new-token', readonly: true, value: t.token, spellcheck: 'false', autocomplete: 'off' });
  const copied = h('span.muted', { role: 'status' });
  const copy = h('button.btn', {
    type: 'button',
    onclick: async () => {
      input.select();
      try { await navigator.clipboard.writeText(t.token); } catch { document.execCommand('copy'); }
      copied.textContent = 'Copied.';
    },
  }, 'Copy');
  return h('div.secret-box', { role: 'region', 'aria-labelledby': 'new-token-h' },
    h('h3', { id: 'new-token-h' }, `New token “${t.name}”`),
    h('p.secret-warning', h('strong', 'Copy it now: it is shown only once.'), ' Trellis keeps only a fingerprint of it, so nobody can show it to you again. Use it as ', h('code', 'Authorization: Bearer TOKEN'), '.'),
    h('div.field', h('label', { for: 'new-token' }, 'Token'), h('div.secret-row', input, copy)),
    copied);
}

export async function render(main, params, ctx) {
  // its heading at once: the section is on the page while the notification settings load, and a
  // region named by a heading not there yet is no region (axe: aria-prohibited-attr)
  const section = h('section.card', { 'aria-labelledby': 'tokens-h' }, h('h2', { id: 'tokens-h' }, 'API tokens'));
  // the data-subject export: everything Trellis stores about you, as one JSON file
  const data = h('section.card', { 'aria-labelledby': 'data-h' },
    h('h2', { id: 'data-h' }, 'Your data'),
    h('p.muted', 'Everything Trellis stores about you — profile, goals, journal, feedback, reviews, development plan, one-on-ones with your own notes, notifications and the audit trail — as one JSON file.'),
    h('div.actions', h('a.btn', { href: `/api/v1/people/${ctx.me.person.id}/export`, download: `trellis-person-${ctx.me.person.id}.json` }, 'Download my data')));
  clear(main).append(
    h('div.page-head', h('h1', 'Account'), h('p.muted', `Signed in as ${ctx.me.person.name} (${ctx.me.person.email}).`)),
    passwordSection(), section, data);
  main.insertBefore(await notificationSection(ctx), section);

  const reveal = h('div');
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const name = h('input', { id: 'token-name', 'data-field': 'name', maxlength: '100', required: true, autocomplete: 'off', placeholder: 'e.g. Weekly report script' });
  const expires = h('select', { id: 'token-expires', 'data-field': 'expires_in_days' }, expiries.map(([v, label]) => h('option', { value: v }, label)));
  const form = h('form.token-form', { 'aria-labelledby': 'token-create-h', novalidate: true },
    h('h3', { id: 'token-create-h' }, 'Create a token'),
    h('div.token-form-fields',
      h('div.field.grow', h('label', { for: 'token-name' }, 'Name'), name),
      h('div.field', h('label', { for: 'token-expires' }, 'Expires'), expires)),
    summary,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Create token')));
  const listEl = h('div');

  async function refresh() {
    const { items } = await get('/api/v1/me/tokens');
    clear(listEl);
    if (!items.length) {
      listEl.append(h('p.muted', 'You have no API tokens.'));
      return;
    }
    listEl.append(h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'Your API tokens' }, h('table.table.tokens-table',
      h('thead', h('tr', ['Name', 'Created', 'Expires', 'Last used', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', items.map((t) => h('tr', { 'data-token-id': t.id },
        h('td', h('span.token-name', t.name), ' ', state(t)),
        h('td', { 'data-label': 'Created' }, formatDate(t.created_at)),
        h('td', { 'data-label': 'Expires' }, t.expires_at ? formatDate(t.expires_at) : 'Never'),
        h('td', { 'data-label': 'Last used' }, t.last_used_at ? formatDateTime(t.last_used_at) : 'Never used'),
        h('td', t.revoked_at ? null : h('button.btn.btn-quiet', {
          type: 'button',
          'aria-label': `Revoke ${t.name}`,
          onclick: async () => {
            if (!await confirmDialog('Revoke this token?', `Scripts using “${t.name}” will stop working at once. This cannot be undone.`, 'Revoke token')) return;
            await del(`/api/v1/me/tokens/${t.id}`);
            clear(reveal);
            await refresh();
            flash(section, `“${t.name}” was revoked.`);
          },
        }, 'Revoke'))))))));
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    const body = { name: name.value.trim() };
    if (expires.value) body.expires_in_days = Number(expires.value);
    if (!body.name) {
      showErrors(form, summary, { fields: { name: 'is required' } });
      return;
    }
    let t;
    try {
      t = await post('/api/v1/me/tokens', body);
    } catch (ex) {
      showErrors(form, summary, ex);
      return;
    }
    form.reset();
    clear(reveal).append(secretBox(t));
    await refresh();
    reveal.querySelector('input').focus();
    reveal.querySelector('input').select();
  });

  section.append(
    h('p.muted', 'Scripts and integrations sign in with a token instead of your password. A token can do everything you can, so give each script its own, let it expire, and revoke it when it is no longer needed.'),
    reveal, form, h('h3', 'Your tokens'), listEl);
  if (ctx.me.role === 'admin') {
    main.append(h('section.card', { 'aria-labelledby': 'admin-integrations-h' },
      h('h2', { id: 'admin-integrations-h' }, 'Integrations'),
      h('p.muted', 'As an admin you can connect your identity provider (Okta, Microsoft Entra ID) so that it creates, updates and deactivates people in Trellis, and send signed webhooks to other systems.'),
      h('div.actions', h('a.btn', { href: '#/integrations' }, 'Set up SCIM provisioning'),
        h('a.btn', { href: '#/integrations/webhooks' }, 'Set up webhooks'))));
  }
  await refresh();
}
