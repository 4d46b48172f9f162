// The keys of the backend's answers that the UI reads, type by type (the Rust type
// named, its serde field names). The node tests check the real backend's answers
// against these, so a renamed or dropped serde field fails a test here before it
// blanks a screen.
import assert from 'node:assert/strict';

// A key ending in "?" may be absent: serde leaves it out when it is empty (an
// activity's `proposals` once every one is confirmed).
export const ACTIVITY = ['art9_condition', 'automated_decisions', 'consent_record', 'data_categories', 'direct_marketing', 'dpia', 'dpia_reference',
  'in_notice?', 'joint_controllers', 'last_reviewed', 'legal_bases', 'legitimate_interest', 'lia_reference', 'name', 'notice_text?', 'owner',
  'processor_ids', 'proposals?',
  'purposes', 'recipients', 'retention_summary', 'security_measures', 'source', 'status', 'subject_categories', 'systems', 'transfers'];
const PROCESSOR = ['contact', 'country', 'dpa_reference', 'name', 'notes', 'role'];
const CLIENT = ['address', 'dpa_date', 'dpa_reference', 'dpo', 'email', 'name', 'notes', 'org_number', 'phone', 'processing',
  'representative', 'security_measures', 'status', 'sub_processor_ids', 'transfers'];
// privreg-core's store::breaches: a Breach has its BreachFacts flattened in.
const BREACH_FACTS = ['aware_at', 'cause', 'consequences', 'contact', 'data_location', 'description', 'discovered_at', 'found_by', 'kinds',
  'measures_planned', 'measures_taken', 'occurred_from', 'occurred_to', 'processor_id', 'processor_told_at', 'relation', 'title'];
const BREACH = [...BREACH_FACTS, 'affected', 'assessment', 'clock', 'closed_at', 'closing_note', 'created_at', 'id', 'linked_people', 'notices',
  'processor', 'reference', 'selection', 'status', 'updated_at'];

