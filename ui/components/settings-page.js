// <settings-page>: language (applied and saved at once) and the auto-lock delay.
// Emits "status-change" with the Status save_settings returns; the app then switches
// the language everywhere.

import { AppElement, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const MIN_MINUTES = 1;
const MAX_MINUTES = 240;
// Each language is named in itself, whatever the current language.
const LANGUAGE_NAMES = Object.freeze({ en: 'English', nb: 'Norsk bokmål' });

class SettingsPage extends AppElement {
  status = null;
  error = messageArea('settings-error');
  saved = messageArea('settings-saved', 'success');
  language = h('select', { id: 'settings-language', onchange: () => this.saveLanguage() },
    Object.entries(LANGUAGE_NAMES).map(([code, name]) => h('option', { value: code, lang: code }, name)));
  minutes = h('input', {
    id: 'settings-minutes', type: 'number', inputmode: 'numeric', min: MIN_MINUTES, max: MAX_MINUTES, step: 1, required: true,
  });
  #shown = null; // the settings last copied into the controls

  render() {
    const settings = this.status?.settings ?? { language: 'en', auto_lock_minutes: 10 };
    if (this.#shown !== settings) {
      // Copy saved values in only when a new Status arrives, never over what is being typed.
      this.#shown = settings;
      this.language.value = settings.language;
      this.minutes.value = String(settings.auto_lock_minutes);
    }
    replace(this,
      h('div', { class: 'page-title' }, h('h1', {}, t('settings.title'))),
      h('form', { class: 'form panel', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.saveMinutes(); } },
        field(t('settings.language'), this.language, { hint: t('settings.language_hint') }),
        field(t('settings.auto_lock'), this.minutes, {
          hint: t('settings.auto_lock_hint', { min: MIN_MINUTES, max: MAX_MINUTES }),
          errorId: 'settings-error',
        }),
        this.error,
        this.saved,
        h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, t('common.save')))),
    );
  }

  async saveLanguage() {
    const settings = this.status?.settings ?? {};
    const saved = await this.save({ language: this.language.value, auto_lock_minutes: settings.auto_lock_minutes ?? 10 });
    if (!saved && settings.language) this.language.value = settings.language;
  }

  async saveMinutes() {
    const minutes = Number(this.minutes.value);
    const valid = this.minutes.value.trim() !== '' && Number.isInteger(minutes) && minutes >= MIN_MINUTES && minutes <= MAX_MINUTES;
    markInvalid(this.minutes, !valid);
    if (!valid) {
      showMessage(this.saved, '');
      showMessage(this.error, t('settings.auto_lock_invalid', { min: MIN_MINUTES, max: MAX_MINUTES }));
      this.minutes.focus();
      return;
    }
    await this.save({ language: this.status?.settings?.language ?? this.language.value, auto_lock_minutes: minutes });
  }

  async save(settings) {
    showMessage(this.saved, '');
    const result = await this.run(() => ipc.saveSettings(settings), { errorEl: this.error, progress: t('settings.saving') });
    if (!result.ok) return false;
    this.emitStatus(result.value); // may switch the language and re-render this page
    showMessage(this.saved, t('settings.saved'));
    return true;
  }
}

customElements.define('settings-page', SettingsPage);
