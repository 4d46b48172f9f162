// Navigation and keyboard shortcuts: what a key press means (ui/lib/shortcuts.js), the
// menu button that opens the list of pages in a narrow window, the shortcuts acting on
// <main-screen> against the real backend (bridge.mjs), the list Help → Keyboard
// shortcuts shows (<shortcuts-dialog>) in both languages, and the native menu's
// accelerators (src-tauri/app/menu.rs) matching that list.
import { resetDocument, until } from './fake-dom.mjs'; // first: installs the DOM
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { UI, read, readJson } from './helpers.mjs';
import { freshRegister } from './bridge.mjs';
import { lookup, setLanguage, useTranslations } from '../../ui/lib/i18n.js';
import { SHORTCUTS, isTyping, shortcutFor } from '../../ui/lib/shortcuts.js';
import '../../ui/components/main-screen.js';
import { keyText } from '../../ui/components/shortcuts-dialog.js';

const en = readJson(join(UI, 'i18n', 'en.json'));
const nb = readJson(join(UI, 'i18n', 'nb.json'));
useTranslations({ en, nb });

const $ = (id) => document.getElementById(id);
const PAGES = ['overview', 'requests', 'breaches', 'subjects', 'activities', 'retention', 'processors', 'controller', 'settings'];

/** A key press as the browser reports it (Node has no KeyboardEvent). */
function keyEvent(init) {
  const event = new Event('keydown', { bubbles: true, cancelable: true });
  return Object.assign(event, {
    key: '', code: '', ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, repeat: false, isComposing: false,
    ...init,
  });
}

/** Press a key on `target` (the focused element; the body when nothing is). */
function press(target, init) {
  const event = keyEvent(init);
  target.dispatchEvent(event);
  return event;
}

const input = (type) => {
  const el = document.createElement('input');
  el.setAttribute('type', type);
  return el;
};

