// The privacy notice's changes in words, shared by the notice page and the overview.
// The core names each change by its kind and values ({kind: 'retention_changed',
// activity, category, from, to}); the sentence is the window's, in its language.

import { h } from './dom.js';
import { formatList, has, t } from './i18n.js';

/** A language code as the window names it: "English", "norsk bokmål". */
export function languageName(code) {
  return has(`notice.lang_${code}`) ? t(`notice.lang_${code}`) : String(code ?? '');
}

/** A retention rule in words: "2 months after unsubscribing", "until further notice". */
export function ruleText(rule) {
  if (!rule) return t('notice.no_rule');
  if (!rule.duration) return t('notice.until_further_notice');
  return t('notice.rule', {
    period: t(`notice.period.${rule.duration.unit}`, { count: rule.duration.amount }),
    after: t(`notice.after.${rule.trigger}`),
  });
}

const labelOf = (prefix, code) => (has(`${prefix}.${code}`) ? t(`${prefix}.${code}`) : String(code));
const listOf = (prefix, codes) => (codes?.length ? formatList(codes.map((c) => labelOf(prefix, c))) : t('notice.none'));

/** One change between two versions of the notice, as a sentence. */
export function changeText(change) {
  const c = change ?? {};
  const params = { ...c };
  switch (c.kind) {
    case 'controller_changed':
      params.fields = formatList((c.fields ?? []).map((f) => labelOf('notice.field', f)));
      break;
    case 'retention_changed':
      params.from = ruleText(c.from);
      params.to = ruleText(c.to);
      break;
    case 'legal_basis_changed':
      params.from = listOf('legal_basis', c.from);
      params.to = listOf('legal_basis', c.to);
      break;
    case 'art9_condition_changed':
      params.from = c.from ? labelOf('art9', c.from) : t('notice.none');
      params.to = c.to ? labelOf('art9', c.to) : t('notice.none');
      break;
    case 'transfer_added':
    case 'transfer_removed':
      params.to = c.recipient ? `${c.recipient} (${c.country})` : c.country;
      break;
    case 'right_added':
    case 'right_removed':
      params.right = labelOf('notice_right', c.right);
      break;
    default:
      break;
  }
  const key = `notice.change.${c.kind}`;
  return has(key) ? t(key, params) : String(c.kind ?? '');
}

/** The changes as a list; with `limit`, the first ones and how many more there are. */
export function changeList(changes, { id = null, limit = 0 } = {}) {
  const all = changes ?? [];
  const shown = limit > 0 ? all.slice(0, limit) : all;
  const more = all.length - shown.length;
  return h('ul', { class: 'notice-changes', id },
    shown.map((c) => h('li', { 'data-kind': c.kind }, changeText(c))),
    more > 0 ? h('li', { class: 'muted' }, t('notice.more_changes', { count: more })) : null);
}
