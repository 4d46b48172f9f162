// How an erasure that kept records is shown wherever it appears (the person's page, the
// erasure's result, a request's receipt, the retention page): each kept record with why
// the law keeps it (Art. 17(3)(b) legal obligation, 17(3)(e) legal hold) and the first
// day it may go. What is kept and until when comes from the core.

import { h } from './dom.js';
import { formatDate, t } from './i18n.js';

/** Why one record is kept, in words. */
export function keptBecause(k) {
  const b = k.because ?? {};
  if (b.by === 'hold') return t('erasure.kept_hold', { id: b.hold_id });
  const rule = b.period
    ? t('retention.rule', {
        amount: b.period.amount,
        unit: t(`period_unit.${b.period.unit}`),
        trigger: t(`retention_trigger.${b.trigger}`).toLowerCase(),
      })
    : t('erasure.until_further_notice');
  return t('erasure.kept_legal', { rule });
}

/** Until when one record is kept. */
export function keptUntil(k) {
  if (k.may_go_on) return t('erasure.may_go_on', { date: formatDate(k.may_go_on) });
  return k.because?.by === 'hold' ? t('erasure.until_released') : t('erasure.until_further_notice');
}

/** The kept records as a list, with a heading and what being kept means. */
export function keptList(kept, id = 'kept-records') {
  if (!kept?.length) return null;
  return h('div', { class: 'kept', id },
    h('h2', { id: `${id}-title` }, t('erasure.kept_title', { count: kept.length })),
    h('p', { class: 'hint' }, t('erasure.kept_intro')),
    h('ul', { class: 'kept-list', 'aria-labelledby': `${id}-title` }, kept.map((k) => h('li', { 'data-record-id': k.record_id },
      h('strong', {}, `${k.activity} / ${k.category}`), ': ', keptBecause(k), ' · ', keptUntil(k)))));
}
