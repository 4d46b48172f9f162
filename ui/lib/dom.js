// The one way the UI builds DOM. Data only ever becomes text nodes or attribute
// values (setAttribute / properties); nothing here parses markup, so a value such as
// `<img src=x onerror=alert(1)>` is shown as those characters and never run.

// Attributes that must be set as properties to reflect the live state of a control.
const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'indeterminate']);

/**
 * h('button', {type: 'button', class: 'primary', onclick: fn}, 'Save')
 * - attrs: `on*` functions become listeners; null/undefined/false are left out;
 *   true becomes an empty attribute; `style` is refused (the CSP forbids inline style).
 * - children: strings and numbers become text nodes, nodes are appended, arrays are
 *   flattened, null/undefined/booleans are skipped.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) {
      if (typeof value !== 'function') throw new TypeError(`h(): ${name} must be a function`);
      el.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'style') {
      throw new TypeError('h(): inline style is not allowed; use a class');
    } else if (PROPERTIES.has(name)) {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  return append(el, children);
}

/** Append children to a node with the same rules as h(); returns the node. */
export function append(parent, children) {
  for (const child of [children].flat(Infinity)) {
    if (child === null || child === undefined || typeof child === 'boolean') continue;
    parent.append(isNode(child) ? child : document.createTextNode(String(child)));
  }
  return parent;
}

/** Replace all children of a node (the only way the UI clears content). */
export function replace(parent, ...children) {
  parent.replaceChildren();
  return append(parent, children);
}

function isNode(value) {
  return typeof value === 'object' && typeof value.nodeType === 'number';
}

/** The last part of a file path, for both / and \ separators. */
export function baseName(path) {
  return String(path ?? '').split(/[\\/]/).filter(Boolean).pop() ?? '';
}

/** Everything before the last path separator. */
export function dirName(path) {
  const text = String(path ?? '');
  const cut = Math.max(text.lastIndexOf('/'), text.lastIndexOf('\\'));
  return cut > 0 ? text.slice(0, cut) : '';
}
