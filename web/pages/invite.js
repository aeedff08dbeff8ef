// An invitation link (#/invite/TOKEN): the invitee chooses a password once, then is signed in.
import { get, post, setCsrf } from '../lib/api.js';
import { h, clear, formatDateTime } from '../lib/dom.js';

export async function render(main, { match }, ctx) {
  const token = match[1];
  clear(main);
  main.classList.add('main-login');
  const card = h('div.card.login-card');
  main.append(h('div.login', h('div.login-brand', h('span.brand-mark.brand-mark-lg', { 'aria-hidden': 'true' }), h('span', 'Trellis')), card));
  let inv;
  try {
    inv = await get(`/api/v1/invitations/${encodeURIComponent(token)}`);
  } catch (e) {
    card.append(h('h1', 'This link cannot be used'), h('p', { role: 'alert' }, e.message), h('a.btn', { href: '#/login' }, 'Go to sign in'));
    return;
  }
  const error = h('div.alert', { role: 'alert', hidden: true });
  const pw = h('input', { id: 'new-password', type: 'password', autocomplete: 'new-password', required: true, minlength: '10', 'aria-describedby': 'pw-help' });
  const again = h('input', { id: 'new-password-again', type: 'password', autocomplete: 'new-password', required: true });
  const submit = h('button.btn.btn-primary.btn-block', { type: 'submit' }, 'Set password and sign in');
  const form = h('form.login-form', { novalidate: true },
    h('input', { type: 'email', autocomplete: 'username', value: inv.email, hidden: true, readonly: true, 'aria-hidden': 'true', tabindex: '-1' }),
    h('div.field', h('label', { for: 'new-password' }, 'Choose a password'), pw,
      h('p.help', { id: 'pw-help' }, 'At least 10 characters; a few unrelated words make a good one.')),
    h('div.field', h('label', { for: 'new-password-again' }, 'The same password again'), again),
    error, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const fail = (text) => { error.textContent = text; error.hidden = false; };
    if (pw.value.length < 10) { fail('Your password needs at least 10 characters.'); pw.focus(); return; }
    if (pw.value !== again.value) { fail('The two passwords are not the same.'); again.focus(); return; }
    submit.disabled = true;
    try {
      await post(`/api/v1/invitations/${encodeURIComponent(token)}`, { password: pw.value });
      const r = await post('/api/v1/session', { email: inv.email, password: pw.value });
      setCsrf(r.csrf);
      await ctx.refreshMe();
      main.classList.remove('main-login');
      ctx.navigate('#/');
    } catch (ex) {
      fail(ex.fields?.password ? `Your password ${ex.fields.password}.` : ex.message);
      submit.disabled = false;
    }
  });
  card.append(h('h1', `Welcome, ${inv.name}`),
    h('p.muted', `You sign in to Trellis as ${inv.email}. This link works once, until ${formatDateTime(inv.expires_at)}.`),
    form);
}
