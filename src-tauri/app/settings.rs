//! Per-computer settings: language, auto-lock, recent files. A JSON file in the app's
//! data directory, written atomically (temporary file, then rename).

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub const MAX_RECENT: usize = 8;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    pub language: String,
    pub auto_lock_minutes: u32,
    pub recent: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            language: default_language(),
            auto_lock_minutes: 5,
            recent: Vec::new(),
        }
    }
}

/// Norwegian when the system speaks it, English otherwise.
fn default_language() -> String {
    let lang = std::env::var("LC_ALL")
        .or_else(|_| std::env::var("LANG"))
        .unwrap_or_default()
        .to_lowercase();
    if lang.starts_with("nb") || lang.starts_with("no") || lang.starts_with("nn") {
        "nb".into()
    } else {
        "en".into()
    }
}

impl Settings {
    pub fn load(path: &Path) -> Settings {
        fs::read_to_string(path)
            .ok()
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        // The one atomic, owner-only write of the core (the recent files name folders).
        privreg_core::files::write_private(path, text.as_bytes()).map_err(|e| e.source)
    }

    pub fn validate(
        language: &str,
        auto_lock_minutes: u32,
    ) -> Result<(), privreg_core::InputError> {
        if !matches!(language, "en" | "nb") {
            return Err(privreg_core::InputError::invalid("language", "en or nb"));
        }
        if !(1..=240).contains(&auto_lock_minutes) {
            return Err(privreg_core::InputError::invalid(
                "auto_lock_minutes",
                "from 1 to 240 minutes",
            ));
        }
        Ok(())
    }

    /// Puts `path` first in the recent list.
    pub fn touch_recent(&mut self, path: &Path) {
        self.recent.retain(|p| p != path);
        self.recent.insert(0, path.to_path_buf());
        self.recent.truncate(MAX_RECENT);
    }
}
