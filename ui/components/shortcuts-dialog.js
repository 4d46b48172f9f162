// <shortcuts-dialog>: the list of keyboard shortcuts, in the window's language and with
// the keys as this computer names them (⌘ on a Mac, Ctrl elsewhere). Opened by Help →
// Keyboard shortcuts (the native menu's "shortcuts" action) and by "?" in the window.

import { AppElement } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import { SHORTCUTS, isMac } from '../lib/shortcuts.js';

// A Mac writes modifiers in this order, without "+" (⇧⌘N); elsewhere Ctrl+Shift+N.
const MAC_ORDER = ['Alt', 'Shift', 'Mod'];
const PC_ORDER = ['Mod', 'Alt', 'Shift'];

/** One key combination as text: ['Mod', 'F'] → "Ctrl+F", or "⌘F" on a Mac. */
export function keyText(combo, mac = isMac()) {
  const order = mac ? MAC_ORDER : PC_ORDER;
  const rank = (key) => (order.includes(key) ? order.indexOf(key) : order.length);
  const name = (key) => {
    if (key === 'Mod') return mac ? '⌘' : t('shortcuts.key_ctrl');
    if (key === 'Alt') return mac ? '⌥' : t('shortcuts.key_alt');
    if (key === 'Shift') return mac ? '⇧' : t('shortcuts.key_shift');
    if (key === 'Esc') return t('shortcuts.key_esc');
    return key;
  };
  return [...combo].sort((a, b) => rank(a) - rank(b)).map(name).join(mac ? '' : '+');
}

class ShortcutsDialog extends AppElement {
  mac = isMac();
  dialog = h('dialog', { id: 'shortcuts-dialog', class: 'dialog', 'aria-labelledby': 'shortcuts-title' });

  render() {
    if (this.dialog.parentNode !== this) replace(this, this.dialog);
    if (this.dialog.open) this.renderDialog();
  }

  /** Show the list (again, in the current language). */
  showList() {
    this.renderDialog();
    if (!this.dialog.open) this.dialog.showModal();
    document.getElementById('shortcuts-close')?.focus();
  }

  hideList() {
    if (this.dialog.open) this.dialog.close();
  }

  renderDialog() {
    const keys = ({ keys, range }) => {
      const kbds = keys.map((combo) => h('kbd', {}, keyText(combo, this.mac)));
      const between = range ? ' – ' : ` ${t('shortcuts.or')} `;
      return kbds.flatMap((kbd, i) => (i ? [between, kbd] : [kbd]));
    };
    replace(this.dialog,
      h('h2', { id: 'shortcuts-title' }, t('shortcuts.title')),
      h('p', { class: 'hint', id: 'shortcuts-intro' }, t('shortcuts.intro', { mod: keyText(['Mod'], this.mac) })),
      h('table', { class: 'shortcuts' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col' }, t('shortcuts.action')),
          h('th', { scope: 'col' }, t('shortcuts.keys')))),
        h('tbody', {}, SHORTCUTS.map((shortcut) =>
          h('tr', { id: `shortcut-${shortcut.action}` },
            h('td', {}, t(shortcut.label)),
            h('td', { class: 'keys' }, keys(shortcut)))))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'shortcuts-close', class: 'primary', onclick: () => this.hideList() }, t('shortcuts.close'))),
    );
  }
}

customElements.define('shortcuts-dialog', ShortcutsDialog);
