// The fake's change_passphrase and set_keychain, and their ipc.js wrappers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rejection } from './helpers.mjs';
import * as ipc from '../../ui/lib/ipc.js';
import { createFakeBackend } from '../../ui/lib/fake-ipc.js';

const EXAMPLE = '/home/demo/Documents/Example Consulting AS.privreg';
const OLD = 'correct horse battery';

async function unlockedExample(options) {
  const api = createFakeBackend(options);
  await api.openRegister({ path: EXAMPLE });
  await api.unlock({ passphrase: OLD, remember_on_device: false });
  return api;
}

describe('fake change_passphrase', () => {
  it('rejects a wrong current passphrase with vault.wrong_passphrase and details null', async () => {
    const api = await unlockedExample();
    const err = await rejection(api.changePassphrase({ current: 'not it at all', new_passphrase: 'a brand new phrase' }));
    assert.equal(err.kind, 'vault.wrong_passphrase');
    assert.equal(typeof err.message, 'string');
    assert.equal(err.details, null);
  });

  it('rejects a new passphrase under 10 characters with vault.weak_passphrase {min: 10}', async () => {
    const api = await unlockedExample();
    const err = await rejection(api.changePassphrase({ current: OLD, new_passphrase: 'short' }));
    assert.deepEqual({ kind: err.kind, details: err.details }, { kind: 'vault.weak_passphrase', details: { min: 10 } });
  });

  it('returns the Status, and afterwards only the new passphrase unlocks', async () => {
    const api = await unlockedExample();
    const status = await api.changePassphrase({ current: OLD, new_passphrase: 'a brand new phrase' });
    assert.equal(status.state, 'unlocked');
    assert.equal(status.path, EXAMPLE);
    await api.lock();
    const err = await rejection(api.unlock({ passphrase: OLD, remember_on_device: false }));
    assert.equal(err.kind, 'vault.wrong_passphrase');
    assert.equal((await api.unlock({ passphrase: 'a brand new phrase', remember_on_device: false })).state, 'unlocked');
  });

  it('refuses when the register is locked', async () => {
    const api = createFakeBackend();
    await api.openRegister({ path: EXAMPLE });
    const err = await rejection(api.changePassphrase({ current: OLD, new_passphrase: 'a brand new phrase' }));
    assert.equal(err.kind, 'app.locked');
  });
});

describe('fake set_keychain', () => {
  it('flips keychain.has_key in the Status', async () => {
    const api = await unlockedExample();
    assert.equal((await api.appStatus()).keychain.has_key, false);
    const on = await api.setKeychain({ remember: true });
    assert.equal(on.keychain.has_key, true);
    assert.equal((await api.appStatus()).keychain.has_key, true);
    const off = await api.setKeychain({ remember: false });
    assert.equal(off.keychain.has_key, false);
  });

  it('rejects with keychain.unavailable when there is no keychain', async () => {
    const api = await unlockedExample({ keychainAvailable: false });
    const err = await rejection(api.setKeychain({ remember: true }));
    assert.equal(err.kind, 'keychain.unavailable');
  });
});

describe('ipc.js wrappers', () => {
  it('pass snake_case arguments through unchanged', async () => {
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
  });
});
