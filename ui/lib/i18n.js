// Translations, dates and numbers. en.json is the complete fallback, nb.json the
// translation. Keys are dotted paths ("unlock.title"); under "errors" the backend's
// error kinds are keys as they are ("errors" → "vault.wrong_passphrase"), so lookup()
// tries the rest of the key whole at each level before descending.
// A value may be a plural object {one, other} chosen with Intl.PluralRules by {count}.

export const LANGUAGES = Object.freeze(['en', 'nb']);
const LOCALES = Object.freeze({ en: 'en-GB', nb: 'nb-NO' });

const dictionaries = { en: {}, nb: {} };
const events = new EventTarget();
let current = 'en';

/** Fetch ui/i18n/en.json and nb.json. A missing nb.json only costs the translation. */
export async function loadTranslations() {
  const load = async (lang) => {
    const response = await fetch(new URL(`../i18n/${lang}.json`, import.meta.url));
    if (!response.ok) throw new Error(`i18n/${lang}.json: HTTP ${response.status}`);
    return response.json();
  };
  const [en, nb] = await Promise.all([
    load('en'),
    load('nb').catch((err) => {
      console.warn('Norwegian translation not loaded; English is used instead.', err);
      return {};
    }),
  ]);
  useTranslations({ en, nb });
}

/** Install dictionaries directly (tests, or a host that already has them). */
export function useTranslations({ en = {}, nb = {} }) {
  dictionaries.en = en;
  dictionaries.nb = nb;
}

export function language() {
  return current;
}

export function locale() {
  return LOCALES[current];
}

/** Switch language, set <html lang>, and tell mounted components to re-render. */
export function setLanguage(lang) {
  const next = LANGUAGES.includes(lang) ? lang : 'en';
  if (globalThis.document) document.documentElement.lang = next;
  if (next === current) return;
  current = next;
  events.dispatchEvent(new CustomEvent('change', { detail: { language: next } }));
}

/** Call back on every language change; returns the function that stops it. */
export function onLanguageChange(callback) {
  const listener = (event) => callback(event.detail.language);
  events.addEventListener('change', listener);
  return () => events.removeEventListener('change', listener);
}

/** The value at a dotted key, allowing dotted keys inside an object ("errors"). */
export function lookup(dictionary, key) {
  let node = dictionary;
  let rest = key;
  while (node !== null && typeof node === 'object') {
    if (Object.hasOwn(node, rest)) return node[rest];
    const dot = rest.indexOf('.');
    if (dot < 0) return undefined;
    const head = rest.slice(0, dot);
    node = Object.hasOwn(node, head) ? node[head] : undefined;
    rest = rest.slice(dot + 1);
  }
  return undefined;
}

function isMessage(value) {
  if (typeof value === 'string') return value !== '';
  return value !== null && typeof value === 'object' && typeof value.other === 'string';
}

function entry(key) {
  const own = lookup(dictionaries[current], key);
  if (isMessage(own)) return own;
  const fallback = lookup(dictionaries.en, key);
  return isMessage(fallback) ? fallback : undefined;
}

/** True when the key has a message (in the current language or in English). */
export function has(key) {
  return entry(key) !== undefined;
}

/** The message for a key with {name} placeholders filled in; the key itself if unknown. */
export function t(key, params = {}) {
  let message = entry(key);
  if (message === undefined) return key;
  if (typeof message === 'object') {
    const category = new Intl.PluralRules(locale()).select(Number(params.count ?? 0));
    message = message[category] ?? message.other;
  }
  return message.replace(/\{(\w+)\}/g, (placeholder, name) =>
    Object.hasOwn(params, name) && params[name] !== null && params[name] !== undefined
      ? formatValue(params[name])
      : placeholder,
  );
}

function formatValue(value) {
  return typeof value === 'number' ? formatNumber(value) : String(value);
}

/**
 * A backend error {kind, message, details} in the user's language: the message at
 * errors.<kind> with the details filled in, else the backend's own message.
 */
export function errorMessage(err) {
  if (err === null || err === undefined) return t('errors.unknown');
  if (typeof err === 'string') return err;
  if (typeof err.kind === 'string' && has(`errors.${err.kind}`)) {
    const params = { ...(err.details ?? {}), message: err.message ?? '' };
    if (typeof params.field === 'string' && has(`fields.${params.field}`)) {
      params.field = t(`fields.${params.field}`);
    }
    // A calendar date in the details ("erased on 2026-12-01") reads as the user writes dates.
    for (const [name, value] of Object.entries(params)) {
      if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) params[name] = formatDate(value);
    }
    return t(`errors.${err.kind}`, params);
  }
  return err.message ? String(err.message) : t('errors.unknown');
}

/** "YYYY-MM-DD" (a calendar date, no time zone shift) or a full ISO timestamp. */
export function formatDate(iso) {
  if (!iso) return '';
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const date = day ? new Date(Date.UTC(+day[1], +day[2] - 1, +day[3])) : new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  const options = day ? { dateStyle: 'medium', timeZone: 'UTC' } : { dateStyle: 'medium' };
  return new Intl.DateTimeFormat(locale(), options).format(date);
}

/** Today's date where the user is, as YYYY-MM-DD. */
export function localDate(d = new Date()) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** A full ISO timestamp as date and time, in local time. */
export function formatDateTime(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

export function formatNumber(n) {
  return new Intl.NumberFormat(locale()).format(n);
}

/** "a, b and c" / "a, b og c". */
export function formatList(items) {
  return new Intl.ListFormat(locale(), { type: 'conjunction' }).format(items.map(String));
}

/** A field name from the backend in words ("security_measures" → "security measures"). */
export function fieldLabel(name) {
  const key = String(name ?? '');
  if (has(`fields.${key}`)) return t(`fields.${key}`);
  const base = key.split('.')[0];
  return has(`fields.${base}`) ? t(`fields.${base}`) : key;
}
