use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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
    /// Data subjects.
    #[command(subcommand)]
    Subject(SubjectCmd),
    /// Personal-data records of a subject.
    #[command(subcommand)]
    Record(RecordCmd),
    /// Consent and objection events.
    #[command(subcommand)]
    Consent(ConsentCmd),
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
    /// Check every page, the database structure and the audit chain. Exits 2 on damage.
    Verify,
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
    },
    /// Reports: the record of processing activities (Art. 30) and subject access
    /// reports (Art. 15). Files are written atomically; producing one is audited.
    #[command(subcommand)]
    Report(ReportCmd),
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
        #[arg(long, value_enum, default_value_t = Art30FormatArg::Pdf)]
        format: Art30FormatArg,
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
        #[arg(long, value_enum, default_value_t = AccessFormatArg::Pdf)]
        format: AccessFormatArg,
        #[arg(long, value_enum, default_value_t = LangArg::En)]
        lang: LangArg,
        /// The file to write (replaced atomically).
        #[arg(short = 'o', long = "output")]
        output: PathBuf,
    },
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Art30FormatArg {
    Pdf,
    Json,
    Csv,
    Xlsx,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccessFormatArg {
    Pdf,
    Json,
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

#[derive(Subcommand, Debug)]
pub enum SubjectCmd {
    Add {
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
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
