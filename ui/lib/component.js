// The small base every screen and page extends: render() on connect and on every
// language change, emit() upward with bubbling, composed CustomEvents, and run() for
// a backend command with busy state, disabled controls and a translated error.

import { beginBusy } from './busy.js';
import { errorMessage, onLanguageChange, t } from './i18n.js';
import { h } from './dom.js';

/** How long a command runs before what it will replace is dimmed. */
const DIM_DELAY_MS = 400;

export class AppElement extends HTMLElement {
  #stopLanguage = null;

  connectedCallback() {
    this.#stopLanguage ??= onLanguageChange(() => this.rerender());
    this.render();
  }

  disconnectedCallback() {
    this.#stopLanguage?.();
    this.#stopLanguage = null;
  }

  /** Build the element's content from its state. */
  render() {}

  /** A new Status from the backend. */
  update(status) {
    this.status = status;
    this.rerender();
  }

  /** render() again, keeping keyboard focus on the same control (by id). */
  rerender() {
    if (!this.isConnected) return;
    const active = document.activeElement;
    const focusedId = active && this.contains(active) ? active.id : '';
    this.render();
    if (focusedId) document.getElementById(focusedId)?.focus();
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** Hand a Status returned by the backend to the app, which routes on it. */
  emitStatus(status) {
    this.emit('status-change', status);
  }

  /**
   * Run a backend call. While it runs: the global indicator shows `progress`, the
   * element is aria-busy and the enabled controls inside `controls` are disabled.
   * A failure is shown, translated, in `errorEl` (a cancelled native dialog is not a
   * failure). Resolves to {ok: true, value} or {ok: false, error}; never rejects.
   */
  async run(task, { errorEl = null, progress = t('app.busy'), controls = this } = {}) {
    const disabled = controls
      ? [...controls.querySelectorAll('button, input, select, textarea')].filter((el) => !el.disabled)
      : [];
    for (const el of disabled) el.disabled = true;
    this.setAttribute('aria-busy', 'true');
    // Dimmed only once the command has taken a while, by a class added then: a fast
    // command (a search at each keystroke) changes no style at all, where a delayed CSS
    // transition was started and cancelled at every one.
    const dim = setTimeout(() => this.classList.add('dimmed'), DIM_DELAY_MS);
    const done = beginBusy(progress);
    if (errorEl) showMessage(errorEl, '');
    try {
      return { ok: true, value: await task() };
    } catch (error) {
      if (error?.kind !== 'app.cancelled') {
        if (errorEl) showMessage(errorEl, errorMessage(error));
        else reportError(error);
      }
      return { ok: false, error };
    } finally {
      for (const el of disabled) el.disabled = false;
      clearTimeout(dim);
      this.classList.remove('dimmed');
      this.removeAttribute('aria-busy');
      done();
    }
  }
}

/** A live region for a message next to an action; empty until there is something to say. */
export function messageArea(id, kind = 'error') {
  return h('p', {
    id,
    class: `message ${kind}`,
    'aria-live': kind === 'error' ? 'assertive' : 'polite',
  });
}

export function showMessage(el, text) {
  el.textContent = text;
}

/** Show an error that has no place of its own in the app-wide message area. */
export function reportError(error) {
  const area = document.getElementById('app-message');
  if (area) area.textContent = errorMessage(error);
  console.error(error);
}

/** Mark a field invalid, or valid again. */
export function markInvalid(input, invalid) {
  if (invalid) input.setAttribute('aria-invalid', 'true');
  else input.removeAttribute('aria-invalid');
}

/**
 * A labelled form field: <div class="field"><label>…</label><input><p class="hint"></div>.
 * The input is described by its hint and by the message area `errorId`, if given.
 */
export function field(label, input, { hint = '', errorId = '' } = {}) {
  const hintEl = hint ? h('p', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
  const describedBy = [hintEl?.id, errorId].filter(Boolean).join(' ');
  if (describedBy) input.setAttribute('aria-describedby', describedBy);
  return h('div', { class: 'field' }, h('label', { for: input.id }, label), input, hintEl);
}

/** A checkbox with its label after it and an optional hint below. */
export function checkboxField(input, label, hint = '') {
  const hintEl = hint ? h('p', { class: 'hint', id: `${input.id}-hint` }, hint) : null;
  if (hintEl) input.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field checkbox' }, input, h('label', { for: input.id }, label), hintEl);
}
