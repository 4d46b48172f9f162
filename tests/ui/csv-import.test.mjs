// The CSV import wizard (<csv-import>) and "export the whole register", mounted in the
// fake DOM (fake-dom.mjs) against the fake backend: preview and suggested mapping, the
// mapping sent to the backend, the dry run, both import modes, mapping errors, Cancel,
// the entry points in the activity editor and list, and the texts in both languages.
import { choose, resetDocument, until } from './fake-dom.mjs'; // first: installs the DOM
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { UI, read, readJson, rejection } from './helpers.mjs';
import { lookup, setLanguage, t, useTranslations } from '../../ui/lib/i18n.js';
import * as ipc from '../../ui/lib/ipc.js';
import { createFakeBackend } from '../../ui/lib/fake-ipc.js';
import '../../ui/components/main-screen.js';
import { keyTarget, lineNote, targetKey } from '../../ui/components/csv-import.js';

const en = readJson(join(UI, 'i18n', 'en.json'));
const nb = readJson(join(UI, 'i18n', 'nb.json'));
useTranslations({ en, nb });

const COURSES = 'act-3'; // the demo's "Course administration and certificates": Name, E-mail, Course
const HEADERS = ['Fornavn', 'Etternavn', 'E-post', 'Telefon', 'Kurs', 'Påmeldt'];

const $ = (id) => document.getElementById(id);
const text = (id) => $(id)?.textContent ?? '';

/** A demo register behind ipc.js; `spy` records the arguments of the named methods. */
async function backend(spy = []) {
  const api = createFakeBackend();
  const status = await api.openDemo();
  const calls = Object.fromEntries(spy.map((name) => [name, []]));
  const wrapped = { ...api };
  for (const name of spy) {
    wrapped[name] = async (args) => {
      calls[name].push(structuredClone(args));
      return api[name](args);
    };
  }
  ipc.setBackend(wrapped);
  return { api, calls, status };
}

/** The wizard for the course activity, with the fake file chosen. */
async function wizard() {
  const el = document.createElement('csv-import');
  el.activityId = COURSES;
  el.activityName = 'Course administration and certificates';
  document.body.append(el);
  assert.equal($('csv-preview'), null);
  $('csv-choose').click();
  await until(() => $('csv-preview'), { what: 'the preview' });
  return el;
}

async function check() {
  $('csv-check').click();
  await until(() => $('csv-report') || text('csv-check-error'), { what: 'the dry run' });
}

async function importRows() {
  $('csv-import').click();
  await until(() => text('csv-result') || text('csv-import-error'), { what: 'the import' });
}

beforeEach(() => {
  document.body.replaceChildren(); // disconnects the last test's components
  resetDocument();
  setLanguage('en');
});

