// <controller-page>: who is responsible for the processing (GDPR Art. 30(1)(a)):
// the organisation, its contact person, an optional data protection officer, an
// optional representative in the EU/EEA (Art. 27) and the supervisory authority.
// Loads with controller_profile() and saves with save_controller({controller}).

import { AppElement, checkboxField, field, markInvalid, messageArea, showMessage } from '../lib/component.js';
import { h, replace } from '../lib/dom.js';
import { errorMessage, locale, t } from '../lib/i18n.js';
import * as ipc from '../lib/ipc.js';

const DEFAULT_AUTHORITY = 'Datatilsynet';
// Backend field names (err.details.field) that have a message area of their own.
const ERROR_FIELDS = Object.freeze(['organisation', 'email', 'phone', 'org_number', 'dpo', 'representative', 'financial_year_end']);

const input = (id, type = 'text', attrs = {}) => h('input', { id, type, ...attrs });

class ControllerPage extends AppElement {
  status = null;
  #loaded = false;
  organisation = input('controller-organisation', 'text', { required: true, autocomplete: 'organization' });
  orgNumber = input('controller-org-number', 'text', { inputmode: 'numeric' });
  address = h('textarea', { id: 'controller-address', rows: 3, autocomplete: 'street-address' });
  email = input('controller-email', 'email', { autocomplete: 'email' });
  phone = input('controller-phone', 'tel', { autocomplete: 'tel' });
  website = input('controller-website', 'url', { autocomplete: 'url' });
  contactName = input('contact-name');
  contactEmail = input('contact-email', 'email');
  contactPhone = input('contact-phone', 'tel');
  hasDpo = input('has-dpo', 'checkbox', { onchange: () => this.toggleGroups() });
  dpoName = input('dpo-name');
  dpoEmail = input('dpo-email', 'email');
  dpoPhone = input('dpo-phone', 'tel');
  hasRep = input('has-representative', 'checkbox', { onchange: () => this.toggleGroups() });
  repName = input('rep-name');
  repEmail = input('rep-email', 'email');
  repAddress = h('textarea', { id: 'rep-address', rows: 3 });
  authority = input('controller-authority');
  // The last day of the financial year (bookkeeping retention counts from it).
  yearEndDay = input('year-end-day', 'number', { min: 1, max: 31, inputmode: 'numeric', class: 'short' });
  yearEndMonth = h('select', { id: 'year-end-month' });
  errors = Object.fromEntries(ERROR_FIELDS.map((name) => [name, messageArea(`controller-${name.replace('_', '-')}-error`)]));
  error = messageArea('controller-error');
  saved = messageArea('controller-saved', 'success');
  dpoGroup = h('div', { id: 'dpo-fields', class: 'form' });
  repGroup = h('div', { id: 'rep-fields', class: 'form' });

  /** The input that shows a backend error about `name`. */
  inputFor(name) {
    return {
      organisation: this.organisation, email: this.email, phone: this.phone, org_number: this.orgNumber,
      dpo: this.dpoName, representative: this.repName, financial_year_end: this.yearEndDay,
    }[name];
  }

  connectedCallback() {
    super.connectedCallback();
    if (!this.#loaded) {
      this.#loaded = true;
      this.load();
    }
  }

  render() {
    const errorId = (name) => this.errors[name].id;
    replace(this.dpoGroup,
      field(t('controller.name'), this.dpoName, { errorId: errorId('dpo') }),
      field(t('controller.email'), this.dpoEmail, { errorId: errorId('dpo') }),
      field(t('controller.phone'), this.dpoPhone, { errorId: errorId('dpo') }),
      this.errors.dpo);
    replace(this.repGroup,
      field(t('controller.name'), this.repName, { errorId: errorId('representative') }),
      field(t('controller.email'), this.repEmail, { errorId: errorId('representative') }),
      field(t('controller.address'), this.repAddress, { errorId: errorId('representative') }),
      this.errors.representative);
    replace(this,
      h('div', { class: 'page-title' }, h('h1', {}, t('controller.title'))),
      h('p', { id: 'controller-intro' }, t('controller.intro')),
      h('form', { class: 'form panel', novalidate: true, onsubmit: (event) => { event.preventDefault(); this.save(); } },
        field(t('controller.organisation'), this.organisation, { errorId: errorId('organisation') }),
        this.errors.organisation,
        field(t('controller.org_number'), this.orgNumber, { errorId: errorId('org_number') }),
        this.errors.org_number,
        field(t('controller.address'), this.address),
        field(t('controller.email'), this.email, { errorId: errorId('email') }),
        this.errors.email,
        field(t('controller.phone'), this.phone, { errorId: errorId('phone') }),
        this.errors.phone,
        field(t('controller.website'), this.website),
        h('fieldset', { class: 'form group' },
          h('legend', {}, t('controller.contact_person')),
          field(t('controller.name'), this.contactName),
          field(t('controller.email'), this.contactEmail),
          field(t('controller.phone'), this.contactPhone)),
        h('fieldset', { class: 'form group' },
          h('legend', {}, t('controller.dpo')),
          checkboxField(this.hasDpo, t('controller.has_dpo'), t('controller.has_dpo_hint')),
          this.dpoGroup),
        h('fieldset', { class: 'form group' },
          h('legend', {}, t('controller.representative')),
          checkboxField(this.hasRep, t('controller.has_representative'), t('controller.has_representative_hint')),
          this.repGroup),
        h('fieldset', { class: 'form group', id: 'year-end' },
          h('legend', {}, t('controller.financial_year_end')),
          h('p', { class: 'hint', id: 'year-end-hint' }, t('controller.financial_year_end_hint')),
          h('div', { class: 'inline-fields' },
            field(t('controller.year_end_day'), this.yearEndDay, { errorId: errorId('financial_year_end') }),
            field(t('controller.year_end_month'), this.yearEndMonth)),
          this.errors.financial_year_end),
        field(t('controller.authority'), this.authority, { hint: t('controller.authority_hint') }),
        this.error,
        this.saved,
        h('div', { class: 'actions' },
          h('button', { type: 'submit', id: 'controller-save', class: 'primary' }, t('common.save')))),
    );
    this.toggleGroups();
  }

