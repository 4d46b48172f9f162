// Personal data breaches (Art. 33, 34): <breach-list> and <breach-page> mounted in the
// fake DOM (fake-dom.mjs) on a small stand-in backend, to see what the window sends
// (UTC times from the datetime-local inputs, the selection counted before it is saved,
// the assessment, the notices) and what it shows (the clock, the count, the text for
// Datatilsynet); then the real backend (bridge.mjs) answering in the shapes the pages
// read.
import { choose, resetDocument, type, until } from './fake-dom.mjs'; // first: installs the DOM
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { UI, readJson, rejection } from './helpers.mjs';
import { startBridge } from './bridge.mjs';
import { SHAPES, assertShape } from './shapes.mjs';
import { setLanguage, useTranslations } from '../../ui/lib/i18n.js';
import * as ipc from '../../ui/lib/ipc.js';
import { clockState, fromLocalInput, toLocalInput } from '../../ui/lib/breaches.js';
import '../../ui/components/breach-list.js';
import '../../ui/components/breach-page.js';
import '../../ui/components/overview-page.js';

const en = readJson(join(UI, 'i18n', 'en.json'));
const nb = readJson(join(UI, 'i18n', 'nb.json'));
useTranslations({ en, nb });

const $ = (id) => document.getElementById(id);
const text = (id) => $(id)?.textContent ?? '';
const HOUR = 3_600_000;
/** The checkbox named `name` in the fieldset `id` (the fake DOM's selectors take no spaces in values). */
const box = (id, name) => $(id).querySelectorAll('input').find((i) => i.dataset.name === name);

/** A stand-in for the core's breaches, enough for the pages: it keeps what it is sent. */
function standIn() {
  const calls = [];
  let breach = null;
  const activities = [
    { id: 1, name: 'Newsletter', categories: ['Name', 'E-mail address'] },
    { id: 2, name: 'Courses and training', categories: ['Name', 'E-mail address', 'Date of birth'] },
  ];
  const processors = [{ id: 7, name: 'Mintra Trainingportal' }];
  const page = () => ({ ...breach, activities, processors, needs_delay_reason: false });
  const clockOf = (aware) => {
    const due = Date.parse(aware) + 72 * HOUR;
    const left = Math.floor((due - Date.now()) / 60_000);
    const notified = breach?.notices?.some((n) => n.kind !== 'subjects');
    const running = !notified && breach?.status !== 'closed';
    return { aware_at: aware, due_at: new Date(due).toISOString(), due_local: '', minutes_left: running ? left : null, overdue: running && left < 0, running };
  };
  const count = (sel) => ({
    people: 12 * sel.activity_ids.length, records: 20 * sel.activity_ids.length,
    categories: (sel.categories.length ? sel.categories : ['Name']).map((c) => [c, 12]), special_categories: false, criminal_offence_data: false,
  });
  const backend = {
    listBreaches: async () => { calls.push(['listBreaches']); return breach ? [breach] : []; },
    listProcessors: async () => processors,
    breachPage: async ({ id }) => { calls.push(['breachPage', id]); return page(); },
    addBreach: async ({ facts }) => {
      calls.push(['addBreach', facts]);
      if (!facts.title) throw { kind: 'input.invalid', message: 'title: empty', details: { field: 'title', problem: 'empty' } };
      breach = {
        id: 1, reference: '2026-001', ...facts, status: 'open', processor: facts.processor_id ? 'Mintra Trainingportal' : null,
        selection: null, affected: null, linked_people: 0, assessment: null, notices: [], closed_at: null, closing_note: '',
      };
      breach.clock = clockOf(facts.aware_at);
      return page();
    },
    countAffected: async ({ selection }) => { calls.push(['countAffected', selection]); return count(selection); },
    setAffected: async ({ id, selection }) => {
      calls.push(['setAffected', id, selection]);
      Object.assign(breach, { selection, affected: count(selection), linked_people: count(selection).people });
      return page();
    },
    assessBreach: async ({ id, assessment }) => {
      calls.push(['assessBreach', id, assessment]);
      breach.assessment = { ...assessment, decided_at: new Date().toISOString() };
      return page();
    },
    breachNoticeText: async ({ id, lang }) => { calls.push(['breachNoticeText', id, lang]); return `Number of people affected: ${breach.affected.people}`; },
    recordBreachNotice: async ({ id, notice }) => {
      calls.push(['recordBreachNotice', id, notice]);
      breach.notices = [...breach.notices, { id: breach.notices.length + 1, ...notice, sent_at: notice.sent_at ?? new Date().toISOString() }];
      breach.status = 'notified';
      breach.clock = clockOf(breach.aware_at);
      return page();
    },
    exportBreachLetters: async (args) => { calls.push(['exportBreachLetters', args]); return { path: '/tmp/breach-letters-2026-001.pdf', letters: 24 }; },
    closeBreach: async ({ id, note }) => {
      calls.push(['closeBreach', id, note]);
      Object.assign(breach, { status: 'closed', closed_at: new Date().toISOString(), closing_note: note });
      breach.clock = clockOf(breach.aware_at);
      return page();
    },
    exportBreachLog: async (args) => { calls.push(['exportBreachLog', args]); return { path: '/tmp/breach-log-2026-01-01.pdf' }; },
  };
  return { backend, calls };
}

