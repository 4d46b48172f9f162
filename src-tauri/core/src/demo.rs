//! A demo register: the activities and processors of the two consultancies in the
//! seeds, and synthetic people with Norwegian and English names. Deterministic for a
//! given seed. Nothing here is real personal data.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::error::Result;
use crate::model::*;
use crate::store::Register;
use crate::templates::{self, Lang};

pub struct Options {
    pub subjects: usize,
    pub seed: u64,
    pub lang: Lang,
    /// Subjects per transaction.
    pub batch: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub activities: usize,
    pub processors: usize,
    pub subjects: usize,
    pub records: usize,
}

/// SplitMix64: small, fast, and the same on every platform and version.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

pub const NORWEGIAN_FIRST: &[&str] = &[
    "Kari", "Ola", "Ingrid", "Lars", "Solveig", "Bjørn", "Åse", "Håkon", "Sigrid", "Øystein",
    "Marte", "Jørgen", "Ragnhild", "Tor", "Silje", "Knut", "Hanne", "Espen", "Tone", "Eirik",
    "Liv", "Geir", "Maren", "Per", "Astrid", "Stian", "Nora", "Magnus", "Frøydis", "Sindre",
    "Kjersti", "Ørjan", "Synnøve", "Trond", "Gro", "Anders", "Hege", "Vegard", "Ellinor", "Jon",
];
pub const NORWEGIAN_LAST: &[&str] = &[
    "Nordmann",
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Nguyen",
    "Rasmussen",
    "Ødegård",
    "Bråten",
    "Sæther",
    "Aasen",
    "Løken",
    "Kvåle",
];
pub const ENGLISH_FIRST: &[&str] = &[
    "Oliver", "Amelia", "George", "Isla", "Harry", "Ava", "Jack", "Emily", "Charlie", "Sophie",
    "Thomas", "Grace", "James", "Olivia", "William", "Lucy", "Daniel", "Hannah", "Samuel", "Chloe",
];
pub const ENGLISH_LAST: &[&str] = &[
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson",
    "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood",
    "Jackson", "Clarke",
];
const COMPANIES: &[&str] = &[
    "Equinor",
    "Aker Solutions",
    "Statkraft",
    "Norsk Hydro",
    "Kongsberg Maritime",
    "Vestland fylkeskommune",
    "Bergen kommune",
    "Stavanger Energi",
    "Fjordkraft",
    "Lyse",
    "DNV",
    "Sweco Norge",
    "Multiconsult",
    "Veidekke",
    "North Sea Offshore Ltd",
    "Aberdeen Drilling Services",
];
const TITLES_NB: &[&str] = &[
    "Daglig leder",
    "HMS-leder",
    "Prosjektleder",
    "Ingeniør",
    "Risikoanalytiker",
    "Kvalitetssjef",
    "Innkjøper",
    "Rådgiver",
];
const TITLES_EN: &[&str] = &[
    "General manager",
    "HSE manager",
    "Project manager",
    "Engineer",
    "Risk analyst",
    "Quality manager",
    "Buyer",
    "Adviser",
];

/// "Bjørn Ødegård" → "bjorn.odegard"
pub fn ascii_handle(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'æ' => out.push_str("ae"),
            'ø' => out.push('o'),
            'å' => out.push_str("aa"),
            ' ' => out.push('.'),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ => {}
        }
    }
    out
}

/// A synthetic person: name, e-mail and phone.
pub fn person(rng: &mut Rng) -> SubjectFields {
    let norwegian = rng.chance(80);
    let (first, last) = if norwegian {
        (NORWEGIAN_FIRST, NORWEGIAN_LAST)
    } else {
        (ENGLISH_FIRST, ENGLISH_LAST)
    };
    let name = format!("{} {}", rng.pick(first), rng.pick(last));
    let domain = if norwegian {
        *rng.pick(&[
            "example.no",
            "firma.example.no",
            "epost.example.no",
            "example.com",
        ])
    } else {
        *rng.pick(&["example.co.uk", "example.com", "mail.example.org"])
    };
    let email = format!("{}{}@{}", ascii_handle(&name), rng.below(100), domain);
    let phone = if norwegian {
        format!(
            "+47 9{:02} {:02} {:03}",
            rng.below(100),
            rng.below(100),
            rng.below(1000)
        )
    } else {
        format!("+44 7{:03} {:06}", rng.below(1000), rng.below(1_000_000))
    };
    let phone = if rng.chance(15) { String::new() } else { phone };
    SubjectFields { name, email, phone }
}

