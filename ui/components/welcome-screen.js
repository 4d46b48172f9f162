// <welcome-screen>: no register is open. Create, open a file, open the demo, or
// reopen a recent file. Emits "status-change" with the backend's Status, and
// "app-navigate" {to: 'create'} for the create form.

import { AppElement, messageArea } from '../lib/component.js';
import { baseName, dirName, h, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

class WelcomeScreen extends AppElement {
  /** @type {object|null} the Status this screen shows */
  status = null;
  error = messageArea('welcome-error');

  render() {
    const recent = this.status?.recent ?? [];
    replace(this,
      h('main', { class: 'screen narrow', 'aria-labelledby': 'welcome-title' },
        h('h1', { id: 'welcome-title' }, t('app.name')),
        h('p', { class: 'lead' }, t('welcome.intro')),
        h('div', { class: 'actions stacked' },
          h('button', { type: 'button', id: 'welcome-create', class: 'primary', onclick: () => this.requestCreate() }, t('welcome.create')),
          h('button', { type: 'button', id: 'welcome-open', onclick: () => this.openFile() }, t('welcome.open')),
          h('button', { type: 'button', id: 'welcome-demo', onclick: () => this.openDemo() }, t('welcome.demo'))),
        this.error,
        h('section', { class: 'recent', 'aria-labelledby': 'recent-title' },
          h('h2', { id: 'recent-title' }, t('welcome.recent')),
          recent.length
            ? h('ul', { class: 'plain-list' }, recent.map((path) =>
                h('li', {},
                  h('button', { type: 'button', class: 'file-button', onclick: () => this.openRecent(path) },
                    h('span', { class: 'file-name' }, baseName(path)),
                    h('span', { class: 'file-path' }, dirName(path))))))
            : h('p', { class: 'muted' }, t('welcome.no_recent'))),
        this.status?.version ? h('p', { class: 'muted small' }, t('app.version', { version: this.status.version })) : null),
    );
  }

  requestCreate() {
    this.emit('app-navigate', { to: 'create' });
  }

  async openFile() {
    const result = await this.run(async () => {
      const path = await ipc.chooseRegisterFile();
      return path ? ipc.openRegister({ path }) : null;
    }, { errorEl: this.error, progress: t('welcome.opening') });
    if (result.ok && result.value) this.emitStatus(result.value);
  }

  async openRecent(path) {
    const result = await this.run(() => ipc.openRegister({ path }), { errorEl: this.error, progress: t('welcome.opening') });
    if (result.ok) this.emitStatus(result.value);
  }

  async openDemo() {
    const result = await this.run(() => ipc.openDemo(), { errorEl: this.error, progress: t('welcome.opening') });
    if (result.ok) this.emitStatus(result.value);
  }
}

customElements.define('welcome-screen', WelcomeScreen);
