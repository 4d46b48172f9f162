//! The controller profile (Art. 30(1)(a)): one row.

use rusqlite::OptionalExtension;

use super::{audit::NewEvent, Register};
use crate::error::Result;
use crate::model::Controller;

impl Register {
    pub fn controller(&self) -> Result<Option<Controller>> {
        let body: Option<String> = self
            .conn()
            .query_row("SELECT body FROM controller WHERE id = 1", [], |r| r.get(0))
            .optional()?;
        Ok(match body {
            Some(b) => Some(serde_json::from_str(&b)?),
            None => None,
        })
    }

    pub fn set_controller(&mut self, controller: &Controller) -> Result<()> {
        controller.validate()?;
        let before = self.controller()?;
        let changed = changed_fields(before.as_ref(), controller);
        let body = serde_json::to_string(controller)?;
        self.write(|tx, ctx| {
            tx.execute(
                "INSERT INTO controller (id, body, updated_at) VALUES (1, ?1, ?2)
                 ON CONFLICT (id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
                rusqlite::params![body, ctx.now],
            )?;
            let fields: Vec<&str> = changed.iter().map(String::as_str).collect();
            ctx.audit(tx, NewEvent::new("controller.changed", "controller", Some(1)).fields(&fields))
        })
    }
}

/// Names of the top-level fields that differ between two serialisable values.
pub(crate) fn changed_fields<T: serde::Serialize>(before: Option<&T>, after: &T) -> Vec<String> {
    let a = before
        .and_then(|b| serde_json::to_value(b).ok())
        .unwrap_or(serde_json::Value::Null);
    let b = serde_json::to_value(after).unwrap_or(serde_json::Value::Null);
    match (a, b) {
        (serde_json::Value::Object(a), serde_json::Value::Object(b)) => {
            let mut changed: Vec<String> = b
                .iter()
                .filter(|(k, v)| a.get(*k) != Some(v))
                .map(|(k, _)| k.clone())
                .collect();
            // A field left out when empty (an activity's last proposal confirmed).
            changed.extend(a.keys().filter(|k| !b.contains_key(*k)).cloned());
            changed
        }
        (_, serde_json::Value::Object(b)) => b
            .iter()
            .filter(|(_, v)| !v.is_null() && **v != serde_json::json!(""))
            .map(|(k, _)| k.clone())
            .collect(),
        _ => Vec::new(),
    }
}
