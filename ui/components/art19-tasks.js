// <art19-tasks>: the recipients to tell of a rectification, erasure or restriction
// (GDPR Art. 19), one task per recipient, as the core made them. Each open task is
// closed as told (when, how) or as impossible / disproportionate (why). Set `.tasks`
// (a person's or a request's, from their page) or leave it unset to list every open
// task of the register (the requests page). `.showPerson` adds the person's name.
// Emits "notifications-changed" after a task is closed.

import { AppElement, field, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDate, localDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

class Art19Tasks extends AppElement {
  status = null;
  tasks = null; // set by the page, or loaded (every open task)
  own = false; // loaded here rather than given
  showPerson = false;
  closing = null; // { id, status }
  how = h('input', { type: 'text', id: 'art19-how', autocomplete: 'off' });
  on = h('input', { type: 'date', id: 'art19-on' });
  error = messageArea('art19-error');
  done = messageArea('art19-done', 'success');

  connectedCallback() {
    super.connectedCallback();
    if (this.tasks === null) {
      this.own = true;
      this.load();
    }
  }

  async load() {
    const result = await this.run(() => ipc.listNotifications({ open_only: true, subject_id: null }),
      { errorEl: this.error, progress: t('art19.loading') });
    if (result.ok) {
      this.tasks = result.value;
      this.rerender();
    }
  }

  render() {
    const tasks = this.tasks ?? [];
    const open = tasks.filter((x) => x.status === 'open');
    replace(this,
      h('section', { class: `panel${open.length ? ' attention-zone' : ''}`, 'aria-labelledby': 'art19-title', id: 'art19-panel' },
        h('h2', { id: 'art19-title' }, t('art19.title')),
        h('p', { class: 'muted' }, t('art19.intro')),
        this.error,
        this.done,
        this.tasks === null
          ? h('p', { class: 'muted' }, t('art19.loading'))
          : tasks.length === 0
            ? h('p', { class: 'ok-text', id: 'art19-none' }, t(this.own ? 'art19.none_open' : 'art19.none'))
            : [
                open.length ? h('p', { id: 'art19-summary' }, t('art19.open_count', { count: open.length })) : null,
                h('ul', { class: 'plain-list art19-list', id: 'art19-list' }, tasks.map((task) => this.renderTask(task))),
              ],
        this.closeForm()));
  }

  renderTask(task) {
    const what = t('art19.task', {
      recipient: task.recipient,
      kind: t(`recipient_kind.${task.recipient_kind}`),
      cause: t(`notify_cause.${task.cause}`),
    });
    const about = [
      this.showPerson ? (task.subject_name ?? t('art19.erased_person')) : null,
      task.activity,
      t('art19.made_on', { date: formatDate(task.created_on) }),
    ].filter(Boolean).join(' · ');
    const state = task.status === 'open'
      ? h('span', { class: 'badge warning' }, t('notify_status.open'))
      : h('span', { class: task.status === 'told' ? 'badge ok' : 'badge' },
        `${t(`notify_status.${task.status}`)} ${formatDate(task.done_on)}`);
    return h('li', { 'data-notification-id': task.id, class: 'art19-task' },
      h('div', {}, h('strong', {}, what), ' ', state),
      h('div', { class: 'muted' }, about),
      task.how ? h('div', { class: 'art19-how' }, task.how) : null,
      task.status === 'open' && this.closing?.id !== task.id
        ? h('div', { class: 'actions' },
            h('button', { type: 'button', class: 'small art19-told', onclick: () => this.ask(task, 'told') }, t('art19.mark_told')),
            h('button', { type: 'button', class: 'small art19-impossible', onclick: () => this.ask(task, 'impossible') }, t('art19.mark_impossible')),
            h('button', { type: 'button', class: 'small art19-disproportionate', onclick: () => this.ask(task, 'disproportionate') }, t('art19.mark_disproportionate')))
        : null);
  }

  /** Below the list, so that it fits a narrow window: how the recipient was told. */
  closeForm() {
    const task = (this.tasks ?? []).find((x) => x.id === this.closing?.id);
    if (!task) return null;
    const told = this.closing.status === 'told';
    return h('form', {
      class: 'form group', id: 'art19-form', novalidate: true,
      onsubmit: (event) => { event.preventDefault(); this.close(task); },
    },
      h('h3', {}, t(told ? 'art19.told_title' : 'art19.not_told_title', { recipient: task.recipient })),
      field(t(told ? 'art19.how_told' : 'art19.why_not'), this.how, { hint: t(told ? 'art19.how_told_hint' : 'art19.why_not_hint') }),
      field(t(told ? 'art19.told_on' : 'art19.decided_on'), this.on),
      h('div', { class: 'actions' },
        h('button', { type: 'submit', id: 'art19-save', class: 'primary' }, t(`art19.save_${this.closing.status}`)),
        h('button', { type: 'button', onclick: () => { this.closing = null; this.rerender(); } }, t('common.cancel'))));
  }

  ask(task, status) {
    this.closing = { id: task.id, status };
    this.how.value = '';
    this.on.value = localDate();
    showMessage(this.done, '');
    this.rerender();
    this.how.focus();
  }

  async close(task) {
    const result = await this.run(() => ipc.markNotification({
      id: task.id, status: this.closing.status, on: this.on.value || null, how: this.how.value.trim(),
    }), { errorEl: this.error, progress: t('art19.saving') });
    if (!result.ok) return;
    this.closing = null;
    this.tasks = this.own
      ? this.tasks.filter((x) => x.id !== task.id)
      : this.tasks.map((x) => (x.id === task.id ? result.value : x));
    this.rerender();
    showMessage(this.done, t('art19.closed', { recipient: task.recipient }));
    this.emit('notifications-changed', { id: task.id });
  }
}

customElements.define('art19-tasks', Art19Tasks);
