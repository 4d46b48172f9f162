// <subject-merge>: merges two records of one person, from a person's page (set
// .subject, the page's Subject, before connecting). Find the other record by search,
// choose which of the two is kept, see what will move and what happens to the other's
// name, e-mail and phone (merge_preview), give the reason and confirm. Emits
// "subject-merged" {page, receipt} with the kept person's page, and "merge-cancel".

import { AppElement, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatNumber, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const SEARCH_DELAY_MS = 250;
const DASH = '—';
// MergeCounts, in the order the preview lists them.
const MOVES = ['records', 'consent_events', 'requests', 'legal_holds', 'retention_dates', 'objection_decisions',
  'notifications', 'breaches', 'audit_events'];

const text = (value) => (value === null || value === undefined || value === '' ? DASH : String(value));

class SubjectMerge extends AppElement {
  /** @type {object|null} the Subject of the page this was opened from */
  subject = null;
  results = null; // SubjectSummary[] for the search, without this person
  other = null; // the SubjectSummary chosen
  keepThis = true; // which of the two is kept
  preview = null; // MergePreview
  timer = null;
  search = h('input', {
    id: 'merge-search', type: 'search', autocomplete: 'off',
    oninput: () => this.searchSoon(),
  });
  reason = h('input', { id: 'merge-reason', type: 'text', autocomplete: 'off', required: true });
  error = messageArea('merge-error');

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.timer);
  }

  render() {
    replace(this,
      h('section', { class: 'form panel', id: 'merge-panel', 'aria-labelledby': 'merge-title' },
        h('h2', { id: 'merge-title' }, t('merge.title')),
        h('p', { class: 'muted' }, t('merge.intro')),
        this.other ? this.renderPreview() : this.renderSearch(),
        this.error,
        h('div', { class: 'actions' },
          this.other
            ? h('button', { type: 'button', id: 'merge-confirm', class: 'primary', disabled: !this.preview, onclick: () => this.confirm() },
                t('merge.confirm'))
            : null,
          this.other
            ? h('button', { type: 'button', id: 'merge-other', onclick: () => this.chooseAgain() }, t('merge.choose_again'))
            : null,
          h('button', { type: 'button', id: 'merge-cancel', onclick: () => this.emit('merge-cancel') }, t('common.cancel')))));
  }

  // ---- 1. Find the other record ----

  renderSearch() {
    return [
      field(t('merge.search'), this.search, { hint: t('merge.search_hint') }),
      this.results === null
        ? null
        : this.results.length
          ? h('ul', { class: 'plain-list merge-results', id: 'merge-results' }, this.results.map((s) =>
              h('li', { 'data-subject-id': s.id },
                h('span', { class: 'merge-name' }, text(s.name)), ' · ', text(s.email), ' · ', text(s.phone), ' ',
                h('button', {
                  type: 'button', class: 'small merge-choose', 'aria-label': t('merge.choose_label', { name: text(s.name) }),
                  onclick: () => this.choose(s),
                }, t('merge.choose')))))
          : h('p', { class: 'muted', id: 'merge-none' }, t('merge.none')),
    ];
  }

  searchSoon() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.find(), SEARCH_DELAY_MS);
  }

  async find() {
    const query = this.search.value.trim();
    if (!query) {
      this.results = null;
      this.rerender();
      return;
    }
    const result = await this.run(() => ipc.searchSubjects({ query, limit: 20 }), {
      errorEl: this.error, progress: t('merge.searching'), controls: null,
    });
    // A later keystroke has asked again: its answer is the one to show.
    if (!result.ok || query !== this.search.value.trim()) return;
    this.results = result.value.filter((s) => s.id !== this.subject?.id);
    this.rerender();
  }

  // ---- 2. What will move ----

  async choose(summary) {
    this.other = summary;
    this.keepThis = true;
    await this.loadPreview();
    document.getElementById('merge-keep')?.focus();
  }

  chooseAgain() {
    this.other = null;
    this.preview = null;
    this.rerender();
    this.search.focus();
  }

  ids() {
    const mine = this.subject.id;
    const theirs = this.other.id;
    return this.keepThis ? { keep: mine, other: theirs } : { keep: theirs, other: mine };
  }

  async loadPreview() {
    this.preview = null;
    this.rerender();
    const result = await this.run(() => ipc.mergePreview(this.ids()), { errorEl: this.error, progress: t('merge.previewing') });
    if (result.ok) this.preview = result.value;
    this.rerender();
  }

  renderPreview() {
    const keepSelect = h('select', {
      id: 'merge-keep',
      onchange: (event) => {
        this.keepThis = event.target.value === 'this';
        this.loadPreview();
      },
    },
    h('option', { value: 'this', selected: this.keepThis }, t('merge.keep_this', { name: text(this.subject.name) })),
    h('option', { value: 'other', selected: !this.keepThis }, text(this.other.name)));
    const p = this.preview;
    return [
      field(t('merge.keep'), keepSelect, { hint: t('merge.keep_hint') }),
      p ? this.renderPeople(p) : null,
      p ? h('h3', {}, t('merge.moves_title')) : null,
      p ? h('ul', { class: 'plain-list', id: 'merge-moves' }, MOVES.map((key) =>
        h('li', { 'data-move': key }, t(`merge.move_${key}`), ': ', h('strong', {}, formatNumber(p.moves[key] ?? 0))))) : null,
      p ? h('h3', {}, t('merge.fields_title')) : null,
      p ? h('ul', { class: 'plain-list', id: 'merge-fields' }, p.fields.map((f) =>
        h('li', { 'data-field': f.field, 'data-outcome': f.outcome }, t(`merge.fate_${f.outcome}`, {
          field: t(`merge.field_${f.field}`), category: text(f.category),
        })))) : null,
      field(t('merge.reason'), this.reason, { hint: t('merge.reason_hint'), errorId: 'merge-error' }),
    ];
  }

  renderPeople(p) {
    const row = (key, label) => h('tr', {},
      h('th', { scope: 'row' }, label),
      h('td', {}, text(p.keep[key])),
      h('td', {}, text(p.other[key])));
    return h('div', { class: 'table-wrap' },
      h('table', { class: 'merge-people', id: 'merge-people' },
        h('thead', {}, h('tr', {},
          h('td', {}),
          h('th', { scope: 'col' }, t('merge.col_kept')),
          h('th', { scope: 'col' }, t('merge.col_merged')))),
        h('tbody', {},
          row('name', t('merge.field_name')),
          row('email', t('merge.field_email')),
          row('phone', t('merge.field_phone')),
          row('records', t('merge.move_records')))));
  }

  // ---- 3. Merge ----

  async confirm() {
    const why = this.reason.value.trim();
    markInvalid(this.reason, !why);
    if (!why) {
      showMessage(this.error, t('merge.reason_required'));
      this.reason.focus();
      return;
    }
    const result = await this.run(() => ipc.mergeSubjects({ ...this.ids(), reason: why }), {
      errorEl: this.error, progress: t('merge.merging'),
    });
    if (result.ok) this.emit('subject-merged', result.value);
  }
}

customElements.define('subject-merge', SubjectMerge);
