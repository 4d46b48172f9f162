// Processing activities, processors and adding people: ipc.js passes the arguments
// through, the fake answers in the contract's shapes, and every command the window
// calls is one the backend registers and the capability allows.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UI, read, rejection } from './helpers.mjs';
import * as ipc from '../../ui/lib/ipc.js';
import { createFakeBackend } from '../../ui/lib/fake-ipc.js';

const ROOT = join(UI, '..');

describe('the command list', () => {
  it('is the same in ipc.js, the Rust build script and the capability', () => {
    const fromIpc = [...read(join(UI, 'lib/ipc.js')).matchAll(/^\s+\w+: '([a-z_0-9]+)',$/gm)].map((m) => m[1]).sort();
    const build = read(join(ROOT, 'src-tauri/app/build.rs'));
    const fromBuild = [...build.slice(build.indexOf('COMMANDS')).matchAll(/^\s+"([a-z_0-9]+)",$/gm)].map((m) => m[1]).sort();
    const config = JSON.parse(read(join(ROOT, 'tauri.conf.json')));
    const allowed = config.app.security.capabilities.flatMap((c) => c.permissions)
      .filter((p) => typeof p === 'string' && p.startsWith('allow-'))
      .map((p) => p.slice('allow-'.length).replaceAll('-', '_'))
      .sort();
    assert.ok(fromIpc.length > 30, `only ${fromIpc.length} commands found in ipc.js`);
    assert.deepEqual(fromBuild, fromIpc, 'build.rs COMMANDS and ipc.js differ');
    assert.deepEqual(allowed, fromIpc, 'the capability and ipc.js differ');
  });

  it('has a fake for every command', () => {
    const api = createFakeBackend();
    const names = [...read(join(UI, 'lib/ipc.js')).matchAll(/^\s+(\w+): '[a-z_0-9]+',$/gm)].map((m) => m[1]);
    assert.deepEqual(names.filter((name) => typeof api[name] !== 'function'), []);
  });
});

describe('ipc.js activity and processor commands', () => {
  it('pass their arguments through unchanged', async () => {
    const calls = [];
    const names = ['listActivities', 'editActivity', 'activityTemplates', 'newActivity', 'saveActivity', 'deleteActivity',
      'listProcessors', 'saveProcessor', 'deleteProcessor', 'addSubject'];
    ipc.setBackend(Object.fromEntries(names.map((name) => [name, async (args) => { calls.push([name, args]); return name; }])));
    await ipc.listActivities();
    await ipc.editActivity({ id: 4 });
    await ipc.activityTemplates();
    await ipc.newActivity({ template: 'courses' });
    await ipc.saveActivity({ id: null, activity: { name: 'A' }, new_processors: [] });
    await ipc.deleteActivity({ id: 4 });
    await ipc.listProcessors();
    await ipc.saveProcessor({ id: 2, processor: { name: 'P' } });
    await ipc.deleteProcessor({ id: 2 });
    assert.equal(await ipc.addSubject({ subject: { name: 'Å' }, records: [] }), 'addSubject');
    assert.deepEqual(calls, [
      ['listActivities', undefined],
      ['editActivity', { id: 4 }],
      ['activityTemplates', undefined],
      ['newActivity', { template: 'courses' }],
      ['saveActivity', { id: null, activity: { name: 'A' }, new_processors: [] }],
      ['deleteActivity', { id: 4 }],
      ['listProcessors', undefined],
      ['saveProcessor', { id: 2, processor: { name: 'P' } }],
      ['deleteProcessor', { id: 2 }],
      ['addSubject', { subject: { name: 'Å' }, records: [] }],
    ]);
  });
});

describe('the fake backend: activities and processors', () => {
  async function opened() {
    const api = createFakeBackend();
    await api.openDemo();
    return api;
  }

  it('starts an activity from a template and adds its processor once', async () => {
    const api = await opened();
    const templates = await api.activityTemplates();
    assert.ok(templates.every((tpl) => tpl.key && tpl.title && tpl.description));
    const form = await api.newActivity({ template: 'courses' });
    assert.equal(form.id, null);
    assert.equal(form.activity.status, 'draft');
    assert.deepEqual(form.new_processors.map((p) => p.name), ['Mintra Trainingportal']);
    const saved = await api.saveActivity({ id: null, activity: form.activity, new_processors: form.new_processors });
    const rows = await api.listProcessors();
    const mintra = rows.find((p) => p.name === 'Mintra Trainingportal');
    assert.deepEqual(mintra.activities.map((a) => a.id), [saved.id]);
    const again = await api.newActivity({ template: 'courses' });
    assert.deepEqual(again.new_processors, []);
    assert.ok(again.activity.processor_ids.includes(mintra.id));
    const err = await rejection(api.deleteProcessor({ id: mintra.id }));
    assert.equal(err.kind, 'in_use');
  });

  it('refuses to approve an activity with a required field missing, naming it', async () => {
    const api = await opened();
    const form = await api.newActivity({ template: null });
    const err = await rejection(api.saveActivity({ id: null, activity: { ...form.activity, name: 'X', status: 'approved' }, new_processors: [] }));
    assert.equal(err.kind, 'input.invalid');
    assert.equal(err.details.field, 'purposes');
    const nameless = await rejection(api.saveActivity({ id: null, activity: form.activity, new_processors: [] }));
    assert.equal(nameless.details.field, 'name');
  });

  it('adds a person with a record, who can then be found', async () => {
    const api = await opened();
    const [activity] = await api.listActivities();
    const id = await api.addSubject({
      subject: { name: 'Åse Ødegård Testesen', email: 'aase@example.no', phone: '' },
      records: [{ activity_id: activity.id, category: 'Name', value: 'Kurs 12. mars', source: '', collected_on: '2026-03-12' }],
    });
    const page = await api.viewSubject({ id });
    assert.equal(page.subject.name, 'Åse Ødegård Testesen');
    assert.equal(page.records[0].value, 'Kurs 12. mars');
    const hits = await api.searchSubjects({ query: 'testesen', limit: 5 });
    assert.deepEqual(hits.map((s) => s.id), [id]);
    const bad = await rejection(api.addSubject({ subject: { name: 'X', email: 'not-an-address' }, records: [] }));
    assert.equal(bad.details.field, 'email');
  });
});
