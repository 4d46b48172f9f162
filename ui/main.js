// Entry point. Loads the texts, asks the backend for its Status and shows the screen
// for it. Routing is driven by the Status alone:
//   state "welcome"  → <welcome-screen>, or <create-register> after "Create a new register"
//   state "locked"   → <unlock-screen> (with the idle note after an automatic lock)
//   state "unlocked" → <main-screen> (overview / subjects / settings inside it)
// Screens hand every Status the backend returns up as a "status-change" event; the
// same screen is updated in place, a different one replaces it.

import { onBusyChange } from './lib/busy.js';
import { reportError } from './lib/component.js';
import { h, replace } from './lib/dom.js';
import { errorMessage, loadTranslations, onLanguageChange, setLanguage, t } from './lib/i18n.js';
import * as ipc from './lib/ipc.js';
import './components/welcome-screen.js';
import './components/create-register.js';
import './components/unlock-screen.js';
import './components/main-screen.js';
import './components/shortcuts-dialog.js';

const PING_INTERVAL_MS = 30_000;
const BUSY_DELAY_MS = 150; // show the indicator only when a command is not instant
const ACTIVITY_EVENTS = ['pointermove', 'pointerdown', 'keydown', 'wheel', 'touchstart'];

const root = document.getElementById('app');
const busyEl = document.getElementById('app-busy');
const messageEl = document.getElementById('app-message');

const view = { status: null, creating: false, idleMinutes: null, lockReason: null };
let screen = null;
const shortcuts = document.createElement('shortcuts-dialog'); // Help → Keyboard shortcuts, or "?"
let lastPing = 0;
let busyTimer = null;

// A mistake in the UI itself must not fail silently: say so in the message area.
window.addEventListener('error', (event) => reportError(event.error ?? event.message));
window.addEventListener('unhandledrejection', (event) => reportError(event.reason));

function screenTag(status) {
  if (status.state === 'unlocked') return 'main-screen';
  if (status.state === 'locked') return 'unlock-screen';
  return view.creating ? 'create-register' : 'welcome-screen';
}

/** Show the screen for a Status (the single place the app changes screens). */
function show(status) {
  view.status = status;
  if (status.state !== 'welcome') view.creating = false;
  if (status.state !== 'locked') {
    view.idleMinutes = null;
    view.lockReason = null;
  }
  setLanguage(status.settings?.language);
  messageEl.textContent = '';
  const tag = screenTag(status);
  const same = screen?.localName === tag;
  if (!same) screen = document.createElement(tag);
  if (tag === 'unlock-screen') {
    screen.idleMinutes = view.idleMinutes;
    screen.lockReason = view.lockReason;
  }
  if (same) screen.update(status);
  else {
    screen.status = status;
    replace(root, screen);
  }
  updateChrome();
}

function updateChrome() {
  const file = view.status?.file_name;
  document.title = file ? `${file} — ${t('app.name')}` : t('app.name');
}

async function refresh() {
  try {
    show(await ipc.appStatus());
  } catch (err) {
    if (screen) reportError(err);
    else showStartFailure(errorMessage(err));
  }
}

function showStartFailure(text) {
  replace(root,
    h('main', { class: 'screen narrow' },
      h('h1', {}, t('app.name')),
      h('p', { class: 'message error', role: 'alert' }, text),
      h('button', { type: 'button', class: 'primary', onclick: () => refresh() }, t('common.retry'))),
  );
}

/** Menu items the window carries out: new, open, export, new person, search, the shortcuts. */
async function handleMenu({ action } = {}) {
  try {
    if (action === 'new') {
      const status = view.status?.state === 'welcome' ? view.status : await ipc.closeRegister();
      view.creating = true;
      show(status);
    } else if (action === 'open') {
      const path = await ipc.chooseRegisterFile();
      if (!path) return;
      if (view.status?.state !== 'welcome') await ipc.closeRegister();
      show(await ipc.openRegister({ path }));
    } else if (action === 'export' && view.status?.state === 'unlocked') {
      screen?.showExport?.();
    } else if (action === 'new-person' && view.status?.state === 'unlocked') {
      screen?.newPerson?.();
    } else if (action === 'search' && view.status?.state === 'unlocked') {
      screen?.focusSearch?.();
    } else if (action === 'shortcuts') {
      shortcuts.showList();
    }
  } catch (err) {
    if (err?.kind !== 'app.cancelled') reportError(err);
    refresh();
  }
}

async function handleLocked(payload) {
  try {
    const status = await ipc.appStatus();
    const locked = status.state === 'locked';
    view.idleMinutes = payload?.reason === 'idle' && locked ? status.settings.auto_lock_minutes : null;
    // Locked while the computer slept or with the OS session (locking.rs).
    view.lockReason = locked && ['suspend', 'session'].includes(payload?.reason) ? payload.reason : null;
    show(status);
  } catch (err) {
    reportError(err);
  }
}

/** Tell the backend the user is here, at most every 30 s, while a register is unlocked. */
function noteActivity() {
  if (view.status?.state !== 'unlocked') return;
  const now = Date.now();
  if (now - lastPing < PING_INTERVAL_MS) return;
  lastPing = now;
  ipc.ping().catch((err) => {
    if (err?.kind === 'app.locked' || err?.kind === 'app.no_register') refresh();
    else reportError(err);
  });
}

function showBusy({ busy, label }) {
  clearTimeout(busyTimer);
  if (!busy) {
    busyEl.textContent = '';
    return;
  }
  if (busyEl.textContent) busyEl.textContent = label;
  else busyTimer = setTimeout(() => { busyEl.textContent = label; }, BUSY_DELAY_MS);
}

async function start() {
  try {
    await loadTranslations();
  } catch (err) {
    // Without texts nothing can be said in the user's language: plain English, and a
    // reload (the texts are loaded only at start). In Tauri this happens when the CSP's
    // connect-src lacks 'self', which the i18n fetch needs.
    console.error(err);
    replace(root,
      h('main', { class: 'screen narrow' },
        h('h1', {}, 'Privacy Register'),
        h('p', { class: 'message error', role: 'alert' }, `The app could not load its texts (ui/i18n): ${err.message}`),
        h('button', { type: 'button', class: 'primary', onclick: () => location.reload() }, 'Try again')));
    return;
  }
  setLanguage('en');
  onBusyChange(showBusy);
  onLanguageChange(updateChrome);
  document.body.append(shortcuts);
  root.addEventListener('shortcuts-show', () => shortcuts.showList());
  root.addEventListener('status-change', (event) => show(event.detail));
  root.addEventListener('app-navigate', (event) => {
    view.creating = event.detail?.to === 'create';
    if (view.status) show(view.status);
  });
  for (const type of ACTIVITY_EVENTS) window.addEventListener(type, noteActivity, { passive: true, capture: true });
  try {
    await ipc.onLocked(handleLocked);
    await ipc.onMenu(handleMenu);
    await ipc.onDamaged(refresh);
  } catch (err) {
    reportError(err);
  }
  await refresh();
}

start();
