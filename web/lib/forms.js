// Form errors in words a person understands, beside the field they concern. A field is found by
// its data-field attribute (the API's field name, e.g. "title" or "key_results[1].target").
import { h } from './dom.js';

/** "must be at most 200 bytes" -> "is too long (at most 200 characters)", and similar. */
export function humanProblem(problem) {
  return String(problem)
    .replace(/^must be at most (\d+) bytes$/, 'is too long (at most $1 characters)')
    .replace(/^must not be empty$/, 'cannot be empty')
    .replace(/^is required$/, 'is needed')
    .replace(/^must be a date written YYYY-MM-DD$/, 'needs a date')
    .replace(/^unknown field$/, 'is not something this form can change');
}

/** "key_results[1].target" -> "Key result 2: target", using labels for the plain names. */
export function humanField(field, labels = {}) {
  if (labels[field]) return labels[field];
  const m = /^([a-z_]+)\[(\d+)\]\.?([a-z_]*)$/.exec(field);
  if (m) {
    const what = labels[m[1]] || m[1].replace(/_/g, ' ').replace(/s$/, '');
    return `${what[0].toUpperCase()}${what.slice(1)} ${Number(m[2]) + 1}${m[3] ? ': ' + (labels[m[3]] || m[3].replace(/_/g, ' ')) : ''}`;
  }
  const s = field.replace(/_/g, ' ');
  return s[0].toUpperCase() + s.slice(1);
}

/** Clears the errors shown in form. */
export function clearErrors(form) {
  for (const el of form.querySelectorAll('.field-error')) el.remove();
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/**
 * Shows ex (an API error) in form: each field problem beside its input (found by data-field,
 * else by the row of a list field), the rest in the summary element. Focuses the first bad
 * input.
 */
export function showErrors(form, summary, ex, labels = {}) {
  clearErrors(form);
  const fields = ex?.fields || {};
  const rest = [];
  let first = null;
  for (const [field, problem] of Object.entries(fields)) {
    const text = `${humanField(field, labels)} ${humanProblem(problem)}`;
    const input = form.querySelector(`[data-field="${CSS.escape(field)}"]`)
      || form.querySelector(`[data-field="${CSS.escape(field.replace(/\.[a-z_]+$/, ''))}"]`);
    if (!input) { rest.push(text); continue; }
    const id = `err-${Math.random().toString(36).slice(2, 8)}`;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', id);
    (input.closest('.field') || input).after(h('p.field-error', { id }, text));
    first = first || input;
  }
  const message = Object.keys(fields).length ? (rest.length ? rest.join('. ') : 'Please correct the highlighted fields.') : ex?.message || String(ex);
  summary.textContent = message;
  summary.hidden = false;
  (first || summary).focus?.();
}

/** A confirmation dialog for irreversible actions; resolves true when confirmed. */
export function confirmDialog(title, text, confirmLabel = 'Confirm') {
  return new Promise((resolve) => {
    const yes = h('button.btn.btn-danger', { type: 'button' }, confirmLabel);
    const no = h('button.btn', { type: 'button' }, 'Cancel');
    const dlg = h('dialog.confirm', { 'aria-labelledby': 'confirm-h' },
      h('h2', { id: 'confirm-h' }, title), h('p', text), h('div.actions', no, yes));
    const done = (v) => { dlg.close(); dlg.remove(); resolve(v); };
    yes.addEventListener('click', () => done(true));
    no.addEventListener('click', () => done(false));
    dlg.addEventListener('cancel', (e) => { e.preventDefault(); done(false); });
    document.body.append(dlg);
    dlg.showModal();
    no.focus();
  });
}

/** A short-lived success message (role=status) at the top of el. */
export function flash(el, text) {
  for (const old of el.querySelectorAll(':scope > .flash')) old.remove(); // one note at a time
  const note = h('p.flash', { role: 'status' }, text);
  el.prepend(note);
  setTimeout(() => note.remove(), 6000);
  return note;
}
