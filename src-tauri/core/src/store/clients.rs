//! The processor's record (Art. 30(2)): the controllers this organisation processes
//! personal data for as a processor (a consultancy's clients), one row of the `clients`
//! table each, the body a [`ClientController`] as JSON like `activities`.
//!
//! Every change is audited in its transaction: `client.created`, `client.updated` (with
//! the names of the fields that changed, never their values) and `client.removed`. A
//! client may be removed at any time: nothing else refers to it. Its sub-processors are
//! processors of the `processors` table; each must exist and be a processor, not a
//! recipient (Art. 28(2), (4): a sub-processor is another processor), and a processor
//! that a client uses as a sub-processor cannot be deleted (see
//! [`Register::delete_processor`]).

use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};

use super::controller::changed_fields;
use super::processors::time;
use super::{audit::NewEvent, Register};
use crate::error::{Error, InputError, Result};
use crate::model::{
    ClientController, ClientStatus, Contact, Id, Processor, ProcessorRole, StoredClient,
};

/// A line of the list of client controllers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSummary {
    pub id: Id,
    pub name: String,
    pub org_number: String,
    pub status: ClientStatus,
    /// Art. 30(2)(b): the categories of processing carried out for it.
    pub processing: Vec<String>,
    /// The names of its sub-processors, in the client's order.
    pub sub_processors: Vec<String>,
    /// How many transfers to third countries it has (Art. 30(2)(c)).
    pub transfers: usize,
    pub dpa_reference: String,
    /// What its entry still lacks ([`ClientController::missing_fields`]).
    pub missing_fields: Vec<String>,
}

fn stored(id: Id, body: &str, created: &str, updated: &str) -> Result<StoredClient> {
    Ok(StoredClient {
        id,
        client: serde_json::from_str(body)?,
        created_at: time(created)?,
        updated_at: time(updated)?,
    })
}

/// A contact with nothing in it is no contact.
fn contact(c: &Option<Contact>) -> Option<Contact> {
    let c = c.as_ref()?;
    let c = Contact {
        name: c.name.trim().to_string(),
        email: c.email.trim().to_string(),
        phone: c.phone.trim().to_string(),
        address: c.address.trim().to_string(),
    };
    (!c.is_empty()).then_some(c)
}

