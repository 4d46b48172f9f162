//! The processor's record (Art. 30(2)): the controllers this organisation processes
//! personal data for as a processor.

use std::process::ExitCode;

use privreg_core::labels::Labelled;
use privreg_core::model::{ClientController, Contact, StoredClient, Transfer, TransferSafeguard};
use privreg_core::{Lang, Register};

use super::{print, read_json, CliError, Out};
use crate::args::*;

pub(super) fn run(json: bool, reg: &mut Register, cmd: &ClientCmd) -> Out {
    match cmd {
        ClientCmd::Add(f) => {
            let c = reg.add_client(&build_client(f, None)?)?;
            print(json, &c, |c| {
                println!("Added client controller #{} {}", c.id, c.client.name)
            });
        }
        ClientCmd::Edit { id, fields } => {
            let base = reg.client(*id)?.client;
            let c = reg.update_client(*id, &build_client(fields, Some(base))?)?;
            print(json, &c, |c| {
                println!("Saved client controller #{} {}", c.id, c.client.name)
            });
        }
        ClientCmd::List => {
            let list = reg.client_summaries()?;
            print(json, &list, |list| {
                if list.is_empty() {
                    println!("No client controllers.");
                }
                for c in list {
                    let missing = if c.missing_fields.is_empty() {
                        String::new()
                    } else {
                        format!("  missing: {}", c.missing_fields.join(", "))
                    };
                    println!(
                        "#{:<4} {:<36} {:<7} {} processing, {} sub-processors{}",
                        c.id,
                        c.name,
                        c.status.code(),
                        c.processing.len(),
                        c.sub_processors.len(),
                        missing
                    );
                }
            });
        }
        ClientCmd::Show { id } => {
            let c = reg.client(*id)?;
            let names: Vec<String> = c
                .client
                .sub_processor_ids
                .iter()
                .map(|p| {
                    reg.processor(*p)
                        .map(|p| format!("#{} {}", p.id, p.processor.name))
                })
                .collect::<Result<_, _>>()?;
            print(json, &c, |c| show_client(c, &names));
        }
        ClientCmd::Remove { id } => {
            reg.remove_client(*id)?;
            print(json, &serde_json::json!({ "removed": id }), |_| {
                println!("Removed client controller #{id}")
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// "COUNTRY;SAFEGUARD[;RECIPIENT[;DOCUMENTATION]]" (the documentation may hold `;`).
fn parse_transfer(s: &str) -> Result<Transfer, CliError> {
    let mut parts = s.splitn(4, ';').map(str::trim);
    let country = parts.next().unwrap_or_default().to_string();
    let safeguard = parts.next().unwrap_or_default();
    let safeguard = TransferSafeguard::parse(safeguard).ok_or_else(|| {
        CliError::usage(format!(
            "--transfer: COUNTRY;SAFEGUARD[;RECIPIENT[;DOCUMENTATION]], SAFEGUARD one of {}",
            TransferSafeguard::CODES.join(", ")
        ))
    })?;
    Ok(Transfer {
        country,
        safeguard,
        recipient: parts.next().unwrap_or_default().to_string(),
        documentation: parts.next().unwrap_or_default().to_string(),
    })
}

/// Sets the contact's fields that are given; a contact with nothing in it is none.
fn set_contact(
    contact: &mut Option<Contact>,
    name: &Option<String>,
    email: &Option<String>,
    phone: &Option<String>,
    address: &Option<String>,
) {
    if name.is_none() && email.is_none() && phone.is_none() && address.is_none() {
        return;
    }
    let mut c = contact.take().unwrap_or_default();
    for (field, value) in [
        (&mut c.name, name),
        (&mut c.email, email),
        (&mut c.phone, phone),
        (&mut c.address, address),
    ] {
        if let Some(v) = value {
            *field = v.clone();
        }
    }
    *contact = (!c.is_empty()).then_some(c);
}

fn build_client(
    f: &ClientFields,
    base: Option<ClientController>,
) -> Result<ClientController, CliError> {
    let mut c = match &f.file {
        Some(file) => read_json(file)?,
        None => base.unwrap_or_default(),
    };
    for (field, value) in [
        (&mut c.name, &f.name),
        (&mut c.org_number, &f.org_number),
        (&mut c.address, &f.address),
        (&mut c.email, &f.email),
        (&mut c.phone, &f.phone),
        (&mut c.dpa_reference, &f.dpa),
        (&mut c.notes, &f.notes),
    ] {
        if let Some(v) = value {
            *field = v.clone();
        }
    }
    set_contact(
        &mut c.representative,
        &f.representative_name,
        &f.representative_email,
        &f.representative_phone,
        &f.representative_address,
    );
    set_contact(
        &mut c.dpo,
        &f.dpo_name,
        &f.dpo_email,
        &f.dpo_phone,
        &f.dpo_address,
    );
    if let Some(d) = f.dpa_date {
        c.dpa_date = Some(d);
    }
    if !f.processing.is_empty() {
        c.processing = f.processing.clone();
    }
    if !f.sub_processors.is_empty() {
        c.sub_processor_ids = f.sub_processors.clone();
    }
    if !f.transfers.is_empty() {
        c.transfers = f
            .transfers
            .iter()
            .map(|t| parse_transfer(t))
            .collect::<Result<_, _>>()?;
    }
    if !f.security.is_empty() {
        c.security_measures = f.security.clone();
    }
    if let Some(s) = f.status {
        c.status = s;
    }
    Ok(c)
}

fn show_client(s: &StoredClient, sub_processors: &[String]) {
    let c = &s.client;
    println!("#{} {} ({})", s.id, c.name, c.status.code());
    let list = |label: &str, v: &[String]| {
        let v: Vec<&String> = v.iter().filter(|s| !s.trim().is_empty()).collect();
        println!(
            "  {label:<22} {}",
            if v.is_empty() {
                "-".to_string()
            } else {
                v.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("; ")
            }
        )
    };
    let contact = |c: &Option<Contact>| -> Vec<String> {
        c.iter()
            .map(|c| {
                [&c.name, &c.email, &c.phone, &c.address]
                    .iter()
                    .filter(|s| !s.is_empty())
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            })
            .collect()
    };
    list("org. number", std::slice::from_ref(&c.org_number));
    list(
        "contact details",
        &[c.address.clone(), c.email.clone(), c.phone.clone()],
    );
    list("representative", &contact(&c.representative));
    list("DPO", &contact(&c.dpo));
    let date = c.dpa_date.map(|d| format!(" ({d})")).unwrap_or_default();
    list(
        "processing agreement",
        &[if c.dpa_reference.is_empty() {
            String::new()
        } else {
            format!("{}{date}", c.dpa_reference)
        }],
    );
    list("processing", &c.processing);
    list("sub-processors", sub_processors);
    let transfers: Vec<String> = c
        .transfers
        .iter()
        .map(|t| {
            let mut s = t.country.clone();
            if !t.recipient.is_empty() {
                s.push_str(&format!(": {}", t.recipient));
            }
            s.push_str(&format!(", {}", t.safeguard.label_with_article(Lang::En)));
            if !t.documentation.is_empty() {
                s.push_str(&format!(". {}", t.documentation));
            }
            s
        })
        .collect();
    list("transfers", &transfers);
    list("security measures", &c.security_measures);
    list("notes", std::slice::from_ref(&c.notes));
    let missing: Vec<String> = c.missing_fields().into_iter().map(String::from).collect();
    if !missing.is_empty() {
        list("MISSING", &missing);
    }
}