describe('shortcutFor: what a key press means', () => {
  const body = () => document.body;
  const on = (init, options = {}) => shortcutFor({ target: body(), ...keyEvent(init) }, { mac: false, ...options });

  it('Ctrl+F or Ctrl+K searches, Ctrl+N adds a person, Ctrl+L locks, also while typing', () => {
    assert.deepEqual(on({ key: 'f', code: 'KeyF', ctrlKey: true }), { action: 'search' });
    assert.deepEqual(on({ key: 'k', code: 'KeyK', ctrlKey: true }), { action: 'search' });
    assert.deepEqual(on({ key: 'n', code: 'KeyN', ctrlKey: true }, { typing: true }), { action: 'new-person' });
    assert.deepEqual(on({ key: 'L', code: 'KeyL', ctrlKey: true }, { typing: true }), { action: 'lock' }, 'Caps Lock on');
  });

  it('is Cmd on a Mac, where Ctrl+F, Ctrl+K and Ctrl+N move the caret in a text field', () => {
    assert.deepEqual(on({ key: 'f', code: 'KeyF', metaKey: true }, { mac: true }), { action: 'search' });
    assert.equal(on({ key: 'f', code: 'KeyF', ctrlKey: true }, { mac: true, typing: true }), null);
    assert.equal(on({ key: 'k', code: 'KeyK', ctrlKey: true }, { mac: true }), null);
    assert.equal(on({ key: 'l', code: 'KeyL', metaKey: true }), null, 'the Windows key is not Ctrl');
  });

  it('leaves copy, paste, cut, select all and undo to the text fields, and AltGr alone', () => {
    for (const letter of ['c', 'v', 'x', 'a', 'z']) {
      const code = `Key${letter.toUpperCase()}`;
      assert.equal(on({ key: letter, code, ctrlKey: true }, { typing: true }), null, `Ctrl+${letter}`);
      assert.equal(on({ key: letter, code, ctrlKey: true }), null, `Ctrl+${letter}`);
      assert.equal(on({ key: letter, code, metaKey: true }, { mac: true, typing: true }), null, `Cmd+${letter}`);
    }
    // AltGr is Ctrl+Alt on Windows: AltGr+L and friends type characters on some layouts.
    assert.equal(on({ key: 'l', code: 'KeyL', ctrlKey: true, altKey: true }), null);
    assert.equal(on({ key: 'N', code: 'KeyN', ctrlKey: true, shiftKey: true }), null, 'Ctrl+Shift+N is the menu\'s new register');
  });

  it('finds the letter by the key\'s place on a layout without Latin letters', () => {
    assert.deepEqual(on({ key: 'а', code: 'KeyF', ctrlKey: true }), { action: 'search' });
    assert.deepEqual(on({ key: 'д', code: 'KeyL', ctrlKey: true }), { action: 'lock' });
  });

  it('Alt+1…9 goes to a page by the digit key, but not while typing (Alt+2 types @ on a Norwegian Mac)', () => {
    assert.deepEqual(on({ key: '1', code: 'Digit1', altKey: true }), { action: 'page', index: 0 });
    assert.deepEqual(on({ key: '@', code: 'Digit2', altKey: true }, { mac: true }), { action: 'page', index: 1 });
    assert.deepEqual(on({ key: '9', code: 'Digit9', altKey: true }), { action: 'page', index: 8 });
    assert.equal(on({ key: '@', code: 'Digit2', altKey: true }, { mac: true, typing: true }), null);
    assert.equal(on({ key: '0', code: 'Digit0', altKey: true }), null);
    assert.equal(on({ key: '1', code: 'Digit1' }), null);
    assert.equal(on({ key: '@', code: 'Digit2', ctrlKey: true, altKey: true }), null, 'AltGr+2 is @ on Windows');
  });

  it('"?" shows the list and Escape closes the menu; typed "?" is text', () => {
    assert.deepEqual(on({ key: '?', code: 'Minus', shiftKey: true }), { action: 'help' });
    assert.equal(on({ key: '?', code: 'Minus', shiftKey: true }, { typing: true }), null);
    assert.deepEqual(on({ key: 'Escape', code: 'Escape' }, { typing: true }), { action: 'menu-close' });
  });

  it('ignores a key press that composes a character or was already handled', () => {
    assert.equal(on({ key: 'n', code: 'KeyN', ctrlKey: true, isComposing: true }), null);
    const handled = keyEvent({ key: 'n', code: 'KeyN', ctrlKey: true });
    handled.preventDefault();
    assert.equal(shortcutFor(handled, { mac: false, typing: false }), null);
  });

  it('knows typing: text fields, text areas, selects and editable content, not buttons or checkboxes', () => {
    for (const type of ['text', 'search', 'email', 'tel', 'password', 'number', 'date']) assert.ok(isTyping(input(type)), type);
    assert.ok(isTyping(document.createElement('input')), 'an input without a type is a text field');
    for (const type of ['checkbox', 'radio', 'button', 'submit']) assert.ok(!isTyping(input(type)), type);
    assert.ok(isTyping(document.createElement('textarea')));
    assert.ok(isTyping(document.createElement('select')));
    assert.ok(!isTyping(document.createElement('button')));
    assert.ok(!isTyping(document.body));
    const editable = document.createElement('div');
    editable.isContentEditable = true;
    assert.ok(isTyping(editable));
  });
});

