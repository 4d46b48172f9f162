// <processor-list>: processors and recipients (Art. 28, Art. 30(1)(d)): who they are,
// where they process the data, the data processing agreement, and which activities
// use them. One form above the list adds a new one or edits the one chosen.

import { AppElement, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { errorMessage, formatList, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const DASH = '—';
const ROLES = ['processor', 'sub_processor', 'recipient'];

class ProcessorList extends AppElement {
  status = null;
  rows = null;
  /** @type {number|null} the processor in the form; null while adding */
  editing = null;
  formOpen = false;
  confirmingDelete = false;
  name = h('input', { id: 'processor-name', type: 'text', required: true });
  role = h('select', { id: 'processor-role' });
  country = h('input', { id: 'processor-country', type: 'text' });
  dpa = h('input', { id: 'processor-dpa', type: 'text' });
  contact = h('input', { id: 'processor-contact', type: 'text' });
  notes = h('textarea', { id: 'processor-notes', rows: 3 });
  error = messageArea('processors-error');
  formError = messageArea('processor-error');
  nameError = messageArea('processor-name-error');
  saved = messageArea('processor-saved', 'success');

  connectedCallback() {
    super.connectedCallback();
    if (!this.rows) this.load();
  }

  async load() {
    const result = await this.run(() => ipc.listProcessors(), { errorEl: this.error, progress: t('processors.loading') });
    if (result.ok) {
      this.rows = result.value;
      this.rerender();
    }
  }

  render() {
    const role = this.role.value;
    replace(this.role, ROLES.map((r) => h('option', { value: r }, t(`processor_role.${r}`))));
    this.role.value = role || 'processor';
    replace(this,
      h('div', { class: 'page-title' },
        h('h1', {}, t('processors.title')),
        h('button', { type: 'button', id: 'processor-add', class: 'primary', onclick: () => this.edit(null) }, t('processors.add'))),
      h('p', { class: 'muted' }, t('processors.intro')),
      this.error,
      this.formOpen ? this.renderForm() : null,
      this.saved,
      this.rows === null
        ? h('p', { class: 'muted' }, t('processors.loading'))
        : this.rows.length ? this.renderTable() : h('p', { class: 'muted' }, t('processors.none')),
    );
  }

  renderForm() {
    const row = this.rows?.find((p) => p.id === this.editing);
    const used = row?.activities ?? [];
    return h('form', {
      class: 'form panel', id: 'processor-form', novalidate: true,
      onsubmit: (event) => { event.preventDefault(); this.save(); },
      onkeydown: (event) => { if (event.key === 'Escape') this.close(); },
    },
      h('h2', {}, this.editing == null ? t('processors.add_title') : t('processors.edit_title')),
      field(t('processors.name'), this.name, { errorId: this.nameError.id }),
      this.nameError,
      field(t('processors.role'), this.role, { hint: t('processors.role_hint') }),
      field(t('processors.country'), this.country, { hint: t('processors.country_hint') }),
      field(t('processors.dpa'), this.dpa, { hint: t('processors.dpa_hint') }),
      field(t('processors.contact'), this.contact),
      field(t('processors.notes'), this.notes),
      this.formError,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'processor-save', class: 'primary' }, t('common.save')),
        h('button', { type: 'button', id: 'processor-cancel', onclick: () => this.close() }, t('common.cancel')),
        this.editing == null ? null : used.length
          ? h('span', { class: 'hint' }, t('processors.in_use', { activities: formatList(used.map((a) => a.name)) }))
          : this.confirmingDelete
            ? [h('span', { id: 'processor-delete-question' }, t('processors.delete_question', { name: row?.name ?? '' })),
               h('button', { type: 'button', class: 'danger', id: 'processor-delete-confirm', onclick: () => this.remove() }, t('processors.delete_confirm'))]
            : h('button', { type: 'button', id: 'processor-delete', onclick: () => {
                this.confirmingDelete = true; this.rerender(); document.getElementById('processor-delete-confirm')?.focus();
              } }, t('processors.delete'))));
  }

  renderTable() {
    const th = (key) => h('th', { scope: 'col' }, t(`processors.${key}`));
    return h('div', { class: 'table-wrap' },
      h('table', { class: 'processors', 'aria-label': t('processors.title') },
        h('thead', {}, h('tr', {}, th('col_name'), th('col_role'), th('col_country'), th('col_dpa'), th('col_used_by'))),
        h('tbody', {}, this.rows.map((p) => h('tr', {
          'data-processor-id': p.id, class: 'clickable', onclick: () => this.edit(p.id),
        },
          h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link row-link' }, p.name || DASH)),
          h('td', {}, t(`processor_role.${p.role}`)),
          h('td', {}, p.country || DASH),
          h('td', {}, p.dpa_reference
            ? p.dpa_reference
            : h('span', { class: 'badge warning' }, t(p.role === 'recipient' ? 'processors.no_dpa_needed' : 'processors.no_dpa'))),
          h('td', {}, p.activities.length ? formatList(p.activities.map((a) => a.name)) : DASH))))));
  }

  /** Open the form for a processor (id) or a new one (null). */
  edit(id) {
    const p = this.rows?.find((row) => row.id === id) ?? {};
    this.editing = id;
    this.formOpen = true;
    this.confirmingDelete = false;
    this.name.value = p.name ?? '';
    this.role.value = p.role ?? 'processor';
    this.country.value = p.country ?? '';
    this.dpa.value = p.dpa_reference ?? '';
    this.contact.value = p.contact ?? '';
    this.notes.value = p.notes ?? '';
    this.clearMessages();
    this.rerender();
    this.name.focus();
  }

  close() {
    this.formOpen = false;
    this.rerender();
    document.getElementById('processor-add')?.focus();
  }

  clearMessages() {
    for (const area of [this.formError, this.nameError, this.saved]) showMessage(area, '');
    markInvalid(this.name, false);
  }

  async save() {
    this.clearMessages();
    const processor = {
      name: this.name.value.trim(),
      role: this.role.value,
      country: this.country.value.trim(),
      dpa_reference: this.dpa.value.trim(),
      contact: this.contact.value.trim(),
      notes: this.notes.value.trim(),
    };
    if (!processor.name) return this.nameProblem(t('processors.name_required'));
    const result = await this.run(() => ipc.saveProcessor({ id: this.editing, processor }), {
      errorEl: this.formError, progress: t('processors.saving'),
    });
    if (!result.ok) {
      if (result.error?.details?.field === 'name') {
        showMessage(this.formError, '');
        this.nameProblem(errorMessage(result.error));
      }
      return;
    }
    this.formOpen = false;
    await this.load();
    showMessage(this.saved, t('processors.saved', { name: result.value.name }));
    document.getElementById('processor-add')?.focus();
  }

  nameProblem(message) {
    showMessage(this.nameError, message);
    markInvalid(this.name, true);
    this.name.focus();
  }

  async remove() {
    const name = this.name.value.trim();
    const result = await this.run(() => ipc.deleteProcessor({ id: this.editing }), {
      errorEl: this.formError, progress: t('processors.deleting'),
    });
    if (!result.ok) return;
    this.formOpen = false;
    await this.load();
    showMessage(this.saved, t('processors.deleted', { name }));
  }
}

customElements.define('processor-list', ProcessorList);