afterEach(() => {
  ipc.setBackend(null);
  setLanguage('en');
  resetDocument();
});

describe('breach times and the clock', () => {
  it('go between UTC and the datetime-local inputs in local time', () => {
    const iso = '2026-03-28T13:30:00.000Z';
    const local = toLocalInput(iso);
    assert.match(local, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/);
    assert.equal(fromLocalInput(local), iso);
    assert.equal(fromLocalInput(''), null);
    assert.equal(toLocalInput(null), '');
  });

  it('shows hours left, overdue, and why it stopped', () => {
    setLanguage('en');
    const running = (minutes) => ({ status: 'open', notices: [], clock: { running: true, minutes_left: minutes, overdue: minutes < 0 } });
    assert.equal(clockState(running(42 * 60 + 10)).text, '42 hours left');
    assert.equal(clockState(running(30)).text, '30 minutes left');
    assert.deepEqual(clockState(running(-5 * 60 - 1)), { text: 'Overdue by 5 hours', cls: 'danger' });
    const loaded = Date.now() - 61 * 60_000;
    assert.equal(clockState(running(90), loaded).text, '29 minutes left', 'the minutes since the count are taken off');
    const stopped = { status: 'notified', notices: [{ kind: 'initial' }], clock: { running: false, minutes_left: null } };
    assert.equal(clockState(stopped).text, 'Datatilsynet notified');
    setLanguage('nb');
    assert.equal(clockState(running(-2 * 60)).text, '2 timer over fristen');
    assert.equal(clockState({ ...stopped, status: 'closed' }).text, 'Lukket');
  });
});

