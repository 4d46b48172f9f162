// <subject-page>: one data subject (set .subjectId before connecting). Shows the
// person, their records per processing activity, consents and objections, and the
// audit history; corrects details or one record (Art. 16), deletes a record,
// erases the person (Art. 17), and merges a second record of the same person into
// this one or this one into it (<subject-merge>), always with a reason. Every changing
// command except erase_subject returns the refreshed page, which is shown as it comes.
// Emits "subject-back" when the user goes back to the list.

import { AppElement, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { append, h, replace } from '../lib/dom.js';
import { errorMessage, formatDate, formatDateTime, has, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { deadlineBadge, shortRef } from '../lib/requests.js';
import { keptList } from '../lib/erasure.js';
import './subject-rights.js';
import './subject-merge.js';
import './art19-tasks.js';
import { ReportChoice, exportedText } from '../lib/report-choice.js';

const DASH = '—';
const SUBJECT_FIELDS = ['name', 'email', 'phone', 'reason'];

const text = (value) => (value === null || value === undefined || value === '' ? DASH : String(value));
const translated = (prefix, key) => (has(`${prefix}.${key}`) ? t(`${prefix}.${key}`) : String(key ?? ''));

class SubjectPage extends AppElement {
  status = null;
  subjectId = null;
  data = null; // SubjectPage from the backend
  erased = null; // {name, summary} after erase_subject
  rights = null; // <subject-rights>, kept across renders
  art19 = null; // <art19-tasks>, kept across renders
  loadFailed = false;
  panel = null; // null | 'rectify' | 'erase'
  rectify = null; // the controls of the open "Correct details" form
  erase = null; // the controls of the open erase confirmation
  merge = null; // the open <subject-merge>
  recordForm = null; // {id, kind: 'rectify'|'delete', controls…}
  requests = []; // this person's requests (Art. 12-22)
  report = new ReportChoice('export-access', ['pdf', 'json']);
  exportError = messageArea('export-access-error');
  exportDone = messageArea('export-access-done', 'success');
  error = messageArea('subject-error');
  saved = messageArea('subject-saved', 'success');

  connectedCallback() {
    super.connectedCallback();
    if (!this.data && !this.erased) this.load();
  }

  get readOnly() {
    return Boolean(this.status?.read_only);
  }

  async load() {
    const result = await this.run(() => ipc.viewSubject({ id: this.subjectId }), {
      errorEl: this.error, progress: t('subject.loading'),
    });
    this.loadFailed = !result.ok;
    if (!result.ok) {
      this.rerender();
      return;
    }
    this.data = result.value;
    const requests = await this.run(() => ipc.listRequests({ open_only: false, subject_id: this.subjectId }), {
      errorEl: this.error, progress: t('subject.loading'),
    });
    this.requests = requests.ok ? requests.value : [];
    this.rerender();
    this.querySelector('h1')?.focus();
  }

  exportSection() {
    return h('section', { class: 'panel', id: 'export-access-panel', 'aria-labelledby': 'export-access-title' },
      h('h2', { id: 'export-access-title' }, t('report.access_title')),
      h('p', { class: 'hint' }, t('report.access_intro')),
      this.report.fields(),
      this.exportError,
      this.exportDone,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'export-access', onclick: () => this.exportAccess() }, t('report.access_button'))));
  }

  async exportAccess() {
    showMessage(this.exportDone, '');
    const result = await this.run(() => ipc.exportAccess({ subject_id: this.subjectId, ...this.report.value() }), {
      errorEl: this.exportError, progress: t('report.working'), controls: this.querySelector('#export-access-panel'),
    });
    if (result.ok && result.value) showMessage(this.exportDone, exportedText(result.value));
  }

  requestsSection() {
    const { subject } = this.data;
    return h('section', { 'aria-labelledby': 'subject-requests-title', id: 'subject-requests' },
      h('h2', { id: 'subject-requests-title' }, t('subject.requests_title')),
      this.requests?.length
        ? h('ul', { class: 'plain-list' }, this.requests.map((r) => h('li', { 'data-request-id': r.id },
            h('button', { type: 'button', class: 'link', onclick: () => this.emit('request-open', { id: r.id }) },
              `${t(`request_kind.${r.kind}`)} ${shortRef(r)}`),
            ' · ', formatDate(r.received_on), ' · ', deadlineBadge(r))))
        : h('p', { class: 'muted' }, t('subject.requests_none')),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', id: 'subject-request-new', disabled: this.readOnly,
          onclick: () => this.emit('request-new', { subjectId: subject.id, subjectName: subject.name }),
        }, t('subject.request_new'))));
  }

  back() {
    this.emit('subject-back', { id: this.subjectId });
  }

  backButton() {
    return h('button', { type: 'button', id: 'subject-back', onclick: () => this.back() }, t('subject.back'));
  }

  render() {
    if (this.erased) {
      this.renderErased();
      return;
    }
    if (!this.data) {
      replace(this,
        h('div', { class: 'page-title' },
          h('h1', { tabindex: '-1' }, this.loadFailed ? t('subjects.title') : t('subject.loading')),
          this.backButton()),
        this.error);
      return;
    }
    const { subject } = this.data;
    replace(this,
      h('div', { class: 'page-title' },
        h('h1', { tabindex: '-1' }, text(subject.name)),
        this.backButton()),
      h('dl', { class: 'facts' },
        h('dt', {}, t('subject.email')), h('dd', {}, text(subject.email)),
        h('dt', {}, t('subject.phone')), h('dd', {}, text(subject.phone))),
      subject.restricted || subject.marketing_objection
        ? h('div', { class: 'badges subject-badges' },
            subject.restricted ? h('span', { class: 'badge warning' }, t('subject.restricted')) : null,
            subject.marketing_objection ? h('span', { class: 'badge' }, t('subject.marketing_objection')) : null)
        : null,
      h('div', { class: 'actions subject-actions' },
        h('button', {
          type: 'button', id: 'rectify-button', disabled: this.readOnly,
          'aria-expanded': String(this.panel === 'rectify'), onclick: () => this.openPanel('rectify'),
        }, t('subject.rectify')),
        h('button', {
          type: 'button', id: 'hold-button', disabled: this.readOnly,
          'aria-expanded': String(this.panel === 'hold'), onclick: () => this.openPanel('hold'),
        }, t('holds.person_add')),
        h('button', {
          type: 'button', id: 'merge-button', disabled: this.readOnly,
          'aria-expanded': String(this.panel === 'merge'), onclick: () => this.openPanel('merge'),
        }, t('merge.button')),
        h('button', {
          type: 'button', id: 'erase-button', class: 'danger', disabled: this.readOnly,
          'aria-expanded': String(this.panel === 'erase'), onclick: () => this.openPanel('erase'),
        }, t('subject.erase'))),
      this.pendingErasure(),
      this.error,
      this.saved,
      this.panel === 'rectify' ? this.rectifyPanel() : null,
      this.panel === 'erase' ? this.erasePanel() : null,
      this.panel === 'hold' ? this.holdPanel() : null,
      this.panel === 'merge' ? this.mergePanel() : null,
      this.recordsSection(),
      this.rightsSection(),
      this.art19Section(),
      this.requestsSection(),
      this.exportSection(),
      this.consentsSection(),
      this.historySection(),
    );
  }

  // ---- Correct details ----

  openPanel(panel) {
    showMessage(this.error, '');
    showMessage(this.saved, '');
    this.panel = this.panel === panel ? null : panel;
    const { subject } = this.data;
    if (this.panel === 'rectify') {
      this.rectify = {
        name: h('input', { id: 'rectify-name', type: 'text', autocomplete: 'off', required: true, value: subject.name ?? '' }),
        email: h('input', { id: 'rectify-email', type: 'text', inputmode: 'email', autocomplete: 'off', value: subject.email ?? '' }),
        phone: h('input', { id: 'rectify-phone', type: 'text', inputmode: 'tel', autocomplete: 'off', value: subject.phone ?? '' }),
        reason: h('input', { id: 'rectify-reason', type: 'text', autocomplete: 'off', required: true }),
        errors: Object.fromEntries(SUBJECT_FIELDS.map((name) => [name, messageArea(`rectify-${name}-error`)])),
        error: messageArea('rectify-error'),
      };
    }
    if (this.panel === 'erase') {
      this.erase = {
        reason: h('input', { id: 'erase-reason', type: 'text', autocomplete: 'off', required: true }),
        error: messageArea('erase-error'),
      };
    }
    if (this.panel === 'hold') {
      this.hold = {
        reason: h('input', { id: 'hold-person-reason', type: 'text', autocomplete: 'off', required: true }),
        until: h('input', { id: 'hold-person-until', type: 'date' }),
        error: messageArea('hold-person-error'),
      };
    }
    this.merge = null;
    this.rerender();
    const first = { rectify: 'rectify-name', erase: 'erase-reason', hold: 'hold-person-reason', merge: 'merge-search' }[this.panel]
      ?? `${panel}-button`;
    document.getElementById(first)?.focus();
  }

  closePanel() {
    const button = `${this.panel}-button`;
    this.panel = null;
    this.rerender();
    document.getElementById(button)?.focus();
  }

  // ---- Two records of one person (<subject-merge>) ----

  mergePanel() {
    if (!this.merge) {
      this.merge = document.createElement('subject-merge');
      this.merge.subject = this.data.subject;
      this.merge.addEventListener('subject-merged', (event) => this.merged(event.detail));
      this.merge.addEventListener('merge-cancel', () => this.closePanel());
    }
    return this.merge;
  }

  /** After a merge: the kept person's page (this one, or the other record's). */
  async merged({ page, receipt }) {
    this.panel = null;
    this.merge = null;
    this.data = page;
    this.subjectId = page.subject.id;
    const requests = await this.run(() => ipc.listRequests({ open_only: false, subject_id: this.subjectId }), {
      errorEl: this.error, progress: t('subject.loading'),
    });
    this.requests = requests.ok ? requests.value : [];
    this.rerender();
    showMessage(this.saved, t('merge.done', { count: receipt.moved.records }));
    this.querySelector('h1')?.focus();
  }

  // ---- Legal hold ----

  holdPanel() {
    const form = this.hold;
    return h('form', {
      class: 'form panel', id: 'hold-person-form', novalidate: true, 'aria-labelledby': 'hold-person-title',
      onsubmit: (event) => { event.preventDefault(); this.placeHold(); },
    },
    h('h2', { id: 'hold-person-title' }, t('holds.person_title')),
    h('p', { class: 'muted' }, t('holds.person_intro')),
    field(t('holds.reason'), form.reason, { hint: t('holds.reason_hint') }),
    field(t('holds.until'), form.until, { hint: t('holds.until_hint') }),
    form.error,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'hold-person-save', class: 'primary' }, t('holds.add')),
      h('button', { type: 'button', onclick: () => this.closePanel() }, t('common.cancel'))));
  }

  async placeHold() {
    const form = this.hold;
    const result = await this.run(() => ipc.addLegalHold({
      subject_id: this.subjectId,
      activity_id: null,
      reason: form.reason.value.trim(),
      until: form.until.value || null,
    }), { errorEl: form.error, progress: t('holds.saving') });
    if (!result.ok) return;
    this.panel = null;
    await this.load();
    showMessage(this.saved, t('holds.added'));
  }

  rectifyPanel() {
    const form = this.rectify;
    const labelled = (name, label, hint = '') =>
      append(field(label, form[name], { hint, errorId: `rectify-${name}-error` }), [form.errors[name]]);
    return h('form', {
      class: 'form panel', id: 'rectify-form', novalidate: true, 'aria-labelledby': 'rectify-title',
      onsubmit: (event) => { event.preventDefault(); this.saveSubject(); },
    },
    h('h2', { id: 'rectify-title' }, t('subject.rectify_title')),
    labelled('name', t('subject.name')),
    labelled('email', t('subject.email')),
    labelled('phone', t('subject.phone')),
    labelled('reason', t('subject.reason'), t('subject.reason_hint')),
    form.error,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'rectify-save', class: 'primary' }, t('subject.rectify_save')),
      h('button', { type: 'button', onclick: () => this.closePanel() }, t('common.cancel'))));
  }

  async saveSubject() {
    const form = this.rectify;
    for (const name of SUBJECT_FIELDS) {
      showMessage(form.errors[name], '');
      markInvalid(form[name], false);
    }
    const values = {
      name: form.name.value.trim(), email: form.email.value.trim(), phone: form.phone.value.trim(), reason: form.reason.value.trim(),
    };
    const problem = !values.name ? ['name', t('subject.name_required')] : !values.reason ? ['reason', t('subject.reason_required')] : null;
    if (problem) {
      this.showFieldError(problem[0], problem[1]);
      return;
    }
    const result = await this.run(() => ipc.rectifySubject({ id: this.data.subject.id, ...values }), {
      errorEl: form.error, progress: t('subject.saving'),
    });
    if (!result.ok) {
      const { error } = result;
      const name = error?.details?.field;
      if (error?.kind === 'input.invalid' && SUBJECT_FIELDS.includes(name)) {
        showMessage(form.error, '');
        this.showFieldError(name, errorMessage(error));
      }
      return;
    }
    this.data = result.value;
    this.panel = null;
    this.rectify = null;
    this.rerender();
    showMessage(this.saved, t('subject.saved'));
    document.getElementById('rectify-button')?.focus();
  }

  showFieldError(name, message) {
    const form = this.rectify;
    showMessage(form.errors[name], message);
    markInvalid(form[name], true);
    form[name].focus();
  }

  // ---- Rights: consents, restriction, retention dates (<subject-rights>) ----

  rightsSection() {
    if (!this.rights) {
      this.rights = document.createElement('subject-rights');
      this.rights.addEventListener('rights-changed', (event) => {
        this.data = event.detail;
        this.rerender();
      });
    }
    this.rights.status = this.status;
    this.rights.data = this.data;
    return this.rights;
  }

  // ---- Art. 19: the recipients to tell of a change (<art19-tasks>) ----

  art19Section() {
    const tasks = this.data.notifications ?? [];
    if (!tasks.length) return null;
    this.art19 ??= document.createElement('art19-tasks');
    // A new page from the backend brings new tasks; a task closed here is kept.
    if (this.art19.source !== tasks) {
      this.art19.source = tasks;
      this.art19.tasks = tasks.slice();
    }
    return this.art19;
  }

  // ---- Erase ----

  /** An erasure under way: what the law or a hold keeps, and when it may go. */
  pendingErasure() {
    const p = this.data.pending_erasure;
    if (!p) return null;
    return h('section', { class: 'panel warning-zone', id: 'pending-erasure', 'aria-labelledby': 'pending-erasure-title' },
      h('h2', { id: 'pending-erasure-title' }, t('erasure.pending_title')),
      h('p', {}, t('erasure.pending_text', { date: formatDateTime(p.erased_at) })),
      keptList(p.kept, 'pending-kept'),
      p.free > 0 || !p.kept.length
        ? h('p', { class: 'attention' }, t('erasure.pending_ready'))
        : p.next_on ? h('p', { class: 'hint' }, t('erasure.pending_next', { date: formatDate(p.next_on) })) : null);
  }

  erasePanel() {
    const { subject, records, consents } = this.data;
    const { reason, error } = this.erase;
    return h('form', {
      class: 'form panel danger-zone', id: 'erase-panel', novalidate: true, 'aria-labelledby': 'erase-title',
      onsubmit: (event) => { event.preventDefault(); this.confirmErase(); },
    },
    h('h2', { id: 'erase-title' }, t('subject.erase_title')),
    h('p', {}, t('subject.erase_confirm_text', {
      name: text(subject.name),
      records: t('subject.erase_records', { count: records.length }),
      consents: t('subject.erase_consents', { count: consents.length }),
    })),
    append(field(t('subject.reason'), reason, { hint: t('subject.reason_hint'), errorId: 'erase-error' }), [error]),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'erase-confirm', class: 'danger' }, t('subject.erase_confirm')),
      h('button', { type: 'button', onclick: () => this.closePanel() }, t('common.cancel'))));
  }

  async confirmErase() {
    const { reason, error } = this.erase;
    const why = reason.value.trim();
    markInvalid(reason, !why);
    if (!why) {
      showMessage(error, t('subject.reason_required'));
      reason.focus();
      return;
    }
    const name = this.data.subject.name;
    const result = await this.run(() => ipc.eraseSubject({ id: this.data.subject.id, reason: why }), {
      errorEl: error, progress: t('subject.erasing'),
    });
    if (!result.ok) return;
    this.erased = { name, summary: result.value };
    this.data = null;
    this.panel = null;
    this.erase = null;
    this.rerender();
    this.querySelector('h1')?.focus();
  }

  renderErased() {
    const { name, summary } = this.erased;
    const perActivity = summary.per_activity ?? [];
    const notify = summary.notify ?? [];
    const kept = summary.kept ?? [];
    replace(this,
      h('section', { id: 'erase-result', class: 'panel', 'aria-labelledby': 'erase-result-title' },
        h('h1', { id: 'erase-result-title', tabindex: '-1' }, t(kept.length ? 'erasure.partial_title' : 'subject.erased_title')),
        h('p', {}, t(kept.length ? 'erasure.partial_text' : 'subject.erased_text', {
          name: text(name),
          records: t('subject.erase_records', { count: summary.records ?? 0 }),
          consents: t('subject.erase_consents', { count: summary.consent_events ?? 0 }),
        })),
        perActivity.length
          ? [h('p', {}, t('subject.erased_per_activity')),
              h('ul', { class: 'erased-activities' }, perActivity.map(([id, activity, count]) =>
                h('li', { 'data-activity-id': id }, t('subject.erased_activity', { name: text(activity), count }))))]
          : null,
        notify.length
          ? [h('p', { class: 'notify' }, t('subject.notify')), h('ul', { class: 'notify-list' }, notify.map((who) => h('li', {}, who)))]
          : null,
        keptList(kept, 'erase-kept'),
        h('div', { class: 'actions' },
          kept.length
            ? h('button', { type: 'button', id: 'subject-reopen', onclick: () => { this.erased = null; this.load(); } }, t('subject.reopen'))
            : null,
          this.backButton())),
    );
  }

  // ---- Records ----

  recordsSection() {
    const { records, activities } = this.data;
    const names = new Map(activities.map((a) => [a.id, a.name]));
    const groups = new Map(activities.map((a) => [a.id, []]));
    for (const record of records) {
      if (!groups.has(record.activity_id)) groups.set(record.activity_id, []);
      groups.get(record.activity_id).push(record);
    }
    const sections = [...groups].filter(([, list]) => list.length).map(([activityId, list]) =>
      h('section', { class: 'activity-records', 'data-activity-id': activityId },
        h('h3', {}, names.has(activityId) ? text(names.get(activityId)) : t('subject.unknown_activity')),
        h('div', { class: 'table-wrap' },
          h('table', { class: 'records' },
            h('thead', {}, h('tr', {},
              h('th', { scope: 'col' }, t('subject.col_category')),
              h('th', { scope: 'col' }, t('subject.col_value')),
              h('th', { scope: 'col' }, t('subject.col_source')),
              h('th', { scope: 'col' }, t('subject.col_collected')),
              h('th', { scope: 'col' }, t('subject.col_actions')))),
            h('tbody', {}, list.map((record) => this.recordRows(record)))))));
    return h('section', { 'aria-labelledby': 'records-title' },
      h('h2', { id: 'records-title', tabindex: '-1' }, t('subject.records_title')),
      sections.length ? sections : h('p', { class: 'muted' }, t('subject.no_records')));
  }

  recordRows(record) {
    const open = this.recordForm?.id === record.id ? this.recordForm : null;
    const category = text(record.category);
    return [
      h('tr', { 'data-record-id': record.id },
        h('th', { scope: 'row' }, category),
        h('td', {}, text(record.value)),
        h('td', {}, text(record.source)),
        h('td', { class: 'nowrap' }, record.collected_on ? formatDate(record.collected_on) : DASH),
        h('td', { class: 'nowrap' }, h('div', { class: 'row-actions' },
          h('button', {
            type: 'button', class: 'small record-rectify', disabled: this.readOnly,
            'aria-label': t('subject.record_rectify_label', { category }),
            'aria-expanded': String(open?.kind === 'rectify'),
            onclick: () => this.openRecordForm(record, 'rectify'),
          }, t('subject.record_rectify')),
          h('button', {
            type: 'button', class: 'small record-delete', disabled: this.readOnly,
            'aria-label': t('subject.record_delete_label', { category }),
            'aria-expanded': String(open?.kind === 'delete'),
            onclick: () => this.openRecordForm(record, 'delete'),
          }, t('subject.record_delete')))),
      ),
      open ? h('tr', { class: 'record-form' }, h('td', { colspan: '5' }, this.recordFormContent(record, open))) : null,
    ];
  }

  openRecordForm(record, kind) {
    showMessage(this.saved, '');
    if (this.recordForm?.id === record.id && this.recordForm.kind === kind) {
      this.closeRecordForm();
      return;
    }
    this.recordForm = kind === 'rectify'
      ? {
          id: record.id, kind,
          value: h('input', { id: 'record-value', type: 'text', autocomplete: 'off', required: true, value: record.value ?? '' }),
          reason: h('input', { id: 'record-reason', type: 'text', autocomplete: 'off', required: true }),
          error: messageArea('record-error'),
        }
      : {
          id: record.id, kind,
          reason: h('input', { id: 'record-delete-reason', type: 'text', autocomplete: 'off', required: true }),
          error: messageArea('record-error'),
        };
    this.rerender();
    (kind === 'rectify' ? this.recordForm.value : this.recordForm.reason).focus();
  }

  closeRecordForm() {
    const id = this.recordForm?.id;
    const kind = this.recordForm?.kind;
    this.recordForm = null;
    this.rerender();
    this.querySelector(`tr[data-record-id="${CSS.escape(String(id))}"] .record-${kind === 'delete' ? 'delete' : 'rectify'}`)?.focus();
  }

  recordFormContent(record, form) {
    const cancel = h('button', { type: 'button', onclick: () => this.closeRecordForm() }, t('common.cancel'));
    const submit = (event) => { event.preventDefault(); this.saveRecord(); };
    if (form.kind === 'rectify') {
      return h('form', { class: 'form inline-form', novalidate: true, onsubmit: submit },
        field(t('subject.new_value'), form.value, { errorId: 'record-error' }),
        field(t('subject.reason'), form.reason, { hint: t('subject.reason_hint'), errorId: 'record-error' }),
        form.error,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', id: 'record-save', class: 'primary' }, t('common.save')),
          cancel));
    }
    return h('form', { class: 'form inline-form', novalidate: true, onsubmit: submit },
      h('p', {}, t('subject.record_delete_title', { category: text(record.category) })),
      field(t('subject.reason'), form.reason, { hint: t('subject.reason_hint'), errorId: 'record-error' }),
      form.error,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'record-delete-confirm', class: 'danger' }, t('subject.record_delete_confirm')),
        cancel));
  }

  async saveRecord() {
    const form = this.recordForm;
    const value = form.value?.value.trim();
    const reason = form.reason.value.trim();
    if (form.value) markInvalid(form.value, !value);
    markInvalid(form.reason, !reason);
    if (form.kind === 'rectify' && !value) {
      showMessage(form.error, t('subject.value_required'));
      form.value.focus();
      return;
    }
    if (!reason) {
      showMessage(form.error, t('subject.reason_required'));
      form.reason.focus();
      return;
    }
    const result = await this.run(
      () => (form.kind === 'rectify'
        ? ipc.rectifyRecord({ id: form.id, value, reason })
        : ipc.deleteRecord({ id: form.id, reason })),
      { errorEl: form.error, progress: t('subject.saving') },
    );
    if (!result.ok) return;
    this.data = result.value;
    this.recordForm = null;
    this.rerender();
    showMessage(this.saved, t('subject.saved'));
    const row = this.querySelector(`tr[data-record-id="${CSS.escape(String(form.id))}"] .record-rectify`);
    (row ?? this.querySelector('#records-title'))?.focus();
  }

  // ---- Consents and history ----

  consentsSection() {
    const { consents } = this.data;
    return h('section', { 'aria-labelledby': 'consents-title' },
      h('h2', { id: 'consents-title' }, t('subject.consents_title')),
      consents.length
        ? h('div', { class: 'table-wrap' },
            h('table', { class: 'consents' },
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, t('subject.col_kind')),
                h('th', { scope: 'col' }, t('subject.col_purpose')),
                h('th', { scope: 'col' }, t('subject.col_method')),
                h('th', { scope: 'col' }, t('subject.col_date')))),
              h('tbody', {}, consents.map((c) => h('tr', { 'data-consent-id': c.id },
                h('td', {}, translated('consent_kind', c.kind)),
                h('td', {}, text(c.purpose)),
                h('td', {}, text(c.method)),
                h('td', { class: 'nowrap' }, c.at ? formatDate(c.at) : DASH))))))
        : h('p', { class: 'muted' }, t('subject.no_consents')));
  }

  historySection() {
    const { history } = this.data;
    return h('section', { 'aria-labelledby': 'history-title' },
      h('h2', { id: 'history-title' }, t('subject.history_title')),
      history.length
        ? h('div', { class: 'table-wrap' },
            h('table', { class: 'history' },
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, t('subject.col_when')),
                h('th', { scope: 'col' }, t('subject.col_action')),
                h('th', { scope: 'col' }, t('subject.col_actor')),
                h('th', { scope: 'col' }, t('subject.col_fields')),
                h('th', { scope: 'col' }, t('subject.col_reason')))),
              h('tbody', {}, history.map((e) => h('tr', { 'data-seq': e.seq },
                h('td', { class: 'nowrap' }, formatDateTime(e.at)),
                h('td', {}, translated('audit_actions', e.action)),
                h('td', {}, text(e.actor)),
                h('td', {}, (e.fields ?? []).length ? e.fields.join(', ') : DASH),
                h('td', {}, text(e.reason)))))))
        : h('p', { class: 'muted' }, t('subject.no_history')));
  }
}

customElements.define('subject-page', SubjectPage);
