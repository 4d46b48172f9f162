// <retention-page>: records kept past their retention period (Art. 5(1)(e)), grouped
// by processing activity, with the rule that made each due. An activity's due records
// can be erased (people with nothing else left are erased completely, with a receipt)
// or anonymised, after a confirmation; records under a legal hold or a restriction are
// shown as blocked and are left alone.

import { AppElement, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import './legal-holds.js';
import { keptList } from '../lib/erasure.js';

class RetentionPage extends AppElement {
  status = null;
  queue = null;
  confirming = null; // {activity_id, action}
  error = messageArea('retention-error');
  done = messageArea('retention-done', 'success');
  // Kept across renders; a hold placed or released changes what is blocked.
  holds = document.createElement('legal-holds');

  constructor() {
    super();
    this.holds.addEventListener('holds-changed', () => this.load());
  }

  connectedCallback() {
    super.connectedCallback();
    if (!this.queue) this.load();
  }

  async load() {
    const result = await this.run(() => ipc.retentionQueue(), { errorEl: this.error, progress: t('retention.loading') });
    if (result.ok) {
      this.queue = result.value;
      this.rerender();
    }
  }

  render() {
    const q = this.queue;
    replace(this,
      h('div', { class: 'page-title' }, h('h1', {}, t('retention.title'))),
      h('p', { class: 'muted' }, t('retention.intro')),
      this.error,
      this.done,
      q === null
        ? h('p', { class: 'muted' }, t('retention.loading'))
        : q.groups.length
          ? [h('p', { id: 'retention-summary' }, t('retention.summary', { count: q.total, blocked: q.blocked })), q.groups.map((g) => this.renderGroup(g))]
          : h('p', { class: 'ok-text', id: 'retention-none' }, t('retention.none')),
      q?.erasures?.length ? this.renderErasures(q.erasures) : null,
      this.holds,
    );
  }

  /** Erasures that kept records (Art. 17(3)): what is kept, and finishing them. */
  renderErasures(erasures) {
    const ready = erasures.some((e) => e.free > 0 || !e.kept.length);
    return h('section', { class: 'panel', id: 'pending-erasures', 'aria-labelledby': 'pending-erasures-title' },
      h('h2', { id: 'pending-erasures-title' }, t('erasure.waiting_title')),
      h('p', { class: 'hint' }, t('erasure.waiting_intro')),
      erasures.map((e) => h('details', { class: 'pending-erasure', 'data-subject-id': e.subject_id },
        h('summary', {}, t('erasure.waiting_row', {
          name: e.subject_name,
          kept: t('erasure.waiting_kept', { count: e.kept.length }),
          free: e.free > 0 || !e.next_on
            ? t('erasure.waiting_free', { count: e.free })
            : t('erasure.waiting_next', { date: formatDate(e.next_on) }),
        })),
        keptList(e.kept, `pending-${e.subject_id}`))),
      h('div', { class: 'actions' },
        h('button', {
          type: 'button', id: 'finish-erasures', class: 'danger', disabled: !ready || Boolean(this.status?.read_only),
          onclick: () => this.finish(),
        }, t('erasure.finish'))));
  }

  async finish() {
    showMessage(this.done, '');
    const result = await this.run(() => ipc.finishErasures({ note: '' }), { errorEl: this.error, progress: t('erasure.finishing') });
    if (!result.ok) return;
    const { done, queue } = result.value;
    this.queue = queue;
    this.rerender();
    showMessage(this.done, t('erasure.finished', {
      count: done.length,
      complete: done.filter((d) => d.receipt.completed_at).length,
    }));
  }

  renderGroup(g) {
    const actionable = g.items.length - g.blocked;
    const asking = this.confirming?.activity_id === g.activity_id ? this.confirming.action : null;
    return h('section', { class: 'panel activity-records', 'data-activity-id': g.activity_id, 'aria-labelledby': `retention-${g.activity_id}` },
      h('h2', { id: `retention-${g.activity_id}` }, g.activity),
      h('div', { class: 'table-wrap' },
        h('table', {},
          h('thead', {}, h('tr', {}, ['col_person', 'col_category', 'col_rule', 'col_due', 'col_state']
            .map((k) => h('th', { scope: 'col' }, t(`retention.${k}`))))),
          h('tbody', {}, g.items.map((item) => h('tr', { 'data-record-id': item.record_id },
            h('th', { scope: 'row' }, item.subject_name),
            h('td', {}, item.category),
            h('td', {}, t('retention.rule', {
              amount: item.period.amount,
              unit: t(`period_unit.${item.period.unit}`),
              trigger: t(`retention_trigger.${item.trigger}`).toLowerCase(),
            })),
            h('td', { class: 'nowrap' }, formatDate(item.due_on)),
            h('td', {}, item.blocked
              ? h('span', { class: 'badge warning' }, t(`retention.blocked_${item.blocked.by}`))
              : h('span', { class: 'badge danger' }, t('retention.overdue', { count: item.days_overdue })))))))),
      actionable === 0
        ? h('p', { class: 'hint' }, t('retention.all_blocked'))
        : asking
          ? h('div', { class: 'actions' },
              h('span', { id: 'retention-question' }, t(`retention.confirm_${asking}`, { count: actionable, activity: g.activity })),
              h('button', { type: 'button', class: 'danger', id: 'retention-confirm', onclick: () => this.apply(g, asking) }, t(`retention.do_${asking}`)),
              h('button', { type: 'button', onclick: () => { this.confirming = null; this.rerender(); } }, t('common.cancel')))
          : h('div', { class: 'actions' },
              h('button', { type: 'button', class: 'retention-erase', onclick: () => this.ask(g, 'erase') }, t('retention.erase', { count: actionable })),
              h('button', { type: 'button', class: 'retention-anonymise', onclick: () => this.ask(g, 'anonymise') }, t('retention.anonymise', { count: actionable }))));
  }

  ask(group, action) {
    this.confirming = { activity_id: group.activity_id, action };
    showMessage(this.done, '');
    this.rerender();
    document.getElementById('retention-confirm')?.focus();
  }

  async apply(group, action) {
    const result = await this.run(
      () => ipc.applyRetention({ selection: { activity: group.activity_id }, action, note: '' }),
      { errorEl: this.error, progress: t('retention.working') },
    );
    this.confirming = null;
    if (!result.ok) {
      this.rerender();
      return;
    }
    const { outcome, queue } = result.value;
    this.queue = queue;
    this.rerender();
    showMessage(this.done, t(`retention.done_${action}`, {
      count: outcome.records,
      people: action === 'erase' ? outcome.erased_subjects.length : outcome.anonymised_subjects.length,
    }));
  }
}

customElements.define('retention-page', RetentionPage);
