// The privacy notice (Art. 13, 14): the changes in words (ui/lib/notice.js), <notice-page>
// mounted in the fake DOM on a stand-in backend (the preview in a frame that runs no
// script, publishing only after the confirmation, comparing two versions), the
// overview's panel, and the real backend (bridge.mjs) answering in the shapes the pages
// read.
import { choose, resetDocument, until } from './fake-dom.mjs'; // first: installs the DOM
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { UI, readJson } from './helpers.mjs';
import { startBridge } from './bridge.mjs';
import { SHAPES, assertShape } from './shapes.mjs';
import { setLanguage, useTranslations } from '../../ui/lib/i18n.js';
import * as ipc from '../../ui/lib/ipc.js';
import { changeText, ruleText } from '../../ui/lib/notice.js';
import '../../ui/components/notice-page.js';
import '../../ui/components/overview-page.js';

const en = readJson(join(UI, 'i18n', 'en.json'));
const nb = readJson(join(UI, 'i18n', 'nb.json'));
useTranslations({ en, nb });

const $ = (id) => document.getElementById(id);
const text = (id) => $(id)?.textContent ?? '';

const RETENTION = {
  kind: 'retention_changed',
  activity: 'Newsletter',
  category: 'Name',
  from: { trigger: 'unsubscribed', duration: { amount: 1, unit: 'months' }, justification: '' },
  to: { trigger: 'unsubscribed', duration: { amount: 2, unit: 'months' }, justification: '' },
};
const PUBLISHED_AT = '2026-05-12T09:30:00Z';
const HTML = '<!DOCTYPE html><html lang="en"><body><h1>Privacy notice</h1></body></html>';

afterEach(() => {
  ipc.setBackend(null);
  setLanguage('en');
  resetDocument();
});

describe('a change to the notice in words', () => {
  it('names a changed retention with both periods, in English and bokmål', () => {
    assert.equal(changeText(RETENTION),
      'Retention of Name in Newsletter changed from 1 month after unsubscribing to 2 months after unsubscribing.');
    assert.equal(ruleText(null), 'no storage period set');
    assert.equal(ruleText({ trigger: 'collected', duration: null, justification: 'x' }), 'until further notice');
    setLanguage('nb');
    assert.equal(changeText(RETENTION),
      'Lagringstiden for Name i Newsletter er endret fra 1 måned etter avmelding til 2 måneder etter avmelding.');
  });

  it('names processors, legal bases, rights and the controller by their labels', () => {
    assert.equal(changeText({ kind: 'processor_added', activity: 'Courses', processor: 'Mintra Trainingportal' }),
      'Courses: new processor: Mintra Trainingportal.');
    assert.equal(changeText({ kind: 'legal_basis_changed', activity: 'Newsletter', from: ['consent'], to: [] }),
      'Newsletter: the legal basis changed from Consent (Art. 6(1)(a)) to none.');
    assert.equal(changeText({ kind: 'right_added', right: 'object_direct_marketing' }),
      'New right in the notice: Right to object to direct marketing (Art. 21(2)).');
    assert.equal(changeText({ kind: 'controller_changed', fields: ['email', 'dpo'] }),
      "The controller's contact details changed: e-mail and data protection officer.");
    assert.equal(changeText({ kind: 'transfer_added', activity: 'Ads', country: 'United States', recipient: 'Google LLC' }),
      'Ads: new transfer out of the EU/EEA: Google LLC (United States).');
  });
});

