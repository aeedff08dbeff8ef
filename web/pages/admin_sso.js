// Admin console → Single sign-on: the OpenID Connect providers people sign in with, the one
// redirect URI to register at each, and the roles that may no longer sign in with a password.
// The client secret is write-only: the page only says whether one is saved.
import { get, post, patch, del } from '../lib/api.js';
import { h, clear, loading, errorState, emptyState } from '../lib/dom.js';
import { confirmDialog, showErrors, clearErrors, flash } from '../lib/forms.js';
import { adminTabs, notAdmin } from './admin.js';

const LABELS = { name: 'Name', issuer: 'Issuer URL', client_id: 'Client ID', client_secret: 'Client secret', password_off_roles: 'Password sign-in' };
const ROLES = [['employee', 'Employees (and managers)'], ['hr', 'HR'], ['admin', 'Administrators']];

/** The form of one provider: new (p null) or an edit of p. onSaved gets the saved provider. */
function providerForm(p, onSaved, onCancel) {
  const key = p ? `p${p.id}` : 'new';
  const input = (id, field, attrs = {}) => h('input', { id: `${key}-${id}`, 'data-field': field, autocomplete: 'off', spellcheck: 'false', ...attrs });
  const name = input('name', 'name', { value: p?.name || '', placeholder: 'Okta' });
  const issuer = input('issuer', 'issuer', { value: p?.issuer || '', placeholder: 'https://acme.okta.com', type: 'url' });
  const clientId = input('client', 'client_id', { value: p?.client_id || '' });
  const secret = input('secret', 'client_secret', { type: 'password', autocomplete: 'new-password' });
  const trust = h('input', { id: `${key}-trust`, type: 'checkbox', checked: !!p?.trust_email });
  const enabled = h('input', { id: `${key}-enabled`, type: 'checkbox', checked: p ? p.enabled : true });
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const save = h('button.btn.btn-primary', { type: 'submit' }, p ? 'Save provider' : 'Add provider');
  const form = h('form.admin-form', { novalidate: true, 'aria-label': p ? `Edit ${p.name}` : 'Add an identity provider' },
    h('div.grid-2.tight',
      h('div.field', h('label', { for: `${key}-name` }, 'Name on the sign-in button'), name),
      h('div.field', h('label', { for: `${key}-issuer` }, 'Issuer URL'), issuer,
        h('p.field-hint', 'Trellis reads the provider\'s settings from this address (OpenID discovery).'))),
    h('div.grid-2.tight',
      h('div.field', h('label', { for: `${key}-client` }, 'Client ID'), clientId),
      h('div.field', h('label', { for: `${key}-secret` }, 'Client secret'), secret,
        h('p.field-hint', p ? 'A secret is saved. Leave this empty to keep it.' : 'From the application you created at the provider.'))),
    h('div.field', h('label.check', { for: `${key}-trust` }, trust, ' Trust the email addresses this provider sends'),
      h('p.field-hint', 'For providers that do not say an email is verified (Microsoft Entra ID). Only turn this on for your own company\'s directory.')),
    h('div.field', h('label.check', { for: `${key}-enabled` }, enabled, ' Offer it on the sign-in page')),
    summary,
    h('div.actions', save, onCancel ? h('button.btn', { type: 'button', onclick: onCancel }, 'Cancel') : null));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    const body = { name: name.value.trim(), issuer: issuer.value.trim(), client_id: clientId.value.trim(), trust_email: trust.checked, enabled: enabled.checked };
    if (secret.value) body.client_secret = secret.value;
    save.disabled = true;
    save.textContent = 'Checking the provider…';
    try {
      const saved = p ? await patch(`/api/v1/settings/sso/providers/${p.id}`, body) : await post('/api/v1/settings/sso/providers', body);
      onSaved(saved);
    } catch (ex) {
      showErrors(form, summary, ex, LABELS);
    } finally {
      save.disabled = false;
      save.textContent = p ? 'Save provider' : 'Add provider';
    }
  });
  return form;
}

