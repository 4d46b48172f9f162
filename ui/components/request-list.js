// <request-list>: data subject requests (Art. 12-22) with the days left until each
// deadline; overdue and due-within-7-days ones stand out. Emits "request-open" {id}
// and "request-new" {}; <main-screen> shows the request or the form.

import { AppElement, messageArea } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { deadlineBadge, shortRef, whoOf } from '../lib/requests.js';
import './art19-tasks.js';

const DASH = '—';

class RequestList extends AppElement {
  status = null;
  rows = null;
  openOnly = true;
  error = messageArea('requests-error');
  art19 = Object.assign(document.createElement('art19-tasks'), { showPerson: true });

  connectedCallback() {
    super.connectedCallback();
    if (!this.rows) this.load();
  }

  async load() {
    const result = await this.run(() => ipc.listRequests({ open_only: this.openOnly, subject_id: null }), {
      errorEl: this.error, progress: t('requests.loading'),
    });
    if (result.ok) {
      this.rows = result.value;
      this.rerender();
    }
  }

  render() {
    const filter = h('select', {
      id: 'requests-filter',
      onchange: (event) => { this.openOnly = event.target.value === 'open'; this.load(); },
    },
      h('option', { value: 'open', selected: this.openOnly }, t('requests.filter_open')),
      h('option', { value: 'all', selected: !this.openOnly }, t('requests.filter_all')));
    replace(this,
      h('div', { class: 'page-title' },
        h('h1', {}, t('requests.title')),
        h('button', { type: 'button', id: 'request-add', class: 'primary', onclick: () => this.emit('request-new', {}) }, t('requests.add'))),
      h('p', { class: 'muted' }, t('requests.intro')),
      h('div', { class: 'field search' }, h('label', { for: 'requests-filter' }, t('requests.show')), filter),
      this.error,
      this.rows === null
        ? h('p', { class: 'muted' }, t('requests.loading'))
        : this.rows.length ? this.renderTable() : h('p', { class: 'muted', id: 'requests-empty' }, t(this.openOnly ? 'requests.none_open' : 'requests.none')),
      this.art19,
    );
  }

  renderTable() {
    const th = (key, cls) => h('th', { scope: 'col', class: cls }, t(`requests.${key}`));
    return h('div', { class: 'table-wrap' },
      h('table', { class: 'requests', 'aria-label': t('requests.title') },
        h('thead', {}, h('tr', {}, th('col_ref'), th('col_kind'), th('col_person'), th('col_received'), th('col_due'), th('col_deadline'), th('col_status'))),
        h('tbody', {}, this.rows.map((r) => h('tr', {
          'data-request-id': r.id, class: 'clickable', onclick: () => this.emit('request-open', { id: r.id }),
        },
          h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link row-link mono', title: r.public_id }, shortRef(r))),
          h('td', {}, t(`request_kind.${r.kind}`)),
          h('td', {}, whoOf(r)),
          h('td', { class: 'nowrap' }, formatDate(r.received_on)),
          h('td', { class: 'nowrap' }, r.deadline?.effective_due_on ? formatDate(r.deadline.effective_due_on) : DASH),
          h('td', {}, deadlineBadge(r)),
          h('td', {}, t(`request_status.${r.status}`)))))));
  }
}

customElements.define('request-list', RequestList);