describe('<breach-page> on a stand-in backend', () => {
  it('records a breach, counts the people before saving them, assesses, notifies, makes letters and closes', async () => {
    const { backend, calls } = standIn();
    ipc.setBackend(backend);
    const el = document.createElement('breach-page');
    el.breachId = null;
    document.body.append(el);
    await until(() => $('breach-processor')?.options.length === 2, { what: 'the processors' });

    // Refused without a title: the field is marked.
    type($('breach-title'), '');
    $('breach-facts-save').click();
    await until(() => text('breach-facts-error'), { what: 'the refusal' });
    assert.equal($('breach-title').getAttribute('aria-invalid'), 'true');

    type($('breach-title'), 'Laptop stolen from the car');
    const aware = toLocalInput(new Date(Date.now() - 30 * HOUR).toISOString());
    type($('breach-aware-at'), aware);
    type($('breach-discovered-at'), aware);
    $('breach-kind-confidentiality').click();
    choose($('breach-processor'), '7');
    assert.ok($('breach-processor-told-at'), 'when the processor told us is asked once one is chosen');
    $('breach-facts-save').click();
    await until(() => $('breach-summary'), { what: 'the breach page' });
    const facts = calls.filter(([c]) => c === 'addBreach').at(-1)[1];
    assert.equal(facts.aware_at, fromLocalInput(aware), 'sent in UTC');
    assert.deepEqual(facts.kinds, ['confidentiality']);
    assert.equal(facts.processor_id, 7);
    assert.match(text('breach-clock'), /^4[12] hours left$/);
    assert.match(text('breach-reported-by'), /Mintra Trainingportal/);

    // The people: two activities, one category; counted, then saved.
    assert.equal($('breach-affected-save'), null, 'nothing to save before a count');
    box('breach-activities', 'Newsletter').click();
    box('breach-activities', 'Courses and training').click();
    box('breach-categories', 'E-mail address').click();
    $('breach-count').click();
    await until(() => $('breach-count-result'), { what: 'the count' });
    assert.equal($('breach-count-result').dataset.people, '24');
    assert.match(text('breach-count-result'), /People: 24\. Records: 40\./);
    $('breach-affected-save').click();
    await until(() => text('breach-affected-done'), { what: 'the selection saved' });
    assert.deepEqual(calls.find(([c]) => c === 'setAffected')[2],
      { activity_ids: [1, 2], categories: ['E-mail address'], collected_from: null, collected_to: null, import_event: null, subject_ids: [] });

    // The assessment: high risk, both told.
    choose($('breach-risk'), 'high');
    type($('breach-authority-reasons'), 'Unencrypted disk');
    choose($('breach-notify-subjects'), 'no');
    assert.ok($('breach-art34-exception'), 'the Art. 34(3) exceptions are offered when the people are not told');
    choose($('breach-notify-subjects'), 'yes');
    assert.equal($('breach-art34-exception'), null);
    type($('breach-subjects-reasons'), 'They should watch for phishing');
    type($('breach-decided-by'), 'General manager');
    $('breach-assess-save').click();
    await until(() => text('breach-assess-done'), { what: 'the assessment saved' });
    const assessment = calls.find(([c]) => c === 'assessBreach')[2];
    assert.deepEqual([assessment.risk, assessment.notify_authority, assessment.notify_subjects, assessment.art34_exception],
      ['high', true, true, null]);

    // The text for Datatilsynet, and copying it (no clipboard here: selected instead).
    $('breach-text-show').click();
    await until(() => $('breach-text-value'), { what: 'the text' });
    assert.match($('breach-text-value').value, /24/);
    $('breach-text-copy').click();
    await until(() => text('breach-text-copied'), { what: 'the copy message' });

    // The notification, then the letters and the communication they were.
    assert.equal($('breach-notice-kind').value, 'initial');
    type($('breach-notice-reference'), 'AR123456');
    $('breach-notice-save').click();
    await until(() => $('breach-notices'), { what: 'the notice listed' });
    assert.match(text('breach-notices'), /Notification to Datatilsynet/);
    assert.equal(text('breach-clock'), 'Datatilsynet notified');
    assert.equal($('breach-notice-kind').value, 'subjects', 'next: the people');
    $('breach-letters-save').click();
    await until(() => $('breach-letters-record'), { what: 'the question to record the letters' });
    assert.match(text('breach-letters-done'), /24 letters saved to \/tmp\/breach-letters-2026-001\.pdf\./);
    assert.deepEqual(calls.find(([c]) => c === 'exportBreachLetters')[1], { id: 1, format: 'pdf', lang: 'en', one_per_person: true });
    $('breach-letters-record-save').click();
    await until(() => !$('breach-letters-record'), { what: 'the letters recorded' });
    const told = calls.filter(([c]) => c === 'recordBreachNotice').at(-1)[2];
    assert.deepEqual([told.kind, told.letters], ['subjects', 24]);

    // Closed: no more forms.
    type($('breach-close-note'), 'Measures done');
    $('breach-close-save').click();
    await until(() => $('breach-closed'), { what: 'closed' });
    assert.equal($('breach-facts'), null);
    assert.equal($('breach-notice-form'), null);
    assert.equal(text('breach-status'), 'Closed');
    el.remove();
  });

  it('lists open breaches first with the clock and saves the log', async () => {
    const { backend, calls } = standIn();
    await backend.addBreach({ facts: { title: 'Wrong list', aware_at: new Date(Date.now() - 80 * HOUR).toISOString(), kinds: ['confidentiality'] } });
    ipc.setBackend(backend);
    setLanguage('nb');
    const el = document.createElement('breach-list');
    document.body.append(el);
    await until(() => document.querySelector('li[data-breach-id]'), { what: 'the list' });
    assert.match(text('breaches-open'), /8 timer over fristen/);
    choose($('breach-log-format'), 'xlsx');
    $('breach-log-save').click();
    await until(() => text('breach-log-done'), { what: 'the log saved' });
    assert.deepEqual(calls.at(-1), ['exportBreachLog', { format: 'xlsx', lang: 'nb' }]);
    el.remove();
  });
});

