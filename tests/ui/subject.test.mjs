// The data subject page's backend calls: ipc.js passes them through, and the real
// backend (bridge.mjs) answers in the shapes the page reads (SubjectDetails,
// ErasureSummary) and refuses what the register refuses.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UI, read, rejection } from './helpers.mjs';
import { freshRegister, startBridge } from './bridge.mjs';
import { SHAPES, assertShape } from './shapes.mjs';
import * as ipc from '../../ui/lib/ipc.js';

const COURSE = {
  name: 'Kurs', purposes: ['Kursadministrasjon'], legal_bases: ['contract'],
  data_categories: [{ name: 'Kurs', group: 'other' }, { name: 'Fødselsdato', group: 'identity' }],
};

/** A new register with one activity (with a processor) and Åse, who has two records in it. */
async function withAse() {
  await freshRegister();
  const activity = await ipc.saveActivity({ id: null, activity: COURSE, new_processors: [{ name: 'Mintra Trainingportal', country: 'Norway' }] });
  const id = await ipc.addSubject({
    subject: { name: 'Åse Ødegård', email: 'ase@example.no', phone: '' },
    records: [
      { activity_id: activity.id, category: 'Kurs', value: 'HMS grunnkurs', source: 'Påmeldingsskjema', collected_on: '2026-03-12' },
      { activity_id: activity.id, category: 'Fødselsdato', value: '1980-02-29', source: '', collected_on: null },
    ],
  });
  return { activity, id };
}

function assertDetails(page) {
  assertShape(page, SHAPES.SubjectDetails, 'SubjectDetails');
  assertShape(page.subject, SHAPES.Subject, 'Subject');
  for (const r of page.records) assertShape(r, SHAPES.Record, 'Record');
  for (const c of page.consents) assertShape(c, SHAPES.ConsentEvent, 'ConsentEvent');
  for (const a of page.activities) assertShape(a, SHAPES.ActivityName, 'ActivityName');
  for (const e of page.history) assertShape(e, SHAPES.AuditEvent, 'AuditEvent');
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
    ipc.setBackend(null);
  });
});