export const SHAPES = Object.freeze({
  // src-tauri/app/state.rs
  Status: ['file_name', 'journal', 'keychain', 'path', 'read_only', 'recent', 'settings', 'state', 'version'],
  JournalNotice: ['altered', 'changes', 'missing', 'reapplied', 'unopened', 'unreadable'],
  KeychainStatus: ['available', 'has_key', 'message'],
  StatusSettings: ['auto_lock_minutes', 'language'],
  // src-tauri/app/register_commands.rs, subject_commands.rs, views.rs and privreg-core
  Overview: ['activities', 'audit', 'breaches', 'controller', 'counts', 'notice', 'requests'],
  Counts: ['activities', 'drafts', 'missing_fields', 'processors', 'records', 'review_overdue', 'subjects', 'unconfirmed_proposals',
    'notifications_open', 'breaches_open', 'clients'],
  AuditCheck: ['checkpoint?', 'events', 'first_broken', 'head_hash'],
  // privreg-core's store::audit: the stored checkpoint as a check found it, and a check
  // against an earlier report's head (register_commands.rs, check_against_*)
  Checkpoint: ['events', 'state', 'used'],
  HeadCheck: ['chain', 'head', 'log_events', 'outcome'],
  PrintedHead: ['events', 'hash'],
  RequestDeadlines: ['due_soon', 'extension_reminders', 'open', 'overdue', 'requests', 'today'],
  ActivitySummary: ['id', 'last_reviewed', 'missing_fields', 'name', 'records', 'review_due', 'status', 'subjects'],
  Controller: ['address', 'contact_person', 'dpo', 'email', 'financial_year_end', 'org_number', 'organisation', 'phone',
    'representative', 'supervisory_authority', 'website'],
  YearEnd: ['day', 'month'],
  SubjectPage: ['items', 'offset', 'total'],
  SubjectSummary: ['email', 'id', 'marketing_objection', 'name', 'phone', 'records', 'restricted'],
  SubjectDetails: ['activities', 'activity_rules', 'consents', 'history', 'notifications', 'objections_pending', 'pending_erasure',
    'records', 'retention_dates', 'subject'],
  // src-tauri/app/views.rs: an Art. 19 task with the names the window shows
  NotificationRow: ['activity', 'activity_id', 'cause', 'created_on', 'done_on', 'how', 'id', 'recipient', 'recipient_kind',
    'request_id', 'status', 'subject_id', 'subject_name'],
  ActivityRules: ['activity_id', 'direct_marketing', 'purposes', 'triggers'],
  PendingObjection: ['activity', 'activity_id'],
  RetentionDate: ['activity_id', 'on', 'trigger'],
  DuePreview: ['category', 'due_on', 'record_id'],
  PendingErasure: ['erased_at', 'free', 'kept', 'next_on', 'receipt_id', 'subject_id', 'subject_name'],
  KeptRecord: ['activity', 'activity_id', 'because', 'category', 'may_go_on', 'record_id'],
  Subject: ['created_at', 'email', 'id', 'marketing_objection', 'name', 'phone', 'restricted', 'updated_at'],
  Record: ['activity_id', 'category', 'collected_on', 'created_at', 'id', 'source', 'subject_id', 'updated_at', 'value'],
  ConsentEvent: ['activity_id', 'at', 'id', 'kind', 'method', 'purpose', 'subject_id'],
  AuditEvent: ['action', 'actor', 'at', 'entity', 'entity_id', 'fields', 'hash', 'prev_hash', 'reason', 'reason_mac', 'seq', 'subject_id'],
  ActivityName: ['id', 'name'],
  TemplateInfo: ['description', 'key', 'title'],
  Activity: ACTIVITY,
  StoredActivity: [...ACTIVITY, 'created_at', 'id', 'updated_at'],
  ActivityEditor: ['activity', 'categories_in_use', 'dated_triggers', 'id', 'new_processors', 'processors', 'records'],
  Processor: PROCESSOR,
  ProcessorRow: [...PROCESSOR, 'activities', 'created_at', 'id', 'updated_at'],
  // src-tauri/app/transfer_commands.rs and privreg-core's transfer module
  CsvOpened: ['activity', 'categories', 'delimiter', 'encoding', 'file_name', 'headers', 'mapping', 'remembered', 'rows', 'total_rows'],
  CsvMapping: ['columns', 'match_phone', 'source'],
  CsvImportReport: ['activity_id', 'matched_existing', 'merged', 'new_subjects', 'possible_duplicates', 'records', 'rejected', 'rejected_rows',
    'rows', 'skipped', 'skipped_rows', 'written'],
  RowDuplicate: ['line', 'subject_id'],
  RowNote: ['column', 'line', 'reason'],
  ExportSummary: ['path', 'schema_version', 'tables'],
  ErasureSummary: ['consent_events', 'journaled', 'kept', 'notify', 'per_activity', 'receipt', 'records', 'subject_id'],
  // privreg-core's store::breaches and src-tauri/app/breach_commands.rs
  Breach: BREACH,
  BreachPage: [...BREACH, 'activities', 'imports', 'needs_delay_reason', 'processors'],
  ImportSummary: ['activity_id', 'at', 'event', 'records'],
  BreachActivity: ['categories', 'id', 'name'],
  ProcessorName: ['id', 'name'],
  BreachClock: ['aware_at', 'due_at', 'due_local', 'minutes_left', 'overdue', 'running'],
  AffectedSelection: ['activity_ids', 'categories', 'collected_from', 'collected_to', 'import_event', 'subject_ids'],
  AffectedCount: ['categories', 'criminal_offence_data', 'people', 'records', 'special_categories'],
  Assessment: ['art34_exception', 'authority_reasons', 'decided_at', 'decided_by', 'notify_authority', 'notify_subjects', 'risk', 'subjects_reasons'],
  BreachNotice: ['delay_reason', 'id', 'kind', 'letters', 'note', 'reference', 'sent_at'],
  LettersExported: ['letters', 'path'],
  // privreg-core's store::notice and src-tauri/app/notice_commands.rs
  NoticeStatus: ['activities', 'drafts_left_out', 'not_marked', 'published', 'unconfirmed', 'without_text'],
  NoticeDrift: ['changes', 'lang', 'published_at', 'version_id'],
  NoticePreview: ['drift', 'html', 'lang', 'status'],
  NoticeVersionSummary: ['activities', 'id', 'lang', 'published_at'],
  // privreg-core's model::ClientController and store::clients (the processor's record, Art. 30(2))
  ClientController: CLIENT,
  StoredClient: [...CLIENT, 'created_at', 'id', 'updated_at'],
  ClientSummary: ['dpa_reference', 'id', 'missing_fields', 'name', 'org_number', 'processing', 'status', 'sub_processors', 'transfers'],
  // privreg-core's store::merge and src-tauri/app/subject_commands.rs
  DuplicateMatch: ['by_email', 'by_phone', 'subject_id', 'summary'],
  MergePreview: ['fields', 'keep', 'moves', 'other'],
  MergeCounts: ['audit_events', 'breaches', 'consent_events', 'legal_holds', 'notifications', 'objection_decisions', 'records',
    'requests', 'retention_dates'],
  FieldFate: ['activity_id', 'category', 'field', 'outcome'],
  MergeReceipt: ['fields', 'kept', 'merged', 'merged_at', 'moved', 'reason'],
  MergeDone: ['page', 'receipt'],
  ErasureReceipt: ['completed_at', 'consent_events', 'erased_at', 'id', 'kept', 'notify', 'per_activity', 'reason', 'records',
    'request_id', 'request_ref', 'subject_id', 'trigger'],
});

/**
 * `value` is an object with exactly the keys of `shape` (`what` names the type in the
 * failure); a key written "name?" may be absent.
 */
export function assertShape(value, shape, what) {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${what}: not an object: ${JSON.stringify(value)}`);
  const keys = Object.keys(value).sort();
  const optional = shape.filter((k) => k.endsWith('?')).map((k) => k.slice(0, -1));
  const expected = shape.filter((k) => !k.endsWith('?')).sort();
  const missing = expected.filter((k) => !keys.includes(k));
  const extra = keys.filter((k) => !expected.includes(k) && !optional.includes(k));
  assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${what}: the backend's keys differ from what the UI reads`);
}
