// <create-register>: the form that creates a new, encrypted register file.
// Emits "status-change" with the Status create_register returns, and
// "app-navigate" {to: 'welcome'} on Cancel.

import { AppElement, checkboxField, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { MIN_PASSPHRASE_LENGTH, checkNewPassphrase } from '../lib/passphrase.js';

class CreateRegister extends AppElement {
  /** @type {object|null} */
  status = null;
  path = null;
  error = messageArea('create-error');
  // Controls live as long as the element, so a re-render keeps what was typed.
  passphrase = h('input', { id: 'create-passphrase', type: 'password', autocomplete: 'new-password', required: true, minlength: MIN_PASSPHRASE_LENGTH });
  repeat = h('input', { id: 'create-repeat', type: 'password', autocomplete: 'new-password', required: true });
  rememberBox = h('input', { id: 'create-remember', type: 'checkbox' });

  /** The remember checkbox, only where the OS keychain can be used. */
  get remember() {
    return this.status?.keychain?.available ? this.rememberBox : null;
  }

  render() {
    this.pathButton = h('button', { type: 'button', id: 'create-path', onclick: () => this.choosePath() }, t('create.choose_path'));

    replace(this,
      h('main', { class: 'screen narrow', 'aria-labelledby': 'create-title' },
        h('h1', { id: 'create-title' }, t('create.title')),
        h('form', { class: 'form', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.create(); } },
          h('div', { class: 'field' },
            h('span', { class: 'label', id: 'create-path-label' }, t('create.location')),
            h('div', { class: 'path-row' },
              this.pathButton,
              h('output', { class: this.path ? 'path' : 'path muted', 'aria-labelledby': 'create-path-label', 'aria-live': 'polite' },
                this.path ?? t('create.no_path')))),
          field(t('create.passphrase'), this.passphrase, { hint: t('passphrase.hint', { min: MIN_PASSPHRASE_LENGTH }), errorId: 'create-error' }),
          field(t('create.repeat'), this.repeat, { errorId: 'create-error' }),
          this.remember
            ? checkboxField(this.rememberBox, t('keychain.remember'), t('keychain.remember_hint'))
            : null,
          h('aside', { class: 'note info', 'aria-labelledby': 'create-recovery-title' },
            h('h2', { id: 'create-recovery-title' }, t('create.recovery_title')),
            h('p', {}, t('create.recovery_note'))),
          this.error,
          h('div', { class: 'actions' },
            h('button', { type: 'submit', class: 'primary' }, t('create.submit')),
            h('button', { type: 'button', onclick: () => this.cancel() }, t('common.cancel'))))),
    );
  }

  async choosePath() {
    const result = await this.run(() => ipc.chooseNewRegisterPath(), { errorEl: this.error });
    if (result.ok && result.value) {
      this.path = result.value;
      this.rerender();
    }
  }

  async create() {
    for (const input of [this.passphrase, this.repeat]) markInvalid(input, false);
    if (!this.path) {
      showMessage(this.error, t('create.path_required'));
      this.pathButton.focus();
      return;
    }
    const problem = checkNewPassphrase(this.passphrase.value, this.repeat.value);
    if (problem) {
      // Both fields are typed again; the cursor goes to the first.
      markInvalid(problem.field === 'repeat' ? this.repeat : this.passphrase, true);
      this.passphrase.value = '';
      this.repeat.value = '';
      showMessage(this.error, t(problem.key, problem.params));
      this.passphrase.focus();
      return;
    }
    const result = await this.run(() => ipc.createRegister({
      path: this.path,
      passphrase: this.passphrase.value,
      remember_on_device: Boolean(this.remember?.checked),
    }), { errorEl: this.error, progress: t('create.creating') });
    if (result.ok) {
      this.passphrase.value = '';
      this.repeat.value = '';
      this.emitStatus(result.value);
    } else if (result.error?.kind === 'vault.weak_passphrase') {
      markInvalid(this.passphrase, true);
      this.passphrase.value = '';
      this.repeat.value = '';
      this.passphrase.focus();
    } else if (result.error?.kind === 'vault.exists') {
      this.pathButton.focus();
    }
  }

  cancel() {
    this.emit('app-navigate', { to: 'welcome' });
  }
}

customElements.define('create-register', CreateRegister);
