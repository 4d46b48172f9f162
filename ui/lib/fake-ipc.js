// An in-memory stand-in for the Rust backend, used when the UI runs outside Tauri
// (a plain browser, node tests). Same methods as ipc.js, same JSON shapes, same error
// objects {kind, message, details}. Nothing is saved; all data is invented.
//
// In the browser preview: "Open a register file…" offers an existing register whose
// passphrase is "correct horse battery" and recovery key "ABCD-EFGH-JKLM-NPQR"; the
// demo register, once locked, unlocks with any passphrase.

const MIN_PASSPHRASE = 10;
const EXAMPLE_PATH = '/home/demo/Documents/Example Consulting AS.privreg';
const DEMO_PATH = '/demo/Demo register.privreg';

const clone = (value) => structuredClone(value);
const failure = (kind, message, details = {}) => ({ kind, message, details });
const normaliseKey = (key) => String(key ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
const fileName = (path) => path.split(/[\\/]/).pop();

export function createFakeBackend({ latency = 0, keychainAvailable = true, now = () => new Date() } = {}) {
  const files = new Map([
    [EXAMPLE_PATH, { passphrase: 'correct horse battery', recoveryKey: 'ABCD-EFGH-JKLM-NPQR', remembered: false, data: demoData(now()) }],
    [DEMO_PATH, { passphrase: null, recoveryKey: null, remembered: true, data: demoData(now()) }],
  ]);
  const status = {
    state: 'welcome',
    path: null,
    file_name: null,
    read_only: false,
    keychain: {
      available: keychainAvailable,
      has_key: false,
      message: keychainAvailable ? null : 'No keychain was found on this computer, so the passphrase has to be typed.',
    },
    settings: { language: 'en', auto_lock_minutes: 10 },
    recent: [EXAMPLE_PATH],
    version: '0.1.0 (browser preview)',
  };
  const lockListeners = new Set();
  const csvListeners = new Set();
  let idleTimer = null;
  let csv = null; // the open CSV file: {activityId, encoding, delimiter, table}
  let csvJob = null; // the running check or import: {cancelled}
  const csvMappings = new Map(); // activity id → the mapping of its last import

  const wait = () => new Promise((resolve) => setTimeout(resolve, latency));
  const current = () => files.get(status.path);

  function setState(state, path = status.path) {
    status.state = state;
    status.path = state === 'welcome' ? null : path;
    status.file_name = status.path ? fileName(status.path) : null;
    status.keychain.has_key = Boolean(status.path && current()?.remembered && keychainAvailable);
    if (state === 'unlocked') restartIdleTimer();
    else clearTimeout(idleTimer);
    return clone(status);
  }

  function remember(path) {
    status.recent = [path, ...status.recent.filter((p) => p !== path)].slice(0, 8);
  }

  function restartIdleTimer() {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => lockFor('idle'), status.settings.auto_lock_minutes * 60_000);
    idleTimer?.unref?.(); // node: never keep a test process alive
  }

  function lockFor(reason) {
    if (status.state !== 'unlocked') return;
    setState('locked');
    for (const listener of lockListeners) listener({ reason });
  }

  function requireUnlocked() {
    if (status.state === 'welcome') throw failure('app.no_register', 'no register is open');
    if (status.state === 'locked') throw failure('app.locked', 'the register is locked');
    return current().data;
  }

  function checkPassphrase(passphrase) {
    if ([...String(passphrase ?? '')].length < MIN_PASSPHRASE) {
      throw failure('vault.weak_passphrase', 'passphrase too short', { min: MIN_PASSPHRASE });
    }
  }

  function summary(subject) {
    const { id, name, email, phone, records, restricted, marketing_objection } = subject;
    // Like the backend: an absent e-mail or phone is an empty string.
    return { id, name, email: email ?? '', phone: phone ?? '', records, restricted, marketing_objection };
  }

  function overviewOf(data) {
    const today = now();
    const yearAgo = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth(), today.getUTCDate()));
    const activities = data.activities;
    return {
      controller: data.controller,
      counts: {
        activities: activities.length,
        subjects: data.subjects.length,
        records: data.subjects.reduce((sum, s) => sum + s.records, 0),
        processors: data.processorList.length,
        drafts: activities.filter((a) => a.status === 'draft').length,
        missing_fields: activities.filter((a) => a.missing_fields.length > 0).length,
        review_overdue: activities.filter((a) => !a.last_reviewed || new Date(a.last_reviewed) < yearAgo).length,
      },
      activities,
      audit: data.audit,
      requests: (() => {
        const open = (data.requests ?? []).filter((r) => isOpen(r)).map((r) => requestRow(data, r));
        return {
          today: now().toISOString().slice(0, 10),
          open: open.length,
          overdue: open.filter((r) => r.deadline.overdue).length,
          due_soon: open.filter((r) => r.deadline.due_soon).length,
          requests: open,
        };
      })(),
    };
  }

  const isOpen = (r) => !['completed', 'refused'].includes(r.status);

  /** A request with its deadline as the backend computes it (one calendar month, clamped). */
  function requestRow(data, r) {
    const due = (months) => {
      const [y, m, d] = r.received_on.split('-').map(Number);
      const last = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
      return new Date(Date.UTC(y, m - 1 + months, Math.min(d, last))).toISOString().slice(0, 10);
    };
    const effective = due(1 + r.extension_months);
    const today = now().toISOString().slice(0, 10);
    const days = Math.round((Date.parse(effective) - Date.parse(today)) / 86_400_000);
    const open = isOpen(r);
    return {
      ...clone(r),
      subject_name: data.subjects.find((s) => s.id === r.subject_id)?.name ?? null,
      deadline: {
        received_on: r.received_on, due_on: due(1), extension_months: r.extension_months, effective_due_on: effective,
        days_left: open ? days : null, overdue: open && days < 0, due_soon: open && days >= 0 && days <= 7,
      },
    };
  }

  function requestPageOf(data, r) {
    const subject = data.subjects.find((s) => s.id === r.subject_id);
    return {
      ...requestRow(data, r),
      actions: clone(r.actions),
      receipt: r.receipt ? clone(r.receipt) : null,
      subject: subject ? { name: subject.name, email: subject.email ?? '', phone: subject.phone ?? '' } : null,
    };
  }

  function findRequest(data, id) {
    const r = (data.requests ?? []).find((x) => x.id === id);
    if (!r) throw failure('not_found', `no request with id ${id}`);
    if (!isOpen(r)) throw failure('input.invalid', 'the request is closed', { field: 'status', problem: 'the request is closed' });
    return r;
  }

  function requestStep(r, action, changes = {}) {
    Object.assign(r, changes);
    r.actions.push({ at: now().toISOString(), action, detail: '' });
  }

  const event = (data, action, entity, entity_id, subject_id, fields = [], reason = null) => ({
    seq: ++data.audit.events,
    at: now().toISOString(),
    actor: 'operator',
    action,
    entity,
    entity_id,
    subject_id,
    fields,
    reason,
  });

  function findSubject(data, id) {
    const subject = data.subjects.find((s) => s.id === id);
    if (!subject) throw failure('not_found', `no data subject with id ${id}`);
    return subject;
  }

  /** Records, consents and history of a demo subject, invented on first use. */
  function detailsOf(data, subject) {
    if (data.details.has(subject.id)) return data.details.get(subject.id);
    const created = new Date(Date.UTC(2024, 0, 1) + subject.id * 3 * 86_400_000).toISOString();
    const day = created.slice(0, 10);
    const activityFor = (n) => ['act-1', 'act-2', 'act-3'][(subject.id + n) % 3];
    const sample = [
      ['Name', subject.name, 'The person'],
      ['E-mail', subject.email, 'The person'],
      ['Phone', subject.phone, 'The person'],
      ['Postal address', `Storgata ${subject.id}, 0155 Oslo`, 'The person'],
      ['Customer number', `K-${10000 + subject.id}`, 'CRM system'],
      ['Course', 'Privacy basics, spring term', 'Course sign-up form'],
      ['Certificate', 'Issued', 'Course administration'],
    ].filter(([, value]) => value);
    const records = Array.from({ length: subject.records }, (_, n) => {
      const [category, value, source] = sample[n % sample.length];
      return {
        id: data.nextId++, subject_id: subject.id, activity_id: activityFor(n), category, value, source,
        collected_on: day, created_at: created, updated_at: created,
      };
    });
    const consents = [{ id: data.nextId++, subject_id: subject.id, activity_id: 'act-2', purpose: 'Newsletter by e-mail', kind: 'consent_given', method: 'Web form', at: created }];
    if (subject.marketing_objection) {
      consents.push({ id: data.nextId++, subject_id: subject.id, activity_id: 'act-2', purpose: 'Direct marketing', kind: 'objection', method: 'E-mail', at: `${subject.updated}T09:30:00.000Z` });
    }
    const old = (action, entity, entity_id, fields = []) =>
      ({ seq: 0, at: created, actor: 'operator', action, entity, entity_id, subject_id: subject.id, fields, reason: null });
    const history = [
      old('subject.created', 'subject', subject.id, ['name', 'email', 'phone'].filter((f) => subject[f])),
      ...records.map((r) => old('record.created', 'record', r.id, ['category', 'value'])),
      ...consents.map((c) => old(c.kind === 'objection' ? 'objection.recorded' : 'consent.given', 'consent', c.id)),
    ];
    history.forEach((e, n) => { e.seq = n + 1; });
    const details = { records, consents, history, created };
    data.details.set(subject.id, details);
    return details;
  }

  function pageOf(data, subject) {
    const details = detailsOf(data, subject);
    subject.records = details.records.length;
    return clone({
      subject: {
        id: subject.id, name: subject.name, email: subject.email ?? '', phone: subject.phone ?? '',
        restricted: subject.restricted, marketing_objection: subject.marketing_objection,
        created_at: details.created, updated_at: details.updated_at ?? `${subject.updated}T10:00:00.000Z`,
      },
      records: details.records,
      consents: details.consents,
      activities: data.activities.map(({ id, name }) => ({ id, name })),
      history: [...details.history].reverse(), // newest first
    });
  }

  function requireReason(reason) {
    const text = String(reason ?? '').trim();
    if (!text) throw failure('input.invalid', 'a reason is required', { field: 'reason', problem: 'missing' });
    return text;
  }

  /** The subject that may be changed: exists, not restricted (Art. 18), file writable. */
  function changeable(id) {
    const data = requireUnlocked();
    if (status.read_only) throw failure('vault.read_only', 'the register is read-only');
    const subject = findSubject(data, id);
    if (subject.restricted) throw failure('subject.restricted', 'processing of this person is restricted (Art. 18)');
    return { data, subject, details: detailsOf(data, subject) };
  }

  function findRecord(id) {
    const data = requireUnlocked();
    for (const subject of data.subjects) {
      const details = data.details.get(subject.id);
      const record = details?.records.find((r) => r.id === id);
      if (record) return { subject, record };
    }
    throw failure('not_found', `no record with id ${id}`);
  }


  // CSV import. The "file" is FAKE_CSV below, as if saved by Excel on Windows
  // (Windows-1252, ";"). Rows are checked one at a time with a pause, so the progress
  // events and Cancel can be seen in the browser preview.

  function csvActivity(data, id) {
    const summary = data.activities.find((a) => a.id === id);
    if (!summary) throw failure('not_found', `no activity with id ${id}`);
    return { summary, categories: bodyOf(data, summary).data_categories.map((c) => c.name) };
  }

  function openedCsv(data) {
    if (!csv) throw failure('transfer.csv', 'the CSV file cannot be read: no file is open; choose one first');
    const { summary, categories } = csvActivity(data, csv.activityId);
    const remembered = csvMappings.get(csv.activityId);
    const fits = remembered && remembered.columns.every((m) => csv.table.headers.some((h) => squash(h) === squash(m.column)));
    return clone({
      file_name: FAKE_CSV.file_name,
      encoding: csv.encoding,
      delimiter: csv.delimiter,
      headers: csv.table.headers,
      rows: csv.table.rows.slice(0, 8).map((r) => r.fields),
      total_rows: csv.table.rows.length,
      mapping: fits ? remembered : suggestMapping(csv.table.headers, categories),
      remembered: Boolean(fits),
      activity: summary.name,
      categories,
    });
  }

  function readCsv(activityId, { encoding = null, delimiter = null } = {}) {
    const enc = encoding ?? 'windows1252';
    if (!ENCODINGS.includes(enc)) throw failure('input.invalid', 'invalid encoding: unknown', { field: 'encoding', problem: 'unknown encoding' });
    const text = decodeFake(FAKE_CSV.text, enc);
    const lines = text.split('\n');
    const sep = delimiter ?? detectDelimiter(lines[0]);
    if (![';', ',', '\t', '|'].includes(sep)) throw failure('input.invalid', 'invalid delimiter: unknown', { field: 'delimiter', problem: 'use ; , tab or |' });
    const headers = lines[0].split(sep).map((h) => h.trim());
    const rows = lines.slice(1)
      .map((line, n) => ({ line: n + 2, fields: line.split(sep) }))
      .filter((r) => r.fields.join('').length > 0 || r.fields.length > 1);
    csv = { activityId, encoding: enc, delimiter: sep, table: { headers, rows } };
  }

  function emitCsvProgress(payload) {
    for (const listener of csvListeners) listener({ ...payload });
  }

  /** One pause per row, and the check for Cancel. */
  async function csvStep(job, phase, done, total) {
    emitCsvProgress({ phase, done, total });
    await new Promise((resolve) => setTimeout(resolve, latency / 5));
    if (job.cancelled) throw failure('transfer.cancelled', 'the import was cancelled; nothing was written');
  }

  /** What importing the open file would do: the report and the changes, not yet made. */
  async function csvCheck(data, job, mapping) {
    const { categories } = csvActivity(data, csv.activityId);
    const { headers, rows } = csv.table;
    checkCsvMapping(mapping, headers, categories);
    const index = (column) => headers.findIndex((h) => squash(h) === squash(column));
    const only = (target) => mapping.columns.filter((m) => m.target === target).map((m) => index(m.column))[0] ?? -1;
    const cols = { name: only('name'), first: only('first_name'), last: only('last_name'), email: only('email'), phone: only('phone') };
    const records = mapping.columns.filter((m) => typeof m.target === 'object').map((m) => ({ at: index(m.column), category: m.target.category }));
    const report = {
      activity_id: csv.activityId, rows: rows.length, new_subjects: 0, merged: 0, skipped: 0, rejected: 0, records: 0,
      skipped_rows: [], rejected_rows: [], written: false,
    };
    const reject = (line, at, problem) => {
      const column = at >= 0 ? headers[at] : null;
      report.rejected += 1;
      report.rejected_rows.push({ line, column, reason: column ? `column "${column}": ${problem}` : problem });
    };
    const changes = [];
    const seen = new Map(); // e-mail or phone → first line
    const digits = (phone) => String(phone ?? '').replace(/[^\d+]/g, '');
    for (const [n, row] of rows.entries()) {
      await csvStep(job, 'checking', n, rows.length);
      const get = (at) => (at >= 0 ? String(row.fields[at] ?? '').trim() : '');
      if (row.fields.length > headers.length && row.fields.slice(headers.length).some((f) => f.trim())) {
        reject(row.line, -1, `the row has ${row.fields.length} values but the header has ${headers.length} columns`);
        continue;
      }
      if (row.fields.every((f) => !f.trim())) {
        report.skipped += 1;
        report.skipped_rows.push({ line: row.line, column: null, reason: 'the row is empty' });
        continue;
      }
      const name = cols.name >= 0 ? get(cols.name) : `${get(cols.first)} ${get(cols.last)}`.trim();
      const email = get(cols.email);
      const phone = get(cols.phone);
      if (!name) { reject(row.line, cols.name >= 0 ? cols.name : cols.first, 'the name is empty'); continue; }
      if (email && !EMAIL_PATTERN.test(email)) { reject(row.line, cols.email, 'not an e-mail address'); continue; }
      const key = email ? email.toLowerCase() : (mapping.match_phone && phone ? digits(phone) : null);
      if (key && seen.has(key)) {
        report.skipped += 1;
        report.skipped_rows.push({ line: row.line, column: null, reason: `the same as line ${seen.get(key)}` });
        continue;
      }
      if (key) seen.set(key, row.line);
      const existing = email
        ? data.subjects.find((s) => (s.email ?? '').toLowerCase() === email.toLowerCase())
        : mapping.match_phone && phone ? data.subjects.find((s) => s.phone && digits(s.phone) === digits(phone)) : null;
      if (existing?.restricted) { reject(row.line, email ? cols.email : cols.phone, `subject ${existing.id} is restricted (Art. 18): its data is frozen`); continue; }
      const values = records.map((r) => ({ category: r.category, value: get(r.at) })).filter((r) => r.value);
      if (existing) report.merged += 1;
      else report.new_subjects += 1;
      report.records += values.length;
      changes.push({ existing, subject: { name, email, phone }, values });
    }
    emitCsvProgress({ phase: 'checking', done: rows.length, total: rows.length });
    return { report, changes };
  }

  /** Run one check or import at a time; Cancel (or closing the file) stops it. */
  async function csvRun(task) {
    const data = requireUnlocked();
    if (!csv) throw failure('transfer.csv', 'the CSV file cannot be read: no file is open; choose one first');
    if (csvJob) throw failure('transfer.busy', 'an import is already running');
    const job = { cancelled: false };
    csvJob = job;
    try {
      return await task(data, job);
    } finally {
      csvJob = null;
    }
  }

  function writeCsv(data, activityId, changes, { source, collected_on }) {
    const created = now().toISOString();
    const day = collected_on ?? created.slice(0, 10);
    const entry = data.activities.find((a) => a.id === activityId);
    for (const change of changes) {
      let subject = change.existing;
      if (!subject) {
        const id = Math.max(0, ...data.subjects.map((s) => s.id)) + 1;
        subject = { id, name: change.subject.name, email: change.subject.email || null, phone: change.subject.phone || null, records: 0, restricted: false, marketing_objection: false, updated: created.slice(0, 10) };
        data.subjects.push(subject);
        data.details.set(id, { records: [], consents: [], history: [event(data, 'subject.created', 'subject', id, id, ['name', 'email', 'phone'].filter((f) => change.subject[f]), 'CSV import')], created });
      }
      const details = detailsOf(data, subject);
      for (const { category, value } of change.values) {
        const record = { id: data.nextId++, subject_id: subject.id, activity_id: activityId, category, value, source: source || 'CSV import', collected_on: day, created_at: created, updated_at: created };
        details.records.push(record);
        details.history.push(event(data, 'record.created', 'record', record.id, subject.id, ['category', 'value'], 'CSV import'));
      }
      subject.records = details.records.length;
      subject.updated = created.slice(0, 10);
      entry.subjects += change.existing ? 0 : 1;
      entry.records += change.values.length;
    }
  }

  const api = {
    async appStatus() {
      await wait();
      return clone(status);
    },
    async chooseNewRegisterPath() {
      await wait();
      let path = '/home/demo/Documents/New register.privreg';
      for (let n = 2; files.has(path); n++) path = `/home/demo/Documents/New register ${n}.privreg`;
      return path;
    },
    async chooseRegisterFile() {
      await wait();
      return EXAMPLE_PATH;
    },
    async createRegister({ path, passphrase, remember_on_device } = {}) {
      await wait();
      if (!path) throw failure('input.invalid', 'path is missing', { field: 'path', problem: 'missing' });
      checkPassphrase(passphrase);
      if (files.has(path)) throw failure('vault.exists', 'a file already exists at this path');
      const data = { controller: null, activities: [], subjects: [], processorList: [], bodies: new Map(), recipients: {}, details: new Map(), nextId: 1, audit: { events: 1, head_hash: fakeHash(path), first_broken: null } };
      files.set(path, { passphrase, recoveryKey: 'WXYZ-2345-6789-ABCD', remembered: Boolean(remember_on_device && keychainAvailable), data });
      remember(path);
      return setState('unlocked', path);
    },
    async openRegister({ path } = {}) {
      await wait();
      const file = files.get(path);
      if (!file) throw failure('vault.missing', 'the register file does not exist');
      remember(path);
      return setState(file.remembered && keychainAvailable ? 'unlocked' : 'locked', path);
    },
    async unlock({ passphrase, remember_on_device } = {}) {
      await wait();
      if (status.state === 'welcome') throw failure('app.no_register', 'no register is open');
      const file = current();
      if (!passphrase || (file.passphrase !== null && passphrase !== file.passphrase)) throw failure('vault.wrong_passphrase', 'wrong passphrase');
      if (remember_on_device && keychainAvailable) file.remembered = true;
      return setState('unlocked');
    },
    async unlockWithRecoveryKey({ recovery_key, new_passphrase } = {}) {
      await wait();
      if (status.state === 'welcome') throw failure('app.no_register', 'no register is open');
      const file = current();
      if (!file.recoveryKey || normaliseKey(recovery_key) !== normaliseKey(file.recoveryKey)) {
        throw failure('vault.bad_recovery_key', 'the recovery key does not fit this register');
      }
      checkPassphrase(new_passphrase);
      file.passphrase = new_passphrase;
      return setState('unlocked');
    },
    async openDemo() {
      await wait();
      remember(DEMO_PATH);
      return setState('unlocked', DEMO_PATH);
    },
    async lock() {
      await wait();
      if (status.state === 'welcome') throw failure('app.no_register', 'no register is open');
      lockFor('user');
      return clone(status);
    },
    async closeRegister() {
      await wait();
      return setState('welcome');
    },
    async overview() {
      await wait();
      return clone(overviewOf(requireUnlocked()));
    },
    async listSubjects({ offset = 0, limit = 50, sort = 'name', descending = false } = {}) {
      await wait();
      const keys = { name: 'name', email: 'email', created: 'id', updated: 'updated' };
      if (!keys[sort]) throw failure('input.invalid', 'unknown sort column', { field: 'sort', problem: 'unknown' });
      const key = keys[sort];
      const sorted = [...requireUnlocked().subjects].sort((a, b) =>
        String(a[key] ?? '').localeCompare(String(b[key] ?? ''), 'nb', { numeric: true }),
      );
      if (descending) sorted.reverse();
      return { total: sorted.length, offset, items: sorted.slice(offset, offset + limit).map(summary) };
    },
    async searchSubjects({ query = '', limit = 200 } = {}) {
      await wait();
      const words = query.toLowerCase().split(/\s+/).filter(Boolean);
      return requireUnlocked()
        .subjects.filter((s) => {
          const text = [s.name, s.email, s.phone].join(' ').toLowerCase();
          return words.every((word) => text.includes(word));
        })
        .slice(0, limit)
        .map(summary);
    },
    async saveSettings({ language, auto_lock_minutes } = {}) {
      await wait();
      if (!['en', 'nb'].includes(language)) {
        throw failure('input.invalid', 'unknown language', { field: 'language', problem: 'unknown' });
      }
      if (!Number.isInteger(auto_lock_minutes) || auto_lock_minutes < 1 || auto_lock_minutes > 240) {
        throw failure('input.invalid', 'auto-lock minutes out of range', { field: 'auto_lock_minutes', problem: 'out_of_range' });
      }
      status.settings = { language, auto_lock_minutes };
      if (status.state === 'unlocked') restartIdleTimer();
      return clone(status);
    },
    async changePassphrase({ current: given, new_passphrase } = {}) {
      await wait();
      requireUnlocked();
      const file = current();
      // The demo (no passphrase of its own) accepts any current passphrase, as unlock() does.
      if (!given || (file.passphrase !== null && given !== file.passphrase)) {
        throw failure('vault.wrong_passphrase', 'wrong passphrase', null);
      }
      checkPassphrase(new_passphrase);
      file.passphrase = new_passphrase;
      file.recoveryKey = 'QRST-UVWX-YZ23-4567'; // a new key; the old one stops working
      return clone(status);
    },
    async setKeychain({ remember } = {}) {
      await wait();
      requireUnlocked();
      if (!keychainAvailable) throw failure('keychain.unavailable', 'no keychain on this computer');
      current().remembered = Boolean(remember);
      return setState('unlocked');
    },
    async controllerProfile() {
      await wait();
      return clone(requireUnlocked().controller ?? null);
    },
    async saveController({ controller } = {}) {
      await wait();
      const data = requireUnlocked();
      if (status.read_only) throw failure('vault.read_only', 'the register is read-only');
      const c = controller ?? {};
      const text = (value) => String(value ?? '').trim();
      const person = (p, withPhone = true) => ({ name: text(p?.name), email: text(p?.email), phone: withPhone ? text(p?.phone) : '', address: text(p?.address) });
      const next = {
        organisation: text(c.organisation),
        org_number: text(c.org_number),
        address: text(c.address),
        email: text(c.email),
        phone: text(c.phone),
        website: text(c.website),
        contact_person: person(c.contact_person),
        dpo: c.dpo ? person(c.dpo) : null,
        representative: c.representative ? person(c.representative) : null,
        supervisory_authority: text(c.supervisory_authority),
      };
      if (!next.organisation) {
        throw failure('input.invalid', 'the organisation is required', { field: 'organisation', problem: 'required' });
      }
      if (next.email && !next.email.includes('@')) {
        throw failure('input.invalid', 'not an e-mail address', { field: 'email', problem: 'invalid' });
      }
      data.controller = next;
      return clone(next);
    },
    async viewSubject({ id } = {}) {
      await wait();
      const data = requireUnlocked();
      const subject = findSubject(data, id);
      detailsOf(data, subject).history.push(event(data, 'subject.viewed', 'subject', id, id));
      return pageOf(data, subject);
    },
    async rectifySubject({ id, name, email, phone, reason } = {}) {
      await wait();
      const { data, subject, details } = changeable(id);
      const next = { name: String(name ?? '').trim(), email: String(email ?? '').trim(), phone: String(phone ?? '').trim() };
      if (!next.name) throw failure('input.invalid', 'the name is required', { field: 'name', problem: 'missing' });
      if (next.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(next.email)) {
        throw failure('input.invalid', 'not an e-mail address', { field: 'email', problem: 'invalid' });
      }
      const why = requireReason(reason);
      const fields = Object.keys(next).filter((key) => next[key] !== (subject[key] ?? ''));
      Object.assign(subject, { name: next.name, email: next.email || null, phone: next.phone || null, updated: now().toISOString().slice(0, 10) });
      details.updated_at = now().toISOString();
      details.history.push(event(data, 'subject.rectified', 'subject', id, id, fields, why));
      return pageOf(data, subject);
    },
    async rectifyRecord({ id, value, reason } = {}) {
      await wait();
      const { subject, record } = findRecord(id);
      const { data, details } = changeable(subject.id);
      const text = String(value ?? '').trim();
      if (!text) throw failure('input.invalid', 'the value is required', { field: 'value', problem: 'missing' });
      const why = requireReason(reason);
      Object.assign(record, { value: text, updated_at: now().toISOString() });
      details.history.push(event(data, 'record.rectified', 'record', id, subject.id, ['value'], why));
      return pageOf(data, subject);
    },
    async deleteRecord({ id, reason } = {}) {
      await wait();
      const { subject } = findRecord(id);
      const { data, details } = changeable(subject.id);
      const why = requireReason(reason);
      details.records = details.records.filter((r) => r.id !== id);
      details.history.push(event(data, 'record.deleted', 'record', id, subject.id, [], why));
      return pageOf(data, subject);
    },
    async eraseSubject({ id, reason } = {}) {
      await wait();
      const data = requireUnlocked();
      if (status.read_only) throw failure('vault.read_only', 'the register is read-only');
      const subject = findSubject(data, id);
      const why = requireReason(reason);
      const { records, consents } = detailsOf(data, subject);
      const per_activity = data.activities
        .map((a) => [a.id, a.name, records.filter((r) => r.activity_id === a.id).length])
        .filter(([, , count]) => count > 0);
      const notify = [...new Set(per_activity.flatMap(([activityId]) => data.recipients[activityId] ?? []))];
      data.subjects = data.subjects.filter((s) => s.id !== id);
      data.details.delete(id);
      event(data, 'subject.erased', 'subject', id, null, [], why); // counted; the history went with the person
      return { subject_id: id, records: records.length, consent_events: consents.length, per_activity, notify };
    },
    async listActivities() {
      await wait();
      return clone(requireUnlocked().activities);
    },
    async editActivity({ id } = {}) {
      await wait();
      const data = requireUnlocked();
      const summary = data.activities.find((a) => a.id === id);
      if (!summary) throw failure('not_found', `no activity with id ${id}`);
      return clone({ id, activity: bodyOf(data, summary), processors: data.processorList, new_processors: [], categories_in_use: [], records: summary.records });
    },
    async activityTemplates() {
      await wait();
      return FAKE_TEMPLATES.map(({ slug, title, description }) => ({ key: slug, title, description }));
    },
    async newActivity({ template = null } = {}) {
      await wait();
      const data = requireUnlocked();
      const tpl = FAKE_TEMPLATES.find((x) => x.slug === template);
      if (template && !tpl) throw failure('app.unknown_template', `there is no template ${template}`);
      const activity = { ...blankActivity(), ...(tpl?.activity ?? {}) };
      const newProcessors = [];
      for (const p of tpl?.processors ?? []) {
        const existing = data.processorList.find((q) => q.name.toLowerCase() === p.name.toLowerCase());
        if (existing) activity.processor_ids.push(existing.id);
        else newProcessors.push(p);
      }
      return clone({ id: null, activity, processors: data.processorList, new_processors: newProcessors, categories_in_use: [], records: 0 });
    },
    async saveActivity({ id = null, activity, new_processors = [] } = {}) {
      await wait();
      const data = requireUnlocked();
      if (status.read_only) throw failure('vault.read_only', 'the register is read-only');
      const a = { ...blankActivity(), ...clone(activity ?? {}) };
      a.name = String(a.name ?? '').trim();
      if (!a.name) throw failure('input.invalid', 'name: missing', { field: 'name', problem: 'missing' });
      const missing = missingFields(a);
      if (a.status === 'approved' && missing.length) {
        throw failure('input.invalid', `${missing[0]}: required before approval`, { field: missing[0], problem: 'required before the activity can be approved' });
      }
      for (const p of new_processors) {
        const existing = data.processorList.find((q) => q.name.toLowerCase() === String(p.name).toLowerCase());
        const pid = existing?.id ?? addProcessor(data, p).id;
        if (!a.processor_ids.includes(pid)) a.processor_ids.push(pid);
      }
      let summary = id == null ? null : data.activities.find((x) => x.id === id);
      if (id != null && !summary) throw failure('not_found', `no activity with id ${id}`);
      if (!summary) {
        summary = { id: `act-${data.nextId++}`, records: 0, subjects: 0 };
        data.activities.push(summary);
      }
      Object.assign(summary, { name: a.name, status: a.status, last_reviewed: a.last_reviewed, missing_fields: missing });
      data.bodies.set(summary.id, a);
      event(data, id == null ? 'activity.created' : 'activity.changed', 'activity', summary.id, null);
      return clone({ id: summary.id, ...a });
    },
    async deleteActivity({ id } = {}) {
      await wait();
      const data = requireUnlocked();
      const summary = data.activities.find((a) => a.id === id);
      if (!summary) throw failure('not_found', `no activity with id ${id}`);
      if (summary.records > 0) throw failure('in_use', 'the activity holds records', { entity: 'activity', users: `${summary.records} records` });
      data.activities = data.activities.filter((a) => a.id !== id);
      data.bodies.delete(id);
      return null;
    },
    async listProcessors() {
      await wait();
      const data = requireUnlocked();
      return clone(data.processorList.map((p) => ({
        ...p,
        activities: data.activities
          .filter((a) => bodyOf(data, a).processor_ids.includes(p.id))
          .map(({ id, name }) => ({ id, name })),
      })));
    },
    async saveProcessor({ id = null, processor } = {}) {
      await wait();
      const data = requireUnlocked();
      const name = String(processor?.name ?? '').trim();
      if (!name) throw failure('input.invalid', 'name: missing', { field: 'name', problem: 'missing' });
      if (id == null) return clone(addProcessor(data, processor));
      const existing = data.processorList.find((p) => p.id === id);
      if (!existing) throw failure('not_found', `no processor with id ${id}`);
      Object.assign(existing, { ...processor, name });
      return clone(existing);
    },
    async deleteProcessor({ id } = {}) {
      await wait();
      const data = requireUnlocked();
      const users = data.activities.filter((a) => bodyOf(data, a).processor_ids.includes(id));
      if (users.length) throw failure('in_use', 'the processor is in use', { entity: 'processor', users: users.map((a) => a.name).join(', ') });
      data.processorList = data.processorList.filter((p) => p.id !== id);
      return null;
    },
    async addSubject({ subject, records = [] } = {}) {
      await wait();
      const data = requireUnlocked();
      const name = String(subject?.name ?? '').trim();
      if (!name) throw failure('input.invalid', 'name: missing', { field: 'name', problem: 'missing' });
      const email = String(subject?.email ?? '').trim();
      if (email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) {
        throw failure('input.invalid', 'email: not an e-mail address', { field: 'email', problem: 'not an e-mail address' });
      }
      for (const r of records) {
        if (!String(r.value ?? '').trim()) throw failure('input.invalid', 'value: missing', { field: 'value', problem: 'missing' });
        if (!data.activities.some((a) => a.id === r.activity_id)) throw failure('not_found', `no activity with id ${r.activity_id}`);
      }
      const id = Math.max(0, ...data.subjects.map((s) => s.id)) + 1;
      const created = now().toISOString();
      const subjectRow = { id, name, email: email || null, phone: String(subject?.phone ?? '').trim() || null, records: records.length, restricted: false, marketing_objection: false, updated: created.slice(0, 10) };
      data.subjects.push(subjectRow);
      const saved = records.map((r) => ({ id: data.nextId++, subject_id: id, activity_id: r.activity_id, category: r.category, value: String(r.value).trim(), source: r.source ?? '', collected_on: r.collected_on ?? created.slice(0, 10), created_at: created, updated_at: created }));
      data.details.set(id, { records: saved, consents: [], history: [event(data, 'subject.created', 'subject', id, id, ['name', `records:${records.length}`])], created });
      return id;
    },
    async listRequests({ open_only = true, subject_id = null } = {}) {
      await wait();
      const data = requireUnlocked();
      return (data.requests ?? [])
        .filter((r) => (subject_id != null ? r.subject_id === subject_id : !open_only || isOpen(r)))
        .map((r) => requestRow(data, r))
        .reverse();
    },
    async requestPage({ id } = {}) {
      await wait();
      const data = requireUnlocked();
      const r = (data.requests ?? []).find((x) => x.id === id);
      if (!r) throw failure('not_found', `no request with id ${id}`);
      return requestPageOf(data, r);
    },
    async addRequest({ request } = {}) {
      await wait();
      const data = requireUnlocked();
      const q = request ?? {};
      if (q.subject_id == null && !['name', 'email', 'phone'].some((k) => String(q.requester?.[k] ?? '').trim())) {
        throw failure('input.invalid', 'requester: say who the request is from', { field: 'requester', problem: 'say who the request is from' });
      }
      const today = now().toISOString().slice(0, 10);
      const received = q.received_on ?? today;
      if (received > today) throw failure('input.invalid', 'received_on: a date in the future', { field: 'received_on', problem: 'a date in the future' });
      data.requests ??= [];
      const id = data.requests.length + 1;
      const r = {
        id, public_id: `R-${received.slice(0, 4)}-${String(id).padStart(4, '0')}`, kind: q.kind, subject_id: q.subject_id ?? null,
        requester: { name: '', email: '', phone: '', ...(q.requester ?? {}) }, received_on: received, channel: q.channel ?? 'email',
        verified_how: '', verified_on: null, status: 'received', extension_months: 0, extension_reason: '', refusal_reason: '',
        notes: q.notes ?? '', response: null, receipt_id: null, closed_on: null, actions: [], receipt: null,
      };
      requestStep(r, 'received');
      data.requests.push(r);
      return requestPageOf(data, r);
    },
    async matchRequest({ id, subject_id } = {}) {
      await wait();
      const data = requireUnlocked();
      const r = findRequest(data, id);
      findSubject(data, subject_id);
      requestStep(r, 'matched', { subject_id });
      return requestPageOf(data, r);
    },
    async verifyRequest({ id, how, on } = {}) {
      await wait();
      const data = requireUnlocked();
      const r = findRequest(data, id);
      if (!String(how ?? '').trim()) throw failure('input.invalid', 'verified_how: say how', { field: 'verified_how', problem: 'say how the identity was verified' });
      requestStep(r, 'identity_verified', { verified_how: how.trim(), verified_on: on ?? now().toISOString().slice(0, 10) });
      return requestPageOf(data, r);
    },
    async startRequest({ id } = {}) {
      await wait();
      const data = requireUnlocked();
      const r = findRequest(data, id);
      if (r.status === 'received') requestStep(r, 'in_progress', { status: 'in_progress' });
      return requestPageOf(data, r);
    },
    async extendRequest({ id, months, reason } = {}) {
      await wait();
      const data = requireUnlocked();
      const r = findRequest(data, id);
      if (!String(reason ?? '').trim()) throw failure('input.invalid', 'extension_reason: say why', { field: 'extension_reason', problem: 'say why more time is needed' });
      if (!(months >= 1) || r.extension_months + months > 2) throw failure('input.invalid', 'extension_months: at most 2', { field: 'extension_months', problem: 'at most 2 further months in all' });
      requestStep(r, 'extended', { status: 'extended', extension_months: r.extension_months + months, extension_reason: reason.trim() });
      return requestPageOf(data, r);
    },
    async refuseRequest({ id, reason } = {}) {
      await wait();
      const data = requireUnlocked();
      const r = findRequest(data, id);
      if (!String(reason ?? '').trim()) throw failure('input.invalid', 'refusal_reason: say why', { field: 'refusal_reason', problem: 'say why the request is refused' });
      requestStep(r, 'refused', { status: 'refused', refusal_reason: reason.trim(), closed_on: now().toISOString().slice(0, 10) });
      return requestPageOf(data, r);
    },
    async completeRequest({ id, completion } = {}) {
      await wait();
      const data = requireUnlocked();
      const r = findRequest(data, id);
      if (r.subject_id == null) throw failure('input.invalid', 'subject_id: match first', { field: 'subject_id', problem: 'match the request to a subject first' });
      if (!r.verified_on) throw failure('input.invalid', 'verified_on: verify first', { field: 'verified_on', problem: 'verify the requester\'s identity before completing the request' });
      if (completion?.action === 'erasure') {
        const summary = await api.eraseSubject({ id: r.subject_id, reason: `erasure request ${r.public_id}` });
        r.receipt = {
          id: `rcpt-${r.id}`, erased_at: now().toISOString(), subject_id: r.subject_id, trigger: 'request', reason: `erasure request ${r.public_id}`,
          request_id: r.id, request_ref: r.public_id, records: summary.records, consent_events: summary.consent_events,
          per_activity: summary.per_activity.map(([activity_id, activity, records]) => ({ activity_id, activity, records })), notify: summary.notify,
        };
        r.receipt_id = r.receipt.id;
        requestStep(r, 'erased');
      } else {
        requestStep(r, completion?.action ?? 'completed');
      }
      requestStep(r, 'completed', { status: 'completed', closed_on: now().toISOString().slice(0, 10) });
      return requestPageOf(data, r);
    },
    async backupStatusOf() {
      await wait();
      const data = requireUnlocked();
      data.backup ??= { dir: null, last_backup_on: null, backups: [], keep: 10 };
      return clone(data.backup);
    },
    async chooseBackupDir() {
      await wait();
      const data = requireUnlocked();
      data.backup = { dir: '/home/demo/Backups', last_backup_on: null, backups: [], keep: 10 };
      return api.backupNow();
    },
    async backupNow() {
      await wait();
      const data = requireUnlocked();
      if (!data.backup?.dir) throw failure('input.invalid', 'backup_dir: choose a folder first', { field: 'backup_dir', problem: 'choose a folder for backups first' });
      const stamp = now().toISOString().replace(/[-:.]/g, '').slice(0, 15);
      data.backup.backups = [...data.backup.backups, `${fileName(status.path).replace('.privreg', '')}-backup-${stamp}.privreg`].slice(-10);
      data.backup.last_backup_on = now().toISOString().slice(0, 10);
      return clone(data.backup);
    },
    async retentionQueue() {
      await wait();
      requireUnlocked();
      return { today: now().toISOString().slice(0, 10), groups: [], total: 0, blocked: 0 };
    },
    async applyRetention({ selection } = {}) {
      await wait();
      requireUnlocked();
      if (selection?.records && !selection.records.length) {
        throw failure('input.invalid', 'records: choose at least one record', { field: 'records', problem: 'choose at least one record' });
      }
      const queue = await api.retentionQueue();
      return { outcome: { action: 'erase', records: 0, skipped: 0, erased_subjects: [], anonymised_subjects: [] }, queue };
    },
    async exportArt30({ format, lang } = {}) {
      await wait();
      requireUnlocked();
      if (!['pdf', 'json', 'csv', 'xlsx'].includes(format)) throw failure('input.invalid', 'unknown report format');
      return { path: `/home/demo/Documents/record-of-processing-activities.${format}`, format, lang, bytes: 48_213, audit_head: fakeHash('export'), audit_events: ++requireUnlocked().audit.events };
    },
    async exportAccess({ subject_id, format, lang } = {}) {
      await wait();
      findSubject(requireUnlocked(), subject_id);
      if (!['pdf', 'json'].includes(format)) throw failure('input.invalid', 'unknown report format');
      return { path: `/home/demo/Documents/access-report-${subject_id}.${format}`, format, lang, bytes: 21_377, audit_head: fakeHash('access'), audit_events: ++requireUnlocked().audit.events };
    },
    async completeAccessRequest({ id, format, lang } = {}) {
      await wait();
      const data = requireUnlocked();
      const r = findRequest(data, id);
      await api.exportAccess({ subject_id: r.subject_id, format, lang });
      return api.completeRequest({ id, completion: { action: 'report_sent', format, file_name: `access-report-${r.subject_id}.${format}` } });
    },
    async csvChoose({ activity_id } = {}) {
      await wait();
      const data = requireUnlocked();
      if (status.read_only) throw failure('vault.read_only', 'the register is read-only');
      csvActivity(data, activity_id);
      readCsv(activity_id);
      return openedCsv(data);
    },
    async csvReread({ activity_id, delimiter = null, encoding = null } = {}) {
      await wait();
      const data = requireUnlocked();
      if (!csv) throw failure('transfer.csv', 'the CSV file cannot be read: no file is open; choose one first');
      readCsv(activity_id ?? csv.activityId, { delimiter, encoding });
      return openedCsv(data);
    },
    async csvPlan({ activity_id, mapping } = {}) {
      await wait();
      return csvRun(async (data, job) => {
        if (activity_id !== csv.activityId) csvActivity(data, activity_id);
        const { report } = await csvCheck(data, job, mapping ?? {});
        return report;
      });
    },
    async csvImport({ activity_id, mapping, mode = 'good_rows', collected_on = null } = {}) {
      await wait();
      if (status.read_only) throw failure('vault.read_only', 'the register is read-only');
      if (!['good_rows', 'all_or_nothing'].includes(mode)) throw failure('input.invalid', 'invalid mode: unknown', { field: 'mode', problem: 'unknown' });
      if (collected_on && !/^\d{4}-\d{2}-\d{2}$/.test(collected_on)) throw failure('input.invalid', 'invalid collected_on: not a date', { field: 'collected_on', problem: 'not a date' });
      return csvRun(async (data, job) => {
        if (activity_id !== csv.activityId) csvActivity(data, activity_id);
        const { report, changes } = await csvCheck(data, job, mapping ?? {});
        if ((mode === 'all_or_nothing' && report.rejected > 0) || !changes.length) return report;
        // Written in one transaction: Cancel before the end changes nothing.
        for (let n = 0; n < changes.length; n++) await csvStep(job, 'writing', n, changes.length);
        emitCsvProgress({ phase: 'writing', done: changes.length, total: changes.length });
        // As the core does: new people's search rows go in after the other rows.
        const fresh = changes.filter((c) => !c.existing).length;
        for (let n = 0; n < fresh; n++) await csvStep(job, 'indexing', n, fresh);
        if (fresh) emitCsvProgress({ phase: 'indexing', done: fresh, total: fresh });
        writeCsv(data, activity_id, changes, { source: String(mapping.source ?? '').trim(), collected_on });
        csvMappings.set(activity_id, clone(mapping));
        return { ...report, written: true };
      });
    },
    async csvCancel() {
      if (csvJob) csvJob.cancelled = true;
      return null;
    },
    async csvClose() {
      if (csvJob) csvJob.cancelled = true;
      csv = null;
      return null;
    },
    async exportRegister() {
      await wait();
      const data = requireUnlocked();
      const records = data.subjects.reduce((sum, s) => sum + s.records, 0);
      const stamp = now().toISOString().slice(0, 10);
      return {
        path: `/home/demo/Documents/${fileName(status.path).replace('.privreg', '')}-export-${stamp}.json`,
        schema_version: 1,
        tables: [
          ['controller', data.controller ? 1 : 0], ['activities', data.activities.length], ['processors', data.processorList.length],
          ['subjects', data.subjects.length], ['records', records], ['consent_events', data.subjects.length],
          ['requests', (data.requests ?? []).length], ['audit_events', data.audit.events],
        ],
      };
    },
    async ping() {
      if (status.state === 'unlocked') restartIdleTimer();
      return null;
    },
    async onLocked(callback) {
      lockListeners.add(callback);
      return () => lockListeners.delete(callback);
    },
    /** The "csv-progress" event: {phase: 'checking'|'writing'|'indexing', done, total}. */
    async onCsvProgress(callback) {
      csvListeners.add(callback);
      return () => csvListeners.delete(callback);
    },
    /** Not a backend command: lets a test (or the console) act as if the idle timer ran out. */
    lockForIdle() {
      lockFor('idle');
    },
  };
  return api;
}

