// The data subject page's backend calls: ipc.js passes them through, and the fake
// answers them in the contract's shapes (SubjectPage, ErasureSummary, errors).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UI, read, rejection } from './helpers.mjs';
import * as ipc from '../../ui/lib/ipc.js';
import { createFakeBackend } from '../../ui/lib/fake-ipc.js';

const PAGE_KEYS = ['activities', 'consents', 'history', 'records', 'subject'];
const SUBJECT_KEYS = ['created_at', 'email', 'id', 'marketing_objection', 'name', 'phone', 'restricted', 'updated_at'];
const RECORD_KEYS = ['activity_id', 'category', 'collected_on', 'created_at', 'id', 'source', 'subject_id', 'updated_at', 'value'];
const CONSENT_KEYS = ['activity_id', 'at', 'id', 'kind', 'method', 'purpose', 'subject_id'];
const EVENT_KEYS = ['action', 'actor', 'at', 'entity', 'entity_id', 'fields', 'reason', 'seq', 'subject_id'];

async function demo(name = 'Kari Nordmann') {
  const api = createFakeBackend();
  await api.openDemo();
  const [kari] = await api.searchSubjects({ query: name, limit: 5 });
  return { api, kari };
}

describe('ipc.js subject commands', () => {
  it('pass their arguments through unchanged', async () => {
    const calls = [];
    const names = ['viewSubject', 'rectifySubject', 'rectifyRecord', 'deleteRecord', 'eraseSubject'];
    ipc.setBackend(Object.fromEntries(names.map((name) => [name, async (args) => { calls.push([name, args]); return name; }])));
    assert.equal(await ipc.viewSubject({ id: 7 }), 'viewSubject');
    await ipc.rectifySubject({ id: 7, name: 'A', email: '', phone: '', reason: 'typo' });
    await ipc.rectifyRecord({ id: 3, value: 'v', reason: 'r' });
    await ipc.deleteRecord({ id: 3, reason: 'r' });
    await ipc.eraseSubject({ id: 7, reason: 'asked' });
    assert.deepEqual(calls, [
      ['viewSubject', { id: 7 }],
      ['rectifySubject', { id: 7, name: 'A', email: '', phone: '', reason: 'typo' }],
      ['rectifyRecord', { id: 3, value: 'v', reason: 'r' }],
      ['deleteRecord', { id: 3, reason: 'r' }],
      ['eraseSubject', { id: 7, reason: 'asked' }],
    ]);
  });
});