/** A stand-in for the core's notice: one version published, then a retention changed. */
function standIn() {
  const calls = [];
  const versions = [
    { id: 2, lang: 'en', published_at: '2026-05-13T10:00:00Z', activities: 9 },
    { id: 1, lang: 'en', published_at: PUBLISHED_AT, activities: 9 },
  ];
  const status = { activities: 9, published: [], drafts_left_out: ['Website statistics'], without_text: [], unconfirmed: [] };
  const backend = {
    noticePreview: async ({ lang }) => {
      calls.push(['noticePreview', lang]);
      return { lang, html: HTML, drift: { lang, version_id: 2, published_at: PUBLISHED_AT, changes: [RETENTION] }, status };
    },
    listNotices: async () => { calls.push(['listNotices']); return versions; },
    publishNotice: async ({ lang }) => {
      calls.push(['publishNotice', lang]);
      return { id: 3, lang, published_at: '2026-05-14T08:00:00Z', activities: 9 };
    },
    noticeDiff: async ({ a, b }) => { calls.push(['noticeDiff', a, b]); return [RETENTION]; },
    exportNotice: async (args) => { calls.push(['exportNotice', args]); return { path: '/tmp/privacy-notice-2026-05-14.html' }; },
  };
  return { backend, calls };
}

describe('<notice-page>', () => {
  it('previews the file in a frame without scripts, publishes only when confirmed, compares and saves', async () => {
    const { backend, calls } = standIn();
    ipc.setBackend(backend);
    const page = document.createElement('notice-page');
    document.body.append(page);
    await until(() => $('notice-preview'), { what: 'the preview' });
    const frame = $('notice-preview');
    assert.equal(frame.localName, 'iframe');
    assert.equal(frame.getAttribute('sandbox'), '', 'sandboxed with nothing allowed: no scripts');
    assert.equal(frame.getAttribute('srcdoc'), HTML);
    assert.match(text('notice-drift'), /out of date: 1 change since/);
    assert.match(text('notice-changes'), /Retention of Name in Newsletter changed from 1 month after unsubscribing to 2 months/);
    assert.match(text('notice-gaps'), /still drafts, so left out: Website statistics/);

    // Publishing asks first; cancelling publishes nothing.
    $('notice-publish').click();
    assert.match(text('notice-publish-question'), /Publish the privacy notice in English/);
    $('notice-publish-cancel').click();
    assert.equal(calls.filter(([c]) => c === 'publishNotice').length, 0);
    $('notice-publish').click();
    $('notice-publish-confirm').click();
    await until(() => text('notice-published').includes('version 3'), { what: 'the published message' });
    assert.deepEqual(calls.filter(([c]) => c === 'publishNotice'), [['publishNotice', 'en']]);
    const idle = () => until(() => !page.hasAttribute('aria-busy'), { what: 'the page to be idle' });
    await idle();

    // The language chosen is the notice's: the preview follows it.
    choose($('notice-lang'), 'nb');
    await until(() => calls.some(([c, l]) => c === 'noticePreview' && l === 'nb'), { what: 'the bokmål preview' });
    await idle();

    // Two versions compared: the newest against the one before, by default.
    await until(() => $('notice-compare'), { what: 'the compare form' });
    $('notice-compare').click();
    await until(() => $('notice-compare-result'), { what: 'the comparison' });
    await idle();
    assert.deepEqual(calls.find(([c]) => c === 'noticeDiff'), ['noticeDiff', 1, 2]);
    assert.match(text('notice-compare-result'), /1 change:.*Retention of Name/);

    // Saved as PDF; a version as HTML.
    choose($('notice-format'), 'pdf');
    $('notice-save').click();
    await until(() => text('notice-saved').includes('/tmp/privacy-notice'), { what: 'the saved message' });
    await idle();
    $('notice-version-save-1').click();
    await until(() => calls.filter(([c]) => c === 'exportNotice').length === 2, { what: 'the version saved' });
    assert.deepEqual(calls.filter(([c]) => c === 'exportNotice').map(([, a]) => a), [
      { lang: 'nb', format: 'pdf', version: null },
      { lang: 'en', format: 'html', version: 1 },
    ]);
  });
});

