// <breach-list>: the personal data breaches ("avvik"), every one documented whether it
// was notified or not (Art. 33(5)): the open ones first with their 72-hour clock (the
// most urgent first, as the core sorts them), then the closed ones; and the breach log,
// saved as PDF, JSON, CSV or XLSX. Emits "breach-open" {id} and "breach-new" {};
// <main-screen> shows the breach or the form.

import { AppElement, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDateTime, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { breachName, clockBadge, reportedBy } from '../lib/breaches.js';
import { ReportChoice, exportedText } from '../lib/report-choice.js';

class BreachList extends AppElement {
  status = null;
  rows = null;
  loadedAt = 0;
  error = messageArea('breaches-error');
  log = new ReportChoice('breach-log', ['pdf', 'json', 'csv', 'xlsx']);
  logError = messageArea('breach-log-error');
  logDone = messageArea('breach-log-done', 'success');

  connectedCallback() {
    super.connectedCallback();
    if (!this.rows) this.load();
  }

  async load() {
    const result = await this.run(() => ipc.listBreaches(), { errorEl: this.error, progress: t('breaches.loading') });
    if (result.ok) {
      this.rows = result.value;
      this.loadedAt = Date.now();
      this.rerender();
    }
  }

  render() {
    const rows = this.rows ?? [];
    const open = rows.filter((b) => b.status !== 'closed');
    const closed = rows.filter((b) => b.status === 'closed');
    replace(this,
      h('div', { class: 'page-title' },
        h('h1', {}, t('breaches.title')),
        h('button', { type: 'button', id: 'breach-add', class: 'primary', onclick: () => this.emit('breach-new', {}) }, t('breaches.add'))),
      h('p', { class: 'muted' }, t('breaches.intro')),
      this.error,
      this.rows === null
        ? h('p', { class: 'muted' }, t('breaches.loading'))
        : [
            h('section', { 'aria-labelledby': 'breaches-open-title', id: 'breaches-open' },
              h('h2', { id: 'breaches-open-title' }, t('breaches.open_title')),
              open.length ? this.renderList(open) : h('p', { class: 'ok-text', id: 'breaches-none-open' }, t('breaches.none_open'))),
            h('section', { 'aria-labelledby': 'breaches-closed-title', id: 'breaches-closed' },
              h('h2', { id: 'breaches-closed-title' }, t('breaches.closed_title')),
              closed.length ? this.renderList(closed) : h('p', { class: 'muted', id: 'breaches-none-closed' }, t('breaches.none_closed'))),
          ],
      this.renderLog(),
    );
  }

  renderList(list) {
    return h('ul', { class: 'plain-list breach-rows' }, list.map((b) => h('li', { class: 'panel breach-row', 'data-breach-id': b.id },
      h('div', { class: 'breach-row-head' },
        h('button', { type: 'button', class: 'link row-link', onclick: () => this.emit('breach-open', { id: b.id }) }, breachName(b)),
        clockBadge(b, this.loadedAt)),
      h('p', { class: 'muted small' },
        [t('breaches.aware', { at: formatDateTime(b.aware_at) }),
          b.status !== 'closed' && b.clock?.running ? t('breaches.due', { at: formatDateTime(b.clock.due_at) }) : null,
          b.affected ? t('breaches.affected', { count: b.affected.people }) : null,
          b.status === 'closed' && b.closed_at ? t('breaches.closed_on', { at: formatDateTime(b.closed_at) }) : null,
        ].filter(Boolean).join(' · ')),
      reportedBy(b) ? h('p', { class: 'small' }, reportedBy(b)) : null)));
  }

  renderLog() {
    return h('section', { class: 'panel', id: 'breach-log-panel', 'aria-labelledby': 'breach-log-title' },
      h('h2', { id: 'breach-log-title' }, t('breaches.log_title')),
      h('p', { class: 'hint' }, t('breaches.log_intro')),
      this.log.fields(),
      this.logError,
      this.logDone,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'breach-log-save', class: 'primary', onclick: () => this.saveLog() }, t('breaches.log_button'))));
  }

  async saveLog() {
    showMessage(this.logDone, '');
    const result = await this.run(() => ipc.exportBreachLog(this.log.value()), {
      errorEl: this.logError, progress: t('breaches.log_working'),
    });
    if (result.ok && result.value) showMessage(this.logDone, exportedText(result.value));
  }
}

customElements.define('breach-list', BreachList);
