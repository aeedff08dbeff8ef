// Sign in: with the organisation's identity provider (single sign-on) when an admin set one up,
// or with an email and password. A sign-in the provider or Trellis refused comes back here with
// the reason (sso_error), shown above the buttons.
import { get, post, setCsrf } from '../lib/api.js';
import { h, clear } from '../lib/dom.js';

export async function render(main, { query }, ctx) {
  clear(main);
  main.classList.add('main-login');
  const error = h('div.alert', { role: 'alert', hidden: true });
  const email = h('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button.btn.btn-primary.btn-block', { type: 'submit' }, 'Sign in');
  const form = h('form.login-form', { novalidate: true },
    h('div.field', h('label', { for: 'email' }, 'Work email'), email),
    h('div.field', h('label', { for: 'password' }, 'Password'), password),
    error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    if (!email.value || !password.value) {
      error.textContent = 'Enter your work email and password.';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      const r = await post('/api/v1/session', { email: email.value.trim(), password: password.value });
      setCsrf(r.csrf);
      await ctx.refreshMe();
      main.classList.remove('main-login');
      const next = query.get('next');
      ctx.navigate(next && next.startsWith('#/') && !next.startsWith('#/login') ? next : '#/');
    } catch (err) {
      error.textContent = err.message;
      error.hidden = false;
      password.value = '';
      password.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });
  const next = query.get('next');
  const back = next && next.startsWith('#/') && !next.startsWith('#/login') ? next : '#/';
  const ssoError = query.get('sso_error');
  const sso = h('div.login-sso');
  main.append(h('div.login',
    h('div.login-brand', h('span.brand-mark.brand-mark-lg', { 'aria-hidden': 'true' }), h('span', 'Trellis')),
    h('div.card.login-card',
      h('h1', 'Sign in'),
      h('p.muted', 'Goals, reviews, feedback and growth — in one place.'),
      ssoError ? h('div.alert', { role: 'alert' }, h('strong', 'Not signed in. '), ssoError.replace(/^./, (c) => c.toUpperCase()).replace(/([^.!?)])$/, '$1.')) : null,
      sso,
      form)));
  let providers = [];
  try { providers = (await get('/api/v1/sso/providers')).items; } catch { /* password sign-in still works */ }
  if (providers.length) {
    sso.append(...providers.map((p) => h('a.btn.btn-block.btn-sso', { href: `/api/v1/sso/${p.id}/start?next=${encodeURIComponent(back)}` }, `Sign in with ${p.name}`)),
      h('p.login-or', h('span', 'or with your password')));
  }
}
