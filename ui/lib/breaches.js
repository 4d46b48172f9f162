// How a personal data breach is shown wherever it appears (the breach list, its page,
// the overview): its 72-hour clock (Art. 33(1)) as the core counts it, who reported
// it, and its times, which the core keeps in UTC and the datetime-local inputs show in
// local time.

import { h } from './dom.js';
import { formatDateTime, t } from './i18n.js';

export const BREACH_KINDS = Object.freeze(['confidentiality', 'integrity', 'availability']);
export const RISK_LEVELS = Object.freeze(['unlikely', 'risk', 'high']);
export const ART34_EXCEPTIONS = Object.freeze(['unintelligible', 'risk_no_longer_likely', 'public_communication']);
export const NOTICE_KINDS = Object.freeze(['initial', 'follow_up', 'subjects']);
/** The notices that go to Datatilsynet (Art. 33), as opposed to the people (Art. 34). */
export const AUTHORITY_NOTICES = Object.freeze(['initial', 'follow_up']);

const MINUTE = 60_000;
const TICK_MS = 30_000;

/** A breach as lists name it: its reference and title. */
export const breachName = (breach) => [breach.reference, breach.title].filter(Boolean).join(' ');

/** An ISO time (UTC) as a datetime-local input's value, in local time ('' for none). */
export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local input's value (local time, "YYYY-MM-DDTHH:MM") as an ISO time in UTC, or null. */
export function fromLocalInput(value) {
  if (!value) return null;
  const d = new Date(value); // a date and time without an offset is local time
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

/** Now, as a datetime-local input's value. */
export const nowLocalInput = () => toLocalInput(new Date().toISOString());

/**
 * The clock in words and the badge class: hours (or, in the last hour, minutes) left,
 * overdue by so many, or why it stopped. `loadedAt` is when the core counted
 * `minutes_left` (Date.now()); the minutes since are taken off.
 */
export function clockState(breach, loadedAt = Date.now()) {
  const clock = breach.clock ?? {};
  const counted = clock.minutes_left;
  if (!clock.running || counted === null || counted === undefined) {
    return { text: stoppedText(breach), cls: breach.status === 'closed' ? '' : 'ok' };
  }
  const left = counted - Math.floor((Date.now() - loadedAt) / MINUTE);
  if (left < 0 || (left === 0 && clock.overdue)) {
    const over = -left;
    return over >= 60
      ? { text: t('breaches.overdue_hours', { count: Math.floor(over / 60) }), cls: 'danger' }
      : { text: t('breaches.overdue_minutes', { count: over }), cls: 'danger' };
  }
  return left >= 60
    ? { text: t('breaches.hours_left', { count: Math.floor(left / 60) }), cls: 'warning' }
    : { text: t('breaches.minutes_left', { count: left }), cls: 'danger' };
}

function stoppedText(breach) {
  if (breach.status === 'closed') return t('breach_status.closed');
  if ((breach.notices ?? []).some((n) => AUTHORITY_NOTICES.includes(n.kind))) return t('breaches.clock_notified');
  if (breach.assessment && !breach.assessment.notify_authority) return t('breaches.clock_not_needed');
  return t(`breach_status.${breach.status}`);
}

// The badges on screen whose clock is running; they are repainted every half minute
// while any is connected.
const live = new Set();
let timer = null;

function paint(item) {
  const { text, cls } = clockState(item.breach, item.loadedAt);
  item.el.textContent = text;
  item.el.className = `badge breach-clock ${cls}`.trim();
}

function tick() {
  for (const item of live) {
    if (item.el.isConnected) paint(item);
    else live.delete(item);
  }
  if (!live.size) {
    clearInterval(timer);
    timer = null;
  }
}

/** The clock as a badge that keeps counting while it is on screen. */
export function clockBadge(breach, loadedAt = Date.now(), id = null) {
  const el = h('span', { id, 'data-breach-clock': breach.id });
  const item = { el, breach, loadedAt };
  paint(item);
  if (breach.clock?.running) {
    live.add(item);
    if (!timer) {
      timer = setInterval(tick, TICK_MS);
      timer.unref?.(); // under node (the UI tests) the repainting keeps no process alive
    }
  }
  return el;
}

/** "Reported by processor X at …" (Art. 33(2)), or null when the organisation found it. */
export function reportedBy(breach) {
  if (!breach.processor) return null;
  return breach.processor_told_at
    ? t('breaches.reported_by', { name: breach.processor, at: formatDateTime(breach.processor_told_at) })
    : t('breaches.reported_by_name', { name: breach.processor });
}
