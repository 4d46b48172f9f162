// <overview-page>: the register at a glance: controller, counts, what needs
// attention, the open requests and breaches (with their clocks), the processing
// activities and the state of the audit chain, with the check of the chain against an
// earlier report's head; and the exports: the Art. 30 record, the processor's record
// (Art. 30(2)), and the whole register as JSON.

import { AppElement, field, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { fieldLabel, formatDate, formatList, formatNumber, has, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { deadlineBadge, shortRef, whoOf } from '../lib/requests.js';
import { breachName, clockBadge, reportedBy } from '../lib/breaches.js';
import { ReportChoice, exportedText } from '../lib/report-choice.js';
import { changeList, languageName } from '../lib/notice.js';
// Also defines <client-list>, the page of main-screen's PAGES that lists the clients.
import { PROCESSOR_RECORD_FORMATS } from './client-list.js';

const DASH = '—';

/** Open requests by their deadline, earliest first. */
const byDue = (list) => [...list].sort((a, b) =>
  String(a.deadline?.effective_due_on).localeCompare(String(b.deadline?.effective_due_on)));

class OverviewPage extends AppElement {
  status = null;
  data = null;
  loadedAt = 0;
  error = messageArea('overview-error');
  report = new ReportChoice('export-art30', ['pdf', 'json', 'csv', 'xlsx', 'xlsx-datatilsynet', 'xlsx-ico', 'dpv']);
  exportError = messageArea('export-art30-error');
  exportDone = messageArea('export-art30-done', 'success');
  processorRecord = new ReportChoice('export-processor-record', PROCESSOR_RECORD_FORMATS);
  processorRecordError = messageArea('export-processor-record-error');
  processorRecordDone = messageArea('export-processor-record-done', 'success');
  registerError = messageArea('export-register-error');
  registerDone = messageArea('export-register-done', 'success');
  exportWanted = false;
  // "Check against an earlier report": the pasted head, and the last check's answer.
  againstHead = h('input', {
    id: 'audit-against-head', type: 'text', autocomplete: 'off', spellcheck: 'false', class: 'mono',
    onkeydown: (e) => { if (e.key === 'Enter') this.checkAgainstHead(); },
  });
  againstError = messageArea('audit-against-error');
  againstResult = h('p', { id: 'audit-against-result', class: 'message', 'aria-live': 'polite' });
  against = null;

  /** File → Export lands here: the export panel, scrolled to and focused (once loaded). */
  focusExport() {
    this.exportWanted = true;
    this.showExportPanel();
  }

  showExportPanel() {
    if (!this.exportWanted || !this.report.format.isConnected) return;
    this.exportWanted = false;
    document.getElementById('export-art30-panel')?.scrollIntoView?.({ block: 'start' });
    this.report.format.focus();
  }

  renderExport() {
    return h('section', { class: 'panel', id: 'export-art30-panel', 'aria-labelledby': 'export-art30-title' },
      h('h2', { id: 'export-art30-title' }, t('report.art30_title')),
      h('p', { class: 'hint' }, t('report.art30_intro')),
      this.report.fields(),
      this.exportError,
      this.exportDone,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'export-art30', class: 'primary', onclick: () => this.exportArt30() }, t('report.art30_button'))),
      h('section', { class: 'export-processor-record', 'aria-labelledby': 'export-processor-record-title' },
        h('h3', { id: 'export-processor-record-title' }, t('report.processor_record_title')),
        h('p', { class: 'hint' }, t('report.processor_record_intro')),
        this.processorRecord.fields(),
        this.processorRecordError,
        this.processorRecordDone,
        h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'export-processor-record', onclick: () => this.exportProcessorRecord() },
            t('report.processor_record_button')))),
      h('section', { class: 'export-register', 'aria-labelledby': 'export-register-title' },
        h('h3', { id: 'export-register-title' }, t('report.register_title')),
        h('p', { class: 'hint' }, t('report.register_intro')),
        this.registerError,
        this.registerDone,
        h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'export-register', onclick: () => this.exportRegister() }, t('report.register_button')))));
  }

  /** The whole register as JSON, for moving it to another program or a new register. */
  async exportRegister() {
    showMessage(this.registerDone, '');
    const result = await this.run(() => ipc.exportRegister(), {
      errorEl: this.registerError, progress: t('report.register_working'),
    });
    if (result.ok && result.value) showMessage(this.registerDone, registerExportedText(result.value));
  }

  /** The processor's record (Art. 30(2)): the controllers we process personal data for. */
  async exportProcessorRecord() {
    showMessage(this.processorRecordDone, '');
    const result = await this.run(() => ipc.exportProcessorRecord(this.processorRecord.value()), {
      errorEl: this.processorRecordError, progress: t('report.working'),
    });
    if (result.ok && result.value) showMessage(this.processorRecordDone, exportedText(result.value));
  }

  async exportArt30() {
    showMessage(this.exportDone, '');
    const result = await this.run(() => ipc.exportArt30(this.report.value()), {
      errorEl: this.exportError, progress: t('report.working'),
    });
    if (result.ok && result.value) showMessage(this.exportDone, exportedText(result.value));
  }

  connectedCallback() {
    super.connectedCallback();
    if (!this.data) this.load();
  }

  async load() {
    const result = await this.run(() => ipc.overview(), { errorEl: this.error, progress: t('overview.loading') });
    if (result.ok) {
      this.data = result.value;
      this.loadedAt = Date.now();
      this.rerender();
      this.showExportPanel();
    }
  }

  render() {
    const data = this.data;
    replace(this,
      h('div', { class: 'page-title' },
        h('h1', {}, t('overview.title')),
        h('button', { type: 'button', onclick: () => this.load() }, t('common.refresh'))),
      this.error,
      data ? this.renderBody(data) : h('p', { class: 'muted' }, t('overview.loading')),
    );
  }

  renderBody({ controller, counts, activities, audit, requests, breaches, notice }) {
    return [
      this.renderBreaches(breaches ?? []),
      this.renderRequests(requests),
      this.renderNotice(notice),
      h('section', { class: 'panel', 'aria-labelledby': 'controller-title' },
        h('h2', { id: 'controller-title' }, t('overview.controller')),
        controller ? this.renderController(controller) : h('p', { class: 'muted' }, t('overview.no_controller'))),
      h('section', { 'aria-label': t('overview.counts') },
        h('ul', { class: 'cards' },
          ['activities', 'subjects', 'records', 'processors'].map((key) =>
            h('li', { class: 'card' },
              h('span', { class: 'card-number' }, formatNumber(counts[key] ?? 0)),
              h('span', { class: 'card-label' }, t(`overview.count_${key}`, { count: counts[key] ?? 0 })))))),
      h('section', { class: 'panel', 'aria-labelledby': 'attention-title' },
        h('h2', { id: 'attention-title' }, t('overview.attention')),
        this.renderAttention(counts, activities)),
      h('section', { 'aria-labelledby': 'activities-title' },
        h('h2', { id: 'activities-title' }, t('overview.activities')),
        activities.length ? this.renderActivities(activities) : h('p', { class: 'muted' }, t('overview.no_activities'))),
      this.renderExport(),
      h('section', { class: 'panel', 'aria-labelledby': 'audit-title' },
        h('h2', { id: 'audit-title' }, t('overview.audit')),
        this.renderAudit(audit),
        this.renderAgainst()),
    ];
  }

  /**
   * "Check against an earlier report": a saved report (JSON or PDF) or its head pasted as
   * HASH:COUNT, compared with the whole audit log (the backend never trusts its own
   * checkpoint for this).
   */
  renderAgainst() {
    this.againstHead.placeholder = t('overview.against_placeholder');
    this.showAgainst();
    return h('section', { class: 'audit-against', id: 'audit-against', 'aria-labelledby': 'audit-against-title' },
      h('h3', { id: 'audit-against-title' }, t('overview.against_title')),
      h('p', { class: 'hint' }, t('overview.against_intro')),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'audit-against-file', onclick: () => this.checkAgainstReport() }, t('overview.against_file'))),
      field(t('overview.against_paste'), this.againstHead, { errorId: 'audit-against-error' }),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'audit-against-check', onclick: () => this.checkAgainstHead() }, t('overview.against_check'))),
      this.againstError,
      this.againstResult);
  }

  async checkAgainstReport() {
    this.against = null;
    this.showAgainst();
    const result = await this.run(() => ipc.checkAgainstReport(), {
      errorEl: this.againstError, progress: t('overview.against_working'),
    });
    if (result.ok && result.value) {
      this.against = result.value;
      this.showAgainst();
    }
  }

  async checkAgainstHead() {
    this.against = null;
    this.showAgainst();
    const result = await this.run(() => ipc.checkAgainstHead({ head: this.againstHead.value }), {
      errorEl: this.againstError, progress: t('overview.against_working'),
    });
    if (result.ok) {
      this.against = result.value;
      this.showAgainst();
    }
  }

  /** The last check's answer, in the window's language. */
  showAgainst() {
    const check = this.against;
    this.againstResult.className = `message ${check ? (check.outcome === 'intact' ? 'success' : 'error') : ''}`;
    showMessage(this.againstResult, check ? againstText(check) : '');
  }

  /** Open requests with the days left, most urgent first (the backend sorts them). */
  renderRequests(deadlines) {
    const list = deadlines?.requests ?? [];
    const urgent = (deadlines?.overdue ?? 0) > 0 ? ' danger-zone' : '';
    return h('section', { class: `panel${urgent}`, id: 'overview-requests', 'aria-labelledby': 'requests-title' },
      h('h2', { id: 'requests-title' }, t('overview.requests')),
      list.length
        ? [h('p', {}, t('overview.requests_summary', { open: deadlines.open, overdue: deadlines.overdue, soon: deadlines.due_soon })),
           deadlines.extension_reminders
             ? h('p', { class: 'attention', id: 'overview-extension-reminders' }, t('overview.extension_reminders', { count: deadlines.extension_reminders }))
             : null,
           h('ul', { class: 'plain-list' }, byDue(list).map((r) => h('li', { 'data-request-id': r.id },
             h('button', { type: 'button', class: 'link', onclick: () => this.emit('request-open', { id: r.id }) },
               `${t(`request_kind.${r.kind}`)} ${shortRef(r)}`),
             ` · ${whoOf(r)} · `,
             deadlineBadge(r))))]
        : h('p', { class: 'ok-text' }, t('overview.requests_none')));
  }

  /** Open breaches with their 72-hour clocks (Art. 33(1)), most urgent first (the core sorts them). */
  renderBreaches(list) {
    const overdue = list.some((b) => b.clock?.running && b.clock?.overdue);
    return h('section', { class: `panel${overdue ? ' danger-zone' : ''}`, id: 'overview-breaches', 'aria-labelledby': 'overview-breaches-title' },
      h('h2', { id: 'overview-breaches-title' }, t('overview.breaches')),
      list.length
        ? [h('p', {}, t('overview.breaches_summary', { count: list.length })),
           h('ul', { class: 'plain-list' }, list.map((b) => h('li', { 'data-breach-id': b.id },
             h('button', { type: 'button', class: 'link', onclick: () => this.emit('breach-open', { id: b.id }) }, breachName(b)),
             ' · ',
             clockBadge(b, this.loadedAt),
             reportedBy(b) ? h('span', { class: 'muted small' }, ` · ${reportedBy(b)}`) : null)))]
        : h('p', { class: 'ok-text' }, t('overview.breaches_none')));
  }

  /**
   * The privacy notice (Art. 13, 14), when it needs the manager: never published, or
   * the register has changed since a language was published (the first changes, in
   * words). Nothing when every published language is up to date.
   */
  renderNotice(notice) {
    if (!notice) return null;
    const published = notice.published ?? [];
    const stale = published.filter((d) => d.changes?.length);
    if (published.length && !stale.length) return null;
    // The notice page is a navigation page: its button there opens it.
    const open = () => document.getElementById('nav-notice')?.click();
    return h('section', { class: 'panel warning-zone', id: 'overview-notice', 'aria-labelledby': 'overview-notice-title' },
      h('h2', { id: 'overview-notice-title' }, t('overview.notice_title')),
      published.length
        ? stale.map((d) => [
            h('p', { class: 'attention' }, t('overview.notice_out_of_date', {
              lang: languageName(d.lang), date: formatDate(d.published_at), count: d.changes.length,
            })),
            changeList(d.changes, { id: `overview-notice-changes-${d.lang}`, limit: 5 }),
          ])
        : h('p', { class: 'attention' }, t('overview.notice_never', { count: notice.activities ?? 0 })),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'overview-notice-open', onclick: open }, t('overview.notice_open'))));
  }

  renderController(c) {
    const person = c.contact_person ?? {};
    const contact = [person.name, person.email || c.email, person.phone || c.phone].filter(Boolean).join(' · ');
    const row = (label, value) => [h('dt', {}, label), h('dd', {}, value || DASH)];
    return h('dl', { class: 'facts' },
      row(t('overview.organisation'), c.organisation),
      row(t('overview.org_number'), c.org_number),
      row(t('overview.contact'), contact));
  }

  renderAttention(counts, activities) {
    const items = [];
    for (const activity of activities) {
      if (activity.status === 'draft') items.push(t('overview.attention_draft', { name: activity.name }));
      if (activity.missing_fields?.length) {
        items.push(t('overview.attention_missing', {
          name: activity.name,
          fields: formatList(activity.missing_fields.map(fieldLabel)),
        }));
      }
    }
    if (counts.review_overdue > 0) items.push(t('overview.attention_review', { count: counts.review_overdue }));
    if (counts.unconfirmed_proposals > 0) items.push(t('overview.attention_proposals', { count: counts.unconfirmed_proposals }));
    if (counts.notifications_open > 0) items.push(t('overview.attention_art19', { count: counts.notifications_open }));
    return items.length
      ? h('ul', { class: 'attention' }, items.map((text) => h('li', {}, text)))
      : h('p', { class: 'ok-text' }, t('overview.attention_none'));
  }

  renderActivities(activities) {
    const th = (text, num) => h('th', { scope: 'col', class: num ? 'num' : null }, text);
    return h('div', { class: 'table-wrap' },
      h('table', { 'aria-labelledby': 'activities-title' },
        h('thead', {}, h('tr', {},
          th(t('overview.col_name')), th(t('overview.col_status')), th(t('overview.col_reviewed')),
          th(t('overview.col_records'), true), th(t('overview.col_subjects'), true), th(t('overview.col_missing')))),
        h('tbody', {}, activities.map((a) => h('tr', {
          'data-activity-id': a.id, class: 'clickable', onclick: () => this.emit('activity-open', { id: a.id }),
        },
          h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link row-link' }, a.name)),
          h('td', {}, h('span', { class: `badge ${a.status === 'approved' ? 'ok' : 'warning'}` },
            has(`activity_status.${a.status}`) ? t(`activity_status.${a.status}`) : a.status)),
          h('td', {}, a.last_reviewed ? formatDate(a.last_reviewed) : t('overview.never')),
          h('td', { class: 'num' }, formatNumber(a.records ?? 0)),
          h('td', { class: 'num' }, formatNumber(a.subjects ?? 0)),
          h('td', {}, a.missing_fields?.length ? formatList(a.missing_fields.map(fieldLabel)) : DASH))))));
  }

  renderAudit(audit) {
    if (!audit) return h('p', { class: 'muted' }, DASH);
    const hash = audit.head_hash ?? '';
    return h('dl', { class: 'facts' },
      h('dt', {}, t('overview.audit_events')),
      h('dd', {}, formatNumber(audit.events ?? 0)),
      h('dt', {}, t('overview.audit_chain')),
      h('dd', {}, audit.first_broken
        ? [h('span', { class: 'badge danger' }, t('overview.audit_broken', { seq: audit.first_broken.seq })),
           audit.first_broken.problem ? h('span', { class: 'muted' }, ` ${audit.first_broken.problem}`) : null]
        : h('span', { class: 'badge ok' }, t('overview.audit_intact'))),
      h('dt', {}, t('overview.audit_head')),
      h('dd', {}, hash ? h('code', { title: hash }, hash.length > 16 ? `${hash.slice(0, 12)}…` : hash) : DASH),
      audit.checkpoint
        ? [h('dt', {}, t('overview.audit_checkpoint')), h('dd', { id: 'audit-checkpoint' }, checkpointText(audit.checkpoint))]
        : null);
  }
}

