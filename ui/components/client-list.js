// <client-list>: the processor's record (Art. 30(2)): the controllers the organisation
// processes personal data for as a processor (a consultancy's clients), each with the
// categories of processing carried out for it, its sub-processors and its data
// processing agreement, what its entry still lacks, and an Add button; and the record
// saved as PDF, JSON, CSV, XLSX or XLSX in Datatilsynet's layout. A controller opens in
// a <client-page> in place of the list; its "client-back" brings the list back,
// reloaded.

import { AppElement, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatList, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { ReportChoice, exportedText } from '../lib/report-choice.js';
import './client-page.js';

export const PROCESSOR_RECORD_FORMATS = Object.freeze(['pdf', 'json', 'csv', 'xlsx', 'xlsx-datatilsynet']);

class ClientList extends AppElement {
  status = null;
  rows = null;
  /** @type {HTMLElement|null} the <client-page> shown in place of the list */
  page = null;
  error = messageArea('clients-error');
  saved = messageArea('clients-saved', 'success');
  record = new ReportChoice('processor-record', PROCESSOR_RECORD_FORMATS);
  recordError = messageArea('processor-record-error');
  recordDone = messageArea('processor-record-done', 'success');

  constructor() {
    super();
    this.addEventListener('client-back', (event) => {
      event.stopPropagation();
      this.back(event.detail ?? {});
    });
  }

  connectedCallback() {
    super.connectedCallback();
    if (!this.rows) this.load();
  }

  async load() {
    const result = await this.run(() => ipc.listClients(), { errorEl: this.error, progress: t('clients.loading') });
    if (result.ok) {
      this.rows = result.value;
      this.rerender();
    }
  }

  /** Show a controller (id), or the form for a new one (null), in place of the list. */
  openClient(id) {
    const page = document.createElement('client-page');
    page.clientId = id;
    page.status = this.status;
    this.page = page;
    this.rerender();
    globalThis.scrollTo?.(0, 0);
  }

  async back({ saved = null, removed = null }) {
    this.page = null;
    showMessage(this.saved, '');
    this.rerender();
    await this.load();
    if (saved) showMessage(this.saved, t('clients.saved', { name: saved }));
    if (removed) showMessage(this.saved, t('clients.removed', { name: removed }));
    document.getElementById('client-add')?.focus();
  }

  render() {
    if (this.page) {
      if (this.page.parentNode !== this) replace(this, this.page);
      return;
    }
    const rows = this.rows ?? [];
    replace(this,
      h('div', { class: 'page-title' },
        h('h1', {}, t('clients.title')),
        h('button', { type: 'button', id: 'client-add', class: 'primary', onclick: () => this.openClient(null) }, t('clients.add'))),
      h('p', { class: 'muted' }, t('clients.intro')),
      this.error,
      this.saved,
      this.rows === null
        ? h('p', { class: 'muted' }, t('clients.loading'))
        : rows.length
          ? this.renderList(rows)
          : h('p', { class: 'muted', id: 'clients-none' }, t('clients.none')),
      this.renderRecord(),
    );
  }

  renderList(rows) {
    return h('ul', { class: 'plain-list client-rows', id: 'client-rows' }, rows.map((c) => h('li', { class: 'panel client-row', 'data-client-id': c.id },
      h('div', { class: 'client-row-head' },
        h('button', { type: 'button', class: 'link row-link', onclick: () => this.openClient(c.id) }, c.name),
        h('span', { class: `badge ${c.status === 'active' ? 'ok' : 'warning'}` }, t(`client_status.${c.status}`))),
      h('p', { class: 'small' }, c.processing.length
        ? t('clients.processing', { list: formatList(c.processing) })
        : t('clients.no_processing')),
      h('p', { class: 'muted small' }, [
        c.org_number ? t('clients.org_number', { number: c.org_number }) : null,
        c.sub_processors.length ? t('clients.sub_processors', { list: formatList(c.sub_processors) }) : t('clients.no_sub_processors'),
        t('clients.transfers', { count: c.transfers }),
        c.dpa_reference ? t('clients.dpa', { reference: c.dpa_reference }) : null,
      ].filter(Boolean).join(' · ')),
      c.missing_fields.length
        ? h('p', { class: 'small attention', 'data-missing': c.missing_fields.join(' ') },
          t('clients.missing', { fields: formatList(c.missing_fields.map((f) => t(`clients.field_${f}`))) }))
        : null)));
  }

  renderRecord() {
    return h('section', { class: 'panel', id: 'processor-record-panel', 'aria-labelledby': 'processor-record-title' },
      h('h2', { id: 'processor-record-title' }, t('report.processor_record_title')),
      h('p', { class: 'hint' }, t('report.processor_record_intro')),
      this.record.fields(),
      this.recordError,
      this.recordDone,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'processor-record-save', class: 'primary', onclick: () => this.saveRecord() },
          t('report.processor_record_button'))));
  }

  async saveRecord() {
    showMessage(this.recordDone, '');
    const result = await this.run(() => ipc.exportProcessorRecord(this.record.value()), {
      errorEl: this.recordError, progress: t('report.working'),
    });
    if (result.ok && result.value) showMessage(this.recordDone, exportedText(result.value));
  }
}

customElements.define('client-list', ClientList);
