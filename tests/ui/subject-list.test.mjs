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
});
