// Rules the code must keep for the CSP (no inline script or style, no eval) and for
// safety (no HTML parsing of data, one module touching Tauri), checked on the sources.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { UI, read, rel, uiFiles } from './helpers.mjs';

const jsFiles = uiFiles('.js');

describe('ui sources', () => {
  it('are syntactically valid modules (node --check)', () => {
    assert.ok(jsFiles.length >= 10);
    for (const file of jsFiles) {
      const result = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      assert.equal(result.status, 0, `${rel(file)}: ${result.stderr}`);
    }
  });

  it('never parse HTML, evaluate strings or set inline style', () => {
    const banned = /\.innerHTML\b|\.outerHTML\b|insertAdjacentHTML|document\.write|createContextualFragment|\beval\(|new Function\(|setAttribute\(\s*['"]style|\.style\.|setTimeout\(\s*['"]/;
    for (const file of jsFiles) {
      const line = read(file).split('\n').findIndex((text) => banned.test(text));
      assert.equal(line, -1, `${rel(file)}:${line + 1} uses a banned API`);
    }
  });

  it('clear and fill elements only through dom.js (which skips null and flattens arrays)', () => {
    const users = jsFiles.filter((file) => /\.replaceChildren\(/.test(read(file))).map(rel);
    assert.deepEqual(users, [join('lib', 'dom.js')]);
  });

  it('touch window.__TAURI__ only in lib/ipc.js', () => {
    const users = jsFiles.filter((file) => read(file).includes('__TAURI__')).map(rel);
    assert.deepEqual(users, [join('lib', 'ipc.js')]);
  });

  it('define one custom element per component file, named after the file', () => {
    for (const file of uiFiles('.js', join(UI, 'components'))) {
      const tags = [...read(file).matchAll(/customElements\.define\(\s*'([^']+)'/g)].map((m) => m[1]);
      assert.deepEqual(tags, [basename(file, '.js')], rel(file));
    }
  });

  it('index.html has no inline script or style and loads the module and stylesheet', () => {
    const html = read(join(UI, 'index.html'));
    assert.doesNotMatch(html, /<style|\sstyle=|\son\w+=/i);
    for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
      assert.match(script[1], /type="module"/);
      assert.match(script[1], /src="main\.js"/);
      assert.equal(script[2].trim(), '', 'inline script');
    }
    assert.match(html, /<html lang="en">/);
    assert.match(html, /<link rel="stylesheet" href="style\.css">/);
  });
});
