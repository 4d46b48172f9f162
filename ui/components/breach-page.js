// <breach-page>: one personal data breach ("avvik"), worked through in order: the
// facts (no personal data: the form says so), the people affected (chosen in the
// register by processing activity, data category and collection date, counted before
// the choice is saved), the assessment of the risk and the two decisions (notify
// Datatilsynet, Art. 33; tell the people, Art. 34), the notices sent, the text for
// Datatilsynet's form, the letters to the people, and closing it. The 72-hour clock
// is the core's. Set `breachId` before connecting, or leave it null to record a new
// breach. Emits "breach-back".

import { AppElement, checkboxField, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDateTime, formatList, formatNumber, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import {
  ART34_EXCEPTIONS, AUTHORITY_NOTICES, BREACH_KINDS, NOTICE_KINDS, RISK_LEVELS,
  breachName, clockBadge, fromLocalInput, nowLocalInput, reportedBy, toLocalInput,
} from '../lib/breaches.js';
import { ReportChoice } from '../lib/report-choice.js';

const DASH = '—';
const LANGUAGE_NAMES = Object.freeze({ en: 'English', nb: 'Norsk bokmål' });
/** The facts kept as times (UTC in the core, local time in the datetime-local inputs). */
const TIMES = Object.freeze(['occurred_from', 'occurred_to', 'discovered_at', 'aware_at', 'processor_told_at']);
const isClosed = (p) => p.status === 'closed';

const text = (id, attrs = {}) => h('input', { id, type: 'text', autocomplete: 'off', ...attrs });
const area = (id, rows = 3, attrs = {}) => h('textarea', { id, rows, ...attrs });
// Where datetime-local is not supported the input is a text field: the placeholder says how to write a time.
const when = (id) => h('input', { id, type: 'datetime-local', placeholder: 'YYYY-MM-DDTHH:MM' });

/** Fill `select` with `values` labelled by `label(value)`, keeping the choice. */
function options(select, values, label, fallback = values[0] ?? '') {
  const chosen = select.value;
  replace(select, values.map((v) => h('option', { value: v }, label(v))));
  select.value = values.includes(chosen) ? chosen : fallback;
  return select;
}

class BreachPage extends AppElement {
  status = null;
  breachId = null;
  page = null;
  loadedAt = 0;
  processors = []; // for a new breach, before there is a page
  factsOpen = false;
  counted = null; // {key, count}: the last count, for the selection it was made for
  chosenActivities = new Set();
  chosenCategories = new Set();
  lettersMade = null; // {path, letters} after the letters were saved
  noticeText = null;

  error = messageArea('breach-error');
  done = messageArea('breach-done', 'success');
  factsError = messageArea('breach-facts-error');
  factsDone = messageArea('breach-facts-done', 'success');
  affectedError = messageArea('breach-affected-error');
  affectedDone = messageArea('breach-affected-done', 'success');
  assessError = messageArea('breach-assess-error');
  assessDone = messageArea('breach-assess-done', 'success');
  noticeError = messageArea('breach-notice-error');
  noticeDone = messageArea('breach-notice-done', 'success');
  textError = messageArea('breach-text-error');
  textDone = messageArea('breach-text-copied', 'success');
  lettersError = messageArea('breach-letters-error');
  lettersDone = messageArea('breach-letters-done', 'success');
  closeError = messageArea('breach-close-error');
  closeDone = messageArea('breach-close-done', 'success');

  f = {
    title: text('breach-title'),
    occurred_from: when('breach-occurred-from'),
    occurred_to: when('breach-occurred-to'),
    discovered_at: when('breach-discovered-at'),
    aware_at: when('breach-aware-at'),
    found_by: text('breach-found-by'),
    description: area('breach-description', 4),
    cause: area('breach-cause'),
    data_location: text('breach-data-location'),
    processor_id: h('select', { id: 'breach-processor', onchange: () => this.rerender() }),
    processor_told_at: when('breach-processor-told-at'),
    relation: text('breach-relation'),
    consequences: area('breach-consequences'),
    measures_taken: area('breach-measures-taken'),
    measures_planned: area('breach-measures-planned'),
    contact: text('breach-contact'),
  };
  kindBoxes = Object.fromEntries(BREACH_KINDS.map((k) => [k, h('input', { type: 'checkbox', id: `breach-kind-${k}`, value: k })]));

  collectedFrom = h('input', { id: 'breach-collected-from', type: 'date', onchange: () => this.rerender() });
  collectedTo = h('input', { id: 'breach-collected-to', type: 'date', onchange: () => this.rerender() });
  importChoice = h('select', { id: 'breach-import', onchange: () => this.rerender() });

  a = {
    risk: h('select', { id: 'breach-risk', onchange: () => this.rerender() }),
    notify_authority: h('select', { id: 'breach-notify-authority' }),
    authority_reasons: area('breach-authority-reasons'),
    notify_subjects: h('select', { id: 'breach-notify-subjects', onchange: () => this.rerender() }),
    subjects_reasons: area('breach-subjects-reasons'),
    art34_exception: h('select', { id: 'breach-art34-exception' }),
    decided_by: text('breach-decided-by'),
  };

  n = {
    kind: h('select', { id: 'breach-notice-kind', onchange: () => this.rerender() }),
    sent_at: h('input', { id: 'breach-notice-sent-at', type: 'datetime-local', placeholder: 'YYYY-MM-DDTHH:MM', onchange: () => this.rerender() }),
    reference: text('breach-notice-reference'),
    delay_reason: area('breach-notice-delay'),
    letters: h('input', { id: 'breach-notice-letters', type: 'number', min: '0', step: '1', inputmode: 'numeric' }),
    note: text('breach-notice-note'),
  };

  textLang = h('select', { id: 'breach-text-lang' },
    Object.entries(LANGUAGE_NAMES).map(([code, name]) => h('option', { value: code, lang: code }, name)));
  textArea = h('textarea', { id: 'breach-text-value', rows: 16, readonly: true, class: 'breach-text' });
  letters = new ReportChoice('breach-letters', ['pdf', 'txt']);
  lettersMode = h('select', { id: 'breach-letters-mode' });
  lettersHow = text('breach-letters-how');
  closeNote = area('breach-close-note');

  connectedCallback() {
    super.connectedCallback();
    if (this.page) return;
    if (this.breachId == null) this.start();
    else this.load();
  }

  /** A new breach: now as the time it was discovered and became known, and the processors. */
  async start() {
    this.f.discovered_at.value ||= nowLocalInput();
    this.f.aware_at.value ||= nowLocalInput();
    this.factsOpen = true;
    const result = await this.run(() => ipc.listProcessors(), { errorEl: this.factsError });
    if (result.ok) {
      this.processors = result.value.map((p) => ({ id: p.id, name: p.name }));
      this.rerender();
    }
  }

  async load() {
    const result = await this.run(() => ipc.breachPage({ id: this.breachId }), { errorEl: this.error, progress: t('breach.loading') });
    if (result.ok) this.show(result.value);
  }

  /** A page from the backend; the forms are filled from it the first time (and the facts after they were saved). */
  show(page, { refillFacts = false, noticeRecorded = false } = {}) {
    const first = !this.page;
    this.page = page;
    this.breachId = page.id;
    this.loadedAt = Date.now();
    this.processors = page.processors ?? [];
    if (first || refillFacts) this.fillFacts(page);
    if (first) {
      this.fillSelection(page);
      this.fillAssessment(page);
    }
    if (first || noticeRecorded) this.resetNotice(page);
    this.rerender();
  }

  fillFacts(p) {
    for (const [key, input] of Object.entries(this.f)) {
      if (key === 'processor_id') continue;
      input.value = TIMES.includes(key) ? toLocalInput(p[key]) : (p[key] ?? '');
    }
    this.processorOptions();
    this.f.processor_id.value = p.processor_id == null ? '' : String(p.processor_id);
    for (const k of BREACH_KINDS) this.kindBoxes[k].checked = (p.kinds ?? []).includes(k);
  }

  fillSelection(p) {
    const sel = p.selection ?? {};
    this.chosenActivities = new Set(sel.activity_ids ?? []);
    this.chosenCategories = new Set(sel.categories ?? []);
    this.collectedFrom.value = sel.collected_from ?? '';
    this.collectedTo.value = sel.collected_to ?? '';
    this.importOptions(p);
    this.importChoice.value = sel.import_event == null ? '' : String(sel.import_event);
  }

  /** The CSV imports offered, newest first: date, activity and how many records. */
  importOptions(p) {
    const names = new Map((p.activities ?? []).map((a) => [a.id, a.name]));
    const chosen = this.importChoice.value;
    replace(this.importChoice,
      h('option', { value: '' }, t('breach.import_any')),
      (p.imports ?? []).map((i) => h('option', { value: String(i.event) }, t('breach.import_option', {
        date: formatDateTime(i.at), activity: names.get(i.activity_id) ?? `#${i.activity_id}`, records: i.records,
      }))));
    this.importChoice.value = chosen;
  }

  fillAssessment(p) {
    const a = p.assessment;
    this.assessmentOptions();
    if (!a) return;
    this.a.risk.value = a.risk;
    this.a.notify_authority.value = a.notify_authority ? 'yes' : 'no';
    this.a.authority_reasons.value = a.authority_reasons ?? '';
    this.a.notify_subjects.value = a.notify_subjects ? 'yes' : 'no';
    this.a.subjects_reasons.value = a.subjects_reasons ?? '';
    this.a.art34_exception.value = a.art34_exception ?? '';
    this.a.decided_by.value = a.decided_by ?? '';
  }

  resetNotice(p) {
    const notified = (p.notices ?? []).some((x) => AUTHORITY_NOTICES.includes(x.kind));
    this.noticeOptions();
    this.n.kind.value = notified ? (p.assessment?.notify_subjects ? 'subjects' : 'follow_up') : 'initial';
    this.n.sent_at.value = nowLocalInput();
    for (const key of ['reference', 'delay_reason', 'letters', 'note']) this.n[key].value = '';
  }

  // ---- the selects, re-labelled for the current language ----

  processorOptions() {
    const select = this.f.processor_id;
    const chosen = select.value;
    replace(select,
      h('option', { value: '' }, t('breach.processor_none')),
      this.processors.map((p) => h('option', { value: String(p.id) }, p.name)));
    select.value = this.processors.some((p) => String(p.id) === chosen) ? chosen : '';
    return select;
  }

  assessmentOptions() {
    const yesNo = (select, yes, no) => options(select, ['yes', 'no'], (v) => t(v === 'yes' ? yes : no));
    options(this.a.risk, RISK_LEVELS, (r) => t(`risk_level.${r}`), 'risk');
    yesNo(this.a.notify_authority, 'breach.notify_authority_yes', 'breach.notify_authority_no');
    yesNo(this.a.notify_subjects, 'breach.notify_subjects_yes', 'breach.notify_subjects_no');
    options(this.a.art34_exception, ['', ...ART34_EXCEPTIONS], (e) => (e ? t(`art34_exception.${e}`) : t('breach.art34_none')), '');
  }

  noticeOptions() {
    options(this.n.kind, NOTICE_KINDS, (k) => t(`notice_kind.${k}`));
  }

  lettersOptions(p) {
    options(this.lettersMode, ['each', 'all'], (m) => (m === 'each'
      ? t('breach.letters_each', { count: p.linked_people ?? 0 })
      : t('breach.letters_all')));
  }

  // ---- rendering ----

  render() {
    const p = this.page;
    replace(this,
      h('p', {}, h('button', { type: 'button', class: 'link', id: 'breach-back', onclick: () => this.emit('breach-back') },
        `← ${t('breaches.back')}`)),
      p ? this.renderPage(p)
        : this.breachId == null ? this.renderNew()
          : [h('p', { class: 'muted' }, t('breach.loading')), this.error],
    );
  }

  renderNew() {
    return [
      h('h1', {}, t('breach.new_title')),
      h('p', { class: 'muted' }, t('breaches.intro')),
      this.factsForm(null),
    ];
  }

  renderPage(p) {
    const closed = isClosed(p);
    return [
      h('div', { class: 'page-title' },
        h('h1', {}, t('breach.title', { ref: p.reference, title: p.title })),
        clockBadge(p, this.loadedAt, 'breach-clock')),
      this.summary(p),
      this.error,
      this.done,
      closed
        ? this.closedFacts(p)
        : h('details', {
          class: 'panel', id: 'breach-facts-panel', open: this.factsOpen,
          ontoggle: (event) => { this.factsOpen = event.target.open; },
        },
          h('summary', {}, h('span', { class: 'summary-title' }, t('breach.facts_edit'))),
          this.factsForm(p)),
      this.affectedSection(p, closed),
      this.assessmentSection(p, closed),
      this.noticesSection(p, closed),
      this.textSection(p),
      this.lettersSection(p),
      this.closeSection(p, closed),
    ];
  }

  summary(p) {
    const row = (label, value, id = null) => [h('dt', {}, label), h('dd', { id }, value || DASH)];
    return h('section', { class: 'panel', id: 'breach-summary' },
      h('dl', { class: 'facts' },
        row(t('breach.fact_status'), t(`breach_status.${p.status}`), 'breach-status'),
        row(t('breach.fact_aware'), formatDateTime(p.aware_at)),
        row(t('breach.fact_due'), formatDateTime(p.clock?.due_at)),
        p.processor ? row(t('breach.fact_processor'), reportedBy(p), 'breach-reported-by') : null,
        row(t('breach.fact_kinds'), (p.kinds ?? []).length ? formatList(p.kinds.map((k) => t(`breach_kind.${k}`))) : DASH),
        row(t('breach.fact_affected'), p.affected ? t('breaches.affected', { count: p.affected.people }) : t('breach.affected_none')),
        isClosed(p) ? row(t('breach.fact_closed'), formatDateTime(p.closed_at)) : null));
  }

  /** The facts form, for a new breach (`p` null) or an open one. */
  factsForm(p) {
    const f = this.f;
    this.processorOptions();
    const hasProcessor = f.processor_id.value !== '';
    return h('form', {
      class: p ? 'form' : 'form panel', id: 'breach-facts', novalidate: true,
      onsubmit: (event) => { event.preventDefault(); this.saveFacts(); },
    },
      h('p', { class: 'note', id: 'breach-facts-hint' }, t('breach.facts_hint')),
      field(t('breach.title_label'), f.title, { hint: t('breach.title_hint') }),
      h('div', { class: 'field-row' },
        field(t('breach.discovered_at'), f.discovered_at),
        field(t('breach.aware_at'), f.aware_at, { hint: t('breach.aware_hint') })),
      h('div', { class: 'field-row' },
        field(t('breach.occurred_from'), f.occurred_from),
        field(t('breach.occurred_to'), f.occurred_to, { hint: t('breach.occurred_hint') })),
      field(t('breach.found_by'), f.found_by),
      h('fieldset', { class: 'choices', id: 'breach-kinds' },
        h('legend', {}, t('breach.kinds')),
        h('p', { class: 'hint' }, t('breach.kinds_hint')),
        BREACH_KINDS.map((k) => checkboxField(this.kindBoxes[k], t(`breach_kind.${k}`)))),
      field(t('breach.description'), f.description),
      field(t('breach.cause'), f.cause),
      field(t('breach.data_location'), f.data_location),
      field(t('breach.processor'), f.processor_id, { hint: t('breach.processor_hint') }),
      hasProcessor ? field(t('breach.processor_told_at'), f.processor_told_at) : null,
      field(t('breach.relation'), f.relation, { hint: t('breach.relation_hint') }),
      field(t('breach.consequences'), f.consequences),
      field(t('breach.measures_taken'), f.measures_taken),
      field(t('breach.measures_planned'), f.measures_planned),
      field(t('breach.contact'), f.contact, { hint: t('breach.contact_hint') }),
      this.factsError,
      this.factsDone,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'breach-facts-save', class: 'primary' }, t(p ? 'breach.facts_save' : 'breach.add_save')),
        p ? null : h('button', { type: 'button', onclick: () => this.emit('breach-back') }, t('common.cancel'))));
  }

  /** A closed breach's facts, to read. */
  closedFacts(p) {
    const rows = [
      ['breach.occurred_from', formatDateTime(p.occurred_from)], ['breach.occurred_to', formatDateTime(p.occurred_to)],
      ['breach.discovered_at', formatDateTime(p.discovered_at)], ['breach.found_by', p.found_by],
      ['breach.description', p.description], ['breach.cause', p.cause], ['breach.data_location', p.data_location],
      ['breach.relation', p.relation], ['breach.consequences', p.consequences], ['breach.measures_taken', p.measures_taken],
      ['breach.measures_planned', p.measures_planned], ['breach.contact', p.contact],
    ].filter(([, value]) => value);
    return h('section', { class: 'panel', id: 'breach-facts-read', 'aria-labelledby': 'breach-facts-title' },
      h('h2', { id: 'breach-facts-title' }, t('breach.facts_title')),
      h('dl', { class: 'facts' }, rows.map(([key, value]) => [h('dt', {}, t(key)), h('dd', { class: 'pre-line' }, value)])));
  }

  // ---- the people affected ----

  selectionValue() {
    return {
      activity_ids: [...this.chosenActivities].sort((x, y) => x - y),
      categories: [...this.chosenCategories].sort(),
      collected_from: this.collectedFrom.value || null,
      collected_to: this.collectedTo.value || null,
      import_event: this.importChoice.value ? Number(this.importChoice.value) : null,
      subject_ids: this.page?.selection?.subject_ids ?? [],
    };
  }

  /** The data categories of the activities ticked, by name. */
  offeredCategories(p) {
    const names = new Set();
    for (const a of p.activities ?? []) {
      if (this.chosenActivities.has(a.id)) for (const c of a.categories ?? []) names.add(c);
    }
    return [...names].sort((x, y) => x.localeCompare(y));
  }

  affectedSection(p, closed) {
    const saved = p.affected
      ? h('p', { id: 'breach-affected-saved' }, t('breach.affected_saved', {
        people: p.affected.people, records: p.affected.records, linked: p.linked_people ?? 0,
      }))
      : h('p', { class: 'muted', id: 'breach-affected-saved' }, t('breach.affected_none'));
    const head = [h('h2', { id: 'breach-affected-title' }, t('breach.affected_title')), saved];
    if (closed) {
      return h('section', { class: 'panel', id: 'breach-affected', 'aria-labelledby': 'breach-affected-title' },
        head, p.affected ? this.countDetails(p.affected, 'breach-affected-categories') : null);
    }
    const categories = this.offeredCategories(p);
    for (const c of [...this.chosenCategories]) if (!categories.includes(c)) this.chosenCategories.delete(c);
    const key = JSON.stringify(this.selectionValue());
    const counted = this.counted?.key === key ? this.counted.count : null;
    const box = (id, name, checked, onchange) => checkboxField(
      h('input', { type: 'checkbox', id, 'data-name': name, checked, onchange }), name);
    return h('section', { class: 'panel', id: 'breach-affected', 'aria-labelledby': 'breach-affected-title' },
      head,
      h('p', { class: 'hint' }, t('breach.affected_hint')),
      h('div', { class: 'field-row' },
        h('fieldset', { class: 'choices', id: 'breach-activities' },
          h('legend', {}, t('breach.activities')),
          (p.activities ?? []).map((a) => box(`breach-activity-${a.id}`, a.name, this.chosenActivities.has(a.id), (event) => {
            if (event.target.checked) this.chosenActivities.add(a.id);
            else this.chosenActivities.delete(a.id);
            this.rerender();
          }))),
        h('fieldset', { class: 'choices', id: 'breach-categories' },
          h('legend', {}, t('breach.categories')),
          categories.length
            ? [h('p', { class: 'hint' }, t('breach.categories_hint')),
                categories.map((c, i) => box(`breach-category-${i}`, c, this.chosenCategories.has(c), (event) => {
                  if (event.target.checked) this.chosenCategories.add(c);
                  else this.chosenCategories.delete(c);
                  this.rerender();
                }))]
            : h('p', { class: 'hint' }, t('breach.categories_none')))),
      h('div', { class: 'inline-fields' },
        field(t('breach.collected_from'), this.collectedFrom),
        field(t('breach.collected_to'), this.collectedTo)),
      (p.imports ?? []).length ? field(t('breach.import'), this.importChoice) : null,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'breach-count', onclick: () => this.count() }, t('breach.count'))),
      counted ? this.countResult(counted) : h('p', { class: 'hint', id: 'breach-count-first' }, t('breach.count_first')),
      this.affectedError,
      this.affectedDone,
      counted
        ? h('div', { class: 'actions' }, h('button', {
          type: 'button', id: 'breach-affected-save', class: 'primary',
          onclick: () => this.step(this.affectedError, this.affectedDone,
            () => ipc.setAffected({ id: p.id, selection: this.selectionValue() }), 'breach.affected_done'),
        }, t('breach.affected_save')))
        : null);
  }

  countResult(count) {
    return h('div', { class: 'breach-count', id: 'breach-count-result', 'data-people': count.people, 'data-records': count.records, role: 'status' },
      h('p', { class: 'count-line' }, t('breach.count_result', { people: count.people, records: count.records })),
      this.countDetails(count, 'breach-count-categories'));
  }

  countDetails(count, id) {
    return [
      (count.categories ?? []).length
        ? h('ul', { class: 'attention', id }, count.categories.map(([name, n]) => h('li', {}, t('breach.count_category', { name, count: formatNumber(n) }))))
        : null,
      count.special_categories ? h('p', { class: 'attention' }, t('breach.count_special')) : null,
      count.criminal_offence_data ? h('p', { class: 'attention' }, t('breach.count_criminal')) : null,
    ];
  }

  async count() {
    showMessage(this.affectedDone, '');
    const selection = this.selectionValue();
    const key = JSON.stringify(selection);
    const result = await this.run(() => ipc.countAffected({ selection }), { errorEl: this.affectedError, progress: t('breach.counting') });
    if (result.ok) {
      this.counted = { key, count: result.value };
      this.rerender();
    }
  }

  // ---- the assessment ----

  assessmentSection(p, closed) {
    const a = p.assessment;
    const decided = a?.decided_at
      ? h('p', { class: 'muted', id: 'breach-assessed' }, t('breach.assessed', { who: a.decided_by, at: formatDateTime(a.decided_at) }))
      : null;
    if (closed) {
      const row = (label, value) => [h('dt', {}, label), h('dd', { class: 'pre-line' }, value || DASH)];
      return h('section', { class: 'panel', id: 'breach-assessment', 'aria-labelledby': 'breach-assess-title' },
        h('h2', { id: 'breach-assess-title' }, t('breach.assess_title')),
        a ? [h('dl', { class: 'facts' },
          row(t('breach.risk'), t(`risk_level.${a.risk}`)),
          row(t('breach.notify_authority'), t(a.notify_authority ? 'breach.notify_authority_yes' : 'breach.notify_authority_no')),
          row(t('breach.authority_reasons'), a.authority_reasons),
          row(t('breach.notify_subjects'), t(a.notify_subjects ? 'breach.notify_subjects_yes' : 'breach.notify_subjects_no')),
          row(t('breach.subjects_reasons'), a.subjects_reasons),
          a.art34_exception ? row(t('breach.art34_exception'), t(`art34_exception.${a.art34_exception}`)) : null),
        decided] : h('p', { class: 'muted' }, t('breach.not_assessed')));
    }
    this.assessmentOptions();
    const told = this.a.notify_subjects.value === 'yes';
    return h('form', {
      class: 'form panel', id: 'breach-assessment', novalidate: true, 'aria-labelledby': 'breach-assess-title',
      onsubmit: (event) => { event.preventDefault(); this.assess(p); },
    },
      h('h2', { id: 'breach-assess-title' }, t('breach.assess_title')),
      h('p', { class: 'hint' }, t('breach.assess_hint')),
      decided,
      field(t('breach.risk'), this.a.risk),
      h('fieldset', { class: 'form group' },
        h('legend', {}, t('breach.authority_title')),
        field(t('breach.notify_authority'), this.a.notify_authority, { hint: t('breach.notify_authority_hint') }),
        field(t('breach.authority_reasons'), this.a.authority_reasons)),
      h('fieldset', { class: 'form group' },
        h('legend', {}, t('breach.subjects_title')),
        field(t('breach.notify_subjects'), this.a.notify_subjects, { hint: t('breach.notify_subjects_hint') }),
        field(t('breach.subjects_reasons'), this.a.subjects_reasons),
        told ? null : field(t('breach.art34_exception'), this.a.art34_exception, { hint: t('breach.art34_hint') })),
      field(t('breach.decided_by'), this.a.decided_by),
      this.assessError,
      this.assessDone,
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'breach-assess-save', class: 'primary' }, t('breach.assess_save'))));
  }

  assess(p) {
    const told = this.a.notify_subjects.value === 'yes';
    const assessment = {
      risk: this.a.risk.value,
      notify_authority: this.a.notify_authority.value === 'yes',
      authority_reasons: this.a.authority_reasons.value.trim(),
      notify_subjects: told,
      subjects_reasons: this.a.subjects_reasons.value.trim(),
      art34_exception: told ? null : (this.a.art34_exception.value || null),
      decided_by: this.a.decided_by.value.trim(),
      decided_at: null,
    };
    return this.step(this.assessError, this.assessDone, () => ipc.assessBreach({ id: p.id, assessment }), 'breach.assess_done');
  }

  // ---- the notices ----

  /** Whether the notice being recorded needs the reasons for the delay (Art. 33(1)). */
  delayNeeded(p) {
    if (!AUTHORITY_NOTICES.includes(this.n.kind.value)) return false;
    if ((p.notices ?? []).some((x) => AUTHORITY_NOTICES.includes(x.kind))) return false;
    if (p.needs_delay_reason) return true;
    const sent = fromLocalInput(this.n.sent_at.value);
    const due = Date.parse(p.clock?.due_at ?? '');
    return Boolean(sent) && !Number.isNaN(due) && Date.parse(sent) > due;
  }

  noticesSection(p, closed) {
    const notices = p.notices ?? [];
    this.noticeOptions();
    const kind = this.n.kind.value;
    const toPeople = kind === 'subjects';
    return h('section', { class: 'panel', id: 'breach-notices-panel', 'aria-labelledby': 'breach-notices-title' },
      h('h2', { id: 'breach-notices-title' }, t('breach.notices_title')),
      notices.length
        ? h('ul', { class: 'plain-list', id: 'breach-notices' }, notices.map((x) => h('li', { 'data-notice-id': x.id },
          h('strong', {}, t(`notice_kind.${x.kind}`)), ` · ${formatDateTime(x.sent_at)}`,
          x.reference ? ` · ${x.reference}` : '',
          x.letters != null ? ` · ${t('breach.notice_letters', { count: x.letters })}` : '',
          x.delay_reason ? h('p', { class: 'small' }, t('breach.notice_delay', { text: x.delay_reason })) : null,
          x.note ? h('p', { class: 'small muted' }, x.note) : null)))
        : h('p', { class: 'muted', id: 'breach-notices-none' }, t('breach.notices_none')),
      closed ? null : h('form', {
        class: 'form', id: 'breach-notice-form', novalidate: true,
        onsubmit: (event) => { event.preventDefault(); this.recordNotice(p); },
      },
        h('h3', {}, t('breach.notice_title')),
        field(t('breach.notice_kind'), this.n.kind),
        field(t('breach.sent_at'), this.n.sent_at),
        field(t(toPeople ? 'breach.reference_subjects' : 'breach.reference_authority'), this.n.reference,
          { hint: t(toPeople ? 'breach.reference_subjects_hint' : 'breach.reference_authority_hint') }),
        this.delayNeeded(p) ? field(t('breach.delay_reason'), this.n.delay_reason, { hint: t('breach.delay_hint') }) : null,
        toPeople ? field(t('breach.letters_count'), this.n.letters) : null,
        field(t('breach.note'), this.n.note),
        this.noticeError,
        this.noticeDone,
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'breach-notice-save', class: 'primary' }, t('breach.notice_save')))));
  }

  recordNotice(p) {
    const kind = this.n.kind.value;
    const letters = this.n.letters.value.trim();
    const notice = {
      kind,
      sent_at: fromLocalInput(this.n.sent_at.value),
      reference: this.n.reference.value.trim(),
      delay_reason: this.delayNeeded(p) ? this.n.delay_reason.value.trim() : '',
      note: this.n.note.value.trim(),
      letters: kind === 'subjects' && letters !== '' ? Number(letters) : null,
    };
    return this.step(this.noticeError, this.noticeDone, () => ipc.recordBreachNotice({ id: p.id, notice }), 'breach.notice_done',
      { noticeRecorded: true });
  }

  // ---- the text for Datatilsynet ----

  textSection(p) {
    return h('section', { class: 'panel', id: 'breach-text', 'aria-labelledby': 'breach-text-title' },
      h('h2', { id: 'breach-text-title' }, t('breach.text_title')),
      h('p', { class: 'hint' }, t('breach.text_hint')),
      h('div', { class: 'inline-fields' },
        field(t('report.language'), this.textLang),
        h('button', { type: 'button', id: 'breach-text-show', onclick: () => this.showText(p) }, t('breach.text_show'))),
      this.textError,
      this.noticeText === null ? null : [
        field(t('breach.text_label'), this.textArea),
        h('div', { class: 'actions' }, h('button', { type: 'button', id: 'breach-text-copy', class: 'primary', onclick: () => this.copyText() }, t('breach.text_copy'))),
      ],
      this.textDone);
  }

  async showText(p) {
    showMessage(this.textDone, '');
    const result = await this.run(() => ipc.breachNoticeText({ id: p.id, lang: this.textLang.value }),
      { errorEl: this.textError, progress: t('breach.text_working') });
    if (result.ok) {
      this.noticeText = result.value;
      this.textArea.value = result.value;
      this.textArea.lang = this.textLang.value;
      this.rerender();
    }
  }

  async copyText() {
    const clipboard = globalThis.navigator?.clipboard;
    try {
      if (!clipboard) throw new Error('no clipboard');
      await clipboard.writeText(this.textArea.value);
      showMessage(this.textDone, t('breach.text_copied'));
    } catch {
      // Without clipboard access the text is selected, to copy with the keyboard.
      this.textArea.focus();
      this.textArea.select?.();
      showMessage(this.textDone, t('breach.text_copy_by_hand'));
    }
  }

  // ---- the letters to the people ----

  lettersSection(p) {
    this.lettersOptions(p);
    return h('section', { class: 'panel', id: 'breach-letters', 'aria-labelledby': 'breach-letters-title' },
      h('h2', { id: 'breach-letters-title' }, t('breach.letters_title')),
      h('p', { class: 'hint' }, t('breach.letters_hint')),
      this.letters.fields(),
      field(t('breach.letters_mode'), this.lettersMode),
      this.lettersError,
      this.lettersDone,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'breach-letters-save', class: 'primary', onclick: () => this.saveLetters(p) }, t('breach.letters_save'))),
      this.lettersMade && p.status !== 'closed' ? this.recordLetters(p) : null);
  }

  async saveLetters(p) {
    showMessage(this.lettersDone, '');
    this.lettersMade = null;
    const result = await this.run(() => ipc.exportBreachLetters({
      id: p.id, ...this.letters.value(), one_per_person: this.lettersMode.value === 'each',
    }), { errorEl: this.lettersError, progress: t('breach.letters_working') });
    if (result.ok && result.value) {
      this.lettersMade = result.value;
      this.lettersHow.value ||= t('breach.letters_how_default');
      this.rerender();
      showMessage(this.lettersDone, t('breach.letters_saved', { count: result.value.letters, path: result.value.path }));
      document.getElementById('breach-letters-record')?.scrollIntoView?.({ block: 'nearest' });
    }
  }

  /** After the letters were saved: record the communication to the people, with the number of letters. */
  recordLetters(p) {
    const made = this.lettersMade;
    return h('div', { class: 'note', id: 'breach-letters-record', role: 'status' },
      h('h3', {}, t('breach.letters_record_title')),
      h('p', {}, t('breach.letters_record_text', { count: made.letters })),
      field(t('breach.reference_subjects'), this.lettersHow),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', id: 'breach-letters-record-save', class: 'primary',
          onclick: async () => {
            const notice = {
              kind: 'subjects', sent_at: null, reference: this.lettersHow.value.trim(), delay_reason: '', note: '', letters: made.letters,
            };
            const result = await this.step(this.lettersError, this.lettersDone,
              () => ipc.recordBreachNotice({ id: p.id, notice }), 'breach.letters_recorded', { noticeRecorded: true });
            if (result.ok) {
              this.lettersMade = null;
              this.rerender();
            }
          },
        }, t('breach.letters_record_save')),
        h('button', { type: 'button', id: 'breach-letters-record-later', onclick: () => { this.lettersMade = null; this.rerender(); } },
          t('breach.letters_record_later'))));
  }

  // ---- closing ----

  closeSection(p, closed) {
    if (closed) {
      return h('section', { class: 'panel', id: 'breach-closed', 'aria-labelledby': 'breach-close-title' },
        h('h2', { id: 'breach-close-title' }, t('breach_status.closed')),
        h('p', {}, t('breach.closed_text', { at: formatDateTime(p.closed_at) })),
        p.closing_note ? h('p', { class: 'pre-line', id: 'breach-closing-note' }, p.closing_note) : null,
        this.closeDone);
    }
    return h('form', {
      class: 'form panel', id: 'breach-close', novalidate: true, 'aria-labelledby': 'breach-close-title',
      onsubmit: (event) => {
        event.preventDefault();
        this.step(this.closeError, this.closeDone, () => ipc.closeBreach({ id: p.id, note: this.closeNote.value.trim() }), 'breach.close_done');
      },
    },
      h('h2', { id: 'breach-close-title' }, t('breach.close_title')),
      h('p', { class: 'hint' }, t('breach.close_hint')),
      field(t('breach.close_note'), this.closeNote),
      this.closeError,
      this.closeDone,
      h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'breach-close-save' }, t('breach.close_save'))));
  }

  // ---- saving ----

  facts() {
    const f = this.f;
    const value = (key) => f[key].value.trim();
    const processor = f.processor_id.value;
    return {
      title: value('title'),
      occurred_from: fromLocalInput(f.occurred_from.value),
      occurred_to: fromLocalInput(f.occurred_to.value),
      discovered_at: fromLocalInput(f.discovered_at.value),
      aware_at: fromLocalInput(f.aware_at.value),
      found_by: value('found_by'),
      cause: value('cause'),
      description: value('description'),
      kinds: BREACH_KINDS.filter((k) => this.kindBoxes[k].checked),
      data_location: value('data_location'),
      processor_id: processor ? Number(processor) : null,
      processor_told_at: processor ? fromLocalInput(f.processor_told_at.value) : null,
      relation: value('relation'),
      consequences: value('consequences'),
      measures_taken: value('measures_taken'),
      measures_planned: value('measures_planned'),
      contact: value('contact'),
    };
  }

  async saveFacts() {
    const facts = this.facts();
    if (this.page) {
      await this.step(this.factsError, this.factsDone, () => ipc.updateBreach({ id: this.page.id, facts }), 'breach.facts_done',
        { refillFacts: true });
      return;
    }
    const result = await this.step(this.factsError, this.done, () => ipc.addBreach({ facts }), 'breach.added_done');
    if (result.ok) {
      this.factsOpen = false;
      this.rerender();
      document.getElementById('breach-done')?.scrollIntoView?.({ block: 'nearest' });
    }
  }

  /** The input the backend named in an input.invalid error. */
  inputFor(name) {
    const inputs = {
      ...this.f,
      kinds: this.kindBoxes[BREACH_KINDS[0]],
      ...this.a,
      delay_reason: this.n.delay_reason,
      sent_at: this.n.sent_at,
      reference: this.n.reference,
      letters: this.n.letters,
      note: this.closeNote,
      selection: this.querySelector('#breach-activities input'),
    };
    return inputs[name] ?? null;
  }

  /** Run a step; on success show the new page and say so in `doneEl`; a refused field is marked. */
  async step(errorEl, doneEl, task, doneKey, showOptions = {}) {
    for (const el of [this.done, doneEl]) showMessage(el, '');
    for (const el of this.querySelectorAll('[aria-invalid="true"]')) markInvalid(el, false);
    const result = await this.run(task, { errorEl, progress: t('breach.working') });
    if (result.ok) {
      this.show(result.value, showOptions);
      if (doneKey) showMessage(doneEl, t(doneKey));
    } else {
      const input = this.inputFor(result.error?.details?.field);
      if (input?.isConnected) {
        markInvalid(input, true);
        input.focus();
      }
    }
    return result;
  }
}

customElements.define('breach-page', BreachPage);
