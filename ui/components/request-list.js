// <request-list>: data subject requests (Art. 12-22) with the days left until each
// deadline; overdue and due-within-7-days ones stand out. Emits "request-open" {id}
// and "request-new" {}; <main-screen> shows the request or the form.

import { AppElement, messageArea } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const DASH = '—';

/** A request's reference as people read it: the first part of its UUID. */
export const shortRef = (request) => String(request.public_id ?? '').slice(0, 8);

/** The deadline as a badge: overdue, due soon, days left, or the closing date. */
export function deadlineBadge(request) {
  const d = request.deadline ?? {};
  if (d.days_left === null || d.days_left === undefined) {
    return h('span', { class: 'badge' }, t(`request_status.${request.status}`));
  }
  if (d.overdue) return h('span', { class: 'badge danger' }, t('requests.overdue', { count: -d.days_left }));
  const text = d.days_left === 0 ? t('requests.due_today') : t('requests.days_left', { count: d.days_left });
  return h('span', { class: `badge ${d.due_soon ? 'warning' : 'ok'}` }, text);
}

/** Buttons for people found by a search; `pick(subject)` on a click. */
export function personButtons(hits, pick) {
  return hits.map((s) => h('button', {
    type: 'button', class: 'small person-hit', 'data-subject-id': s.id, onclick: () => pick(s),
  }, [s.name, s.email].filter(Boolean).join(' · ')));
}

/** Who a request is about: the subject's name, or the requester as given. */
export function whoOf(request) {
  if (!request.subject_name && request.receipt_id) return t('requests.erased_person');
  return request.subject_name || request.requester?.name || request.requester?.email || t('requests.unknown_person');
}

class RequestList extends AppElement {
  status = null;
  rows = null;
  openOnly = true;
  error = messageArea('requests-error');

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
