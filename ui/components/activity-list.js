// <activity-list>: the processing activities (the entries of the Art. 30 record) with
// their status, last review and what is missing (the core computes both flags: the
// summaries carry review_due and missing_fields). "New activity" starts a blank one,
// "New from template" opens a dialog of ready-made activities. Emits "activity-open"
// {id}, "activity-new" {template: key|null} and "csv-import" {id, name}; <main-screen>
// then shows the editor or the CSV import.

import { AppElement, messageArea } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { fieldLabel, formatDate, formatList, formatNumber, has, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const DASH = '—';

class ActivityList extends AppElement {
  status = null;
  activities = null;
  templates = null;
  error = messageArea('activities-error');
  templateError = messageArea('templates-error');
  dialog = h('dialog', { id: 'template-dialog', class: 'dialog', 'aria-labelledby': 'template-dialog-title' });

  connectedCallback() {
    super.connectedCallback();
    if (!this.activities) this.load();
  }

  async load() {
    const result = await this.run(() => ipc.listActivities(), { errorEl: this.error, progress: t('activities.loading') });
    if (result.ok) {
      this.activities = result.value;
      this.rerender();
    }
  }

  render() {
    const list = this.activities;
    replace(this,
      h('div', { class: 'page-title' },
        h('h1', {}, t('activities.title')),
        h('div', { class: 'actions' },
          h('button', { type: 'button', id: 'activity-new', onclick: () => this.emit('activity-new', { template: null }) },
            t('activities.new')),
          h('button', { type: 'button', id: 'activity-from-template', class: 'primary', onclick: () => this.openTemplates() },
            t('activities.from_template')))),
      h('p', { class: 'muted' }, t('activities.intro')),
      this.error,
      list === null
        ? h('p', { class: 'muted' }, t('activities.loading'))
        : list.length ? this.renderTable(list) : h('p', { class: 'muted', id: 'activities-empty' }, t('activities.none')),
      this.dialog,
    );
    if (this.dialog.open) this.renderDialog();
  }

  renderTable(list) {
    const th = (text, cls) => h('th', { scope: 'col', class: cls }, text);
    return h('div', { class: 'table-wrap' },
      h('table', { class: 'activities', 'aria-label': t('activities.title') },
        h('thead', {}, h('tr', {},
          th(t('activities.col_name')), th(t('activities.col_status')), th(t('activities.col_reviewed')),
          th(t('activities.col_records'), 'num'), th(t('activities.col_subjects'), 'num'), th(t('activities.col_attention')),
          th(h('span', { class: 'visually-hidden' }, t('activities.col_actions'))))),
        h('tbody', {}, list.map((a) => h('tr', {
          'data-activity-id': a.id,
          class: 'clickable',
          onclick: () => this.emit('activity-open', { id: a.id }),
        },
          h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link row-link' }, a.name || DASH)),
          h('td', {}, h('span', { class: `badge ${a.status === 'approved' ? 'ok' : 'warning'}` },
            has(`activity_status.${a.status}`) ? t(`activity_status.${a.status}`) : a.status)),
          h('td', { class: 'nowrap' }, a.last_reviewed ? formatDate(a.last_reviewed) : t('activities.never')),
          h('td', { class: 'num' }, formatNumber(a.records ?? 0)),
          h('td', { class: 'num' }, formatNumber(a.subjects ?? 0)),
          h('td', {}, this.attention(a)),
          h('td', {}, h('button', {
            type: 'button',
            class: 'small nowrap row-import-csv',
            id: `activity-import-csv-${a.id}`,
            'aria-label': t('activities.import_csv_into', { name: a.name || DASH }),
            onclick: (event) => {
              event.stopPropagation(); // not the row's "open"
              this.emit('csv-import', { id: a.id, name: a.name });
            },
          }, t('activities.import_csv'))))))));
  }

  attention(a) {
    const notes = [];
    if (a.missing_fields?.length) notes.push(t('activities.missing', { fields: formatList(a.missing_fields.map(fieldLabel)) }));
    // The core decides both: review_due by its 12-calendar-month rule and the
    // register's clock, missing_fields by the Art. 30(1) required fields.
    if (a.review_due) notes.push(t('activities.review_due'));
    return notes.length ? h('ul', { class: 'attention small' }, notes.map((n) => h('li', {}, n))) : DASH;
  }

  async openTemplates() {
    if (!this.templates) {
      const result = await this.run(() => ipc.activityTemplates(), { errorEl: this.error, progress: t('activities.loading') });
      if (!result.ok) return;
      this.templates = result.value;
    }
    this.renderDialog();
    if (!this.dialog.open) this.dialog.showModal();
    this.dialog.querySelector('button.template')?.focus();
  }

  renderDialog() {
    replace(this.dialog,
      h('h2', { id: 'template-dialog-title' }, t('activities.templates_title')),
      h('p', { class: 'muted' }, t('activities.templates_intro')),
      this.templateError,
      h('ul', { class: 'plain-list templates' }, (this.templates ?? []).map((tpl) =>
        h('li', {}, h('button', {
          type: 'button',
          class: 'template',
          'data-template': tpl.key,
          onclick: () => this.choose(tpl.key),
        }, h('span', { class: 'template-title' }, tpl.title), h('span', { class: 'template-text' }, tpl.description))))),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'template-cancel', onclick: () => this.dialog.close() }, t('common.cancel'))),
    );
  }

  choose(key) {
    this.dialog.close();
    this.emit('activity-new', { template: key });
  }

  /** The templates come in the window's language: fetch them again after a switch. */
  rerender() {
    this.templates = null;
    if (this.dialog.open) this.dialog.close();
    super.rerender();
  }
}

customElements.define('activity-list', ActivityList);
