// <legal-holds>: the legal holds (records that must be kept, for a claim, an audit or
// a law such as bokføringsloven), on the retention page. Lists those in force (and the
// released ones on request), releases one with a reason, and places a new one on a
// processing activity. With .activityId set (on an activity's page) it shows and
// places the holds of that activity only. A hold on a person is placed from their page
// (<subject-page>). While a hold is in force nothing it covers is deleted: not by the
// retention rules, not by hand; an erasure keeps it.

import { AppElement, checkboxField, field, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

class LegalHolds extends AppElement {
  status = null;
  activityId = null; // set: the holds of this activity only
  holds = null;
  activities = null;
  releasing = null; // hold id
  showReleased = h('input', { type: 'checkbox', id: 'holds-show-released', onchange: () => this.load() });
  activity = h('select', { id: 'hold-activity' });
  reason = h('input', { type: 'text', id: 'hold-reason', autocomplete: 'off' });
  until = h('input', { type: 'date', id: 'hold-until' });
  releaseReason = h('input', { type: 'text', id: 'hold-release-reason', autocomplete: 'off' });
  error = messageArea('holds-error');
  done = messageArea('holds-done', 'success');

  connectedCallback() {
    super.connectedCallback();
    if (!this.holds) this.load();
  }

  async load() {
    const [holds, activities] = await Promise.all([
      this.run(() => ipc.legalHolds({ include_released: this.showReleased.checked }), { errorEl: this.error, progress: t('holds.loading') }),
      this.activities ? { ok: true, value: this.activities } : this.run(() => ipc.listActivities(), { errorEl: this.error }),
    ]);
    if (holds.ok) {
      this.holds = this.activityId == null
        ? holds.value
        : holds.value.filter((x) => x.target.activity === this.activityId);
    }
    if (activities.ok) this.activities = activities.value;
    this.rerender();
  }

  render() {
    replace(this.activity, (this.activities ?? []).map((a) => h('option', { value: a.id }, a.name)));
    replace(this,
      h('section', { class: 'panel', 'aria-labelledby': 'holds-title' },
        h('h2', { id: 'holds-title' }, t(this.activityId == null ? 'holds.title' : 'holds.activity_title')),
        h('p', { class: 'muted' }, t('holds.intro')),
        this.error,
        this.done,
        checkboxField(this.showReleased, t('holds.show_released')),
        this.holds === null
          ? h('p', { class: 'muted' }, t('holds.loading'))
          : this.holds.length === 0
            ? h('p', { class: 'ok-text', id: 'holds-none' }, t('holds.none'))
            : h('div', { class: 'table-wrap' },
                h('table', { id: 'holds-table' },
                  h('thead', {}, h('tr', {}, ['col_covers', 'col_reason', 'col_until', 'col_state', 'col_action']
                    .map((k) => h('th', { scope: 'col' }, t(`holds.${k}`))))),
                  h('tbody', {}, this.holds.map((hold) => this.renderRow(hold))))),
        this.releaseForm(),
        h('form', {
          class: 'form group', id: 'hold-form', novalidate: true,
          onsubmit: (event) => { event.preventDefault(); this.add(); },
        },
          h('h3', {}, t(this.activityId == null ? 'holds.add_title' : 'holds.add_this_activity')),
          this.activityId == null ? field(t('holds.activity'), this.activity) : null,
          field(t('holds.reason'), this.reason, { hint: t('holds.reason_hint') }),
          field(t('holds.until'), this.until, { hint: t('holds.until_hint') }),
          h('div', { class: 'actions' },
            h('button', { type: 'submit', id: 'hold-add', disabled: !this.activities?.length }, t('holds.add'))))),
    );
  }

  renderRow(hold) {
    const covers = hold.target.activity !== undefined
      ? t('holds.on_activity', { name: hold.label })
      : t('holds.on_person', { name: hold.label });
    const asking = this.releasing === hold.id;
    return h('tr', { 'data-hold-id': hold.id },
      h('th', { scope: 'row' }, covers),
      h('td', {}, hold.reason),
      h('td', { class: 'nowrap' }, hold.until ? formatDate(hold.until) : t('holds.until_released')),
      h('td', {}, hold.active
        ? h('span', { class: 'badge warning' }, t('holds.active'))
        : h('span', { class: 'badge' }, hold.released_at ? t('holds.released') : t('holds.expired'))),
      h('td', {}, !hold.active || hold.released_at || asking
        ? null
        : h('button', { type: 'button', class: 'hold-release', onclick: () => this.ask(hold) }, t('holds.release_ask'))));
  }

  /** Below the table, so that it fits a narrow window: why the chosen hold ends. */
  releaseForm() {
    const hold = this.holds?.find((x) => x.id === this.releasing);
    if (!hold) return null;
    return h('div', { class: 'form group', id: 'hold-release-form' },
      h('p', {}, hold.target.activity !== undefined
        ? t('holds.on_activity', { name: hold.label })
        : t('holds.on_person', { name: hold.label })),
      field(t('holds.release_reason'), this.releaseReason),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'hold-release-confirm', onclick: () => this.release(hold) }, t('holds.release')),
        h('button', { type: 'button', onclick: () => { this.releasing = null; this.rerender(); } }, t('common.cancel'))));
  }

  ask(hold) {
    this.releasing = hold.id;
    this.releaseReason.value = '';
    this.rerender();
    this.releaseReason.focus();
  }

  async add() {
    showMessage(this.done, '');
    const result = await this.run(() => ipc.addLegalHold({
      subject_id: null,
      activity_id: this.activityId ?? Number(this.activity.value),
      reason: this.reason.value.trim(),
      until: this.until.value || null,
    }), { errorEl: this.error, progress: t('holds.saving') });
    if (!result.ok) return;
    this.reason.value = '';
    this.until.value = '';
    await this.load();
    showMessage(this.done, t('holds.added'));
    this.emit('holds-changed');
  }

  async release(hold) {
    showMessage(this.done, '');
    const result = await this.run(() => ipc.releaseLegalHold({ id: hold.id, reason: this.releaseReason.value.trim() }),
      { errorEl: this.error, progress: t('holds.saving') });
    if (!result.ok) return;
    this.releasing = null;
    await this.load();
    showMessage(this.done, t('holds.released_done'));
    this.emit('holds-changed');
  }
}

customElements.define('legal-holds', LegalHolds);