describe('the fake backend: a data subject', () => {
  it('view_subject returns a SubjectPage and logs the view', async () => {
    const { api, kari } = await demo();
    assert.equal(typeof kari.id, 'number');
    const page = await api.viewSubject({ id: kari.id });
    assert.deepEqual(Object.keys(page).sort(), PAGE_KEYS);
    assert.deepEqual(Object.keys(page.subject).sort(), SUBJECT_KEYS);
    assert.equal(page.subject.name, 'Kari Nordmann');
    assert.equal(page.records.length, kari.records);
    assert.deepEqual(Object.keys(page.records[0]).sort(), RECORD_KEYS);
    assert.match(page.records[0].collected_on, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(page.consents.length > 0);
    assert.deepEqual(Object.keys(page.consents[0]).sort(), CONSENT_KEYS);
    assert.ok(page.activities.every((a) => Object.keys(a).sort().join() === 'id,name'));
    assert.ok(page.records.every((r) => page.activities.some((a) => a.id === r.activity_id)));
    assert.deepEqual(Object.keys(page.history[0]).sort(), EVENT_KEYS);
    assert.equal(page.history[0].action, 'subject.viewed');
    assert.ok(page.history.some((e) => e.action === 'subject.created'));
    assert.equal((await rejection(api.viewSubject({ id: 999_999 }))).kind, 'not_found');
  });

  it('rectify_subject needs a reason, checks the fields and records what changed', async () => {
    const { api, kari } = await demo();
    const base = { id: kari.id, name: 'Kari Nordmann', email: 'kari@example.no', phone: '+47 912 34 567' };
    const noReason = await rejection(api.rectifySubject({ ...base, reason: '  ' }));
    assert.deepEqual([noReason.kind, noReason.details.field], ['input.invalid', 'reason']);
    const badEmail = await rejection(api.rectifySubject({ ...base, email: 'not an address', reason: 'typo' }));
    assert.deepEqual([badEmail.kind, badEmail.details.field], ['input.invalid', 'email']);
    const noName = await rejection(api.rectifySubject({ ...base, name: '', reason: 'typo' }));
    assert.equal(noName.details.field, 'name');
    const page = await api.rectifySubject({ ...base, reason: 'She asked for it' });
    assert.equal(page.subject.email, 'kari@example.no');
    const event = page.history[0];
    assert.deepEqual([event.action, event.fields, event.reason], ['subject.rectified', ['email'], 'She asked for it']);
    const [found] = await api.searchSubjects({ query: 'kari@example.no', limit: 5 });
    assert.equal(found.id, kari.id);
  });

  it('rectify_record and delete_record return the refreshed page', async () => {
    const { api, kari } = await demo('Ola Hansen'); // has several records
    const before = await api.viewSubject({ id: kari.id });
    assert.ok(before.records.length >= 2);
    const [first, second] = before.records;
    assert.equal((await rejection(api.rectifyRecord({ id: first.id, value: 'New', reason: '' }))).details.field, 'reason');
    const fixed = await api.rectifyRecord({ id: first.id, value: 'New value', reason: 'Wrong value' });
    assert.equal(fixed.records.find((r) => r.id === first.id).value, 'New value');
    assert.deepEqual([fixed.history[0].action, fixed.history[0].reason], ['record.rectified', 'Wrong value']);
    const after = await api.deleteRecord({ id: second.id, reason: 'No longer needed' });
    assert.equal(after.records.length, before.records.length - 1);
    assert.ok(!after.records.some((r) => r.id === second.id));
    assert.equal(after.history[0].action, 'record.deleted');
    const [listed] = await api.searchSubjects({ query: 'Ola Hansen', limit: 5 });
    assert.equal(listed.records, before.records.length - 1);
    assert.equal((await rejection(api.deleteRecord({ id: second.id, reason: 'again' }))).kind, 'not_found');
  });

  it('refuses changes to a restricted person (Art. 18)', async () => {
    const api = createFakeBackend();
    await api.openDemo();
    const [per] = await api.searchSubjects({ query: 'Per Olsen', limit: 5 });
    assert.equal(per.restricted, true);
    const page = await api.viewSubject({ id: per.id });
    const edit = await rejection(api.rectifySubject({ id: per.id, name: 'P', email: '', phone: '', reason: 'x' }));
    assert.equal(edit.kind, 'subject.restricted');
    const record = await rejection(api.rectifyRecord({ id: page.records[0].id, value: 'x', reason: 'x' }));
    assert.equal(record.kind, 'subject.restricted');
  });

  it('erase_subject needs a reason, summarises what went and forgets the person', async () => {
    const { api, kari } = await demo();
    const page = await api.viewSubject({ id: kari.id });
    assert.equal((await rejection(api.eraseSubject({ id: kari.id, reason: '' }))).kind, 'input.invalid');
    const summary = await api.eraseSubject({ id: kari.id, reason: 'Asked to be forgotten' });
    assert.deepEqual(Object.keys(summary).sort(), ['consent_events', 'notify', 'per_activity', 'records', 'subject_id']);
    assert.equal(summary.subject_id, kari.id);
    assert.equal(summary.records, page.records.length);
    assert.equal(summary.consent_events, page.consents.length);
    assert.equal(summary.per_activity.reduce((sum, [, , count]) => sum + count, 0), page.records.length);
    for (const [id, name] of summary.per_activity) assert.equal(page.activities.find((a) => a.id === id).name, name);
    assert.ok(Array.isArray(summary.notify) && summary.notify.length > 0);
    assert.equal((await rejection(api.viewSubject({ id: kari.id }))).kind, 'not_found');
    assert.deepEqual(await api.searchSubjects({ query: 'Kari Nordmann', limit: 5 }), []);
  });
});

describe('<subject-page> source', () => {
  it('has the element ids the contract names', () => {
    const source = read(join(UI, 'components', 'subject-page.js'));
    const ids = ['subject-back', 'rectify-button', 'rectify-name', 'rectify-email', 'rectify-phone', 'rectify-reason',
      'rectify-save', 'erase-button', 'erase-reason', 'erase-confirm', 'erase-result', 'record-value', 'record-reason',
      'record-save', 'record-delete-reason', 'record-delete-confirm'];
    for (const id of ids) assert.ok(source.includes(`'${id}'`), id);
    for (const cls of ['record-rectify', 'record-delete']) assert.ok(source.includes(cls), cls);
    assert.ok(source.includes("'data-record-id'"));
  });
});
