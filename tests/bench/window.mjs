#!/usr/bin/env node
// The window benchmark (docs/performance.md, "The window"): the release app's real
// window, driven through WebDriver (tauri-driver in front of WebKitWebDriver), on demo
// registers of the sizes asked for, measured inside the page.
//
//   cargo build --release --bins
//   node tests/bench/window.mjs [--sizes 100000,1000000] [--runs 7] [--dir target/bench/window]
//
// Each size is one register made once with the release `privreg demo` (kept in --dir for
// the next run), opened by a fresh app. What is timed, all with the page's own clock
// (performance.now(), and the input event's timeStamp for a keystroke), so WebDriver's
// round trips are not in the figures; "rendered" is after the next frame was drawn (two
// animation frames after the DOM holds the result):
//   - unlock to overview: from submitting the passphrase to the overview's counts drawn,
//     the first time after the app starts (the audit check starts from its checkpoint)
//     and after each lock;
//   - the overview alone: its Refresh button to the counts drawn again;
//   - a keystroke in the search box to its results drawn, for every character of a few
//     queries typed as a person types them (real key events from WebDriver);
//   - paging: "Next" to the next 50 people drawn, page after page, and each sort order's
//     first page (a stall is any step over 100 ms).
// Needs an X display (Xvfb) as the end-to-end tests do. Every process it starts is ended.

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(new URL('../..', import.meta.url).pathname);
const PASS = 'window benchmark passphrase 2026';

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}
const SIZES = option('sizes', '100000,1000000').split(',').map(Number);
const RUNS = Number(option('runs', '7'));
const DIR = resolve(ROOT, option('dir', 'target/bench/window'));
const TARGET = process.env.CARGO_TARGET_DIR ? resolve(process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
const APP = join(TARGET, 'release', 'privacy-register');
const PRIVREG = join(TARGET, 'release', 'privreg');

function which(name) {
  const dirs = [...(process.env.PATH ?? '').split(':'), join(process.env.HOME ?? '', '.cargo/bin')];
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address();
    s.close(() => ok(port));
  });
});

const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

