// The CSV import wizard (<csv-import>) and "export the whole register", mounted in the
// fake DOM (fake-dom.mjs) against the real backend (bridge.mjs): preview and suggested
// mapping, the mapping sent to the backend, the dry run, both import modes, mapping
// errors, Cancel, the entry points in the activity editor and list, and the texts in
// both languages.
import { choose, resetDocument, until } from './fake-dom.mjs'; // first: installs the DOM
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, it } from 'node:test';
import { UI, read, readJson, rejection } from './helpers.mjs';
import { freshRegister } from './bridge.mjs';
import { SHAPES, assertShape } from './shapes.mjs';
import { lookup, setLanguage, t, useTranslations } from '../../ui/lib/i18n.js';
import * as ipc from '../../ui/lib/ipc.js';
import '../../ui/components/main-screen.js';
import { keyTarget, lineNote, targetKey } from '../../ui/components/csv-import.js';

const en = readJson(join(UI, 'i18n', 'en.json'));
const nb = readJson(join(UI, 'i18n', 'nb.json'));
useTranslations({ en, nb });

const ACTIVITY = {
  name: 'Course administration and certificates', purposes: ['Course administration'], legal_bases: ['contract'],
  data_categories: [{ name: 'Navn', group: 'identity' }, { name: 'E-post', group: 'connection_data' }, { name: 'Kurs', group: 'other' }],
};
const HEADERS = ['Fornavn', 'Etternavn', 'E-post', 'Telefon', 'Kurs', 'Påmeldt'];
// Excel's "CSV" on a Norwegian Windows: semicolons, Windows-1252. Line 5 is Kari, who
// is registered (another case of her e-mail); line 6 has a bad e-mail address (rejected);
// line 7 is empty (skipped); line 10 is Ola without an e-mail but with his phone number.
const FILE = 'kursdeltakere-vår-2025.csv';
const LINES = [
  HEADERS.join(';'),
  'Kjersti;Ødegård;kjersti.odegaard@example.no;+47 913 22 401;Personvern for ledere;2025-03-04',
  'Håkon;Æsøy;hakon.aesoy@example.no;;Personvern for ledere;2025-03-04',
  'Siv;Brænne;siv.braenne@example.no;+47 480 11 223;Internkontroll;2025-03-11',
  'Kari;Nordmann;KARI.NORDMANN@example.no;+47 912 34 567;Internkontroll;2025-03-11',
  'Bjørnar;Løvås;bjornar.lovas(at)example.no;+47 951 00 112;Personvern for ledere;2025-03-12',
  ';;;;;',
  'Marte;Kvåle;marte.kvale@example.no;;Internkontroll;2025-03-18',
  'Øystein;Rønning;oystein.ronning@example.no;+47 977 65 432;Personvern for ledere;2025-03-19',
  'Ola;Hansen;;+47 934 56 789;Internkontroll;2025-03-20',
  'Åshild;Grønvold;ashild.gronvold@example.no;;Personvern for ledere;2025-03-21',
  'Eirik;Sæther;eirik.saether@example.no;+47 924 87 001;Internkontroll;2025-03-25',
  'Tuva;Østby;tuva.ostby@example.no;;Personvern for ledere;2025-03-26',
];

const $ = (id) => document.getElementById(id);
const text = (id) => $(id)?.textContent ?? '';

/**
 * A new register with the course activity, Kari and Ola registered, and the course
 * file in the folder the open dialog answers from; → {bridge, activity, kari, status}.
 */
async function backend() {
  const { bridge } = await freshRegister();
  const activity = await ipc.saveActivity({ id: null, activity: ACTIVITY, new_processors: [] });
  const kari = await ipc.addSubject({ subject: { name: 'Kari Nordmann', email: 'kari.nordmann@example.no', phone: '+47 912 34 567' }, records: [] });
  await ipc.addSubject({ subject: { name: 'Ola Hansen', email: 'ola.hansen@example.no', phone: '+47 934 56 789' }, records: [] });
  writeFileSync(join(bridge.dialogs, FILE), Buffer.from(`${LINES.join('\r\n')}\r\n`, 'latin1'));
  bridge.calls = [];
  return { bridge, activity, kari, status: await ipc.appStatus() };
}

