// Building DOM safely: text always goes through textContent, never innerHTML, so names such as
// "<b>&\"quotes\"" render as typed.

/** h('a.btn', {href: '#/x', onclick}, 'text', child) -> Element; the attributes are optional. */
export function h(spec, attrs, ...children) {
  const [tag, ...classes] = spec.split('.');
  const el = document.createElement(tag || 'div');
  if (classes.length) el.className = classes.join(' ');
  if (attrs !== undefined && (attrs === null || typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = [el.className, v].filter(Boolean).join(' ');
    else if (k === 'value') el.value = v;
    else if (k === 'hidden') el.hidden = Boolean(v);
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

const palette = 8;
/** A round avatar with initials, coloured by a stable hash of the name. */
export function avatar(name, size = '') {
  const words = (name || '?').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const first = Array.from(words[0] || '?')[0];
  const last = words.length > 1 ? Array.from(words[words.length - 1])[0] : '';
  let hash = 0;
  for (const ch of name || '') hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return h(`span.avatar.avatar-c${hash % palette}${size ? '.avatar-' + size : ''}`, { 'aria-hidden': 'true' }, (first + last).toUpperCase());
}

export function formatDate(iso) {
  if (!iso) return '';
  const d = new Date(iso.length === 10 ? iso + 'T00:00:00Z' : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
}

export function formatDateTime(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** Friendly states shared by every page. */
export function emptyState(title, text, action) {
  return h('div.state', { role: 'status' }, h('div.state-icon', { 'aria-hidden': 'true' }, '○'), h('h2.state-title', title), text ? h('p.state-text', text) : null, action || null);
}

export function errorState(err, retry) {
  return h('div.state.state-error', { role: 'alert' },
    h('div.state-icon', { 'aria-hidden': 'true' }, '!'),
    h('h2.state-title', 'Something went wrong'),
    h('p.state-text', err?.message || String(err)),
    retry ? h('button.btn', { type: 'button', onclick: retry }, 'Try again') : null);
}

export function loading(text = 'Loading…') {
  return h('p.loading', { role: 'status' }, text);
}