describe('<main-screen>: the list of pages and the shortcuts', () => {
  beforeEach(() => {
    document.body.replaceChildren(); // disconnects the last test's components
    resetDocument();
    setLanguage('en');
  });

  async function shell() {
    const setup = await freshRegister();
    const main = document.createElement('main-screen');
    main.status = setup.status;
    document.body.append(main);
    await until(() => document.querySelector('overview-page'), { what: 'the overview' });
    return { main, ...setup };
  }

  it('has a menu button that opens the list, closes it on choosing a page and gives the page the focus', async () => {
    await shell();
    const toggle = $('nav-toggle');
    assert.equal(toggle.localName, 'button');
    assert.equal(toggle.getAttribute('aria-controls'), 'main-nav');
    assert.equal($('main-nav').localName, 'nav');
    assert.equal(toggle.getAttribute('aria-expanded'), 'false');
    assert.equal(toggle.textContent.replace('☰', ''), 'Menu');
    const ids = document.querySelectorAll('#main-nav button').map((b) => b.id);
    for (const page of PAGES) assert.ok(ids.includes(`nav-${page}`), page);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok($('lock-button'), 'Lock stays outside the list, in the bar');
    assert.ok(!$('main-nav').contains($('lock-button')));

    toggle.click();
    assert.equal($('nav-toggle').getAttribute('aria-expanded'), 'true');
    assert.ok(document.querySelector('header').classList.contains('nav-open'));
    $('nav-subjects').click();
    assert.ok(document.querySelector('subject-list'));
    assert.equal($('nav-subjects').getAttribute('aria-current'), 'page');
    assert.equal($('nav-overview').getAttribute('aria-current'), null);
    assert.equal($('nav-toggle').getAttribute('aria-expanded'), 'false');
    assert.ok(!document.querySelector('header').classList.contains('nav-open'));
    assert.equal(document.activeElement, $('content'), 'the focus is not lost with the hidden list');

    // Escape closes an open list and returns to its button; a closed one leaves Escape alone.
    $('nav-toggle').click();
    const escape = press($('nav-processors'), { key: 'Escape', code: 'Escape' });
    assert.ok(escape.defaultPrevented);
    assert.equal($('nav-toggle').getAttribute('aria-expanded'), 'false');
    assert.equal(document.activeElement, $('nav-toggle'));
    assert.ok(!press(document.body, { key: 'Escape', code: 'Escape' }).defaultPrevented, 'a dialog may want it');

    // The state survives a new Status (the bar re-renders).
    $('nav-toggle').click();
    main().update(main().status);
    assert.equal($('nav-toggle').getAttribute('aria-expanded'), 'true');
    setLanguage('nb');
    assert.equal($('nav-toggle').textContent.replace('☰', ''), 'Meny');
    assert.equal($('nav-toggle').getAttribute('aria-expanded'), 'true');
  });

  const main = () => document.querySelector('main-screen');

  it('Ctrl+K and Ctrl+F go to the people search, from any page and from inside the search', async () => {
    await shell();
    $('nav-settings').click();
    const event = press(document.body, { key: 'k', code: 'KeyK', ctrlKey: true });
    assert.ok(event.defaultPrevented, 'the browser does not act on it too');
    const list = document.querySelector('subject-list');
    assert.ok(list);
    assert.equal($('nav-subjects').getAttribute('aria-current'), 'page');
    assert.equal(document.activeElement, $('subject-search'));
    $('subject-search').value = 'Kari';
    press($('subject-search'), { key: 'f', code: 'KeyF', ctrlKey: true });
    assert.equal(document.querySelector('subject-list'), list, 'the list and its search are kept');
    assert.equal($('subject-search').value, 'Kari');
    assert.equal(document.activeElement, $('subject-search'));
  });

  it('Ctrl+N opens the form for a new person, also from a text field, and Back returns to the people', async () => {
    await shell();
    $('nav-subjects').click();
    $('subject-search').focus();
    const event = press($('subject-search'), { key: 'n', code: 'KeyN', ctrlKey: true });
    assert.ok(event.defaultPrevented);
    await until(() => document.querySelector('subject-new'), { what: 'the new-person form' });
    assert.equal($('nav-subjects').getAttribute('aria-current'), 'page');
    const form = document.querySelector('subject-new');
    const held = press(document.body, { key: 'n', code: 'KeyN', ctrlKey: true, repeat: true });
    assert.ok(held.defaultPrevented, 'a held key is still taken from the browser');
    assert.equal(document.querySelector('subject-new'), form, 'but does not open the form again');
    await until(() => document.activeElement === $('new-subject-name'), { what: 'the form, ready for the name' });
    $('new-subject-back').click();
    assert.ok(document.querySelector('subject-list'));

    // From another page too.
    $('nav-activities').click();
    press(document.body, { key: 'n', code: 'KeyN', ctrlKey: true });
    assert.ok(document.querySelector('subject-new'));
    assert.equal($('nav-subjects').getAttribute('aria-current'), 'page');
  });

  it('Alt+digit goes to the pages in the menu\'s order, but not while typing; copy and paste stay the field\'s', async () => {
    await shell();
    const buttons = document.querySelectorAll('#main-nav button');
    press(document.body, { key: '2', code: 'Digit2', altKey: true });
    assert.equal(buttons[1].getAttribute('aria-current'), 'page');
    assert.equal(document.querySelector('main-screen').page, buttons[1].id.replace('nav-', ''));
    press(document.body, { key: '9', code: 'Digit9', altKey: true });
    assert.equal(document.querySelectorAll('#main-nav button')[8].getAttribute('aria-current'), 'page');
    $('nav-subjects').click();
    assert.ok(document.querySelector('subject-list'));
    const typed = press($('subject-search'), { key: '@', code: 'Digit2', altKey: true });
    assert.ok(!typed.defaultPrevented);
    assert.ok(document.querySelector('subject-list'), 'still the people page');
    for (const letter of ['c', 'v', 'x', 'a', 'z']) {
      assert.ok(!press($('subject-search'), { key: letter, code: `Key${letter.toUpperCase()}`, ctrlKey: true }).defaultPrevented, letter);
    }
    assert.equal(document.querySelectorAll('#main-nav button')[0].getAttribute('aria-keyshortcuts'), 'Alt+1');
    assert.equal($('lock-button').getAttribute('aria-keyshortcuts'), 'Control+L');
  });

  it('"?" asks for the list of shortcuts; while a dialog is open only Lock acts', async () => {
    const { bridge } = await shell();
    let asked = 0;
    document.body.addEventListener('shortcuts-show', () => { asked += 1; });
    press(document.body, { key: '?', code: 'Minus', shiftKey: true });
    assert.equal(asked, 1);

    const dialog = document.createElement('shortcuts-dialog');
    document.body.append(dialog);
    dialog.showList();
    press(document.body, { key: 'n', code: 'KeyN', ctrlKey: true });
    press(document.body, { key: '3', code: 'Digit3', altKey: true });
    assert.ok(document.querySelector('overview-page'), 'nothing happens behind the dialog');
    dialog.hideList();

    let locked = null;
    document.body.addEventListener('status-change', (event) => { locked = event.detail; });
    press($('nav-toggle'), { key: 'l', code: 'KeyL', ctrlKey: true });
    await until(() => locked, { what: 'the lock' });
    assert.equal(locked.state, 'locked');
    assert.equal(bridge.argsOf('lock').length, 1);
  });

  it('listens only while it is shown', async () => {
    const { bridge } = await shell();
    main().remove();
    press(document.body, { key: 'l', code: 'KeyL', ctrlKey: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(bridge.argsOf('lock').length, 0);
  });
});

describe('<shortcuts-dialog>: the list Help → Keyboard shortcuts shows', () => {
  beforeEach(() => {
    document.body.replaceChildren();
    resetDocument();
    setLanguage('en');
  });

  function shown({ mac = false } = {}) {
    const el = document.createElement('shortcuts-dialog');
    el.mac = mac;
    document.body.append(el);
    el.showList();
    return el;
  }
  const row = (action) => $(`shortcut-${action}`).textContent;

  it('lists every shortcut the window acts on, with the keys of a PC, in English and Norwegian', () => {
    const el = shown();
    assert.ok($('shortcuts-dialog').open);
    assert.equal(document.activeElement, $('shortcuts-close'));
    assert.equal($('shortcuts-title').textContent, 'Keyboard shortcuts');
    assert.equal(row('search'), 'Search the data subjectsCtrl+F or Ctrl+K');
    assert.equal(row('new-person'), 'Add a personCtrl+N');
    assert.equal(row('lock'), 'Lock the registerCtrl+L');
    assert.equal(row('page'), 'Go to the first nine pages of the menu, in orderAlt+1 – Alt+9');
    assert.equal(row('new-register'), 'Create a new registerCtrl+Shift+N');
    assert.match($('shortcuts-intro').textContent, /^The combinations with Ctrl work everywhere/);
    setLanguage('nb');
    assert.equal($('shortcuts-title').textContent, 'Hurtigtaster');
    assert.equal(row('search'), 'Søk blant de registrerteCtrl+F eller Ctrl+K');
    assert.equal(row('lock'), 'Lås registeretCtrl+L');
    assert.equal($('shortcuts-close').textContent, 'Lukk');
    $('shortcuts-close').click();
    assert.ok(!el.dialog.open);
  });

  it('writes the keys as a Mac does', () => {
    shown({ mac: true });
    assert.equal(row('search'), 'Search the data subjects⌘F or ⌘K');
    assert.equal(row('new-register'), 'Create a new register⇧⌘N');
    assert.equal(row('page'), 'Go to the first nine pages of the menu, in order⌥1 – ⌥9');
    assert.equal(keyText(['Esc'], true), 'Esc');
  });

  it('has a text in both languages for every row, and a row for every action the window takes', () => {
    for (const { label } of SHORTCUTS) {
      assert.equal(typeof lookup(en, label), 'string', `en: ${label}`);
      assert.equal(typeof lookup(nb, label), 'string', `nb: ${label}`);
    }
    const listed = new Set(SHORTCUTS.map((s) => s.action));
    for (const action of ['search', 'new-person', 'lock', 'page', 'menu-close', 'help']) assert.ok(listed.has(action), action);
  });
});

describe('the native menu (src-tauri/app/menu.rs)', () => {
  const menu = read(join(UI, '..', 'src-tauri', 'app', 'menu.rs'));
  // item("file.lock", l.lock, "CmdOrCtrl+L", unlocked), possibly over several lines.
  const accelerators = new Map([...menu.matchAll(/item\(\s*"([\w.]+)",\s*l\.\w+,\s*"([^"]+)"/g)].map((m) => [m[1], m[2]]));
  const tauri = (combo) => combo.map((k) => (k === 'Mod' ? 'CmdOrCtrl' : k)).join('+');
  const listed = (action) => SHORTCUTS.find((s) => s.action === action).keys.map(tauri);

  it('shows the same keys on its items as the window\'s list', () => {
    const items = {
      'file.new_person': 'new-person', 'file.find_person': 'search', 'file.lock': 'lock', 'file.export': 'export',
      'file.open': 'open', 'file.new': 'new-register', 'file.quit': 'quit',
    };
    assert.deepEqual([...accelerators.keys()].sort(), Object.keys(items).sort());
    for (const [id, action] of Object.entries(items)) {
      assert.ok(listed(action).includes(accelerators.get(id)), `${id}: ${accelerators.get(id)} is not in the list for ${action}`);
    }
  });

  it('takes none of the text fields\' Ctrl/Cmd+C, V, X, A or Z, and lists its shortcuts in Help', () => {
    for (const accelerator of accelerators.values()) {
      assert.doesNotMatch(accelerator, /^CmdOrCtrl\+[CVXAZ]$/, accelerator);
    }
    assert.match(menu, /"help\.shortcuts" => emit\(app, "shortcuts"\)/);
    assert.match(menu, /"file\.new_person" => emit\(app, "new-person"\)/);
    assert.match(menu, /"file\.find_person" => emit\(app, "search"\)/);
  });
});
