// h() with a minimal fake document: data becomes text nodes and attribute values,
// never markup. The fake refuses every HTML-parsing entry point, so a test fails if
// h() ever reaches for one.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { append, baseName, dirName, h, replace } from '../../ui/lib/dom.js';

const HOSTILE = '<img src=x onerror=alert(1)>';

class FakeText {
  nodeType = 3;
  parentNode = null;
  constructor(data) { this.data = data; }
  get textContent() { return this.data; }
}

class FakeElement {
  nodeType = 1;
  parentNode = null;
  childNodes = [];
  attributes = new Map();
  listeners = [];
  constructor(tagName) { this.tagName = tagName.toUpperCase(); }
  setAttribute(name, value) {
    if (!/^[a-z_:][\w:.-]*$/i.test(name)) throw new Error(`InvalidCharacterError: ${name}`);
    this.attributes.set(name, String(value));
  }
  getAttribute(name) { return this.attributes.has(name) ? this.attributes.get(name) : null; }
  addEventListener(type, listener) { this.listeners.push({ type, listener }); }
  append(...nodes) {
    for (const node of nodes) {
      if (typeof node !== 'object') throw new Error('append() was given a raw string; h() must create text nodes');
      node.parentNode = this;
      this.childNodes.push(node);
    }
  }
  replaceChildren(...nodes) { this.childNodes = []; this.append(...nodes); }
  get textContent() { return this.childNodes.map((n) => n.textContent).join(''); }
  set innerHTML(_) { throw new Error('innerHTML must not be used'); }
  set outerHTML(_) { throw new Error('outerHTML must not be used'); }
  insertAdjacentHTML() { throw new Error('insertAdjacentHTML must not be used'); }
}

const created = [];
const fakeDocument = {
  createElement(tag) { const el = new FakeElement(tag); created.push(el); return el; },
  createTextNode(data) { return new FakeText(data); },
  write() { throw new Error('document.write must not be used'); },
  createRange() { throw new Error('no Range / createContextualFragment'); },
};

beforeEach(() => {
  globalThis.document = fakeDocument;
  created.length = 0;
});

describe('h()', () => {
  it('puts a hostile string into one text node, unparsed', () => {
    const el = h('td', {}, HOSTILE);
    assert.equal(el.tagName, 'TD');
    assert.equal(el.childNodes.length, 1);
    assert.ok(el.childNodes[0] instanceof FakeText);
    assert.equal(el.childNodes[0].data, HOSTILE);
    assert.deepEqual(created.map((e) => e.tagName), ['TD'], 'no <img> element may be created');
    assert.equal(el.attributes.size, 0);
    assert.equal(el.listeners.length, 0);
  });

  it('keeps a hostile attribute value as an attribute value only', () => {
    const value = `"><script>alert(1)</script>${HOSTILE}`;
    const el = h('span', { title: value, 'data-subject-id': HOSTILE });
    assert.equal(el.getAttribute('title'), value);
    assert.equal(el.getAttribute('data-subject-id'), HOSTILE);
    assert.equal(el.childNodes.length, 0);
    assert.deepEqual(created.map((e) => e.tagName), ['SPAN']);
  });

  it('turns numbers into text and nests element children', () => {
    const el = h('p', {}, 'Showing ', 1, '–', 50, h('strong', {}, HOSTILE));
    assert.equal(el.childNodes.length, 5);
    assert.equal(el.textContent, `Showing 1–50${HOSTILE}`);
    const strong = el.childNodes[4];
    assert.equal(strong.tagName, 'STRONG');
    assert.ok(strong.childNodes[0] instanceof FakeText);
  });

  it('flattens arrays and skips null, undefined and booleans', () => {
    const el = h('ul', {}, [h('li', {}, 'a'), [null, h('li', {}, 'b')]], undefined, false, true, 0);
    assert.deepEqual(el.childNodes.map((n) => n.tagName ?? n.data), ['LI', 'LI', '0']);
  });

  it('treats an object that only looks like markup as text', () => {
    const el = h('p', {}, { toString: () => HOSTILE });
    assert.ok(el.childNodes[0] instanceof FakeText);
    assert.equal(el.childNodes[0].data, HOSTILE);
  });

  it('adds on* functions as listeners and refuses strings as handlers', () => {
    const onclick = () => {};
    const el = h('button', { type: 'button', onclick });
    assert.deepEqual(el.listeners, [{ type: 'click', listener: onclick }]);
    assert.equal(el.getAttribute('onclick'), null);
    assert.throws(() => h('img', { onerror: 'alert(1)' }), TypeError);
  });

  it('refuses inline style (the CSP forbids it)', () => {
    assert.throws(() => h('div', { style: 'color: red' }), TypeError);
  });

  it('sets boolean and live-state attributes sensibly', () => {
    const input = h('input', { required: true, disabled: false, hidden: null, value: HOSTILE, checked: true });
    assert.equal(input.getAttribute('required'), '');
    assert.equal(input.getAttribute('disabled'), null);
    assert.equal(input.disabled, undefined);
    assert.equal(input.value, HOSTILE);
    assert.equal(input.checked, true);
    assert.equal(input.getAttribute('hidden'), null);
  });

  it('replace() clears without innerHTML and appends as text', () => {
    const el = h('div', {}, h('p', {}, 'old'));
    replace(el, HOSTILE);
    assert.equal(el.childNodes.length, 1);
    assert.equal(el.childNodes[0].data, HOSTILE);
    append(el, ['x', null]);
    assert.equal(el.textContent, `${HOSTILE}x`);
  });
});

describe('paths', () => {
  it('split POSIX and Windows paths', () => {
    assert.equal(baseName('/home/kari/Documents/Register.privreg'), 'Register.privreg');
    assert.equal(baseName('C:\\Users\\Kari\\Register.privreg'), 'Register.privreg');
    assert.equal(dirName('C:\\Users\\Kari\\Register.privreg'), 'C:\\Users\\Kari');
    assert.equal(baseName(null), '');
  });
});
