//! Getting data in and out of a register.
//!
//! - [`csv`]: reading CSV files (encoding and delimiter detection, RFC 4180 quoting),
//!   and the format a user gives instead.
//! - [`mapping`]: which column goes where; suggested from the headers, remembered per
//!   activity.
//! - [`csv_import`]: the plan (dry run) and the import of a file into one activity.
//! - [`export`]: the whole register as versioned JSON, and a new register from it.

pub mod csv;
pub mod csv_import;
pub mod export;
pub mod mapping;

pub use csv::{read_csv, read_csv_file, CsvFormat, CsvPreview, CsvRow, CsvTable, Encoding};
pub use csv_import::{CsvImportOptions, CsvImportReport, ImportMode, Phase, Progress, RowNote};
pub use mapping::{suggest_mapping, ColumnTarget, CsvMapping, Target};
