// The processor's record (Art. 30(2)): <client-list> and <client-page> mounted in the
// fake DOM (fake-dom.mjs) on a small stand-in backend, to see what the window sends (a
// controller with a sub-processor chosen from the processors, a transfer, an empty
// contact as null) and what it shows; then the real backend (bridge.mjs) answering in
// the shapes the pages read.
import { choose, resetDocument, type, until } from './fake-dom.mjs'; // first: installs the DOM
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { UI, readJson, rejection } from './helpers.mjs';
import { startBridge } from './bridge.mjs';
import { SHAPES, assertShape } from './shapes.mjs';
import { setLanguage, useTranslations } from '../../ui/lib/i18n.js';
import * as ipc from '../../ui/lib/ipc.js';
import '../../ui/components/client-list.js';

const en = readJson(join(UI, 'i18n', 'en.json'));
const nb = readJson(join(UI, 'i18n', 'nb.json'));
useTranslations({ en, nb });

const $ = (id) => document.getElementById(id);
const text = (id) => $(id)?.textContent ?? '';

/** A stand-in for the core's clients, enough for the pages: it keeps what it is sent. */
function standIn() {
  const calls = [];
  let clients = [];
  const processor = (id, name, role) => ({
    id, name, role, country: 'Norway', dpa_reference: '', contact: '', notes: '', activities: [], created_at: '', updated_at: '',
  });
  const processors = [processor(7, 'Mintra Trainingportal', 'processor'), processor(8, 'LinkedIn', 'recipient')];
  const summary = (c) => ({
    id: c.id, name: c.name, org_number: c.org_number, status: c.status, processing: c.processing,
    sub_processors: c.sub_processor_ids.map((id) => processors.find((p) => p.id === id).name),
    transfers: c.transfers.length, dpa_reference: c.dpa_reference,
    missing_fields: c.dpa_reference ? [] : ['dpa_reference'],
  });
  const backend = {
    listClients: async () => { calls.push(['listClients']); return clients.map(summary); },
    listProcessors: async () => processors,
    getClient: async ({ id }) => ({ ...clients.find((c) => c.id === id), created_at: '', updated_at: '' }),
    addClient: async ({ client }) => {
      calls.push(['addClient', client]);
      const stored = { ...client, id: clients.length + 1 };
      clients.push(stored);
      return stored;
    },
    updateClient: async ({ id, client }) => {
      calls.push(['updateClient', id, client]);
      clients = clients.map((c) => (c.id === id ? { ...client, id } : c));
      return { ...client, id };
    },
    removeClient: async ({ id }) => { calls.push(['removeClient', id]); clients = clients.filter((c) => c.id !== id); return null; },
    exportProcessorRecord: async (args) => {
      calls.push(['exportProcessorRecord', args]);
      return { path: '/tmp/protokoll-databehandler-2026-05-12-datatilsynet.xlsx', format: args.format, lang: args.lang, bytes: 1, audit_head: '', audit_events: 0 };
    },
  };
  return { calls, backend };
}

afterEach(() => {
  ipc.setBackend(null);
  resetDocument();
  setLanguage('en');
});