pub(crate) fn value_for(category: &str, who: &SubjectFields, rng: &mut Rng, lang: Lang) -> String {
    let c = category.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| c.contains(w));
    if has(&["e-post", "e-mail", "email"]) {
        who.email.clone()
    } else if has(&["telefon", "phone"]) {
        if who.phone.is_empty() {
            "+47 400 00 000".into()
        } else {
            who.phone.clone()
        }
    } else if has(&["navn", "name"]) {
        who.name.clone()
    } else if has(&["fødsel", "birth"]) {
        let d = NaiveDate::from_ymd_opt(1960, 1, 1).expect("valid")
            + Days::new(rng.below(40 * 365) as u64);
        d.to_string()
    } else if has(&["stilling", "title", "role"]) {
        match lang {
            Lang::En => rng.pick(TITLES_EN).to_string(),
            Lang::Nb => rng.pick(TITLES_NB).to_string(),
        }
    } else if has(&[
        "arbeidsgiver",
        "employer",
        "company",
        "firma",
        "organisation",
        "organisasjon",
    ]) {
        rng.pick(COMPANIES).to_string()
    } else if has(&["ip", "cookie", "device", "enhet"]) {
        format!("203.0.113.{}", rng.below(255))
    } else {
        let handle = ascii_handle(&who.name);
        match lang {
            Lang::En => format!(
                "{category} for {} (ref. {}-{})",
                who.name,
                handle,
                rng.below(10_000)
            ),
            Lang::Nb => format!(
                "{category} for {} (ref. {}-{})",
                who.name,
                handle,
                rng.below(10_000)
            ),
        }
    }
}

/// Which activities a synthetic person appears in, by template key, with weights.
pub(crate) const ACTIVITY_MIX: &[(&str, usize)] = &[
    ("client_information", 35),
    ("newsletter", 30),
    ("courses", 25),
    ("events", 20),
    ("contact_form", 10),
    ("job_applicants", 6),
    ("email_and_telephone", 15),
];

