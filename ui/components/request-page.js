// <request-page>: one data subject request, worked through in order: whom it is about,
// how their identity was checked, then completing it by doing what it asks (the same
// core paths as the rest of the app), or extending the deadline, or refusing with a
// reason. An erasure ends with its receipt. Set `requestId` before connecting.
// Emits "request-back" and "subject-open" {id}.

import { AppElement, field, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { formatDate, formatDateTime, localDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { keptList } from '../lib/erasure.js';
import { deadlineBadge, personButtons, shortRef, whoOf } from '../lib/requests.js';
import { ReportChoice, exportedText } from '../lib/report-choice.js';
import './art19-tasks.js';

const DASH = '—';

class RequestPage extends AppElement {
  status = null;
  requestId = null;
  page = null;
  hits = [];
  error = messageArea('request-error');
  done = messageArea('request-done', 'success');
  matchSearch = h('input', { id: 'request-match-search', type: 'search', autocomplete: 'off', oninput: () => this.findPeople() });
  verifyHow = h('input', { id: 'request-verify-how', type: 'text' });
  verifyOn = h('input', { id: 'request-verify-on', type: 'date', value: localDate() });
  extendMonths = h('select', { id: 'request-extend-months' }, h('option', { value: '1' }, '1'), h('option', { value: '2' }, '2'));
  extendReason = h('input', { id: 'request-extend-reason', type: 'text' });
  extendTold = h('input', { id: 'request-extend-told', type: 'date' });
  askHow = h('input', { id: 'request-ask-how', type: 'text' });
  refuseReason = h('input', { id: 'request-refuse-reason', type: 'text' });
  refuseGround = h('select', { id: 'request-refuse-ground' });
  partlyGround = h('select', { id: 'request-partly-ground' });
  partlyText = h('textarea', { id: 'request-partly-text', rows: 2 });
  feeAmount = h('input', { id: 'request-fee-amount', type: 'text', inputmode: 'decimal', autocomplete: 'off' });
  feeCurrency = h('input', { id: 'request-fee-currency', type: 'text', value: 'NOK', maxlength: 3, size: 4 });
  feeGround = h('select', { id: 'request-fee-ground' });
  feeReason = h('input', { id: 'request-fee-reason', type: 'text', autocomplete: 'off' });
  replyOn = h('input', { id: 'request-reply-on', type: 'date', value: localDate() });
  replyHow = h('input', { id: 'request-reply-how', type: 'text', autocomplete: 'off' });
  art19 = document.createElement('art19-tasks');
  letter = new ReportChoice('reply-letter', ['pdf', 'txt']);
  report = new ReportChoice('request-report', ['pdf', 'json']);
  rectify = {
    name: h('input', { id: 'request-rectify-name', type: 'text' }),
    email: h('input', { id: 'request-rectify-email', type: 'text' }),
    phone: h('input', { id: 'request-rectify-phone', type: 'text' }),
  };

  connectedCallback() {
    super.connectedCallback();
    if (!this.page) this.load();
  }

  async load() {
    const result = await this.run(() => ipc.requestPage({ id: this.requestId }), { errorEl: this.error, progress: t('requests.loading') });
    if (result.ok) this.show(result.value);
  }

  show(page) {
    this.page = page;
    const s = page.subject ?? {};
    this.rectify.name.value = s.name ?? '';
    this.rectify.email.value = s.email ?? '';
    this.rectify.phone.value = s.phone ?? '';
    this.rerender();
  }

  /** Run a step; on success show the new page and say what happened. */
  async step(task, doneKey) {
    showMessage(this.done, '');
    const result = await this.run(task, { errorEl: this.error, progress: t('request.working') });
    if (result.ok) {
      this.show(result.value);
      if (doneKey) showMessage(this.done, t(doneKey));
    }
    return result.ok;
  }

  render() {
    const p = this.page;
    replace(this,
      h('p', {}, h('button', { type: 'button', class: 'link', id: 'request-back', onclick: () => this.emit('request-back') },
        `← ${t('requests.back')}`)),
      p ? this.renderPage(p) : h('p', { class: 'muted' }, t('requests.loading')),
      p ? null : this.error,
    );
  }

  renderPage(p) {
    const open = !['completed', 'refused'].includes(p.status);
    const row = (label, value) => [h('dt', {}, label), h('dd', {}, value ?? DASH)];
    const d = p.deadline ?? {};
    return [
      h('div', { class: 'page-title' },
        h('h1', {}, t('request.title', { kind: t(`request_kind.${p.kind}`), ref: shortRef(p) })),
        deadlineBadge(p)),
      h('section', { class: 'panel' },
        h('dl', { class: 'facts' },
          row(t('request.kind'), `${t(`request_kind.${p.kind}`)} (${t(`request_article.${p.kind}`)})`),
          row(t('request.person'), p.subject_id != null && p.subject_name
            ? h('button', { type: 'button', class: 'link', id: 'request-subject', onclick: () => this.emit('subject-open', { id: p.subject_id }) }, p.subject_name)
            : whoOf(p)),
          p.requester?.email ? row(t('request.requester_email'), p.requester.email) : null,
          row(t('request.reference'), h('code', {}, p.public_id)),
          row(t('request.received'), formatDate(p.received_on)),
          row(t('request.channel'), t(`request_channel.${p.channel}`)),
          row(t('request.due'), d.effective_due_on
            ? [formatDate(d.effective_due_on), p.extension_months ? ` (${t('request.extended_by', { count: p.extension_months })})` : '']
            : DASH),
          row(t('request.status'), t(`request_status.${p.status}`)),
          p.outcome ? row(t('request.outcome'), h('span', { id: 'request-outcome' }, t(`request_outcome.${p.outcome}`))) : null,
          p.not_done ? row(t('request.not_done'), h('span', { id: 'request-not-done' },
            p.refusal_ground && p.status !== 'refused' ? `${p.not_done} (${t(`refusal_ground.${p.refusal_ground}`)})` : p.not_done)) : null,
          row(t('request.fee'), h('span', { id: 'request-fee' }, p.fee
            ? t('request.fee_text', { amount: p.fee.amount, currency: p.fee.currency, ground: t(`fee_ground.${p.fee.ground}`) })
            : t('request.fee_none'))),
          p.reply_sent_on ? row(t('request.reply_sent'), h('span', { id: 'request-reply-sent' },
            t('request.reply_sent_text', { date: formatDate(p.reply_sent_on), how: p.reply_how }))) : null,
          p.verified_on ? row(t('request.verified'), t('request.verified_text', { date: formatDate(p.verified_on), how: p.verified_how })) : null,
          p.refusal_ground && p.status === 'refused' ? row(t('request.refused_ground'), t(`refusal_ground.${p.refusal_ground}`)) : null,
          p.refusal_reason ? row(t('request.refused_because'), p.refusal_reason) : null,
          p.extension_reason ? row(t('request.extension_reason'), p.extension_reason) : null,
          p.notes ? row(t('request.notes'), p.notes) : null)),
      this.extensionReminder(p),
      this.error,
      this.done,
      p.receipt ? this.renderReceipt(p.receipt) : null,
      open ? this.renderSteps(p) : null,
      this.replySection(p, open),
      this.art19Section(p),
      this.feeForm(p),
      h('section', { 'aria-labelledby': 'request-history-title' },
        h('h2', { id: 'request-history-title' }, t('request.history')),
        h('ul', { class: 'attention', id: 'request-actions' }, (p.actions ?? []).map((a) =>
          h('li', {}, `${formatDateTime(a.at)}: ${t(`request_action.${a.action}`)}`)))),
    ];
  }

  renderSteps(p) {
    const steps = [];
    if (p.subject_id == null) {
      steps.push(h('section', { class: 'panel', id: 'request-match' },
        h('h2', {}, t('request.match_title')),
        h('p', { class: 'hint' }, t('request.match_hint')),
        field(t('request.match_search'), this.matchSearch),
        h('div', { class: 'checklist' }, personButtons(this.hits,
          (s) => this.step(() => ipc.matchRequest({ id: p.id, subject_id: s.id }), 'request.matched')))));
      steps.push(h('section', { class: 'panel', id: 'request-no-data' },
        h('h2', {}, t('request.no_data_title')),
        h('p', { class: 'hint' }, t('request.no_data_hint')),
        h('div', { class: 'actions' }, h('button', {
          type: 'button', id: 'request-no-data-save',
          onclick: () => this.step(() => ipc.answerNoData({ id: p.id }), 'request.no_data_done'),
        }, t('request.no_data_save')))));
    }
    if (!p.verified_on && p.needs_identity) {
      steps.push(h('form', {
        class: 'form panel', id: 'request-verify', novalidate: true,
        onsubmit: (event) => { event.preventDefault(); this.step(() => ipc.verifyRequest({ id: p.id, how: this.verifyHow.value.trim(), on: this.verifyOn.value || null }), 'request.verified_done'); },
      },
        h('h2', {}, t('request.verify_title')),
        field(t('request.verify_how'), this.verifyHow, { hint: t('request.verify_hint') }),
        field(t('request.verify_on'), this.verifyOn),
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'request-verify-save', class: 'primary' }, t('request.verify_save'))),
        h('div', { class: 'inline-fields' },
          field(t('request.ask_how'), this.askHow, { hint: t('request.ask_hint') }),
          h('button', {
            type: 'button', id: 'request-ask-save',
            onclick: () => this.step(() => ipc.askForIdentity({ id: p.id, how: this.askHow.value.trim() }), 'request.asked_done'),
          }, t('request.ask_save')))));
    }
    // The core says whether the identity must be checked first (not for an objection to
    // direct marketing, Art. 21(3)).
    const ready = p.subject_id != null && (p.verified_on || !p.needs_identity);
    steps.push(h('section', { class: `panel${p.kind === 'erasure' ? ' danger-zone' : ''}`, id: 'request-complete-panel' },
      h('h2', {}, t('request.complete_title')),
      ready ? this.renderCompletion(p) : h('p', { class: 'hint' }, t('request.complete_blocked')),
      this.partlyForm(p)));
    steps.push(h('div', { class: 'two-col' },
      h('form', {
        class: 'form panel', id: 'request-extend', novalidate: true,
        onsubmit: (event) => { event.preventDefault(); this.step(() => ipc.extendRequest({ id: p.id, months: Number(this.extendMonths.value), reason: this.extendReason.value.trim(), told_on: this.extendTold.value || null }), 'request.extended_done'); },
      },
        h('h2', {}, t('request.extend_title')),
        h('p', { class: 'hint' }, t('request.extend_hint')),
        field(t('request.extend_months'), this.extendMonths),
        field(t('request.reason'), this.extendReason),
        field(t('request.extend_told'), this.extendTold, { hint: t('request.extend_told_hint') }),
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'request-extend-save' }, t('request.extend_save')))),
      h('form', {
        class: 'form panel', id: 'request-refuse', novalidate: true,
        onsubmit: (event) => { event.preventDefault(); this.step(() => ipc.refuseRequest({ id: p.id, ground: this.refuseGround.value, reason: this.refuseReason.value.trim() }), 'request.refused_done'); },
      },
        h('h2', {}, t('request.refuse_title')),
        h('p', { class: 'hint' }, t('request.refuse_hint')),
        field(t('request.refuse_ground'), this.groundOptions(p), { hint: t('request.refuse_ground_hint') }),
        field(t('request.reason'), this.refuseReason),
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'request-refuse-save' }, t('request.refuse_save'))))));
    return steps;
  }

  /** The grounds the core says fit this request, as the refusal's select. */
  groundOptions(p) {
    const chosen = this.refuseGround.value;
    replace(this.refuseGround, (p.refusal_grounds ?? []).map((g) => h('option', { value: g }, t(`refusal_ground.${g}`))));
    if (chosen && (p.refusal_grounds ?? []).includes(chosen)) this.refuseGround.value = chosen;
    return this.refuseGround;
  }

  renderCompletion(p) {
    const complete = (completion, key = 'request.completed_done') =>
      this.step(() => ipc.completeRequest({ id: p.id, completion }), key);
    const button = (label, onclick, cls = 'primary') =>
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'request-complete', class: cls, onclick }, label));
    switch (p.kind) {
      case 'erasure':
        return [h('p', {}, t('request.erasure_text', { name: p.subject_name ?? '' })),
          button(t('request.erasure_confirm'), () => complete({ action: 'erasure' }, 'request.erased_done'), 'danger')];
      case 'restriction':
        return [h('p', {}, t('request.restriction_text')), button(t('request.restriction_confirm'), () => complete({ action: 'restriction' }))];
      case 'objection':
        return [h('p', {}, t('request.objection_text')), button(t('request.objection_confirm'), () => complete({ action: 'objection' }))];
      case 'rectification':
        return h('form', {
          class: 'form', novalidate: true,
          onsubmit: (event) => {
            event.preventDefault();
            const subject = Object.fromEntries(Object.entries(this.rectify).map(([k, el]) => [k, el.value.trim()]));
            complete({ action: 'rectification', subject, records: [] });
          },
        },
          h('p', { class: 'hint' }, t('request.rectification_text')),
          field(t('new_subject.name'), this.rectify.name),
          field(t('new_subject.email'), this.rectify.email),
          field(t('new_subject.phone'), this.rectify.phone),
          h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'request-complete', class: 'primary' }, t('request.rectification_confirm'))));
      default: // access, portability: make the report, save it, and record it as sent
        if (p.kind === 'portability') this.report.format.value = 'json';
        return [
          h('p', { class: 'hint' }, t(`request.report_text_${p.kind}`)),
          this.report.fields(),
          h('div', { class: 'actions' }, h('button', {
            type: 'button', id: 'request-complete', class: 'primary',
            onclick: () => this.step(() => ipc.completeAccessRequest({ id: p.id, ...this.report.value() }), 'request.report_done'),
          }, t('request.report_confirm')))];
    }
  }

  /** The last week of the first month: decide on an extension and tell the person now
   *  (Art. 12(3)); the core says when this applies. */
  extensionReminder(p) {
    const left = p.deadline?.extension_closes_in;
    if (left === null || left === undefined) return null;
    return h('p', { class: 'attention', id: 'request-extension-reminder', role: 'status' },
      t(left === 0 ? 'request.extension_reminder_today' : 'request.extension_reminder',
        { count: left, date: formatDate(p.deadline.due_on) }));
  }

  /** Complete only in part: what will not be done, and the ground the law gives. */
  partlyForm(p) {
    const grounds = p.refusal_grounds ?? [];
    const chosen = this.partlyGround.value || p.refusal_ground;
    replace(this.partlyGround, grounds.map((g) => h('option', { value: g }, t(`refusal_ground.${g}`))));
    if (chosen && grounds.includes(chosen)) this.partlyGround.value = chosen;
    if (p.not_done) {
      return h('div', { class: 'group', id: 'request-partly' },
        h('p', { class: 'attention', id: 'request-partly-state' }, t('request.partly_state', { text: p.not_done })),
        h('div', { class: 'actions' }, h('button', {
          type: 'button', id: 'request-partly-clear',
          onclick: () => this.step(() => ipc.setRequestPartly({ id: p.id, ground: this.partlyGround.value || grounds[0], not_done: '' }), 'request.partly_cleared'),
        }, t('request.partly_clear'))));
    }
    return h('details', { class: 'group', id: 'request-partly' },
      h('summary', {}, t('request.partly_title')),
      h('p', { class: 'hint' }, t('request.partly_hint')),
      field(t('request.partly_ground'), this.partlyGround),
      field(t('request.partly_text'), this.partlyText, { hint: t('request.partly_text_hint') }),
      h('div', { class: 'actions' }, h('button', {
        type: 'button', id: 'request-partly-save',
        onclick: () => this.step(() => ipc.setRequestPartly({ id: p.id, ground: this.partlyGround.value, not_done: this.partlyText.value.trim() }), 'request.partly_done'),
      }, t('request.partly_save'))));
  }

  /** The fee, when one may be charged (Art. 12(5)(a), 15(3)); free of charge otherwise. */
  feeForm(p) {
    const grounds = p.fee_grounds ?? [];
    const chosen = this.feeGround.value || p.fee?.ground;
    replace(this.feeGround, grounds.map((g) => h('option', { value: g }, t(`fee_ground.${g}`))));
    if (chosen && grounds.includes(chosen)) this.feeGround.value = chosen;
    return h('details', { class: 'panel', id: 'request-fee-panel' },
      h('summary', {}, t('request.fee_title')),
      h('p', { class: 'hint' }, t('request.fee_hint')),
      h('form', {
        class: 'form', id: 'request-fee-form', novalidate: true,
        onsubmit: (event) => {
          event.preventDefault();
          this.step(() => ipc.setRequestFee({ id: p.id, fee: {
            amount: this.feeAmount.value.trim(), currency: this.feeCurrency.value.trim(),
            ground: this.feeGround.value, reason: this.feeReason.value.trim(),
          } }), 'request.fee_done');
        },
      },
        h('div', { class: 'inline-fields' },
          field(t('request.fee_amount'), this.feeAmount),
          field(t('request.fee_currency'), this.feeCurrency)),
        field(t('request.fee_ground'), this.feeGround),
        field(t('request.fee_reason'), this.feeReason, { hint: t('request.fee_reason_hint') }),
        h('div', { class: 'actions' },
          h('button', { type: 'submit', id: 'request-fee-save' }, t('request.fee_save')),
          p.fee ? h('button', {
            type: 'button', id: 'request-fee-remove',
            onclick: () => this.step(() => ipc.setRequestFee({ id: p.id, fee: null }), 'request.fee_removed'),
          }, t('request.fee_remove')) : null)));
  }

  /** Once the request is answered (or extended): the letter to the person, and when
   *  and how it was sent. */
  replySection(p, open) {
    if (open && p.status !== 'extended') return null;
    return h('section', { class: 'panel', id: 'request-reply', 'aria-labelledby': 'request-reply-title' },
      h('h2', { id: 'request-reply-title' }, t(p.status === 'extended' && open ? 'request.reply_extension_title' : 'request.reply_title')),
      h('p', { class: 'hint' }, t('request.reply_hint')),
      this.letterButtons(p),
      h('form', {
        class: 'form', id: 'request-reply-form', novalidate: true,
        onsubmit: (event) => { event.preventDefault(); this.step(() => ipc.recordReplySent({ id: p.id, on: this.replyOn.value || null, how: this.replyHow.value.trim() }), 'request.reply_done'); },
      },
        h('div', { class: 'inline-fields' },
          field(t('request.reply_on'), this.replyOn),
          field(t('request.reply_how'), this.replyHow, { hint: t('request.reply_how_hint') })),
        h('div', { class: 'actions' }, h('button', { type: 'submit', id: 'request-reply-save' }, t('request.reply_save')))));
  }

  /** The letter to the person, saved as PDF or plain text in the language chosen. */
  letterButtons(p) {
    return h('div', { class: 'group', id: 'reply-letter' },
      this.letter.fields(),
      h('div', { class: 'actions' }, h('button', {
        type: 'button', id: 'reply-letter-save', class: 'primary',
        onclick: async () => {
          showMessage(this.done, '');
          const result = await this.run(() => ipc.exportReply({ id: p.id, ...this.letter.value() }),
            { errorEl: this.error, progress: t('request.letter_working') });
          if (result.ok && result.value) showMessage(this.done, exportedText(result.value));
        },
      }, t('request.letter_save'))));
  }

  /** The recipients to tell of what the request changed (Art. 19). */
  art19Section(p) {
    const tasks = p.notifications ?? [];
    if (!tasks.length) return null;
    if (this.art19.source !== tasks) {
      this.art19.source = tasks;
      this.art19.tasks = tasks.slice();
    }
    return this.art19;
  }

  renderReceipt(r) {
    return h('section', { class: 'panel', id: 'request-receipt', 'aria-labelledby': 'request-receipt-title' },
      h('h2', { id: 'request-receipt-title' }, t('request.receipt_title')),
      h('p', { class: 'hint' }, t('request.receipt_text')),
      h('dl', { class: 'facts' },
        h('dt', {}, t('request.receipt_id')), h('dd', {}, h('code', {}, r.id)),
        h('dt', {}, t('request.receipt_when')), h('dd', {}, formatDateTime(r.erased_at)),
        h('dt', {}, t('request.receipt_records')), h('dd', {}, t('subject.erase_records', { count: r.records })),
        h('dt', {}, t('request.receipt_consents')), h('dd', {}, t('subject.erase_consents', { count: r.consent_events }))),
      r.per_activity?.length
        ? h('ul', { class: 'attention' }, r.per_activity.map((a) => h('li', {}, t('subject.erased_activity', { name: a.activity, count: a.records }))))
        : null,
      r.notify?.length
        ? [h('p', { class: 'notify' }, t('subject.notify')), h('ul', { class: 'notify-list' }, r.notify.map((who) => h('li', {}, who)))]
        : null,
      r.kept?.length
        ? [keptList(r.kept, 'receipt-kept'),
            h('p', { id: 'receipt-state', class: r.completed_at ? 'ok-text' : 'attention' },
              r.completed_at
                ? `${t('erasure.receipt_complete')}: ${formatDateTime(r.completed_at)}`
                : t('erasure.receipt_kept'))]
        : null);
  }

  async findPeople() {
    const query = this.matchSearch.value.trim();
    if (!query) { this.hits = []; this.rerender(); return; }
    const result = await this.run(() => ipc.searchSubjects({ query, limit: 8 }), { errorEl: this.error, controls: null });
    if (result.ok && query === this.matchSearch.value.trim()) {
      this.hits = result.value;
      this.rerender();
      this.matchSearch.focus();
    }
  }
}

customElements.define('request-page', RequestPage);
