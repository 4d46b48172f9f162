// <retention-bulk>: on an activity's page (set .activityId and .triggers, the
// activity's triggers that take a date per person, as the core lists them), one date a retention rule counts from for everyone in the activity who has
// none yet: a recruitment closed, a course ended. It shows first how many people and
// records it concerns and when the records may then be deleted; then sets it. A date for
// one person is set on their page (<subject-rights>).

import { AppElement, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDate, localDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

class RetentionBulk extends AppElement {
  status = null;
  activityId = null;
  triggers = []; // ActivityEditor.dated_triggers
  preview = null;
  trigger = h('select', { id: 'bulk-trigger', onchange: () => this.changed() });
  on = h('input', { type: 'date', id: 'bulk-on', onchange: () => this.changed(), oninput: () => this.changed() });
  error = messageArea('bulk-error');
  done = messageArea('bulk-done', 'success');

  changed() {
    this.preview = null;
    this.rerender();
  }

  render() {
    const { triggers } = this;
    if (!triggers.length) {
      replace(this);
      return;
    }
    const chosen = this.trigger.value && triggers.includes(this.trigger.value) ? this.trigger.value : triggers[0];
    replace(this.trigger, triggers.map((x) => h('option', { value: x }, t(`retention_trigger.${x}`))));
    this.trigger.value = chosen;
    const readOnly = Boolean(this.status?.read_only);
    const p = this.preview;
    replace(this,
      h('section', { class: 'panel', id: 'retention-bulk', 'aria-labelledby': 'retention-bulk-title' },
        h('h2', { id: 'retention-bulk-title' }, t('bulk.title')),
        h('p', { class: 'muted' }, t('bulk.intro')),
        this.done,
        h('form', {
          class: 'form', novalidate: true,
          onsubmit: (event) => { event.preventDefault(); this.showPreview(); },
        },
          field(t('bulk.trigger'), this.trigger),
          field(t('bulk.on'), this.on, { hint: t('bulk.on_hint'), errorId: 'bulk-error' }),
          this.error,
          p
            ? h('div', { class: 'note', id: 'bulk-preview' },
                h('p', {}, t('bulk.preview', { people: p.people, records: p.records })),
                p.due.length
                  ? h('ul', { id: 'bulk-due' }, p.due.map(([date, count]) => h('li', {},
                      t('bulk.due', { count, date: formatDate(date) }))))
                  : h('p', {}, t('bulk.no_rule')))
            : null,
          h('div', { class: 'actions' },
            h('button', { type: 'submit', id: 'bulk-preview-button', disabled: readOnly }, t('bulk.show')),
            h('button', {
              type: 'button', id: 'bulk-save', class: 'primary', disabled: readOnly || !p || p.people === 0,
              onclick: () => this.save(),
            }, t('bulk.save', { count: p?.people ?? 0 }))))));
  }

  /** The chosen date, or null after saying what is wrong. */
  date() {
    const on = this.on.value;
    const bad = !on ? t('bulk.on_required') : on > localDate() ? t('bulk.on_future') : null;
    markInvalid(this.on, Boolean(bad));
    showMessage(this.error, bad ?? '');
    return bad ? null : on;
  }

  async showPreview() {
    showMessage(this.done, '');
    const on = this.date();
    if (!on) return;
    const result = await this.run(
      () => ipc.previewRetentionDates({ activity_id: this.activityId, trigger: this.trigger.value, on }),
      { errorEl: this.error, progress: t('bulk.working') },
    );
    if (!result.ok) return;
    this.preview = result.value;
    this.rerender();
    document.getElementById('bulk-save')?.focus();
  }

  async save() {
    const on = this.date();
    if (!on) return;
    const result = await this.run(
      () => ipc.setRetentionDates({ activity_id: this.activityId, trigger: this.trigger.value, on }),
      { errorEl: this.error, progress: t('bulk.working') },
    );
    if (!result.ok) return;
    this.preview = null;
    this.on.value = '';
    this.rerender();
    showMessage(this.done, t('bulk.saved', { count: result.value }));
  }
}

customElements.define('retention-bulk', RetentionBulk);
