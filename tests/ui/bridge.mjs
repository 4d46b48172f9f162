// The real backend for the node UI tests: starts the ipc-bridge example (the app built
// on Tauri's mock runtime, tests/bridge/ipc_bridge.rs) once per test file and installs
// a window.__TAURI__ with core.invoke(cmd, args) and event.listen(name, callback), so
// that ui/lib/ipc.js takes its real Tauri path (its COMMANDS table) to the real
// commands. The process ends with this one: when this test file's work is done
// (`beforeExit`), its stdin is closed and this process waits for it to remove its files
// and exit (killing it after 25 s), so that no bridge outlives the tests and none is
// left for PID 1 to reap (tests/run.sh checks). However else this process ends, the
// bridge's stdin closes with it and the bridge exits by itself.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as ipc from '../../ui/lib/ipc.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Where `cargo build --example ipc-bridge` puts the bridge (honours CARGO_TARGET_DIR). */
export function bridgeBinary() {
  const target = process.env.CARGO_TARGET_DIR ? resolve(ROOT, process.env.CARGO_TARGET_DIR) : join(ROOT, 'target');
  return join(target, 'debug', 'examples', process.platform === 'win32' ? 'ipc-bridge.exe' : 'ipc-bridge');
}

class Bridge {
  #child;
  #pending = new Map(); // id ('ready' for the start) → {resolve, reject}
  #listeners = new Map(); // event name → Map of key → callback
  #nextId = 1;
  #nextListener = 1;
  #stderr = '';
  #exited = null;
  #ending = false;
  dialogs = null;

