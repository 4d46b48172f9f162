// <subject-list> on the real backend (bridge.mjs), on the demo register: typing searches
// at each keystroke with no delay added, one search at a time, and keys typed while one
// runs are searched together when it ends, so the list always ends on what the box says.
import { resetDocument, until } from './fake-dom.mjs'; // first: installs the DOM
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { UI, readJson } from './helpers.mjs';
import { startBridge } from './bridge.mjs';
import { useTranslations } from '../../ui/lib/i18n.js';
import * as ipc from '../../ui/lib/ipc.js';
import '../../ui/components/subject-list.js';

useTranslations({ en: readJson(join(UI, 'i18n', 'en.json')), nb: readJson(join(UI, 'i18n', 'nb.json')) });

afterEach(() => resetDocument());

const $ = (id) => document.getElementById(id);

/** Types `text` into the search box one key at a time, without waiting between keys. */
function typeFast(text) {
  const box = $('subject-search');
  for (const ch of text) {
    box.value += ch;
    box.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

describe('<subject-list> searching as one types', () => {
  it('searches at the first key, runs one search at a time, and ends on the whole query', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    await ipc.openDemo();
    const [someone] = (await ipc.listSubjects({ offset: 0, limit: 1, sort: 'name', descending: false })).items;
    const last = someone.name.split(' ').at(-1);
    const list = document.createElement('subject-list');
    document.body.append(list);
    await until(() => list.result?.mode === 'list' && !list.hasAttribute('aria-busy'), { what: 'the first page' });
    bridge.calls = [];

    // A name typed fast: the first key is searched at once, the rest arrive while that
    // search runs and are searched together when it ends.
    typeFast(last);
    await new Promise((ok) => setImmediate(ok)); // before any timer could fire
    assert.deepEqual(bridge.argsOf('search_subjects'), [{ query: last.slice(0, 1), limit: 200 }]);
    await until(() => list.result?.query === last && !list.hasAttribute('aria-busy'), { what: 'the results for the whole name' });
    assert.deepEqual(bridge.argsOf('search_subjects').map((a) => a.query), [last.slice(0, 1), last],
      'one search while typing, then the whole query');
    assert.ok(list.textContent.includes(someone.name), `${someone.name} is in the results`);

    // Emptying the box goes back to the list.
    $('subject-search').value = '';
    $('subject-search').dispatchEvent(new Event('input', { bubbles: true }));
    await until(() => list.result?.mode === 'list' && !list.hasAttribute('aria-busy'), { what: 'the list again' });
  });

  it('keeps the table between results, shows each result in it, and opens the row clicked', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    await ipc.openDemo();
    const list = document.createElement('subject-list');
    document.body.append(list);
    await until(() => list.result?.mode === 'list' && !list.hasAttribute('aria-busy'), { what: 'the first page' });
    const tbody = list.querySelector('tbody');
    const firstRow = tbody.children[0];
    const names = () => list.querySelectorAll('tbody tr').map((tr) => tr.children[0].textContent);
    assert.deepEqual(names(), list.result.items.map((s) => s.name), 'the first page, in order');

    // A search: the same table and first row, now showing the matches (fewer rows).
    const [someone] = list.result.items;
    const last = someone.name.split(' ').at(-1);
    $('subject-search').value = last;
    $('subject-search').dispatchEvent(new Event('input', { bubbles: true }));
    await until(() => list.result?.query === last && !list.hasAttribute('aria-busy'), { what: 'the matches' });
    assert.equal(list.querySelector('tbody'), tbody, 'the table was kept');
    assert.equal(tbody.children[0], firstRow, 'its first row was kept');
    const shown = list.result.items.slice(0, 50);
    assert.deepEqual(names(), shown.map((s) => s.name), 'the rows are the matches, and only they');
    assert.ok(names().includes(someone.name));
    assert.deepEqual(list.querySelectorAll('tbody tr').map((tr) => tr.getAttribute('data-subject-id')),
      shown.map((s) => String(s.id)));

    // Clicking a row's name opens that person.
    const opened = [];
    list.addEventListener('subject-open', (event) => opened.push(event.detail.id));
    const row = list.querySelectorAll('tbody tr').find((tr) => tr.children[0].textContent === someone.name);
    row.querySelector('button').click();
    assert.deepEqual(opened, [someone.id]);

    // Back to the list: every row of the page again.
    $('subject-search').value = '';
    $('subject-search').dispatchEvent(new Event('input', { bubbles: true }));
    await until(() => list.result?.mode === 'list' && !list.hasAttribute('aria-busy'), { what: 'the list again' });
    assert.deepEqual(names(), list.result.items.map((s) => s.name));
    const header = (column) => list.querySelector(`th[data-column="${column}"]`);
    assert.equal(header('name').getAttribute('aria-sort'), 'ascending', 'the list is sorted by name');

    // Sorting by e-mail: the same table, its header marked, the rows in the new order.
    const before = list.result;
    header('email').querySelector('button').click();
    await until(() => list.result !== before && !list.hasAttribute('aria-busy'), { what: 'the list by e-mail' });
    assert.equal(list.querySelector('tbody'), tbody);
    assert.equal(header('email').getAttribute('aria-sort'), 'ascending');
    assert.equal(header('email').querySelector('.sort-mark').textContent, ' ▲');
    assert.equal(header('name').getAttribute('aria-sort'), null);
    assert.deepEqual(list.querySelectorAll('tbody tr').map((tr) => tr.children[1].textContent),
      list.result.items.map((s) => s.email || '—'));
  });
});