describe('<csv-import>', () => {
  it('shows the file, how it was read, the first rows and the suggested mapping', async () => {
    await backend();
    await wizard();
    assert.equal(text('csv-file-name'), 'kursdeltakere-vår-2025.csv');
    assert.equal(text('csv-total-rows'), '12');
    assert.equal($('csv-encoding').value, 'windows1252');
    assert.equal($('csv-delimiter').value, ';');
    const preview = $('csv-preview');
    assert.deepEqual(preview.querySelectorAll('thead th').map((th) => th.textContent), HEADERS);
    const rows = preview.querySelectorAll('tbody tr');
    assert.equal(rows.length, 8);
    assert.deepEqual(rows[0].querySelectorAll('td').map((td) => td.textContent).slice(0, 3),
      ['Kjersti', 'Ødegård', 'kjersti.odegaard@example.no']);
    assert.deepEqual(HEADERS.map((_, i) => $(`csv-map-${i}`).value),
      ['first_name', 'last_name', 'email', 'phone', 'category:Course', '']);
    assert.match(text('csv-map-2-also'), /Record: E-mail/, 'the extra target of the e-mail column is shown');
    assert.equal(text('csv-mapping-note'), t('csv.mapping_suggested'));
    assert.deepEqual($('csv-map-0').options.map((o) => o.textContent),
      ['Ignore', 'Name', 'First name', 'Last name', 'E-mail', 'Phone', 'Record: Name', 'Record: E-mail', 'Record: Course']);
    assert.equal($('csv-collected').value.length, 10);
    assert.equal($('csv-match-phone').checked, false);
    assert.equal($('csv-progress').localName, 'progress');
    assert.equal($('csv-progress-area').hidden, true);
  });

  it('reads the file again with another delimiter or encoding', async () => {
    const { calls } = await backend(['csvReread']);
    await wizard();
    choose($('csv-encoding'), 'utf8');
    await until(() => $('csv-preview')?.textContent.includes('\uFFFD'), { what: 'the file read as UTF-8' });
    assert.deepEqual(calls.csvReread, [{ activity_id: COURSES, delimiter: null, encoding: 'utf8' }]);
    choose($('csv-delimiter'), ',');
    await until(() => $('csv-preview')?.querySelectorAll('thead th').length === 1, { what: 'one column' });
    assert.deepEqual(calls.csvReread[1], { activity_id: COURSES, delimiter: ',', encoding: 'utf8' });
    assert.equal($('csv-map-1'), null);
  });

  it('sends the mapping as shown, keeping the extra targets of untouched columns', async () => {
    const { calls } = await backend(['csvPlan']);
    await wizard();
    await check();
    assert.deepEqual(calls.csvPlan[0], {
      activity_id: COURSES,
      mapping: {
        columns: [
          { column: 'Fornavn', target: 'first_name' },
          { column: 'Etternavn', target: 'last_name' },
          { column: 'E-post', target: 'email' },
          { column: 'E-post', target: { category: 'E-mail' } },
          { column: 'Telefon', target: 'phone' },
          { column: 'Kurs', target: { category: 'Course' } },
        ],
        match_phone: false,
        source: '',
      },
    });
    assert.ok($('csv-report'));
    choose($('csv-map-2'), 'category:E-mail');
    assert.equal($('csv-report'), null, 'a check with another mapping is no longer shown');
    choose($('csv-map-4'), '');
    choose($('csv-map-5'), 'category:Name');
    $('csv-match-phone').click();
    $('csv-source').value = '  Kursportalen  ';
    await check();
    assert.deepEqual(calls.csvPlan[1].mapping, {
      columns: [
        { column: 'Fornavn', target: 'first_name' },
        { column: 'Etternavn', target: 'last_name' },
        { column: 'E-post', target: { category: 'E-mail' } },
        { column: 'Telefon', target: 'phone' },
        { column: 'Påmeldt', target: { category: 'Name' } },
      ],
      match_phone: true,
      source: 'Kursportalen',
    });
  });

  it('shows the dry run: the counts and the rejected and skipped lines, changing nothing', async () => {
    const { api } = await backend();
    await wizard();
    await check();
    const counts = Object.fromEntries(['rows', 'new', 'merged', 'skipped', 'rejected', 'records']
      .map((key) => [key, text(`csv-count-${key}`)]));
    assert.deepEqual(counts, { rows: '12', new: '9', merged: '1', skipped: '1', rejected: '1', records: '19' });
    const notes = $('csv-rejected').querySelectorAll('li').map((li) => li.textContent);
    assert.deepEqual(notes, ['line 6: E-post: not an e-mail address', 'line 7: the row is empty']);
    assert.equal(text('csv-result'), '');
    assert.deepEqual(await api.searchSubjects({ query: 'kjersti', limit: 5 }), []);
  });

  it('imports the good rows: the people can then be found', async () => {
    const { api, calls } = await backend(['csvImport']);
    const [kari] = await api.searchSubjects({ query: 'Kari Nordmann', limit: 5 });
    await wizard();
    $('csv-source').value = 'Kursportalen';
    await importRows();
    assert.equal(calls.csvImport[0].mode, 'good_rows');
    assert.match(calls.csvImport[0].collected_on, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(text('csv-result'), 'The import is done. New people: 9; merged with people already registered: 1; records added: 19.');
    assert.equal(text('csv-count-records'), '19');
    assert.equal(text('csv-import-error'), '');
    assert.equal($('csv-import'), null, 'the file cannot be imported twice');
    assert.ok($('csv-open-subjects') && $('csv-open-activity'));
    const [found, ...more] = await api.searchSubjects({ query: 'kjersti', limit: 5 });
    assert.equal(found.name, 'Kjersti Ødegård');
    assert.deepEqual(more, []);
    const page = await api.viewSubject({ id: found.id });
    assert.deepEqual(page.records.map((r) => [r.category, r.source, r.activity_id]),
      [['E-mail', 'Kursportalen', COURSES], ['Course', 'Kursportalen', COURSES]]);
    const [merged] = await api.searchSubjects({ query: 'Kari Nordmann', limit: 5 });
    assert.equal(merged.id, kari.id);
    assert.equal(merged.records, kari.records + 2);
  });

  it('imports nothing in all-or-nothing mode when a row is rejected', async () => {
    const { api, calls } = await backend(['csvImport']);
    await wizard();
    $('csv-mode-all').click();
    assert.equal($('csv-mode-good').checked, false);
    await importRows();
    assert.equal(calls.csvImport[0].mode, 'all_or_nothing');
    assert.equal(text('csv-result'), 'Nothing was imported because 1 row was rejected.');
    assert.ok($('csv-import'), 'the import can be tried again');
    assert.match(text('csv-rejected'), /line 6: E-post/);
    assert.deepEqual(await api.searchSubjects({ query: 'kjersti', limit: 5 }), []);
  });

  it('shows a mapping the backend refuses next to the mapping table', async () => {
    await backend();
    await wizard();
    choose($('csv-map-0'), '');
    choose($('csv-map-1'), '');
    await check();
    assert.match(text('csv-mapping-error'), /map a column to the name/);
    assert.equal(text('csv-check-error'), t('csv.see_mapping'));
    assert.equal($('csv-mapping').getAttribute('aria-describedby'), 'csv-mapping-error');
    assert.equal($('csv-report'), null);
    choose($('csv-map-0'), 'name');
    assert.equal(text('csv-mapping-error'), '', 'cleared when the mapping changes');
  });

  it('cancels a running import: the progress bar goes, the message comes, nothing changes', async () => {
    const { api } = await backend();
    await wizard();
    $('csv-import').click();
    await until(() => !$('csv-progress-area').hidden && /of/.test(text('csv-progress-label')), { what: 'progress' });
    assert.ok($('csv-progress').max >= 1);
    assert.equal($('csv-cancel').disabled, false, 'Cancel stays usable while the rest is disabled');
    assert.equal($('csv-check').disabled, true);
    assert.equal($('csv-back').disabled, true);
    $('csv-cancel').click();
    await until(() => text('csv-import-error'), { what: 'the cancelled message' });
    assert.equal(text('csv-import-error'), 'The import was cancelled; nothing was changed.');
    assert.equal($('csv-progress-area').hidden, true);
    assert.equal($('csv-check').disabled, false);
    assert.equal(text('csv-result'), '');
    assert.deepEqual(await api.searchSubjects({ query: 'kjersti', limit: 5 }), []);
  });

  it('says when it is saving and when it is updating the search index', async () => {
    await backend();
    await wizard();
    $('csv-import').click();
    await until(() => /^Saving: \d+ of 10$/.test(text('csv-progress-label')), { what: 'the saving label' });
    // The 9 new people's search rows are written after everything else.
    await until(() => /^Updating the search index: \d+ of 9$/.test(text('csv-progress-label')), { what: 'the indexing label' });
    await until(() => text('csv-result'), { what: 'the result' });
    assert.match(text('csv-result'), /^The import is done\./);
    assert.equal($('csv-progress-area').hidden, true);
  });

  it('frees the file when the wizard is left', async () => {
    const { calls } = await backend(['csvClose']);
    const el = await wizard();
    el.remove();
    await until(() => calls.csvClose.length, { what: 'csvClose' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(calls.csvClose.length, 1);
  });

  it('writes rejected and skipped rows as "line N: column: reason"', () => {
    assert.equal(lineNote({ line: 6, column: 'E-post', reason: 'column "E-post": not an e-mail address' }), 'line 6: E-post: not an e-mail address');
    assert.equal(lineNote({ line: 1234, column: null, reason: 'the row is empty' }), 'line 1234: the row is empty');
    assert.equal(lineNote({ line: 3, column: 'Navn', reason: 'the name is empty' }), 'line 3: Navn: the name is empty');
    assert.deepEqual(keyTarget(targetKey({ category: 'E-mail: work' })), { category: 'E-mail: work' });
    assert.equal(keyTarget(targetKey('phone')), 'phone');
  });

  it('speaks Norwegian', async () => {
    await backend();
    await wizard();
    setLanguage('nb');
    assert.equal(document.querySelector('csv-import h1').textContent, 'Importer fra CSV');
    assert.deepEqual($('csv-map-4').options.map((o) => o.textContent).slice(0, 6),
      ['Ignorer', 'Navn', 'Fornavn', 'Etternavn', 'E-post', 'Telefon']);
    assert.equal($('csv-map-4').value, 'category:Course', 'the choice survives the switch');
    assert.match($('csv-map-4').options.at(-1).textContent, /^Opplysning: /);
    await check();
    assert.match(text('csv-rejected'), /linje 6: E-post: /);
    setLanguage('en');
  });
});

describe('entry points', () => {
  async function shell() {
    const { status, calls } = await backend(['csvClose']);
    const main = document.createElement('main-screen');
    main.status = status;
    document.body.append(main);
    return { main, calls };
  }

  it('"Import CSV…" on a row of the activity list and "Import from CSV…" in the editor open the wizard', async () => {
    const { calls } = await shell();
    $('nav-activities').click();
    const rowButton = await until(() => $(`activity-import-csv-${COURSES}`), { what: 'the activity list' });
    rowButton.click();
    const page = await until(() => document.querySelector('csv-import'), { what: 'the wizard' });
    assert.equal(page.activityId, COURSES);
    assert.equal(document.querySelector('activity-editor'), null, 'the row itself did not open');
    assert.equal($('nav-activities').getAttribute('aria-current'), 'page');
    $('csv-choose').click();
    await until(() => $('csv-preview'));
    $('csv-back').click();
    await until(() => calls.csvClose.length === 1, { what: 'leaving the wizard frees the file' });
    const button = await until(() => $('activity-import-csv'), { what: 'the editor' });
    button.click();
    const again = await until(() => document.querySelector('csv-import'), { what: 'the wizard again' });
    assert.equal(again.activityId, COURSES);
    assert.match(text('csv-intro'), /Course administration and certificates/);
  });

  it('"Go to the data subjects" after an import shows the list', async () => {
    await shell();
    $('nav-activities').click();
    (await until(() => $(`activity-import-csv-${COURSES}`))).click();
    await until(() => $('csv-choose'));
    $('csv-choose').click();
    await until(() => $('csv-preview'));
    await importRows();
    $('csv-open-subjects').click();
    assert.ok(document.querySelector('subject-list'));
    assert.equal($('nav-subjects').getAttribute('aria-current'), 'page');
  });

  it('File → Export from another page lands on the export panel, focused', async () => {
    const { main } = await shell();
    $('nav-settings').click();
    main.showExport();
    await until(() => document.activeElement?.id === 'export-art30-format', { what: 'focus on the export panel' });
    assert.ok($('export-register'));
  });
});

describe('export the whole register', () => {
  it('shows where the file went, with the number of people and records', async () => {
    const { api } = await backend();
    const overview = await api.overview();
    document.body.append(document.createElement('overview-page'));
    const button = await until(() => $('export-register'), { what: 'the overview' });
    assert.match(text('export-register-title'), /whole register/);
    button.click();
    await until(() => text('export-register-done'), { what: 'the export' });
    assert.match(text('export-register-done'), /^Saved to \/home\/demo\/Documents\/Demo register-export-\d{4}-\d{2}-\d{2}\.json\./);
    assert.ok(text('export-register-done').includes(`Data subjects: ${overview.counts.subjects}. Records: ${overview.counts.records.toLocaleString('en-GB')}.`));
    assert.equal(text('export-register-error'), '');
  });

  it('says nothing when the save dialog is cancelled', async () => {
    const { api } = await backend();
    ipc.setBackend({ ...api, exportRegister: async () => null });
    document.body.append(document.createElement('overview-page'));
    (await until(() => $('export-register'))).click();
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(text('export-register-done'), '');
    assert.equal(text('export-register-error'), '');
  });
});

describe('ipc.js CSV and export commands', () => {
  it('pass their arguments through unchanged, and the progress event reaches its listener', async () => {
    const calls = [];
    const names = ['csvChoose', 'csvReread', 'csvPlan', 'csvImport', 'csvCancel', 'csvClose', 'exportRegister'];
    let progress = null;
    ipc.setBackend({
      ...Object.fromEntries(names.map((name) => [name, async (args) => { calls.push([name, args]); return name; }])),
      onCsvProgress: async (callback) => { progress = callback; return () => { progress = null; }; },
    });
    const mapping = { columns: [{ column: 'Navn', target: 'name' }], match_phone: false, source: '' };
    assert.equal(await ipc.csvChoose({ activity_id: 3 }), 'csvChoose');
    await ipc.csvReread({ activity_id: 3, delimiter: null, encoding: 'utf8' });
    await ipc.csvPlan({ activity_id: 3, mapping });
    await ipc.csvImport({ activity_id: 3, mapping, mode: 'all_or_nothing', collected_on: '2025-03-01' });
    await ipc.csvCancel();
    await ipc.csvClose();
    await ipc.exportRegister();
    assert.deepEqual(calls, [
      ['csvChoose', { activity_id: 3 }],
      ['csvReread', { activity_id: 3, delimiter: null, encoding: 'utf8' }],
      ['csvPlan', { activity_id: 3, mapping }],
      ['csvImport', { activity_id: 3, mapping, mode: 'all_or_nothing', collected_on: '2025-03-01' }],
      ['csvCancel', undefined],
      ['csvClose', undefined],
      ['exportRegister', undefined],
    ]);
    const seen = [];
    const stop = await ipc.onCsvProgress((p) => seen.push(p));
    progress({ phase: 'writing', done: 5, total: 10 });
    stop();
    assert.deepEqual(seen, [{ phase: 'writing', done: 5, total: 10 }]);
    assert.equal(progress, null);
  });

  it('names the commands as the Rust side does', () => {
    const source = read(join(UI, 'lib', 'ipc.js'));
    for (const [name, command] of [['csvChoose', 'csv_choose'], ['csvReread', 'csv_reread'], ['csvPlan', 'csv_plan'],
      ['csvImport', 'csv_import'], ['csvCancel', 'csv_cancel'], ['csvClose', 'csv_close'], ['exportRegister', 'export_register']]) {
      assert.ok(source.includes(`  ${name}: '${command}',`), name);
    }
    assert.ok(source.includes("CSV_PROGRESS_EVENT = 'csv-progress'"));
  });
});

describe('the fake backend: CSV import', () => {
  async function opened() {
    const api = createFakeBackend();
    await api.openDemo();
    const file = await api.csvChoose({ activity_id: COURSES });
    return { api, file };
  }

  it('answers csv_choose with a CsvOpened', async () => {
    const { file } = await opened();
    assert.deepEqual(Object.keys(file).sort(), ['activity', 'categories', 'delimiter', 'encoding', 'file_name', 'headers',
      'mapping', 'remembered', 'rows', 'total_rows']);
    assert.deepEqual(file.categories, ['Name', 'E-mail', 'Course']);
    assert.equal(file.remembered, false);
    assert.equal(file.rows.length, 8);
  });

  it('plans without changing anything, and reports progress', async () => {
    const { api, file } = await opened();
    const events = [];
    await api.onCsvProgress((p) => events.push(p));
    const before = (await api.overview()).counts;
    const report = await api.csvPlan({ activity_id: COURSES, mapping: file.mapping });
    assert.deepEqual(Object.keys(report).sort(), ['activity_id', 'merged', 'new_subjects', 'records', 'rejected', 'rejected_rows',
      'rows', 'skipped', 'skipped_rows', 'written']);
    assert.equal(report.written, false);
    assert.deepEqual((await api.overview()).counts, before);
    assert.ok(events.length > 1 && events.every((e) => e.phase === 'checking'));
    assert.deepEqual(events.at(-1), { phase: 'checking', done: 12, total: 12 });
  });

  it('merges by phone only when asked to', async () => {
    const { api, file } = await opened();
    const without = await api.csvPlan({ activity_id: COURSES, mapping: file.mapping });
    const withPhone = await api.csvPlan({ activity_id: COURSES, mapping: { ...file.mapping, match_phone: true } });
    assert.deepEqual([without.merged, withPhone.merged], [1, 2]);
  });

  it('refuses a mapping without a name with input.invalid on "mapping"', async () => {
    const { api, file } = await opened();
    const columns = file.mapping.columns.filter((m) => !['first_name', 'last_name'].includes(m.target));
    const err = await rejection(api.csvPlan({ activity_id: COURSES, mapping: { ...file.mapping, columns } }));
    assert.equal(err.kind, 'input.invalid');
    assert.equal(err.field, 'mapping');
    assert.equal(err.details.field, 'mapping');
    assert.match(err.message, /map a column to the name/);
  });

  it('remembers the mapping of an import for the next file', async () => {
    const { api, file } = await opened();
    const mapping = { ...file.mapping, source: 'Kursportalen' };
    const report = await api.csvImport({ activity_id: COURSES, mapping, mode: 'good_rows', collected_on: null });
    assert.equal(report.written, true);
    const again = await api.csvChoose({ activity_id: COURSES });
    assert.equal(again.remembered, true);
    assert.deepEqual(again.mapping, mapping);
  });

  it('cancels a running import with transfer.cancelled', async () => {
    const { api, file } = await opened();
    const running = api.csvImport({ activity_id: COURSES, mapping: file.mapping, mode: 'good_rows', collected_on: null });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await api.csvCancel();
    assert.equal((await rejection(running)).kind, 'transfer.cancelled');
    assert.deepEqual(await api.searchSubjects({ query: 'kjersti', limit: 5 }), []);
  });
});

describe('the new texts', () => {
  // Keys the code builds at run time, which the scan in i18n.test.mjs cannot see.
  const dynamic = [
    ...['utf8', 'utf8_bom', 'utf16_le', 'utf16_be', 'windows1252'].map((e) => `csv.encoding_${e}`),
    ...['semicolon', 'comma', 'tab', 'pipe', 'other'].map((d) => `csv.delimiter_${d}`),
    ...['ignore', 'name', 'first_name', 'last_name', 'email', 'phone', 'category'].map((x) => `csv.target_${x}`),
    ...['rows', 'new', 'merged', 'skipped', 'rejected', 'records'].map((c) => `csv.count_${c}`),
    'csv.count_records_added', 'csv.progress_checking', 'csv.progress_writing', 'csv.progress_indexing', 'csv.checking', 'csv.importing', 'fields.mapping',
  ];

  it('exist in English and Norwegian', () => {
    const used = [...read(join(UI, 'components', 'csv-import.js')).matchAll(/\bt\(\s*'([\w.]+)'/g)].map((m) => m[1]);
    assert.ok(used.length > 40);
    for (const key of [...used, ...dynamic, 'activity.import_csv', 'activities.import_csv', 'report.register_title',
      'report.register_intro', 'report.register_button', 'report.register_saved']) {
      for (const [lang, dict] of [['en', en], ['nb', nb]]) {
        const value = lookup(dict, key);
        assert.ok(typeof value === 'string' ? value.trim() : typeof value?.other === 'string', `${lang}: ${key}`);
      }
    }
  });

  it('are natural bokmål where the brief names them', () => {
    assert.equal(nb.activity.import_csv, 'Importer fra CSV …');
    assert.equal(nb.csv.target_category, 'Opplysning: {category}');
    assert.equal(nb.csv.mode_good, 'Importer de gyldige radene');
    assert.equal(nb.csv.mode_all, 'Importer ingenting hvis en rad avvises');
    assert.equal(nb.common.cancel, 'Avbryt');
  });
});