describe('the backend: a data subject', () => {
  it('view_subject returns the SubjectDetails and logs the view', async () => {
    const { activity, id } = await withAse();
    assert.equal(typeof id, 'number');
    const page = await ipc.viewSubject({ id });
    assertDetails(page);
    assert.equal(page.subject.name, 'Åse Ødegård');
    assert.equal(page.subject.phone, '', 'a missing phone is an empty string');
    assert.deepEqual(page.records.map((r) => [r.category, r.value]).sort(), [['Fødselsdato', '1980-02-29'], ['Kurs', 'HMS grunnkurs']]);
    assert.ok(page.records.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.collected_on)), 'a record without a date gets today');
    assert.equal(page.records.find((r) => r.category === 'Kurs').collected_on, '2026-03-12');
    assert.deepEqual(page.activities, [{ id: activity.id, name: 'Kurs' }]);
    assert.equal(page.history[0].action, 'subject.viewed');
    assert.ok(page.history.some((e) => e.action === 'subject.created'));
    assert.equal((await rejection(ipc.viewSubject({ id: 999_999 }))).kind, 'not_found');
  });

  it('a person with an e-mail or phone already registered is found before saving, and the demo pair merges', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    await ipc.openDemo();
    // The showcase's person registered twice: her mobile number, typed a third way.
    const found = await ipc.possibleDuplicates({ subject: { name: 'I. Solheim', email: '', phone: '+47 41 55 52 10' } });
    for (const m of found) {
      assertShape(m, SHAPES.DuplicateMatch, 'DuplicateMatch');
      assertShape(m.summary, SHAPES.SubjectSummary, 'SubjectSummary');
    }
    assert.deepEqual(found.map((m) => [m.summary.name, m.by_email, m.by_phone]),
      [['Ingrid Solheim', false, true], ['Ingrid M. Solheim', false, true]]);
    const byEmail = await ipc.possibleDuplicates({ subject: { name: 'x', email: ' INGRID.SOLHEIM@example.no', phone: '' } });
    assert.deepEqual(byEmail.map((m) => m.subject_id), [found[0].subject_id]);
    assert.deepEqual(await ipc.possibleDuplicates({ subject: { name: 'x', email: 'nobody@example.no', phone: '' } }), []);

    const [keep, other] = found.map((m) => m.subject_id);
    const preview = await ipc.mergePreview({ keep, other });
    assertShape(preview, SHAPES.MergePreview, 'MergePreview');
    assertShape(preview.moves, SHAPES.MergeCounts, 'MergeCounts');
    for (const f of preview.fields) assertShape(f, SHAPES.FieldFate, 'FieldFate');
    assert.equal(preview.other.name, 'Ingrid M. Solheim');
    assert.ok(preview.moves.records > 0);
    assert.deepEqual((await rejection(ipc.mergePreview({ keep, other: keep }))).kind, 'input.invalid');
    const noReason = await rejection(ipc.mergeSubjects({ keep, other, reason: '  ' }));
    assert.deepEqual([noReason.kind, noReason.details.field], ['input.invalid', 'reason']);

    const done = await ipc.mergeSubjects({ keep, other, reason: 'The same person, from the course portal' });
    assertShape(done, SHAPES.MergeDone, 'MergeDone');
    assertShape(done.receipt, SHAPES.MergeReceipt, 'MergeReceipt');
    assertDetails(done.page);
    assert.equal(done.page.subject.id, keep);
    assert.equal(done.page.history[0].action, 'subject.merged');
    assert.equal(done.receipt.moved.records, preview.moves.records);
    assert.equal((await rejection(ipc.viewSubject({ id: other }))).kind, 'not_found');
    assert.deepEqual((await ipc.possibleDuplicates({ subject: { name: 'x', email: '', phone: '41555210' } })).map((m) => m.subject_id), [keep]);
  });

  it('a demo subject with consents has them in the page', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    await ipc.openDemo();
    const { items } = await ipc.listSubjects({ offset: 0, limit: 40, sort: 'name', descending: false });
    let page = null;
    for (const s of items) {
      page = await ipc.viewSubject({ id: s.id });
      if (page.consents.length > 0) break;
    }
    assert.ok(page.consents.length > 0, 'no demo subject among the first 40 has a consent');
    assertDetails(page);
    assert.ok(page.consents.every((c) => ['consent_given', 'consent_withdrawn', 'objection'].includes(c.kind)));
    assert.ok(page.records.every((r) => page.activities.some((a) => a.id === r.activity_id)));
  });

  it('rectify_subject needs a reason, checks the fields and records what changed', async () => {
    const { id } = await withAse();
    const base = { id, name: 'Åse Ødegård', email: 'ase@fjord.no', phone: '' };
    const noReason = await rejection(ipc.rectifySubject({ ...base, reason: '  ' }));
    assert.deepEqual([noReason.kind, noReason.details.field], ['input.invalid', 'reason']);
    const badEmail = await rejection(ipc.rectifySubject({ ...base, email: 'not an address', reason: 'typo' }));
    assert.deepEqual([badEmail.kind, badEmail.details.field], ['input.invalid', 'email']);
    const noName = await rejection(ipc.rectifySubject({ ...base, name: '', reason: 'typo' }));
    assert.equal(noName.details.field, 'name');
    const page = await ipc.rectifySubject({ ...base, reason: 'She asked for it' });
    assertDetails(page);
    assert.equal(page.subject.email, 'ase@fjord.no');
    // Newest first: the Art. 19 tasks the correction made, then the correction.
    assert.equal(page.history[0].action, 'notifications.created');
    const event = page.history[1];
    assert.deepEqual([event.action, event.fields, event.reason], ['subject.rectified', ['email'], 'She asked for it']);
    assert.ok(page.notifications.length > 0, 'the recipients of her activity are to be told');
    for (const task of page.notifications) assertShape(task, SHAPES.NotificationRow, 'NotificationRow');
    const [found] = await ipc.searchSubjects({ query: 'ase@fjord.no', limit: 5 });
    assert.equal(found.id, id);
  });

  it('rectify_record and delete_record return the refreshed page', async () => {
    const { id } = await withAse();
    const before = await ipc.viewSubject({ id });
    const [first, second] = before.records;
    assert.equal((await rejection(ipc.rectifyRecord({ id: first.id, value: 'New', reason: '' }))).details.field, 'reason');
    const fixed = await ipc.rectifyRecord({ id: first.id, value: 'New value', reason: 'Wrong value' });
    assertDetails(fixed);
    assert.equal(fixed.records.find((r) => r.id === first.id).value, 'New value');
    const rectified = fixed.history.find((e) => e.action === 'record.rectified');
    assert.equal(rectified.reason, 'Wrong value');
    const after = await ipc.deleteRecord({ id: second.id, reason: 'No longer needed' });
    assertDetails(after);
    assert.deepEqual(after.records.map((r) => r.id), [first.id]);
    assert.equal(after.history[0].action, 'record.deleted');
    const [listed] = await ipc.searchSubjects({ query: 'Ødegård', limit: 5 });
    assert.equal(listed.records, 1);
    assert.equal((await rejection(ipc.deleteRecord({ id: second.id, reason: 'again' }))).kind, 'not_found');
  });

  it('lets a restricted person\'s data be corrected but not deleted (Art. 18)', async () => {
    const { id } = await withAse();
    const page = await ipc.viewSubject({ id });
    const request = await ipc.addRequest({ request: { kind: 'restriction', subject_id: id, channel: 'email' } });
    await ipc.verifyRequest({ id: request.id, how: 'Svar fra registrert e-postadresse', on: null });
    const done = await ipc.completeRequest({ id: request.id, completion: { action: 'restriction' } });
    assert.equal(done.status, 'completed');
    const [listed] = await ipc.searchSubjects({ query: 'Ødegård', limit: 5 });
    assert.equal(listed.restricted, true);
    const edited = await ipc.rectifySubject({ id, name: 'Åse Ø.', email: 'ase@example.no', phone: '', reason: 'the person says so' });
    assert.equal(edited.subject.name, 'Åse Ø.');
    const corrected = edited.history.find((e) => e.action === 'subject.rectified');
    assert.ok(corrected.fields.includes('while_restricted'), 'audited as done under the restriction');
    const record = await ipc.rectifyRecord({ id: page.records[0].id, value: 'HMS videregående', reason: 'wrong course' });
    assert.equal(record.records.find((r) => r.id === page.records[0].id).value, 'HMS videregående');
    const removal = await rejection(ipc.deleteRecord({ id: page.records[0].id, reason: 'x' }));
    assert.equal(removal.kind, 'subject.restricted');
    const erasure = await rejection(ipc.eraseSubject({ id, reason: 'x' }));
    assert.equal(erasure.kind, 'subject.restricted');
  });

  it('erase_subject needs a reason, summarises what went, gives a receipt and forgets the person', async () => {
    const { activity, id } = await withAse();
    const page = await ipc.viewSubject({ id });
    assert.equal((await rejection(ipc.eraseSubject({ id, reason: '' }))).kind, 'input.invalid');
    const summary = await ipc.eraseSubject({ id, reason: 'Asked to be forgotten' });
    assertShape(summary, SHAPES.ErasureSummary, 'ErasureSummary');
    assert.equal(summary.subject_id, id);
    assert.equal(summary.records, page.records.length);
    assert.equal(summary.consent_events, 0);
    assert.deepEqual(summary.per_activity, [[activity.id, 'Kurs', 2]]);
    assert.deepEqual(summary.notify, ['Mintra Trainingportal']);
    assert.equal(typeof summary.receipt, 'object');
    assert.equal(summary.journaled, false, 'no backup folder yet');
    assert.ok(!JSON.stringify(summary).includes('Ødegård'), 'the summary holds no personal data');
    assert.equal((await rejection(ipc.viewSubject({ id }))).kind, 'not_found');
    assert.deepEqual(await ipc.searchSubjects({ query: 'Ødegård', limit: 5 }), []);
  });

  it('an erased person added again is refused with the date and receipt, unless a reason is given', async () => {
    const { id } = await withAse();
    const summary = await ipc.eraseSubject({ id, reason: 'Asked to be forgotten' });
    const again = { subject: { name: 'Åse Ø.', email: 'ASE@example.no ', phone: '' }, records: [] };
    const refused = await rejection(ipc.addSubject(again));
    assert.equal(refused.kind, 'subject.suppressed');
    assert.equal(refused.details.reason, 'erased');
    assert.equal(refused.details.receipt, summary.receipt.id.split('-')[0]);
    assert.match(refused.details.on, /^\d{4}-\d{2}-\d{2}$/);
    assert.ok(!JSON.stringify(refused).toLowerCase().includes('ase@'), 'the refusal names no one');
    assert.equal((await rejection(ipc.addSubject({ ...again, override_reason: ' ' }))).kind, 'input.invalid');
    const back = await ipc.addSubject({ ...again, override_reason: 'A new consent at the fair, 2026-11-30' });
    assert.equal(typeof back, 'number');
    assert.equal((await ipc.searchSubjects({ query: 'Åse', limit: 5 })).length, 1);
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
