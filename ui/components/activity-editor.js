// <activity-editor>: one processing activity with every Art. 30(1) field and the
// extras the regulators' templates add. Closed lists from the law are choices (Art. 6
// bases, Art. 9 conditions, transfer safeguards); everything else is free text.
// Set `activityId` to edit, or `template` (a key, or null for a blank activity) to
// start a new one, before the element is connected. Emits "activity-back", and
// "csv-import" {id, name} for a saved activity's "Import from CSV…".
//
// Inputs are made once and kept across renders, so a language switch keeps what was
// typed; render() only rebuilds labels and layout around them.
//
// An activity from a template comes with proposals (`proposals`: retention, dpia,
// automated_decisions): answers the manager must confirm. Each shows beside its field
// with a Confirm button; a confirmed one is left out of `proposals` when the activity
// is saved, and the Art. 30 record stops marking it.

import { AppElement, checkboxField, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { errorMessage, fieldLabel, localDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import './legal-holds.js';
import './retention-bulk.js';

const LEGAL_BASES = ['consent', 'contract', 'legal_obligation', 'vital_interests', 'public_task', 'legitimate_interests'];
const ART9 = ['explicit_consent', 'employment_social_security', 'vital_interests', 'not_for_profit_body',
  'made_public_by_subject', 'legal_claims', 'substantial_public_interest', 'health_or_social_care', 'public_health',
  'archiving_research_statistics'];
const SAFEGUARDS = ['adequacy_decision', 'standard_contractual_clauses', 'binding_corporate_rules', 'code_of_conduct',
  'certification', 'derogation', 'compelling_legitimate_interests'];
const GROUPS = ['identity', 'personal_life', 'professional_life', 'financial', 'connection_data', 'location',
  'online_identifiers', 'criminal', 'other'];
const TRIGGERS = ['collected', 'relationship_ended', 'application_closed', 'unsubscribed', 'last_contact', 'financial_year_end'];
const UNITS = ['days', 'months', 'years'];
const DPIA = ['not_assessed', 'not_needed', 'needed', 'done'];
const STATUSES = ['draft', 'approved'];

let nextRow = 0;

/** A <select> whose options are (value, label key) pairs, re-labelled on every render. */
function choice(id, values, prefix, { empty = null } = {}) {
  const el = h('select', { id });
  el.dataset.values = JSON.stringify(values);
  el.dataset.prefix = prefix;
  if (empty) el.dataset.empty = empty;
  labelChoices(el);
  return el;
}

function labelChoices(select) {
  const value = select.value;
  const values = JSON.parse(select.dataset.values);
  const options = values.map((v) => h('option', { value: v }, t(`${select.dataset.prefix}.${v}`)));
  if (select.dataset.empty) options.unshift(h('option', { value: '' }, t(select.dataset.empty)));
  replace(select, options);
  select.value = value || (select.dataset.empty ? '' : values[0]);
}

/** Enough rows to show a list without scrolling (2 to 10). */
function fitRows(area) {
  area.rows = Math.min(10, Math.max(2, area.value.split('\n').length + 1));
}

const lines = (el) => el.value.split('\n').map((s) => s.trim()).filter(Boolean);
const text = (el) => el.value.trim();

class ActivityEditor extends AppElement {
  status = null;
  /** @type {number|null} */
  activityId = null;
  /** @type {string|null|undefined} a template key, or null for blank; only for a new activity */
  template = null;
  editor = null;
  confirmingDelete = false;
  /** @type {string[]} the template's proposals the stored activity still has */
  proposals = [];
  /** @type {Set<string>} proposals confirmed here, left out when the activity is saved */
  confirmed = new Set();

  name = h('input', { id: 'activity-name', type: 'text', required: true });
  owner = h('input', { id: 'activity-owner', type: 'text' });
  statusSelect = choice('activity-status', STATUSES, 'activity_status');
  reviewed = h('input', { id: 'activity-reviewed', type: 'date' });
  purposes = h('textarea', { id: 'activity-purposes', rows: 3 });
  bases = Object.fromEntries(LEGAL_BASES.map((b) => [b, h('input', {
    id: `basis-${b.replaceAll('_', '-')}`, type: 'checkbox', value: b, onchange: () => this.toggleGroups(),
  })]));
  legitimateInterest = h('textarea', { id: 'activity-legitimate-interest', rows: 2 });
  liaReference = h('input', { id: 'activity-lia-reference', type: 'text' });
  art9 = choice('activity-art9', ART9, 'art9', { empty: 'activity.art9_none' });
  subjectCategories = h('textarea', { id: 'activity-subject-categories', rows: 2 });
  categories = [];
  categoryBody = h('tbody', {});
  recipients = h('textarea', { id: 'activity-recipients', rows: 2 });
  processorBoxes = [];
  newProcessorBoxes = [];
  processorList = h('div', { class: 'checklist', id: 'activity-processors' });
  jointControllers = [];
  jointBody = h('div', { class: 'rows' });
  transfers = [];
  transferBody = h('div', { class: 'rows' });
  retentionSummary = h('textarea', { id: 'activity-retention-summary', rows: 2 });
  security = h('textarea', { id: 'activity-security', rows: 3 });
  source = h('input', { id: 'activity-source', type: 'text' });
  systems = h('textarea', { id: 'activity-systems', rows: 2 });
  automated = h('input', { id: 'activity-automated', type: 'text' });
  consentRecord = h('input', { id: 'activity-consent-record', type: 'text' });
  directMarketing = h('input', { id: 'activity-direct-marketing', type: 'checkbox' });
  inNotice = h('input', { id: 'activity-in-notice', type: 'checkbox' });
  noticeText = h('textarea', { id: 'activity-notice-text', rows: 3 });
  dpia = choice('activity-dpia', DPIA, 'dpia');
  dpiaReference = h('input', { id: 'activity-dpia-reference', type: 'text' });

  liGroup = h('div', { class: 'form', id: 'legitimate-interest-fields' });
  error = messageArea('activity-error');
  saved = messageArea('activity-saved', 'success');
  fieldErrors = {};

  connectedCallback() {
    super.connectedCallback();
    if (!this.editor) this.load();
  }

  /** The message area for a backend field name, made on first use. */
  errorFor(name) {
    this.fieldErrors[name] ??= messageArea(`activity-${name.replaceAll('_', '-')}-error`);
    return this.fieldErrors[name];
  }

  /** The control a backend field name points at. */
  inputFor(name) {
    const base = name.split('.')[0];
    return {
      name: this.name, purposes: this.purposes, legal_bases: this.bases.consent,
      legitimate_interest: this.legitimateInterest, art9_condition: this.art9,
      subject_categories: this.subjectCategories, data_categories: this.categories[0]?.name ?? this.addCategoryButton,
      recipients: this.recipients, security_measures: this.security,
      transfers: this.transfers[0]?.country, joint_controllers: this.jointControllers[0]?.name,
    }[base];
  }

  addCategoryButton = h('button', { type: 'button', id: 'add-category', onclick: () => this.addCategory() });

  async load() {
    const task = this.activityId != null
      ? () => ipc.editActivity({ id: this.activityId })
      : () => ipc.newActivity({ template: this.template ?? null });
    const result = await this.run(task, { errorEl: this.error, progress: t('activity.loading') });
    if (result.ok) this.fill(result.value);
  }

  fill(editor) {
    this.editor = editor;
    this.activityId = editor.id;
    const a = editor.activity;
    this.name.value = a.name ?? '';
    this.owner.value = a.owner ?? '';
    this.statusSelect.value = a.status ?? 'draft';
    this.reviewed.value = a.last_reviewed ?? '';
    this.purposes.value = (a.purposes ?? []).join('\n');
    for (const [b, box] of Object.entries(this.bases)) box.checked = (a.legal_bases ?? []).includes(b);
    this.legitimateInterest.value = a.legitimate_interest ?? '';
    this.liaReference.value = a.lia_reference ?? '';
    this.art9.value = a.art9_condition ?? '';
    this.subjectCategories.value = (a.subject_categories ?? []).join('\n');
    this.categories = (a.data_categories ?? []).map((c) => this.categoryRow(c));
    this.recipients.value = (a.recipients ?? []).join('\n');
    const linked = new Set(a.processor_ids ?? []);
    this.processorBoxes = (editor.processors ?? []).map((p) => ({
      id: p.id,
      name: p.name,
      input: h('input', { id: `processor-${p.id}`, type: 'checkbox', checked: linked.has(p.id) }),
    }));
    this.newProcessorBoxes = (editor.new_processors ?? []).map((p, i) => ({
      processor: p,
      input: h('input', { id: `new-processor-${i}`, type: 'checkbox', checked: true }),
    }));
    this.jointControllers = (a.joint_controllers ?? []).map((j) => this.jointRow(j));
    this.transfers = (a.transfers ?? []).map((tr) => this.transferRow(tr));
    this.retentionSummary.value = a.retention_summary ?? '';
    this.security.value = (a.security_measures ?? []).join('\n');
    this.source.value = a.source ?? '';
    this.systems.value = (a.systems ?? []).join('\n');
    this.automated.value = a.automated_decisions ?? '';
    this.consentRecord.value = a.consent_record ?? '';
    this.directMarketing.checked = Boolean(a.direct_marketing);
    this.inNotice.checked = Boolean(a.in_notice);
    this.noticeText.value = a.notice_text ?? '';
    this.dpia.value = a.dpia ?? 'not_assessed';
    this.dpiaReference.value = a.dpia_reference ?? '';
    this.proposals = [...(a.proposals ?? [])];
    this.confirmed = new Set();
    this.confirmingDelete = false;
    for (const area of [this.purposes, this.subjectCategories, this.recipients, this.security, this.systems, this.noticeText]) fitRows(area);
    this.rerender();
  }

  categoryRow(c = {}) {
    const n = nextRow++;
    const row = {
      inUse: (this.editor?.categories_in_use ?? []).some((u) => u.toLowerCase() === String(c.name ?? '').trim().toLowerCase()),
      name: h('input', { id: `category-name-${n}`, type: 'text', value: c.name ?? '' }),
      group: choice(`category-group-${n}`, GROUPS, 'category_group'),
      sensitive: h('input', { id: `category-sensitive-${n}`, type: 'checkbox', checked: Boolean(c.sensitive) }),
      trigger: choice(`category-trigger-${n}`, TRIGGERS, 'retention_trigger', { empty: 'activity.no_rule' }),
      amount: h('input', { id: `category-amount-${n}`, type: 'number', min: '1', step: '1', value: c.retention?.duration?.amount ?? '' }),
      unit: choice(`category-unit-${n}`, UNITS, 'period_unit'),
      justification: h('input', { id: `category-justification-${n}`, type: 'text', value: c.retention?.justification ?? '' }),
    };
    row.group.value = c.group ?? 'other';
    row.trigger.value = c.retention?.trigger ?? '';
    row.unit.value = c.retention?.duration?.unit ?? 'years';
    return row;
  }

  jointRow(j = {}) {
    const n = nextRow++;
    return {
      name: h('input', { id: `joint-name-${n}`, type: 'text', value: j.name ?? '' }),
      email: h('input', { id: `joint-email-${n}`, type: 'email', value: j.contact?.email ?? '' }),
      responsibilities: h('input', { id: `joint-responsibilities-${n}`, type: 'text', value: j.responsibilities ?? '' }),
      contact: j.contact ?? {},
    };
  }

  transferRow(tr = {}) {
    const n = nextRow++;
    const row = {
      country: h('input', { id: `transfer-country-${n}`, type: 'text', value: tr.country ?? '' }),
      recipient: h('input', { id: `transfer-recipient-${n}`, type: 'text', value: tr.recipient ?? '' }),
      safeguard: choice(`transfer-safeguard-${n}`, SAFEGUARDS, 'safeguard'),
      documentation: h('input', { id: `transfer-documentation-${n}`, type: 'text', value: tr.documentation ?? '' }),
    };
    row.safeguard.value = tr.safeguard ?? 'standard_contractual_clauses';
    return row;
  }

  addCategory() {
    const row = this.categoryRow();
    this.categories.push(row);
    this.renderCategories();
    row.name.focus();
  }

  removeRow(list, row, focusEl) {
    list.splice(list.indexOf(row), 1);
    this.rerender();
    focusEl?.focus();
  }

  render() {
    for (const select of [this.statusSelect, this.art9, this.dpia]) labelChoices(select);
    this.addCategoryButton.textContent = t('activity.add_category');
    const isNew = this.activityId == null;
    const title = isNew ? t('activity.new_title') : t('activity.edit_title');
    const errorId = (name) => this.errorFor(name).id;
    const f = (labelKey, el, name, hintKey) => [
      field(t(labelKey), el, { errorId: name ? errorId(name) : '', hint: hintKey ? t(hintKey) : '' }),
      name ? this.errorFor(name) : null,
    ];
    replace(this.liGroup,
      f('activity.legitimate_interest', this.legitimateInterest, 'legitimate_interest', 'activity.legitimate_interest_hint'),
      f('activity.lia_reference', this.liaReference));
    replace(this,
      h('p', {}, h('button', { type: 'button', class: 'link', id: 'activity-back', onclick: () => this.emit('activity-back') },
        `← ${t('activity.back')}`)),
      h('div', { class: 'page-title' },
        h('h1', {}, this.editor ? (text(this.name) || title) : title),
        this.editor && !isNew ? h('span', { class: 'muted' }, t('activity.records_held', { count: this.editor.records ?? 0 })) : null,
        this.editor && !isNew ? h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'activity-import-csv',
            onclick: () => this.emit('csv-import', { id: this.activityId, name: this.editor.activity?.name ?? text(this.name) }) },
          t('activity.import_csv'))) : null),
      this.template && isNew ? h('p', { class: 'note', id: 'activity-template-note' }, t('activity.from_template_note')) : null,
      this.editor ? this.renderForm(f) : h('p', { class: 'muted' }, t('activity.loading')),
      this.editor && !isNew ? this.bulkDates() : null,
      this.editor && !isNew ? this.holdsOfActivity() : null,
      this.editor ? null : this.error,
    );
    this.toggleGroups();
  }

  renderForm(f) {
    const section = (id, legendKey, ...content) =>
      h('fieldset', { class: 'form group', id }, h('legend', {}, t(legendKey)), ...content);
    return h('form', { class: 'form', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.save(); } },
      section('activity-about', 'activity.section_about',
        f('activity.name', this.name, 'name'),
        f('activity.owner', this.owner, null, 'activity.owner_hint'),
        h('div', { class: 'field-row' },
          field(t('activity.status'), this.statusSelect, { hint: t('activity.status_hint') }),
          h('div', { class: 'field' },
            h('label', { for: 'activity-reviewed' }, t('activity.reviewed')),
            h('div', { class: 'path-row' }, this.reviewed,
              h('button', { type: 'button', id: 'activity-reviewed-today', class: 'small',
                onclick: () => { this.reviewed.value = localDate(); } }, t('activity.reviewed_today')))))),
      section('activity-purpose', 'activity.section_purpose',
        f('activity.purposes', this.purposes, 'purposes', 'activity.one_per_line'),
        h('fieldset', { class: 'choices', 'aria-describedby': this.errorFor('legal_bases').id },
          h('legend', {}, t('activity.legal_bases')),
          LEGAL_BASES.map((b) => checkboxField(this.bases[b], t(`legal_basis.${b}`)))),
        this.errorFor('legal_bases'),
        this.liGroup,
        f('activity.art9', this.art9, 'art9_condition', 'activity.art9_hint')),
      section('activity-data', 'activity.section_data',
        f('activity.subject_categories', this.subjectCategories, 'subject_categories', 'activity.one_per_line'),
        h('div', { class: 'field' },
          h('span', { class: 'label', id: 'categories-label' }, t('activity.data_categories')),
          h('p', { class: 'hint' }, t('activity.data_categories_hint')),
          h('div', { class: 'table-wrap' },
            h('table', { class: 'edit-table', 'aria-labelledby': 'categories-label' },
              h('thead', {}, h('tr', {},
                ['col_category', 'col_group', 'col_sensitive', 'col_trigger', 'col_period', 'col_justification', null]
                  .map((k) => h('th', { scope: 'col' }, k ? t(`activity.${k}`) : h('span', { class: 'visually-hidden' }, t('activity.col_remove')))))),
              this.categoryBody)),
          h('div', { class: 'actions' }, this.addCategoryButton)),
        this.errorFor('data_categories')),
      section('activity-recipients-section', 'activity.section_recipients',
        f('activity.recipients', this.recipients, 'recipients', 'activity.recipients_hint'),
        h('div', { class: 'field' },
          h('span', { class: 'label' }, t('activity.processors')),
          this.processorList),
        h('div', { class: 'field' },
          h('span', { class: 'label' }, t('activity.joint_controllers')),
          this.jointBody,
          h('div', { class: 'actions' }, h('button', { type: 'button', id: 'add-joint', onclick: () => {
            const row = this.jointRow(); this.jointControllers.push(row); this.rerender(); row.name.focus();
          } }, t('activity.add_joint')))),
        this.errorFor('joint_controllers'),
        h('div', { class: 'field' },
          h('span', { class: 'label' }, t('activity.transfers')),
          h('p', { class: 'hint' }, t('activity.transfers_hint')),
          this.transferBody,
          h('div', { class: 'actions' }, h('button', { type: 'button', id: 'add-transfer', onclick: () => {
            const row = this.transferRow(); this.transfers.push(row); this.rerender(); row.country.focus();
          } }, t('activity.add_transfer')))),
        this.errorFor('transfers')),
      section('activity-retention', 'activity.section_retention',
        this.proposalNote('retention'),
        f('activity.retention_summary', this.retentionSummary, null, 'activity.retention_summary_hint'),
        f('activity.security', this.security, 'security_measures', 'activity.one_per_line')),
      section('activity-sources', 'activity.section_sources',
        f('activity.source', this.source, null, 'activity.source_hint'),
        f('activity.systems', this.systems, null, 'activity.one_per_line'),
        f('activity.automated', this.automated, null, 'activity.automated_hint'),
        this.proposalNote('automated_decisions'),
        f('activity.consent_record', this.consentRecord),
        checkboxField(this.directMarketing, t('activity.direct_marketing'), t('activity.direct_marketing_hint'))),
      section('activity-notice', 'activity.section_notice',
        checkboxField(this.inNotice, t('activity.in_notice'), t('activity.in_notice_hint')),
        f('activity.notice_text', this.noticeText, null, 'activity.notice_text_hint')),
      section('activity-dpia-section', 'activity.section_dpia',
        field(t('activity.dpia'), this.dpia, { hint: t('activity.dpia_hint') }),
        f('activity.dpia_reference', this.dpiaReference),
        this.proposalNote('dpia')),
      this.error,
      this.saved,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'activity-save', class: 'primary' }, t('common.save')),
        h('button', { type: 'button', id: 'activity-cancel', onclick: () => this.emit('activity-back') }, t('activity.close'))),
      this.activityId != null ? this.renderDelete() : null,
    );
  }

  /**
   * The note beside a field the template proposed: "to be confirmed" with a Confirm
   * button, or, once confirmed here, that it is saved with the activity (and Undo).
   * Nothing when the answer is not a proposal.
   */
  proposalNote(code) {
    if (!this.proposals.includes(code)) return null;
    const what = t(`proposal.${code}`);
    const id = `proposal-${code.replaceAll('_', '-')}`;
    const toggle = (confirm) => {
      if (confirm) this.confirmed.add(code); else this.confirmed.delete(code);
      this.rerender();
      document.getElementById(confirm ? `${id}-undo` : `${id}-confirm`)?.focus();
    };
    if (this.confirmed.has(code)) {
      return h('div', { class: 'note proposal confirmed', id },
        h('p', {}, `${what}: ${t('activity.proposal_confirmed')}`),
        h('button', { type: 'button', class: 'small', id: `${id}-undo`, onclick: () => toggle(false) }, t('activity.proposal_undo')));
    }
    return h('div', { class: 'note proposal', id },
      h('p', {}, `${what}: ${t('activity.proposal_text')}`),
      h('button', {
        type: 'button', class: 'small', id: `${id}-confirm`,
        'aria-label': t('activity.proposal_confirm_label', { what }),
        onclick: () => toggle(true),
      }, t('activity.proposal_confirm')));
  }

  /** One retention date for everyone in the activity without one (kept across renders). */
  bulkDates() {
    if (!this.bulk || this.bulk.activityId !== this.activityId) {
      this.bulk = document.createElement('retention-bulk');
      this.bulk.activityId = this.activityId;
    }
    this.bulk.status = this.status;
    this.bulk.triggers = this.editor?.dated_triggers ?? [];
    this.bulk.rerender?.();
    return this.bulk;
  }

  /** The legal holds on this activity (kept across renders). */
  holdsOfActivity() {
    if (!this.holds || this.holds.activityId !== this.activityId) {
      this.holds = document.createElement('legal-holds');
      this.holds.activityId = this.activityId;
      this.holds.status = this.status;
    }
    return this.holds;
  }

  renderDelete() {
    const records = this.editor?.records ?? 0;
    return h('section', { class: 'panel danger-zone', 'aria-labelledby': 'activity-delete-title' },
      h('h2', { id: 'activity-delete-title' }, t('activity.delete_title')),
      records
        ? h('p', {}, t('activity.delete_blocked', { count: records }))
        : this.confirmingDelete
          ? [h('p', { id: 'activity-delete-question' }, t('activity.delete_question', { name: text(this.name) })),
             h('div', { class: 'actions' },
               h('button', { type: 'button', class: 'danger', id: 'activity-delete-confirm', onclick: () => this.remove() }, t('activity.delete_confirm')),
               h('button', { type: 'button', id: 'activity-delete-cancel', onclick: () => { this.confirmingDelete = false; this.rerender(); } }, t('common.cancel')))]
          : h('button', { type: 'button', id: 'activity-delete', onclick: () => {
              this.confirmingDelete = true; this.rerender(); document.getElementById('activity-delete-cancel')?.focus();
            } }, t('activity.delete')));
  }

  renderCategories() {
    replace(this.categoryBody, this.categories.map((row) => {
      labelChoices(row.group); labelChoices(row.trigger); labelChoices(row.unit);
      const label = (el, key) => el.setAttribute('aria-label', t(key));
      label(row.name, 'activity.col_category'); label(row.group, 'activity.col_group');
      label(row.sensitive, 'activity.col_sensitive'); label(row.trigger, 'activity.col_trigger');
      label(row.amount, 'activity.period_amount'); label(row.unit, 'activity.period_unit');
      label(row.justification, 'activity.col_justification');
      const remove = h('button', {
        type: 'button', class: 'small', disabled: row.inUse,
        title: row.inUse ? t('activity.category_in_use') : null,
        onclick: () => this.removeRow(this.categories, row, this.addCategoryButton),
      }, t('activity.remove'));
      return h('tr', {},
        h('td', {}, row.name),
        h('td', {}, row.group),
        h('td', { class: 'center' }, row.sensitive),
        h('td', {}, row.trigger),
        h('td', {}, h('div', { class: 'period' }, row.amount, row.unit)),
        h('td', {}, row.justification),
        h('td', {}, remove));
    }));
  }

  renderRows() {
    const remove = (list, row) => h('button', { type: 'button', class: 'small', onclick: () => this.removeRow(list, row) }, t('activity.remove'));
    replace(this.jointBody, this.jointControllers.map((row) => h('div', { class: 'row-fields' },
      field(t('activity.joint_name'), row.name),
      field(t('activity.joint_email'), row.email),
      field(t('activity.joint_responsibilities'), row.responsibilities),
      remove(this.jointControllers, row))));
    for (const row of this.transfers) labelChoices(row.safeguard);
    replace(this.transferBody, this.transfers.map((row) => h('div', { class: 'row-fields' },
      field(t('activity.transfer_country'), row.country),
      field(t('activity.transfer_recipient'), row.recipient),
      field(t('activity.transfer_safeguard'), row.safeguard),
      field(t('activity.transfer_documentation'), row.documentation),
      remove(this.transfers, row))));
    const existing = this.processorBoxes.map((p) => checkboxField(p.input, p.name));
    const added = this.newProcessorBoxes.map((p) =>
      checkboxField(p.input, t('activity.new_processor', { name: p.processor.name }), p.processor.notes || ''));
    replace(this.processorList, existing.length || added.length
      ? [existing, added]
      : h('p', { class: 'hint' }, t('activity.no_processors')));
  }

  toggleGroups() {
    this.renderCategories();
    this.renderRows();
    this.liGroup.hidden = !this.bases.legitimate_interests.checked;
  }

  /** The form as the backend's Activity. */
  value() {
    const contact = (row) => ({ name: '', phone: '', address: '', ...row.contact, email: text(row.email) });
    return {
      name: text(this.name),
      owner: text(this.owner),
      purposes: lines(this.purposes),
      legal_bases: LEGAL_BASES.filter((b) => this.bases[b].checked),
      art9_condition: this.art9.value || null,
      legitimate_interest: text(this.legitimateInterest),
      lia_reference: text(this.liaReference),
      subject_categories: lines(this.subjectCategories),
      data_categories: this.categories.filter((row) => text(row.name) || row.trigger.value).map((row) => ({
        name: text(row.name),
        group: row.group.value,
        sensitive: row.sensitive.checked,
        retention: row.trigger.value
          ? {
              trigger: row.trigger.value,
              duration: text(row.amount) ? { amount: Number(text(row.amount)), unit: row.unit.value } : null,
              justification: text(row.justification),
            }
          : null,
      })),
      recipients: lines(this.recipients),
      processor_ids: this.processorBoxes.filter((p) => p.input.checked).map((p) => p.id),
      joint_controllers: this.jointControllers.filter((row) => text(row.name) || text(row.responsibilities)).map((row) => ({
        name: text(row.name), contact: contact(row), responsibilities: text(row.responsibilities),
      })),
      transfers: this.transfers.filter((row) => text(row.country) || text(row.recipient)).map((row) => ({
        country: text(row.country), recipient: text(row.recipient), safeguard: row.safeguard.value,
        documentation: text(row.documentation),
      })),
      retention_summary: text(this.retentionSummary),
      security_measures: lines(this.security),
      source: text(this.source),
      systems: lines(this.systems),
      automated_decisions: text(this.automated),
      consent_record: text(this.consentRecord),
      direct_marketing: this.directMarketing.checked,
      in_notice: this.inNotice.checked,
      notice_text: text(this.noticeText),
      dpia: this.dpia.value,
      dpia_reference: text(this.dpiaReference),
      status: this.statusSelect.value,
      last_reviewed: this.reviewed.value || null,
      proposals: this.proposals.filter((p) => !this.confirmed.has(p)),
    };
  }

  clearErrors() {
    for (const [name, area] of Object.entries(this.fieldErrors)) {
      showMessage(area, '');
      const el = this.inputFor(name);
      if (el) markInvalid(el, false);
    }
    showMessage(this.error, '');
    showMessage(this.saved, '');
  }

  /** Checks what the form can check itself; returns false after showing the problem. */
  checkLocally(activity) {
    if (!activity.name) return this.showFieldError('name', t('activity.name_required'));
    const bad = this.categories.find((row) => text(row.amount) && !(Number(text(row.amount)) >= 1 && Number.isInteger(Number(text(row.amount)))));
    if (bad) return this.showFieldError('data_categories', t('activity.bad_period'), bad.amount);
    return true;
  }

  async save() {
    this.clearErrors();
    const activity = this.value();
    if (!this.checkLocally(activity)) return;
    const isNew = this.activityId == null;
    const newProcessors = isNew ? this.newProcessorBoxes.filter((p) => p.input.checked).map((p) => p.processor) : [];
    const result = await this.run(
      () => ipc.saveActivity({ id: this.activityId, activity, new_processors: newProcessors }),
      { errorEl: this.error, progress: t('activity.saving') },
    );
    if (!result.ok) {
      const name = result.error?.details?.field;
      if (result.error?.kind === 'input.invalid' && name) {
        showMessage(this.error, t('activity.not_saved'));
        this.showFieldError(name.split('.')[0], errorMessage(result.error));
      }
      return;
    }
    const id = result.value.id;
    const reload = await this.run(() => ipc.editActivity({ id }), { errorEl: this.error, progress: t('activity.loading') });
    if (reload.ok) {
      this.template = null;
      this.fill(reload.value);
      showMessage(this.saved, isNew ? t('activity.added') : t('activity.saved'));
      this.saved.scrollIntoView?.({ block: 'nearest' });
    }
  }

  showFieldError(name, message, el = null) {
    const target = el ?? this.inputFor(name);
    showMessage(this.errorFor(name), message);
    if (!this.errorFor(name).isConnected) showMessage(this.error, `${fieldLabel(name)}: ${message}`);
    if (target) {
      markInvalid(target, true);
      target.focus();
    }
    return false;
  }

  async remove() {
    const result = await this.run(() => ipc.deleteActivity({ id: this.activityId }), { errorEl: this.error, progress: t('activity.deleting') });
    if (result.ok) this.emit('activity-back', { deleted: true });
  }
}

customElements.define('activity-editor', ActivityEditor);