function passwordForm(settings, onSaved) {
  const boxes = ROLES.map(([v, l]) => [v, h('input', { id: `pw-off-${v}`, type: 'checkbox', value: v, checked: settings.password_off_roles.includes(v) }), l]);
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const save = h('button.btn.btn-primary', { type: 'submit' }, 'Save');
  const form = h('form.admin-form', { novalidate: true, 'aria-labelledby': 'pw-h' },
    h('fieldset.field', { 'data-field': 'password_off_roles' }, h('legend', 'Turn password sign-in off for'),
      ...boxes.map(([v, box, l]) => h('label.check', { for: `pw-off-${v}` }, box, ` ${l}`))),
    h('p.field-hint', 'They then sign in only through an identity provider above. Keep at least one administrator able to use a password, in case the provider is down.'),
    summary, h('div.actions', save));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    const roles = boxes.filter(([, box]) => box.checked).map(([v]) => v);
    if (roles.includes('admin') && !settings.password_off_roles.includes('admin') && !(await confirmDialog(
      'Turn password sign-in off for administrators?',
      'If the identity provider is down, no administrator can sign in to Trellis until it is back.',
      'Turn it off for administrators'))) return;
    save.disabled = true;
    try {
      const s = await patch('/api/v1/settings/sso', { password_off_roles: roles });
      onSaved(s);
      flash(form, roles.length ? 'Saved. Password sign-in is off for the roles you chose, from now on.' : 'Saved. Everyone may sign in with a password.');
    } catch (ex) {
      showErrors(form, summary, ex, LABELS);
    } finally { save.disabled = false; }
  });
  return form;
}

/** #/admin/sso */
export async function renderSso(main, params, ctx) {
  if (ctx.me.role !== 'admin') { notAdmin(main, 'Admin console'); return; }
  clear(main).append(loading());
  let settings;
  try { settings = await get('/api/v1/settings/sso'); } catch (ex) { clear(main).append(errorState(ex)); return; }
  const list = h('div');
  const pwSection = h('div');
  const addSection = h('div');

  function renderList() {
    clear(list);
    if (!settings.providers.length) {
      list.append(emptyState('No identity provider yet', 'Add your company\'s OpenID Connect provider below (Okta, Microsoft Entra ID, Google Workspace, Keycloak…). People then see a button for it on the sign-in page.'));
      return;
    }
    for (const p of settings.providers) {
      const row = h('div.sso-provider');
      const show = () => {
        clear(row).append(
          h('div.sso-provider-head', h('h3', p.name), h('span.badge', p.enabled ? 'On the sign-in page' : 'Off')),
          h('dl.sso-facts', h('dt', 'Issuer'), h('dd', h('code', p.issuer)), h('dt', 'Client ID'), h('dd', h('code', p.client_id)),
            h('dt', 'Emails'), h('dd', p.trust_email ? 'Trusted as sent' : 'Only those the provider says are verified')),
          h('div.actions',
            h('button.btn', { type: 'button', onclick: () => clear(row).append(providerForm(p, (saved) => { Object.assign(p, saved); show(); flash(row, 'Saved.'); }, show)) }, 'Edit'),
            h('button.btn.btn-danger', {
              type: 'button',
              onclick: async () => {
                if (!(await confirmDialog(`Remove ${p.name}?`, 'Its button leaves the sign-in page and the links of people to their accounts there are removed. People keep their Trellis accounts.', 'Remove provider'))) return;
                try {
                  await del(`/api/v1/settings/sso/providers/${p.id}`);
                  settings.providers = settings.providers.filter((x) => x.id !== p.id);
                  renderList();
                  flash(list, `${p.name} was removed.`);
                } catch (ex) {
                  for (const old of row.querySelectorAll('.alert')) old.remove();
                  row.append(h('div.alert', { role: 'alert' }, ex.message.replace(/^./, (c) => c.toUpperCase()) + '.'));
                }
              },
            }, 'Remove')));
      };
      show();
      list.append(row);
    }
  }
  function renderAdd() {
    clear(addSection).append(providerForm(null, (saved) => {
      settings.providers.push(saved);
      renderList();
      renderAdd();
      flash(addSection, `${saved.name} was added. It is on the sign-in page now.`);
    }));
  }
  function renderPw() { clear(pwSection).append(passwordForm(settings, (s) => { settings = s; })); }
  renderList();
  renderAdd();
  renderPw();
  clear(main).append(
    h('div.page-head', h('h1', 'Admin console'), h('p.muted', 'Single sign-on: people sign in with your company\'s identity provider.')),
    adminTabs('sso'),
    h('section.card', { 'aria-labelledby': 'sso-h' }, h('h2', { id: 'sso-h' }, 'Identity providers'),
      h('p.muted', 'At the provider, create a web application (OpenID Connect, authorization code flow) with this sign-in redirect URI, then copy its client ID and secret here:'),
      h('p', h('code.sso-redirect', { id: 'sso-redirect' }, settings.redirect_uri)),
      h('p.muted', 'A person is matched to their Trellis account by their email the first time, then by the provider\'s own id. People in the directory without an account get one at their first sign-in.'),
      list),
    h('section.card', { 'aria-labelledby': 'sso-add-h' }, h('h2', { id: 'sso-add-h' }, 'Add an identity provider'), addSection),
    h('section.card', { 'aria-labelledby': 'pw-h' }, h('h2', { id: 'pw-h' }, 'Password sign-in'), pwSection));
}
