// ipc.js without Tauri: the in-memory fake answers with the contract's shapes and
// errors; setBackend() swaps in a test's own object.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UI, read, rejection } from './helpers.mjs';
import * as ipc from '../../ui/lib/ipc.js';
import { createFakeBackend } from '../../ui/lib/fake-ipc.js';

const STATUS_KEYS = ['file_name', 'keychain', 'path', 'read_only', 'recent', 'settings', 'state', 'version'];

describe('ipc.js in a plain browser (no window.__TAURI__)', () => {
  it('falls back to the fake and reports it', async () => {
    const status = await ipc.appStatus();
    assert.equal(ipc.isFake(), true);
    assert.deepEqual(Object.keys(status).sort(), STATUS_KEYS);
    assert.equal(status.state, 'welcome');
  });

  it('uses an injected backend after setBackend()', async () => {
    const calls = [];
    ipc.setBackend({
      unlock: async (args) => { calls.push(args); return { state: 'unlocked' }; },
      onLocked: async () => () => {},
    });
    assert.deepEqual(await ipc.unlock({ passphrase: 'p', remember_on_device: false }), { state: 'unlocked' });
    assert.deepEqual(calls, [{ passphrase: 'p', remember_on_device: false }]);
    assert.equal(ipc.isFake(), false);
  });
});

describe('the fake backend', () => {
  it('opens the demo and answers overview and subjects in the contract shapes', async () => {
    const api = createFakeBackend();
    const status = await api.openDemo();
    assert.equal(status.state, 'unlocked');
    const overview = await api.overview();
    assert.deepEqual(Object.keys(overview).sort(), ['activities', 'audit', 'controller', 'counts', 'requests']);
    assert.deepEqual(Object.keys(overview.counts).sort(),
      ['activities', 'drafts', 'missing_fields', 'processors', 'records', 'review_overdue', 'subjects']);
    const page = await api.listSubjects({ offset: 50, limit: 50, sort: 'name', descending: false });
    assert.equal(page.offset, 50);
    assert.ok(page.total > 50 && page.items.length === page.total - 50);
    assert.deepEqual(Object.keys(page.items[0]).sort(),
      ['email', 'id', 'marketing_objection', 'name', 'phone', 'records', 'restricted']);
    const found = await api.searchSubjects({ query: 'kari', limit: 200 });
    assert.ok(found.some((s) => s.name === 'Kari Nordmann'));
  });

  it('rejects with {kind, message, details}', async () => {
    const api = createFakeBackend();
    const weak = await rejection(api.createRegister({ path: '/tmp/x.privreg', passphrase: 'short', remember_on_device: false }));
    assert.deepEqual({ kind: weak.kind, details: weak.details }, { kind: 'vault.weak_passphrase', details: { min: 10 } });
    const path = await api.chooseRegisterFile();
    assert.equal((await api.openRegister({ path })).state, 'locked');
    assert.equal((await rejection(api.unlock({ passphrase: 'wrong one!!', remember_on_device: false }))).kind, 'vault.wrong_passphrase');
    assert.equal((await rejection(api.overview())).kind, 'app.locked');
    assert.equal((await rejection(api.unlockWithRecoveryKey({ recovery_key: 'nope', new_passphrase: 'a new passphrase' }))).kind, 'vault.bad_recovery_key');
    const status = await api.unlockWithRecoveryKey({ recovery_key: 'abcd efgh jklm npqr', new_passphrase: 'a new passphrase' });
    assert.equal(status.state, 'unlocked');
    const invalid = await rejection(api.saveSettings({ language: 'nb', auto_lock_minutes: 0 }));
    assert.equal(invalid.kind, 'input.invalid');
    assert.equal(invalid.details.field, 'auto_lock_minutes');
  });

  it('emits register-locked {reason} when the register locks', async () => {
    const api = createFakeBackend();
    const events = [];
    await api.onLocked((payload) => events.push(payload));
    await api.openDemo();
    api.lockForIdle();
    assert.deepEqual(events, [{ reason: 'idle' }]);
    assert.equal((await api.appStatus()).state, 'locked');
  });
});

describe('the fake backend: controller (Art. 30(1)(a))', () => {
  const controller = {
    organisation: ' Test AS ', org_number: '987 654 321', address: 'Gata 2\n0150 Oslo', email: 'post@test.no', phone: '+47 22 22 22 22',
    website: 'https://test.no', contact_person: { name: 'Kari', email: 'kari@test.no', phone: '1', address: '' },
    dpo: { name: 'Ola', email: 'ola@test.no', phone: '2', address: '' }, representative: null, supervisory_authority: 'Datatilsynet',
  };

  it('answers null for a new register and saves and returns the profile', async () => {
    const api = createFakeBackend();
    await api.createRegister({ path: '/tmp/c.privreg', passphrase: 'long enough passphrase', remember_on_device: false });
    assert.equal(await api.controllerProfile(), null);
    const saved = await api.saveController({ controller });
    assert.equal(saved.organisation, 'Test AS');
    assert.deepEqual(saved.dpo, controller.dpo);
    assert.equal(saved.representative, null);
    assert.deepEqual(await api.controllerProfile(), saved);
    assert.equal((await api.overview()).controller.organisation, 'Test AS');
  });

  it('gives the demo a profile and needs an unlocked register', async () => {
    const api = createFakeBackend();
    assert.equal((await rejection(api.controllerProfile())).kind, 'app.no_register');
    await api.openDemo();
    const profile = await api.controllerProfile();
    assert.equal(profile.organisation, 'Example Consulting AS');
    assert.equal(profile.supervisory_authority, 'Datatilsynet');
  });

  it('names the invalid field', async () => {
    const api = createFakeBackend();
    await api.openDemo();
    const missing = await rejection(api.saveController({ controller: { ...controller, organisation: '  ' } }));
    assert.equal(missing.kind, 'input.invalid');
    assert.deepEqual(missing.details, { field: 'organisation', problem: 'required' });
    const email = await rejection(api.saveController({ controller: { ...controller, email: 'post.test.no' } }));
    assert.equal(email.kind, 'input.invalid');
    assert.equal(email.details.field, 'email');
    assert.equal((await api.controllerProfile()).organisation, 'Example Consulting AS', 'nothing saved on failure');
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
