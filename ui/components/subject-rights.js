// <subject-rights>: on a person's page, below the records, three things the person's
// rights turn on:
// - consent and objection: records a consent given, a consent withdrawn (or an
//   unsubscription) or an objection (Art. 21) for one of the person's activities;
// - restriction of processing (Art. 18): restricts, lifts a restriction once the
//   person has been told (Art. 18(3)), and decides the Art. 21(1) objections waiting
//   for the manager (continue on compelling legitimate grounds, or stop);
// - retention dates: the day of an event a retention rule counts from (end of the
//   relationship, last contact …), previewed against the person's records before it
//   is saved, and cleared again.
// Set `data` (the page's SubjectDetails) and `status` (read_only disables every
// button); assigning either re-renders. After every change it shows the refreshed
// details and emits "rights-changed" with detail = the SubjectDetails the backend
// returned. Keep one instance across the page's renders: the form values and the
// last message live in it.

import { AppElement, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { append, h, replace } from '../lib/dom.js';
import { formatDate, has, localDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const KINDS = ['consent_given', 'consent_withdrawn', 'objection'];

const translated = (prefix, key) => (has(`${prefix}.${key}`) ? t(`${prefix}.${key}`) : String(key ?? ''));
const triggerLabel = (trigger) => translated('retention_trigger', trigger);
const kindLabel = (kind) => (kind === 'consent_withdrawn' ? t('rights.kind_withdrawn') : translated('consent_kind', kind));

/** Put a select's options back, keeping the chosen value when it is still there. */
function fillSelect(select, options) {
  const previous = select.value;
  const keep = options.some((o) => String(o.value) === previous);
  replace(select, options.map((o) => h('option', { value: String(o.value), selected: keep && String(o.value) === previous }, o.label)));
  if (keep) select.value = previous;
}

class SubjectRights extends AppElement {
  #data = null;
  #status = null;
  doneIn = 'consent'; // the section the shared success message is shown in

  done = messageArea('rights-done', 'success');

  consent = {
    activity: h('select', { id: 'consent-activity', onchange: () => this.consentActivityChanged() }),
    purpose: h('input', { id: 'consent-purpose', type: 'text', autocomplete: 'off', required: true }),
    kind: h('select', { id: 'consent-kind', onchange: () => this.updateConsentHint() }),
    hint: h('p', { class: 'hint', id: 'consent-kind-hint' }),
    method: h('input', { id: 'consent-method', type: 'text', autocomplete: 'off' }),
    date: h('input', { id: 'consent-date', type: 'date' }),
    error: messageArea('consent-error'),
    purposeFor: null, // the activity whose first purpose was put in `purpose`
  };

  restrict = {
    reason: h('input', { id: 'restrict-reason', type: 'text', autocomplete: 'off', required: true }),
    error: messageArea('restrict-error'),
  };

  lift = {
    reason: h('input', { id: 'lift-reason', type: 'text', autocomplete: 'off', required: true }),
    toldOn: h('input', { id: 'lift-told-on', type: 'date', required: true }),
    error: messageArea('lift-error'),
  };

  objections = new Map(); // activity id → {reason, error}

  retention = {
    activity: h('select', { id: 'retention-activity', onchange: () => this.retentionActivityChanged() }),
    trigger: h('select', { id: 'retention-trigger', onchange: () => this.retentionInputChanged() }),
    on: h('input', {
      id: 'retention-on', type: 'date', required: true,
      oninput: () => this.retentionInputChanged(), onchange: () => this.retentionInputChanged(),
    }),
    current: h('p', { class: 'hint', id: 'retention-current' }),
    previewBox: h('div', { class: 'retention-preview', id: 'retention-preview', hidden: true }),
    save: h('button', { type: 'button', id: 'retention-save', class: 'primary', disabled: true, onclick: () => this.saveRetention() }),
    error: messageArea('retention-error'),
    preview: null, // {activity_id, trigger, on, items} after a preview of the current inputs
  };

  constructor() {
    super();
    this.done.setAttribute('role', 'status');
    this.consent.kind.setAttribute('aria-describedby', 'consent-kind-hint consent-error');
    this.retention.save.setAttribute('aria-describedby', 'retention-save-hint');
  }

  /** The page's SubjectDetails; assigning it re-renders. */
  get data() {
    return this.#data;
  }

  set data(value) {
    this.#data = value ?? null;
    this.rerender();
  }

  /** The app's Status; read_only disables every button. Assigning it re-renders. */
  get status() {
    return this.#status;
  }

  set status(value) {
    this.#status = value ?? null;
    this.rerender();
  }

  get readOnly() {
    return Boolean(this.#status?.read_only);
  }

  // ---- What the details say ----

  activityName(id) {
    const found = (this.#data?.activities ?? []).find((a) => a.id === id);
    return found ? found.name : t('rights.activity_unknown', { id });
  }

  rule(id) {
    return (this.#data?.activity_rules ?? []).find((r) => r.activity_id === id) ?? null;
  }

  /** The activities a consent or objection can be recorded for. */
  consentActivities() {
    const rules = this.#data?.activity_rules ?? [];
    if (rules.length) return rules.map((r) => ({ value: r.activity_id, label: this.activityName(r.activity_id) }));
    return (this.#data?.activities ?? []).map((a) => ({ value: a.id, label: a.name }));
  }

  /** The activities with a retention trigger that is a recorded event, with those triggers. */
  retentionRules() {
    return (this.#data?.activity_rules ?? [])
      .map((r) => ({ ...r, triggers: r.triggers ?? [] }))
      .filter((r) => r.triggers.length);
  }

  // ---- Render ----

  render() {
    if (!this.#data) {
      replace(this);
      return;
    }
    replace(this, this.consentSection(), this.restrictionSection(), this.retentionSection());
  }

  sectionDone(section) {
    return this.doneIn === section ? this.done : null;
  }

  button(attrs, label) {
    return h('button', { type: 'button', ...attrs, disabled: this.readOnly || Boolean(attrs.disabled) }, label);
  }

  // ---- Section 1: consent and objection ----

  consentSection() {
    const c = this.consent;
    const activities = this.consentActivities();
    fillSelect(c.activity, activities);
    fillSelect(c.kind, KINDS.map((kind) => ({ value: kind, label: kindLabel(kind) })));
    if (c.purposeFor !== c.activity.value) this.prefillPurpose();
    this.updateConsentHint();
    c.date.setAttribute('max', localDate());
    return h('section', { class: 'panel', id: 'rights-consent', 'aria-labelledby': 'rights-consent-title' },
      h('h2', { id: 'rights-consent-title', tabindex: '-1' }, t('rights.consent_title')),
      h('p', { class: 'muted' }, t('rights.consent_intro')),
      this.sectionDone('consent'),
      activities.length
        ? h('form', {
            class: 'form', id: 'consent-form', novalidate: true,
            onsubmit: (event) => { event.preventDefault(); this.saveConsent(); },
          },
          field(t('subject.col_activity'), c.activity),
          field(t('subject.col_purpose'), c.purpose, { hint: t('rights.purpose_hint'), errorId: 'consent-error' }),
          append(field(t('subject.col_kind'), c.kind), [c.hint]),
          field(t('subject.col_method'), c.method, { hint: t('rights.method_hint') }),
          field(t('subject.col_date'), c.date, { hint: t('rights.date_hint'), errorId: 'consent-error' }),
          c.error,
          h('div', { class: 'actions' },
            h('button', { type: 'submit', id: 'consent-save', class: 'primary', disabled: this.readOnly }, t('rights.consent_save'))))
        : h('p', { class: 'muted', id: 'consent-none' }, t('rights.no_activities')));
  }

  prefillPurpose() {
    const c = this.consent;
    const id = c.activity.value;
    c.purpose.value = id ? (this.rule(Number(id))?.purposes?.[0] ?? '') : '';
    c.purposeFor = id;
    markInvalid(c.purpose, false);
  }

  consentActivityChanged() {
    this.prefillPurpose();
    this.updateConsentHint();
  }

  updateConsentHint() {
    const c = this.consent;
    const kind = c.kind.value;
    const marketing = Boolean(this.rule(Number(c.activity.value))?.direct_marketing);
    const key = kind === 'consent_withdrawn'
      ? 'rights.hint_withdrawn'
      : kind === 'objection'
        ? (marketing ? 'rights.hint_objection_marketing' : 'rights.hint_objection_other')
        : 'rights.hint_given';
    showMessage(c.hint, t(key));
  }

  async saveConsent() {
    if (this.readOnly) return;
    const c = this.consent;
    showMessage(this.done, '');
    showMessage(c.error, '');
    const purpose = c.purpose.value.trim();
    const date = c.date.value;
    markInvalid(c.purpose, !purpose);
    markInvalid(c.date, Boolean(date) && date > localDate());
    if (!purpose) {
      showMessage(c.error, t('rights.purpose_required'));
      c.purpose.focus();
      return;
    }
    if (date && date > localDate()) {
      showMessage(c.error, t('rights.date_future'));
      c.date.focus();
      return;
    }
    const event = {
      activity_id: Number(c.activity.value),
      purpose,
      kind: c.kind.value,
      method: c.method.value.trim(),
      at: date ? `${date}T12:00:00Z` : null,
    };
    const result = await this.run(() => ipc.addConsentEvent({ subject_id: this.#data.subject.id, event }), {
      errorEl: c.error, progress: t('subject.saving'),
    });
    if (!result.ok) return;
    c.method.value = '';
    c.date.value = '';
    this.changed(result.value, 'consent', 'rights.recorded', 'consent-save');
  }

  // ---- Section 2: restriction of processing (Art. 18) ----

  restrictionSection() {
    const { subject } = this.#data;
    return h('section', { class: 'panel', id: 'rights-restriction', 'aria-labelledby': 'rights-restriction-title' },
      h('h2', { id: 'rights-restriction-title', tabindex: '-1' }, t('rights.restriction_title')),
      this.sectionDone('restriction'),
      subject.restricted ? this.liftForm() : this.restrictForm(),
      this.objectionForms());
  }

  restrictForm() {
    const r = this.restrict;
    return h('form', {
      class: 'form', id: 'restrict-form', novalidate: true,
      onsubmit: (event) => { event.preventDefault(); this.saveRestriction(); },
    },
    h('p', { class: 'muted' }, t('rights.restriction_intro')),
    field(t('subject.reason'), r.reason, { hint: t('rights.restrict_reason_hint'), errorId: 'restrict-error' }),
    r.error,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'restrict-save', disabled: this.readOnly }, t('rights.restrict_save'))));
  }

  liftForm() {
    const l = this.lift;
    l.toldOn.setAttribute('max', localDate());
    return h('form', {
      class: 'form', id: 'lift-form', novalidate: true,
      onsubmit: (event) => { event.preventDefault(); this.liftRestriction(); },
    },
    h('p', { class: 'badges' }, h('span', { class: 'badge warning' }, t('subject.restricted'))),
    h('p', { id: 'restricted-text' }, t('rights.restricted_text')),
    h('h3', {}, t('rights.lift_title')),
    field(t('subject.reason'), l.reason, { hint: t('rights.lift_reason_hint'), errorId: 'lift-error' }),
    field(t('rights.lift_told_on'), l.toldOn, { hint: t('rights.lift_told_on_hint'), errorId: 'lift-error' }),
    l.error,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'lift-save', disabled: this.readOnly }, t('rights.lift_save'))));
  }

  async saveRestriction() {
    if (this.readOnly) return;
    const r = this.restrict;
    showMessage(this.done, '');
    const reason = r.reason.value.trim();
    markInvalid(r.reason, !reason);
    if (!reason) {
      showMessage(r.error, t('subject.reason_required'));
      r.reason.focus();
      return;
    }
    const result = await this.run(() => ipc.restrictSubject({ id: this.#data.subject.id, reason }), {
      errorEl: r.error, progress: t('subject.saving'),
    });
    if (!result.ok) return;
    r.reason.value = '';
    this.changed(result.value, 'restriction', 'rights.restricted_done', 'rights-restriction-title');
  }

  async liftRestriction() {
    if (this.readOnly) return;
    const l = this.lift;
    showMessage(this.done, '');
    const reason = l.reason.value.trim();
    const toldOn = l.toldOn.value;
    const future = Boolean(toldOn) && toldOn > localDate();
    markInvalid(l.reason, !reason);
    markInvalid(l.toldOn, !toldOn || future);
    const problem = !reason
      ? [l.reason, t('subject.reason_required')]
      : !toldOn ? [l.toldOn, t('rights.told_required')]
        : future ? [l.toldOn, t('rights.told_future')] : null;
    if (problem) {
      showMessage(l.error, problem[1]);
      problem[0].focus();
      return;
    }
    const result = await this.run(() => ipc.liftRestriction({ id: this.#data.subject.id, reason, told_on: toldOn }), {
      errorEl: l.error, progress: t('subject.saving'),
    });
    if (!result.ok) return;
    l.reason.value = '';
    l.toldOn.value = '';
    this.changed(result.value, 'restriction', 'rights.lifted_done', 'rights-restriction-title');
  }

  objectionForms() {
    const pending = this.#data.objections_pending ?? [];
    const ids = new Set(pending.map((o) => o.activity_id));
    for (const id of [...this.objections.keys()]) if (!ids.has(id)) this.objections.delete(id);
    if (!pending.length) return null;
    return h('div', { class: 'objections', id: 'objections-pending' },
      h('h3', {}, t('rights.objections_title', { count: pending.length })),
      h('p', { class: 'muted' }, t('rights.objections_intro')),
      pending.map((o) => this.objectionForm(o)));
  }

  objectionForm(objection) {
    const id = objection.activity_id;
    if (!this.objections.has(id)) {
      this.objections.set(id, {
        reason: h('input', { id: `objection-reason-${id}`, class: 'objection-reason', type: 'text', autocomplete: 'off', required: true }),
        error: messageArea(`objection-error-${id}`),
      });
    }
    const form = this.objections.get(id);
    const name = objection.activity ?? this.activityName(id);
    return h('div', {
      class: 'form group objection', role: 'group', 'data-objection-activity': id, 'aria-labelledby': `objection-title-${id}`,
    },
    h('h4', { id: `objection-title-${id}` }, t('rights.objection_on', { activity: name })),
    field(t('rights.objection_reason'), form.reason, { hint: t('rights.objection_reason_hint'), errorId: `objection-error-${id}` }),
    form.error,
    h('div', { class: 'actions' },
      this.button({ class: 'objection-continue', onclick: () => this.decide(objection, 'continue') }, t('rights.objection_continue')),
      this.button({ class: 'objection-stop danger', onclick: () => this.decide(objection, 'stop') }, t('rights.objection_stop'))));
  }

  async decide(objection, decision) {
    if (this.readOnly) return;
    const form = this.objections.get(objection.activity_id);
    if (!form) return;
    showMessage(this.done, '');
    const reason = form.reason.value.trim();
    markInvalid(form.reason, !reason);
    if (!reason) {
      showMessage(form.error, t('rights.objection_reason_required'));
      form.reason.focus();
      return;
    }
    const result = await this.run(() => ipc.decideObjection({
      id: this.#data.subject.id, activity_id: objection.activity_id, decision, reason,
    }), { errorEl: form.error, progress: t('subject.saving') });
    if (!result.ok) return;
    this.objections.delete(objection.activity_id);
    this.changed(result.value, 'restriction',
      decision === 'stop' ? 'rights.objection_stopped' : 'rights.objection_continued', 'rights-restriction-title');
  }

  // ---- Section 3: retention dates ----

  retentionSection() {
    const dates = this.#data.retention_dates ?? [];
    const rules = this.retentionRules();
    return h('section', { class: 'panel', id: 'rights-retention', 'aria-labelledby': 'rights-retention-title' },
      h('h2', { id: 'rights-retention-title', tabindex: '-1' }, t('rights.retention_title')),
      h('p', { class: 'muted' }, t('rights.retention_intro')),
      this.sectionDone('retention'),
      dates.length
        ? h('div', { class: 'table-wrap' },
            h('table', { class: 'retention-dates', id: 'retention-dates' },
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, t('subject.col_activity')),
                h('th', { scope: 'col' }, t('rights.col_trigger')),
                h('th', { scope: 'col' }, t('subject.col_date')),
                h('th', { scope: 'col' }, t('subject.col_actions')))),
              h('tbody', {}, dates.map((d) => this.retentionRow(d)))))
        : h('p', { class: 'muted', id: 'retention-none' }, t('rights.retention_none')),
      rules.length ? this.retentionForm(rules) : h('p', { class: 'muted', id: 'retention-no-triggers' }, t('rights.retention_no_triggers')),
      // Without the form the error of a "Clear" still needs a place.
      rules.length ? null : this.retention.error);
  }

  retentionRow(d) {
    const activity = this.activityName(d.activity_id);
    const trigger = triggerLabel(d.trigger);
    return h('tr', { 'data-activity-id': d.activity_id, 'data-trigger': d.trigger },
      h('th', { scope: 'row' }, activity),
      h('td', {}, trigger),
      h('td', { class: 'nowrap' }, formatDate(d.on)),
      h('td', {}, this.button({
        class: 'small retention-clear', 'aria-label': t('rights.clear_label', { trigger, activity }),
        onclick: () => this.clearRetention(d),
      }, t('rights.clear'))));
  }

  retentionForm(rules) {
    const r = this.retention;
    fillSelect(r.activity, rules.map((rule) => ({ value: rule.activity_id, label: this.activityName(rule.activity_id) })));
    this.fillTriggers();
    r.on.setAttribute('max', localDate());
    this.updateRetentionCurrent();
    this.showPreview();
    r.save.textContent = t('rights.retention_save');
    r.save.disabled = this.readOnly || !r.preview;
    const form = h('form', {
      class: 'form group', id: 'retention-form', novalidate: true,
      onsubmit: (event) => { event.preventDefault(); this.previewRetention(); },
    },
    h('h3', {}, t('rights.retention_form_title')),
    field(t('subject.col_activity'), r.activity),
    field(t('rights.col_trigger'), r.trigger),
    append(field(t('rights.retention_on'), r.on, { hint: t('rights.retention_on_hint') }), [r.current]),
    r.error,
    h('div', { class: 'actions' },
      h('button', { type: 'submit', id: 'retention-preview', disabled: this.readOnly }, t('rights.retention_preview'))),
    r.previewBox,
    h('div', { class: 'actions' }, r.save),
    h('p', { class: 'hint', id: 'retention-save-hint' }, t('rights.retention_save_hint')));
    r.on.setAttribute('aria-describedby', 'retention-on-hint retention-current retention-error'); // after field()
    return form;
  }

  fillTriggers() {
    const r = this.retention;
    const rule = this.retentionRules().find((x) => String(x.activity_id) === r.activity.value);
    fillSelect(r.trigger, (rule?.triggers ?? []).map((trigger) => ({ value: trigger, label: triggerLabel(trigger) })));
  }

  retentionActivityChanged() {
    this.fillTriggers();
    this.retentionInputChanged();
  }

  /** Any change to the three inputs: the preview no longer holds, so it goes and save waits for a new one. */
  retentionInputChanged() {
    const r = this.retention;
    r.preview = null;
    this.showPreview();
    r.save.disabled = true;
    markInvalid(r.on, false);
    this.updateRetentionCurrent();
  }

  /** The date already set for the chosen activity and trigger, if any. */
  updateRetentionCurrent() {
    const r = this.retention;
    const set = (this.#data?.retention_dates ?? []).find((d) =>
      String(d.activity_id) === r.activity.value && d.trigger === r.trigger.value);
    showMessage(r.current, set ? t('rights.retention_current', { date: formatDate(set.on) }) : '');
    r.current.hidden = !set;
  }

  showPreview() {
    const r = this.retention;
    const p = r.preview;
    r.previewBox.hidden = !p;
    if (!p) {
      replace(r.previewBox);
      return;
    }
    const today = localDate();
    replace(r.previewBox,
      h('p', {}, p.items.length ? t('rights.preview_intro', { count: p.items.length }) : t('rights.preview_none')),
      p.items.length
        ? h('ul', { class: 'plain-list', id: 'retention-preview-list' }, p.items.map((item) =>
            h('li', { 'data-record-id': item.record_id, class: item.due_on ? null : 'muted' },
              !item.due_on
                ? t('rights.preview_no_rule', { category: item.category })
                : t(item.due_on <= today ? 'rights.preview_due_past' : 'rights.preview_due', {
                    category: item.category, date: formatDate(item.due_on),
                  }))))
        : h('ul', { class: 'plain-list', id: 'retention-preview-list' }));
  }

  /** The three inputs, checked; null (with the problem shown) when they will not do. */
  retentionInputs() {
    const r = this.retention;
    showMessage(r.error, '');
    const on = r.on.value;
    const problem = !r.activity.value || !r.trigger.value
      ? [r.trigger, t('rights.retention_choose')]
      : !on ? [r.on, t('rights.retention_on_required')]
        : on > localDate() ? [r.on, t('rights.date_future')] : null;
    markInvalid(r.on, Boolean(problem) && problem[0] === r.on);
    if (problem) {
      showMessage(r.error, problem[1]);
      problem[0].focus();
      return null;
    }
    return { subject_id: this.#data.subject.id, activity_id: Number(r.activity.value), trigger: r.trigger.value, on };
  }

  async previewRetention() {
    if (this.readOnly) return;
    const r = this.retention;
    showMessage(this.done, '');
    const args = this.retentionInputs();
    if (!args) return;
    r.preview = null;
    this.showPreview();
    r.save.disabled = true; // before run(), which enables again only what it disabled
    const result = await this.run(() => ipc.previewRetentionDate(args), {
      errorEl: r.error, progress: t('rights.previewing'),
    });
    if (!result.ok) return;
    r.preview = { ...args, items: result.value ?? [] };
    this.showPreview();
    r.save.disabled = this.readOnly;
    if (!r.save.disabled) r.save.focus();
  }

  async saveRetention() {
    if (this.readOnly) return;
    const r = this.retention;
    const p = r.preview;
    if (!p) return;
    showMessage(this.done, '');
    showMessage(r.error, '');
    const { items, ...args } = p;
    const result = await this.run(() => ipc.setRetentionDate(args), {
      errorEl: r.error, progress: t('subject.saving'),
    });
    if (!result.ok) return;
    r.preview = null;
    r.on.value = '';
    this.changed(result.value, 'retention', 'rights.retention_saved', 'retention-activity');
  }

  async clearRetention(d) {
    if (this.readOnly) return;
    const r = this.retention;
    showMessage(this.done, '');
    showMessage(r.error, '');
    const result = await this.run(() => ipc.setRetentionDate({
      subject_id: this.#data.subject.id, activity_id: d.activity_id, trigger: d.trigger, on: null,
    }), { errorEl: r.error, progress: t('subject.saving') });
    if (!result.ok) return;
    r.preview = null;
    this.changed(result.value, 'retention', 'rights.cleared', 'rights-retention-title');
  }

  // ---- After a change ----

  /** Show the refreshed details, tell the page, say what was done where it was done, and put focus back. */
  changed(details, section, doneKey, focusId) {
    this.doneIn = section;
    this.data = details;
    this.emit('rights-changed', details);
    showMessage(this.done, t(doneKey));
    const target = document.getElementById(focusId);
    (target && this.contains(target) && !target.disabled ? target : this.querySelector(`#rights-${section}-title`))?.focus();
  }
}

customElements.define('subject-rights', SubjectRights);
