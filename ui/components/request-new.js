// <request-new>: file a data subject request. The person is chosen from the register
// (search as you type) or, when they cannot be found yet, described as the requester
// gave themselves, to be matched later. Set `subjectId`/`subjectName` before connecting
// to file a request for a known person. Emits "request-open" {id} or "request-back".

import { AppElement, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { localDate, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';
import { personButtons } from '../lib/requests.js';

const KINDS = ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection'];
const CHANNELS = ['email', 'letter', 'phone', 'in_person', 'web_form', 'other'];

class RequestNew extends AppElement {
  status = null;
  subjectId = null;
  subjectName = '';
  hits = [];
  #timer = null;
  kind = h('select', { id: 'request-kind' });
  search = h('input', { id: 'request-person-search', type: 'search', autocomplete: 'off', oninput: () => this.queueSearch() });
  hitList = h('div', { class: 'checklist', id: 'request-person-hits' });
  name = h('input', { id: 'request-requester-name', type: 'text', autocomplete: 'off' });
  email = h('input', { id: 'request-requester-email', type: 'email', autocomplete: 'off' });
  phone = h('input', { id: 'request-requester-phone', type: 'tel', autocomplete: 'off' });
  received = h('input', { id: 'request-received', type: 'date', value: localDate() });
  channel = h('select', { id: 'request-channel' });
  notes = h('textarea', { id: 'request-notes', rows: 3 });
  error = messageArea('request-new-error');
  personError = messageArea('request-person-error');

  disconnectedCallback() {
    super.disconnectedCallback();
    clearTimeout(this.#timer);
  }

  render() {
    const kind = this.kind.value;
    replace(this.kind, KINDS.map((k) => h('option', { value: k }, `${t(`request_kind.${k}`)} (${t(`request_article.${k}`)})`)));
    this.kind.value = kind || 'access';
    const channel = this.channel.value;
    replace(this.channel, CHANNELS.map((c) => h('option', { value: c }, t(`request_channel.${c}`))));
    this.channel.value = channel || 'email';
    replace(this,
      h('p', {}, h('button', { type: 'button', class: 'link', id: 'request-new-back', onclick: () => this.emit('request-back') },
        `← ${t('requests.back')}`)),
      h('h1', {}, t('request_new.title')),
      h('p', { class: 'muted' }, t('request_new.intro')),
      h('form', { class: 'form panel', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.save(); } },
        field(t('request_new.kind'), this.kind),
        h('fieldset', { class: 'form group' },
          h('legend', {}, t('request_new.person')),
          this.subjectId != null
            ? h('p', { id: 'request-person-chosen' }, h('strong', {}, this.subjectName), ' ',
                h('button', { type: 'button', class: 'link', onclick: () => { this.subjectId = null; this.rerender(); this.search.focus(); } }, t('request_new.change_person')))
            : [field(t('request_new.search'), this.search, { hint: t('request_new.search_hint') }),
               this.hitList,
               h('p', { class: 'hint' }, t('request_new.unknown_hint')),
               field(t('request_new.requester_name'), this.name),
               field(t('request_new.requester_email'), this.email),
               field(t('request_new.requester_phone'), this.phone)],
          this.personError),
        field(t('request_new.received'), this.received, { hint: t('request_new.received_hint') }),
        field(t('request_new.channel'), this.channel),
        field(t('request_new.notes'), this.notes, { hint: t('request_new.notes_hint') }),
        this.error,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', id: 'request-save', class: 'primary' }, t('request_new.save')),
          h('button', { type: 'button', onclick: () => this.emit('request-back') }, t('common.cancel')))),
    );
    this.renderHits();
  }

  queueSearch() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.find(), 150);
  }

  async find() {
    const query = this.search.value.trim();
    if (!query) {
      this.hits = [];
      this.renderHits();
      return;
    }
    const result = await this.run(() => ipc.searchSubjects({ query, limit: 8 }), { errorEl: this.error, controls: null });
    if (result.ok && query === this.search.value.trim()) {
      this.hits = result.value;
      this.renderHits();
    }
  }

  renderHits() {
    replace(this.hitList, personButtons(this.hits, (s) => {
      this.subjectId = s.id;
      this.subjectName = s.name;
      this.hits = [];
      this.rerender();
    }));
  }

  async save() {
    showMessage(this.error, '');
    showMessage(this.personError, '');
    markInvalid(this.received, false);
    const requester = { name: this.name.value.trim(), email: this.email.value.trim(), phone: this.phone.value.trim() };
    if (this.subjectId == null && !requester.name && !requester.email && !requester.phone) {
      showMessage(this.personError, t('request_new.person_required'));
      this.search.focus();
      return;
    }
    const request = {
      kind: this.kind.value,
      subject_id: this.subjectId,
      requester: this.subjectId == null ? requester : { name: '', email: '', phone: '' },
      received_on: this.received.value || null,
      channel: this.channel.value,
      notes: this.notes.value.trim(),
    };
    const result = await this.run(() => ipc.addRequest({ request }), { errorEl: this.error, progress: t('request_new.saving') });
    if (!result.ok) {
      if (result.error?.details?.field === 'received_on') {
        markInvalid(this.received, true);
        this.received.focus();
      }
      return;
    }
    this.emit('request-open', { id: result.value.id });
  }
}

customElements.define('request-new', RequestNew);