  toggleGroups() {
    this.dpoGroup.hidden = !this.hasDpo.checked;
    this.repGroup.hidden = !this.hasRep.checked;
  }

  async load() {
    const result = await this.run(() => ipc.controllerProfile(), { errorEl: this.error, progress: t('controller.loading') });
    if (result.ok) this.fill(result.value);
  }

  /** Copy a Controller (or null: nothing saved yet) into the form. */
  fill(controller) {
    const c = controller ?? {};
    const person = (p) => p ?? {};
    this.organisation.value = c.organisation ?? '';
    this.orgNumber.value = c.org_number ?? '';
    this.address.value = c.address ?? '';
    this.email.value = c.email ?? '';
    this.phone.value = c.phone ?? '';
    this.website.value = c.website ?? '';
    this.contactName.value = person(c.contact_person).name ?? '';
    this.contactEmail.value = person(c.contact_person).email ?? '';
    this.contactPhone.value = person(c.contact_person).phone ?? '';
    this.hasDpo.checked = Boolean(c.dpo);
    this.dpoName.value = person(c.dpo).name ?? '';
    this.dpoEmail.value = person(c.dpo).email ?? '';
    this.dpoPhone.value = person(c.dpo).phone ?? '';
    this.hasRep.checked = Boolean(c.representative);
    this.repName.value = person(c.representative).name ?? '';
    this.repEmail.value = person(c.representative).email ?? '';
    this.repAddress.value = person(c.representative).address ?? '';
    this.authority.value = c.supervisory_authority || DEFAULT_AUTHORITY;
    const end = c.financial_year_end ?? { month: 12, day: 31 };
    this.yearEndDay.value = String(end.day);
    replace(this.yearEndMonth, ...Array.from({ length: 12 }, (_, i) => h('option', { value: String(i + 1) },
      new Intl.DateTimeFormat(locale(), { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2025, i, 1))))));
    this.yearEndMonth.value = String(end.month);
    this.toggleGroups();
  }

  /** The form as the backend's Controller. */
  value() {
    const text = (el) => el.value.trim();
    return {
      organisation: text(this.organisation),
      org_number: text(this.orgNumber),
      address: text(this.address),
      email: text(this.email),
      phone: text(this.phone),
      website: text(this.website),
      contact_person: { name: text(this.contactName), email: text(this.contactEmail), phone: text(this.contactPhone), address: '' },
      dpo: this.hasDpo.checked
        ? { name: text(this.dpoName), email: text(this.dpoEmail), phone: text(this.dpoPhone), address: '' }
        : null,
      representative: this.hasRep.checked
        ? { name: text(this.repName), email: text(this.repEmail), phone: '', address: text(this.repAddress) }
        : null,
      supervisory_authority: text(this.authority),
      financial_year_end: { month: Number(this.yearEndMonth.value) || 12, day: Number(this.yearEndDay.value) || 0 },
    };
  }

  async save() {
    for (const name of ERROR_FIELDS) {
      showMessage(this.errors[name], '');
      markInvalid(this.inputFor(name), false);
    }
    showMessage(this.saved, '');
    showMessage(this.error, '');
    const controller = this.value();
    if (!controller.organisation) {
      this.showFieldError('organisation', t('controller.organisation_required'));
      return;
    }
    const result = await this.run(() => ipc.saveController({ controller }), { errorEl: this.error, progress: t('controller.saving') });
    if (!result.ok) {
      const { error } = result;
      const name = error?.details?.field;
      if (error?.kind === 'input.invalid' && ERROR_FIELDS.includes(name)) {
        showMessage(this.error, '');
        this.showFieldError(name, errorMessage(error));
      }
      return;
    }
    this.fill(result.value);
    showMessage(this.saved, t('controller.saved'));
  }

  showFieldError(name, message) {
    const el = this.inputFor(name);
    showMessage(this.errors[name], message);
    markInvalid(el, true);
    el.focus();
  }
}

customElements.define('controller-page', ControllerPage);
