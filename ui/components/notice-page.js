// <notice-page>: the privacy notice (GDPR Art. 13 and 14) written from the register.
// The language, what changed since the notice was last published in it, the activities
// left out or not yet described, a preview of the HTML file in a sandboxed frame (no
// scripts, nothing loaded), "Publish this version" (after a confirmation), saving it
// as HTML, PDF or text, and the published versions with the difference between two.
// Everything the notice says comes from the core; the frame shows the very file that
// "Save" writes.

import { AppElement, field, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDateTime, formatList, formatNumber, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { changeList, languageName } from '../lib/notice.js';
import { ReportChoice, exportedText } from '../lib/report-choice.js';

class NoticePage extends AppElement {
  status = null;
  /** @type {object|null} NoticePreview {lang, html, drift, status} */
  data = null;
  /** @type {object[]} NoticeVersionSummary, newest first */
  versions = [];
  confirming = false;
  /** @type {{a: number, b: number, changes: object[]}|null} */
  compared = null;
  choice = new ReportChoice('notice', ['html', 'pdf', 'text']);
  compareA = h('select', { id: 'notice-compare-a' });
  compareB = h('select', { id: 'notice-compare-b' });
  error = messageArea('notice-error');
  publishMessage = messageArea('notice-published', 'success');
  publishError = messageArea('notice-publish-error');
  saveError = messageArea('notice-save-error');
  saved = messageArea('notice-saved', 'success');
  compareError = messageArea('notice-compare-error');
  markMessage = messageArea('notice-marked', 'success');
  markError = messageArea('notice-mark-error');

  constructor() {
    super();
    this.choice.lang.addEventListener('change', () => {
      this.confirming = false;
      showMessage(this.publishMessage, '');
      this.load();
    });
  }

  connectedCallback() {
    super.connectedCallback();
    if (!this.data) this.load();
  }

  lang() {
    return this.choice.lang.value || 'en';
  }

  async load() {
    const lang = this.lang();
    const result = await this.run(async () => {
      const [preview, versions] = await Promise.all([ipc.noticePreview({ lang }), ipc.listNotices()]);
      return { preview, versions };
    }, { errorEl: this.error, progress: t('notice.loading') });
    if (result.ok) {
      this.data = result.value.preview;
      this.versions = result.value.versions ?? [];
      this.rerender();
    }
  }

  render() {
    const d = this.data;
    replace(this,
      h('div', { class: 'page-title' },
        h('h1', {}, t('notice.title')),
        h('button', { type: 'button', id: 'notice-refresh', onclick: () => this.load() }, t('common.refresh'))),
      h('p', { class: 'hint' }, t('notice.intro')),
      this.error,
      h('section', { class: 'panel', 'aria-labelledby': 'notice-choice-title' },
        h('h2', { id: 'notice-choice-title', class: 'visually-hidden' }, t('notice.choice_title')),
        this.choice.fields()),
      d
        ? [this.renderDrift(d), this.renderGaps(d.status ?? {}), this.renderPublish(d), this.renderPreview(d),
           this.renderSave(), this.renderVersions()]
        : h('p', { class: 'muted' }, t('notice.loading')),
    );
  }

  /** What changed since the notice was last published in this language. */
  renderDrift(d) {
    const lang = languageName(d.lang);
    const drift = d.drift;
    let body;
    if (!drift) {
      body = h('p', { class: 'attention' }, t('notice.never_published', { lang }));
    } else if (!drift.changes?.length) {
      body = h('p', { class: 'ok-text' }, t('notice.up_to_date', { lang, date: formatDateTime(drift.published_at) }));
    } else {
      body = [
        h('p', { class: 'attention' }, t('notice.out_of_date', {
          lang, date: formatDateTime(drift.published_at), count: drift.changes.length,
        })),
        changeList(drift.changes, { id: 'notice-changes' }),
      ];
    }
    const stale = Boolean(drift?.changes?.length) || !drift;
    return h('section', { class: `panel${stale ? ' warning-zone' : ''}`, id: 'notice-drift', 'aria-labelledby': 'notice-drift-title' },
      h('h2', { id: 'notice-drift-title' }, t('notice.drift_title')),
      body);
  }

  /** Activities marked for the notice that it leaves out, or describes only in part. */
  renderGaps(status) {
    const notes = [];
    if (status.drafts_left_out?.length) {
      notes.push(t('notice.drafts_left_out', { count: status.drafts_left_out.length, names: formatList(status.drafts_left_out) }));
    }
    if (status.without_text?.length) {
      notes.push(t('notice.without_text', { count: status.without_text.length, names: formatList(status.without_text) }));
    }
    if (status.unconfirmed?.length) {
      notes.push(t('notice.unconfirmed', { count: status.unconfirmed.length, names: formatList(status.unconfirmed) }));
    }
    const unmarked = status.not_marked ?? [];
    return h('section', { class: 'panel', id: 'notice-gaps', 'aria-labelledby': 'notice-gaps-title' },
      h('h2', { id: 'notice-gaps-title' }, t('notice.gaps_title')),
      h('p', {}, t('notice.activities_count', { count: status.activities ?? 0 })),
      notes.length ? h('ul', { class: 'attention' }, notes.map((n) => h('li', {}, n))) : null,
      unmarked.length
        ? h('div', { id: 'notice-not-marked' },
            h('p', { class: 'attention' }, t('notice.not_marked', { count: unmarked.length, names: formatList(unmarked) })),
            h('div', { class: 'actions' },
              h('button', { type: 'button', id: 'notice-mark-approved', onclick: () => this.markApproved() },
                t('notice.mark_approved', { count: unmarked.length }))))
        : null,
      this.markMessage,
      this.markError,
      h('p', { class: 'hint' }, t('notice.gaps_hint')));
  }

  /** Marks every approved activity left out for the notice, then shows the notice again. */
  async markApproved() {
    showMessage(this.markMessage, '');
    const result = await this.run(() => ipc.markApprovedForNotice(), { errorEl: this.markError });
    if (!result.ok) return;
    await this.load();
    showMessage(this.markMessage, t('notice.marked', { count: result.value }));
    document.getElementById('notice-gaps-title')?.focus?.();
  }

  renderPublish(d) {
    const lang = languageName(d.lang);
    const content = this.confirming
      ? [h('p', { id: 'notice-publish-question' }, t('notice.publish_question', { lang })),
         h('div', { class: 'actions' },
           h('button', { type: 'button', class: 'primary', id: 'notice-publish-confirm', onclick: () => this.publish() }, t('notice.publish_confirm')),
           h('button', { type: 'button', id: 'notice-publish-cancel', onclick: () => {
             this.confirming = false; this.rerender(); document.getElementById('notice-publish')?.focus();
           } }, t('common.cancel')))]
      : [h('p', { class: 'hint' }, t('notice.publish_hint')),
         h('div', { class: 'actions' },
           h('button', { type: 'button', class: 'primary', id: 'notice-publish', onclick: () => {
             this.confirming = true; showMessage(this.publishMessage, ''); this.rerender();
             document.getElementById('notice-publish-confirm')?.focus();
           } }, t('notice.publish', { lang })))];
    return h('section', { class: 'panel', id: 'notice-publish-panel', 'aria-labelledby': 'notice-publish-title' },
      h('h2', { id: 'notice-publish-title' }, t('notice.publish_title')),
      content, this.publishError, this.publishMessage);
  }

  async publish() {
    const lang = this.lang();
    const result = await this.run(() => ipc.publishNotice({ lang }), { errorEl: this.publishError, progress: t('notice.publishing') });
    this.confirming = false;
    if (result.ok) {
      showMessage(this.publishMessage, t('notice.published', {
        lang: languageName(result.value.lang), date: formatDateTime(result.value.published_at), id: result.value.id,
      }));
      await this.load();
      document.getElementById('notice-published')?.scrollIntoView?.({ block: 'nearest' });
    } else {
      this.rerender();
    }
  }

  /** The HTML file as it is written, in a frame that runs no script and loads nothing. */
  renderPreview(d) {
    return h('section', { class: 'panel', id: 'notice-preview-panel', 'aria-labelledby': 'notice-preview-title' },
      h('h2', { id: 'notice-preview-title' }, t('notice.preview_title')),
      h('p', { class: 'hint' }, t('notice.preview_hint')),
      h('iframe', {
        id: 'notice-preview',
        class: 'notice-preview',
        title: t('notice.preview_frame', { lang: languageName(d.lang) }),
        sandbox: '',
        referrerpolicy: 'no-referrer',
        srcdoc: d.html ?? '',
      }));
  }

  renderSave() {
    return h('section', { class: 'panel', id: 'notice-save-panel', 'aria-labelledby': 'notice-save-title' },
      h('h2', { id: 'notice-save-title' }, t('notice.save_title')),
      h('p', { class: 'hint' }, t('notice.save_hint')),
      this.saveError, this.saved,
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'notice-save', onclick: () => this.save(null, this.lang(), this.choice.format.value) },
          t('notice.save'))));
  }

  async save(version, lang, format) {
    showMessage(this.saved, '');
    const result = await this.run(() => ipc.exportNotice({ lang, format, version }), {
      errorEl: this.saveError, progress: t('report.working'),
    });
    if (result.ok && result.value) showMessage(this.saved, exportedText(result.value));
  }

  versionLabel(v) {
    return t('notice.version_label', { id: v.id, date: formatDateTime(v.published_at), lang: languageName(v.lang) });
  }

  renderVersions() {
    const list = this.versions;
    const rows = list.map((v) => h('tr', { 'data-notice-id': v.id },
      h('td', {}, formatDateTime(v.published_at)),
      h('td', {}, languageName(v.lang)),
      h('td', { class: 'num' }, formatNumber(v.activities ?? 0)),
      h('td', {}, h('button', {
        type: 'button', class: 'small', id: `notice-version-save-${v.id}`,
        'aria-label': t('notice.version_save_label', { version: this.versionLabel(v) }),
        onclick: () => this.save(v.id, v.lang, 'html'),
      }, t('notice.version_save')))));
    return h('section', { class: 'panel', id: 'notice-versions', 'aria-labelledby': 'notice-versions-title' },
      h('h2', { id: 'notice-versions-title' }, t('notice.versions_title')),
      list.length
        ? [h('div', { class: 'table-wrap' },
            h('table', { 'aria-labelledby': 'notice-versions-title' },
              h('thead', {}, h('tr', {},
                h('th', { scope: 'col' }, t('notice.col_published')),
                h('th', { scope: 'col' }, t('notice.col_language')),
                h('th', { scope: 'col', class: 'num' }, t('notice.col_activities')),
                h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, t('notice.col_save'))))),
              h('tbody', {}, rows))),
           list.length > 1 ? this.renderCompare(list) : null]
        : h('p', { class: 'muted' }, t('notice.no_versions')));
  }

  renderCompare(list) {
    const fill = (select, fallback) => {
      const chosen = select.value;
      replace(select, list.map((v) => h('option', { value: String(v.id) }, this.versionLabel(v))));
      select.value = list.some((v) => String(v.id) === chosen) ? chosen : String(fallback);
    };
    // By default the newest against the one before it.
    fill(this.compareA, list[1].id);
    fill(this.compareB, list[0].id);
    const c = this.compared;
    return h('div', { class: 'notice-compare' },
      h('h3', {}, t('notice.compare_title')),
      h('div', { class: 'field-row' },
        field(t('notice.compare_from'), this.compareA),
        field(t('notice.compare_to'), this.compareB)),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'notice-compare', onclick: () => this.compare() }, t('notice.compare'))),
      this.compareError,
      c
        ? h('div', { id: 'notice-compare-result', 'aria-live': 'polite' },
            c.changes.length
              ? [h('p', {}, t('notice.compare_changes', { count: c.changes.length })), changeList(c.changes)]
              : h('p', { class: 'ok-text' }, t('notice.compare_same')))
        : null);
  }

  async compare() {
    const a = Number(this.compareA.value);
    const b = Number(this.compareB.value);
    const result = await this.run(() => ipc.noticeDiff({ a, b }), { errorEl: this.compareError, progress: t('notice.comparing') });
    if (result.ok) {
      this.compared = { a, b, changes: result.value ?? [] };
      this.rerender();
    }
  }
}

customElements.define('notice-page', NoticePage);
