// Writing one review: the template's questions, saved as a draft or submitted (then locked).
import { get, patch, post } from '../lib/api.js';
import { h, clear, emptyState, formatDate } from '../lib/dom.js';
import { bar } from '../lib/progress.js';

export async function render(main, { match }) {
  let r;
  try { r = await get(`/api/v1/reviews/${match[1]}`); } catch (e) {
    if (e.status === 404) { clear(main).append(emptyState('Review not found', 'It may not be yours to read.', h('a.btn', { href: '#/reviews' }, 'Back to reviews'))); return; }
    throw e;
  }
  const packet = await get(`/api/v1/reviews/${r.id}/packet`).catch(() => null);
  const locked = r.status === 'submitted';
  const err = h('div.alert', { role: 'alert', hidden: true });
  const note = h('p.muted', { role: 'status' });
  const fields = r.questions.map((q) => {
    const value = r.answers[q.id];
    if (q.type === 'goals') {
      const goals = packet?.goals || [];
      return h('fieldset.kr-row', h('legend', q.text), goals.length
        ? h('ul.kr-list', goals.map((g) => h('li', h('span.kr-title', g.title), h('span.muted', `${Math.round(g.progress)}% · ${g.status.replace('_', ' ')}`), bar(g.progress, `Progress of ${g.title}`))))
        : h('p.muted', 'No goals in this period.'));
    }
    if (q.type === 'rating' || q.type === 'competency') {
      return h('fieldset.kr-row', h('legend', `${q.competency ? `${q.competency}: ` : ''}${q.text}${q.required ? ' (required)' : ''}`),
        Array.from({ length: q.scale }, (_, i) => i + 1).map((n) => {
          const input = h('input', { type: 'radio', name: q.id, id: `${q.id}-${n}`, value: n, disabled: locked });
          input.checked = value === n;
          return h('label.share', { for: `${q.id}-${n}` }, input, q.labels ? ` ${n} ${q.labels[n - 1]}` : ` ${n}`);
        }));
    }
    const ta = h('textarea', { id: `q-${q.id}`, rows: 4, disabled: locked });
    ta.value = value || '';
    return h('div.field', h('label', { for: `q-${q.id}` }, `${q.text}${q.required ? ' (required)' : ''}`), ta);
  });
  const collect = () => {
    const answers = {};
    for (const q of r.questions) {
      if (q.type === 'goals') continue;
      if (q.type === 'rating' || q.type === 'competency') {
        const c = main.querySelector(`input[name="${q.id}"]:checked`);
        if (c) answers[q.id] = Number(c.value);
      } else {
        const v = main.querySelector(`#q-${q.id}`).value.trim();
        if (v) answers[q.id] = v;
      }
    }
    return answers;
  };
  const act = async (submit) => {
    err.hidden = true;
    try {
      if (submit) await post(`/api/v1/reviews/${r.id}/submit`, { answers: collect() });
      else await patch(`/api/v1/reviews/${r.id}`, { answers: collect() });
      if (submit) await render(main, { match });
      else note.textContent = 'Draft saved.';
    } catch (ex) {
      err.textContent = Object.keys(ex.fields || {}).length ? Object.values(ex.fields).join('; ') : ex.message;
      err.hidden = false;
    }
  };
  clear(main).append(
    h('nav.breadcrumb', { 'aria-label': 'Reviews' }, h('ol', h('li', h('a', { href: '#/reviews' }, 'Reviews')), h('li', { 'aria-current': 'page' }, r.reviewee.name))),
    h('div.page-head', h('h1', `${r.kind === 'self' ? 'Self-review' : r.kind === 'manager' ? 'Manager review' : 'Feedback'}: ${r.reviewee.name}`),
      h('p.muted', locked ? 'Submitted and locked.' : 'Answers are saved as a draft until you submit.')),
    h('form.card', { onsubmit: (e) => { e.preventDefault(); act(true); } }, fields, err, note,
      locked ? null : h('div.actions', h('button.btn', { type: 'button', onclick: () => act(false) }, 'Save draft'), h('button.btn.btn-primary', { type: 'submit' }, 'Submit'))),
    packet ? evidence(packet, locked ? null : cite) : null);
  // a manager review: the form beside what the employee wrote, the peers' summary and the evidence
  if (r.kind === 'manager' && packet) {
    const form = main.querySelector('form.card');
    const side = h('div.review-side', selfBlock(packet.self_review), peerBlock(packet.peer_summary), main.querySelector('section.card[aria-labelledby="evidence-h"]'));
    const layout = h('div.review-layout', h('div.review-main', form), side);
    main.append(layout);
  }
}

