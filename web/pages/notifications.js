// The notification list the bell leads to: opening it marks what it shows read (those stay
// marked "New" on this visit), and each notification links to where it happened.
import { get, post } from '../lib/api.js';
import { h, clear, formatDateTime, emptyState } from '../lib/dom.js';

export async function render(main, _params, ctx) {
  const r = await get('/api/v1/notifications?limit=100');
  const unread = r.items.filter((n) => !n.read_at);
  clear(main).append(
    h('div.page-head', h('h1', 'Notifications'), h('p.muted', unread.length ? `${unread.length} new since you last looked` : 'You are up to date.')),
    r.items.length
      ? h('ul.list.card', r.items.map((n) => h(`li.notification${n.read_at ? '' : '.notification-new'}`,
        h('div', n.link ? h('a', { href: n.link }, n.body) : h('span', n.body),
          h('p.muted.notification-when', formatDateTime(n.created_at))),
        n.read_at ? null : h('span.badge.badge-accent', 'New'))))
      : emptyState('No notifications', 'Reminders about meetings, action items, reviews and goals appear here.'));
  if (unread.length) {
    const upTo = Math.max(...unread.map((n) => n.id));
    const done = await post(`/api/v1/notifications/read?up_to=${upTo}`, {});
    ctx.setUnread?.(done.unread);
  }
}
