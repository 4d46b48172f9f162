// <csv-import>: import a CSV file (a CRM export, a newsletter list, a course participant
// list) into one processing activity, in four steps on one page: choose the file (and
// correct its encoding or delimiter), map its columns to the person's name, e-mail and
// phone and to the activity's data categories, check (a dry run that changes nothing),
// and import. Set `activityId` (and `activityName`, shown until the file is read) before
// the element is connected. Emits "activity-open" {id} and "subjects-show".
//
// The backend keeps the file's rows from csvChoose until csvClose, which is called when
// the element leaves the page (after a running check or import has ended). Controls are
// made once and kept across renders, so a language switch keeps what was chosen.

import { AppElement, checkboxField, field, messageArea, reportError, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatList, formatNumber, localDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const ENCODINGS = ['utf8', 'utf8_bom', 'utf16_le', 'utf16_be', 'windows1252'];
const DELIMITERS = [[';', 'semicolon'], [',', 'comma'], ['\t', 'tab'], ['|', 'pipe']];
const FIELDS = ['name', 'first_name', 'last_name', 'email', 'phone'];
const NOTES_SHOWN = 200; // rejected or skipped rows listed; the rest are counted

/** A Target as a <select> value: 'email', or 'category:E-mail address'. */
export const targetKey = (target) => (typeof target === 'string' ? target : `category:${target.category}`);
export const keyTarget = (key) => (key.startsWith('category:') ? { category: key.slice('category:'.length) } : key);
const sameColumn = (a, b) => String(a).trim().toLowerCase() === String(b).trim().toLowerCase();

/** A target in words: "E-mail", "Record: Course". */
function targetLabel(target) {
  return typeof target === 'string' ? t(`csv.target_${target}`) : t('csv.target_category', { category: target.category });
}

/** "line 6: E-post: not an e-mail address" (the backend's reason already names the column). */
export function lineNote({ line, column, reason }) {
  const prefix = column ? `column "${column}": ` : '';
  const text = prefix && String(reason).startsWith(prefix) ? String(reason).slice(prefix.length) : String(reason);
  return column
    ? t('csv.line_column', { line: String(line), column, reason: text })
    : t('csv.line', { line: String(line), reason: text });
}

function delimiterLabel(value) {
  const known = DELIMITERS.find(([d]) => d === value);
  return known ? t(`csv.delimiter_${known[1]}`) : t('csv.delimiter_other', { value });
}

class CsvImport extends AppElement {
  status = null;
  /** @type {number|null} */
  activityId = null;
  activityName = '';
  /** @type {object|null} the CsvOpened of the file being imported */
  opened = null;
  detected = null; // {encoding, delimiter} as the backend first found them
  override = { encoding: null, delimiter: null }; // what the user chose instead; null = detect
  columns = []; // per header: {header, select, targets (from the backend's mapping), touched}
  report = null; // the last CsvImportReport
  reportKind = null; // 'check' | 'import'
  importMode = 'good_rows';
  done = false; // the file has been imported
  running = null; // 'check' | 'import' while the backend works
  lastProgress = null;
  closeWhenDone = false;
  stopProgress = null; // Promise of the unlisten function

  chooseButton = h('button', { type: 'button', id: 'csv-choose', class: 'primary', onclick: () => this.choose() });
  encoding = h('select', { id: 'csv-encoding', onchange: () => this.reread('encoding') });
  delimiter = h('select', { id: 'csv-delimiter', onchange: () => this.reread('delimiter') });
  source = h('input', { id: 'csv-source', type: 'text' });
  collected = h('input', { id: 'csv-collected', type: 'date', value: localDate() });
  matchPhone = h('input', { id: 'csv-match-phone', type: 'checkbox', onchange: () => this.mappingChanged() });
  modeGood = h('input', { id: 'csv-mode-good', type: 'radio', name: 'csv-mode', value: 'good_rows', checked: true });
  modeAll = h('input', { id: 'csv-mode-all', type: 'radio', name: 'csv-mode', value: 'all_or_nothing' });
  progressLabel = h('span', { id: 'csv-progress-label', class: 'progress-label' });
  progress = h('progress', { id: 'csv-progress', max: '1', value: 0, 'aria-labelledby': 'csv-progress-label' });
  cancelButton = h('button', { type: 'button', id: 'csv-cancel', onclick: () => this.cancel() });
  progressArea = h('div', { class: 'csv-progress', id: 'csv-progress-area', hidden: true },
    this.progressLabel, this.progress, this.cancelButton);
  body = h('div', { class: 'csv-steps' });
  fileError = messageArea('csv-file-error');
  mappingError = messageArea('csv-mapping-error');
  checkError = messageArea('csv-check-error');
  importError = messageArea('csv-import-error');
  result = messageArea('csv-result', 'success');

  connectedCallback() {
    super.connectedCallback();
    this.closeWhenDone = false;
    this.stopProgress ??= ipc.onCsvProgress((payload) => this.setProgress(payload)).catch((err) => {
      reportError(err);
      return () => {};
    });
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this.stopProgress?.then((stop) => stop());
    this.stopProgress = null;
    if (this.running) this.closeWhenDone = true;
    else this.close();
  }

  /** Let the backend forget the file's rows. */
  close() {
    if (!this.opened) return;
    this.opened = null;
    // Nothing to show: the page is gone, and a locked or closed register has no file anyway.
    ipc.csvClose().catch(() => {});
  }

  render() {
    if (this.body.parentNode !== this) replace(this, this.body, this.progressArea);
    const o = this.opened;
    const name = o?.activity ?? this.activityName;
    // Everything but the progress bar and Cancel is in the body, which run() disables.
    replace(this.body,
      h('p', {}, h('button', { type: 'button', class: 'link', id: 'csv-back',
        onclick: () => this.emit('activity-open', { id: this.activityId }) }, `← ${t('csv.back')}`)),
      h('h1', {}, t('csv.title')),
      h('p', { class: 'muted', id: 'csv-intro' }, name ? t('csv.intro_for', { activity: name }) : t('csv.intro')),
      this.stepFile(o),
      o ? [this.stepMapping(o), this.stepCheck(), this.stepImport()] : null);
    this.cancelButton.textContent = t('common.cancel');
    if (this.lastProgress) this.setProgress(this.lastProgress);
  }

  section(id, title, ...content) {
    return h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title` },
      h('h2', { id: `${id}-title` }, title), ...content);
  }

  // 1. The file, how it was read, and its first rows.
  stepFile(o) {
    this.chooseButton.textContent = o ? t('csv.choose_other') : t('csv.choose');
    return this.section('csv-step-file', t('csv.step_file'),
      h('p', { class: 'hint' }, t('csv.file_hint')),
      h('div', { class: 'actions' }, this.chooseButton),
      this.fileError,
      o ? [
        h('dl', { class: 'facts' },
          h('dt', {}, t('csv.file')), h('dd', { id: 'csv-file-name' }, o.file_name),
          h('dt', {}, t('csv.rows')), h('dd', { id: 'csv-total-rows' }, formatNumber(o.total_rows))),
        this.formatFields(o),
        this.preview(o),
      ] : null);
  }

  formatFields(o) {
    replace(this.encoding, ENCODINGS.map((e) => h('option', { value: e }, t(`csv.encoding_${e}`))));
    this.encoding.value = o.encoding;
    const delimiters = DELIMITERS.map(([d]) => d);
    if (!delimiters.includes(o.delimiter)) delimiters.push(o.delimiter);
    replace(this.delimiter, delimiters.map((d) => h('option', { value: d }, delimiterLabel(d))));
    this.delimiter.value = o.delimiter;
    const detected = this.detected ?? o;
    return h('div', { class: 'field-row' },
      field(t('csv.encoding'), this.encoding,
        { hint: t('csv.encoding_detected', { value: t(`csv.encoding_${detected.encoding}`) }), errorId: this.fileError.id }),
      field(t('csv.delimiter'), this.delimiter,
        { hint: t('csv.delimiter_detected', { value: delimiterLabel(detected.delimiter) }), errorId: this.fileError.id }));
  }

  preview(o) {
    const width = Math.max(o.headers.length, ...o.rows.map((row) => row.length));
    const cells = (row, tag) => Array.from({ length: width }, (_, i) => h(tag, tag === 'th' ? { scope: 'col' } : {}, row[i] ?? ''));
    return h('div', { class: 'table-wrap' },
      h('table', { id: 'csv-preview', class: 'csv-preview' },
        h('caption', {}, t('csv.preview', { count: o.rows.length, total: o.total_rows })),
        h('thead', {}, h('tr', {}, cells(o.headers, 'th'))),
        h('tbody', {}, o.rows.map((row) => h('tr', {}, cells(row, 'td'))))));
  }

  // 2. Where each column goes, and what the records get besides their values.
  stepMapping(o) {
    for (const c of this.columns) this.labelColumn(c);
    return this.section('csv-step-map', t('csv.step_map'),
      h('p', { class: 'note', id: 'csv-mapping-note' }, o.remembered ? t('csv.mapping_remembered') : t('csv.mapping_suggested')),
      h('p', { class: 'hint' }, t('csv.mapping_hint')),
      o.categories.length ? null : h('p', { class: 'message error', id: 'csv-no-categories' }, t('csv.no_categories')),
      h('div', { class: 'table-wrap' },
        h('table', { id: 'csv-mapping', class: 'csv-mapping', 'aria-describedby': this.mappingError.id },
          h('thead', {}, h('tr', {},
            ['col_column', 'col_example', 'col_target'].map((k) => h('th', { scope: 'col' }, t(`csv.${k}`))))),
          h('tbody', {}, this.columns.map((c, i) => h('tr', {},
            h('th', { scope: 'row' }, h('label', { for: c.select.id }, c.header || t('csv.column_n', { n: i + 1 }))),
            h('td', { class: 'muted' }, o.rows[0]?.[i] ?? ''),
            h('td', {}, c.select, this.alsoNote(c, i))))))),
      this.mappingError,
      h('div', { class: 'field-row' },
        field(t('csv.source'), this.source, { hint: t('csv.source_hint') }),
        field(t('csv.collected'), this.collected, { hint: t('csv.collected_hint') })),
      checkboxField(this.matchPhone, t('csv.match_phone'), t('csv.match_phone_hint')));
  }

  /** The targets the backend suggested besides the one the select shows, while kept. */
  alsoNote(c, i) {
    const extra = c.touched ? [] : c.targets.filter((target) => targetKey(target) !== c.select.value);
    if (!extra.length) {
      c.select.removeAttribute('aria-describedby');
      return null;
    }
    c.select.setAttribute('aria-describedby', `csv-map-${i}-also`);
    return h('p', { class: 'hint', id: `csv-map-${i}-also` }, t('csv.also', { targets: formatList(extra.map(targetLabel)) }));
  }

  labelColumn(c) {
    const value = c.select.value;
    const categories = [...this.opened.categories];
    for (const target of c.targets) {
      if (typeof target === 'object' && !categories.includes(target.category)) categories.push(target.category);
    }
    replace(c.select,
      h('option', { value: '' }, t('csv.target_ignore')),
      FIELDS.map((f) => h('option', { value: f }, targetLabel(f))),
      categories.map((category) => h('option', { value: targetKey({ category }) }, targetLabel({ category }))));
    c.select.value = value;
  }

  // 3. The dry run.
  stepCheck() {
    return this.section('csv-step-check', t('csv.step_check'),
      h('p', { class: 'hint' }, t('csv.check_hint')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'csv-check', onclick: () => this.check() }, t('csv.check'))),
      this.checkError,
      this.reportKind === 'check' ? this.renderReport(this.report) : null);
  }

  // 4. The import, and what it did.
  stepImport() {
    const report = this.reportKind === 'import' ? this.report : null;
    showMessage(this.result, report ? this.resultText(report) : '');
    this.result.className = `message ${!report || report.written ? 'success' : 'error'}`;
    return this.section('csv-step-import', t('csv.step_import'),
      h('fieldset', { class: 'choices' },
        h('legend', {}, t('csv.mode')),
        checkboxField(this.modeGood, t('csv.mode_good'), t('csv.mode_good_hint')),
        checkboxField(this.modeAll, t('csv.mode_all'), t('csv.mode_all_hint'))),
      this.done ? null : h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'csv-import', class: 'primary', onclick: () => this.importRows() }, t('csv.import'))),
      this.importError,
      this.result,
      report ? [
        this.renderReport(report),
        h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'csv-open-activity', onclick: () => this.emit('activity-open', { id: this.activityId }) },
            t('csv.open_activity')),
          h('button', { type: 'button', id: 'csv-open-subjects', onclick: () => this.emit('subjects-show') }, t('csv.open_subjects'))),
      ] : null);
  }

  renderReport(report) {
    const added = this.reportKind === 'import' && report.written;
    const counts = [
      ['rows', report.rows], ['new', report.new_subjects], ['merged', report.merged],
      ['skipped', report.skipped], ['rejected', report.rejected], ['records', report.records],
    ];
    return h('div', { class: 'csv-report', id: 'csv-report' },
      h('ul', { class: 'cards', 'aria-label': t('csv.counts') }, counts.map(([key, n]) => h('li', { class: 'card' },
        h('span', { class: 'card-number', id: `csv-count-${key}` }, formatNumber(n ?? 0)),
        h('span', { class: 'card-label' }, t(`csv.count_${key === 'records' && added ? 'records_added' : key}`, { count: n ?? 0 }))))),
      this.renderExisting(report),
      this.renderNotes(report));
  }

  /** Rows of people already registered, and new people with a number already registered. */
  renderExisting(report) {
    const matched = report.matched_existing ?? 0;
    const similar = report.possible_duplicates ?? [];
    return [
      matched ? h('p', { id: 'csv-matched' }, t('csv.matched_existing', { count: matched })) : null,
      similar.length ? h('div', { id: 'csv-duplicates', class: 'csv-notes' },
        h('h3', {}, t('csv.duplicates_title', { count: similar.length })),
        h('p', { class: 'hint' }, t('csv.duplicates_hint')),
        h('ul', { class: 'row-notes' }, similar.slice(0, NOTES_SHOWN).map((d) =>
          h('li', { 'data-line': d.line }, t('csv.duplicate_line', { line: String(d.line), id: String(d.subject_id) })))),
        similar.length > NOTES_SHOWN ? h('p', { class: 'muted' }, t('csv.more_notes', { count: similar.length - NOTES_SHOWN })) : null)
        : null,
    ];
  }

  /** The rejected and skipped rows, by line. */
  renderNotes(report) {
    const rejected = report.rejected_rows ?? [];
    const skipped = report.skipped_rows ?? [];
    if (!rejected.length && !skipped.length) return h('p', { class: 'ok-text', id: 'csv-rejected' }, t('csv.no_problems'));
    const list = (title, notes, cls) => notes.length ? [
      h('h3', {}, title),
      h('ul', { class: 'row-notes' }, notes.slice(0, NOTES_SHOWN).map((n) => h('li', { class: cls, 'data-line': n.line }, lineNote(n)))),
      notes.length > NOTES_SHOWN ? h('p', { class: 'muted' }, t('csv.more_notes', { count: notes.length - NOTES_SHOWN })) : null,
    ] : null;
    return h('div', { id: 'csv-rejected', class: 'csv-notes' },
      list(t('csv.rejected_title'), rejected, 'rejected'),
      list(t('csv.skipped_title'), skipped, 'skipped'));
  }

  resultText(report) {
    if (report.written) {
      return t('csv.imported', { new: report.new_subjects, merged: report.merged, records: report.records });
    }
    if (report.rejected > 0 && this.importMode === 'all_or_nothing') return t('csv.nothing_imported', { count: report.rejected });
    return t('csv.nothing_new');
  }

  /** The mapping as the backend takes it. A column left untouched keeps every target
   *  the backend gave it (an e-mail column may also be a record of "E-mail address"). */
  mapping() {
    const columns = this.columns.flatMap((c) => {
      if (c.touched) return c.select.value ? [{ column: c.header, target: keyTarget(c.select.value) }] : [];
      return c.targets.map((target) => ({ column: c.header, target }));
    });
    return { columns, match_phone: this.matchPhone.checked, source: this.source.value.trim() };
  }

  async choose() {
    this.clearMessages();
    const result = await this.run(() => ipc.csvChoose({ activity_id: this.activityId }),
      { errorEl: this.fileError, progress: t('csv.opening'), controls: this.body });
    if (!result.ok || !result.value) return; // null: the dialog was cancelled
    if (!this.isConnected) {
      ipc.csvClose().catch(() => {}); // the page was left while the dialog was open
      return;
    }
    this.override = { encoding: null, delimiter: null };
    this.detected = { encoding: result.value.encoding, delimiter: result.value.delimiter };
    this.source.value = result.value.mapping?.source ?? '';
    this.matchPhone.checked = Boolean(result.value.mapping?.match_phone);
    this.collected.value = localDate();
    this.done = false;
    this.useFile(result.value);
    this.chooseButton.focus();
  }

  /** Read the file again with the encoding or delimiter the user chose. */
  async reread(which) {
    const before = { ...this.override };
    this.override[which] = this[which].value;
    this.clearMessages();
    const result = await this.run(
      () => ipc.csvReread({ activity_id: this.activityId, delimiter: this.override.delimiter, encoding: this.override.encoding }),
      { errorEl: this.fileError, progress: t('csv.reading'), controls: this.body });
    if (result.ok) {
      this.useFile(result.value);
      this[which].focus();
    } else {
      this.override = before;
      this[which].value = this.opened[which];
    }
  }

  /** Show a file as the backend read it, with its suggested or remembered mapping. */
  useFile(opened) {
    this.opened = opened;
    this.columns = opened.headers.map((header, i) => ({
      header,
      select: h('select', { id: `csv-map-${i}`, onchange: () => this.columnChanged(i) }),
      targets: [],
      touched: false,
    }));
    for (const m of opened.mapping?.columns ?? []) {
      this.columns.find((c) => sameColumn(c.header, m.column))?.targets.push(m.target);
    }
    for (const c of this.columns) {
      this.labelColumn(c);
      // One target shows in the select: the person's field if there is one.
      const shown = c.targets.find((target) => typeof target === 'string') ?? c.targets[0];
      c.select.value = shown ? targetKey(shown) : '';
    }
    this.report = null;
    this.reportKind = null;
    this.rerender();
  }

  columnChanged(i) {
    this.columns[i].touched = true;
    this.mappingChanged();
  }

  /** A check made with another mapping no longer tells what an import would do. */
  mappingChanged() {
    showMessage(this.mappingError, '');
    if (this.reportKind === 'check') {
      this.report = null;
      this.reportKind = null;
    }
    this.rerender();
  }

  clearMessages() {
    for (const area of [this.fileError, this.mappingError, this.checkError, this.importError, this.result]) showMessage(area, '');
  }

  async check() {
    this.clearMessages();
    const args = { activity_id: this.activityId, mapping: this.mapping() };
    const result = await this.job('check', () => ipc.csvPlan(args), this.checkError);
    if (!result.ok) return this.showMappingError(result.error, this.checkError);
    this.report = result.value;
    this.reportKind = 'check';
    this.rerender();
    document.getElementById('csv-report')?.scrollIntoView?.({ block: 'nearest' });
  }

  async importRows() {
    this.clearMessages();
    const mode = this.modeAll.checked ? 'all_or_nothing' : 'good_rows';
    const args = { activity_id: this.activityId, mapping: this.mapping(), mode, collected_on: this.collected.value || null };
    const result = await this.job('import', () => ipc.csvImport(args), this.importError);
    if (!result.ok) return this.showMappingError(result.error, this.importError);
    this.report = result.value;
    this.reportKind = 'import';
    this.importMode = mode;
    this.done = Boolean(result.value.written);
    this.rerender();
    this.result.scrollIntoView?.({ block: 'nearest' });
    document.getElementById(this.done ? 'csv-open-subjects' : 'csv-import')?.focus();
  }

  /** A check or import, with the progress bar and Cancel; resolves like run(). */
  async job(kind, task, errorEl) {
    this.running = kind;
    this.lastProgress = null;
    this.progress.max = 1;
    this.progress.value = 0;
    this.progressLabel.textContent = t(kind === 'check' ? 'csv.checking' : 'csv.importing');
    this.cancelButton.disabled = false;
    this.progressArea.hidden = false;
    try {
      return await this.run(task, { errorEl, progress: t(kind === 'check' ? 'csv.checking' : 'csv.importing'), controls: this.body });
    } finally {
      this.running = null;
      this.lastProgress = null;
      this.progressArea.hidden = true;
      if (this.closeWhenDone) this.close();
    }
  }

  /** A "csv-progress" event: {phase: 'checking'|'writing'|'indexing', done, total}. */
  setProgress({ phase, done = 0, total = 0 } = {}) {
    if (!this.running) return;
    this.lastProgress = { phase, done, total };
    this.progress.max = Math.max(total, 1);
    this.progress.value = Math.min(done, Math.max(total, 1));
    const label = { writing: 'csv.progress_writing', indexing: 'csv.progress_indexing' }[phase] || 'csv.progress_checking';
    this.progressLabel.textContent = t(label, { done, total });
  }

  async cancel() {
    if (!this.running) return;
    this.cancelButton.disabled = true;
    this.progressLabel.textContent = t('csv.cancelling');
    const errorEl = this.running === 'check' ? this.checkError : this.importError;
    const result = await this.run(() => ipc.csvCancel(), { errorEl, progress: t('csv.cancelling'), controls: null });
    if (!result.ok) this.cancelButton.disabled = false;
  }

  /** A mapping the backend refused is shown next to the mapping table. */
  showMappingError(error, errorEl) {
    const name = error?.details?.field ?? error?.field;
    if (error?.kind !== 'input.invalid' || name !== 'mapping') return;
    showMessage(this.mappingError, t('csv.mapping_problem', { problem: error.details?.problem ?? error.message ?? '' }));
    showMessage(errorEl, t('csv.see_mapping'));
    this.columns[0]?.select.focus();
  }
}

customElements.define('csv-import', CsvImport);
