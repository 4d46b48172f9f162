//! Processors and recipients, and which activities use them.

use rusqlite::{params, OptionalExtension, Transaction};

use super::controller::changed_fields;
use super::{audit::NewEvent, Ctx, Register};
use crate::error::{Error, Result};
use crate::model::{Id, Processor, StoredProcessor};

pub(crate) fn time(s: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| Error::Corrupt("a stored time is not RFC 3339".into()))
}

fn row(r: &rusqlite::Row) -> rusqlite::Result<(Id, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
}

fn stored((id, body, created, updated): (Id, String, String, String)) -> Result<StoredProcessor> {
    Ok(StoredProcessor {
        id,
        processor: serde_json::from_str(&body)?,
        created_at: time(&created)?,
        updated_at: time(&updated)?,
    })
}

fn insert(tx: &Transaction, ctx: &Ctx, p: &Processor) -> Result<Id> {
    let body = serde_json::to_string(p)?;
    tx.execute(
        "INSERT INTO processors (name, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
        params![p.name.trim(), body, ctx.now],
    )?;
    let id = tx.last_insert_rowid();
    ctx.audit(
        tx,
        NewEvent::new("processor.created", "processor", Some(id)),
    )?;
    Ok(id)
}

/// The id of the processor named like `p` (case and surrounding spaces ignored), added
/// first if there is none. `p` must be valid.
pub(crate) fn find_or_add(tx: &Transaction, ctx: &Ctx, p: &Processor) -> Result<Id> {
    let existing: Option<Id> = tx
        .query_row(
            "SELECT id FROM processors WHERE name = ?1 COLLATE NOCASE ORDER BY id LIMIT 1",
            [p.name.trim()],
            |r| r.get(0),
        )
        .optional()?;
    match existing {
        Some(id) => Ok(id),
        None => insert(tx, ctx, p),
    }
}

impl Register {
    pub fn add_processor(&mut self, p: &Processor) -> Result<StoredProcessor> {
        p.validate()?;
        let id = self.write(|tx, ctx| insert(tx, ctx, p))?;
        self.processor(id)
    }

    pub fn update_processor(&mut self, id: Id, p: &Processor) -> Result<StoredProcessor> {
        p.validate()?;
        let before = self.processor(id)?;
        let changed = changed_fields(Some(&before.processor), p);
        let body = serde_json::to_string(p)?;
        self.write(|tx, ctx| {
            tx.execute(
                "UPDATE processors SET name = ?1, body = ?2, updated_at = ?3 WHERE id = ?4",
                params![p.name.trim(), body, ctx.now, id],
            )?;
            let fields: Vec<&str> = changed.iter().map(String::as_str).collect();
            ctx.audit(
                tx,
                NewEvent::new("processor.changed", "processor", Some(id)).fields(&fields),
            )
        })?;
        self.processor(id)
    }

    /// Deletes a processor that no activity uses and no client controller uses as a
    /// sub-processor (the processor's record, Art. 30(2), and the authorisation of
    /// Art. 28(2) name it).
    pub fn delete_processor(&mut self, id: Id) -> Result<()> {
        self.processor(id)?;
        let users: Vec<Id> = {
            let mut st = self
                .conn()
                .prepare("SELECT activity_id FROM activity_processors WHERE processor_id = ?1")?;
            let ids = st
                .query_map([id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids
        };
        let clients = super::clients::using_processor(self.conn(), id)?;
        if !users.is_empty() || !clients.is_empty() {
            let list = users
                .iter()
                .map(|a| format!("activity {a}"))
                .chain(clients.iter().map(|c| format!("client controller {c}")))
                .collect::<Vec<_>>()
                .join(", ");
            return Err(Error::InUse {
                entity: "processor",
                id,
                users: list,
            });
        }
        self.write(|tx, ctx| {
            tx.execute("DELETE FROM processors WHERE id = ?1", [id])?;
            ctx.audit(
                tx,
                NewEvent::new("processor.deleted", "processor", Some(id)),
            )
        })
    }

    pub fn processor(&self, id: Id) -> Result<StoredProcessor> {
        let r = self
            .conn()
            .query_row(
                "SELECT id, body, created_at, updated_at FROM processors WHERE id = ?1",
                [id],
                row,
            )
            .optional()?
            .ok_or(Error::NotFound {
                entity: "processor",
                id,
            })?;
        stored(r)
    }

    pub fn processors(&self) -> Result<Vec<StoredProcessor>> {
        let mut st = self
            .conn()
            .prepare("SELECT id, body, created_at, updated_at FROM processors ORDER BY name COLLATE NOCASE, id")?;
        let rows = st
            .query_map([], row)?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter().map(stored).collect()
    }
}
