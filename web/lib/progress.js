// Progress bars and the check-in chart (inline SVG built with DOM calls; no library).
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';

export function pct(v) {
  return `${Math.round(v * 10) / 10}%`;
}

/** An accessible progress bar (role=progressbar) with its number beside it. */
export function bar(value, label, extra = '') {
  const v = Math.max(0, Math.min(100, value || 0));
  const fill = h('span.bar-fill');
  fill.style.width = `${v}%`;
  return h(`div.bar${extra ? '.' + extra : ''}`,
    h('span.bar-track', { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': String(Math.round(v)), 'aria-label': label }, fill),
    h('span.bar-value', pct(v)));
}

function el(tag, attrs, ...kids) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  for (const k of kids) e.append(k);
  return e;
}

/** Progress over time from check-ins ({created_at, progress}), as a line chart. */
export function chart(points, title) {
  const w = 560, hgt = 180, pad = 32;
  const svg = el('svg', { viewBox: `0 0 ${w} ${hgt}`, class: 'chart', role: 'img', 'aria-label': title });
  svg.append(el('title', {}, title));
  for (const y of [0, 50, 100]) {
    const yy = hgt - pad - (y / 100) * (hgt - 2 * pad);
    svg.append(el('line', { x1: pad, x2: w - 8, y1: yy, y2: yy, class: 'chart-grid' }));
    svg.append(el('text', { x: 4, y: yy + 4, class: 'chart-label' }, `${y}%`));
  }
  if (!points.length) return svg;
  const t = points.map((p) => new Date(p.created_at).getTime());
  const t0 = Math.min(...t), t1 = Math.max(...t);
  const x = (ti) => pad + (t1 === t0 ? (w - pad - 8) / 2 : ((ti - t0) / (t1 - t0)) * (w - pad - 8 - pad));
  const y = (v) => hgt - pad - (v / 100) * (hgt - 2 * pad);
  const d = points.map((p, i) => `${i ? 'L' : 'M'}${x(t[i]).toFixed(1)},${y(p.progress).toFixed(1)}`).join(' ');
  svg.append(el('path', { d, class: 'chart-line' }));
  points.forEach((p, i) => svg.append(el('circle', { cx: x(t[i]).toFixed(1), cy: y(p.progress).toFixed(1), r: 3.5, class: 'chart-dot' },
    el('title', {}, `${new Date(p.created_at).toLocaleDateString()}: ${pct(p.progress)}`))));
  return svg;
}