/// Fills an empty register: controller, processors, activities, then `subjects`
/// synthetic people in transactions of `batch`, calling `progress` after each commit.
pub fn fill(
    reg: &mut Register,
    opts: &Options,
    mut progress: impl FnMut(usize),
) -> Result<Summary> {
    let lang = opts.lang;
    let mut rng = Rng::new(opts.seed);
    reg.set_controller(&Controller {
        organisation: "Fjordlys Rådgivning AS".into(),
        org_number: "999 888 777".into(),
        address: "Strandkaien 1, 5013 Bergen".into(),
        email: "personvern@fjordlys.example.no".into(),
        phone: "+47 55 00 00 00".into(),
        website: "https://fjordlys.example.no".into(),
        contact_person: Contact {
            name: match lang {
                Lang::En => "General manager".into(),
                Lang::Nb => "Daglig leder".into(),
            },
            email: "post@fjordlys.example.no".into(),
            ..Default::default()
        },
        dpo: None,
        representative: None,
        supervisory_authority: "Datatilsynet, Postboks 458 Sentrum, 0105 Oslo, postkasse@datatilsynet.no, +47 22 39 69 00".into(),
        ..Default::default()
    })?;

    let mut processor_ids = HashMap::new();
    for (key, p) in templates::processors(lang) {
        processor_ids.insert(key, reg.add_processor(&p)?.id);
    }
    let today = reg.clock().now().date_naive();
    let mut activities = HashMap::new();
    for (i, t) in templates::list(lang).into_iter().enumerate() {
        // The template marks the activities about people outside the organisation as
        // described in the privacy notice, with a notice text in `lang`; the privacy
        // notice (store/notice.rs) takes the approved ones.
        let Some(mut a) = templates::activity(t.key, lang) else {
            continue;
        };
        a.processor_ids = templates::template_processors(t.key)
            .iter()
            .filter_map(|k| processor_ids.get(k).copied())
            .collect();
        // Most are approved and reviewed this year; a couple are drafts or overdue, as in life.
        match i % 5 {
            3 => a.status = ActivityStatus::Draft,
            4 => {
                a.status = ActivityStatus::Approved;
                a.last_reviewed = Some(today - chrono::Months::new(15));
            }
            _ => {
                a.status = ActivityStatus::Approved;
                a.last_reviewed = Some(today - Days::new(30 + 20 * i as u64));
            }
        }
        let stored = reg.add_activity(&a)?;
        activities.insert(t.key, stored);
    }

    let total_weight: usize = ACTIVITY_MIX.iter().map(|(_, w)| w).sum();
    let mut done = 0;
    let mut records = 0;
    let mut newsletter_members = Vec::new();
    while done < opts.subjects {
        let n = opts.batch.min(opts.subjects - done);
        let mut batch = Vec::with_capacity(n);
        for _ in 0..n {
            let who = person(&mut rng);
            let mut recs = Vec::new();
            let mut in_newsletter = false;
            // One to three activities per person, picked by weight.
            let count = 1 + rng.below(3);
            let mut chosen: Vec<&str> = Vec::new();
            while chosen.len() < count {
                let mut roll = rng.below(total_weight);
                let key = ACTIVITY_MIX
                    .iter()
                    .find(|(_, w)| {
                        if roll < *w {
                            true
                        } else {
                            roll -= w;
                            false
                        }
                    })
                    .map(|(k, _)| *k)
                    .unwrap_or("client_information");
                if !chosen.contains(&key) {
                    chosen.push(key);
                }
            }
            for key in chosen {
                let Some(act) = activities.get(key) else {
                    continue;
                };
                in_newsletter |= key == "newsletter";
                let collected = today - Days::new(rng.below(5 * 365) as u64);
                for cat in act.activity.data_categories.iter().take(3) {
                    recs.push(NewRecord {
                        activity_id: act.id,
                        category: cat.name.clone(),
                        value: value_for(&cat.name, &who, &mut rng, lang),
                        source: act.activity.source.clone(),
                        collected_on: Some(collected),
                    });
                }
            }
            records += recs.len();
            batch.push((who, recs, in_newsletter));
        }
        let rows: Vec<(SubjectFields, Vec<NewRecord>)> = batch
            .iter()
            .map(|(w, r, _)| (w.clone(), r.clone()))
            .collect();
        let ids = reg.add_subjects(&rows)?;
        for (id, (_, _, news)) in ids.iter().zip(&batch) {
            if *news && newsletter_members.len() < 200 {
                newsletter_members.push(*id);
            }
        }
        done += n;
        progress(done);
    }

    // Consents for the newsletter, and a few objections to direct marketing.
    if let Some(news) = activities.get("newsletter") {
        let purpose = news
            .activity
            .purposes
            .first()
            .cloned()
            .unwrap_or_else(|| news.activity.name.clone());
        for (i, id) in newsletter_members.iter().enumerate() {
            let method = match lang {
                Lang::En => "sign-up form on the website",
                Lang::Nb => "påmeldingsskjema på nettsiden",
            };
            reg.add_consent_event(
                *id,
                &NewConsentEvent {
                    activity_id: news.id,
                    purpose: purpose.clone(),
                    kind: ConsentKind::ConsentGiven,
                    method: method.into(),
                    at: None,
                },
            )?;
            if i % 17 == 5 {
                let method = match lang {
                    Lang::En => "unsubscribe link",
                    Lang::Nb => "avmeldingslenke",
                };
                reg.add_consent_event(
                    *id,
                    &NewConsentEvent {
                        activity_id: news.id,
                        purpose: purpose.clone(),
                        kind: ConsentKind::Objection,
                        method: method.into(),
                        at: None,
                    },
                )?;
            }
        }
    }
    Ok(Summary {
        activities: activities.len(),
        processors: processor_ids.len(),
        subjects: done,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic_and_handles_are_ascii() {
        let a: Vec<_> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| person(&mut r).name
            })
            .collect();
        let b: Vec<_> = (0..5)
            .map({
                let mut r = Rng::new(7);
                move |_| person(&mut r).name
            })
            .collect();
        assert_eq!(a, b);
        assert_eq!(ascii_handle("Bjørn Ødegård-Kvåle"), "bjorn.odegaardkvaale");
        let mut r = Rng::new(1);
        for _ in 0..200 {
            let p = person(&mut r);
            p.normalised().expect("synthetic people are valid");
        }
    }
}
