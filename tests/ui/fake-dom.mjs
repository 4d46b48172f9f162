// A small DOM for mounting the components under node --test: elements and text nodes,
// attributes, custom elements with connected/disconnected callbacks, bubbling events,
// focus, simple selectors (tag, #id, .class, [attr], [attr="v"], descendants, lists),
// listeners on the document (they hear what bubbles up to <html>)
// and the live state of form controls (input value/checked, select value, option).
// Nothing here parses HTML. Importing the module installs it on globalThis (before
// the components are imported, so `class … extends HTMLElement` finds it).

const registry = new Map(); // tag → class
const tags = new Map(); // class → tag

class FakeNode {
  parentNode = null;
  childNodes = [];
  #listeners = [];

  get isConnected() {
    let node = this;
    while (node.parentNode) node = node.parentNode;
    return node === globalThis.document?.documentElement;
  }

  get firstChild() { return this.childNodes[0] ?? null; }

  get textContent() { return this.childNodes.map((n) => n.textContent).join(''); }
  set textContent(text) {
    this.replaceChildren(...(text === '' || text == null ? [] : [new FakeText(String(text))]));
  }

  contains(node) {
    for (let n = node; n; n = n.parentNode) if (n === this) return true;
    return false;
  }

  append(...nodes) {
    for (const node of nodes) this.appendChild(typeof node === 'object' ? node : new FakeText(String(node)));
  }

  appendChild(node) {
    node.parentNode?.removeChild(node);
    node.parentNode = this;
    this.childNodes.push(node);
    this.childrenChanged?.();
    if (this.isConnected) connect(node);
    return node;
  }

  removeChild(node) {
    const at = this.childNodes.indexOf(node);
    if (at < 0) throw new Error('removeChild: not a child');
    const wasConnected = node.isConnected;
    this.childNodes.splice(at, 1);
    node.parentNode = null;
    this.childrenChanged?.();
    if (wasConnected) disconnect(node);
    return node;
  }

  remove() {
    this.parentNode?.removeChild(this);
  }

  replaceChildren(...nodes) {
    for (const child of [...this.childNodes]) this.removeChild(child);
    this.append(...nodes);
  }

