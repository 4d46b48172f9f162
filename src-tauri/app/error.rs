//! Errors as the window sees them: a stable `kind` the UI translates, the English
//! message, and details (field names, page numbers; never personal data).

use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct IpcError {
    pub kind: String,
    pub message: String,
    pub details: serde_json::Value,
}

impl IpcError {
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        IpcError {
            kind: kind.to_string(),
            message: message.into(),
            details: serde_json::Value::Null,
        }
    }
    pub fn no_register() -> Self {
        IpcError::new("app.no_register", "no register is open")
    }
    pub fn locked() -> Self {
        IpcError::new("app.locked", "the register is locked")
    }
}

impl From<privreg_core::Error> for IpcError {
    fn from(e: privreg_core::Error) -> Self {
        // The full chain goes to the log; core errors carry no personal data.
        let mut chain = e.to_string();
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            chain.push_str(": ");
            chain.push_str(&s.to_string());
            source = s.source();
        }
        eprintln!("privacy-register: {}: {chain}", e.kind());
        IpcError {
            kind: e.kind().to_string(),
            message: e.to_string(),
            details: e.details(),
        }
    }
}

impl From<String> for IpcError {
    fn from(message: String) -> Self {
        IpcError::new("app.io", message)
    }
}

pub type IpcResult<T> = Result<T, IpcError>;
