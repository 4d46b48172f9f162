// The format and language choices of a report export, shared by the overview (the
// Art. 30 record) and a person's page (the access report). The language defaults to
// the window's and is chosen per export.

import { field } from './component.js';
import { h, replace } from './dom.js';
import { language, t } from './i18n.js';

const LANGUAGE_NAMES = Object.freeze({ en: 'English', nb: 'Norsk bokmål' });

/** The label of a format code ('xlsx-ico' reads report.format_xlsx_ico). */
const formatLabel = (f) => t(`report.format_${f.replaceAll('-', '_')}`);

export class ReportChoice {
  /** @param {string} prefix element id prefix, @param {string[]} formats e.g. ['pdf', 'json'] */
  constructor(prefix, formats) {
    this.format = h('select', { id: `${prefix}-format` }, formats.map((f) => h('option', { value: f }, formatLabel(f))));
    this.lang = h('select', { id: `${prefix}-lang` },
      Object.entries(LANGUAGE_NAMES).map(([code, name]) => h('option', { value: code, lang: code }, name)));
    this.lang.value = language();
    this.formats = formats;
  }

  /** The two labelled fields, re-labelled for the current language. */
  fields() {
    const chosen = this.format.value;
    replace(this.format, this.formats.map((f) => h('option', { value: f }, formatLabel(f))));
    this.format.value = chosen || this.formats[0];
    return h('div', { class: 'field-row' }, field(t('report.format'), this.format), field(t('report.language'), this.lang));
  }

  value() {
    return { format: this.format.value, lang: this.lang.value };
  }
}

/** The message after an export: where the file went. */
export function exportedText(exported) {
  return t('report.saved', { path: exported.path });
}
