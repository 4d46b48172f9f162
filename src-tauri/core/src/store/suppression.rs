//! The suppression list: what the register keeps so that a person who was erased at
//! their request, or who objected to direct marketing, is not brought back by the next
//! CRM export or spreadsheet.
//!
//! Honouring an erasure (Art. 17) or an objection to direct marketing (Art. 21(3): the
//! data "shall no longer be processed for such purposes") needs the controller to
//! recognise the person when their data comes in again; the GDPR's own logic (and the
//! regulators' guidance on suppression lists) makes keeping the minimum for that lawful
//! (Art. 6(1)(c), Art. 17(3)(b)). So each entry holds only keyed hashes of the
//! normalised e-mail address and telephone number (HMAC-SHA256 under a key derived from
//! the register's journal key, never a bare hash, which a dictionary of addresses
//! would reverse), why, the date, and the erasure receipt's id. No name, no value.
//!
//! Adding a person, and a CSV import (its dry run too), look each new person up:
//! - **erased**: refused ("erased at their request on DATE (receipt N)") unless the
//!   manager overrides it with a reason (a new, documented consent, say), which is
//!   audited and lifts the entry;
//! - **objected**: a CSV row for a direct-marketing activity is refused; otherwise the
//!   person is added with their objection carried over (the flag set), so the
//!   objection outlives an erasure or a retention deletion.

use chrono::NaiveDate;
use hmac::{Hmac, Mac};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::Ctx;
use crate::error::{Error, Result};
use crate::model::normalise_email;
use crate::transfer::csv_import::phone_key;

crate::closed_list! {
    /// Why a person is on the suppression list.
    pub enum SuppressionReason("suppression reason") {
        /// Erased at their request (Art. 17): by hand or by completing a request.
        Erased = "erased",
        /// Objected to direct marketing (Art. 21(2)-(3)).
        Objected = "objected",
    }
}

/// The key of the list's hashes: HMAC-SHA256 of the journal key and a label, so it
/// stays the same across passphrase changes and in every backup.
#[derive(Clone)]
pub(crate) struct SuppressionKey(zeroize::Zeroizing<[u8; 32]>);

impl SuppressionKey {
    pub(crate) fn derive(journal_key: &[u8]) -> Self {
        SuppressionKey(crate::secret::derive_key(
            journal_key,
            b"privreg suppression list key",
        ))
    }

    fn mac(&self, what: &str, value: &str) -> String {
        let mut m = Hmac::<Sha256>::new_from_slice(self.0.as_slice()).expect("any key length");
        m.update(what.as_bytes());
        m.update(b"\0");
        m.update(value.as_bytes());
        hex::encode(m.finalize().into_bytes())
    }

    /// The hashes of an e-mail address and a telephone number, as they are compared:
    /// the address trimmed and in lower case, the number's digits (see [`phone_key`]).
    fn macs(&self, email: &str, phone: &str) -> (Option<String>, Option<String>) {
        let email = normalise_email(email);
        let e = (!email.is_empty()).then(|| self.mac("email", &email));
        let p = phone_key(phone).map(|p| self.mac("phone", &p));
        (e, p)
    }
}

/// An entry that matched: why, when, and the erasure's receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    pub id: i64,
    pub reason: SuppressionReason,
    pub on: NaiveDate,
    pub receipt_id: Option<String>,
}

impl Suppression {
    /// In words, for a rejected CSV row and the CLI: no personal data.
    pub fn describe(&self) -> String {
        match self.reason {
            SuppressionReason::Erased => format!(
                "erased at their request on {} (receipt {})",
                self.on,
                self.receipt_id
                    .as_deref()
                    .map(short_receipt)
                    .unwrap_or("unknown")
            ),
            SuppressionReason::Objected => {
                format!("objected to direct marketing on {}", self.on)
            }
        }
    }
}

/// The first block of a receipt's UUID, as the receipt is shown to the manager.
pub fn short_receipt(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

/// Puts a person on the list, inside the caller's transaction. Nothing is kept when the
/// person has neither an e-mail address nor a telephone number.
pub(crate) fn record(
    tx: &Connection,
    ctx: &Ctx,
    reason: SuppressionReason,
    email: &str,
    phone: &str,
    receipt_id: Option<&str>,
) -> Result<()> {
    let (e, p) = ctx.suppression.macs(email, phone);
    if e.is_none() && p.is_none() {
        return Ok(());
    }
    tx.prepare_cached(
        "INSERT INTO suppressions (reason, email_mac, phone_mac, receipt_id, on_date, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        reason.as_str(),
        e,
        p,
        receipt_id,
        ctx.today.to_string(),
        ctx.now
    ])?;
    Ok(())
}

/// The entry for this e-mail address or telephone number, if any: an erasure before an
/// objection, the newest first.
pub(crate) fn find(
    conn: &Connection,
    key: &SuppressionKey,
    email: &str,
    phone: &str,
) -> Result<Option<Suppression>> {
    let (e, p) = key.macs(email, phone);
    if e.is_none() && p.is_none() {
        return Ok(None);
    }
    let row: Option<(i64, String, String, Option<String>)> = conn
        .prepare_cached(
            "SELECT id, reason, on_date, receipt_id FROM suppressions
             WHERE (?1 IS NOT NULL AND email_mac = ?1) OR (?2 IS NOT NULL AND phone_mac = ?2)
             ORDER BY reason = 'erased' DESC, on_date DESC, id DESC LIMIT 1",
        )?
        .query_row(params![e, p], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .optional()?;
    row.map(|(id, reason, on, receipt_id)| {
        Ok(Suppression {
            id,
            reason: SuppressionReason::parse(&reason)
                .ok_or_else(|| Error::Corrupt("unknown suppression reason".into()))?,
            on: super::requests::date(&on)?,
            receipt_id,
        })
    })
    .transpose()
}

/// Whether the list has any entry (an import of a register without one skips the
/// look-ups).
pub(crate) fn any(conn: &Connection) -> Result<bool> {
    Ok(
        conn.query_row("SELECT EXISTS (SELECT 1 FROM suppressions)", [], |r| {
            r.get(0)
        })?,
    )
}

/// Lifts the entries for this address and number (an audited override).
pub(crate) fn lift(tx: &Connection, ctx: &Ctx, email: &str, phone: &str) -> Result<()> {
    let (e, p) = ctx.suppression.macs(email, phone);
    tx.prepare_cached(
        "DELETE FROM suppressions
         WHERE reason = 'erased' AND ((?1 IS NOT NULL AND email_mac = ?1) OR (?2 IS NOT NULL AND phone_mac = ?2))",
    )?
    .execute(params![e, p])?;
    Ok(())
}

impl super::Register {
    /// The suppression list's entry for this person's e-mail address or telephone
    /// number, if any (see the module documentation).
    pub fn find_suppression(
        &self,
        fields: &crate::model::SubjectFields,
    ) -> Result<Option<Suppression>> {
        find(
            self.conn(),
            self.suppression_key(),
            &fields.email,
            &fields.phone,
        )
    }
}
