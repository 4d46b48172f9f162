// The only module that touches window.__TAURI__. Every backend command has one async
// function here (camelCase of the command name; arguments are passed to invoke() as
// they are, with snake_case keys as in the contract). Without Tauri every call fails,
// saying that the backend is missing: the window works only inside the app (the node
// tests provide a window.__TAURI__ backed by the real app, tests/ui/bridge.mjs). Tests
// that only check how arguments are passed may inject their own object with
// setBackend().

const COMMANDS = Object.freeze({
  appStatus: 'app_status',
  chooseNewRegisterPath: 'choose_new_register_path',
  chooseRegisterFile: 'choose_register_file',
  createRegister: 'create_register',
  openRegister: 'open_register',
  unlock: 'unlock',
  unlockWithRecoveryKey: 'unlock_with_recovery_key',
  openDemo: 'open_demo',
  lock: 'lock',
  closeRegister: 'close_register',
  overview: 'overview',
  checkAgainstReport: 'check_against_report',
  checkAgainstHead: 'check_against_head',
  listSubjects: 'list_subjects',
  searchSubjects: 'search_subjects',
  saveSettings: 'save_settings',
  changePassphrase: 'change_passphrase',
  setKeychain: 'set_keychain',
  controllerProfile: 'controller_profile',
  saveController: 'save_controller',
  viewSubject: 'view_subject',
  rectifySubject: 'rectify_subject',
  rectifyRecord: 'rectify_record',
  deleteRecord: 'delete_record',
  eraseSubject: 'erase_subject',
  addConsentEvent: 'add_consent_event',
  restrictSubject: 'restrict_subject',
  liftRestriction: 'lift_restriction',
  decideObjection: 'decide_objection',
  setRetentionDate: 'set_retention_date',
  previewRetentionDate: 'preview_retention_date',
  listActivities: 'list_activities',
  editActivity: 'edit_activity',
  activityTemplates: 'activity_templates',
  newActivity: 'new_activity',
  saveActivity: 'save_activity',
  deleteActivity: 'delete_activity',
  listProcessors: 'list_processors',
  saveProcessor: 'save_processor',
  deleteProcessor: 'delete_processor',
  addSubject: 'add_subject',
  listRequests: 'list_requests',
  requestPage: 'request_page',
  addRequest: 'add_request',
  matchRequest: 'match_request',
  verifyRequest: 'verify_request',
  startRequest: 'start_request',
  extendRequest: 'extend_request',
  refuseRequest: 'refuse_request',
  askForIdentity: 'ask_for_identity',
  answerNoData: 'answer_no_data',
  completeRequest: 'complete_request',
  exportReply: 'export_reply',
  setRequestPartly: 'set_request_partly',
  setRequestFee: 'set_request_fee',
  recordReplySent: 'record_reply_sent',
  listNotifications: 'list_notifications',
  markNotification: 'mark_notification',
  backupStatusOf: 'backup_status_of',
  chooseBackupDir: 'choose_backup_dir',
  backupNow: 'backup_now',
  retentionQueue: 'retention_queue',
  applyRetention: 'apply_retention',
  finishErasures: 'finish_erasures',
  previewRetentionDates: 'preview_retention_dates',
  setRetentionDates: 'set_retention_dates',
  chooseBackupFile: 'choose_backup_file',
  restoreBackup: 'restore_backup',
  legalHolds: 'legal_holds',
  addLegalHold: 'add_legal_hold',
  releaseLegalHold: 'release_legal_hold',
  exportArt30: 'export_art30',
  exportAccess: 'export_access',
  completeAccessRequest: 'complete_access_request',
  csvChoose: 'csv_choose',
  csvReread: 'csv_reread',
  csvPlan: 'csv_plan',
  csvImport: 'csv_import',
  csvCancel: 'csv_cancel',
  csvClose: 'csv_close',
  exportRegister: 'export_register',
  listBreaches: 'list_breaches',
  breachPage: 'breach_page',
  addBreach: 'add_breach',
  updateBreach: 'update_breach',
  countAffected: 'count_affected',
  setAffected: 'set_affected',
  assessBreach: 'assess_breach',
  recordBreachNotice: 'record_breach_notice',
  closeBreach: 'close_breach',
  breachNoticeText: 'breach_notice_text',
  exportBreachLog: 'export_breach_log',
  exportBreachLetters: 'export_breach_letters',
  noticePreview: 'notice_preview',
  publishNotice: 'publish_notice',
  listNotices: 'list_notices',
  markApprovedForNotice: 'mark_approved_for_notice',
  noticeDiff: 'notice_diff',
  exportNotice: 'export_notice',
  listClients: 'list_clients',
  getClient: 'get_client',
  addClient: 'add_client',
  updateClient: 'update_client',
  removeClient: 'remove_client',
  exportProcessorRecord: 'export_processor_record',
  possibleDuplicates: 'possible_duplicates',
  mergePreview: 'merge_preview',
  mergeSubjects: 'merge_subjects',
  ping: 'ping',
});

