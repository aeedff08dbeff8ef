// Trellis web shell: session, layout, hash router. Each page is a module under pages/ exporting
// render(main, params, ctx) -> Promise; pages build DOM with lib/dom.js only.
import { get, del, setCsrf, onUnauthenticated } from './lib/api.js';
import { h, clear, avatar, errorState, loading } from './lib/dom.js';
import * as login from './pages/login.js';
import * as home from './pages/home.js';
import * as people from './pages/people.js';
import * as profile from './pages/profile.js';
import * as org from './pages/org.js';
import * as audit from './pages/audit.js';
import * as goals from './pages/goals.js';
import * as goal from './pages/goal.js';
import * as journal from './pages/journal.js';
import * as feedback from './pages/feedback.js';
import * as reviews from './pages/reviews.js';
import * as review from './pages/review.js';
import * as oneonones from './pages/oneonones.js';
import * as meeting from './pages/meeting.js';
import * as development from './pages/development.js';
import * as notifications from './pages/notifications.js';
import * as account from './pages/account.js';
import * as calibration from './pages/calibration.js';
import * as analytics from './pages/analytics.js';
import * as admin from './pages/admin.js';
import { renderSso } from './pages/admin_sso.js';
import * as invite from './pages/invite.js';
import * as templates from './pages/templates.js';
import * as cycleSetup from './pages/cycle_setup.js';
import * as integrations from './pages/integrations.js';
import * as webhooks from './pages/webhooks.js';

const app = document.getElementById('app');
const ctx = { me: null, navigate, refreshMe, setUnread };

const nav = [
  { href: '#/', label: 'Home', match: /^\/$/ },
  { href: '#/people', label: 'People', match: /^\/people/ },
  { href: '#/org', label: 'Org chart', match: /^\/org/ },
  { href: '#/goals', label: 'Goals', match: /^\/goals/ },
  { href: '#/journal', label: 'Journal', match: /^\/journal/ },
  { href: '#/reviews', label: 'Reviews', match: /^\/(reviews|templates|cycles)/ },
  { href: '#/feedback', label: 'Feedback', match: /^\/feedback/ },
  { href: '#/development', label: 'Development', match: /^\/development/ },
  { href: '#/one-on-ones', label: 'One-on-ones', match: /^\/one-on-ones/ },
  { href: '#/analytics', label: 'Analytics', match: /^\/analytics/, hr: true },
  { href: '#/audit', label: 'Audit log', match: /^\/audit/, hr: true },
  { href: '#/admin', label: 'Admin', match: /^\/admin/, admin: true },
  { href: '#/integrations', label: 'Integrations', match: /^\/integrations/, admin: true },
];

const routes = [
  [/^\/login$/, login, true],
  [/^\/$/, home],
  [/^\/people$/, people],
  [/^\/people\/(\d+)$/, profile],
  [/^\/org$/, org],
  [/^\/audit$/, audit],
  [/^\/goals$/, goals],
  [/^\/goals\/(\d+)$/, goal],
  [/^\/journal$/, journal],
  [/^\/feedback$/, feedback],
  [/^\/reviews$/, reviews],
  [/^\/reviews\/(\d+)$/, review],
  [/^\/development$/, development],
  [/^\/notifications$/, notifications],
  [/^\/account$/, account],
  [/^\/cycles\/(\d+)\/calibration$/, calibration],
  [/^\/analytics$/, analytics],
  [/^\/admin$/, admin],
  [/^\/admin\/accounts\/(\d+)$/, { render: admin.renderAccount }],
  [/^\/admin\/people$/, { render: admin.renderPeople }],
  [/^\/admin\/email$/, { render: admin.renderEmail }],
  [/^\/admin\/sso$/, { render: renderSso }],
  [/^\/admin\/organisation$/, { render: admin.renderOrganisation }],
  [/^\/invite\/([A-Za-z0-9_-]+)$/, invite, true],
  [/^\/templates(?:\/(new|\d+))?$/, templates],
  [/^\/cycles\/(new)$/, cycleSetup],
  [/^\/cycles\/(\d+)\/edit$/, cycleSetup],
  [/^\/integrations$/, integrations],
  [/^\/integrations\/webhooks$/, webhooks],
  [/^\/one-on-ones$/, oneonones],
  [/^\/one-on-ones\/(\d+)$/, { render: meeting.renderSeries }],
  [/^\/one-on-ones\/meetings\/(\d+)$/, meeting],
];

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

async function refreshMe() {
  try {
    ctx.me = await get('/api/v1/me');
    setCsrf(ctx.me.csrf);
  } catch (e) {
    ctx.me = null;
    if (e.status !== 401) throw e;
  }
  return ctx.me;
}

function parseHash() {
  const raw = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  const [path, query = ''] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(query) };
}