describe('<client-list> and <client-page>', () => {
  it('add a controller with a sub-processor and a transfer, list it, and save the record', async () => {
    const { calls, backend } = standIn();
    ipc.setBackend(backend);
    const el = document.createElement('client-list');
    document.body.append(el);
    await until(() => $('clients-none'), { what: 'the empty list' });
    $('client-add').click();
    await until(() => $('client-sub-7'), { what: 'the form with the processors' });
    assert.equal($('client-sub-8'), null, 'a recipient is not offered as a sub-processor');
    type($('client-name'), 'Havbris Regnskap AS');
    type($('client-email'), 'post@havbris.example.no');
    type($('client-dpo-name'), 'Åse Ombudsen');
    type($('client-processing'), 'Lønnskjøring\n\n Regnskap ');
    $('client-sub-7').click();
    $('client-add-transfer').click();
    type($('client-transfers').querySelector('input[data-field=country]'), 'USA');
    choose($('client-transfers').querySelector('select[data-field=safeguard]'), 'adequacy_decision');
    type($('client-security'), 'Tofaktorinnlogging');
    $('client-save').click();
    await until(() => text('clients-saved'), { what: 'the saved message' });
    const [, sent] = calls.find(([name]) => name === 'addClient');
    assert.deepEqual(sent, {
      name: 'Havbris Regnskap AS', org_number: '', address: '', email: 'post@havbris.example.no', phone: '',
      representative: null, dpo: { name: 'Åse Ombudsen', email: '', phone: '', address: '' },
      dpa_reference: '', dpa_date: null, processing: ['Lønnskjøring', 'Regnskap'], sub_processor_ids: [7],
      transfers: [{ country: 'USA', recipient: '', safeguard: 'adequacy_decision', documentation: '' }],
      security_measures: ['Tofaktorinnlogging'], status: 'active', notes: '',
    });
    assert.match(text('clients-saved'), /Havbris Regnskap AS/);
    const row = document.querySelector('li[data-client-id]');
    assert.match(row.textContent, /Mintra Trainingportal/);
    assert.match(row.textContent, /1 transfer out of the EEA/);
    assert.match(row.textContent, /Missing: data processing agreement/);

    // The record in Datatilsynet's layout, in bokmål.
    choose($('processor-record-format'), 'xlsx-datatilsynet');
    choose($('processor-record-lang'), 'nb');
    $('processor-record-save').click();
    await until(() => text('processor-record-done'), { what: 'the record saved' });
    assert.deepEqual(calls.at(-1), ['exportProcessorRecord', { format: 'xlsx-datatilsynet', lang: 'nb' }]);
    assert.match(text('processor-record-done'), /datatilsynet\.xlsx/);
    el.remove();
  });

  it('opens a controller with what it holds, saves a change and removes it, in bokmål', async () => {
    const { calls, backend } = standIn();
    await backend.addClient({ client: {
      name: 'Gammel Kunde AS', org_number: '912 345 678', address: '', email: '', phone: '', representative: null, dpo: null,
      dpa_reference: 'HB-1', dpa_date: '2026-04-01', processing: ['Drift'], sub_processor_ids: [7], transfers: [],
      security_measures: [], status: 'active', notes: '',
    } });
    ipc.setBackend(backend);
    setLanguage('nb');
    const el = document.createElement('client-list');
    document.body.append(el);
    const row = await until(() => document.querySelector('li[data-client-id]'), { what: 'the list' });
    assert.match(el.textContent, /Databehandlers protokoll/);
    assert.match(row.textContent, /Aktiv/);
    row.querySelector('button').click();
    await until(() => $('client-name')?.value === 'Gammel Kunde AS', { what: 'the controller' });
    assert.equal($('client-sub-7').checked, true);
    assert.equal($('client-dpa-date').value, '2026-04-01');
    choose($('client-status'), 'ended');
    $('client-save').click();
    await until(() => text('clients-saved'), { what: 'saved' });
    const [, id, sent] = calls.find(([name]) => name === 'updateClient');
    assert.equal(id, 1);
    assert.equal(sent.status, 'ended');
    assert.deepEqual(sent.sub_processor_ids, [7]);
    assert.match(document.querySelector('li[data-client-id]').textContent, /Avsluttet/);

    document.querySelector('li[data-client-id] button').click();
    await until(() => $('client-remove'), { what: 'the remove button' });
    $('client-remove').click();
    $('client-remove-confirm').click();
    await until(() => $('clients-none'), { what: 'the empty list' });
    assert.deepEqual(calls.at(-2), ['removeClient', 1]);
    assert.match(text('clients-saved'), /fjernet/);
    el.remove();
  });
});

describe('the backend: the processor\'s record', () => {
  it('answers in the shapes the pages read and refuses a recipient as a sub-processor', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    await ipc.openDemo();
    const overview = await ipc.overview();
    assertShape(overview.counts, SHAPES.Counts, 'Counts');
    assert.equal(overview.counts.clients, 0);
    const processors = await ipc.listProcessors();
    const mintra = processors.find((p) => p.name === 'Mintra Trainingportal');
    const recipient = processors.find((p) => p.role === 'recipient');
    assert.ok(mintra && recipient, 'the demo has a processor and a recipient');
    const refused = await rejection(ipc.addClient({ client: { name: 'Avvist AS', sub_processor_ids: [recipient.id] } }));
    assert.equal(refused.kind, 'input.invalid');
    assert.equal(refused.details.field, 'sub_processor_ids');
    const client = {
      name: 'Havbris Regnskap AS', org_number: '912 345 678', address: '', email: 'post@havbris.example.no', phone: '',
      representative: null, dpo: { name: 'Åse Ombudsen', email: '', phone: '', address: '' },
      dpa_reference: 'HB-2026-04', dpa_date: '2026-04-01', processing: ['Lønnskjøring'], sub_processor_ids: [mintra.id],
      transfers: [{ country: 'USA', recipient: '', safeguard: 'standard_contractual_clauses', documentation: '' }],
      security_measures: ['Tofaktorinnlogging'], status: 'active', notes: '',
    };
    const stored = await ipc.addClient({ client });
    assertShape(stored, SHAPES.StoredClient, 'StoredClient');
    assertShape(stored.dpo, ['address', 'email', 'name', 'phone'], 'Contact');
    const list = await ipc.listClients();
    assert.equal(list.length, 1);
    assertShape(list[0], SHAPES.ClientSummary, 'ClientSummary');
    assert.deepEqual(list[0].sub_processors, ['Mintra Trainingportal']);
    const got = await ipc.getClient({ id: stored.id });
    assertShape(got, SHAPES.StoredClient, 'StoredClient');
    const updated = await ipc.updateClient({ id: stored.id, client: { ...client, status: 'ended' } });
    assert.equal(updated.status, 'ended');
    const inUse = await rejection(ipc.deleteProcessor({ id: mintra.id }));
    assert.equal(inUse.kind, 'in_use');
    assert.equal((await ipc.overview()).counts.clients, 1);
    await ipc.removeClient({ id: stored.id });
    assert.deepEqual(await ipc.listClients(), []);
  });
});
