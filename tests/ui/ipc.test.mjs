// ipc.js: without Tauri every call fails saying so; with the real backend (the app on
// Tauri's mock runtime, bridge.mjs) its answers have the shapes the UI reads and its
// errors are {kind, message, details}; setBackend() swaps in a test's own object.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { copyFileSync } from 'node:fs';
import { UI, read, rejection, rel, uiFiles } from './helpers.mjs';
import { PASSPHRASE, freshRegister, newRegister, startBridge } from './bridge.mjs';
import { SHAPES, assertShape } from './shapes.mjs';
import * as ipc from '../../ui/lib/ipc.js';

describe('ipc.js outside the app (no window.__TAURI__)', () => {
  it('fails every call, naming the missing Tauri backend, and never answers by itself', async () => {
    const saved = globalThis.window;
    globalThis.window = {};
    ipc.setBackend(null);
    try {
      for (const call of [ipc.appStatus(), ipc.openDemo(), ipc.listActivities(), ipc.onLocked(() => {})]) {
        const err = await rejection(call);
        assert.ok(err instanceof Error);
        assert.match(err.message, /Tauri backend is missing/);
      }
    } finally {
      globalThis.window = saved;
      ipc.setBackend(null);
    }
  });

  it('has no fallback backend left under ui/', () => {
    const files = uiFiles('.js');
    assert.deepEqual(files.filter((file) => /fake/i.test(rel(file))).map(rel), [], 'a file named fake');
    assert.deepEqual(files.filter((file) => /fake-ipc|\bimport\(/.test(read(file))).map(rel), [], 'a module that loads one');
  });

  it('uses an injected backend after setBackend(), and window.__TAURI__ again after setBackend(null)', async () => {
    await startBridge();
    const calls = [];
    ipc.setBackend({
      unlock: async (args) => { calls.push(args); return { state: 'unlocked' }; },
      onLocked: async () => () => {},
    });
    assert.deepEqual(await ipc.unlock({ passphrase: 'p', remember_on_device: false }), { state: 'unlocked' });
    assert.deepEqual(calls, [{ passphrase: 'p', remember_on_device: false }]);
    ipc.setBackend(null);
    assert.equal((await ipc.unlock({ passphrase: 'p', remember_on_device: false }).catch((e) => e)).kind, 'app.no_register');
  });
});

describe('the backend through ipc.js', () => {
  it('starts on the welcome screen with a Status', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    const status = await ipc.appStatus();
    assertShape(status, SHAPES.Status, 'Status');
    assertShape(status.keychain, SHAPES.KeychainStatus, 'KeychainStatus');
    assertShape(status.settings, SHAPES.StatusSettings, 'StatusSettings');
    assert.equal(status.state, 'welcome');
    assert.equal(status.path, null);
    assert.deepEqual(status.settings, { language: 'en', auto_lock_minutes: 5 });
  });

  it('opens the demo and answers overview and subjects in the shapes the UI reads', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    const status = await ipc.openDemo();
    assert.equal(status.state, 'unlocked');
    assert.equal(status.file_name, 'demo.privreg');
    const overview = await ipc.overview();
    assertShape(overview, SHAPES.Overview, 'Overview');
    assertShape(overview.counts, SHAPES.Counts, 'Counts');
    assertShape(overview.audit, SHAPES.AuditCheck, 'AuditCheck');
    assertShape(overview.requests, SHAPES.RequestDeadlines, 'RequestDeadlines');
    assertShape(overview.activities[0], SHAPES.ActivitySummary, 'ActivitySummary');
    assertShape(overview.controller, SHAPES.Controller, 'Controller');
    assert.deepEqual(await ipc.controllerProfile(), overview.controller, 'the demo has a controller profile');
    assert.equal(overview.audit.first_broken, null);
    assertShape(overview.audit.checkpoint, SHAPES.Checkpoint, 'Checkpoint');
    // The overview's "Check against an earlier report", with the head pasted.
    const against = await ipc.checkAgainstHead({ head: `${overview.audit.head_hash}:${overview.audit.events}` });
    assertShape(against, SHAPES.HeadCheck, 'HeadCheck');
    assertShape(against.head, SHAPES.PrintedHead, 'PrintedHead');
    assertShape(against.chain, SHAPES.AuditCheck, 'AuditCheck');
    assert.equal(against.outcome, 'intact');
    const malformed = await rejection(ipc.checkAgainstHead({ head: 'not a head' }));
    assert.deepEqual([malformed.kind, malformed.details.field], ['input.invalid', 'head']);
    assert.ok(overview.counts.subjects > 50);
    const page = await ipc.listSubjects({ offset: 50, limit: 50, sort: 'name', descending: false });
    assertShape(page, SHAPES.SubjectPage, 'SubjectPage');
    assert.equal(page.offset, 50);
    assert.equal(page.total, overview.counts.subjects);
    assert.equal(page.items.length, 50);
    assertShape(page.items[0], SHAPES.SubjectSummary, 'SubjectSummary');
    assert.equal(typeof page.items[0].id, 'number');
    const sorted = page.items.map((s) => s.name);
    assert.deepEqual(sorted, [...sorted].sort((a, b) => a.localeCompare(b, 'nb')), 'sorted by name');
    const name = page.items[0].name;
    const found = await ipc.searchSubjects({ query: name, limit: 200 });
    assert.ok(found.some((s) => s.name === name));
    for (const s of found) assertShape(s, SHAPES.SubjectSummary, 'SubjectSummary');
  });

  it('creates a register where the save dialog answers, as the window does', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    const path = await ipc.chooseNewRegisterPath();
    assert.equal(path, join(bridge.dialogs, 'privacy-register.privreg'));
    // The recovery key goes to a native message dialog, never to the window.
    const status = await ipc.createRegister({ path, passphrase: PASSPHRASE, remember_on_device: false });
    assertShape(status, SHAPES.Status, 'Status');
    assert.deepEqual([status.state, status.path, status.file_name], ['unlocked', path, 'privacy-register.privreg']);
    assert.equal(status.keychain.has_key, false);
    assert.equal((await ipc.overview()).counts.subjects, 0);
    const exists = await rejection(ipc.createRegister({ path, passphrase: PASSPHRASE, remember_on_device: false }));
    assert.equal(exists.kind, 'vault.exists');
  });

  it('rejects with {kind, message, details}', async () => {
    const { bridge, path, recovery_key } = await newRegister({ name: 'kontor.privreg' });
    const weak = await rejection(ipc.createRegister({ path: join(bridge.dialogs, 'x.privreg'), passphrase: 'short', remember_on_device: false }));
    assert.deepEqual(Object.keys(weak).sort(), ['details', 'kind', 'message']);
    assert.equal(weak.kind, 'vault.weak_passphrase');
    assert.equal(typeof weak.details.min, 'number');
    await ipc.closeRegister();
    assert.equal((await rejection(ipc.overview())).kind, 'app.no_register');
    // The open dialog answers with the newest register file in the dialogs folder.
    copyFileSync(path, join(bridge.dialogs, 'kontor.privreg'));
    const chosen = await ipc.chooseRegisterFile();
    assert.equal(chosen, join(bridge.dialogs, 'kontor.privreg'));
    const locked = await ipc.openRegister({ path: chosen });
    assert.deepEqual([locked.state, locked.file_name, locked.keychain.has_key], ['locked', 'kontor.privreg', false]);
    const wrong = await rejection(ipc.unlock({ passphrase: 'wrong one!!', remember_on_device: false }));
    assert.equal(wrong.kind, 'vault.wrong_passphrase');
    assert.ok(!JSON.stringify(wrong).includes('wrong one!!'), 'the passphrase is not echoed');
    assert.equal((await rejection(ipc.overview())).kind, 'app.locked');
    const bad = await rejection(ipc.unlockWithRecoveryKey({ recovery_key: 'nope', new_passphrase: 'a new passphrase' }));
    assert.equal(bad.kind, 'vault.bad_recovery_key');
    const status = await ipc.unlockWithRecoveryKey({ recovery_key: recovery_key, new_passphrase: 'a new passphrase' });
    assert.equal(status.state, 'unlocked');
    const invalid = await rejection(ipc.saveSettings({ language: 'nb', auto_lock_minutes: 0 }));
    assert.equal(invalid.kind, 'input.invalid');
    assert.equal(invalid.details.field, 'auto_lock_minutes');
    await ipc.lock();
    assert.equal((await rejection(ipc.unlock({ passphrase: PASSPHRASE, remember_on_device: false }))).kind,
      'vault.wrong_passphrase', 'the recovery key set a new passphrase');
    assert.equal((await ipc.unlock({ passphrase: 'a new passphrase', remember_on_device: false })).state, 'unlocked');
  });

  it('sends register-locked {reason} when the register locks, by hand and when idle', async () => {
    const { bridge, path } = await freshRegister();
    const events = [];
    const stop = await ipc.onLocked((payload) => events.push(payload));
    assert.equal((await ipc.lock()).state, 'locked');
    assert.equal((await ipc.openRegister({ path })).state, 'unlocked', 'from the keychain');
    assert.equal(await bridge.idle(), true);
    assert.deepEqual(events, [{ reason: 'user' }, { reason: 'idle' }]);
    assert.equal((await ipc.appStatus()).state, 'locked');
    stop();
    await ipc.openRegister({ path });
    await ipc.lock();
    assert.equal(events.length, 2, 'no events after unlisten');
  });

  it('saves settings and reads them back in the Status', async () => {
    await freshRegister();
    const status = await ipc.saveSettings({ language: 'nb', auto_lock_minutes: 15 });
    assert.deepEqual(status.settings, { language: 'nb', auto_lock_minutes: 15 });
    assert.deepEqual((await ipc.appStatus()).settings, { language: 'nb', auto_lock_minutes: 15 });
    const err = await rejection(ipc.saveSettings({ language: 'de', auto_lock_minutes: 5 }));
    assert.equal(err.details.field, 'language');
  });
});

