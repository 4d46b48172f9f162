// <subject-new>: add a person by hand, with the records of personal data held about
// them, each in a processing activity and one of its data categories. Saved in one
// go (nothing is added if any part is refused). Before saving, people already
// registered with the same e-mail address or phone number are listed, to open one of
// them instead or to add the person anyway. Emits "subject-open" {id} when saved or
// when an existing person is opened, and "subject-back" when cancelled.

import { AppElement, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { errorMessage, localDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

let nextRow = 0;

class SubjectNew extends AppElement {
  status = null;
  activities = null;
  categories = new Map(); // activity id → [category name]
  rows = [];
  name = h('input', { id: 'new-subject-name', type: 'text', required: true, autocomplete: 'off' });
  email = h('input', { id: 'new-subject-email', type: 'email', autocomplete: 'off', oninput: () => this.contactChanged() });
  phone = h('input', { id: 'new-subject-phone', type: 'tel', autocomplete: 'off', oninput: () => this.contactChanged() });
  // Shown when someone with the same e-mail address or phone number is registered.
  duplicates = null; // DuplicateMatch[] the warning lists, or null
  duplicateBox = h('section', {
    class: 'panel warning-zone', id: 'new-subject-duplicates', hidden: true, 'aria-labelledby': 'new-subject-duplicates-title',
  });
  recordList = h('div', { class: 'rows', id: 'new-records' });
  errors = { name: messageArea('new-subject-name-error'), email: messageArea('new-subject-email-error'), phone: messageArea('new-subject-phone-error') };
  error = messageArea('new-subject-error');
  // Shown when the suppression list refuses the person (erased at their request before).
  overrideReason = h('textarea', { id: 'new-subject-override-reason', rows: 2 });
  overrideBox = h('div', { class: 'form group', id: 'new-subject-override-box', hidden: true },
    field(t('new_subject.override_reason'), this.overrideReason, { hint: t('new_subject.override_hint') }),
    h('div', { class: 'actions' },
      h('button', { type: 'button', id: 'new-subject-override', onclick: () => this.save({ override: true }) }, t('new_subject.override'))));

  connectedCallback() {
    super.connectedCallback();
    if (!this.activities) this.load();
  }

  async load() {
    const result = await this.run(() => ipc.listActivities(), { errorEl: this.error, progress: t('new_subject.loading') });
    if (!result.ok) return;
    this.activities = result.value;
    if (this.activities.length && !this.rows.length) await this.addRecord(false);
    this.rerender();
    this.name.focus();
  }

  render() {
    replace(this,
      h('p', {}, h('button', { type: 'button', class: 'link', id: 'new-subject-back', onclick: () => this.emit('subject-back') },
        `← ${t('subject.back')}`)),
      h('h1', {}, t('new_subject.title')),
      h('p', { class: 'muted' }, t('new_subject.intro')),
      h('form', {
        class: 'form panel', novalidate: true,
        onsubmit: (event) => { event.preventDefault(); this.save(); },
      },
        field(t('new_subject.name'), this.name, { errorId: this.errors.name.id }), this.errors.name,
        field(t('new_subject.email'), this.email, { errorId: this.errors.email.id }), this.errors.email,
        field(t('new_subject.phone'), this.phone, { errorId: this.errors.phone.id }), this.errors.phone,
        h('fieldset', { class: 'form group' },
          h('legend', {}, t('new_subject.records')),
          this.activities?.length === 0
            ? h('p', { class: 'hint', id: 'new-subject-no-activities' }, t('new_subject.no_activities'))
            : [h('p', { class: 'hint' }, t('new_subject.records_hint')),
               this.recordList,
               h('div', { class: 'actions' },
                 h('button', { type: 'button', id: 'new-record-add', onclick: () => this.addRecord(true) }, t('new_subject.add_record')))]),
        this.error,
        this.renderDuplicates(),
        this.overrideBox,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', id: 'new-subject-save', class: 'primary' }, t('new_subject.save')),
          h('button', { type: 'button', id: 'new-subject-cancel', onclick: () => this.emit('subject-back') }, t('common.cancel')))),
    );
    this.renderRows();
  }

  renderRows() {
    replace(this.recordList, this.rows.map((row) => {
      const activity = row.activity.value;
      replace(row.activity, (this.activities ?? []).map((a) => h('option', { value: a.id }, a.name)));
      row.activity.value = activity;
      const category = row.category.value;
      replace(row.category, (this.categories.get(Number(row.activity.value)) ?? []).map((c) => h('option', { value: c }, c)));
      if (category) row.category.value = category;
      return h('div', { class: 'row-fields record-row' },
        field(t('new_subject.activity'), row.activity),
        field(t('new_subject.category'), row.category),
        field(t('new_subject.value'), row.value),
        field(t('new_subject.source'), row.source, { hint: t('new_subject.source_hint') }),
        field(t('new_subject.collected'), row.collected),
        h('button', { type: 'button', class: 'small', onclick: () => this.removeRecord(row) }, t('activity.remove')));
    }));
  }

  async addRecord(focus) {
    const n = nextRow++;
    const row = {
      activity: h('select', { id: `new-record-activity-${n}`, onchange: () => this.activityChanged(row) }),
      category: h('select', { id: `new-record-category-${n}` }),
      value: h('input', { id: `new-record-value-${n}`, type: 'text' }),
      source: h('input', { id: `new-record-source-${n}`, type: 'text' }),
      collected: h('input', { id: `new-record-collected-${n}`, type: 'date', value: localDate() }),
    };
    const previous = this.rows.at(-1);
    replace(row.activity, (this.activities ?? []).map((a) => h('option', { value: a.id }, a.name)));
    if (previous) row.activity.value = previous.activity.value;
    this.rows.push(row);
    await this.categoriesOf(Number(row.activity.value));
    this.renderRows();
    if (focus) row.activity.focus();
  }

  removeRecord(row) {
    this.rows.splice(this.rows.indexOf(row), 1);
    this.renderRows();
    document.getElementById('new-record-add')?.focus();
  }

  async activityChanged(row) {
    row.category.value = '';
    await this.categoriesOf(Number(row.activity.value));
    this.renderRows();
    row.activity.focus();
  }

  /** The data categories of an activity, fetched once. */
  async categoriesOf(id) {
    if (!id || this.categories.has(id)) return;
    const result = await this.run(() => ipc.editActivity({ id }), { errorEl: this.error, progress: t('new_subject.loading') });
    if (result.ok) this.categories.set(id, result.value.activity.data_categories.map((c) => c.name));
  }

  /** The warning about people already registered with the same e-mail or phone. */
  renderDuplicates() {
    const list = this.duplicates ?? [];
    this.duplicateBox.hidden = !list.length;
    const how = (m) => {
      if (m.by_email && m.by_phone) return t('new_subject.same_both');
      return m.by_email ? t('new_subject.same_email', { email: m.summary.email }) : t('new_subject.same_phone', { phone: m.summary.phone });
    };
    return replace(this.duplicateBox,
      h('h2', { id: 'new-subject-duplicates-title' }, t('new_subject.duplicates_title')),
      h('p', {}, t('new_subject.duplicates_text', { count: list.length })),
      h('ul', { class: 'plain-list', id: 'new-subject-duplicates-list' }, list.map((m) =>
        h('li', { 'data-subject-id': m.subject_id },
          h('strong', {}, m.summary.name), ' · ', how(m), ' ',
          h('button', {
            type: 'button', class: 'small duplicate-open', 'aria-label': t('new_subject.duplicate_open_label', { name: m.summary.name }),
            onclick: () => this.emit('subject-open', { id: m.subject_id }),
          }, t('new_subject.duplicate_open'))))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'new-subject-anyway', onclick: () => this.save({ anyway: true }) }, t('new_subject.add_anyway'))));
  }

  /** Another e-mail or phone: the warning no longer applies. */
  contactChanged() {
    if (!this.duplicates) return;
    this.duplicates = null;
    this.renderDuplicates();
  }

  async save({ override = false, anyway = false } = {}) {
    for (const [name, area] of Object.entries(this.errors)) {
      showMessage(area, '');
      markInvalid(this[name], false);
    }
    showMessage(this.error, '');
    const subject = { name: this.name.value.trim(), email: this.email.value.trim(), phone: this.phone.value.trim() };
    if (!subject.name) return this.fieldProblem('name', t('new_subject.name_required'));
    const records = this.rows
      .filter((row) => row.value.value.trim())
      .map((row) => ({
        activity_id: Number(row.activity.value),
        category: row.category.value,
        value: row.value.value.trim(),
        source: row.source.value.trim(),
        collected_on: row.collected.value || null,
      }));
    const args = { subject, records };
    // A second record of someone already registered is worth a question first.
    if (!override && !anyway && (subject.email || subject.phone)) {
      const found = await this.run(() => ipc.possibleDuplicates({ subject }), {
        errorEl: this.error, progress: t('new_subject.checking'),
      });
      if (!found.ok) return;
      if (found.value.length) {
        this.duplicates = found.value;
        this.renderDuplicates();
        document.getElementById('new-subject-anyway')?.focus();
        return;
      }
    }
    this.duplicates = null;
    this.renderDuplicates();
    if (override) {
      const reason = this.overrideReason.value.trim();
      if (!reason) {
        showMessage(this.error, t('new_subject.override_required'));
        this.overrideReason.focus();
        return;
      }
      args.override_reason = reason;
    }
    const result = await this.run(() => ipc.addSubject(args), { errorEl: this.error, progress: t('new_subject.saving') });
    if (!result.ok) {
      if (result.error?.kind === 'subject.suppressed') {
        this.overrideBox.hidden = false;
        this.overrideReason.focus();
        return;
      }
      const name = result.error?.details?.field;
      if (result.error?.kind === 'input.invalid' && this.errors[name]) {
        showMessage(this.error, '');
        this.fieldProblem(name, errorMessage(result.error));
      }
      return;
    }
    this.emit('subject-open', { id: result.value });
  }

  fieldProblem(name, message) {
    showMessage(this.errors[name], message);
    markInvalid(this[name], true);
    this[name].focus();
  }
}

customElements.define('subject-new', SubjectNew);