/** A demo register of `size` people, made once by the release CLI. */
function register(size) {
  const dir = join(DIR, String(size));
  const path = join(dir, `demo-${size}.privreg`);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    console.error(`making ${path} (${size} people)…`);
    execFileSync(PRIVREG, ['--no-keychain', 'demo', path, '--subjects', String(size), '--batch', '10000'], {
      env: { ...process.env, PRIVREG_PASSPHRASE: PASS },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return { dir, path };
}

/** tauri-driver (and WebKitWebDriver, the app, its WebKit processes) in one process group. */
class Window {
  static async open(openDir) {
    const driver = which('tauri-driver');
    const native = which('WebKitWebDriver');
    if (!driver || !native) throw new Error('tauri-driver and WebKitWebDriver are needed (see the README)');
    const data = mkdtempSync(join(tmpdir(), 'privreg-window-'));
    const port = await freePort();
    const child = spawn(driver, ['--port', String(port), '--native-port', String(await freePort()), '--native-driver', native], {
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, PRIVREG_DATA_DIR: data, PRIVREG_TEST_OPEN_DIR: openDir, PRIVREG_TEST_SAVE_DIR: data, LANG: 'en_GB.UTF-8' },
    });
    const w = new Window(port, child, data);
    for (let i = 0; ; i++) {
      try {
        const r = await w.http('POST', '/session', { capabilities: { alwaysMatch: {
          'tauri:options': { application: APP },
          // The first open of an older register migrates it: at a million people that
          // takes longer than WebDriver's default 30 s for a script.
          timeouts: { script: 600_000 },
        } } });
        w.session = r.value.sessionId;
        if (w.session) break;
      } catch (e) {
        if (i > 100) throw e;
      }
      await sleep(100);
    }
    return w;
  }

  constructor(port, child, data) {
    this.port = port;
    this.child = child;
    this.data = data;
    this.session = null;
  }

  async http(method, path, body) {
    const r = await fetch(`http://127.0.0.1:${this.port}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
    });
    return r.json();
  }

  async cmd(method, path, body) {
    const r = await this.http(method, `/session/${this.session}${path}`, body);
    if (r.value?.error) throw new Error(`${method} ${path}: ${r.value.error}: ${r.value.message}`);
    return r.value;
  }

  /** Runs page function `fn` as an async script (its last argument is the callback). */
  async run(fn, ...args) {
    // The page's functions call whenDrawn: it is sent along with each of them.
    const script = `return (function (...a) { ${whenDrawn}; return (${fn})(...a); })(...arguments)`;
    return this.cmd('POST', '/execute/async', { script, args });
  }

  async click(css) {
    await this.cmd('POST', `/element/${await this.element(css)}/click`, {});
  }

  async element(css) {
    for (let i = 0; i < 600; i++) {
      const r = await this.http('POST', `/session/${this.session}/element`, { using: 'css selector', value: css });
      const id = r.value && Object.values(r.value)[0];
      if (!r.value?.error && id) return id;
      await sleep(100);
    }
    throw new Error(`no ${css}`);
  }

  async keys(css, text) {
    const id = await this.element(css);
    await this.cmd('POST', `/element/${id}/value`, { text });
  }

  async close() {
    try {
      if (this.session) await this.http('DELETE', `/session/${this.session}`);
    } catch { /* the app may be gone already */ }
    for (const signal of ['SIGTERM', 'SIGKILL']) {
      try { process.kill(-this.child.pid, signal); } catch { /* ended */ }
      await sleep(300);
    }
    rmSync(this.data, { recursive: true, force: true });
  }
}

// ---- what runs in the page ----------------------------------------------------------

/** Resolves `done` two frames after `ready()` first holds (the frame with it drawn). */
function whenDrawn(ready, t0, done) {
  const check = () => {
    if (!ready()) return false;
    requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0)));
    return true;
  };
  if (check()) return;
  const seen = new MutationObserver(() => { if (check()) seen.disconnect(); });
  seen.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
}

function pageUnlock(pass, done) {
  const input = document.getElementById('unlock-passphrase');
  input.value = pass;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  const t0 = performance.now();
  input.form.requestSubmit();
  whenDrawn(() => document.querySelector('overview-page .cards .card-number'), t0, done);
}

/** One backend call from the page, as the window makes it (IPC included, drawing not). */
function pageInvoke(cmd, args, done) {
  const t0 = performance.now();
  window.__TAURI_INTERNALS__.invoke(cmd, args).then(() => done(performance.now() - t0), () => done(-1));
}

function pageRefreshOverview(done) {
  const page = document.querySelector('overview-page');
  const button = page.querySelector('.page-title button');
  const t0 = performance.now();
  let busy = false;
  button.click();
  whenDrawn(() => {
    busy ||= page.hasAttribute('aria-busy');
    return busy && !page.hasAttribute('aria-busy') && page.querySelector('.cards .card-number');
  }, t0, done);
}

function pageLock(done) {
  document.getElementById('lock-button').click();
  whenDrawn(() => document.getElementById('unlock-passphrase'), performance.now(), done);
}

function pageGo(name, done) {
  document.getElementById(`nav-${name}`).click();
  whenDrawn(() => document.querySelector('subject-list tr[data-subject-id]'), performance.now(), done);
}

/** Notes each keystroke's input event in the search box (its timeStamp is when it came). */
function pageWatchSearch(done) {
  const input = document.getElementById('subject-search');
  window.__keys = [];
  input.addEventListener('input', (e) => window.__keys.push({ at: e.timeStamp, value: input.value.trim() }));
  done(true);
}

/** The time from the last keystroke's input event to its results drawn. */
function pageSearchDrawn(done) {
  const list = document.querySelector('subject-list');
  const key = window.__keys.at(-1);
  if (!key) return done(-1);
  whenDrawn(() => list.result?.query === key.value && !list.hasAttribute('aria-busy'), key.at, done);
}

function pageClear(done) {
  const input = document.getElementById('subject-search');
  const list = document.querySelector('subject-list');
  input.value = '';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  whenDrawn(() => list.result?.mode === 'list' && !list.hasAttribute('aria-busy'), performance.now(), done);
}

function pageNext(done) {
  const list = document.querySelector('subject-list');
  const before = list.result;
  const next = list.querySelector('.pager button:last-child');
  if (!next || next.disabled) return done(-1);
  const t0 = performance.now();
  next.click();
  whenDrawn(() => list.result !== before && !list.hasAttribute('aria-busy'), t0, done);
}

function pageSort(index, done) {
  const list = document.querySelector('subject-list');
  const before = list.result;
  const t0 = performance.now();
  list.querySelectorAll('th button.sort')[index].click();
  whenDrawn(() => list.result !== before && !list.hasAttribute('aria-busy'), t0, done);
}

// ---- the measurements ---------------------------------------------------------------

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];
const ms = (x) => `${x.toFixed(1)} ms`;

async function measure(size) {
  const { dir } = register(size);
  const w = await Window.open(dir);
  const rows = [];
  try {
    const run = (fn, ...args) => w.run(fn, ...args);
    await w.click('#welcome-open');
    await w.element('#unlock-passphrase');

    const unlocks = [];
    for (let i = 0; i < RUNS; i++) {
      unlocks.push(await run(pageUnlock, PASS));
      if (i < RUNS - 1) await run(pageLock);
    }
    rows.push(['unlock to overview drawn, first of the session', ms(unlocks[0]), '', 'under 300 ms at 1M']);
    rows.push([`unlock to overview drawn, after a lock (${RUNS - 1} times)`, ms(median(unlocks.slice(1))), ms(Math.max(...unlocks.slice(1))), 'under 300 ms at 1M']);
    const refresh = [];
    for (let i = 0; i < RUNS; i++) refresh.push(await run(pageRefreshOverview));
    rows.push([`the overview again (Refresh, ${RUNS} times)`, ms(median(refresh)), ms(Math.max(...refresh)), '']);
    const calls = async (cmd, args) => {
      const t = [];
      for (let i = 0; i < RUNS; i++) t.push(await run(pageInvoke, cmd, args));
      return t;
    };
    const overview = await calls('overview', {});
    rows.push([`of which the backend's answer (the overview command alone, ${RUNS} times)`, ms(median(overview)), ms(Math.max(...overview)), '']);
    const search = await calls('search_subjects', { query: 'berg', limit: 200 });
    rows.push([`a search's backend answer alone ("berg", ${RUNS} times)`, ms(median(search)), ms(Math.max(...search)), '']);

    await run(pageGo, 'subjects');
    await run(pageWatchSearch);
    const typed = [];
    for (const query of ['berg', 'nordmann', 'kari', 'ola.han', '4791', 'hansen']) {
      for (const ch of query) {
        await w.keys('#subject-search', ch);
        typed.push(await run(pageSearchDrawn));
      }
      await run(pageClear);
    }
    rows.push([`a keystroke in the search box to its results drawn (${typed.length} keystrokes)`, ms(median(typed)), `p95 ${ms(p95(typed))}, max ${ms(Math.max(...typed))}`, 'p95 under 50 ms at 1M']);

    const pages = [];
    for (let i = 0; i < 100; i++) {
      const t = await run(pageNext);
      if (t < 0) break;
      pages.push(t);
    }
    rows.push([`"Next" to the next 50 people drawn (${pages.length} pages in a row)`, ms(median(pages)), `max ${ms(Math.max(...pages))}`, 'no step over 100 ms']);
    const sorts = [];
    for (const column of [0, 0, 1, 1]) sorts.push(await run(pageSort, column));
    rows.push([`a column's sort (name, e-mail), ascending and descending, first page drawn (${sorts.length} sorts)`, ms(median(sorts)), `max ${ms(Math.max(...sorts))}`, 'no step over 100 ms']);
  } finally {
    await w.close();
  }
  return rows;
}

const started = new Date();
const out = [];
for (const size of SIZES) {
  const rows = await measure(size);
  out.push(`\n#### ${size.toLocaleString('en')} people\n`);
  out.push('| what | median | worst | target |');
  out.push('|---|---|---|---|');
  for (const r of rows) out.push(`| ${r.join(' | ')} |`);
}
console.log(`Window benchmark, ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC, ${RUNS} runs, release build:`);
console.log(out.join('\n'));
