// en.json and nb.json: same keys, no empty messages, same placeholders; every key the
// code asks for exists; and the behaviour of t() and errorMessage().
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UI, read, readJson, rel, uiFiles } from './helpers.mjs';
import { errorMessage, formatDate, formatNumber, lookup, setLanguage, t, useTranslations } from '../../ui/lib/i18n.js';

const en = readJson(join(UI, 'i18n', 'en.json'));
const nb = readJson(join(UI, 'i18n', 'nb.json'));

/** Leaf values by key path, e.g. ["unlock.locked_idle.one", "Locked after …"]. */
function leaves(node, prefix = '') {
  return Object.entries(node).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    return value !== null && typeof value === 'object' ? leaves(value, path) : [[path, value]];
  });
}

const placeholders = (text) => [...String(text).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

// The contract's error kinds; each needs a message in both languages.
const ERROR_KINDS = [
  'vault.wrong_passphrase', 'vault.weak_passphrase', 'vault.not_a_register', 'vault.damaged',
  'vault.read_only', 'vault.newer_version', 'vault.exists', 'vault.missing', 'vault.bad_recovery_key', 'vault.in_use',
  'keychain.unavailable', 'keychain.no_entry', 'input.invalid', 'not_found', 'app.no_register',
  'app.locked', 'app.cancelled', 'storage.sql', 'storage.corrupt', 'subject.restricted', 'subject.suppressed',
];
// Keys the code builds at run time (template literals the scan below cannot see).
const DYNAMIC_KEYS = [
  ...['purposes', 'legal_bases', 'subject_categories', 'data_categories', 'recipients', 'security_measures'].map((f) => `fields.${f}`),
  'activity_status.draft', 'activity_status.approved',
  ...['activities', 'subjects', 'records', 'processors'].map((c) => `overview.count_${c}`),
  'errors.unknown',
  ...['consent_given', 'consent_withdrawn', 'objection'].map((kind) => `consent_kind.${kind}`),
  ...['subject.created', 'subject.viewed', 'subject.rectified', 'record.created', 'record.rectified', 'record.deleted',
    'consent.given', 'consent.withdrawn', 'objection.recorded', 'subject.erased'].map((action) => `audit_actions.${action}`),
  ...['name', 'email', 'phone', 'reason', 'value'].map((f) => `fields.${f}`),
  // ReportChoice's format labels ('xlsx-ico' reads report.format_xlsx_ico).
  ...['pdf', 'json', 'csv', 'xlsx', 'xlsx_datatilsynet', 'xlsx_ico', 'dpv', 'txt'].map((f) => `report.format_${f}`),
  // The lock reasons the unlock screen names (locking.rs).
  'unlock.locked_suspend', 'unlock.locked_session',
];

describe('translation files', () => {
  const enLeaves = new Map(leaves(en));
  const nbLeaves = new Map(leaves(nb));

  it('have exactly the same keys', () => {
    const onlyEn = [...enLeaves.keys()].filter((k) => !nbLeaves.has(k));
    const onlyNb = [...nbLeaves.keys()].filter((k) => !enLeaves.has(k));
    assert.deepEqual({ onlyEn, onlyNb }, { onlyEn: [], onlyNb: [] });
  });

  it('have no empty or non-string messages', () => {
    for (const [name, map] of [['en', enLeaves], ['nb', nbLeaves]]) {
      for (const [key, value] of map) {
        assert.equal(typeof value, 'string', `${name}: ${key} is not a string`);
        assert.notEqual(value.trim(), '', `${name}: ${key} is empty`);
      }
    }
  });

  it('use the same placeholders in both languages', () => {
    for (const [key, value] of enLeaves) {
      assert.deepEqual(placeholders(nbLeaves.get(key)), placeholders(value), `placeholders differ in ${key}`);
    }
  });

  it('have a message for every backend error kind and run-time key', () => {
    for (const kind of ERROR_KINDS) {
      assert.equal(typeof en.errors[kind], 'string', `en: errors.${kind}`);
      assert.equal(typeof nb.errors[kind], 'string', `nb: errors.${kind}`);
    }
    for (const key of DYNAMIC_KEYS) assert.ok(lookup(en, key) !== undefined, `en.json lacks ${key}`);
    assert.deepEqual(placeholders(en.errors['vault.weak_passphrase']), ['min']);
    assert.deepEqual(placeholders(en.errors['vault.damaged']), ['pages']);
    assert.ok(placeholders(en.errors['input.invalid']).includes('field'));
  });

  it('contain every key the UI code asks for with t("…") or key: "…"', () => {
    const pattern = /\bt\(\s*(['"])([\w.]+)\1|\bkey:\s*(['"])([\w.]+)\3/g;
    const missing = [];
    let found = 0;
    for (const file of uiFiles('.js')) {
      for (const match of read(file).matchAll(pattern)) {
        const key = match[2] ?? match[4];
        found += 1;
        const value = lookup(en, key);
        const ok = typeof value === 'string' || (value && typeof value.other === 'string');
        if (!ok) missing.push(`${rel(file)}: ${key}`);
      }
    }
    assert.ok(found > 50, `only ${found} keys found; is the scan still matching?`);
    assert.deepEqual(missing, []);
  });
});

describe('t() and errorMessage()', () => {
  useTranslations({
    en: {
      a: { hello: 'Hello {name}', only_en: 'English only', items: { one: '{count} item', other: '{count} items' } },
      fields: { recipients: 'recipients' },
      errors: { 'vault.weak_passphrase': 'At least {min} characters', 'input.invalid': '{field} is {problem}', unknown: 'Something went wrong' },
    },
    nb: {
      a: { hello: 'Hei {name}', only_en: '', items: { one: '{count} ting', other: '{count} ting' } },
      fields: { recipients: 'mottakere' },
      errors: { 'vault.weak_passphrase': 'Minst {min} tegn', 'subject.suppressed': 'Slettet {on} (kvittering {receipt})' },
    },
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    setLanguage('en');
    assert.equal(t('a.hello', { name: 'Kari' }), 'Hello Kari');
    assert.equal(t('a.hello'), 'Hello {name}');
    assert.equal(t('no.such.key'), 'no.such.key');
  });

  it('falls back to English for missing or empty Norwegian messages', () => {
    setLanguage('nb');
    assert.equal(t('a.hello', { name: 'Kari' }), 'Hei Kari');
    assert.equal(t('a.only_en'), 'English only');
    assert.equal(t('errors.unknown'), 'Something went wrong');
    setLanguage('en');
  });

  it('chooses plural forms and formats numbers for the language', () => {
    setLanguage('en');
    assert.equal(t('a.items', { count: 1 }), '1 item');
    assert.equal(t('a.items', { count: 1234 }), '1,234 items');
    setLanguage('nb');
    assert.equal(t('a.items', { count: 1234 }).replace(/\s/g, ' '), '1 234 ting');
    assert.equal(formatNumber(1234.5).replace(/\s/g, ' '), '1 234,5');
    assert.equal(formatDate('2025-03-14'), '14. mars 2025');
    setLanguage('en');
    assert.equal(formatDate('2025-03-14'), '14 Mar 2025');
  });

  it('translates backend errors by kind with their details', () => {
    setLanguage('nb');
    assert.equal(errorMessage({ kind: 'vault.weak_passphrase', message: 'too short', details: { min: 10 } }), 'Minst 10 tegn');
    assert.equal(errorMessage({ kind: 'input.invalid', message: 'x', details: { field: 'recipients', problem: 'empty' } }), 'mottakere is empty');
    assert.equal(errorMessage({ kind: 'subject.suppressed', message: 'x', details: { reason: 'erased', on: '2026-12-01', receipt: '1d734c4a' } }),
      'Slettet 1. des. 2026 (kvittering 1d734c4a)', 'a date in the details is written as the language writes dates');
    setLanguage('en');
    assert.equal(errorMessage({ kind: 'some.new_kind', message: 'the backend says so', details: {} }), 'the backend says so');
    assert.equal(errorMessage('plain string from invoke'), 'plain string from invoke');
    assert.equal(errorMessage(new TypeError('boom')), 'boom');
    assert.equal(errorMessage({ kind: 'unknown.kind' }), 'Something went wrong');
    assert.equal(errorMessage(undefined), 'Something went wrong');
  });

  it('does not reach into Object.prototype', () => {
    assert.equal(lookup({}, 'constructor'), undefined);
    assert.equal(lookup({ a: {} }, 'a.toString'), undefined);
  });
});
