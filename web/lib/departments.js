// The department tree as flat lists: for selects (indented by depth) and for names by id.
import { h } from './dom.js';

/** The departments of the tree, parents before their children, each with its depth. */
export function flatDepartments(items, depth = 0, out = []) {
  for (const d of items || []) {
    out.push({ ...d, depth });
    flatDepartments(d.children, depth + 1, out);
  }
  return out;
}

/** <option>s for the tree, indented by depth. */
export function departmentOptions(items) {
  return flatDepartments(items).map((d) => h('option', { value: d.id }, `${'\u2003'.repeat(d.depth)}${d.name}`));
}
