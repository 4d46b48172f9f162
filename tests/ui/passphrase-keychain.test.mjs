// change_passphrase and set_keychain on the real backend (bridge.mjs), and their
// ipc.js wrappers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejection } from './helpers.mjs';
import { PASSPHRASE, freshRegister, newRegister, startBridge } from './bridge.mjs';
import { SHAPES, assertShape } from './shapes.mjs';
import * as ipc from '../../ui/lib/ipc.js';

const NEW = 'a brand new phrase';

describe('change_passphrase', () => {
  it('rejects a wrong current passphrase with vault.wrong_passphrase, echoing neither', async () => {
    await freshRegister();
    const err = await rejection(ipc.changePassphrase({ current: 'not it at all', new_passphrase: NEW }));
    assert.deepEqual(Object.keys(err).sort(), ['details', 'kind', 'message']);
    assert.equal(err.kind, 'vault.wrong_passphrase');
    assert.equal(typeof err.message, 'string');
    assert.ok(!JSON.stringify(err).includes('not it at all') && !JSON.stringify(err).includes(NEW));
  });

  it('rejects a new passphrase under 10 characters with vault.weak_passphrase {min: 10}', async () => {
    await freshRegister();
    const err = await rejection(ipc.changePassphrase({ current: PASSPHRASE, new_passphrase: 'short' }));
    assert.equal(err.kind, 'vault.weak_passphrase');
    assert.equal(err.details.min, 10);
  });

  it('returns the Status, and afterwards only the new passphrase unlocks', async () => {
    const { path } = await newRegister({ name: 'pw.privreg' });
    const status = await ipc.changePassphrase({ current: PASSPHRASE, new_passphrase: NEW });
    assertShape(status, SHAPES.Status, 'Status');
    assert.equal(status.state, 'unlocked');
    assert.equal(status.path, path);
    await ipc.lock();
    const err = await rejection(ipc.unlock({ passphrase: PASSPHRASE, remember_on_device: false }));
    assert.equal(err.kind, 'vault.wrong_passphrase');
    assert.equal((await ipc.unlock({ passphrase: NEW, remember_on_device: false })).state, 'unlocked');
  });

  it('refuses when the register is locked', async () => {
    await freshRegister();
    await ipc.lock();
    const err = await rejection(ipc.changePassphrase({ current: PASSPHRASE, new_passphrase: NEW }));
    assert.equal(err.kind, 'app.locked');
  });
});

describe('set_keychain', () => {
  it('flips keychain.has_key in the Status; with the key kept, selecting the file unlocks it', async () => {
    const { path } = await newRegister();
    assert.equal((await ipc.appStatus()).keychain.has_key, false);
    const on = await ipc.setKeychain({ remember: true });
    assert.equal(on.keychain.has_key, true);
    assert.equal((await ipc.appStatus()).keychain.has_key, true);
    await ipc.lock();
    assert.equal((await ipc.openRegister({ path })).state, 'unlocked', 'unlocked from the keychain');
    const off = await ipc.setKeychain({ remember: false });
    assert.equal(off.keychain.has_key, false);
    await ipc.lock();
    assert.equal((await ipc.openRegister({ path })).state, 'locked', 'the passphrase is asked again');
  });

  it('rejects with keychain.unavailable when there is no keychain, and says why in the Status', async () => {
    await newRegister({ keychain: 'no Secret Service on this computer' });
    const status = await ipc.appStatus();
    assert.equal(status.keychain.available, false);
    assert.match(status.keychain.message, /Secret Service/);
    const err = await rejection(ipc.setKeychain({ remember: true }));
    assert.equal(err.kind, 'keychain.unavailable');
  });
});

describe('ipc.js wrappers', () => {
  it('pass snake_case arguments through unchanged', async () => {
    await startBridge();
    const calls = [];
    ipc.setBackend({
      changePassphrase: async (args) => { calls.push(['changePassphrase', args]); return { state: 'unlocked' }; },
      setKeychain: async (args) => { calls.push(['setKeychain', args]); return { state: 'unlocked' }; },
    });
    await ipc.changePassphrase({ current: 'a', new_passphrase: 'b' });
    await ipc.setKeychain({ remember: true });
    assert.deepEqual(calls, [
      ['changePassphrase', { current: 'a', new_passphrase: 'b' }],
      ['setKeychain', { remember: true }],
    ]);
    ipc.setBackend(null);
  });
});
