// Integrations (admins): SCIM 2.0 provisioning from an identity provider such as Okta or
// Microsoft Entra ID. The base URL to copy, SCIM tokens to create (the secret shown once, with a
// copy button) and to revoke (asking first), and what to type where in each provider.
import { get, post, del } from '../lib/api.js';
import { h, clear, formatDate, formatDateTime } from '../lib/dom.js';
import { confirmDialog, showErrors, clearErrors, flash } from '../lib/forms.js';

/** A read-only value with a Copy button that says when it copied. */
function copyRow(id, label, value) {
  const input = h('input.secret-value', { id, readonly: true, value, spellcheck: 'false', autocomplete: 'off' });
  const copied = h('span.muted', { role: 'status' });
  const copy = h('button.btn', {
    type: 'button',
    'aria-label': `Copy ${label}`,
    onclick: async () => {
      input.select();
      try { await navigator.clipboard.writeText(value); } catch { document.execCommand('copy'); }
      copied.textContent = 'Copied.';
    },
  }, 'Copy');
  return h('div.field', h('label', { for: id }, label), h('div.secret-row', input, copy), copied);
}

function secretBox(t) {
  return h('div.secret-box', { role: 'region', 'aria-labelledby': 'new-scim-h' },
    h('h3', { id: 'new-scim-h' }, `New SCIM token “${t.name}”`),
    h('p.secret-warning', h('strong', 'Copy it now: it is shown only once.'),
      ' Paste it into your identity provider (Okta: API Token; Entra: Secret Token). Trellis keeps only a fingerprint of it.'),
    copyRow('new-scim-token', 'SCIM token', t.token));
}

export async function render(main, params, ctx) {
  const head = h('div.page-head', h('h1', 'Integrations'),
    h('p.muted', 'Let your identity provider create, update and deactivate people in Trellis with SCIM 2.0. ',
      h('a', { href: '#/integrations/webhooks' }, 'Webhooks'), ' send events to other systems.'));
  if (ctx.me.role !== 'admin') {
    clear(main).append(head, h('section.card', h('h2', 'SCIM provisioning'),
      h('p', 'Only an admin can connect an identity provider. Ask an admin of your organisation.')));
    return;
  }
  const section = h('section.card', { 'aria-labelledby': 'scim-h' });
  const setup = h('section.card', { 'aria-labelledby': 'scim-setup-h' });
  clear(main).append(head, section, setup);

  const data = await get('/api/v1/admin/scim-tokens');
  const reveal = h('div');
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const name = h('input', { id: 'scim-token-name', 'data-field': 'name', maxlength: '100', required: true, autocomplete: 'off', placeholder: 'e.g. Okta production' });
  const form = h('form.token-form', { 'aria-labelledby': 'scim-create-h', novalidate: true },
    h('h3', { id: 'scim-create-h' }, 'Create a SCIM token'),
    h('div.token-form-fields', h('div.field.grow', h('label', { for: 'scim-token-name' }, 'Name'), name)),
    summary,
    h('div.actions', h('button.btn.btn-primary', { type: 'submit' }, 'Create SCIM token')));
  const listEl = h('div');

  function status(t) {
    if (t.revoked_at) return h('span.badge', `Revoked ${formatDate(t.revoked_at)}`);
    return h('span.badge.badge-accent', 'Active');
  }

  async function refresh(items) {
    if (!items) ({ items } = await get('/api/v1/admin/scim-tokens'));
    clear(listEl);
    if (!items.length) {
      listEl.append(h('p.muted', 'No SCIM tokens yet. Create one for each identity provider.'));
      return;
    }
    listEl.append(h('div.table-wrap', { tabindex: '0', role: 'region', 'aria-label': 'SCIM tokens' }, h('table.table.tokens-table',
      h('thead', h('tr', ['Name', 'Created', 'Created by', 'Last used', ''].map((c) => h('th', { scope: 'col' }, c)))),
      h('tbody', items.map((t) => h('tr', { 'data-token-id': t.id },
        h('td', h('span.token-name', t.name), ' ', status(t)),
        h('td', { 'data-label': 'Created' }, formatDate(t.created_at)),
        h('td', { 'data-label': 'Created by' }, t.created_by || 'Command line'),
        h('td', { 'data-label': 'Last used' }, t.last_used_at ? formatDateTime(t.last_used_at) : 'Never used'),
        h('td', t.revoked_at ? null : h('button.btn.btn-quiet', {
          type: 'button',
          'aria-label': `Revoke ${t.name}`,
          onclick: async () => {
            if (!await confirmDialog('Revoke this SCIM token?', `The identity provider using “${t.name}” will stop provisioning at once. This cannot be undone.`, 'Revoke token')) return;
            await del(`/api/v1/admin/scim-tokens/${t.id}`);
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
    if (!body.name) {
      showErrors(form, summary, { fields: { name: 'is required' } });
      return;
    }
    let t;
    try {
      t = await post('/api/v1/admin/scim-tokens', body);
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
    h('h2', { id: 'scim-h' }, 'SCIM provisioning'),
    h('p.muted', 'People your identity provider assigns to Trellis are created here, their title, department and manager kept up to date, and deactivated people signed out everywhere. Groups become departments.'),
    copyRow('scim-base-url', 'SCIM base URL', data.base_url),
    reveal, form, h('h3', 'SCIM tokens'), listEl);
  setup.append(
    h('h2', { id: 'scim-setup-h' }, 'Setting up your identity provider'),
    h('h3', 'Okta'),
    h('ol.steps',
      h('li', 'Applications → your Trellis app → General: enable SCIM provisioning.'),
      h('li', 'Provisioning → Integration: SCIM connector base URL = the base URL above; unique identifier field for users = ', h('code', 'userName'), '.'),
      h('li', 'Supported actions: import new users and profile updates, push new users, push profile updates, push groups. Authentication mode: HTTP Header; paste the SCIM token as the Bearer token.'),
      h('li', 'Test connector configuration, save, then under To App enable Create Users, Update User Attributes and Deactivate Users.')),
    h('h3', 'Microsoft Entra ID'),
    h('ol.steps',
      h('li', 'Enterprise applications → your Trellis app → Provisioning: mode Automatic.'),
      h('li', 'Tenant URL = the base URL above; Secret Token = the SCIM token. Test Connection, then Save.'),
      h('li', 'Mappings: keep userName, active, emails[type eq "work"].value, name.givenName, name.familyName, title, and the enterprise extension’s employeeNumber, department and manager.'),
      h('li', 'Assign users and groups, then turn Provisioning Status on.')));
  await refresh(data.items);
}
