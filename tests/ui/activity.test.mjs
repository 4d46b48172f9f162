// Processing activities, processors and adding people: ipc.js passes the arguments
// through, the real backend (bridge.mjs) answers in the shapes the editor reads, and
// every command the window calls is one the backend registers and the capability
// allows.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { UI, read, rejection } from './helpers.mjs';
import { freshRegister, startBridge } from './bridge.mjs';
import { SHAPES, assertShape } from './shapes.mjs';
import * as ipc from '../../ui/lib/ipc.js';

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

  it('is answered by the backend: every command is registered and allowed', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    const commands = [...read(join(UI, 'lib/ipc.js')).matchAll(/^\s+\w+: '([a-z_0-9]+)',$/gm)].map((m) => m[1]);
    const unknown = await rejection(bridge.invoke('no_such_command', {}));
    assert.match(String(unknown), /not found|not allowed/i, 'an unknown command is refused');
    const refused = [];
    for (const command of commands) {
      // Without a register (or without arguments) most fail; none may be unknown.
      const answer = await bridge.invoke(command, {}).then(() => null, (err) => err);
      if (typeof answer === 'string' && /not found|not allowed/i.test(answer)) refused.push(`${command}: ${answer}`);
    }
    assert.deepEqual(refused, []);
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
    ipc.setBackend(null);
  });
});

describe('the backend: activities and processors', () => {
  it('starts an activity from a template and adds its processor once', async () => {
    await freshRegister();
    const templates = await ipc.activityTemplates();
    assert.ok(templates.length > 3);
    for (const tpl of templates) assertShape(tpl, SHAPES.TemplateInfo, 'TemplateInfo');
    assert.ok(templates.every((tpl) => tpl.key && tpl.title && tpl.description));
    const form = await ipc.newActivity({ template: 'courses' });
    assertShape(form, SHAPES.ActivityEditor, 'ActivityEditor');
    assertShape(form.activity, SHAPES.Activity, 'Activity');
    assert.equal(form.id, null);
    assert.equal(form.activity.status, 'draft');
    assert.deepEqual(form.new_processors.map((p) => p.name), ['Mintra Trainingportal']);
    const saved = await ipc.saveActivity({ id: null, activity: form.activity, new_processors: form.new_processors });
    assertShape(saved, SHAPES.StoredActivity, 'StoredActivity');
    assert.equal(typeof saved.id, 'number', 'ids are integers');
    const rows = await ipc.listProcessors();
    for (const row of rows) assertShape(row, SHAPES.ProcessorRow, 'ProcessorRow');
    const mintra = rows.find((p) => p.name === 'Mintra Trainingportal');
    assert.deepEqual(mintra.activities.map((a) => a.id), [saved.id]);
    const again = await ipc.newActivity({ template: 'courses' });
    assert.deepEqual(again.new_processors, []);
    assert.deepEqual(again.activity.processor_ids, [mintra.id]);
    const err = await rejection(ipc.deleteProcessor({ id: mintra.id }));
    assert.equal(err.kind, 'in_use');
    assert.equal(typeof err.message, 'string');
    const [summary] = await ipc.listActivities();
    assertShape(summary, SHAPES.ActivitySummary, 'ActivitySummary');
    assert.deepEqual([summary.id, summary.status, summary.records], [saved.id, 'draft', 0]);
  });

  it('brings a template\'s proposals, and saving without one confirms it', async () => {
    await freshRegister();
    const form = await ipc.newActivity({ template: 'advertising' });
    assertShape(form.activity, SHAPES.Activity, 'Activity');
    assert.deepEqual(form.activity.proposals, ['retention', 'dpia', 'automated_decisions']);
    const saved = await ipc.saveActivity({ id: null, activity: form.activity, new_processors: form.new_processors });
    assert.deepEqual(saved.proposals, ['retention', 'dpia', 'automated_decisions']);
    assert.equal((await ipc.overview()).counts.unconfirmed_proposals, 1);
    // The editor's Confirm leaves the proposal out of what it saves.
    const edited = await ipc.editActivity({ id: saved.id });
    const dpiaConfirmed = { ...edited.activity, proposals: edited.activity.proposals.filter((p) => p !== 'dpia') };
    const once = await ipc.saveActivity({ id: saved.id, activity: dpiaConfirmed, new_processors: [] });
    assert.deepEqual(once.proposals, ['retention', 'automated_decisions']);
    const all = await ipc.saveActivity({ id: saved.id, activity: { ...dpiaConfirmed, proposals: [] }, new_processors: [] });
    assertShape(all, SHAPES.StoredActivity, 'StoredActivity');
    assert.equal('proposals' in all, false, 'no proposals left: the key is left out');
    assert.equal((await ipc.overview()).counts.unconfirmed_proposals, 0);
    const blank = await ipc.newActivity({ template: null });
    assert.equal('proposals' in blank.activity, false, 'a blank activity proposes nothing');
  });

  it('refuses to approve an activity with a required field missing, naming it', async () => {
    await freshRegister();
    const form = await ipc.newActivity({ template: null });
    const err = await rejection(ipc.saveActivity({ id: null, activity: { ...form.activity, name: 'X', status: 'approved' }, new_processors: [] }));
    assert.equal(err.kind, 'input.invalid');
    assert.equal(err.details.field, 'purposes');
    const nameless = await rejection(ipc.saveActivity({ id: null, activity: form.activity, new_processors: [] }));
    assert.equal(nameless.details.field, 'name');
    assert.deepEqual(await ipc.listActivities(), [], 'nothing saved');
  });

  it('adds a person with a record, who can then be found; the activity is then in use', async () => {
    await freshRegister();
    const form = await ipc.newActivity({ template: 'courses' });
    const activity = await ipc.saveActivity({ id: null, activity: form.activity, new_processors: [] });
    const category = form.activity.data_categories[0].name;
    const id = await ipc.addSubject({
      subject: { name: 'Åse Ødegård Testesen', email: 'aase@example.no', phone: '' },
      records: [{ activity_id: activity.id, category, value: 'Kurs 12. mars', source: '', collected_on: '2026-03-12' }],
    });
    assert.equal(typeof id, 'number');
    const page = await ipc.viewSubject({ id });
    assert.equal(page.subject.name, 'Åse Ødegård Testesen');
    assert.equal(page.records[0].value, 'Kurs 12. mars');
    const hits = await ipc.searchSubjects({ query: 'testesen', limit: 5 });
    assert.deepEqual(hits.map((s) => s.id), [id]);
    const bad = await rejection(ipc.addSubject({ subject: { name: 'X', email: 'not-an-address', phone: '' }, records: [] }));
    assert.equal(bad.details.field, 'email');
    const editor = await ipc.editActivity({ id: activity.id });
    assertShape(editor, SHAPES.ActivityEditor, 'ActivityEditor');
    assert.deepEqual([editor.records, editor.categories_in_use], [1, [category]]);
    assert.equal((await rejection(ipc.deleteActivity({ id: activity.id }))).kind, 'in_use');
  });
});