describe('the controller (Art. 30(1)(a))', () => {
  const controller = {
    organisation: 'Test AS', org_number: '987 654 321', address: 'Gata 2\n0150 Oslo', email: 'post@test.no', phone: '+47 22 22 22 22',
    website: 'https://test.no', contact_person: { name: 'Kari', email: 'kari@test.no', phone: '+47 400 00 001', address: '' },
    dpo: { name: 'Ola', email: 'ola@test.no', phone: '+47 400 00 002', address: '' }, representative: null, supervisory_authority: 'Datatilsynet',
  };

  it('is null for a new register, then saved and returned as kept', async () => {
    await freshRegister();
    assert.equal(await ipc.controllerProfile(), null);
    const saved = await ipc.saveController({ controller });
    assertShape(saved, SHAPES.Controller, 'Controller');
    assert.equal(saved.organisation, 'Test AS');
    assert.deepEqual(saved.dpo, controller.dpo);
    assert.equal(saved.representative, null);
    assert.deepEqual(await ipc.controllerProfile(), saved);
    assert.equal((await ipc.overview()).controller.organisation, 'Test AS');
  });

  it('needs an open register', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    assert.equal((await rejection(ipc.controllerProfile())).kind, 'app.no_register');
  });

  it('names the invalid field and saves nothing', async () => {
    await freshRegister();
    await ipc.saveController({ controller });
    const missing = await rejection(ipc.saveController({ controller: { ...controller, organisation: '  ' } }));
    assert.equal(missing.kind, 'input.invalid');
    assert.equal(missing.details.field, 'organisation');
    const email = await rejection(ipc.saveController({ controller: { ...controller, email: 'post.test.no' } }));
    assert.equal(email.kind, 'input.invalid');
    assert.equal(email.details.field, 'email');
    assert.equal((await ipc.controllerProfile()).organisation, 'Test AS', 'nothing saved on failure');
  });

  it('are reached through ipc.js wrappers with the contract arguments', async () => {
    const calls = [];
    ipc.setBackend({
      controllerProfile: async (args) => { calls.push(['controllerProfile', args]); return null; },
      saveController: async (args) => { calls.push(['saveController', args]); return args.controller; },
      onLocked: async () => () => {},
    });
    assert.equal(await ipc.controllerProfile(), null);
    assert.deepEqual(await ipc.saveController({ controller }), controller);
    assert.deepEqual(calls, [['controllerProfile', undefined], ['saveController', { controller }]]);
    ipc.setBackend(null);
  });
});

describe('<controller-page> source', () => {
  it('has the element ids the contract names and a nav entry before Settings', () => {
    const source = read(join(UI, 'components', 'controller-page.js'));
    const ids = ['controller-organisation', 'controller-org-number', 'controller-address', 'controller-email', 'controller-phone',
      'controller-website', 'contact-name', 'contact-email', 'contact-phone', 'has-dpo', 'dpo-name', 'dpo-email', 'dpo-phone',
      'has-representative', 'rep-name', 'rep-email', 'rep-address', 'controller-authority', 'controller-save', 'controller-saved'];
    for (const id of ids) assert.ok(source.includes(`'${id}'`), id);
    const shell = read(join(UI, 'components', 'main-screen.js'));
    const order = ['subjects:', 'controller:', 'settings:'].map((key) => shell.indexOf(key));
    assert.ok(order.every((at, n) => at > 0 && (n === 0 || at > order[n - 1])), 'nav order');
  });
});
