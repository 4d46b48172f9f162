//! The controller profile (Art. 30(1)(a)): show and set.

use std::process::ExitCode;

use privreg_core::Register;

use super::{print, read_json, Out};
use crate::args::*;

pub(super) fn run(json: bool, reg: &mut Register, cmd: &ControllerCmd) -> Out {
    match cmd {
        ControllerCmd::Show => {
            let c = reg.controller()?;
            print(json, &c, |c| match c {
                Some(c) => println!(
                    "{} ({})\n{}\n{} {}",
                    c.organisation, c.org_number, c.address, c.email, c.phone
                ),
                None => {
                    println!("No controller profile yet: privreg controller set --organisation ...")
                }
            });
        }
        ControllerCmd::Set {
            file,
            organisation,
            org_number,
            address,
            email,
            phone,
        } => {
            let mut c = match file {
                Some(f) => read_json(f)?,
                None => reg.controller()?.unwrap_or_default(),
            };
            for (slot, v) in [
                (&mut c.organisation, organisation),
                (&mut c.org_number, org_number),
                (&mut c.address, address),
                (&mut c.email, email),
                (&mut c.phone, phone),
            ] {
                if let Some(v) = v {
                    *slot = v.clone();
                }
            }
            reg.set_controller(&c)?;
            print(json, &c, |c| {
                println!("Saved the controller profile of {}", c.organisation)
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}
