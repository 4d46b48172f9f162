// How a data subject request is shown wherever it appears (the request list, its page,
// the overview, a person's page): its short reference, its deadline badge and who it is
// about. The deadline itself (days left, overdue, due soon) comes from the core.

import { h } from './dom.js';
import { t } from './i18n.js';

/** A request's reference as people read it: the first part of its UUID. */
export const shortRef = (request) => String(request.public_id ?? '').slice(0, 8);

/** The deadline as a badge: overdue, due soon, days left, or the closing date. */
export function deadlineBadge(request) {
  const d = request.deadline ?? {};
  if (d.days_left === null || d.days_left === undefined) {
    return h('span', { class: 'badge' }, t(`request_status.${request.status}`));
  }
  if (d.overdue) return h('span', { class: 'badge danger' }, t('requests.overdue', { count: -d.days_left }));
  const text = d.days_left === 0 ? t('requests.due_today') : t('requests.days_left', { count: d.days_left });
  return h('span', { class: `badge ${d.due_soon ? 'warning' : 'ok'}` }, text);
}

/** Buttons for people found by a search; `pick(subject)` on a click. */
export function personButtons(hits, pick) {
  return hits.map((s) => h('button', {
    type: 'button', class: 'small person-hit', 'data-subject-id': s.id, onclick: () => pick(s),
  }, [s.name, s.email].filter(Boolean).join(' · ')));
}

/** Who a request is about: the subject's name, or the requester as given. */
export function whoOf(request) {
  if (!request.subject_name && request.receipt_id) return t('requests.erased_person');
  return request.subject_name || request.requester?.name || request.requester?.email || t('requests.unknown_person');
}