/// Trimmed, empty lines and empty contacts dropped, each sub-processor once.
fn normalise(c: &ClientController) -> ClientController {
    let clean = |v: &Vec<String>| -> Vec<String> {
        v.iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let mut c = c.clone();
    c.name = c.name.trim().to_string();
    c.org_number = c.org_number.trim().to_string();
    c.address = c.address.trim().to_string();
    c.email = c.email.trim().to_string();
    c.phone = c.phone.trim().to_string();
    c.representative = contact(&c.representative);
    c.dpo = contact(&c.dpo);
    c.dpa_reference = c.dpa_reference.trim().to_string();
    c.processing = clean(&c.processing);
    c.security_measures = clean(&c.security_measures);
    c.notes = c.notes.trim().to_string();
    let mut seen = std::collections::HashSet::new();
    c.sub_processor_ids.retain(|id| seen.insert(*id));
    for t in &mut c.transfers {
        t.country = t.country.trim().to_string();
        t.recipient = t.recipient.trim().to_string();
        t.documentation = t.documentation.trim().to_string();
    }
    c
}

/// Each sub-processor is a processor in the register, and not a recipient: a
/// recipient decides for itself what it does with the data (an independent
/// controller), so it cannot process the client's data on our instructions (Art.
/// 28(2), (4)).
fn check_sub_processors(tx: &Transaction, c: &ClientController) -> Result<()> {
    for pid in &c.sub_processor_ids {
        let body: Option<String> = tx
            .query_row("SELECT body FROM processors WHERE id = ?1", [pid], |r| {
                r.get(0)
            })
            .optional()?;
        let Some(body) = body else {
            return Err(InputError::invalid(
                "sub_processor_ids",
                format!("processor {pid} does not exist"),
            )
            .into());
        };
        let p: Processor = serde_json::from_str(&body)?;
        if p.role == ProcessorRole::Recipient {
            return Err(InputError::invalid(
                "sub_processor_ids",
                format!(
                    "processor {pid} is a recipient (an independent controller), not a processor"
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// The ids of the client controllers that use processor `processor_id` as a
/// sub-processor, in id order.
pub(crate) fn using_processor(conn: &Connection, processor_id: Id) -> Result<Vec<Id>> {
    let mut st = conn.prepare("SELECT id, body FROM clients ORDER BY id")?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, Id>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut users = Vec::new();
    for (id, body) in rows {
        let c: ClientController = serde_json::from_str(&body)?;
        if c.sub_processor_ids.contains(&processor_id) {
            users.push(id);
        }
    }
    Ok(users)
}

impl Register {
    /// Adds a controller this organisation processes personal data for (Art. 30(2)).
    pub fn add_client(&mut self, client: &ClientController) -> Result<StoredClient> {
        let c = normalise(client);
        c.validate()?;
        let body = serde_json::to_string(&c)?;
        let id = self.write(|tx, ctx| {
            check_sub_processors(tx, &c)?;
            tx.execute(
                "INSERT INTO clients (name, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)",
                params![c.name, body, ctx.now],
            )?;
            let id = tx.last_insert_rowid();
            ctx.audit(tx, NewEvent::new("client.created", "client", Some(id)))?;
            Ok(id)
        })?;
        self.client(id)
    }

    /// Replaces a client controller's entry; the audit event names the fields that
    /// changed.
    pub fn update_client(&mut self, id: Id, client: &ClientController) -> Result<StoredClient> {
        let c = normalise(client);
        c.validate()?;
        let before = self.client(id)?;
        let changed = changed_fields(Some(&before.client), &c);
        let body = serde_json::to_string(&c)?;
        self.write(|tx, ctx| {
            check_sub_processors(tx, &c)?;
            tx.execute(
                "UPDATE clients SET name = ?1, body = ?2, updated_at = ?3 WHERE id = ?4",
                params![c.name, body, ctx.now, id],
            )?;
            let fields: Vec<&str> = changed.iter().map(String::as_str).collect();
            ctx.audit(
                tx,
                NewEvent::new("client.updated", "client", Some(id)).fields(&fields),
            )
        })?;
        self.client(id)
    }

    /// Removes a client controller's entry (nothing else refers to it); audited.
    pub fn remove_client(&mut self, id: Id) -> Result<()> {
        self.client(id)?;
        self.write(|tx, ctx| {
            tx.execute("DELETE FROM clients WHERE id = ?1", [id])?;
            ctx.audit(tx, NewEvent::new("client.removed", "client", Some(id)))
        })
    }

    pub fn client(&self, id: Id) -> Result<StoredClient> {
        let (body, created, updated): (String, String, String) = self
            .conn()
            .query_row(
                "SELECT body, created_at, updated_at FROM clients WHERE id = ?1",
                [id],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?
            .ok_or(Error::NotFound {
                entity: "client",
                id,
            })?;
        stored(id, &body, &created, &updated)
    }

    /// Every client controller, by name.
    pub fn clients(&self) -> Result<Vec<StoredClient>> {
        let mut st = self.conn().prepare(
            "SELECT id, body, created_at, updated_at FROM clients ORDER BY name COLLATE NOCASE, id",
        )?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, Id>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.iter()
            .map(|(id, b, c, u)| stored(*id, b, c, u))
            .collect()
    }

    /// The list of client controllers, with their sub-processors by name.
    pub fn client_summaries(&self) -> Result<Vec<ClientSummary>> {
        let names: std::collections::HashMap<Id, String> = self
            .processors()?
            .into_iter()
            .map(|p| (p.id, p.processor.name))
            .collect();
        Ok(self
            .clients()?
            .into_iter()
            .map(|s| ClientSummary {
                id: s.id,
                missing_fields: s
                    .client
                    .missing_fields()
                    .into_iter()
                    .map(String::from)
                    .collect(),
                sub_processors: s
                    .client
                    .sub_processor_ids
                    .iter()
                    .filter_map(|id| names.get(id).cloned())
                    .collect(),
                transfers: s.client.transfers.len(),
                name: s.client.name,
                org_number: s.client.org_number,
                status: s.client.status,
                processing: s.client.processing,
                dpa_reference: s.client.dpa_reference,
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::model::{Transfer, TransferSafeguard};
    use crate::store::audit::Filter;
    use crate::FixedClock;

    fn register() -> (tempfile::TempDir, Register) {
        let dir = tempfile::tempdir().unwrap();
        let mut reg = Register::create_unencrypted(
            &dir.path().join("clients.privreg"),
            Arc::new(FixedClock::at("2026-05-12T09:30:00Z")),
        )
        .unwrap();
        reg.set_actor("client-tester");
        (dir, reg)
    }

    fn processor(reg: &mut Register, name: &str, role: ProcessorRole) -> Id {
        reg.add_processor(&Processor {
            name: name.into(),
            country: "Norway".into(),
            role,
            ..Default::default()
        })
        .unwrap()
        .id
    }

    fn client(sub: Vec<Id>) -> ClientController {
        ClientController {
            name: "  Havbris Regnskap AS ".into(),
            org_number: "912 345 678".into(),
            email: "post@havbris.example.no".into(),
            dpo: Some(Contact {
                name: "Kari Nordmann".into(),
                email: "personvernombud@havbris.example.no".into(),
                ..Default::default()
            }),
            representative: Some(Contact::default()),
            dpa_reference: "Databehandleravtale 2026-04".into(),
            processing: vec!["Lønnskjøring".into(), "  ".into()],
            sub_processor_ids: sub,
            transfers: vec![Transfer {
                country: "United States".into(),
                recipient: "Support".into(),
                safeguard: TransferSafeguard::StandardContractualClauses,
                documentation: String::new(),
            }],
            security_measures: vec!["Tilgangskontroll".into()],
            ..Default::default()
        }
    }

    fn events(reg: &Register, id: Id) -> Vec<crate::AuditEvent> {
        reg.audit_log(Filter::Entity("client", id), 100).unwrap()
    }

    #[test]
    fn a_client_is_added_changed_and_removed_and_each_step_is_audited_without_values() {
        let (_dir, mut reg) = register();
        let ms = processor(&mut reg, "Microsoft 365", ProcessorRole::Processor);
        let added = reg.add_client(&client(vec![ms, ms])).unwrap();
        assert_eq!(added.client.name, "Havbris Regnskap AS");
        assert_eq!(added.client.processing, vec!["Lønnskjøring"]);
        assert_eq!(added.client.sub_processor_ids, vec![ms], "each once");
        assert_eq!(
            added.client.representative, None,
            "an empty contact is none"
        );
        assert_eq!(reg.clients().unwrap().len(), 1);
        let summary = &reg.client_summaries().unwrap()[0];
        assert_eq!(summary.sub_processors, vec!["Microsoft 365"]);
        assert_eq!(summary.transfers, 1);
        assert!(
            summary.missing_fields.is_empty(),
            "{:?}",
            summary.missing_fields
        );
        assert_eq!(reg.counts().unwrap().clients, 1);

        let mut changed = added.client.clone();
        changed.processing.push("Fakturering".into());
        changed.status = ClientStatus::Ended;
        let after = reg.update_client(added.id, &changed).unwrap();
        assert_eq!(after.client.status, ClientStatus::Ended);

        reg.remove_client(added.id).unwrap();
        assert!(matches!(
            reg.client(added.id),
            Err(Error::NotFound {
                entity: "client",
                ..
            })
        ));
        assert!(matches!(
            reg.remove_client(added.id),
            Err(Error::NotFound { .. })
        ));

        // Newest first: removed, updated (naming the fields), created.
        let log = events(&reg, added.id);
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(
            actions,
            ["client.removed", "client.updated", "client.created"]
        );
        let mut fields = log[1].fields.clone();
        fields.sort();
        assert_eq!(fields, ["processing", "status"]);
        assert!(log.iter().all(|e| e.actor == "client-tester"));
        let text = serde_json::to_string(&log).unwrap();
        for value in [
            "Havbris",
            "Lønnskjøring",
            "Fakturering",
            "Kari",
            "havbris.example",
        ] {
            assert!(!text.contains(value), "{value} in the audit log");
        }
        assert!(reg.verify_audit().unwrap().first_broken.is_none());
    }

    #[test]
    fn sub_processors_must_be_processors_in_the_register() {
        let (_dir, mut reg) = register();
        let linkedin = processor(&mut reg, "LinkedIn", ProcessorRole::Recipient);
        let before = reg.verify_audit().unwrap().events;
        let err = reg.add_client(&client(vec![4711])).unwrap_err();
        assert!(
            matches!(&err, Error::Input(e) if e.field() == "sub_processor_ids"),
            "{err}"
        );
        let err = reg.add_client(&client(vec![linkedin])).unwrap_err();
        assert!(
            matches!(&err, Error::Input(e) if e.field() == "sub_processor_ids"),
            "{err}"
        );
        assert!(reg.clients().unwrap().is_empty(), "nothing was written");
        assert_eq!(reg.verify_audit().unwrap().events, before, "nor audited");

        let ok = reg.add_client(&client(vec![])).unwrap();
        let mut bad = ok.client.clone();
        bad.sub_processor_ids = vec![4711];
        assert!(reg.update_client(ok.id, &bad).is_err());
        assert!(reg
            .client(ok.id)
            .unwrap()
            .client
            .sub_processor_ids
            .is_empty());
        // An invalid body is refused before anything is read or written.
        let mut bad = ok.client.clone();
        bad.email = "ikke en adresse".into();
        let err = reg.update_client(ok.id, &bad).unwrap_err();
        assert!(
            matches!(&err, Error::Input(e) if e.field() == "email"),
            "{err}"
        );
    }

    #[test]
    fn a_processor_used_as_a_sub_processor_cannot_be_deleted() {
        let (_dir, mut reg) = register();
        let used = processor(&mut reg, "Visma", ProcessorRole::SubProcessor);
        let unused = processor(&mut reg, "Dropbox", ProcessorRole::Processor);
        let c = reg.add_client(&client(vec![used])).unwrap();
        let err = reg.delete_processor(used).unwrap_err();
        match &err {
            Error::InUse { entity, id, users } => {
                assert_eq!((*entity, *id), ("processor", used));
                assert!(
                    users.contains(&format!("client controller {}", c.id)),
                    "{users}"
                );
            }
            other => panic!("expected in_use, got {other}"),
        }
        assert_eq!(err.kind(), "in_use");
        assert!(reg.processor(used).is_ok(), "still there");
        reg.delete_processor(unused).unwrap();

        // Once the client no longer uses it, it can go.
        let mut c2 = c.client.clone();
        c2.sub_processor_ids.clear();
        reg.update_client(c.id, &c2).unwrap();
        reg.delete_processor(used).unwrap();
    }
}