describe('<overview-page> with open breaches', () => {
  it('shows each with its clock and the processor that reported it', async () => {
    const { backend } = standIn();
    const told = new Date(Date.now() - 3 * HOUR).toISOString();
    const page = await backend.addBreach({ facts: {
      title: 'Course portal', aware_at: new Date(Date.now() - 73 * HOUR).toISOString(), kinds: ['availability'], processor_id: 7, processor_told_at: told,
    } });
    ipc.setBackend({
      overview: async () => ({
        controller: null, activities: [], audit: { events: 0, first_broken: null, head_hash: '' },
        counts: { activities: 0, subjects: 0, records: 0, processors: 0, breaches_open: 1 },
        requests: { open: 0, overdue: 0, due_soon: 0, extension_reminders: 0, requests: [], today: '2026-01-01' },
        breaches: [page],
      }),
    });
    const el = document.createElement('overview-page');
    document.body.append(el);
    await until(() => $('overview-breaches'), { what: 'the breaches panel' });
    assert.match(text('overview-breaches'), /2026-001 Course portal/);
    assert.match(text('overview-breaches'), /Overdue by 1 hour/);
    assert.match(text('overview-breaches'), /Reported by the processor Mintra Trainingportal at/);
    assert.ok($('overview-breaches').classList.contains('danger-zone'));
    el.remove();
  });
});

describe('the backend: breaches', () => {
  it('answers in the shapes the pages read and refuses bad input with the field named', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    await ipc.openDemo();
    const overview = await ipc.overview();
    assertShape(overview, SHAPES.Overview, 'Overview');
    assertShape(overview.counts, SHAPES.Counts, 'Counts');
    const aware = new Date(Date.now() - 2 * HOUR).toISOString();
    const missing = await rejection(ipc.addBreach({ facts: { title: '', aware_at: aware, discovered_at: aware, kinds: ['integrity'] } }));
    assert.equal(missing.details.field, 'title');
    const page = await ipc.addBreach({ facts: { title: 'Laptop stolen', aware_at: aware, discovered_at: aware, kinds: ['confidentiality'] } });
    assertShape(page, SHAPES.BreachPage, 'BreachPage');
    assertShape(page.clock, SHAPES.BreachClock, 'BreachClock');
    for (const a of page.activities) assertShape(a, SHAPES.BreachActivity, 'BreachActivity');
    for (const p of page.processors) assertShape(p, SHAPES.ProcessorName, 'ProcessorName');
    assert.equal(page.clock.running, true);
    const newsletter = page.activities.find((a) => a.name === 'Newsletter');
    const selection = { activity_ids: [newsletter.id], categories: [], collected_from: null, collected_to: null, subject_ids: [] };
    const count = await ipc.countAffected({ selection });
    assertShape(count, SHAPES.AffectedCount, 'AffectedCount');
    assert.ok(count.people > 0);
    const chosen = await ipc.setAffected({ id: page.id, selection });
    assertShape(chosen.selection, SHAPES.AffectedSelection, 'AffectedSelection');
    assert.equal(chosen.affected.people, count.people);
    const assessed = await ipc.assessBreach({ id: page.id, assessment: {
      risk: 'risk', notify_authority: true, authority_reasons: 'E-mail addresses seen by others', notify_subjects: false,
      subjects_reasons: 'Not a high risk', art34_exception: null, decided_by: 'General manager', decided_at: null,
    } });
    assertShape(assessed.assessment, SHAPES.Assessment, 'Assessment');
    const notified = await ipc.recordBreachNotice({ id: page.id, notice: { kind: 'initial', sent_at: null, reference: 'AR1', delay_reason: '', note: '', letters: null } });
    assertShape(notified.notices[0], SHAPES.BreachNotice, 'BreachNotice');
    assert.equal(notified.clock.running, false);
    assert.ok((await ipc.breachNoticeText({ id: page.id, lang: 'nb' })).includes(String(count.people)));
    const list = await ipc.listBreaches();
    assertShape(list[0], SHAPES.Breach, 'Breach');
    assertShape((await ipc.overview()).breaches[0], SHAPES.Breach, 'Breach');
    const closed = await ipc.closeBreach({ id: page.id, note: 'Done' });
    assert.equal(closed.status, 'closed');
    assert.equal((await rejection(ipc.closeBreach({ id: page.id, note: 'again' }))).details.field, 'status');
  });
});