function topbar(path) {
  const isHr = ctx.me && ['hr', 'admin'].includes(ctx.me.role);
  const isAdmin = ctx.me && ctx.me.role === 'admin';
  const link = (n) => h('a.nav-link', { href: n.href, 'aria-current': n.match.test(path) ? 'page' : null }, n.label);
  const links = nav.filter((n) => !n.hr && !n.admin).map(link);
  // HR's and admins' company-wide pages share one menu, so the bar fits at 1366 px
  const company = nav.filter((n) => (n.hr && isHr) || (n.admin && isAdmin));
  if (company.length) {
    const here = company.some((n) => n.match.test(path));
    const menu = h('details.nav-more', h('summary.nav-link', { 'aria-current': here ? 'page' : null }, 'Company'),
      h('div.nav-menu', company.map(link)));
    document.addEventListener('click', (e) => { if (!menu.contains(e.target)) menu.open = false; });
    links.push(menu);
  }
  const menuId = 'primary-nav';
  const toggle = h('button.nav-toggle', { type: 'button', 'aria-expanded': 'false', 'aria-controls': menuId }, h('span.sr-only', 'Menu'), h('span.burger', { 'aria-hidden': 'true' }));
  const navEl = h('nav.nav', { id: menuId, 'aria-label': 'Primary' }, links);
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    navEl.classList.toggle('open', open);
  });
  navEl.addEventListener('click', (e) => {
    if (e.target.closest('a')) {
      navEl.classList.remove('open');
      toggle.setAttribute('aria-expanded', 'false');
      for (const d of navEl.querySelectorAll('details')) d.open = false;
    }
  });
  const person = ctx.me.person;
  return h('header.topbar',
    h('a.brand', { href: '#/' }, h('span.brand-mark', { 'aria-hidden': 'true' }), 'Trellis',
      ctx.me.organisation_logo ? h('img.brand-logo', { src: `/api/v1/settings/logo?v=${encodeURIComponent(ctx.me.organisation_logo)}`, alt: ctx.me.organisation_name ? `${ctx.me.organisation_name} logo` : 'Organisation logo', height: 26 }) : null,
      ctx.me.organisation_name ? h('span.brand-org', ctx.me.organisation_name) : null),
    toggle,
    navEl,
    h('div.user',
      bell(),
      h('a.user-link', { href: `#/people/${person.id}`, title: 'Your profile' }, avatar(person.name, 'sm'), h('span.user-name', person.name)),
      h('a.btn.btn-quiet.account-link', { href: '#/account', 'aria-current': path === '/account' ? 'page' : null, 'aria-label': 'Account', title: 'Your account and API tokens' },
        h('span.account-icon', { 'aria-hidden': 'true' }, '⚙'), h('span.account-text', 'Account')),
      h('button.btn.btn-quiet', { type: 'button', onclick: signOut }, 'Sign out')));
}

/* The bell: the unread count, fetched after each page change; it leads to the list. */
let bellEl = null;
function bell() {
  bellEl = h('a.bell', { href: '#/notifications', 'aria-label': 'Notifications' },
    h('span.bell-icon', { 'aria-hidden': 'true' }),
    h('span.bell-count', { hidden: true }));
  bellEl.querySelector('.bell-icon').innerHTML = '<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round"><path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9"/><path d="M13.7 21a2 2 0 0 1-3.4 0"/></svg>';
  get('/api/v1/notifications?limit=1').then((r) => setUnread(r.unread)).catch(() => null);
  return bellEl;
}

function setUnread(n) {
  if (!bellEl) return;
  const count = bellEl.querySelector('.bell-count');
  count.hidden = !n;
  count.textContent = n > 99 ? '99+' : String(n || '');
  bellEl.setAttribute('aria-label', n ? `Notifications, ${n} unread` : 'Notifications');
}

async function signOut() {
  try { await del('/api/v1/session'); } catch { /* the session may already be gone */ }
  ctx.me = null;
  setCsrf(null);
  navigate('#/login');
}

let renderSeq = 0;
async function route() {
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  const hash = location.hash;
  const found = routes.map(([re, page, open]) => ({ m: path.match(re), page, open })).find((r) => r.m);
  if (!ctx.me && !(found && found.open)) {
    await refreshMe().catch(() => null);
    if (seq !== renderSeq) return;
    if (!ctx.me) {
      // the 401 may already have sent the browser to the sign-in page (onUnauthenticated) with
      // the page it asked for; sending it again would make that page "#/login…" and lose it
      if (location.hash !== hash && parseHash().path === '/login') return;
      const next = path === '/login' ? '' : `?next=${encodeURIComponent(hash)}`;
      location.replace(`#/login${next}`);
      return;
    }
  }
  clear(app);
  const main = h('main.main', { id: 'main', tabindex: '-1' });
  if (found && found.open) {
    app.append(main);
  } else {
    app.append(topbar(path), main);
  }
  main.append(loading());
  try {
    if (!found) {
      clear(main).append(h('div.state', h('h1', 'Page not found'), h('p', 'This address does not lead anywhere in Trellis.'), h('a.btn', { href: '#/' }, 'Go home')));
    } else {
      await found.page.render(main, { match: found.m, query, path }, ctx);
    }
  } catch (e) {
    if (seq !== renderSeq) return;
    if (e.status === 401) return;
    clear(main).append(errorState(e, () => route()));
  }
  if (seq === renderSeq) {
    const title = main.querySelector('h1');
    const suffix = ctx.me?.organisation_name ? `Trellis · ${ctx.me.organisation_name}` : 'Trellis';
    document.title = title ? `${title.textContent} · ${suffix}` : suffix;
    if (document.activeElement === document.body || !main.contains(document.activeElement)) main.focus({ preventScroll: true });
  }
}

onUnauthenticated(() => {
  if (parseHash().path !== '/login') {
    ctx.me = null;
    location.replace(`#/login?next=${encodeURIComponent(location.hash)}`);
  }
});
window.addEventListener('hashchange', route);
route();
