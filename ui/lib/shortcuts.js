// The window's keyboard shortcuts: which key press means what (shortcutFor), and the
// list the Help menu's "Keyboard shortcuts" shows (SHORTCUTS). <main-screen> has the
// one keydown handler that acts on them; the native menu (src-tauri/app/menu.rs) shows
// the same combinations as accelerators on its items.
//
// "Mod" is Cmd on macOS and Ctrl elsewhere. On macOS Ctrl+F, Ctrl+K and Ctrl+N move
// the caret in text fields (Cocoa's text bindings), so only Cmd counts there. A
// combination with Alt as well is never taken: AltGr (reported as Ctrl+Alt on
// Windows) types characters such as @ on a Norwegian keyboard. Ctrl/Cmd with C, V, X,
// A and Z is left to the text fields.

/** What the list shows, in order. Keys: 'Mod', 'Alt', 'Shift', 'Esc', or the key cap. */
export const SHORTCUTS = Object.freeze([
  { action: 'search', keys: [['Mod', 'F'], ['Mod', 'K']], label: 'shortcuts.search' },
  { action: 'new-person', keys: [['Mod', 'N']], label: 'shortcuts.new_person' },
  { action: 'lock', keys: [['Mod', 'L']], label: 'shortcuts.lock' },
  { action: 'page', keys: [['Alt', '1'], ['Alt', '9']], range: true, label: 'shortcuts.pages' },
  { action: 'menu-close', keys: [['Esc']], label: 'shortcuts.menu_close' },
  { action: 'help', keys: [['?']], label: 'shortcuts.help' },
  // The native menu's own (menu.rs), listed so the list is complete.
  { action: 'export', keys: [['Mod', 'E']], label: 'shortcuts.export' },
  { action: 'open', keys: [['Mod', 'O']], label: 'shortcuts.open' },
  { action: 'new-register', keys: [['Mod', 'Shift', 'N']], label: 'shortcuts.new_register' },
  { action: 'quit', keys: [['Mod', 'Q']], label: 'shortcuts.quit' },
]);

/** Whether this is a Mac (Cmd is the shortcut key there). */
export function isMac() {
  const nav = globalThis.navigator;
  const platform = nav?.userAgentData?.platform || nav?.platform || nav?.userAgent || '';
  return /Mac|iPhone|iPad/i.test(platform);
}

/** Whether key presses on `el` are typing: a text field, a select or editable content. */
export function isTyping(el) {
  if (!el || el.nodeType !== 1) return false;
  const tag = el.localName;
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    const type = (el.getAttribute('type') ?? 'text').toLowerCase();
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color', 'image'].includes(type);
  }
  return el.isContentEditable === true;
}

/** The letter of a key press, from `key` (the layout's letter) or else `code` ("KeyF"). */
function letterOf(event) {
  const key = String(event.key ?? '');
  if (/^[a-z]$/i.test(key)) return key.toLowerCase();
  const code = String(event.code ?? '');
  return /^Key[A-Z]$/.test(code) ? code.slice(3).toLowerCase() : '';
}

const MOD_LETTERS = Object.freeze({ f: 'search', k: 'search', n: 'new-person', l: 'lock' });

/**
 * What a keydown means: {action: 'search'|'new-person'|'lock'|'help'|'menu-close'} or
 * {action: 'page', index} (0 for Alt+1), or null for a key press that is not ours.
 * `typing`: the press went to a text field, where only the Ctrl/Cmd combinations count.
 */
export function shortcutFor(event, { mac = isMac(), typing = isTyping(event.target) } = {}) {
  if (!event || event.isComposing || event.defaultPrevented) return null;
  const mod = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  if (mod && !event.altKey && !event.shiftKey) {
    const action = MOD_LETTERS[letterOf(event)];
    return action ? { action } : null;
  }
  if (event.key === 'Escape' && !event.ctrlKey && !event.metaKey && !event.altKey) return { action: 'menu-close' };
  if (typing || event.ctrlKey || event.metaKey) return null;
  // Alt+1…9 by the key's place (`code`): Alt/Option with a digit types ¡ or @ on a Mac.
  const digit = /^Digit([1-9])$/.exec(String(event.code ?? ''));
  if (event.altKey && !event.shiftKey && digit) return { action: 'page', index: Number(digit[1]) - 1 };
  if (!event.altKey && event.key === '?') return { action: 'help' };
  return null;
}