  addEventListener(type, listener) { this.#listeners.push({ type, listener }); }
  removeEventListener(type, listener) {
    this.#listeners = this.#listeners.filter((l) => l.type !== type || l.listener !== listener);
  }

  /** Target phase, then bubbling up the parents (when the event bubbles). */
  dispatchEvent(event) {
    Object.defineProperty(event, 'target', { value: this, configurable: true });
    for (let node = this; node; node = event.bubbles ? node.parentNode : null) {
      Object.defineProperty(event, 'currentTarget', { value: node, configurable: true });
      for (const { type, listener } of [...node.#listeners]) {
        if (type === event.type) listener.call(node, event);
      }
      if (event.cancelBubble) break;
    }
    return !event.defaultPrevented;
  }
}

class FakeText extends FakeNode {
  nodeType = 3;
  constructor(data) {
    super();
    this.data = data;
  }
  get textContent() { return this.data; }
  set textContent(text) { this.data = String(text); }
}

/** Every element, and the base of the custom elements (globalThis.HTMLElement). */
class FakeElement extends FakeNode {
  nodeType = 1;
  attributes = new Map();
  disabled = false;
  hidden = false;
  open = false;

  constructor(tag) {
    super();
    this.localName = (tag ?? tags.get(new.target) ?? 'div').toLowerCase();
  }

  get tagName() { return this.localName.toUpperCase(); }
  get children() { return this.childNodes.filter((n) => n.nodeType === 1); }

  setAttribute(name, value) { this.attributes.set(name.toLowerCase(), String(value)); }
  getAttribute(name) { return this.attributes.get(name.toLowerCase()) ?? null; }
  hasAttribute(name) { return this.attributes.has(name.toLowerCase()); }
  removeAttribute(name) { this.attributes.delete(name.toLowerCase()); }
  toggleAttribute(name, force) {
    const on = force ?? !this.hasAttribute(name);
    if (on) this.setAttribute(name, '');
    else this.removeAttribute(name);
    return on;
  }

  get id() { return this.getAttribute('id') ?? ''; }
  set id(value) { this.setAttribute('id', value); }
  get className() { return this.getAttribute('class') ?? ''; }
  set className(value) { this.setAttribute('class', value); }
  get classList() {
    const el = this;
    const list = () => el.className.split(/\s+/).filter(Boolean);
    return {
      contains: (c) => list().includes(c),
      add: (...cs) => { el.className = [...new Set([...list(), ...cs])].join(' '); },
      remove: (...cs) => { el.className = list().filter((c) => !cs.includes(c)).join(' '); },
      toggle: (c, force) => {
        const on = force ?? !list().includes(c);
        el.className = on ? [...new Set([...list(), c])].join(' ') : list().filter((x) => x !== c).join(' ');
        return on;
      },
    };
  }
  get dataset() {
    const el = this;
    const attr = (key) => `data-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return new Proxy({}, {
      get: (_, key) => (typeof key === 'string' ? el.getAttribute(attr(key)) ?? undefined : undefined),
      set: (_, key, value) => { el.setAttribute(attr(key), value); return true; },
      has: (_, key) => el.hasAttribute(attr(key)),
    });
  }

  focus() { globalThis.document.activeElement = this; }
  blur() { if (globalThis.document.activeElement === this) globalThis.document.activeElement = globalThis.document.body; }
  showModal() { this.open = true; }
  close() { this.open = false; }

  /** A user's click: toggles a checkbox or radio, then "click" (and "change"), and submits a form. */
  click() {
    if (this.disabled) return;
    const type = this.getAttribute('type');
    let changed = false;
    if (this.localName === 'input' && type === 'checkbox') {
      this.checked = !this.checked;
      changed = true;
    } else if (this.localName === 'input' && type === 'radio' && !this.checked) {
      const name = this.getAttribute('name');
      let root = this;
      while (root.parentNode) root = root.parentNode;
      for (const other of root.querySelectorAll(`input[name="${name}"]`)) other.checked = false;
      this.checked = true;
      changed = true;
    }
    this.dispatchEvent(new Event('click', { bubbles: true, cancelable: true }));
    if (changed) {
      this.dispatchEvent(new Event('input', { bubbles: true }));
      this.dispatchEvent(new Event('change', { bubbles: true }));
    }
    if (this.localName === 'button' && (type ?? 'submit') === 'submit') {
      let form = this.parentNode;
      while (form && form.localName !== 'form') form = form.parentNode;
      form?.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    }
  }

  querySelectorAll(selector) {
    const groups = parseSelector(selector);
    const found = [];
    const walk = (node) => {
      for (const child of node.children) {
        if (groups.some((group) => matches(child, group, this))) found.push(child);
        walk(child);
      }
    };
    walk(this);
    return found;
  }

  querySelector(selector) {
    return this.querySelectorAll(selector)[0] ?? null;
  }

  matches(selector) {
    return parseSelector(selector).some((group) => matches(this, group, null));
  }

  closest(selector) {
    for (let el = this; el && el.nodeType === 1; el = el.parentNode) if (el.matches(selector)) return el;
    return null;
  }
}

class FakeInput extends FakeElement {
  value = '';
  checked = false;
}

class FakeOption extends FakeElement {
  selected = false;
  #value = null;
  get value() { return this.#value ?? this.textContent; }
  set value(v) { this.#value = String(v); }
}

class FakeSelect extends FakeElement {
  #none = false;
  get options() { return this.querySelectorAll('option'); }
  get selectedIndex() {
    const options = this.options;
    const at = options.findIndex((o) => o.selected);
    return at >= 0 ? at : this.#none || !options.length ? -1 : 0;
  }
  get value() { return this.options[this.selectedIndex]?.value ?? ''; }
  set value(v) {
    let found = false;
    for (const option of this.options) {
      option.selected = !found && option.value === String(v);
      found ||= option.selected;
    }
    this.#none = !found;
  }
  childrenChanged() { this.#none = false; }
}

class FakeProgress extends FakeElement {
  value = 0;
  max = 1;
}

const ELEMENTS = { input: FakeInput, textarea: FakeInput, option: FakeOption, select: FakeSelect, progress: FakeProgress };

/** Selector groups: [[compound, …] outermost first], a compound {tag, id, classes, attrs}. */
function parseSelector(selector) {
  const token = /([a-z][\w-]*|\*)|#([\w-]+)|\.([\w-]+)|\[([\w-]+)(?:=(?:"([^"]*)"|'([^']*)'|([^\]]*)))?\]/iy;
  return selector.split(',').map((group) => group.trim().split(/\s+/).map((part) => {
    const compound = { tag: null, id: null, classes: [], attrs: [] };
    for (let at = 0; at < part.length; at = token.lastIndex) {
      token.lastIndex = at;
      const m = token.exec(part);
      if (!m) throw new Error(`fake DOM: unsupported selector "${selector}"`);
      if (m[1]) compound.tag = m[1] === '*' ? null : m[1].toLowerCase();
      else if (m[2]) compound.id = m[2];
      else if (m[3]) compound.classes.push(m[3]);
      else compound.attrs.push([m[4].toLowerCase(), m[5] ?? m[6] ?? m[7] ?? null]);
    }
    return compound;
  }));
}

function matchesCompound(el, c) {
  if (c.tag && el.localName !== c.tag) return false;
  if (c.id && el.id !== c.id) return false;
  if (c.classes.some((cls) => !el.classList.contains(cls))) return false;
  return c.attrs.every(([name, value]) => el.hasAttribute(name) && (value === null || el.getAttribute(name) === value));
}

/** The last compound matches el, the others some ancestors in order (inside `scope`). */
function matches(el, group, scope) {
  if (!matchesCompound(el, group.at(-1))) return false;
  let at = group.length - 2;
  for (let node = el.parentNode; at >= 0 && node && node.nodeType === 1 && node !== scope; node = node.parentNode) {
    if (matchesCompound(node, group[at])) at -= 1;
  }
  return at < 0;
}

function elementsIn(node) {
  return node.nodeType === 1 ? [node, ...node.children.flatMap(elementsIn)] : [];
}

function connect(node) {
  for (const el of elementsIn(node)) if (el.isConnected) el.connectedCallback?.();
}

function disconnect(node) {
  for (const el of elementsIn(node)) if (!el.isConnected) el.disconnectedCallback?.();
}

class FakeDocument {
  constructor() {
    this.documentElement = new FakeElement('html');
    this.body = new FakeElement('body');
    this.documentElement.appendChild(this.body);
    this.activeElement = this.body;
  }
  createElement(tag) {
    const name = tag.toLowerCase();
    const Custom = registry.get(name);
    if (Custom) return new Custom();
    return new (ELEMENTS[name] ?? FakeElement)(name);
  }
  createTextNode(data) { return new FakeText(String(data)); }
  getElementById(id) { return this.documentElement.querySelector(`#${id}`); }
  // Listeners on the document hear what bubbles up to <html> (keydown for shortcuts).
  addEventListener(type, listener) { this.documentElement.addEventListener(type, listener); }
  removeEventListener(type, listener) { this.documentElement.removeEventListener(type, listener); }
  dispatchEvent(event) { return this.documentElement.dispatchEvent(event); }
  querySelector(selector) { return this.documentElement.querySelector(selector); }
  querySelectorAll(selector) { return this.documentElement.querySelectorAll(selector); }
}

/** Install the globals; returns the document. Called on import. */
export function installFakeDom() {
  globalThis.HTMLElement ??= FakeElement;
  globalThis.customElements ??= {
    define(name, cls) {
      if (registry.has(name)) throw new Error(`${name} is already defined`);
      registry.set(name, cls);
      tags.set(cls, name);
    },
    get: (name) => registry.get(name),
  };
  globalThis.document = new FakeDocument();
  return globalThis.document;
}

/** A new, empty document (the custom elements stay defined). */
export function resetDocument() {
  globalThis.document = new FakeDocument();
  return globalThis.document;
}

/**
 * Wait until `condition()` is truthy, letting timers, promises and the backend's
 * answers come in; fails after `timeout` ms (the backend is the real app, so a
 * passphrase check or an import takes real time).
 */
export async function until(condition, { timeout = 20_000, what = 'the condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/** Choose a value in a <select> as a user would: set it and fire "change". */
export function choose(select, value) {
  select.value = value;
  if (select.value !== value) throw new Error(`${select.id} has no option ${JSON.stringify(value)}`);
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Type into an input: set the value and fire "input" and "change". */
export function type(input, value) {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

installFakeDom();