describe('the overview', () => {
  it('says when the published notice is out of date, naming the change', async () => {
    const overview = {
      controller: null,
      counts: { activities: 1, subjects: 0, records: 0, processors: 0, drafts: 0, missing_fields: 0, review_overdue: 0,
        unconfirmed_proposals: 0, notifications_open: 0, breaches_open: 0 },
      activities: [],
      audit: { events: 1, first_broken: null, head_hash: 'ab' },
      requests: { due_soon: 0, extension_reminders: 0, open: 0, overdue: 0, requests: [], today: '2026-05-13' },
      breaches: [],
      notice: { activities: 1, published: [{ lang: 'en', version_id: 1, published_at: PUBLISHED_AT, changes: [RETENTION] }],
        drafts_left_out: [], without_text: [], unconfirmed: [] },
    };
    ipc.setBackend({ overview: async () => overview });
    const el = document.createElement('overview-page');
    document.body.append(el);
    await until(() => $('overview-notice'), { what: 'the notice panel' });
    assert.match(text('overview-notice'), /The published privacy notice \(English, .*\) is out of date: 1 change since/);
    assert.match(text('overview-notice-changes-en'), /Retention of Name in Newsletter changed from 1 month after unsubscribing/);
    assert.ok($('overview-notice-open'));
    el.remove();

    // Up to date: no panel.
    overview.notice.published[0].changes = [];
    const again = document.createElement('overview-page');
    document.body.append(again);
    await until(() => $('overview-requests'), { what: 'the overview' });
    assert.equal($('overview-notice'), null);
  });
});

describe('the backend: the privacy notice', () => {
  it('answers in the shapes the pages read', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    await ipc.openDemo();
    const overview = await ipc.overview();
    assertShape(overview, SHAPES.Overview, 'Overview');
    assertShape(overview.notice, SHAPES.NoticeStatus, 'NoticeStatus');
    const preview = await ipc.noticePreview({ lang: 'en' });
    assertShape(preview, SHAPES.NoticePreview, 'NoticePreview');
    assert.equal(preview.drift, null);
    assert.match(preview.html, /^<!DOCTYPE html>/);
    const version = await ipc.publishNotice({ lang: 'en' });
    assertShape(version, SHAPES.NoticeVersionSummary, 'NoticeVersionSummary');
    const [listed] = await ipc.listNotices();
    assertShape(listed, SHAPES.NoticeVersionSummary, 'NoticeVersionSummary');
    const after = await ipc.noticePreview({ lang: 'en' });
    assertShape(after.drift, SHAPES.NoticeDrift, 'NoticeDrift');
    assert.deepEqual(after.drift.changes, []);
    assert.deepEqual(await ipc.noticeDiff({ a: version.id, b: version.id }), []);
    const editor = await ipc.editActivity({ id: overview.activities[0].id });
    assertShape(editor.activity, SHAPES.Activity, 'Activity');
  });

  it('marks the approved activities left out in one step from <notice-page>', async () => {
    const bridge = await startBridge();
    await bridge.reset();
    await ipc.openDemo();
    const before = (await ipc.noticePreview({ lang: 'en' })).status;
    // The demo leaves bookkeeping out of the notice, as its template does.
    assert.ok(before.not_marked.includes('Accounting'), JSON.stringify(before.not_marked));
    const page = document.createElement('notice-page');
    document.body.append(page);
    await until(() => $('notice-mark-approved'), { what: 'the button for the activities left out' });
    assert.match(text('notice-not-marked'), /not marked for the notice, so the notice does not describe (it|them): .*Accounting/);
    $('notice-mark-approved').click();
    await until(() => text('notice-marked').includes('now described in the notice'), { what: 'the marked message' });
    assert.equal($('notice-mark-approved'), null, 'nothing left to mark');
    const after = (await ipc.noticePreview({ lang: 'en' })).status;
    assert.deepEqual(after.not_marked, []);
    assert.equal(after.activities, before.activities + before.not_marked.length);
    assert.match(text('notice-gaps'), new RegExp(`It describes ${after.activities} processing activities`));
  });
});
