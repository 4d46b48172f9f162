// <settings-page>: language (applied and saved at once), the auto-lock delay, changing
// the passphrase, and whether this computer's keychain keeps the register's key.
// Emits "status-change" with the Status each command returns; the app then switches
// the language everywhere.

import { AppElement, checkboxField, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { baseName, h, replace } from '../lib/dom.js';
import { errorMessage, formatDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { MIN_PASSPHRASE_LENGTH, checkNewPassphrase } from '../lib/passphrase.js';

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
  // Change passphrase: each field has its own message area, the rest goes to passphraseError.
  currentPassphrase = h('input', { id: 'current-passphrase', type: 'password', autocomplete: 'current-password', required: true });
  newPassphrase = h('input', { id: 'new-passphrase', type: 'password', autocomplete: 'new-password', required: true });
  repeatPassphrase = h('input', { id: 'new-passphrase-repeat', type: 'password', autocomplete: 'new-password', required: true });
  currentError = messageArea('current-passphrase-error');
  newError = messageArea('new-passphrase-error');
  passphraseError = messageArea('passphrase-error');
  passphraseChanged = messageArea('passphrase-changed', 'success');
  // Keychain
  keychainRemember = h('input', { id: 'keychain-remember', type: 'checkbox', onchange: () => this.saveKeychain() });
  keychainError = messageArea('keychain-error');
  // Backups
  backups = null; // BackupStatus
  backupError = messageArea('backup-error');
  backupDone = messageArea('backup-done', 'success');
  // Restore: the chosen backup's path, its passphrase, and the "no journal" answer.
  restoring = null;
  restorePassphrase = h('input', { id: 'restore-passphrase', type: 'password', autocomplete: 'off', required: true });
  restoreNoJournal = h('input', { id: 'restore-no-journal', type: 'checkbox' });
  restoreError = messageArea('restore-error');

  connectedCallback() {
    super.connectedCallback();
    if (!this.backups) this.loadBackups();
  }

  async loadBackups() {
    const result = await this.run(() => ipc.backupStatusOf(), { errorEl: this.backupError, controls: null });
    if (result.ok) {
      this.backups = result.value;
      this.rerender();
    }
  }

  backupSection() {
    const b = this.backups;
    const dir = b?.dir ?? null;
    return h('section', { class: 'form panel', id: 'backup-section', 'aria-labelledby': 'backup-title' },
      h('h2', { id: 'backup-title' }, t('settings.backup_title')),
      h('p', {}, t('settings.backup_intro', { keep: b?.keep ?? 10 })),
      h('dl', { class: 'facts' },
        h('dt', {}, t('settings.backup_dir')), h('dd', { class: 'path', id: 'backup-dir' }, dir ?? t('settings.backup_no_dir')),
        h('dt', {}, t('settings.backup_last')), h('dd', { id: 'backup-last' }, b?.last_backup_on ? formatDate(b.last_backup_on) : t('settings.backup_never')),
        h('dt', {}, t('settings.backup_count')), h('dd', {}, String(b?.backups?.length ?? 0))),
      this.backupError,
      this.backupDone,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'backup-choose', onclick: () => this.chooseBackupDir() }, t(dir ? 'settings.backup_change_dir' : 'settings.backup_choose_dir')),
        dir ? h('button', { type: 'button', id: 'backup-now', class: 'primary', onclick: () => this.backupNow() }, t('settings.backup_now')) : null,
        h('button', { type: 'button', id: 'restore-choose', onclick: () => this.chooseRestore() }, t('settings.restore'))),
      this.restoring ? this.restoreForm() : null);
  }

  restoreForm() {
    const r = this.restoring;
    return h('form', {
      class: 'form group', id: 'restore-form', novalidate: true,
      onsubmit: (event) => { event.preventDefault(); this.restore(); },
    },
      h('h3', {}, t('settings.restore_title')),
      h('p', {}, t('settings.restore_intro', { file: baseName(r.path) })),
      field(t('settings.restore_passphrase'), this.restorePassphrase, { hint: t('settings.restore_passphrase_hint') }),
      r.askJournal ? checkboxField(this.restoreNoJournal, t('settings.restore_no_journal'), t('settings.restore_no_journal_hint')) : null,
      this.restoreError,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'restore-confirm', class: 'danger' }, t('settings.restore_confirm')),
        h('button', { type: 'button', onclick: () => { this.restoring = null; this.rerender(); } }, t('common.cancel'))));
  }

  async chooseRestore() {
    showMessage(this.backupDone, '');
    const result = await this.run(() => ipc.chooseBackupFile(), { errorEl: this.backupError });
    if (!result.ok || !result.value) return;
    this.restoring = { path: result.value, askJournal: false };
    this.restorePassphrase.value = '';
    this.restoreNoJournal.checked = false;
    this.rerender();
    this.restorePassphrase.focus();
  }

  async restore() {
    const r = this.restoring;
    const result = await this.run(() => ipc.restoreBackup({
      path: r.path,
      passphrase: this.restorePassphrase.value,
      no_journal: r.askJournal && this.restoreNoJournal.checked,
    }), { errorEl: this.restoreError, progress: t('settings.restore_working') });
    if (!result.ok) {
      // No journal was found: the user must say that none exists before it goes ahead.
      if (result.error?.details?.field === 'journal' && !r.askJournal) {
        r.askJournal = true;
        this.rerender();
        showMessage(this.restoreError, t('settings.restore_journal_missing'));
      }
      return;
    }
    const { report, status } = result.value;
    this.restoring = null;
    this.restorePassphrase.value = '';
    this.emit('status-change', status);
    await this.loadBackups();
    showMessage(this.backupDone, t('settings.restored', {
      file: baseName(report.backup),
      count: report.reapplied.length,
      kept: report.replaced ? baseName(report.replaced) : '',
    }));
  }

  async chooseBackupDir() {
    showMessage(this.backupDone, '');
    const result = await this.run(() => ipc.chooseBackupDir(), { errorEl: this.backupError, progress: t('settings.backup_working') });
    if (result.ok && result.value) {
      this.backups = result.value;
      this.rerender();
      showMessage(this.backupDone, t('settings.backup_made'));
    }
  }

  async backupNow() {
    showMessage(this.backupDone, '');
    const result = await this.run(() => ipc.backupNow(), { errorEl: this.backupError, progress: t('settings.backup_working') });
    if (result.ok) {
      this.backups = result.value;
      this.rerender();
      showMessage(this.backupDone, t('settings.backup_made'));
    }
  }

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
      this.backupSection(),
      this.passphraseSection(),
      this.keychainSection(),
    );
  }

  passphraseSection() {
    return h('form', {
      class: 'form panel', novalidate: true, 'aria-labelledby': 'passphrase-title',
      onsubmit: (event) => { event.preventDefault(); this.changePassphrase(); },
    },
    h('h2', { id: 'passphrase-title' }, t('settings.passphrase_title')),
    h('p', { id: 'passphrase-intro' }, t('settings.passphrase_intro')),
    field(t('settings.current_passphrase'), this.currentPassphrase, { errorId: 'current-passphrase-error' }),
    this.currentError,
    field(t('settings.new_passphrase'), this.newPassphrase, {
      hint: t('passphrase.hint', { min: MIN_PASSPHRASE_LENGTH }), errorId: 'new-passphrase-error',
    }),
    field(t('settings.repeat_passphrase'), this.repeatPassphrase, { errorId: 'new-passphrase-error' }),
    this.newError,
    this.passphraseError,
    this.passphraseChanged,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'change-passphrase', class: 'primary' }, t('settings.change_passphrase'))));
  }

  keychainSection() {
    const keychain = this.status?.keychain ?? {};
    this.keychainRemember.checked = Boolean(keychain.has_key);
    return h('section', { class: 'form panel', 'aria-labelledby': 'keychain-title' },
      h('h2', { id: 'keychain-title' }, t('settings.keychain_title')),
      keychain.available
        ? [checkboxField(this.keychainRemember, t('settings.keychain_remember'), t('keychain.remember_hint')), this.keychainError]
        : h('p', { id: 'keychain-unavailable', class: 'note info' }, t('keychain.unavailable_note')));
  }

  async changePassphrase() {
    const inputs = [this.currentPassphrase, this.newPassphrase, this.repeatPassphrase];
    for (const input of inputs) markInvalid(input, false);
    for (const area of [this.currentError, this.newError, this.passphraseError, this.passphraseChanged]) showMessage(area, '');
    if (!this.currentPassphrase.value) {
      this.failed(this.currentPassphrase, this.currentError, t('settings.current_required'));
      return;
    }
    const problem = checkNewPassphrase(this.newPassphrase.value, this.repeatPassphrase.value);
    if (problem) {
      // Both new fields are typed again; the cursor goes to the first.
      this.repeatPassphrase.value = '';
      markInvalid(this.repeatPassphrase, problem.field === 'repeat');
      this.failed(this.newPassphrase, this.newError, t(problem.key, problem.params));
      return;
    }
    const result = await this.run(() => ipc.changePassphrase({
      current: this.currentPassphrase.value,
      new_passphrase: this.newPassphrase.value,
    }), { errorEl: this.passphraseError, progress: t('settings.changing_passphrase') });
    if (result.ok) {
      for (const input of inputs) input.value = '';
      showMessage(this.passphraseChanged, t('settings.passphrase_changed'));
      this.update(result.value);
      this.emitStatus(result.value);
      return;
    }
    const kind = result.error?.kind;
    if (kind === 'vault.wrong_passphrase') {
      showMessage(this.passphraseError, '');
      this.failed(this.currentPassphrase, this.currentError, errorMessage(result.error));
    } else if (kind === 'vault.weak_passphrase') {
      showMessage(this.passphraseError, '');
      this.repeatPassphrase.value = '';
      this.failed(this.newPassphrase, this.newError, errorMessage(result.error));
    }
  }

  /** Show a problem with a passphrase field: mark it, clear it and put the cursor back in it. */
  failed(input, errorEl, message) {
    showMessage(errorEl, message);
    markInvalid(input, true);
    input.value = '';
    input.focus();
  }

  async saveKeychain() {
    const remember = this.keychainRemember.checked;
    const result = await this.run(() => ipc.setKeychain({ remember }),
      { errorEl: this.keychainError, progress: t('settings.keychain_saving') });
    if (!result.ok) {
      this.keychainRemember.checked = Boolean(this.status?.keychain?.has_key);
      return;
    }
    this.update(result.value);
    this.emitStatus(result.value);
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