function blankActivity() {
  return {
    name: '', owner: '', purposes: [], legal_bases: [], art9_condition: null, legitimate_interest: '', lia_reference: '',
    subject_categories: [], data_categories: [], recipients: [], processor_ids: [], joint_controllers: [], transfers: [],
    retention_summary: '', security_measures: [], source: '', systems: [], automated_decisions: '', consent_record: '',
    direct_marketing: false, dpia: 'not_assessed', dpia_reference: '', status: 'draft', last_reviewed: null,
  };
}

/** The required Art. 30(1) fields that are empty, as the backend names them. */
function missingFields(a) {
  const missing = [];
  if (!a.purposes.length) missing.push('purposes');
  if (!a.legal_bases.length) missing.push('legal_bases');
  if (!a.subject_categories.length) missing.push('subject_categories');
  if (!a.data_categories.length) missing.push('data_categories');
  if (!a.recipients.length && !a.processor_ids.length) missing.push('recipients');
  if (!a.security_measures.length) missing.push('security_measures');
  return missing;
}

/** The full activity behind a list entry; invented from the summary the first time. */
function bodyOf(data, summary) {
  if (!data.bodies.has(summary.id)) {
    const filled = (field, value) => (summary.missing_fields.includes(field) ? [] : value);
    data.bodies.set(summary.id, {
      ...blankActivity(),
      name: summary.name,
      status: summary.status,
      last_reviewed: summary.last_reviewed,
      purposes: filled('purposes', [`${summary.name}`]),
      legal_bases: filled('legal_bases', ['legitimate_interests']),
      legitimate_interest: 'Keeping in touch with clients and participants',
      subject_categories: filled('subject_categories', ['Clients']),
      data_categories: filled('data_categories', [
        { name: 'Name', group: 'identity', sensitive: false, retention: { trigger: 'relationship_ended', duration: { amount: 3, unit: 'years' }, justification: '' } },
        { name: 'E-mail', group: 'identity', sensitive: false, retention: null },
        ...(/course/i.test(summary.name)
          ? [{ name: 'Course', group: 'professional_life', sensitive: false, retention: { trigger: 'last_contact', duration: { amount: 5, unit: 'years' }, justification: '' } }]
          : []),
      ]),
      recipients: filled('recipients', ['IT supplier']),
      security_measures: filled('security_measures', ['Access control', 'Encryption at rest']),
    });
  }
  return data.bodies.get(summary.id);
}

