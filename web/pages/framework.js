// The career framework editor for HR (issue #12): competencies, tracks and their levels, and a
// competency × level matrix of expected ratings, edited as a form. It builds the same document
// that PUT /api/v1/career/framework imports (names and codes are the keys, so existing ones are
// shown, not renamed), keeps what the form does not show (expectation descriptions, level
// skills), and puts each server problem beside its field. JSON import and export stay below.
import { get, put } from '../lib/api.js';
import { h, clear } from '../lib/dom.js';
import { showErrors, clearErrors, flash } from '../lib/forms.js';

const RATINGS = [['', '—'], ['1', '1'], ['2', '2'], ['3', '3'], ['4', '4'], ['5', '5']];

/** The framework of GET as the import document (names instead of ids). */
export function frameworkDoc(fw) {
  return {
    competencies: fw.competencies.map((c) => ({ name: c.name, description: c.description || '' })),
    tracks: fw.tracks.map((t) => ({
      name: t.name, description: t.description || '',
      levels: t.levels.map((l) => ({
        code: l.code, title: l.title, summary: l.summary || '',
        expectations: l.expectations.map((e) => ({ competency: e.competency, rating: e.rating, description: e.description || '' })),
        skills: l.skills.map((s) => ({ skill: s.skill, rating: s.rating })),
      })),
    })),
  };
}

let seq = 0;
const uid = (p) => `${p}-${++seq}`;

