// <unlock-screen>: a register is open but locked. Unlock with the passphrase, or with
// the recovery key and a new passphrase; or close the register. Emits "status-change".

import { AppElement, checkboxField, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { baseName, h, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { MIN_PASSPHRASE_LENGTH, checkNewPassphrase } from '../lib/passphrase.js';

class UnlockScreen extends AppElement {
  /** @type {object|null} */
  status = null;
  /** Minutes of inactivity after which the register locked itself, or null. */
  idleMinutes = null;
  /** 'suspend' or 'session' when the register locked as the computer slept or the OS
   * session locked, else null. */
  lockReason = null;
  mode = 'passphrase'; // or 'recovery'
  error = messageArea('unlock-error');
  recoveryError = messageArea('recovery-error');
  // Controls live as long as the element, so a re-render keeps what was typed.
  passphrase = h('input', { id: 'unlock-passphrase', type: 'password', autocomplete: 'current-password', required: true });
  remember = h('input', { id: 'unlock-remember', type: 'checkbox' });
  recoveryKey = h('input', { id: 'recovery-key', type: 'text', autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', required: true, class: 'mono' });
  newPassphrase = h('input', { id: 'recovery-passphrase', type: 'password', autocomplete: 'new-password', required: true });
  repeat = h('input', { id: 'recovery-repeat', type: 'password', autocomplete: 'new-password', required: true });

  connectedCallback() {
    super.connectedCallback();
    this.focusFirstField();
  }

  render() {
    const keychain = this.status?.keychain ?? {};
    const name = this.status?.file_name ?? baseName(this.status?.path);
    const rememberField = keychain.available
      ? checkboxField(this.remember, t('keychain.remember'), t('keychain.remember_hint'))
      : null;
    const recovering = this.mode === 'recovery';

    replace(this,
      h('main', { class: 'screen narrow', 'aria-labelledby': 'unlock-title' },
        h('h1', { id: 'unlock-title' }, t('unlock.title')),
        h('p', { class: 'file-line' }, h('span', { class: 'muted' }, t('unlock.file')), ' ', h('strong', { title: this.status?.path ?? '' }, name)),
        this.idleMinutes ? h('p', { class: 'note info', role: 'status' }, t('unlock.locked_idle', { count: this.idleMinutes })) : null,
        this.lockReason ? h('p', { class: 'note info', id: 'unlock-locked-reason', role: 'status' }, t(`unlock.locked_${this.lockReason}`)) : null,
        keychain.message
          ? h('p', { class: 'note info' }, t('keychain.unavailable_note'), ' ', h('span', { class: 'muted small' }, keychain.message))
          : null,
        recovering
          ? h('form', { class: 'form', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.unlockWithRecoveryKey(); } },
              h('h2', {}, t('unlock.recovery_title')),
              h('p', {}, t('unlock.recovery_intro')),
              field(t('unlock.recovery_key'), this.recoveryKey, { errorId: 'recovery-error' }),
              field(t('unlock.new_passphrase'), this.newPassphrase, { hint: t('passphrase.hint', { min: MIN_PASSPHRASE_LENGTH }), errorId: 'recovery-error' }),
              field(t('unlock.repeat'), this.repeat, { errorId: 'recovery-error' }),
              this.recoveryError,
              h('div', { class: 'actions' },
                h('button', { type: 'submit', class: 'primary' }, t('unlock.recovery_submit')),
                h('button', { type: 'button', class: 'link', onclick: () => this.showMode('passphrase') }, t('unlock.use_passphrase'))))
          : h('form', { class: 'form', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.unlock(); } },
              field(t('unlock.passphrase'), this.passphrase, { errorId: 'unlock-error' }),
              rememberField,
              this.error,
              h('div', { class: 'actions' },
                h('button', { type: 'submit', class: 'primary' }, t('unlock.submit')),
                h('button', { type: 'button', class: 'link', onclick: () => this.showMode('recovery') }, t('unlock.use_recovery')))),
        h('div', { class: 'actions secondary' },
          h('button', { type: 'button', onclick: () => this.close() }, t('unlock.close')))),
    );
  }

  focusFirstField() {
    (this.mode === 'recovery' ? this.recoveryKey : this.passphrase).focus();
  }

  showMode(mode) {
    this.mode = mode;
    this.render();
    this.focusFirstField();
  }

  async unlock() {
    if (!this.passphrase.value) {
      this.failed(this.passphrase, this.error, t('unlock.passphrase_required'));
      return;
    }
    markInvalid(this.passphrase, false);
    const result = await this.run(() => ipc.unlock({
      passphrase: this.passphrase.value,
      remember_on_device: Boolean(this.status?.keychain?.available && this.remember.checked),
    }), { errorEl: this.error, progress: t('unlock.unlocking') });
    if (result.ok) {
      this.passphrase.value = '';
      this.emitStatus(result.value);
    } else {
      this.failed(this.passphrase, this.error, null);
    }
  }

  async unlockWithRecoveryKey() {
    for (const input of [this.recoveryKey, this.newPassphrase, this.repeat]) markInvalid(input, false);
    if (!this.recoveryKey.value.trim()) {
      this.failed(this.recoveryKey, this.recoveryError, t('unlock.recovery_key_required'));
      return;
    }
    const problem = checkNewPassphrase(this.newPassphrase.value, this.repeat.value);
    if (problem) {
      // Both new fields are typed again; the cursor goes to the first.
      this.repeat.value = '';
      markInvalid(this.repeat, problem.field === 'repeat');
      this.failed(this.newPassphrase, this.recoveryError, t(problem.key, problem.params));
      return;
    }
    const result = await this.run(() => ipc.unlockWithRecoveryKey({
      recovery_key: this.recoveryKey.value.trim(),
      new_passphrase: this.newPassphrase.value,
    }), { errorEl: this.recoveryError, progress: t('unlock.unlocking') });
    if (result.ok) {
      for (const input of [this.recoveryKey, this.newPassphrase, this.repeat]) input.value = '';
      this.emitStatus(result.value);
    } else if (result.error?.kind === 'vault.weak_passphrase') {
      this.repeat.value = '';
      this.failed(this.newPassphrase, this.recoveryError, null);
    } else {
      this.failed(this.recoveryKey, this.recoveryError, null, false);
    }
  }

  /** Show a problem with a field: mark it, clear it (secrets) and put the cursor back in it. */
  failed(input, errorEl, message, clear = true) {
    if (message) showMessage(errorEl, message);
    markInvalid(input, true);
    if (clear) input.value = '';
    input.focus();
  }

  async close() {
    const result = await this.run(() => ipc.closeRegister(), { errorEl: this.mode === 'recovery' ? this.recoveryError : this.error });
    if (result.ok) this.emitStatus(result.value);
  }
}

customElements.define('unlock-screen', UnlockScreen);