export const LOCKED_EVENT = 'register-locked';
export const MENU_EVENT = 'menu';
/** The open register turned read-only after it was opened (src-tauri/app/locking.rs). */
export const DAMAGED_EVENT = 'register-damaged';
export const CSV_PROGRESS_EVENT = 'csv-progress';

let backend = null; // Promise of the object whose methods answer the functions below

/** What every call fails with outside the app. */
export const NO_BACKEND = 'The Tauri backend is missing (window.__TAURI__ is not defined): this window works only inside the Privacy Register app.';

function tauriBackend(tauri) {
  const methods = {
    onLocked: (callback) => tauri.event.listen(LOCKED_EVENT, (event) => callback(event.payload ?? {})),
    onMenu: (callback) => tauri.event.listen(MENU_EVENT, (event) => callback(event.payload ?? {})),
    onDamaged: (callback) => tauri.event.listen(DAMAGED_EVENT, () => callback()),
    onCsvProgress: (callback) => tauri.event.listen(CSV_PROGRESS_EVENT, (event) => callback(event.payload ?? {})),
  };
  for (const [name, command] of Object.entries(COMMANDS)) {
    methods[name] = (args) => tauri.core.invoke(command, args ?? {});
  }
  return methods;
}

function currentBackend() {
  if (!backend) {
    const tauri = globalThis.window?.__TAURI__;
    if (!(tauri?.core?.invoke && tauri?.event?.listen)) return Promise.reject(new Error(NO_BACKEND));
    backend = Promise.resolve(tauriBackend(tauri));
  }
  return backend;
}

/**
 * Replace the backend (tests): an object with the same methods as the exports below;
 * null goes back to window.__TAURI__.
 */
export function setBackend(obj) {
  backend = obj ? Promise.resolve(obj) : null;
}

async function call(name, args) {
  const target = await currentBackend();
  return target[name](args);
}

export const appStatus = async () => call('appStatus');
export const chooseNewRegisterPath = async () => call('chooseNewRegisterPath');
export const chooseRegisterFile = async () => call('chooseRegisterFile');
/** @param {{path: string, passphrase: string, remember_on_device: boolean}} args */
export const createRegister = async (args) => call('createRegister', args);
/** @param {{path: string}} args */
export const openRegister = async (args) => call('openRegister', args);
/** @param {{passphrase: string, remember_on_device: boolean}} args */
export const unlock = async (args) => call('unlock', args);
/** @param {{recovery_key: string, new_passphrase: string}} args */
export const unlockWithRecoveryKey = async (args) => call('unlockWithRecoveryKey', args);
export const openDemo = async () => call('openDemo');
export const lock = async () => call('lock');
export const closeRegister = async () => call('closeRegister');
export const overview = async () => call('overview');
/**
 * "Check against an earlier report": a native open dialog for a saved report (JSON, or a
 * PDF of this app), its audit head compared with the whole audit log.
 * → HeadCheck {head: {hash, events}, outcome: 'intact'|'changed'|'beyond_log'|'broken_after',
 * log_events, chain: AuditCheck} | null (cancelled)
 */