  constructor(binary) {
    this.#child = spawn(binary, [], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    // The bridge must not keep this process alive: only a call waiting for its answer
    // does (see #hold), so the test file ends when its tests do, and the bridge then
    // reads the end of its input.
    this.#child.unref();
    this.#child.stdin.unref?.();
    this.#child.stderr.unref?.();
    this.#child.stderr.setEncoding('utf8');
    this.#child.stderr.on('data', (text) => { this.#stderr = (this.#stderr + text).slice(-4000); });
    this.#child.on('exit', (code, signal) => {
      this.#exited = `the ipc bridge exited (${signal ?? code})${this.#stderr ? `:\n${this.#stderr}` : ''}`;
      for (const { reject } of this.#pending.values()) reject(new Error(this.#exited));
      this.#pending.clear();
    });
    this.#child.on('error', (err) => {
      this.#exited = `the ipc bridge did not start: ${err.message}`;
      for (const { reject } of this.#pending.values()) reject(new Error(this.#exited));
      this.#pending.clear();
    });
    createInterface({ input: this.#child.stdout }).on('line', (line) => this.#receive(line));
    this.ready = new Promise((resolveReady, rejectReady) => {
      this.#pending.set('ready', { resolve: resolveReady, reject: rejectReady });
    });
    this.#hold();
    process.once('beforeExit', () => this.end());
  }

  /**
   * Ends the bridge and keeps this process alive until it has exited: its stdin is
   * closed (it then removes its folder and exits), and after 25 s it is killed.
   */
  end() {
    if (this.#exited || this.#ending) return;
    this.#ending = true;
    this.#child.ref();
    this.#child.stdin.end();
    const kill = setTimeout(() => this.#child.kill('SIGKILL'), 25_000);
    kill.unref();
    this.#child.once('exit', () => clearTimeout(kill));
  }

  /** Keep this process alive while an answer is awaited. */
  #hold() {
    if (this.#pending.size > 0) this.#child.stdout.ref();
    else this.#child.stdout.unref();
  }

  #receive(line) {
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      // Not ours (a library printing to stdout): kept with stderr for a failure message.
      this.#stderr = `${this.#stderr}${line}\n`.slice(-4000);
      return;
    }
    if ('ready' in message) {
      this.dialogs = message.ready.dialogs;
      this.#settle('ready', message.ready, null);
    } else if ('event' in message) {
      for (const callback of [...(this.#listeners.get(message.event)?.values() ?? [])]) {
        callback({ event: message.event, id: 0, payload: message.payload });
      }
    } else {
      this.#settle(message.id, message.ok, 'err' in message ? message.err : null, 'err' in message);
    }
  }

  #settle(id, ok, err, failed = false) {
    const waiting = this.#pending.get(id);
    if (!waiting) return;
    this.#pending.delete(id);
    this.#hold();
    if (failed) waiting.reject(err);
    else waiting.resolve(ok);
  }

  #send(message) {
    if (this.#exited) return Promise.reject(new Error(this.#exited));
    const id = this.#nextId++;
    const answer = new Promise((resolve, reject) => this.#pending.set(id, { resolve, reject }));
    this.#hold();
    this.#child.stdin.write(`${JSON.stringify({ ...message, id })}\n`);
    return answer;
  }

  /** Every invoke since the last reset, as [command, arguments] (a test's spy). */
  calls = [];

  /** The arguments of each call of `command` since the last reset. */
  argsOf(command) {
    return this.calls.filter(([cmd]) => cmd === command).map(([, args]) => args);
  }

  #canned = new Map();

  /**
   * Until the next reset, `command` answers `value` without reaching the app: only for
   * what no one can do here, such as cancelling a native dialog.
   */
  answer(command, value) {
    this.#canned.set(command, value);
  }

  /** As Tauri's invoke(): resolves with the command's answer, rejects with its error value. */
  invoke(cmd, args = {}) {
    this.calls.push([cmd, structuredClone(args)]);
    if (this.#canned.has(cmd)) return Promise.resolve(structuredClone(this.#canned.get(cmd)));
    return this.#send({ cmd, args });
  }

  /** As Tauri's event.listen(): callback({event, id, payload}); resolves to an unlisten function. */
  async listen(name, callback) {
    if (!this.#listeners.has(name)) this.#listeners.set(name, new Map());
    const key = this.#nextListener++;
    this.#listeners.get(name).set(key, callback);
    return () => { this.#listeners.get(name)?.delete(key); };
  }

  /**
   * A fresh start of the app: a new data folder, nothing open, default settings, no
   * event listeners, an empty dialog folder, an empty call log; `keychain` (a reason) starts it without
   * a keychain. ipc.js is pointed at the bridge again (after a test's setBackend()).
   */
  async reset({ keychain = null } = {}) {
    this.#listeners.clear();
    this.#canned.clear();
    this.calls = [];
    await this.#send({ harness: 'reset', keychain });
    ipc.setBackend(null);
  }

  /** A register created as create_register does it, without its recovery-key dialog; → {path, recovery_key}. */
  create({ name = 'register.privreg', passphrase = PASSPHRASE, remember = false } = {}) {
    return this.#send({ harness: 'create', name, passphrase, remember });
  }

  /**
   * A new, empty register opened as one whose key this computer's keychain holds
   * (Status keychain.has_key is true), without the seconds a debug build spends
   * deriving a key from the passphrase; → {path}.
   */
  fresh({ name = 'register.privreg', passphrase = PASSPHRASE } = {}) {
    return this.#send({ harness: 'fresh', name, passphrase });
  }

  /** The register idle past its auto-lock time, then the app's auto-lock check; → whether it locked. */
  idle() {
    return this.#send({ harness: 'idle' });
  }
}

export const PASSPHRASE = 'nordlys over Tromsø 7';

let started = null;

/**
 * The bridge of this test file, started on first use, with window.__TAURI__ pointing
 * at it. Fails with what to do when the example has not been built.
 */
export async function startBridge() {
  if (!started) {
    const binary = bridgeBinary();
    if (!existsSync(binary)) {
      throw new Error(`The ipc bridge is not built (${binary} is missing): run \`cargo build --example ipc-bridge\` first.`);
    }
    const bridge = new Bridge(binary);
    globalThis.window ??= {};
    globalThis.window.__TAURI__ = {
      core: { invoke: (cmd, args) => bridge.invoke(cmd, args) },
      event: { listen: (name, callback) => bridge.listen(name, callback) },
    };
    started = bridge.ready.then(() => bridge);
  }
  const bridge = await started;
  ipc.setBackend(null);
  return bridge;
}

/**
 * A fresh app with a new, empty register open (file `name`, passphrase PASSPHRASE),
 * its key kept in the keychain; → {bridge, path, status}. For the tests that are not
 * about creating, passphrases or the keychain.
 */
export async function freshRegister({ name = 'register.privreg' } = {}) {
  const bridge = await startBridge();
  await bridge.reset();
  const { path } = await bridge.fresh({ name });
  return { bridge, path, status: await ipc.appStatus() };
}

/**
 * A fresh app (without a keychain when `keychain` gives a reason) and a register
 * created in it as create_register does it, with PASSPHRASE; → {bridge, path,
 * recovery_key, status}.
 */
export async function newRegister({ name = 'register.privreg', remember = false, keychain = null } = {}) {
  const bridge = await startBridge();
  await bridge.reset({ keychain });
  const created = await bridge.create({ name, remember });
  return { bridge, ...created, status: await ipc.appStatus() };
}