/** Renders the editor into body; reload() shows the saved framework again. */
export async function frameworkEditor(body, reload) {
  const fw = await get('/api/v1/career/framework');
  const doc = frameworkDoc(fw);
  const known = { comps: new Set(doc.competencies.map((c) => c.name)), tracks: new Set(doc.tracks.map((t) => t.name)), codes: new Set(doc.tracks.flatMap((t) => t.levels.map((l) => l.code))) };
  let current = 0; // the track shown
  if (!doc.tracks.length) doc.tracks.push({ name: '', description: '', levels: [{ code: '', title: '', summary: '', expectations: [], skills: [] }] });
  const summary = h('p.field-error', { role: 'alert', tabindex: '-1', hidden: true });
  const save = h('button.btn.btn-primary', { type: 'submit' }, 'Save the framework');
  const compsBox = h('div');
  const trackBox = h('div');
  const matrixBox = h('div');
  const form = h('form.fw-form', { 'aria-labelledby': 'fw-h', novalidate: true });

  const text = (value, attrs, onInput, onChange) => {
    const el = h('input', { value: value || '', ...attrs });
    el.addEventListener('input', () => onInput(el.value));
    if (onChange) el.addEventListener('change', onChange);
    return el;
  };

  /* a new competency's ratings follow its name as it is typed */
  function rename(from, to) {
    for (const t of doc.tracks) for (const l of t.levels) for (const e of l.expectations) if (e.competency === from) e.competency = to;
  }

  function renderComps() {
    clear(compsBox).append(
      h('h3', 'Competencies'),
      h('p.muted', 'What every track is assessed on. An existing competency keeps its name; give it a clearer description instead.'),
      h('ul.fw-list', doc.competencies.map((c, i) => {
        const nid = uid('fw-comp');
        const did = uid('fw-comp-desc');
        const desc = text(c.description, { id: did, 'data-field': `competencies[${i}].description`, maxlength: 500, placeholder: 'What it means, in a sentence' }, (v) => { c.description = v; });
        if (known.comps.has(c.name)) {
          return h('li.fw-row', h('label', { for: did }, h('strong', c.name), h('span.sr-only', ': description')), desc);
        }
        return h('li.fw-row.fw-new',
          h('div.field', h('label', { for: nid }, 'New competency'), text(c.name, { id: nid, 'data-field': `competencies[${i}].name`, maxlength: 100 }, (v) => { rename(c.name, v); c.name = v; }, renderMatrix)),
          h('div.field', h('label', { for: did }, 'Its description'), desc));
      })),
      h('button.btn', { type: 'button', onclick: () => { doc.competencies.push({ name: '', description: '' }); renderComps(); renderTrack(); compsBox.querySelector('li:last-child input')?.focus(); } }, 'Add a competency'));
  }

  function renderTrack() {
    const t = doc.tracks[current];
    const pick = h('select', { id: 'fw-track' }, doc.tracks.map((x, i) => h('option', { value: String(i), selected: i === current }, x.name || 'New track')));
    pick.addEventListener('change', () => { current = Number(pick.value); renderTrack(); trackBox.querySelector('#fw-track')?.focus(); });
    const ti = current;
    const levels = t.levels;
    clear(trackBox).append(
      h('h3', 'Tracks and levels'),
      h('div.fw-track-head',
        h('div.field', h('label', { for: 'fw-track' }, 'Track'), pick),
        h('button.btn', { type: 'button', onclick: () => { doc.tracks.push({ name: '', description: '', levels: [{ code: '', title: '', summary: '', expectations: [], skills: [] }] }); current = doc.tracks.length - 1; renderTrack(); trackBox.querySelector('#fw-track-name')?.focus(); } }, 'Add a track')),
      ...(known.tracks.has(t.name) ? []
        : [h('div.field', h('label', { for: 'fw-track-name' }, 'Track name'), text(t.name, { id: 'fw-track-name', 'data-field': `tracks[${ti}].name`, maxlength: 100 }, (v) => { t.name = v; pick.options[current].textContent = v || 'New track'; }))]),
      h('div.field', h('label', { for: 'fw-track-desc' }, 'Track description'), text(t.description, { id: 'fw-track-desc', 'data-field': `tracks[${ti}].description`, maxlength: 500 }, (v) => { t.description = v; })),
      h('div.table-scroll', h('table.fw-levels', h('caption.sr-only', `Levels of ${t.name || 'the new track'}, lowest first`),
        h('thead', h('tr', h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Code'), h('th', { scope: 'col' }, 'Title'), h('th', { scope: 'col' }, 'Summary'))),
        h('tbody', levels.map((l, j) => h('tr',
          h('td', String(j + 1)),
          h('td', known.codes.has(l.code) ? h('strong', l.code)
            : text(l.code, { 'aria-label': `Code of level ${j + 1}`, 'data-field': `tracks[${ti}].levels[${j}].code`, maxlength: 20, size: 6 }, (v) => { l.code = v; }, renderMatrix)),
          h('td', text(l.title, { 'aria-label': `Title of level ${j + 1}`, 'data-field': `tracks[${ti}].levels[${j}]`, maxlength: 100 }, (v) => { l.title = v; })),
          h('td', text(l.summary, { 'aria-label': `Summary of level ${j + 1}`, maxlength: 500 }, (v) => { l.summary = v; }))))))),
      h('button.btn', { type: 'button', onclick: () => { levels.push({ code: '', title: '', summary: '', expectations: [], skills: [] }); renderTrack(); } }, 'Add a level'),
      matrixBox);
    renderMatrix();
  }

  /* the competency × level matrix of the track shown, drawn again when a name or code changes */
  function renderMatrix() {
    const t = doc.tracks[current];
    const levels = t.levels;
    const comps = doc.competencies.filter((c) => c.name.trim());
    clear(matrixBox).append(
      h('h3', 'Expected rating per level'),
      h('p.muted', 'What each level expects of each competency, 1 to 5; — expects nothing. Gaps, IDP suggestions and review competency questions use it.'),
      comps.length && levels.length ? h('div.table-scroll', h('table.fw-matrix',
        h('caption.sr-only', `Expected ratings on ${t.name || 'the new track'}: competencies by level`),
        h('thead', h('tr', h('th', { scope: 'col' }, 'Competency'), levels.map((l, j) => h('th', { scope: 'col' }, l.code || `Level ${j + 1}`)))),
        h('tbody', comps.map((c) => h('tr', h('th', { scope: 'row' }, c.name),
          levels.map((l, j) => {
            const e = l.expectations.find((x) => x.competency === c.name);
            const sel = h('select', { 'aria-label': `${c.name} at ${l.code || `level ${j + 1}`}`, 'data-cell': `${j}|${c.name}` },
              RATINGS.map(([v, lab]) => h('option', { value: v, selected: String(e?.rating ?? '') === v }, lab)));
            sel.addEventListener('change', () => {
              const i = l.expectations.findIndex((x) => x.competency === c.name);
              if (!sel.value) { if (i >= 0) l.expectations.splice(i, 1); } else if (i >= 0) l.expectations[i].rating = Number(sel.value);
              else l.expectations.push({ competency: c.name, rating: Number(sel.value), description: '' });
            });
            return h('td', sel);
          })))))) : h('p.muted', 'Add a competency and a level to set what each level expects.'));
  }

  /* data-field of each rated cell = its place in the document, so an error lands beside it */
  function locateCells() {
    const ti = current;
    for (const sel of matrixBox.querySelectorAll('select[data-cell]')) {
      const [j, name] = sel.dataset.cell.split('|');
      const k = doc.tracks[ti].levels[Number(j)].expectations.findIndex((x) => x.competency === name);
      if (k >= 0) sel.dataset.field = `tracks[${ti}].levels[${j}].expectations[${k}]`;
      else delete sel.dataset.field;
    }
  }

  const payload = () => ({
    competencies: doc.competencies.map((c) => ({ ...c, name: c.name.trim() })),
    tracks: doc.tracks.map((t) => ({ ...t, name: t.name.trim(), levels: t.levels.map((l, j) => ({ ...l, position: j + 1, code: l.code.trim(), title: l.title.trim() })) })),
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    summary.hidden = true;
    locateCells();
    save.disabled = true;
    try {
      await put('/api/v1/career/framework', payload());
      await reload();
      const shown = document.querySelector('.fw-form');
      if (shown) flash(shown, 'Saved. Gaps, plans and reviews use the framework now.');
    } catch (ex) {
      // the document's places in words: "Level 3 of Engineering", "Delivery at E2"
      const labels = {};
      doc.competencies.forEach((c, i) => { labels[`competencies[${i}].name`] = 'The new competency\'s name'; });
      doc.tracks.forEach((t, i) => {
        labels[`tracks[${i}].name`] = 'The track name';
        labels[`tracks[${i}].levels`] = `The track ${t.name}`;
        t.levels.forEach((l, j) => {
          labels[`tracks[${i}].levels[${j}]`] = `Level ${j + 1} of ${t.name || 'the new track'}`;
          l.expectations.forEach((e, k) => { labels[`tracks[${i}].levels[${j}].expectations[${k}]`] = `${e.competency} at ${l.code || `level ${j + 1}`}`; });
        });
      });
      showErrors(form, summary, ex, labels);
      save.disabled = false;
    }
  });

  renderComps();
  renderTrack();
  form.append(h('h2', { id: 'fw-h' }, 'Career framework'), compsBox, trackBox, summary, h('div.actions', save));

  // JSON import and export, for moving a framework between servers
  const json = h('textarea', { id: 'fw-json', rows: 14, spellcheck: 'false' });
  json.value = JSON.stringify(doc, null, 2);
  const jerr = h('p.field-error', { role: 'alert', hidden: true });
  const jsonForm = h('form', { novalidate: true },
    h('div.field', h('label', { for: 'fw-json' }, 'Framework document (JSON)'), json),
    jerr,
    h('div.actions',
      h('button.btn', { type: 'submit' }, 'Import this document'),
      h('a.btn', { href: URL.createObjectURL(new Blob([json.value], { type: 'application/json' })), download: 'career-framework.json' }, 'Download as JSON')));
  jsonForm.addEventListener('submit', async (e) => {
    e.preventDefault();
    jerr.hidden = true;
    let d;
    try { d = JSON.parse(json.value); } catch { jerr.textContent = 'The document is not valid JSON: nothing was imported.'; jerr.hidden = false; return; }
    try { await put('/api/v1/career/framework', d); await reload(); } catch (ex) {
      jerr.textContent = Object.keys(ex.fields || {}).length ? Object.entries(ex.fields).map(([k, v]) => `${k} ${v}`).join('; ') : ex.message;
      jerr.hidden = false;
    }
  });
  body.append(h('section.card', form),
    h('section.card', h('details', h('summary', 'Import or export as JSON'), h('p.muted', 'The same document the API takes: tracks by name, levels by code, competencies by name. Importing replaces the expectations of each level it lists.'), jsonForm)));
}