function addProcessor(data, p) {
  const id = Math.max(0, ...data.processorList.map((q) => q.id)) + 1;
  const row = { dpa_reference: '', contact: '', notes: '', country: '', role: 'processor', ...clone(p), id, name: String(p.name).trim() };
  data.processorList.push(row);
  return row;
}

const FAKE_TEMPLATES = [
  {
    slug: 'newsletter', title: 'Newsletter', description: 'Newsletters by e-mail to people who signed up.',
    activity: {
      name: 'Newsletter', purposes: ['Sending the newsletter to subscribers'], legal_bases: ['consent'],
      subject_categories: ['Subscribers'], direct_marketing: true,
      data_categories: [{ name: 'E-mail', group: 'identity', sensitive: false, retention: { trigger: 'unsubscribed', duration: { amount: 30, unit: 'days' }, justification: '' } }],
      recipients: ['Newsletter service'], security_measures: ['Access control'],
    },
    processors: [{ name: 'Example Mail AS', country: 'Norway', role: 'processor', dpa_reference: '', contact: '', notes: 'Newsletter service' }],
  },
  {
    slug: 'courses', title: 'Courses and training', description: 'Participants in courses run through a training portal.',
    activity: {
      name: 'Courses and training', purposes: ['Running courses and issuing certificates'], legal_bases: ['contract'],
      subject_categories: ['Course participants'],
      data_categories: [{ name: 'Course history', group: 'professional_life', sensitive: false, retention: { trigger: 'last_contact', duration: { amount: 5, unit: 'years' }, justification: '' } }],
      recipients: ['Training portal'], security_measures: ['Access control'],
    },
    processors: [{ name: 'Mintra Trainingportal', country: 'Norway', role: 'processor', dpa_reference: '', contact: '', notes: 'Course platform' }],
  },
];