export const checkAgainstReport = async () => call('checkAgainstReport');
/** The same check with the head typed or pasted. @param {{head: string}} args "HASH:COUNT" → HeadCheck */
export const checkAgainstHead = async (args) => call('checkAgainstHead', args);
/** @param {{offset: number, limit: number, sort: string, descending: boolean}} args */
export const listSubjects = async (args) => call('listSubjects', args);
/** @param {{query: string, limit: number}} args */
export const searchSubjects = async (args) => call('searchSubjects', args);
/** @param {{language: 'en'|'nb', auto_lock_minutes: number}} args */
export const saveSettings = async (args) => call('saveSettings', args);
/** @param {{current: string, new_passphrase: string}} args → Status */
export const changePassphrase = async (args) => call('changePassphrase', args);
/** @param {{remember: boolean}} args → Status */
export const setKeychain = async (args) => call('setKeychain', args);
/** → Controller | null (GDPR Art. 30(1)(a)) */
export const controllerProfile = async () => call('controllerProfile');
/** @param {{controller: object}} args → Controller */
export const saveController = async (args) => call('saveController', args);
/** @param {{id: number}} args → SubjectPage */
export const viewSubject = async (args) => call('viewSubject', args);
/** @param {{id: number, name: string, email: string, phone: string, reason: string}} args → SubjectPage */
export const rectifySubject = async (args) => call('rectifySubject', args);
/** @param {{id: number, value: string, reason: string}} args → SubjectPage */
export const rectifyRecord = async (args) => call('rectifyRecord', args);
/** @param {{id: number, reason: string}} args → SubjectPage */
export const deleteRecord = async (args) => call('deleteRecord', args);
/** @param {{id: number, reason: string}} args → ErasureSummary */
export const eraseSubject = async (args) => call('eraseSubject', args);
/** A consent given or withdrawn, or an objection (Art. 21). @param {{subject_id: number, event: {activity_id: number, purpose: string, kind: 'consent_given'|'consent_withdrawn'|'objection', method: string, at: string|null}}} args → SubjectDetails */
export const addConsentEvent = async (args) => call('addConsentEvent', args);
/** Restriction of processing (Art. 18). @param {{id: number, reason: string}} args → SubjectDetails */
export const restrictSubject = async (args) => call('restrictSubject', args);
/** The restriction lifted once the person was told (Art. 18(3)). @param {{id: number, reason: string, told_on: string}} args → SubjectDetails */
export const liftRestriction = async (args) => call('liftRestriction', args);
/** The decision on an Art. 21(1) objection. @param {{id: number, activity_id: number, decision: 'continue'|'stop', reason: string}} args → SubjectDetails */
export const decideObjection = async (args) => call('decideObjection', args);
/** The day a retention trigger happened for the person (on: null clears it). @param {{subject_id: number, activity_id: number, trigger: string, on: string|null}} args → SubjectDetails */
export const setRetentionDate = async (args) => call('setRetentionDate', args);
/** What a retention date would mean; nothing is changed. @param {{subject_id: number, activity_id: number, trigger: string, on: string}} args → [{record_id, category, due_on: string|null}] */
export const previewRetentionDate = async (args) => call('previewRetentionDate', args);
/** → ActivitySummary[] */
export const listActivities = async () => call('listActivities');
/** @param {{id: number}} args → ActivityEditor {id, activity, processors, new_processors, categories_in_use, records} */
export const editActivity = async (args) => call('editActivity', args);
/** → TemplateInfo[] {key, title, description} in the window's language */
export const activityTemplates = async () => call('activityTemplates');
/** @param {{template: string|null}} args → ActivityEditor for a new activity */
export const newActivity = async (args) => call('newActivity', args);
/** @param {{id: number|null, activity: object, new_processors: object[]}} args → StoredActivity */
export const saveActivity = async (args) => call('saveActivity', args);
/** @param {{id: number}} args */
export const deleteActivity = async (args) => call('deleteActivity', args);
/** → ProcessorRow[] (a StoredProcessor with the activities that use it) */
export const listProcessors = async () => call('listProcessors');
/** @param {{id: number|null, processor: object}} args → StoredProcessor */
export const saveProcessor = async (args) => call('saveProcessor', args);
/** @param {{id: number}} args */
export const deleteProcessor = async (args) => call('deleteProcessor', args);
/** @param {{subject: {name, email, phone}, records: object[]}} args → the new subject's id */
export const addSubject = async (args) => call('addSubject', args);
/** @param {{open_only: boolean, subject_id: number|null}} args → RequestRow[] */
export const listRequests = async (args) => call('listRequests', args);
/** @param {{id: number}} args → RequestPage */
export const requestPage = async (args) => call('requestPage', args);
/** @param {{request: object}} args → RequestPage */
export const addRequest = async (args) => call('addRequest', args);
/** @param {{id: number, subject_id: number}} args → RequestPage */
export const matchRequest = async (args) => call('matchRequest', args);
/** @param {{id: number, how: string, on: string|null}} args → RequestPage */
export const verifyRequest = async (args) => call('verifyRequest', args);
/** @param {{id: number}} args → RequestPage */
export const startRequest = async (args) => call('startRequest', args);
/** @param {{id: number, months: number, reason: string, told_on: string|null}} args → RequestPage */
export const extendRequest = async (args) => call('extendRequest', args);
/** @param {{id: number, ground: string, reason: string}} args → RequestPage */
export const refuseRequest = async (args) => call('refuseRequest', args);
/** @param {{id: number, how: string}} args → RequestPage */
export const askForIdentity = async (args) => call('askForIdentity', args);
/** @param {{id: number}} args → RequestPage */
export const answerNoData = async (args) => call('answerNoData', args);
/** @param {{id: number, completion: object}} args → RequestPage */
export const completeRequest = async (args) => call('completeRequest', args);
/** @param {{id: number, format: string, lang: string}} args */
export const exportReply = async (args) => call('exportReply', args);
/** @param {{id: number, ground: string, not_done: string}} args */
export const setRequestPartly = async (args) => call('setRequestPartly', args);
/** @param {{id: number, fee: ({amount: string, currency: string, ground: string, reason: string}|null)}} args */
export const setRequestFee = async (args) => call('setRequestFee', args);
/** @param {{id: number, on: (string|null), how: string}} args */
export const recordReplySent = async (args) => call('recordReplySent', args);
/** @param {{open_only: boolean, subject_id: (number|null)}} args */
export const listNotifications = async (args) => call('listNotifications', args);
/** @param {{id: number, status: string, on: (string|null), how: string}} args */
export const markNotification = async (args) => call('markNotification', args);
/** → BackupStatus {dir, last_backup_on, backups, keep} */
export const backupStatusOf = async () => call('backupStatusOf');
/** A native folder dialog; → BackupStatus after a first backup, or null when cancelled */
export const chooseBackupDir = async () => call('chooseBackupDir');
/** → BackupStatus after a verified backup */
export const backupNow = async () => call('backupNow');
/** → RetentionQueue {today, groups: [{activity_id, activity, items, blocked}], total, blocked} */
export const retentionQueue = async () => call('retentionQueue');
export const chooseBackupFile = async () => call('chooseBackupFile');
export const restoreBackup = async (args) => call('restoreBackup', args);
export const legalHolds = async (args) => call('legalHolds', args);
export const addLegalHold = async (args) => call('addLegalHold', args);
export const releaseLegalHold = async (args) => call('releaseLegalHold', args);
/** @param {{selection: {activity: number}|{records: number[]}, action: 'erase'|'anonymise', note: string}} args → {outcome, queue} */
export const applyRetention = async (args) => call('applyRetention', args);
/** @param {{note: string}} args → {done: ErasureSummary[], queue} */
export const finishErasures = async (args) => call('finishErasures', args);
/** @param {{activity_id: number, trigger: string, on: string}} args → {people, records, due: [[date, count]]} */
export const previewRetentionDates = async (args) => call('previewRetentionDates', args);
/** @param {{activity_id: number, trigger: string, on: string}} args → number of people */
export const setRetentionDates = async (args) => call('setRetentionDates', args);
/** A native save dialog, then the Art. 30 record. @param {{format: 'pdf'|'json'|'csv'|'xlsx', lang: 'en'|'nb'}} args → Exported | null */
export const exportArt30 = async (args) => call('exportArt30', args);
/** A native save dialog, then a person's access report. @param {{subject_id: number, format: 'pdf'|'json', lang: 'en'|'nb'}} args → Exported | null */
export const exportAccess = async (args) => call('exportAccess', args);
/** The access report saved and the request completed. @param {{id: number, format: 'pdf'|'json', lang: 'en'|'nb'}} args → RequestPage | null */
export const completeAccessRequest = async (args) => call('completeAccessRequest', args);
// CSV import into one processing activity. The backend keeps the chosen file's rows
// from csvChoose until csvClose; a mapping is {columns: [{column, target}], match_phone,
// source}, a target 'name'|'first_name'|'last_name'|'email'|'phone'|{category: string}.
/** A native open dialog for a CSV file. @param {{activity_id: number}} args → CsvOpened | null (cancelled) */
export const csvChoose = async (args) => call('csvChoose', args);
/** The open file read again; null means detect. @param {{activity_id: number, delimiter: string|null, encoding: 'utf8'|'utf8_bom'|'utf16_le'|'utf16_be'|'windows1252'|null}} args → CsvOpened */
export const csvReread = async (args) => call('csvReread', args);
/** A dry run: what an import would do; nothing is changed. @param {{activity_id: number, mapping: object}} args → CsvImportReport */
export const csvPlan = async (args) => call('csvPlan', args);
/** @param {{activity_id: number, mapping: object, mode: 'good_rows'|'all_or_nothing', collected_on: string|null}} args → CsvImportReport */
export const csvImport = async (args) => call('csvImport', args);
/** Stop a running check or import; it then fails with transfer.cancelled and changes nothing. */
export const csvCancel = async () => call('csvCancel');
/** Forget the open CSV file's rows. */
export const csvClose = async () => call('csvClose');
/** A native save dialog, then the whole register as JSON (unencrypted). → ExportSummary {path, schema_version, tables: [[name, rows]]} | null */
export const exportRegister = async () => call('exportRegister');
// Personal data breaches (Art. 33, 34). Times are ISO strings in UTC; a BreachPage is
// the Breach with {activities: [{id, name, categories}], processors: [{id, name}],
// needs_delay_reason}.
/** → Breach[]: the open ones first (the most urgent clock first), then the closed ones */
export const listBreaches = async () => call('listBreaches');
/** @param {{id: number}} args → BreachPage */
export const breachPage = async (args) => call('breachPage', args);
/** @param {{facts: object}} args → BreachPage */
export const addBreach = async (args) => call('addBreach', args);
/** @param {{id: number, facts: object}} args → BreachPage */
export const updateBreach = async (args) => call('updateBreach', args);
/** Nothing is saved. @param {{selection: {activity_ids: number[], categories: string[], collected_from: string|null, collected_to: string|null, import_event: number|null, subject_ids: number[]}}} args → AffectedCount {people, records, categories: [[name, records]], special_categories, criminal_offence_data} */
export const countAffected = async (args) => call('countAffected', args);
/** @param {{id: number, selection: object}} args → BreachPage */
export const setAffected = async (args) => call('setAffected', args);
/** @param {{id: number, assessment: {risk: string, notify_authority: boolean, authority_reasons: string, notify_subjects: boolean, subjects_reasons: string, art34_exception: string|null, decided_by: string}}} args → BreachPage */
export const assessBreach = async (args) => call('assessBreach', args);
/** @param {{id: number, notice: {kind: 'initial'|'follow_up'|'subjects', sent_at: string|null, reference: string, delay_reason: string, note: string, letters: number|null}}} args → BreachPage */
export const recordBreachNotice = async (args) => call('recordBreachNotice', args);
/** @param {{id: number, note: string}} args → BreachPage */
export const closeBreach = async (args) => call('closeBreach', args);
/** The answers for Datatilsynet's form as text. @param {{id: number, lang: 'en'|'nb'}} args → string */
export const breachNoticeText = async (args) => call('breachNoticeText', args);
/** A native save dialog, then the breach log. @param {{format: 'pdf'|'json'|'csv'|'xlsx', lang: 'en'|'nb'}} args → Exported | null */
export const exportBreachLog = async (args) => call('exportBreachLog', args);
/** A native save dialog, then the letters to the people affected. @param {{id: number, lang: 'en'|'nb', format: 'pdf'|'txt', one_per_person: boolean}} args → {path, letters} | null */
export const exportBreachLetters = async (args) => call('exportBreachLetters', args);
// The privacy notice (Art. 13, 14). A NoticeChange is {kind, ...values} (see ui/lib/notice.js).
/** @param {{lang: 'en'|'nb'}} args → NoticePreview {lang, html, drift: NoticeDrift|null, status: NoticeStatus} */
export const noticePreview = async (args) => call('noticePreview', args);
/** Publish the notice as the register says it now (audited). @param {{lang: 'en'|'nb'}} args → NoticeVersionSummary {id, lang, published_at, activities} */
export const publishNotice = async (args) => call('publishNotice', args);
/** → NoticeVersionSummary[], newest first */
export const listNotices = async () => call('listNotices');
/** Marks every approved activity not yet in the notice as described in it; → how many. */
export const markApprovedForNotice = async () => call('markApprovedForNotice');
/** What changed from published version a to b. @param {{a: number, b: number}} args → NoticeChange[] */
export const noticeDiff = async (args) => call('noticeDiff', args);
/** A native save dialog, then the notice. @param {{lang: 'en'|'nb', format: 'html'|'pdf'|'text', version: number|null}} args → Exported | null */
export const exportNotice = async (args) => call('exportNotice', args);
// The processor's record (Art. 30(2)): the controllers the organisation processes
// personal data for. A client is {name, org_number, address, email, phone,
// representative: Contact|null, dpo: Contact|null, dpa_reference, dpa_date: string|null,
// processing: string[], sub_processor_ids: number[], transfers: Transfer[],
// security_measures: string[], status: 'active'|'ended', notes}.
/** → ClientSummary[] {id, name, org_number, status, processing, sub_processors, transfers, dpa_reference, missing_fields} */
export const listClients = async () => call('listClients');
/** @param {{id: number}} args → StoredClient (the client with id, created_at, updated_at) */
export const getClient = async (args) => call('getClient', args);
/** @param {{client: object}} args → StoredClient */
export const addClient = async (args) => call('addClient', args);
/** @param {{id: number, client: object}} args → StoredClient */
export const updateClient = async (args) => call('updateClient', args);
/** @param {{id: number}} args */
export const removeClient = async (args) => call('removeClient', args);
/** A native save dialog, then the processor's record. @param {{format: 'pdf'|'json'|'csv'|'xlsx'|'xlsx-datatilsynet', lang: 'en'|'nb'}} args → Exported | null */
export const exportProcessorRecord = async (args) => call('exportProcessorRecord', args);
/** People already registered with the e-mail or phone of a person about to be added. @param {{subject: {name: string, email: string, phone: string}}} args → DuplicateMatch[] */
export const possibleDuplicates = async (args) => call('possibleDuplicates', args);
/** What merging `other` into `keep` would move; nothing is changed. @param {{keep: number, other: number}} args → MergePreview */
export const mergePreview = async (args) => call('mergePreview', args);
/** Two records of one person merged into `keep`. @param {{keep: number, other: number, reason: string}} args → {receipt: MergeReceipt, page: SubjectDetails} */
export const mergeSubjects = async (args) => call('mergeSubjects', args);
export const ping = async () => call('ping');

/** callback(payload) on the backend's "register-locked" event; resolves to an unlisten function. */
export async function onLocked(callback) {
  const target = await currentBackend();
  return target.onLocked(callback);
}

/** callback({action}) when the native menu asks the window to act ("new", "open", "export"). */
export async function onMenu(callback) {
  const target = await currentBackend();
  return target.onMenu ? target.onMenu(callback) : () => {};
}

/** Calls `callback` when the open register turns read-only (damage found after it opened). */
export async function onDamaged(callback) {
  const target = await currentBackend();
  return target.onDamaged ? target.onDamaged(callback) : () => {};
}

/** callback({phase: 'checking'|'writing', done, total}) while a CSV check or import runs; resolves to an unlisten function. */
export async function onCsvProgress(callback) {
  const target = await currentBackend();
  return target.onCsvProgress ? target.onCsvProgress(callback) : () => {};
}