/** The stored checkpoint as the session's first check found it, in words. */
export function checkpointText(checkpoint) {
  const events = checkpoint.events ?? 0;
  switch (checkpoint.state) {
    case 'valid':
      return checkpoint.used ? t('overview.checkpoint_used', { events }) : t('overview.checkpoint_valid', { events });
    case 'invalid':
      return h('span', { class: 'badge warning' }, t('overview.checkpoint_invalid'));
    case 'changed':
      return h('span', { class: 'badge danger' }, t('overview.checkpoint_changed', { events }));
    default:
      return t('overview.checkpoint_absent');
  }
}

/** The answer of a check against an earlier report's head (a HeadCheck), in words. */
export function againstText(check) {
  const events = check.head?.events ?? 0;
  const now = check.log_events ?? 0;
  const broken = check.chain?.first_broken;
  const params = { events, now, seq: broken?.seq ?? '', count: Math.max(0, now - events) };
  switch (check.outcome) {
    case 'intact':
      return t('overview.against_intact', params);
    case 'changed':
      return t(broken && broken.seq <= events ? 'overview.against_changed_at' : 'overview.against_changed', params);
    case 'beyond_log':
      return t('overview.against_beyond', params);
    case 'broken_after':
      return t('overview.against_broken_after', params);
    default:
      return t('errors.unknown');
  }
}

/** After "Export the whole register": where it went, and how many people and records. */
export function registerExportedText(summary) {
  const rows = (table) => summary.tables?.find(([name]) => name === table)?.[1] ?? 0;
  return t('report.register_saved', { path: summary.path, subjects: rows('subjects'), records: rows('records') });
}

customElements.define('overview-page', OverviewPage);