function fakeHash(seed) {
  let hash = 0x811c9dc5;
  let out = '';
  for (let round = 0; out.length < 64; round++) {
    for (const ch of `${seed}:${round}`) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193) >>> 0;
    out += hash.toString(16).padStart(8, '0');
  }
  return out.slice(0, 64);
}

function demoData(today) {
  const daysAgo = (days) => new Date(today.getTime() - days * 86_400_000).toISOString().slice(0, 10);
  const named = [
    ['Kari Nordmann', 'kari.nordmann@example.no', '+47 912 34 567'],
    ['Ola Hansen', 'ola.hansen@example.no', '+47 934 56 789'],
    ['Ingrid Bakke', 'ingrid@bakke.example', null],
    ['Per Olsen', null, '+47 400 00 001'],
    ['Åse Ødegård', 'aase.odegaard@example.no', '+47 986 54 321'],
    ['Lars Johansen', 'lars.j@example.com', null],
  ];
  const first = ['Anne', 'Bjørn', 'Camilla', 'Dag', 'Eva', 'Fredrik', 'Guro', 'Henrik', 'Ida', 'Jon', 'Kristin', 'Magnus'];
  const last = ['Berg', 'Dahl', 'Eriksen', 'Haugen', 'Karlsen', 'Lie', 'Moen', 'Nilsen', 'Pettersen', 'Strand'];
  const ascii = (text) => text.toLowerCase().replace(/æ/g, 'ae').replace(/ø/g, 'o').replace(/å/g, 'a');
  for (let i = 0; i < 66; i++) {
    const name = `${first[i % first.length]} ${last[(i * 7) % last.length]}`;
    named.push([name, i % 5 === 4 ? null : `${ascii(name).replace(' ', '.')}${i}@example.org`, i % 3 === 0 ? `+47 9${String(1000000 + i * 7919).slice(-7)}` : null]);
  }
  const subjects = named.map(([name, email, phone], i) => ({
    id: i + 1, // the backend's ids are integers
    name,
    email,
    phone,
    records: (i * 3) % 7 + 1,
    restricted: i === 3 || i % 17 === 16,
    marketing_objection: i === 1 || i % 9 === 8,
    updated: `2025-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
  }));
  const activity = (id, name, status, last_reviewed, records, subjects, missing_fields = []) =>
    ({ id, name, status, last_reviewed, records, subjects, missing_fields });
  return {
    controller: {
      organisation: 'Example Consulting AS',
      org_number: '123 456 789',
      address: 'Storgata 1, 0155 Oslo',
      email: 'post@example-consulting.no',
      phone: '+47 22 00 00 00',
      website: 'https://example-consulting.no',
      contact_person: { name: 'Kari Nordmann', email: 'kari.nordmann@example.no', phone: '+47 912 34 567', address: null },
      dpo: null,
      representative: null,
      supervisory_authority: 'Datatilsynet',
    },
    activities: [
      activity('act-1', 'Customer relationship (CRM)', 'approved', daysAgo(40), 180, 61),
      activity('act-2', 'Newsletter', 'approved', daysAgo(430), 140, 48),
      activity('act-3', 'Course administration and certificates', 'approved', daysAgo(200), 95, 32),
      activity('act-4', 'Recruitment', 'draft', null, 12, 6, ['recipients', 'security_measures']),
      activity('act-5', 'Website statistics', 'draft', null, 0, 0, ['legal_bases', 'subject_categories', 'data_categories']),
    ],
    subjects,
    processorList: [
      { id: 1, name: 'Microsoft Dynamics 365', country: 'EU/EEA', role: 'processor', dpa_reference: 'Microsoft DPA', contact: '', notes: 'CRM' },
      { id: 2, name: 'Example Mail AS', country: 'Norway', role: 'processor', dpa_reference: '', contact: '', notes: 'Newsletter service' },
      { id: 3, name: 'Regnskap AS', country: 'Norway', role: 'processor', dpa_reference: 'Signed 2024-02-01', contact: '', notes: 'Accounting' },
    ],
    bodies: new Map(), // activity id → Activity, made on first edit
    // Recipients per activity: whom to tell about an erasure (Art. 19).
    recipients: { 'act-1': ['Regnskap AS (accounting)'], 'act-2': ['Example Mail AS (newsletter service)'], 'act-3': [] },
    details: new Map(), // subject id → {records, consents, history}, made on first view
    nextId: 1000,
    audit: { events: 1342, head_hash: fakeHash('demo'), first_broken: null },
  };
}

// A course participant list as Excel on Windows saves it: Windows-1252, ";". Line 5 is
// an existing person (merged by e-mail), line 6 has a broken e-mail address (rejected),
// line 7 is empty (skipped), and line 10 has no e-mail but a known phone number.
const FAKE_CSV = {
  file_name: 'kursdeltakere-vår-2025.csv',
  text: [
    'Fornavn;Etternavn;E-post;Telefon;Kurs;Påmeldt',
    'Kjersti;Ødegård;kjersti.odegaard@example.no;+47 913 22 401;Personvern for ledere;2025-03-04',
    'Håkon;Æsøy;hakon.aesoy@example.no;;Personvern for ledere;2025-03-04',
    'Siv;Brænne;siv.braenne@example.no;+47 480 11 223;Internkontroll;2025-03-11',
    'Kari;Nordmann;KARI.NORDMANN@example.no;+47 912 34 567;Internkontroll;2025-03-11',
    'Bjørnar;Løvås;bjornar.lovas(at)example.no;+47 951 00 112;Personvern for ledere;2025-03-12',
    ';;;;;',
    'Marte;Kvåle;marte.kvale@example.no;;Internkontroll;2025-03-18',
    'Øystein;Rønning;oystein.ronning@example.no;+47 977 65 432;Personvern for ledere;2025-03-19',
    'Ola;Hansen;;+47 934 56 789;Internkontroll;2025-03-20',
    'Åshild;Grønvold;ashild.gronvold@example.no;;Personvern for ledere;2025-03-21',
    'Eirik;Sæther;eirik.saether@example.no;+47 924 87 001;Internkontroll;2025-03-25',
    'Tuva;Østby;tuva.ostby@example.no;;Personvern for ledere;2025-03-26',
  ].join('\n'),
};

const ENCODINGS = ['utf8', 'utf8_bom', 'utf16_le', 'utf16_be', 'windows1252'];
const EMAIL_PATTERN = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** The fake file's text as it would read in another encoding: wrong letters, as in life. */
function decodeFake(text, encoding) {
  if (encoding === 'windows1252') return text;
  if (encoding === 'utf8' || encoding === 'utf8_bom') return text.replace(/[^\x00-\x7f]/g, '\uFFFD');
  const bytes = [...text].map((c) => c.charCodeAt(0) & 0xff);
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out += String.fromCharCode(encoding === 'utf16_le' ? bytes[i] | (bytes[i + 1] << 8) : (bytes[i] << 8) | bytes[i + 1]);
  }
  return out;
}

function detectDelimiter(header = '') {
  const counts = [';', ',', '\t', '|'].map((d) => [d, header.split(d).length - 1]);
  const [best, count] = counts.reduce((a, b) => (b[1] > a[1] ? b : a));
  return count > 0 ? best : ';';
}

/** Lower case, letters and digits only, as the backend compares column names. */
const squash = (text) => String(text ?? '').toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

const SUGGEST = [
  ['name', ['name', 'fullname', 'navn', 'fulltnavn', 'deltaker', 'participant', 'kontaktperson']],
  ['first_name', ['firstname', 'fornavn', 'givenname', 'first']],
  ['last_name', ['lastname', 'etternavn', 'surname', 'last']],
  ['email', ['email', 'epost', 'mail', 'emailaddress', 'epostadresse']],
  ['phone', ['phone', 'telefon', 'mobil', 'mobile', 'tlf', 'telefonnummer', 'mobilnummer']],
];
const CATEGORY_WORDS = { kurs: 'course', navn: 'name', telefon: 'phone', adresse: 'address', epost: 'email' };

/** The backend's suggestion: subject fields and categories from the column names. */
function suggestMapping(headers, categories) {
  const columns = [];
  const taken = new Set();
  const emailish = categories.find((c) => ['email', 'epost', 'emailaddress', 'epostadresse'].includes(squash(c)));
  for (const column of headers) {
    const word = squash(column);
    const field = SUGGEST.find(([target, words]) => !taken.has(target) && words.includes(word))?.[0];
    if (field) {
      taken.add(field);
      columns.push({ column, target: field });
      if (field === 'email' && emailish) columns.push({ column, target: { category: emailish } });
      continue;
    }
    const category = categories.find((c) => squash(c) === word || squash(c) === CATEGORY_WORDS[word]);
    if (category) columns.push({ column, target: { category } });
  }
  const hasName = columns.some((m) => m.target === 'name');
  return { columns: hasName ? columns.filter((m) => !['first_name', 'last_name'].includes(m.target)) : columns, match_phone: false, source: '' };
}

/** The backend's CsvMapping::check, with its messages. */
function checkCsvMapping(mapping, headers, categories) {
  const bad = (problem) => ({ ...failure('input.invalid', `invalid mapping: ${problem}`, { field: 'mapping', problem }), field: 'mapping' });
  const columns = Array.isArray(mapping?.columns) ? mapping.columns : [];
  for (const m of columns) {
    if (!headers.some((h) => squash(h) === squash(m.column))) throw bad(`the file has no column "${String(m.column).trim()}"`);
    if (typeof m.target === 'object' && !categories.some((c) => c.toLowerCase() === String(m.target.category).trim().toLowerCase())) {
      throw bad(`"${String(m.target.category).trim()}" is not a data category of this activity`);
    }
  }
  const labels = { name: 'name', first_name: 'first name', last_name: 'last name', email: 'e-mail', phone: 'phone' };
  for (const [target, label] of Object.entries(labels)) {
    if (columns.filter((m) => m.target === target).length > 1) throw bad(`${label} is mapped from two columns`);
  }
  const has = (target) => columns.some((m) => m.target === target);
  if (has('name') && (has('first_name') || has('last_name'))) throw bad('map either a name column or first and last name columns, not both');
  if (!has('name') && !has('first_name') && !has('last_name')) throw bad('map a column to the name (or first and last name)');
  if (!columns.some((m) => typeof m.target === 'object')) throw bad('map at least one column to a data category of the activity');
}
