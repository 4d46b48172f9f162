// <client-page>: one controller the organisation processes personal data for as a
// processor, an entry of the processor's record (Art. 30(2)): its name and contact
// details, its representative (Art. 27) and DPO (a), the data processing agreement
// (Art. 28(3)), the categories of processing carried out on its behalf (b), the
// sub-processors engaged for it, chosen from the processors (Art. 28(2), (4)), the
// transfers to third countries with their safeguards (c), the security measures (d),
// its status and notes. Set `clientId` (null for a new one) before it is connected.
// Emits "client-back" {saved: name} after a save or removal, {} when closed.
//
// Inputs are made once and kept across renders, so a language switch keeps what was
// typed; render() only rebuilds labels and layout around them.

import { AppElement, checkboxField, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const SAFEGUARDS = ['adequacy_decision', 'standard_contractual_clauses', 'binding_corporate_rules', 'code_of_conduct',
  'certification', 'derogation', 'compelling_legitimate_interests'];
const STATUSES = ['active', 'ended'];

let nextRow = 0;

/** A <select> of `values`, labelled `${prefix}.${value}` again on every render. */
function choice(id, values, prefix) {
  const el = h('select', { id });
  el.dataset.values = JSON.stringify(values);
  el.dataset.prefix = prefix;
  labelChoices(el);
  return el;
}

function labelChoices(select) {
  const value = select.value;
  const values = JSON.parse(select.dataset.values);
  replace(select, values.map((v) => h('option', { value: v }, t(`${select.dataset.prefix}.${v}`))));
  select.value = value || values[0];
}

const lines = (el) => el.value.split('\n').map((s) => s.trim()).filter(Boolean);
const text = (el) => el.value.trim();

/** The inputs of a contact (the representative, the DPO). */
function contactInputs(prefix) {
  return {
    name: h('input', { id: `${prefix}-name`, type: 'text' }),
    email: h('input', { id: `${prefix}-email`, type: 'email' }),
    phone: h('input', { id: `${prefix}-phone`, type: 'tel' }),
    address: h('input', { id: `${prefix}-address`, type: 'text' }),
  };
}

function fillContact(inputs, c) {
  for (const key of Object.keys(inputs)) inputs[key].value = c?.[key] ?? '';
}

/** The contact as the backend's Contact, or null when nothing is filled in. */
function contactValue(inputs) {
  const c = Object.fromEntries(Object.entries(inputs).map(([key, el]) => [key, text(el)]));
  return Object.values(c).some(Boolean) ? c : null;
}

class ClientPage extends AppElement {
  status = null;
  /** @type {number|null} */
  clientId = null;
  loaded = false;
  confirmingRemove = false;
  processors = [];
  subBoxes = [];
  transfers = [];

  name = h('input', { id: 'client-name', type: 'text', required: true });
  orgNumber = h('input', { id: 'client-org-number', type: 'text' });
  address = h('input', { id: 'client-address', type: 'text' });
  email = h('input', { id: 'client-email', type: 'email' });
  phone = h('input', { id: 'client-phone', type: 'tel' });
  statusSelect = choice('client-status', STATUSES, 'client_status');
  representative = contactInputs('client-rep');
  dpo = contactInputs('client-dpo');
  dpa = h('input', { id: 'client-dpa', type: 'text' });
  dpaDate = h('input', { id: 'client-dpa-date', type: 'date' });
  processing = h('textarea', { id: 'client-processing', rows: 3 });
  subList = h('div', { class: 'checklist', id: 'client-sub-processors' });
  transferBody = h('div', { class: 'rows', id: 'client-transfers' });
  security = h('textarea', { id: 'client-security', rows: 3 });
  notes = h('textarea', { id: 'client-notes', rows: 2 });
  error = messageArea('client-error');
  nameError = messageArea('client-name-error');

  connectedCallback() {
    super.connectedCallback();
    if (!this.loaded) this.load();
  }

  async load() {
    const result = await this.run(async () => {
      const processors = await ipc.listProcessors();
      const client = this.clientId == null ? null : await ipc.getClient({ id: this.clientId });
      return { processors, client };
    }, { errorEl: this.error, progress: t('client.loading') });
    if (result.ok) this.fill(result.value);
  }

  fill({ processors, client }) {
    const c = client ?? {};
    this.loaded = true;
    this.name.value = c.name ?? '';
    this.orgNumber.value = c.org_number ?? '';
    this.address.value = c.address ?? '';
    this.email.value = c.email ?? '';
    this.phone.value = c.phone ?? '';
    this.statusSelect.value = c.status ?? 'active';
    fillContact(this.representative, c.representative);
    fillContact(this.dpo, c.dpo);
    this.dpa.value = c.dpa_reference ?? '';
    this.dpaDate.value = c.dpa_date ?? '';
    this.processing.value = (c.processing ?? []).join('\n');
    this.security.value = (c.security_measures ?? []).join('\n');
    this.notes.value = c.notes ?? '';
    const chosen = new Set(c.sub_processor_ids ?? []);
    // A recipient decides for itself what it does with the data: it cannot be a
    // sub-processor (the backend refuses it), so it is not offered.
    this.processors = (processors ?? []).filter((p) => p.role !== 'recipient' || chosen.has(p.id));
    this.subBoxes = this.processors.map((p) => ({
      id: p.id,
      name: p.name,
      country: p.country,
      input: h('input', { id: `client-sub-${p.id}`, type: 'checkbox', 'data-name': p.name, checked: chosen.has(p.id) }),
    }));
    this.transfers = (c.transfers ?? []).map((tr) => this.transferRow(tr));
    this.rerender();
  }

  transferRow(tr = {}) {
    const n = nextRow++;
    const row = {
      country: h('input', { id: `client-transfer-country-${n}`, type: 'text', 'data-field': 'country', value: tr.country ?? '' }),
      recipient: h('input', { id: `client-transfer-recipient-${n}`, type: 'text', 'data-field': 'recipient', value: tr.recipient ?? '' }),
      safeguard: choice(`client-transfer-safeguard-${n}`, SAFEGUARDS, 'safeguard'),
      documentation: h('input', { id: `client-transfer-documentation-${n}`, type: 'text', 'data-field': 'documentation', value: tr.documentation ?? '' }),
    };
    row.safeguard.dataset.field = 'safeguard';
    row.safeguard.value = tr.safeguard ?? 'standard_contractual_clauses';
    return row;
  }

  render() {
    labelChoices(this.statusSelect);
    const isNew = this.clientId == null;
    replace(this,
      h('p', {}, h('button', { type: 'button', class: 'link', id: 'client-back', onclick: () => this.emit('client-back', {}) },
        `← ${t('client.back')}`)),
      h('div', { class: 'page-title' },
        h('h1', {}, text(this.name) || (isNew ? t('client.new_title') : t('client.edit_title')))),
      h('p', { class: 'muted' }, t('client.intro')),
      this.loaded ? this.renderForm(isNew) : [h('p', { class: 'muted' }, t('client.loading')), this.error],
    );
  }

  renderForm(isNew) {
    const section = (id, legendKey, ...content) =>
      h('fieldset', { class: 'form group', id }, h('legend', {}, t(legendKey)), ...content);
    const contact = (inputs, legendKey, hintKey, id) => h('fieldset', { class: 'form group', id },
      h('legend', {}, t(legendKey)),
      h('p', { class: 'hint' }, t(hintKey)),
      h('div', { class: 'field-row' },
        field(t('client.contact_name'), inputs.name),
        field(t('client.email'), inputs.email)),
      h('div', { class: 'field-row' },
        field(t('client.phone'), inputs.phone),
        field(t('client.address'), inputs.address)));
    for (const row of this.transfers) labelChoices(row.safeguard);
    const remove = (row) => h('button', { type: 'button', class: 'small', onclick: () => {
      this.transfers.splice(this.transfers.indexOf(row), 1);
      this.rerender();
      document.getElementById('client-add-transfer')?.focus();
    } }, t('client.remove'));
    replace(this.transferBody, this.transfers.map((row) => h('div', { class: 'row-fields' },
      field(t('client.transfer_country'), row.country),
      field(t('client.transfer_recipient'), row.recipient),
      field(t('client.transfer_safeguard'), row.safeguard),
      field(t('client.transfer_documentation'), row.documentation),
      remove(row))));
    replace(this.subList, this.subBoxes.length
      ? this.subBoxes.map((p) => checkboxField(p.input, p.country ? `${p.name} (${p.country})` : p.name))
      : h('p', { class: 'hint', id: 'client-no-processors' }, t('client.no_processors')));
    return h('form', { class: 'form', id: 'client-form', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.save(); } },
      section('client-about', 'client.section_controller',
        field(t('client.name'), this.name, { errorId: this.nameError.id }),
        this.nameError,
        h('div', { class: 'field-row' },
          field(t('client.org_number'), this.orgNumber),
          field(t('client.status'), this.statusSelect, { hint: t('client.status_hint') })),
        field(t('client.address'), this.address),
        h('div', { class: 'field-row' },
          field(t('client.email'), this.email),
          field(t('client.phone'), this.phone))),
      contact(this.representative, 'client.representative', 'client.representative_hint', 'client-representative'),
      contact(this.dpo, 'client.dpo', 'client.dpo_hint', 'client-dpo'),
      section('client-agreement', 'client.section_agreement',
        h('div', { class: 'field-row' },
          field(t('client.dpa'), this.dpa, { hint: t('client.dpa_hint') }),
          field(t('client.dpa_date'), this.dpaDate))),
      section('client-processing-section', 'client.section_processing',
        field(t('client.processing'), this.processing, { hint: t('client.processing_hint') }),
        h('div', { class: 'field' },
          h('span', { class: 'label' }, t('client.sub_processors')),
          h('p', { class: 'hint' }, t('client.sub_processors_hint')),
          this.subList),
        h('div', { class: 'field' },
          h('span', { class: 'label' }, t('client.transfers')),
          h('p', { class: 'hint' }, t('client.transfers_hint')),
          this.transferBody,
          h('div', { class: 'actions' }, h('button', { type: 'button', id: 'client-add-transfer', onclick: () => {
            const row = this.transferRow(); this.transfers.push(row); this.rerender(); row.country.focus();
          } }, t('client.add_transfer')))),
        field(t('client.security'), this.security, { hint: t('client.security_hint') }),
        field(t('client.notes'), this.notes)),
      this.error,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'client-save', class: 'primary' }, t('common.save')),
        h('button', { type: 'button', id: 'client-cancel', onclick: () => this.emit('client-back', {}) }, t('common.cancel'))),
      isNew ? null : this.renderRemove());
  }

  renderRemove() {
    return h('section', { class: 'panel danger-zone', 'aria-labelledby': 'client-remove-title' },
      h('h2', { id: 'client-remove-title' }, t('client.remove_title')),
      h('p', { class: 'hint' }, t('client.remove_hint')),
      this.confirmingRemove
        ? [h('p', { id: 'client-remove-question' }, t('client.remove_question', { name: text(this.name) })),
           h('div', { class: 'actions' },
             h('button', { type: 'button', class: 'danger', id: 'client-remove-confirm', onclick: () => this.remove() }, t('client.remove_confirm')),
             h('button', { type: 'button', id: 'client-remove-cancel', onclick: () => { this.confirmingRemove = false; this.rerender(); } }, t('common.cancel')))]
        : h('button', { type: 'button', id: 'client-remove', onclick: () => {
            this.confirmingRemove = true; this.rerender(); document.getElementById('client-remove-cancel')?.focus();
          } }, t('client.remove_button')));
  }

  /** The form as the backend's ClientController. */
  value() {
    return {
      name: text(this.name),
      org_number: text(this.orgNumber),
      address: text(this.address),
      email: text(this.email),
      phone: text(this.phone),
      representative: contactValue(this.representative),
      dpo: contactValue(this.dpo),
      dpa_reference: text(this.dpa),
      dpa_date: this.dpaDate.value || null,
      processing: lines(this.processing),
      sub_processor_ids: this.subBoxes.filter((p) => p.input.checked).map((p) => p.id),
      transfers: this.transfers.filter((row) => text(row.country) || text(row.recipient)).map((row) => ({
        country: text(row.country), recipient: text(row.recipient), safeguard: row.safeguard.value,
        documentation: text(row.documentation),
      })),
      security_measures: lines(this.security),
      status: this.statusSelect.value,
      notes: text(this.notes),
    };
  }

  /** The control a backend field name points at. */
  inputFor(name) {
    const [base, sub] = String(name ?? '').split('.');
    if (base === 'transfers') return this.transfers[0]?.[sub === 'documentation' ? 'documentation' : 'country'];
    return {
      name: this.name, org_number: this.orgNumber, email: this.email, phone: this.phone,
      representative: this.representative.email, dpo: this.dpo.email,
      sub_processor_ids: this.subBoxes[0]?.input,
    }[base];
  }

  clearErrors() {
    showMessage(this.error, '');
    showMessage(this.nameError, '');
    for (const el of this.querySelectorAll('[aria-invalid]')) markInvalid(el, false);
  }

  async save() {
    this.clearErrors();
    const client = this.value();
    if (!client.name) {
      showMessage(this.nameError, t('client.name_required'));
      markInvalid(this.name, true);
      this.name.focus();
      return;
    }
    const task = this.clientId == null
      ? () => ipc.addClient({ client })
      : () => ipc.updateClient({ id: this.clientId, client });
    const result = await this.run(task, { errorEl: this.error, progress: t('client.saving') });
    if (!result.ok) {
      const target = result.error?.kind === 'input.invalid' ? this.inputFor(result.error?.details?.field) : null;
      if (target) {
        markInvalid(target, true);
        target.focus();
      }
      return;
    }
    this.emit('client-back', { saved: result.value.name });
  }

  async remove() {
    const name = text(this.name);
    const result = await this.run(() => ipc.removeClient({ id: this.clientId }), {
      errorEl: this.error, progress: t('client.removing'),
    });
    if (result.ok) this.emit('client-back', { removed: name });
  }
}

customElements.define('client-page', ClientPage);