/** The wizard for the course activity, with the file chosen. */
async function wizard(activity) {
  const el = document.createElement('csv-import');
  el.activityId = activity.id;
  el.activityName = activity.name;
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

const found = async (query) => (await ipc.searchSubjects({ query, limit: 5 })).map((s) => s.name);

beforeEach(() => {
  document.body.replaceChildren(); // disconnects the last test's components
  resetDocument();
  setLanguage('en');
});

describe('<csv-import>', () => {
  it('shows the file, how it was read, the first rows and the suggested mapping', async () => {
    const { activity } = await backend();
    await wizard(activity);
    assert.equal(text('csv-file-name'), FILE);
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
      ['first_name', 'last_name', 'email', 'phone', 'category:Kurs', '']);
    assert.match(text('csv-map-2-also'), /Record: E-post/, 'the extra target of the e-mail column is shown');
    assert.equal(text('csv-mapping-note'), t('csv.mapping_suggested'));
    assert.deepEqual($('csv-map-0').options.map((o) => o.textContent),
      ['Ignore', 'Name', 'First name', 'Last name', 'E-mail', 'Phone', 'Record: Navn', 'Record: E-post', 'Record: Kurs']);
    assert.equal($('csv-collected').value.length, 10);
    assert.equal($('csv-match-phone').checked, false);
    assert.equal($('csv-progress').localName, 'progress');
    assert.equal($('csv-progress-area').hidden, true);
  });

  it('reads the file again with another delimiter or encoding', async () => {
    const { bridge, activity } = await backend();
    await wizard(activity);
    choose($('csv-encoding'), 'utf8');
    await until(() => $('csv-preview')?.textContent.includes('\uFFFD'), { what: 'the file read as UTF-8' });
    assert.deepEqual(bridge.argsOf('csv_reread'), [{ activity_id: activity.id, delimiter: null, encoding: 'utf8' }]);
    choose($('csv-delimiter'), ',');
    await until(() => $('csv-preview')?.querySelectorAll('thead th').length === 1, { what: 'one column' });
    assert.deepEqual(bridge.argsOf('csv_reread')[1], { activity_id: activity.id, delimiter: ',', encoding: 'utf8' });
    assert.equal($('csv-map-1'), null);
  });

  it('sends the mapping as shown, keeping the extra targets of untouched columns', async () => {
    const { bridge, activity } = await backend();
    await wizard(activity);
    await check();
    assert.deepEqual(bridge.argsOf('csv_plan')[0], {
      activity_id: activity.id,
      mapping: {
        columns: [
          { column: 'Fornavn', target: 'first_name' },
          { column: 'Etternavn', target: 'last_name' },
          { column: 'E-post', target: 'email' },
          { column: 'E-post', target: { category: 'E-post' } },
          { column: 'Telefon', target: 'phone' },
          { column: 'Kurs', target: { category: 'Kurs' } },
        ],
        match_phone: false,
        source: '',
      },
    });
    assert.ok($('csv-report'));
    choose($('csv-map-2'), 'category:E-post');
    assert.equal($('csv-report'), null, 'a check with another mapping is no longer shown');
    choose($('csv-map-4'), '');
    choose($('csv-map-5'), 'category:Navn');
    $('csv-match-phone').click();
    $('csv-source').value = '  Kursportalen  ';
    await check();
    assert.deepEqual(bridge.argsOf('csv_plan')[1].mapping, {
      columns: [
        { column: 'Fornavn', target: 'first_name' },
        { column: 'Etternavn', target: 'last_name' },
        { column: 'E-post', target: { category: 'E-post' } },
        { column: 'Telefon', target: 'phone' },
        { column: 'Påmeldt', target: { category: 'Navn' } },
      ],
      match_phone: true,
      source: 'Kursportalen',
    });
    // Without an e-mail column, Kari and Ola are found by their phone numbers.
    assert.equal(text('csv-count-merged'), '2');
  });

  it('shows the dry run: the counts and the rejected and skipped lines, changing nothing', async () => {
    const { activity } = await backend();
    await wizard(activity);
    const before = (await ipc.overview()).audit.events;
    await check();
    const counts = Object.fromEntries(['rows', 'new', 'merged', 'skipped', 'rejected', 'records']
      .map((key) => [key, text(`csv-count-${key}`)]));
    assert.deepEqual(counts, { rows: '12', new: '9', merged: '1', skipped: '1', rejected: '1', records: '19' });
    const rejected = $('csv-rejected').querySelectorAll('li').map((li) => li.textContent);
    // The core names the column and the subject field the value was meant for.
    assert.deepEqual(rejected, ['line 6: E-post: email: not an e-mail address', 'line 7: the row is empty']);
    assert.equal(text('csv-result'), '');
    assert.deepEqual(await found('kjersti'), []);
    assert.equal((await ipc.overview()).audit.events, before, 'not even an audit event');
  });

  it('imports the good rows: the people can then be found', async () => {
    const { bridge, activity, kari } = await backend();
    await wizard(activity);
    $('csv-source').value = 'Kursportalen';
    await importRows();
    const [args] = bridge.argsOf('csv_import');
    assert.equal(args.mode, 'good_rows');
    assert.match(args.collected_on, /^\d{4}-\d{2}-\d{2}$/);
    assert.equal(text('csv-result'), 'The import is done. New people: 9; merged with people already registered: 1; records added: 19.');
    assert.equal(text('csv-count-records'), '19');
    assert.equal(text('csv-import-error'), '');
    assert.equal($('csv-import'), null, 'the file cannot be imported twice');
    assert.ok($('csv-open-subjects') && $('csv-open-activity'));
    const [kjersti, ...more] = await ipc.searchSubjects({ query: 'kjersti', limit: 5 });
    assert.equal(kjersti.name, 'Kjersti Ødegård');
    assert.deepEqual(more, []);
    const page = await ipc.viewSubject({ id: kjersti.id });
    assert.deepEqual(page.records.map((r) => [r.category, r.source, r.activity_id]).sort(),
      [['E-post', 'Kursportalen', activity.id], ['Kurs', 'Kursportalen', activity.id]]);
    const [merged] = await ipc.searchSubjects({ query: 'Kari Nordmann', limit: 5 });
    assert.equal(merged.id, kari);
    assert.equal(merged.records, 2);
  });

  it('imports nothing in all-or-nothing mode when a row is rejected', async () => {
    const { bridge, activity } = await backend();
    await wizard(activity);
    $('csv-mode-all').click();
    assert.equal($('csv-mode-good').checked, false);
    await importRows();
    assert.equal(bridge.argsOf('csv_import')[0].mode, 'all_or_nothing');
    assert.equal(text('csv-result'), 'Nothing was imported because 1 row was rejected.');
    assert.ok($('csv-import'), 'the import can be tried again');
    assert.match(text('csv-rejected'), /line 6: E-post/);
    assert.deepEqual(await found('kjersti'), []);
  });

  it('shows a mapping the backend refuses next to the mapping table', async () => {
    const { activity } = await backend();
    await wizard(activity);
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
    const { bridge, activity } = await backend();
    // A file big enough to be stopped on its way.
    const rows = Array.from({ length: 20_000 }, (_, n) => `Deltaker;Nummer ${n};deltaker.${n}@example.no;;Internkontroll;2025-03-04`);
    writeFileSync(join(bridge.dialogs, 'stor.csv'), `${[HEADERS.join(';'), ...rows].join('\n')}\n`);
    await wizard(activity);
    assert.equal(text('csv-file-name'), 'stor.csv');
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
    assert.deepEqual(await found('Nummer'), []);
    assert.equal((await ipc.overview()).counts.subjects, 2);
  });

  it('says when it is checking, saving and updating the search index', async () => {
    const { activity } = await backend();
    await wizard(activity);
    // What the label says at each progress event (the wizard's listener runs first).
    const labels = [];
    const stop = await ipc.onCsvProgress(() => labels.push(text('csv-progress-label')));
    await importRows();
    stop();
    assert.ok(labels.some((l) => /^Checking rows: \d+ of 12$/.test(l)), labels.join(' | '));
    assert.ok(labels.some((l) => /^Saving: \d+ of 10$/.test(l)), labels.join(' | '));
    // The 9 new people's search rows are written after everything else.
    assert.ok(labels.some((l) => /^Updating the search index: \d+ of 9$/.test(l)), labels.join(' | '));
    assert.match(text('csv-result'), /^The import is done\./);
    assert.equal($('csv-progress-area').hidden, true);
  });

  it('frees the file when the wizard is left', async () => {
    const { bridge, activity } = await backend();
    const el = await wizard(activity);
    el.remove();
    await until(() => bridge.argsOf('csv_close').length, { what: 'csvClose' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(bridge.argsOf('csv_close').length, 1);
    const err = await rejection(ipc.csvPlan({ activity_id: activity.id, mapping: { columns: [], match_phone: false, source: '' } }));
    assert.equal(err.kind, 'transfer.no_csv', 'the backend no longer has the file');
  });

  it('writes rejected and skipped rows as "line N: column: reason"', () => {
    assert.equal(lineNote({ line: 6, column: 'E-post', reason: 'column "E-post": not an e-mail address' }), 'line 6: E-post: not an e-mail address');
    assert.equal(lineNote({ line: 1234, column: null, reason: 'the row is empty' }), 'line 1234: the row is empty');
    assert.equal(lineNote({ line: 3, column: 'Navn', reason: 'the name is empty' }), 'line 3: Navn: the name is empty');
    assert.deepEqual(keyTarget(targetKey({ category: 'E-mail: work' })), { category: 'E-mail: work' });
    assert.equal(keyTarget(targetKey('phone')), 'phone');
  });

  it('speaks Norwegian', async () => {
    const { activity } = await backend();
    await wizard(activity);
    setLanguage('nb');
    assert.equal(document.querySelector('csv-import h1').textContent, 'Importer fra CSV');
    assert.deepEqual($('csv-map-4').options.map((o) => o.textContent).slice(0, 6),
      ['Ignorer', 'Navn', 'Fornavn', 'Etternavn', 'E-post', 'Telefon']);
    assert.equal($('csv-map-4').value, 'category:Kurs', 'the choice survives the switch');
    assert.match($('csv-map-4').options.at(-1).textContent, /^Opplysning: /);
    await check();
    assert.match(text('csv-rejected'), /linje 6: E-post: /);
    setLanguage('en');
  });
});

describe('entry points', () => {
  async function shell() {
    const setup = await backend();
    const main = document.createElement('main-screen');
    main.status = setup.status;
    document.body.append(main);
    return { main, ...setup };
  }

  it('"Import CSV…" on a row of the activity list and "Import from CSV…" in the editor open the wizard', async () => {
    const { bridge, activity } = await shell();
    $('nav-activities').click();
    const rowButton = await until(() => $(`activity-import-csv-${activity.id}`), { what: 'the activity list' });
    rowButton.click();
    const page = await until(() => document.querySelector('csv-import'), { what: 'the wizard' });
    assert.equal(page.activityId, activity.id);
    assert.equal(document.querySelector('activity-editor'), null, 'the row itself did not open');
    assert.equal($('nav-activities').getAttribute('aria-current'), 'page');
    $('csv-choose').click();
    await until(() => $('csv-preview'));
    $('csv-back').click();
    await until(() => bridge.argsOf('csv_close').length === 1, { what: 'leaving the wizard frees the file' });
    const button = await until(() => $('activity-import-csv'), { what: 'the editor' });
    button.click();
    const again = await until(() => document.querySelector('csv-import'), { what: 'the wizard again' });
    assert.equal(again.activityId, activity.id);
    assert.match(text('csv-intro'), /Course administration and certificates/);
  });

  it('"Go to the data subjects" after an import shows the list', async () => {
    const { activity } = await shell();
    $('nav-activities').click();
    (await until(() => $(`activity-import-csv-${activity.id}`))).click();
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
    const { bridge } = await backend();
    const overview = await ipc.overview();
    document.body.append(document.createElement('overview-page'));
    const button = await until(() => $('export-register'), { what: 'the overview' });
    assert.match(text('export-register-title'), /whole register/);
    button.click();
    await until(() => text('export-register-done'), { what: 'the export' });
    const file = join(bridge.dialogs, `privacy-register-export-${overview.requests.today}.json`);
    assert.ok(text('export-register-done').startsWith(`Saved to ${file}.`), text('export-register-done'));
    assert.ok(text('export-register-done').includes(`Data subjects: ${overview.counts.subjects}. Records: ${overview.counts.records.toLocaleString('en-GB')}.`));
    assert.equal(text('export-register-error'), '');
    const written = JSON.parse(read(file));
    assert.equal(written.tables.subjects.length, 2);
  });

  it('says nothing when the save dialog is cancelled', async () => {
    const { bridge } = await backend();
    bridge.answer('export_register', null); // a cancelled native dialog: nobody clicks one here
    document.body.append(document.createElement('overview-page'));
    (await until(() => $('export-register'))).click();
    await until(() => bridge.argsOf('export_register').length, { what: 'the export' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.equal(text('export-register-done'), '');
    assert.equal(text('export-register-error'), '');
  });
});

describe("the Art. 30 record in the regulators' layouts and as DPV", () => {
  it('are offered in the export panel in both languages and saved where the dialog answered', async () => {
    const { bridge } = await backend();
    const overview = await ipc.overview();
    document.body.append(document.createElement('overview-page'));
    const select = await until(() => $('export-art30-format'), { what: 'the export panel' });
    const offered = () => Object.fromEntries(select.options.map((o) => [o.value, o.textContent]));
    assert.deepEqual(
      [offered()['xlsx-datatilsynet'], offered()['xlsx-ico'], offered().dpv],
      ["XLSX (Datatilsynet's template)", 'XLSX (ICO template)', 'JSON-LD (DPV)'],
    );
    choose(select, 'xlsx-datatilsynet');
    choose($('export-art30-lang'), 'nb');
    $('export-art30').click();
    await until(() => text('export-art30-done'), { what: 'the export' });
    assert.deepEqual(bridge.argsOf('export_art30').at(-1), { format: 'xlsx-datatilsynet', lang: 'nb' });
    const file = join(bridge.dialogs, `protokoll-over-behandlingsaktiviteter-datatilsynet-${overview.requests.today}.xlsx`);
    assert.ok(text('export-art30-done').includes(file), text('export-art30-done'));
    assert.equal(readFileSync(file).subarray(0, 2).toString('latin1'), 'PK', 'a workbook (a ZIP file)');

    choose(select, 'dpv');
    $('export-art30').click();
    const dpv = join(bridge.dialogs, `protokoll-over-behandlingsaktiviteter-dpv-${overview.requests.today}.jsonld`);
    await until(() => text('export-art30-done').includes(dpv), { what: 'the DPV export' });
    assert.equal(JSON.parse(read(dpv))['@context'].dpv, 'https://w3id.org/dpv#');

    setLanguage('nb');
    document.querySelector('overview-page').rerender();
    assert.equal(offered()['xlsx-datatilsynet'], 'XLSX (Datatilsynets mal)');
    assert.equal(offered()['xlsx-ico'], 'XLSX (ICOs mal)');
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
    ipc.setBackend(null);
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

describe('the backend: CSV import', () => {
  async function opened() {
    const setup = await backend();
    const file = await ipc.csvChoose({ activity_id: setup.activity.id });
    return { ...setup, file };
  }

  it('answers csv_choose with a CsvOpened', async () => {
    const { file } = await opened();
    assertShape(file, SHAPES.CsvOpened, 'CsvOpened');
    assertShape(file.mapping, SHAPES.CsvMapping, 'CsvMapping');
    assert.deepEqual(file.categories, ['Navn', 'E-post', 'Kurs']);
    assert.deepEqual([file.file_name, file.encoding, file.delimiter, file.total_rows], [FILE, 'windows1252', ';', 12]);
    assert.equal(file.remembered, false);
    assert.equal(file.rows.length, 8);
  });

  it('plans without changing anything, and reports progress', async () => {
    const { activity, file } = await opened();
    const events = [];
    const stop = await ipc.onCsvProgress((p) => events.push(p));
    const before = (await ipc.overview()).counts;
    const report = await ipc.csvPlan({ activity_id: activity.id, mapping: file.mapping });
    stop();
    assertShape(report, SHAPES.CsvImportReport, 'CsvImportReport');
    assertShape(report.rejected_rows[0], SHAPES.RowNote, 'RowNote');
    assertShape(report.skipped_rows[0], SHAPES.RowNote, 'RowNote');
    assert.deepEqual(report.rejected_rows[0], { line: 6, column: 'E-post', reason: report.rejected_rows[0].reason });
    assert.ok(!report.rejected_rows[0].reason.includes('(at)'), 'a rejection names the column, not the value');
    assert.equal(report.written, false);
    assert.deepEqual((await ipc.overview()).counts, before);
    assert.ok(events.length > 0 && events.every((e) => e.phase === 'checking'));
    assert.deepEqual(events.at(-1), { phase: 'checking', done: 12, total: 12 });
  });

  it('merges by phone only when asked to', async () => {
    const { activity, file } = await opened();
    const without = await ipc.csvPlan({ activity_id: activity.id, mapping: file.mapping });
    const withPhone = await ipc.csvPlan({ activity_id: activity.id, mapping: { ...file.mapping, match_phone: true } });
    assert.deepEqual([without.merged, withPhone.merged], [1, 2]);
  });

  it('refuses a mapping without a name with input.invalid on "mapping"', async () => {
    const { activity, file } = await opened();
    const columns = file.mapping.columns.filter((m) => !['first_name', 'last_name'].includes(m.target));
    const err = await rejection(ipc.csvPlan({ activity_id: activity.id, mapping: { ...file.mapping, columns } }));
    assert.equal(err.kind, 'input.invalid');
    assert.equal(err.details.field, 'mapping');
    assert.match(err.message, /map a column to the name/);
  });

  it('remembers the mapping of an import for the next file', async () => {
    const { activity, file } = await opened();
    const mapping = { ...file.mapping, source: 'Kursportalen' };
    const report = await ipc.csvImport({ activity_id: activity.id, mapping, mode: 'good_rows', collected_on: null });
    assertShape(report, SHAPES.CsvImportReport, 'CsvImportReport');
    assert.equal(report.written, true);
    const again = await ipc.csvChoose({ activity_id: activity.id });
    assert.equal(again.remembered, true);
    assert.deepEqual(again.mapping, mapping);
  });

  it('exports the whole register as an ExportSummary', async () => {
    const { bridge } = await opened();
    const summary = await ipc.exportRegister();
    assertShape(summary, SHAPES.ExportSummary, 'ExportSummary');
    assert.ok(summary.path.startsWith(bridge.dialogs));
    assert.deepEqual(summary.tables.find(([name]) => name === 'subjects'), ['subjects', 2]);
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
