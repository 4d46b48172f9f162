use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use privreg_core::model::ClientStatus;
use privreg_core::vocab::ClosedList;
use privreg_reports::{
    AccessFormat, Art30Format, BreachLogFormat, LetterFormat, NoticeFormat, ProcessorRecordFormat,
};

/// Parses one of a closed list's codes; `--help` lists them.
fn closed<T: ClosedList + Send + Sync>() -> impl TypedValueParser<Value = T> {
    PossibleValuesParser::new(T::CODES.iter().copied())
        .map(|code| T::parse(&code).expect("one of the listed codes"))
}

#[derive(Parser, Debug)]
#[command(
    name = "privreg",
    version,
    about = "Privacy Register: an encrypted GDPR register, from the command line"
)]
pub struct Cli {
    /// The register file.
    #[arg(long, global = true, env = "PRIVREG_REGISTER")]
    pub register: Option<PathBuf>,
    /// Machine-readable JSON output.
    #[arg(long, global = true)]
    pub json: bool,
    /// Do not use this computer's keychain (always ask for the passphrase).
    #[arg(long, global = true)]
    pub no_keychain: bool,
    /// Who the changes are attributed to in the audit log (default: the OS user).
    #[arg(long, global = true, env = "PRIVREG_ACTOR")]
    pub actor: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Create a new encrypted register; prints the recovery key once.
    Init,
    /// The controller profile (Art. 30(1)(a)).
    #[command(subcommand)]
    Controller(ControllerCmd),
    /// Processing activities (the entries of the Art. 30 record).
    #[command(subcommand)]
    Activity(ActivityCmd),
    /// Processors and recipients.
    #[command(subcommand)]
    Processor(ProcessorCmd),
    /// The processor's record (Art. 30(2)): the controllers this organisation processes
    /// personal data for as a processor.
    #[command(subcommand)]
    Client(ClientCmd),
    /// Data subjects.
    #[command(subcommand)]
    Subject(SubjectCmd),
    /// Personal-data records of a subject.
    #[command(subcommand)]
    Record(RecordCmd),
    /// Consent and objection events.
    #[command(subcommand)]
    Consent(ConsentCmd),
    /// Data subject requests (Art. 12-22) and their deadlines.
    #[command(subcommand)]
    Request(RequestCmd),
    /// Retention: records past their retention period, trigger dates, bulk actions.
    #[command(subcommand)]
    Retention(RetentionCmd),
    /// Legal holds: a subject's or an activity's data must be kept.
    #[command(subcommand)]
    Hold(HoldCmd),
    /// Personal data breaches (Art. 33, 34): the breach log, the 72-hour clock, the
    /// people affected, the assessment and the notices.
    #[command(subcommand)]
    Breach(BreachCmd),
    /// Art. 19: the recipients to tell of a rectification, erasure or restriction.
    #[command(subcommand)]
    Notify(NotifyCmd),
    /// Erase a subject completely (Art. 17); prints the receipt and who to tell (Art. 19).
    Erase {
        subject: i64,
        #[arg(long)]
        reason: String,
    },
    /// Erasure receipts (no personal data).
    Receipts,
    /// Write a verified encrypted backup into a folder.
    Backup {
        /// The folder (made if missing).
        #[arg(short = 'o', long = "output")]
        dir: PathBuf,
        /// Only if no backup was made today, then keep the newest N backups there.
        #[arg(long)]
        auto: bool,
        #[arg(long, default_value_t = 10)]
        keep: usize,
    },
    /// Restore a backup to --register (with the backup's passphrase, or its recovery
    /// key), re-applying every erasure it lacks from the receipts journals.
    Restore {
        file: PathBuf,
        /// Another receipts journal to read (the one beside the backup and the one in
        /// its backup folder are always read).
        #[arg(long = "journal")]
        journals: Vec<PathBuf>,
        /// Replace an existing register (it is kept as NAME.before-restore, then
        /// NAME.before-restore-2, ...; none is ever deleted).
        #[arg(long)]
        replace: bool,
        /// Confirm that no erasure receipts journal exists; without it a restore that
        /// finds none refuses.
        #[arg(long)]
        no_journal: bool,
        /// Unlock the backup with its recovery key (PRIVREG_RECOVERY_KEY, or asked)
        /// instead of the passphrase.
        #[arg(long)]
        recovery_key: bool,
    },
    /// Find subjects by any part of name, e-mail, phone or record value.
    Search {
        query: String,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Counts and what needs attention.
    Overview,
    /// The audit log, newest first.
    Audit {
        /// Only events about this subject.
        #[arg(long)]
        subject: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Change the passphrase (the old one and the old recovery key stop working).
    #[command(subcommand)]
    Passphrase(PassphraseCmd),
    /// Keep this register's key in the keychain of this computer, or forget it.
    #[command(subcommand)]
    Keychain(KeychainCmd),
    /// Check every page, the database structure and the whole audit chain. Exits 2 on
    /// damage, and when the history up to an earlier report was changed.
    Verify {
        /// The audit head an earlier report printed, as HASH:COUNT: proves that the
        /// history up to that report was not rewritten (event COUNT still has that hash).
        #[arg(long, value_name = "HASH:COUNT", conflicts_with = "against")]
        head: Option<String>,
        /// A saved report (JSON, or a PDF of this program) to read that head from.
        #[arg(long, value_name = "FILE")]
        against: Option<PathBuf>,
    },
    /// Create a register at PATH filled with realistic synthetic data.
    Demo {
        path: PathBuf,
        /// How many synthetic subjects.
        #[arg(long, default_value_t = 300)]
        subjects: usize,
        /// Seed for the synthetic data.
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Language of the activities and processors.
        #[arg(long, value_enum, default_value_t = LangArg::Nb)]
        lang: LangArg,
        /// Subjects per transaction.
        #[arg(long, default_value_t = 100)]
        batch: usize,
        /// Print "committed N" after each transaction.
        #[arg(long)]
        progress: bool,
    },
    /// Benchmarks (use a release build): import, search, open and erase at each size,
    /// encrypted vs plain SQLite vs the raw floor; prints a Markdown table.
    Bench {
        /// Comma-separated numbers of subjects.
        #[arg(long, value_delimiter = ',', default_values_t = vec![10_000, 100_000, 1_000_000])]
        sizes: Vec<usize>,
        /// Queries of each kind per size.
        #[arg(long, default_value_t = 200)]
        queries: usize,
        /// Where the temporary registers go (a real disk, not tmpfs).
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Subjects per transaction in the imports (all three: encrypted, plain, floor).
        #[arg(long, default_value_t = privreg_core::bench::BATCH)]
        batch: usize,
        /// Comma-separated numbers of rows for the CSV import benchmark.
        #[arg(long, value_delimiter = ',', default_values_t = vec![100_000])]
        csv_rows: Vec<usize>,
        /// Only the CSV import benchmark.
        #[arg(long)]
        csv_only: bool,
    },
    /// Import subjects and records from a CSV file into one activity. Without --map the
    /// mapping last used for the activity applies, or one suggested from the column
    /// names; --dry-run shows the counts and writes nothing.
    ImportCsv {
        file: PathBuf,
        /// The activity the rows are imported into.
        #[arg(long)]
        activity: i64,
        /// COLUMN=FIELD, FIELD being name, first_name, last_name, email, phone, a data
        /// category of the activity (or category:NAME), or ignore. Repeatable; a column
        /// given twice goes to both. Columns not given keep the remembered or suggested
        /// mapping.
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// Show what would happen; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Import nothing if any row is rejected (default: import the good rows).
        #[arg(long)]
        all_or_nothing: bool,
        /// Match a row without an e-mail to a subject with the same phone number.
        #[arg(long)]
        match_phone: bool,
        /// The records' source (default: the remembered one, or "CSV import").
        #[arg(long)]
        source: Option<String>,
        /// When the data was collected, YYYY-MM-DD (default: today).
        #[arg(long)]
        collected: Option<chrono::NaiveDate>,
        /// The delimiter: ";", ",", "tab" (default: detected).
        #[arg(long)]
        delimiter: Option<String>,
        /// utf-8 or windows-1252 (default: detected).
        #[arg(long)]
        encoding: Option<String>,
    },
    /// Write the whole register as one JSON file (format documented in
    /// schemas/register-export.schema.json). The file holds personal data unencrypted.
    Export {
        /// The file to write (replaced atomically if it exists).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// Create a new register (--register, which must not exist) from an export file.
    /// Asks for the new register's passphrase and prints its recovery key once.
    Import { file: PathBuf },
    /// Reports: the record of processing activities (Art. 30) and subject access
    /// reports (Art. 15). Files are written atomically; producing one is audited.
    #[command(subcommand)]
    Report(ReportCmd),
    /// The privacy notice (Art. 13, 14) written from the register: show or save it,
    /// publish a version (audited), the versions, what changed since the last one, and
    /// between two of them.
    #[command(subcommand)]
    Notice(NoticeCmd),
    /// Benchmark of the reports (use a release build): an access report for one
    /// subject and the Art. 30 record of N activities in every format.
    BenchReports {
        /// Activities in the Art. 30 record.
        #[arg(long, default_value_t = 50)]
        activities: usize,
        /// Runs of each export.
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Where the temporary register goes.
        #[arg(long, default_value = "target/bench")]
        dir: PathBuf,
    },
    /// List the activity templates.
    Templates {
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
    },
}

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// The record of processing activities (GDPR Art. 30).
    Art30 {
        /// pdf, json, csv or xlsx; xlsx-datatilsynet or xlsx-ico for the layout of
        /// Datatilsynet's or the ICO's template; dpv for JSON-LD in the W3C Data
        /// Privacy Vocabulary.
        #[arg(long, value_parser = closed::<Art30Format>(), default_value_t = Art30Format::Pdf)]
        format: Art30Format,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// The file to write (replaced atomically).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The subject access report (GDPR Art. 15) for one subject; JSON is the Art. 20
    /// portable copy.
    Access {
        subject: i64,
        #[arg(long, value_parser = closed::<AccessFormat>(), default_value_t = AccessFormat::Pdf)]
        format: AccessFormat,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// The file to write (replaced atomically).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The processor's record (Art. 30(2)): every controller the organisation processes
    /// personal data for; `xlsx-datatilsynet` is the XLSX in the layout of Datatilsynet's
    /// template for the processor's record.
    ProcessorRecord {
        #[arg(long, value_parser = closed::<ProcessorRecordFormat>(), default_value_t = ProcessorRecordFormat::Pdf)]
        format: ProcessorRecordFormat,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// The file to write (replaced atomically).
        #[arg(short = 'o', long = "output", alias = "out")]
        output: PathBuf,
    },
    /// The breach log (Art. 33(5)): every breach, notified or not, with its facts,
    /// effects and remedial action.
    Breaches {
        #[arg(long, value_parser = closed::<BreachLogFormat>(), default_value_t = BreachLogFormat::Pdf)]
        format: BreachLogFormat,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// The file to write (replaced atomically).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
    /// The reply letter to the person who made a request (Art. 12(3)-(4)): once it is
    /// completed, refused or extended.
    Reply {
        request: i64,
        #[arg(long, value_parser = closed::<LetterFormat>(), default_value_t = LetterFormat::Pdf)]
        format: LetterFormat,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// The file to write (replaced atomically).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum NoticeCmd {
    /// The notice as the register says it now (or a published version): printed, or
    /// written to --out (atomically, owner-only, audited). A PDF needs --out.
    Show {
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        #[arg(long, value_parser = closed::<NoticeFormat>(), default_value_t = NoticeFormat::Html)]
        format: NoticeFormat,
        /// The file to write (replaced atomically).
        #[arg(short = 'o', long = "out")]
        out: Option<PathBuf>,
        /// A published version (see `notice versions`), in its own language; its HTML
        /// exactly as published.
        #[arg(long)]
        version: Option<i64>,
    },
    /// Publish the notice in a language as the register says it now: the version is
    /// kept in the register, and the overview says when the register changes after it.
    Publish {
        #[arg(long, value_enum)]
        lang: LangArg,
    },
    /// The published versions, newest first.
    Versions,
    /// What changed since the notice was last published (one language, or each).
    Drift {
        #[arg(long, value_enum)]
        lang: Option<LangArg>,
    },
    /// What changed from published version A to published version B.
    Diff { a: i64, b: i64 },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LangArg {
    En,
    Nb,
}

#[derive(Subcommand, Debug)]
pub enum ControllerCmd {
    Show,
    /// Set from a JSON file (see `controller show --json` for the shape) and/or flags.
    Set {
        #[arg(long)]
        file: Option<PathBuf>,
        #[arg(long)]
        organisation: Option<String>,
        #[arg(long)]
        org_number: Option<String>,
        #[arg(long)]
        address: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
    },
}

#[derive(Args, Debug, Default)]
pub struct ActivityFields {
    /// Start from this template (see `privreg templates`).
    #[arg(long)]
    pub template: Option<String>,
    #[arg(long, value_enum)]
    pub lang: Option<LangArg>,
    /// The whole activity as JSON (see `activity show --json`).
    #[arg(long)]
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
    /// A purpose (repeatable).
    #[arg(long = "purpose")]
    pub purposes: Vec<String>,
    /// An Art. 6 basis: consent, contract, legal_obligation, vital_interests, public_task, legitimate_interests (repeatable).
    #[arg(long = "basis")]
    pub bases: Vec<String>,
    /// A category of data subjects (repeatable).
    #[arg(long = "subjects")]
    pub subject_categories: Vec<String>,
    /// A category of personal data (repeatable).
    #[arg(long = "category")]
    pub categories: Vec<String>,
    /// A category of recipients (repeatable).
    #[arg(long = "recipient")]
    pub recipients: Vec<String>,
    /// A security measure (repeatable).
    #[arg(long = "security")]
    pub security: Vec<String>,
    /// A processor id (repeatable).
    #[arg(long = "processor")]
    pub processors: Vec<i64>,
    /// draft or approved.
    #[arg(long)]
    pub status: Option<String>,
    /// Date of the last review, YYYY-MM-DD.
    #[arg(long)]
    pub reviewed: Option<chrono::NaiveDate>,
    /// Mark as direct marketing (objections stop it).
    #[arg(long)]
    pub direct_marketing: Option<bool>,
    /// Described in the privacy notice (true or false); only approved activities are.
    #[arg(long)]
    pub in_notice: Option<bool>,
    /// The short plain-language description for the privacy notice.
    #[arg(long)]
    pub notice_text: Option<String>,
    /// Confirm an answer a template proposed: retention, dpia or automated_decisions
    /// (repeatable).
    #[arg(long = "confirm")]
    pub confirm: Vec<String>,
}

#[derive(Subcommand, Debug)]
pub enum ActivityCmd {
    Add(ActivityFields),
    List,
    Show {
        id: i64,
    },
    Edit {
        id: i64,
        #[command(flatten)]
        fields: ActivityFields,
    },
    Delete {
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum ProcessorCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        country: String,
        /// processor, sub_processor or recipient.
        #[arg(long, default_value = "processor")]
        role: String,
        /// Reference to the data processing agreement.
        #[arg(long, default_value = "")]
        dpa: String,
    },
    List,
}

/// A controller the organisation processes personal data for (Art. 30(2)). A list flag
/// given replaces that list; with `edit`, what is not given stays as it was.
#[derive(Args, Debug, Default)]
pub struct ClientFields {
    /// The whole controller as JSON (see `client show ID --json`); flags then change it.
    #[arg(long)]
    pub file: Option<PathBuf>,
    /// The controller's name (Art. 30(2)(a)).
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub org_number: Option<String>,
    #[arg(long)]
    pub address: Option<String>,
    #[arg(long)]
    pub email: Option<String>,
    #[arg(long)]
    pub phone: Option<String>,
    /// The controller's representative in the EU/EEA (Art. 27).
    #[arg(long)]
    pub representative_name: Option<String>,
    #[arg(long)]
    pub representative_email: Option<String>,
    #[arg(long)]
    pub representative_phone: Option<String>,
    #[arg(long)]
    pub representative_address: Option<String>,
    /// The controller's data protection officer.
    #[arg(long)]
    pub dpo_name: Option<String>,
    #[arg(long)]
    pub dpo_email: Option<String>,
    #[arg(long)]
    pub dpo_phone: Option<String>,
    #[arg(long)]
    pub dpo_address: Option<String>,
    /// The data processing agreement (Art. 28(3)): where it is kept, or its reference.
    #[arg(long)]
    pub dpa: Option<String>,
    /// The date of the data processing agreement, YYYY-MM-DD.
    #[arg(long)]
    pub dpa_date: Option<chrono::NaiveDate>,
    /// A category of processing carried out on the controller's behalf (Art. 30(2)(b);
    /// repeatable).
    #[arg(long = "processing")]
    pub processing: Vec<String>,
    /// A processor id engaged as a sub-processor (Art. 28(2); repeatable).
    #[arg(long = "sub-processor")]
    pub sub_processors: Vec<i64>,
    /// A transfer (Art. 30(2)(c); repeatable): "COUNTRY;SAFEGUARD[;RECIPIENT[;DOCUMENTATION]]",
    /// SAFEGUARD one of adequacy_decision, standard_contractual_clauses,
    /// binding_corporate_rules, code_of_conduct, certification, derogation,
    /// compelling_legitimate_interests (which needs the documentation).
    #[arg(long = "transfer")]
    pub transfers: Vec<String>,
    /// A technical or organisational security measure (Art. 30(2)(d); repeatable).
    #[arg(long = "security")]
    pub security: Vec<String>,
    #[arg(long, value_parser = closed::<ClientStatus>())]
    pub status: Option<ClientStatus>,
    #[arg(long)]
    pub notes: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum ClientCmd {
    /// Add a controller from a JSON file and/or flags.
    Add(ClientFields),
    /// List the controllers, with what each entry still lacks.
    List,
    Show {
        id: i64,
    },
    /// Change a controller; flags not given keep their values.
    Edit {
        id: i64,
        #[command(flatten)]
        fields: ClientFields,
    },
    /// Remove a controller from the processor's record (audited).
    Remove {
        id: i64,
    },
}

#[derive(Subcommand, Debug)]
pub enum SubjectCmd {
    /// Add a person. One erased at their request before is refused (the suppression
    /// list) unless --override-suppression gives the reason, which is audited.
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// Why this person may be added again (a new, documented consent, say).
        #[arg(long, value_name = "REASON")]
        override_suppression: Option<String>,
    },
    List {
        #[arg(long, default_value_t = 0)]
        offset: i64,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// name, email, created or updated.
        #[arg(long, default_value = "name")]
        sort: String,
        #[arg(long)]
        desc: bool,
    },
    /// Everything held about a subject (the view is audited).
    Show { id: i64 },
    /// Rectify a subject's name, e-mail or phone; the reason is required.
    Edit {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        reason: String,
    },
    /// Erase a subject and all their data (Art. 17).
    Erase {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Restrict processing (Art. 18): the subject's data is frozen.
    Restrict {
        id: i64,
        #[arg(long)]
        reason: String,
    },
    /// Lift a restriction.
    /// Lift a restriction; --told-on is when the person was told (Art. 18(3)).
    Unrestrict {
        id: i64,
        #[arg(long)]
        reason: String,
        #[arg(long)]
        told_on: Option<chrono::NaiveDate>,
    },
    /// Merge two records of one person: everything about OTHER (records, consents,
    /// requests, holds, retention dates, Art. 19 tasks, breach links, history) moves to
    /// KEEP, and OTHER's row goes. Audited on both. Refused while either is restricted
    /// or OTHER is under a legal hold.
    Merge {
        keep: i64,
        other: i64,
        /// Why they are one person; required unless --preview.
        #[arg(long, required_unless_present = "preview")]
        reason: Option<String>,
        /// Only say what would move, and what happens to OTHER's name, e-mail and phone.
        #[arg(long)]
        preview: bool,
    },
    /// Pairs of people registered with the same e-mail address or phone number (the
    /// phone compared by its digits: "+47 912 34 567" is "91234567").
    Duplicates,
}

#[derive(Subcommand, Debug)]
pub enum RequestCmd {
    /// Register a request; its deadline runs from the date received.
    Add {
        /// access, rectification, erasure, restriction, portability or objection.
        #[arg(long = "type")]
        kind: String,
        /// The subject, when known.
        #[arg(long)]
        subject: Option<i64>,
        /// Who asked, when not yet matched to a subject.
        #[arg(long, default_value = "")]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// YYYY-MM-DD; today when omitted.
        #[arg(long)]
        received: Option<chrono::NaiveDate>,
        /// email, letter, phone, in_person, web_form or other.
        #[arg(long, default_value = "email")]
        channel: String,
        #[arg(long, default_value = "")]
        notes: String,
    },
    /// Requests with their deadlines, newest first (open ones by deadline).
    List {
        #[arg(long)]
        open: bool,
        #[arg(long)]
        subject: Option<i64>,
    },
    /// A request and the actions taken on it.
    Show { id: i64 },
    /// Link a request to the subject the requester turned out to be.
    Match {
        id: i64,
        #[arg(long)]
        subject: i64,
    },
    /// Record how and when the requester's identity was verified.
    Verify {
        id: i64,
        #[arg(long)]
        how: String,
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
    },
    /// Mark as in progress.
    Start { id: i64 },
    /// Extend the deadline by one or two further months (Art. 12(3)).
    Extend {
        id: i64,
        #[arg(long, default_value_t = 2)]
        months: u32,
        #[arg(long)]
        reason: String,
        /// When the person was told of the extension and why (within the first month).
        #[arg(long)]
        told_on: Option<chrono::NaiveDate>,
    },
    /// Record that proof of identity was asked for, and how (Art. 12(6)).
    AskIdentity {
        id: i64,
        #[arg(long)]
        how: String,
    },
    /// Complete: do what the request asks (erase, restrict, suppress, rectify) or, for
    /// access and portability, record what was sent.
    Complete {
        id: i64,
        /// Access/portability: the format sent (pdf, json).
        #[arg(long)]
        format: Option<String>,
        /// Access/portability: the file name sent.
        #[arg(long, default_value = "")]
        file: String,
        /// Rectification: new name, e-mail or phone.
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        /// Rectification: RECORD_ID=NEW VALUE (repeatable).
        #[arg(long = "record")]
        records: Vec<String>,
    },
    /// Refuse, with the reason (e.g. manifestly unfounded, Art. 12(5)).
    /// Refuse on a ground the law gives: manifestly_unfounded, excessive,
    /// identity_not_established (any request); freedom_of_expression, legal_obligation,
    /// public_health, archiving, legal_claims (erasure, Art. 17(3)); compelling_grounds
    /// (objection, Art. 21(1)); portability_not_applicable (Art. 20(1)).
    Refuse {
        id: i64,
        #[arg(long)]
        ground: String,
        #[arg(long)]
        reason: String,
    },
    /// Answer "we hold no personal data about you" (the request matches no one).
    NoData { id: i64 },
    /// Say what the completion will leave undone, and on which ground (the grounds of
    /// `refuse`, and rights_of_others for access, Art. 15(4)); `--not-done ""` takes
    /// it back. The request is then completed as usual, and closed as partly completed.
    Partly {
        id: i64,
        #[arg(long)]
        ground: String,
        #[arg(long)]
        not_done: String,
    },
    /// Record the fee charged: --amount 250 --currency NOK --ground excessive
    /// (Art. 12(5)(a)) or further_copies (Art. 15(3)); --none: free of charge.
    Fee {
        id: i64,
        #[arg(long, required_unless_present = "none")]
        amount: Option<String>,
        #[arg(long, default_value = "NOK")]
        currency: String,
        #[arg(long, default_value = "excessive")]
        ground: String,
        #[arg(long, default_value = "")]
        reason: String,
        #[arg(long, conflicts_with = "amount")]
        none: bool,
    },
    /// Record when and how the reply was sent to the person.
    ReplySent {
        id: i64,
        #[arg(long)]
        how: String,
        /// YYYY-MM-DD; today when omitted.
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
    },
    /// All requests as OpenDSR-shaped JSON (to stdout, or a file written atomically).
    Export {
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
    },
}

/// A breach's facts as flags (`breach add` and `breach edit`). Times: RFC 3339 or
/// "YYYY-MM-DD HH:MM" in Oslo time.
#[derive(clap::Args, Debug, Default)]
pub struct BreachFields {
    /// A JSON file with the facts (see `breach show --json`); flags override it.
    #[arg(long)]
    pub file: Option<PathBuf>,
    #[arg(long)]
    pub title: Option<String>,
    /// When the organisation became aware: the 72-hour clock starts here.
    #[arg(long)]
    pub aware: Option<String>,
    #[arg(long)]
    pub discovered: Option<String>,
    /// When it began and ended.
    #[arg(long)]
    pub from: Option<String>,
    #[arg(long)]
    pub to: Option<String>,
    #[arg(long)]
    pub found_by: Option<String>,
    /// How it arose: the main cause.
    #[arg(long)]
    pub cause: Option<String>,
    /// What happened.
    #[arg(long)]
    pub description: Option<String>,
    /// confidentiality, integrity, availability (repeatable; replaces the kinds).
    #[arg(long = "kind")]
    pub kinds: Vec<String>,
    /// Where the data is now.
    #[arg(long)]
    pub location: Option<String>,
    /// The processor that reported it (Art. 33(2)), and when it told us.
    #[arg(long)]
    pub processor: Option<i64>,
    #[arg(long)]
    pub processor_told: Option<String>,
    /// The organisation's relation to the people.
    #[arg(long)]
    pub relation: Option<String>,
    #[arg(long)]
    pub consequences: Option<String>,
    #[arg(long)]
    pub measures_taken: Option<String>,
    #[arg(long)]
    pub measures_planned: Option<String>,
    /// The contact point for more information (DPO or contact person).
    #[arg(long)]
    pub contact: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum BreachCmd {
    /// Record a breach (prints its reference and the 72-hour deadline).
    Add(BreachFields),
    /// Change a breach's facts.
    Edit {
        id: i64,
        #[command(flatten)]
        fields: BreachFields,
    },
    /// Every breach, newest first, with its clock.
    List,
    Show {
        id: i64,
    },
    /// The CSV imports the register's history records (to choose with --import).
    Imports,
    /// Choose the people affected: by activity, data category, a collection window,
    /// one CSV import, or by hand; --dry-run counts them only.
    Affected {
        id: i64,
        #[arg(long = "activity")]
        activities: Vec<i64>,
        #[arg(long = "category")]
        categories: Vec<String>,
        /// Records collected from / to (YYYY-MM-DD, inclusive).
        #[arg(long)]
        from: Option<chrono::NaiveDate>,
        #[arg(long)]
        to: Option<chrono::NaiveDate>,
        /// Only the records one CSV import wrote (its number from `breach imports`).
        #[arg(long)]
        import: Option<i64>,
        #[arg(long = "subject")]
        subjects: Vec<i64>,
        #[arg(long)]
        dry_run: bool,
    },
    /// The risk assessment and the two decisions (Art. 33(1), 34).
    Assess {
        id: i64,
        /// unlikely, risk or high.
        #[arg(long)]
        risk: String,
        /// Notify Datatilsynet: yes or no.
        #[arg(long)]
        notify_authority: String,
        #[arg(long)]
        authority_reasons: String,
        /// Tell the people: yes or no.
        #[arg(long)]
        notify_subjects: String,
        #[arg(long)]
        subjects_reasons: String,
        /// unintelligible, risk_no_longer_likely or public_communication (Art. 34(3)).
        #[arg(long)]
        exception: Option<String>,
        #[arg(long)]
        decided_by: String,
    },
    /// Record a notice sent: initial or follow_up (to Datatilsynet), subjects (to the
    /// people).
    Notify {
        id: i64,
        #[arg(long)]
        kind: String,
        /// When it was sent (now when omitted).
        #[arg(long)]
        sent: Option<String>,
        #[arg(long, default_value = "")]
        reference: String,
        /// Why a first notification came after the 72 hours (Art. 33(1)).
        #[arg(long, default_value = "")]
        delay_reason: String,
        #[arg(long, default_value = "")]
        note: String,
        /// Letters made for the people.
        #[arg(long)]
        letters: Option<i64>,
    },
    /// Close a breach with a note.
    Close {
        id: i64,
        #[arg(long)]
        note: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum NotifyCmd {
    /// The recipients still to be told (all tasks with --all; one person's with
    /// --subject).
    List {
        #[arg(long)]
        all: bool,
        #[arg(long)]
        subject: Option<i64>,
    },
    /// Close a task: told (--how: by what means), impossible or disproportionate
    /// (--how: why, Art. 19).
    Mark {
        id: i64,
        /// told, impossible or disproportionate.
        #[arg(long, default_value = "told")]
        status: String,
        #[arg(long)]
        how: String,
        /// YYYY-MM-DD; today when omitted.
        #[arg(long)]
        on: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand, Debug)]
pub enum RetentionCmd {
    /// Records past their retention, grouped by activity.
    Due {
        #[arg(long)]
        activity: Option<i64>,
    },
    /// Erase or anonymise due records: every one of an activity, or the ones named.
    Apply {
        #[arg(long, conflicts_with = "records", required_unless_present = "records")]
        activity: Option<i64>,
        #[arg(long = "record")]
        records: Vec<i64>,
        /// erase or anonymise.
        #[arg(long)]
        action: String,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// Set (or --clear) the date a trigger counts from for a subject in an activity.
    Date {
        #[arg(long)]
        subject: i64,
        #[arg(long)]
        activity: i64,
        /// relationship_ended, application_closed, unsubscribed or last_contact.
        #[arg(long)]
        trigger: String,
        #[arg(long, required_unless_present = "clear")]
        on: Option<chrono::NaiveDate>,
        #[arg(long)]
        clear: bool,
    },
    /// Finish the erasures that kept records (Art. 17(3)) whose time is up: erase the
    /// kept records no legal obligation or hold requires any more, and complete the
    /// receipt of a person left with none.
    Finish {
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum HoldCmd {
    Add {
        #[arg(
            long,
            conflicts_with = "activity",
            required_unless_present = "activity"
        )]
        subject: Option<i64>,
        #[arg(long)]
        activity: Option<i64>,
        #[arg(long)]
        reason: String,
        /// The last day it holds; until released when omitted.
        #[arg(long)]
        until: Option<chrono::NaiveDate>,
    },
    List {
        /// Released holds too.
        #[arg(long)]
        all: bool,
    },
    Release {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum RecordCmd {
    Add {
        #[arg(long)]
        subject: i64,
        #[arg(long)]
        activity: i64,
        /// One of the activity's data categories.
        #[arg(long)]
        category: String,
        #[arg(long)]
        value: String,
        #[arg(long, default_value = "")]
        source: String,
        /// YYYY-MM-DD; today when omitted.
        #[arg(long)]
        collected: Option<chrono::NaiveDate>,
    },
    /// Rectify a record's value; the reason is required.
    Edit {
        id: i64,
        #[arg(long)]
        value: String,
        #[arg(long)]
        reason: String,
    },
    Delete {
        id: i64,
        #[arg(long)]
        reason: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ConsentCmd {
    Add {
        #[arg(long)]
        subject: i64,
        #[arg(long)]
        activity: i64,
        #[arg(long)]
        purpose: String,
        /// consent_given, consent_withdrawn or objection.
        #[arg(long)]
        kind: String,
        #[arg(long, default_value = "")]
        method: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum PassphraseCmd {
    /// The new passphrase comes from PRIVREG_NEW_PASSPHRASE or a prompt.
    Change,
}

#[derive(Subcommand, Debug)]
pub enum KeychainCmd {
    Remember,
    Forget,
}