/* The employee's submitted self-review, by question text with the scale's labels. */
function selfBlock(s) {
  if (!s) return h('section.card', { 'aria-labelledby': 'self-h' }, h('h2', { id: 'self-h' }, 'Self-review'), h('p.muted', 'Not submitted yet.'));
  return h('section.card', { 'aria-labelledby': 'self-h' },
    h('h2', { id: 'self-h' }, `Self-review by ${s.reviewee.name}`),
    s.submitted_at ? h('p.muted', `Submitted ${formatDate(s.submitted_at)}`) : null,
    h('dl.self-answers', s.questions.filter((q) => q.type !== 'goals').map((q) => {
      const v = s.answers[q.id];
      const shown = v === undefined || v === null || v === '' ? 'No answer'
        : typeof v === 'number' ? `${v}${q.scale ? ` of ${q.scale}` : ''}${q.labels?.[v - 1] ? ` — ${q.labels[v - 1]}` : ''}` : v;
      return [h('dt', `${q.competency ? `${q.competency}: ` : ''}${q.text}`), h('dd', shown)];
    })));
}

/* The peers' anonymous summary: averages and comments per question, or too few to show. */
function peerBlock(s) {
  if (!s) return null;
  return h('section.card', { 'aria-labelledby': 'peers-h' },
    h('h2', { id: 'peers-h' }, 'Peer feedback summary'),
    s.below_threshold
      ? h('p.muted', `Too few responses to show yet (${s.responses}); answers stay anonymous.`)
      : h('ul.kr-list', s.questions.map((q) => h('li', h('span.kr-title', q.text || 'Question'),
        h('span.muted', q.average !== null ? `average ${Math.round(q.average * 10) / 10}${q.scale ? ` of ${q.scale}` : ''}` : ''),
        q.comments.length ? h('ul', q.comments.map((c) => h('li', c))) : null))));
}

/* Cites a piece of evidence in the answer being written (the last text answer focused). */
let lastText = null;
document.addEventListener('focusin', (e) => { if (e.target.matches?.('textarea[id^="q-"]')) lastText = e.target; });
function cite(label) {
  const ta = (lastText && document.contains(lastText) ? lastText : document.querySelector('textarea[id^="q-"]'));
  if (!ta) return;
  ta.value = `${ta.value.trim()}${ta.value.trim() ? '\n' : ''}${label}`;
  ta.focus();
}

/* The evidence of the period beside the form: what the reviewer may see, nothing more. */
function evidence(p, onCite) {
  const citeBtn = (label, name) => (onCite ? h('button.btn.btn-small', { type: 'button', 'aria-label': `Cite ${name}`, onclick: () => onCite(label) }, 'Cite') : null);
  const list = (items, render, empty) => (items.length ? h('ul.kr-list', items.map(render)) : h('p.muted', empty));
  return h('section.card', { 'aria-labelledby': 'evidence-h' },
    h('h2', { id: 'evidence-h' }, `Evidence from ${p.period.start} to ${p.period.end}`),
    h('h3', 'Goals'),
    list(p.goals, (g) => h('li', h('a.kr-title', { href: `#/goals/${g.id}` }, g.title), h('span.muted', g.status.replace('_', ' ')), bar(g.progress, `Progress of ${g.title}`), citeBtn(`Goal: ${g.title} (${Math.round(g.progress ?? 0)}%)`, g.title)), 'No goals in this period.'),
    h('h3', 'Accomplishments'),
    list(p.accomplishments, (a) => h('li', h('span.kr-title', a.title), h('span.muted', formatDate(a.happened_on)), a.impact ? h('span', a.impact) : null, citeBtn(`Accomplishment: ${a.title}${a.impact ? ' — ' + a.impact : ''}`, a.title)), 'No accomplishments to show.'),
    h('h3', 'Feedback received'),
    list(p.feedback, (f) => h('li', h('span.kr-title', f.body), h('span.muted', `${f.from} · ${f.kind}`)), 'No feedback to show.'),
    h('h3', 'Previous review'),
    p.previous_outcome ? h('p', `${p.previous_outcome.cycle}: rating ${p.previous_outcome.rating ?? '—'}. ${p.previous_outcome.manager_summary || ''}`) : h('p.muted', 'No earlier released review.'));
}
