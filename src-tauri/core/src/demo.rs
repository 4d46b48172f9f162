//! A demo register: the activities and processors of the two consultancies in the
//! seeds, synthetic people, and (with [`Options::showcase`]) a few people whose stories
//! show everything the register does. Deterministic for a given seed and day. Nothing
//! here is real personal data.
//!
//! **The crowd**: people with Norwegian and English names (only Norwegian ones in the
//! bokmål demo), each in one to three activities, newsletter consents and a few
//! objections to it. No two share a name, an e-mail address or a phone number (see
//! [`Unique`]).
//!
//! **The showcase** ([`showcase`]), eleven people in the demo's language, with dates
//! counted from the register's clock so that they are due or overdue whenever the demo
//! is made: requests overdue, due within the week (in the last days to decide on an
//! extension), extended, and waiting for proof of identity; a consent and its
//! withdrawal, which brings the newsletter's records due; an objection to the client
//! follow-up (Art. 21(1)) under assessment, which restricts the person and makes Art. 19
//! tasks; a legal hold on a person; a rectification that makes Art. 19 tasks; a closed
//! recruitment whose application is past its year; an open breach with its 72-hour
//! clock running and the people of an activity linked; and one deliberate duplicate,
//! the same person registered twice with her phone number written two ways and a
//! slightly different name, to be merged. All through the core's own public verbs.

use std::collections::{HashMap, HashSet};

use chrono::{Days, Months, NaiveDate};
use serde::Serialize;

use crate::error::Result;
use crate::model::*;
use crate::store::breaches::{AffectedSelection, BreachFacts, BreachKind};
use crate::store::requests::{Channel, NewRequest, RequestKind, Requester};
use crate::store::retention::HoldTarget;
use crate::store::subjects::normalise_phone;
use crate::store::Register;
use crate::templates::{self, Lang};

pub struct Options {
    /// How many people in all: the showcase's people and a crowd of synthetic ones
    /// (at least the showcase's, when it is on).
    pub subjects: usize,
    pub seed: u64,
    pub lang: Lang,
    /// Subjects per transaction.
    pub batch: usize,
    /// Add the showcase (see the module documentation). Off for tests and benchmarks
    /// that want the synthetic crowd alone.
    pub showcase: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub activities: usize,
    pub processors: usize,
    /// Everyone added, the showcase's people included.
    pub subjects: usize,
    pub records: usize,
    /// What the showcase made; `None` without it.
    pub showcase: Option<Showcase>,
}

/// What the showcase made: counts, and the ids a test or a tour starts from.
#[derive(Debug, Clone, Serialize)]
pub struct Showcase {
    pub people: usize,
    pub records: usize,
    pub requests: usize,
    /// The deliberate duplicate: the person to keep and the record of her to merge in.
    pub duplicate_pair: (Id, Id),
    pub legal_hold: Id,
    pub breach: Id,
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

/// What one synthetic person is drawn as, before it is written out: the draws are the
/// same whatever is then done about a clash, so the people of a seed stay who they are.
struct Draw {
    norwegian: bool,
    first: &'static str,
    lasts: &'static [&'static str],
    last: usize,
    domain: &'static str,
    number: usize,
    phone: [usize; 3],
    no_phone: bool,
}

/// Draws a person: Norwegian four times in five, or always with `norwegian_only` (the
/// bokmål demo); the random numbers drawn are the same either way.
fn draw(rng: &mut Rng, norwegian_only: bool) -> Draw {
    let norwegian = rng.chance(80) || norwegian_only;
    let (firsts, lasts) = if norwegian {
        (NORWEGIAN_FIRST, NORWEGIAN_LAST)
    } else {
        (ENGLISH_FIRST, ENGLISH_LAST)
    };
    let first = *rng.pick(firsts);
    let last = rng.below(lasts.len());
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
    let number = rng.below(100);
    let phone = if norwegian {
        [rng.below(100), rng.below(100), rng.below(1000)]
    } else {
        [rng.below(1000), rng.below(1_000_000), 0]
    };
    let no_phone = rng.chance(15);
    Draw {
        norwegian,
        first,
        lasts,
        last,
        domain,
        number,
        phone,
        no_phone,
    }
}

impl Draw {
    /// The name with the last name `shift` places further down the list.
    fn name(&self, shift: usize) -> String {
        format!(
            "{} {}",
            self.first,
            self.lasts[(self.last + shift) % self.lasts.len()]
        )
    }
    fn email(&self, name: &str, number: usize) -> String {
        format!("{}{}@{}", ascii_handle(name), number, self.domain)
    }
    /// The number with its last digits counted up by `bump`; empty for one without.
    fn phone(&self, bump: usize) -> String {
        if self.no_phone {
            String::new()
        } else if self.norwegian {
            format!(
                "+47 9{:02} {:02} {:03}",
                self.phone[0],
                self.phone[1],
                (self.phone[2] + bump) % 1000
            )
        } else {
            format!(
                "+44 7{:03} {:06}",
                self.phone[0],
                (self.phone[1] + bump) % 1_000_000
            )
        }
    }
}

/// A synthetic person: name, e-mail and phone (the benchmarks' people, who may share a
/// name or an address as real lists do).
pub fn person(rng: &mut Rng) -> SubjectFields {
    let d = draw(rng, false);
    let name = d.name(0);
    SubjectFields {
        email: d.email(&name, d.number),
        phone: d.phone(0),
        name,
    }
}

/// Keeps the demo's people apart: no two share a name, an e-mail address or a phone
/// number (the showcase's one deliberate pair is made apart from this). A clash is
/// settled without drawing again, so every other person of the seed stays who they
/// were: the next last name of the list that is free (never "Nordmann", so the
/// register's Nordmanns are the ones drawn as such), or, once every last name is taken
/// for that first name, the same name with another number in the e-mail address; a
/// phone number's last digits are counted up.
#[derive(Default)]
struct Unique {
    names: HashSet<String>,
    emails: HashSet<String>,
    phones: HashSet<String>,
}

impl Unique {
    fn reserve(&mut self, f: &SubjectFields) {
        self.names.insert(f.name.to_lowercase());
        if !f.email.is_empty() {
            self.emails.insert(normalise_email(&f.email));
        }
        let phone = normalise_phone(&f.phone);
        if !phone.is_empty() {
            self.phones.insert(phone);
        }
    }

    fn person(&mut self, rng: &mut Rng, norwegian_only: bool) -> SubjectFields {
        let d = draw(rng, norwegian_only);
        let n = d.lasts.len();
        let mut chosen = None;
        for shift in 0..n {
            if shift > 0 && d.lasts[(d.last + shift) % n] == "Nordmann" {
                continue;
            }
            let name = d.name(shift);
            let email = d.email(&name, d.number);
            if !self.names.contains(&name.to_lowercase())
                && !self.emails.contains(&normalise_email(&email))
            {
                chosen = Some((name, email));
                break;
            }
        }
        let (name, email) = match chosen {
            Some(found) => found,
            None => {
                let name = d.name(0);
                let mut number = d.number;
                let mut email = d.email(&name, number);
                while self.emails.contains(&normalise_email(&email)) {
                    number += 100;
                    email = d.email(&name, number);
                }
                (name, email)
            }
        };
        let mut phone = String::new();
        for bump in 0..1000 {
            let p = d.phone(bump);
            if p.is_empty() || !self.phones.contains(&normalise_phone(&p)) {
                phone = p;
                break;
            }
        }
        let f = SubjectFields { name, email, phone };
        self.reserve(&f);
        f
    }
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

/// Fills an empty register: controller, processors, activities, then the synthetic
/// crowd in transactions of `batch` (calling `progress` after each commit), then the
/// showcase when asked for.
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

    // The showcase's people are known before the crowd is drawn, so no one in the crowd
    // shares their names, addresses or numbers.
    let mut unique = Unique::default();
    let stories = if opts.showcase { STORY.len() } else { 0 };
    if opts.showcase {
        for p in STORY {
            unique.reserve(&p.fields(lang));
        }
    }
    let crowd = opts.subjects.saturating_sub(stories);
    let norwegian_only = lang == Lang::Nb;

    let total_weight: usize = ACTIVITY_MIX.iter().map(|(_, w)| w).sum();
    let mut done = 0;
    let mut records = 0;
    let mut newsletter_members = Vec::new();
    while done < crowd {
        let n = opts.batch.max(1).min(crowd - done);
        let mut batch = Vec::with_capacity(n);
        for _ in 0..n {
            let who = unique.person(&mut rng, norwegian_only);
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
    let showcase = if opts.showcase {
        Some(showcase(reg, lang, &activities, &mut rng)?)
    } else {
        None
    };
    Ok(Summary {
        activities: activities.len(),
        processors: processor_ids.len(),
        subjects: done + showcase.as_ref().map_or(0, |s| s.people),
        records: records + showcase.as_ref().map_or(0, |s| s.records),
        showcase,
    })
}

/// One of the showcase's people, in the English and the bokmål demo.
struct StoryPerson {
    name: (&'static str, &'static str),
    email: (&'static str, &'static str),
    phone: (&'static str, &'static str),
    /// Template keys of the activities they are in.
    activities: &'static [&'static str],
    /// How many days ago their records were collected.
    collected_days_ago: u64,
}

impl StoryPerson {
    fn fields(&self, lang: Lang) -> SubjectFields {
        SubjectFields {
            name: lang.pick(self.name.0, self.name.1).to_string(),
            email: lang.pick(self.email.0, self.email.1).to_string(),
            phone: lang.pick(self.phone.0, self.phone.1).to_string(),
        }
    }
}

const fn same(s: &'static str) -> (&'static str, &'static str) {
    (s, s)
}

// The showcase's people, by their place in [`STORY`].
const PAIR_KEEP: usize = 0;
const PAIR_OTHER: usize = 1;
const OVERDUE: usize = 2;
const DUE_SOON: usize = 3;
const EXTENDED: usize = 4;
const IDENTITY: usize = 5;
const OBJECTION: usize = 6;
const WITHDRAWAL: usize = 7;
const HOLD: usize = 8;
const RECTIFIED: usize = 9;
const APPLICANT: usize = 10;

/// Names and numbers no one in the crowd has: last names that are not in its lists,
/// e-mail addresses without its numbers, mobile numbers starting with 4 (the crowd's
/// start with 9) and a London number.
const STORY: [StoryPerson; 11] = [
    // The deliberate duplicate: one person, once from the CRM and once from the
    // course portal, her mobile number written two ways.
    StoryPerson {
        name: same("Ingrid Solheim"),
        email: same("ingrid.solheim@example.no"),
        phone: same("+47 415 55 210"),
        activities: &["client_information", "email_and_telephone"],
        collected_days_ago: 400,
    },
    StoryPerson {
        name: same("Ingrid M. Solheim"),
        email: same("ingrid.m.solheim@firma.example.no"),
        phone: same("41555210"),
        activities: &["courses"],
        collected_days_ago: 60,
    },
    StoryPerson {
        name: ("Oliver Bennett", "Henrik Aasland"),
        email: ("oliver.bennett@example.co.uk", "henrik.aasland@example.no"),
        phone: ("+44 20 7946 0321", "+47 466 12 345"),
        activities: &["client_information"],
        collected_days_ago: 700,
    },
    StoryPerson {
        name: same("Eva Lindqvist"),
        email: (
            "eva.lindqvist@example.com",
            "eva.lindqvist@epost.example.no",
        ),
        phone: same("+47 404 88 120"),
        activities: &["newsletter", "events"],
        collected_days_ago: 90,
    },
    StoryPerson {
        name: same("Jonas Fjeld"),
        email: same("jonas.fjeld@firma.example.no"),
        phone: same("+47 459 30 771"),
        activities: &["courses", "events"],
        collected_days_ago: 200,
    },
    StoryPerson {
        name: ("Grace Whitfield", "Thea Vik"),
        email: ("grace.whitfield@mail.example.org", "thea.vik@example.no"),
        phone: same(""),
        activities: &["contact_form"],
        collected_days_ago: 10,
    },
    StoryPerson {
        name: same("Erik Bakke"),
        email: same("erik.bakke@firma.example.no"),
        phone: same("+47 481 22 604"),
        activities: &["client_information", "events"],
        collected_days_ago: 300,
    },
    StoryPerson {
        name: same("Linn Aune"),
        email: same("linn.aune@example.no"),
        phone: same(""),
        activities: &["newsletter"],
        collected_days_ago: 240,
    },
    StoryPerson {
        name: same("Petter Moe"),
        email: same("petter.moe@firma.example.no"),
        phone: same("+47 412 70 335"),
        activities: &["client_information", "accounting"],
        collected_days_ago: 420,
    },
    StoryPerson {
        name: same("Maja Strand"),
        email: same("maja.strand@example.no"),
        phone: same("+47 473 15 902"),
        activities: &["client_information", "events"],
        collected_days_ago: 150,
    },
    StoryPerson {
        name: same("Sofie Dahl"),
        email: same("sofie.dahl@example.com"),
        phone: same("+47 452 61 048"),
        activities: &["job_applicants"],
        collected_days_ago: 480,
    },
];

/// The texts of the showcase, (English, bokmål).
mod words {
    pub const OVERDUE_NOTES: (&str, &str) = (
        "Asks for a copy of everything we hold about him, by e-mail.",
        "Ber om kopi av alt vi har om ham, per e-post.",
    );
    pub const VERIFIED_MAIL: (&str, &str) = (
        "Replied from the e-mail address we hold",
        "Svarte fra e-postadressen vi har registrert",
    );
    pub const DUE_SOON_NOTES: (&str, &str) = (
        "Asks through the web form to be deleted from all our lists.",
        "Ber via skjemaet på nettsiden om å bli slettet fra alle listene våre.",
    );
    pub const VERIFIED_PHONE: (&str, &str) = (
        "Called back on the phone number we hold",
        "Ringte tilbake på telefonnummeret vi har registrert",
    );
    pub const EXTENDED_NOTES: (&str, &str) = (
        "Asks for his course history and certificates in a machine-readable file.",
        "Ber om kurshistorikken og kursbevisene sine i en maskinlesbar fil.",
    );
    pub const EXTENSION_REASON: (&str, &str) = (
        "The course history is in two systems, and Mintra must deliver part of it",
        "Kurshistorikken ligger i to systemer, og Mintra må levere en del av den",
    );
    pub const IDENTITY_NOTES: (&str, &str) = (
        "Writes that the address we hold is wrong and asks us to correct it.",
        "Skriver at adressen vi har, er feil, og ber oss rette den.",
    );
    pub const IDENTITY_ASKED: (&str, &str) = (
        "Asked by letter for a reply from the e-mail address we hold",
        "Bedt per brev om svar fra e-postadressen vi har registrert",
    );
    pub const OBJECTION_METHOD: (&str, &str) =
        ("e-mail to the general manager", "e-post til daglig leder");
    pub const SIGN_UP: (&str, &str) = (
        "sign-up form on the website",
        "påmeldingsskjema på nettsiden",
    );
    pub const UNSUBSCRIBE: (&str, &str) = ("unsubscribe link", "avmeldingslenke");
    pub const HOLD_REASON: (&str, &str) = (
        "Disputed invoice 2025-118: the client has announced a claim; everything about him is kept until the case is closed (Art. 17(3)(e))",
        "Omstridt faktura 2025-118: kunden har varslet krav; alt om ham oppbevares til saken er avsluttet (art. 17 nr. 3 bokstav e)",
    );
    pub const NEW_NUMBER: &str = "+47 473 15 990";
    pub const RECTIFY_REASON: (&str, &str) = (
        "New mobile number, she wrote by e-mail",
        "Nytt mobilnummer, skrev hun på e-post",
    );
    pub const BREACH_TITLE: (&str, &str) = (
        "Participant list e-mailed to everyone on the spring seminar",
        "Deltakerlisten sendt på e-post til alle på vårseminaret",
    );
    pub const BREACH_FOUND_BY: (&str, &str) = ("The event coordinator", "Arrangementsansvarlig");
    pub const BREACH_CAUSE: (&str, &str) = (
        "Human error: the participant list was attached to the reminder instead of the programme",
        "Menneskelig svikt: deltakerlisten ble lagt ved påminnelsen i stedet for programmet",
    );
    pub const BREACH_DESCRIPTION: (&str, &str) = (
        "The reminder before the spring seminar went to every participant with the full participant list attached: names, e-mail addresses, phone numbers and employers.",
        "Påminnelsen før vårseminaret gikk til alle deltakerne med hele deltakerlisten vedlagt: navn, e-postadresser, telefonnumre og arbeidsgivere.",
    );
    pub const BREACH_LOCATION: (&str, &str) = (
        "In the participants' mailboxes; they have been asked to delete it",
        "I deltakernes innbokser; de er bedt om å slette den",
    );
    pub const BREACH_RELATION: (&str, &str) = ("Event participants", "Deltakere på arrangementer");
    pub const BREACH_CONSEQUENCES: (&str, &str) = (
        "The other participants saw the contact details; some risk of unwanted contact and targeted phishing.",
        "De andre deltakerne så kontaktopplysningene; noe risiko for uønsket kontakt og målrettet phishing.",
    );
    pub const BREACH_MEASURES: (&str, &str) = (
        "The message was recalled where possible and the recipients asked to delete it.",
        "Meldingen ble trukket tilbake der det gikk, og mottakerne bedt om å slette den.",
    );
    pub const BREACH_PLANNED: (&str, &str) = (
        "Participant lists are kept apart from the material sent out, and a second person checks every mass mailing.",
        "Deltakerlister holdes adskilt fra materiell som sendes ut, og en til kontrollerer alle masseutsendelser.",
    );
}

/// The demo's activity made from a template.
fn story_activity<'a>(
    activities: &'a HashMap<&str, StoredActivity>,
    key: &str,
) -> Result<&'a StoredActivity> {
    activities.get(key).ok_or_else(|| {
        crate::error::InputError::invalid("activity", format!("the demo has no {key}")).into()
    })
}

/// The showcase (see the module documentation), after the crowd: the people, then
/// what happens to them, each through the register's own verbs.
pub fn showcase(
    reg: &mut Register,
    lang: Lang,
    activities: &HashMap<&str, StoredActivity>,
    rng: &mut Rng,
) -> Result<Showcase> {
    let pick = |w: (&'static str, &'static str)| lang.pick(w.0, w.1);
    let today = reg.clock().today();
    let now = reg.clock().now();
    let activity = |key: &str| story_activity(activities, key);
    let first_purpose = |a: &StoredActivity| {
        a.activity
            .purposes
            .first()
            .cloned()
            .unwrap_or_else(|| a.activity.name.clone())
    };

    let mut rows: Vec<(SubjectFields, Vec<NewRecord>)> = Vec::new();
    for p in &STORY {
        let who = p.fields(lang);
        let mut recs = Vec::new();
        for &key in p.activities {
            let act = activity(key)?;
            for cat in act.activity.data_categories.iter().take(3) {
                recs.push(NewRecord {
                    activity_id: act.id,
                    category: cat.name.clone(),
                    value: value_for(&cat.name, &who, rng, lang),
                    source: act.activity.source.clone(),
                    collected_on: Some(today - Days::new(p.collected_days_ago)),
                });
            }
        }
        rows.push((who, recs));
    }
    let records: usize = rows.iter().map(|(_, r)| r.len()).sum();
    let ids = reg.add_subjects(&rows)?;
    let id = |i: usize| ids[i];

    // Requests: overdue, due within the week, extended, and waiting for identity.
    let month_ago = today.checked_sub_months(Months::new(1)).unwrap_or(today);
    // Who asked, as they gave it, matched to the person.
    let request = |kind, who: usize, received: NaiveDate, channel, notes: &str| NewRequest {
        kind,
        subject_id: Some(id(who)),
        requester: Requester {
            name: rows[who].0.name.clone(),
            email: rows[who].0.email.clone(),
            phone: rows[who].0.phone.clone(),
        },
        received_on: Some(received.min(today)),
        channel,
        notes: notes.to_string(),
    };
    let overdue = reg.add_request(&request(
        RequestKind::Access,
        OVERDUE,
        month_ago - Days::new(6),
        Channel::Email,
        pick(words::OVERDUE_NOTES),
    ))?;
    reg.verify_request_identity(
        overdue.id,
        pick(words::VERIFIED_MAIL),
        Some(overdue.received_on + Days::new(1)),
    )?;
    reg.start_request(overdue.id)?;
    let due_soon = reg.add_request(&request(
        RequestKind::Erasure,
        DUE_SOON,
        month_ago + Days::new(4),
        Channel::WebForm,
        pick(words::DUE_SOON_NOTES),
    ))?;
    reg.verify_request_identity(
        due_soon.id,
        pick(words::VERIFIED_PHONE),
        Some((due_soon.received_on + Days::new(2)).min(today)),
    )?;
    reg.start_request(due_soon.id)?;
    let extended = reg.add_request(&request(
        RequestKind::Portability,
        EXTENDED,
        today - Days::new(20),
        Channel::Email,
        pick(words::EXTENDED_NOTES),
    ))?;
    reg.verify_request_identity(
        extended.id,
        pick(words::VERIFIED_MAIL),
        Some(extended.received_on + Days::new(1)),
    )?;
    reg.extend_request(extended.id, 2, pick(words::EXTENSION_REASON), Some(today))?;
    let waiting = reg.add_request(&request(
        RequestKind::Rectification,
        IDENTITY,
        today - Days::new(3),
        Channel::Letter,
        pick(words::IDENTITY_NOTES),
    ))?;
    reg.ask_for_identity(waiting.id, pick(words::IDENTITY_ASKED))?;

    // Art. 21(1): an objection to the client follow-up, restricted while it is assessed.
    let clients = activity("client_information")?;
    reg.add_consent_event(
        id(OBJECTION),
        &NewConsentEvent {
            activity_id: clients.id,
            purpose: first_purpose(clients),
            kind: ConsentKind::Objection,
            method: pick(words::OBJECTION_METHOD).into(),
            at: Some(now - chrono::Duration::days(3)),
        },
    )?;

    // A consent, and its withdrawal six weeks ago: the newsletter's records are due.
    let news = activity("newsletter")?;
    for (who, kind, method, days) in [
        (DUE_SOON, ConsentKind::ConsentGiven, words::SIGN_UP, 90),
        (WITHDRAWAL, ConsentKind::ConsentGiven, words::SIGN_UP, 240),
        (
            WITHDRAWAL,
            ConsentKind::ConsentWithdrawn,
            words::UNSUBSCRIBE,
            42,
        ),
    ] {
        reg.add_consent_event(
            id(who),
            &NewConsentEvent {
                activity_id: news.id,
                purpose: first_purpose(news),
                kind,
                method: pick(method).into(),
                at: Some(now - chrono::Duration::days(days)),
            },
        )?;
    }

    // A legal hold on a person (Art. 17(3)(e)).
    let hold = reg.add_hold(
        HoldTarget::Subject(id(HOLD)),
        pick(words::HOLD_REASON),
        None,
    )?;

    // A rectification: the recipients of her activities are to be told (Art. 19).
    let mut corrected = STORY[RECTIFIED].fields(lang);
    corrected.phone = words::NEW_NUMBER.into();
    reg.update_subject(id(RECTIFIED), &corrected, pick(words::RECTIFY_REASON))?;

    // A recruitment closed fourteen months ago: the application is past its year.
    let applicants = activity("job_applicants")?;
    reg.set_retention_date(
        id(APPLICANT),
        applicants.id,
        RetentionTrigger::ApplicationClosed,
        Some(today.checked_sub_months(Months::new(14)).unwrap_or(today)),
    )?;

    // A breach found yesterday: its 72 hours run; the seminar's people are linked.
    let events = activity("events")?;
    let breach = reg.add_breach(&BreachFacts {
        title: pick(words::BREACH_TITLE).into(),
        occurred_from: Some(now - chrono::Duration::hours(26)),
        occurred_to: Some(now - chrono::Duration::hours(26)),
        discovered_at: Some(now - chrono::Duration::hours(22)),
        aware_at: Some(now - chrono::Duration::hours(20)),
        found_by: pick(words::BREACH_FOUND_BY).into(),
        cause: pick(words::BREACH_CAUSE).into(),
        description: pick(words::BREACH_DESCRIPTION).into(),
        kinds: vec![BreachKind::Confidentiality],
        data_location: pick(words::BREACH_LOCATION).into(),
        processor_id: None,
        processor_told_at: None,
        relation: pick(words::BREACH_RELATION).into(),
        consequences: pick(words::BREACH_CONSEQUENCES).into(),
        measures_taken: pick(words::BREACH_MEASURES).into(),
        measures_planned: pick(words::BREACH_PLANNED).into(),
        contact: "personvern@fjordlys.example.no".into(),
    })?;
    reg.set_affected(
        breach.id,
        &AffectedSelection {
            activity_ids: vec![events.id],
            ..Default::default()
        },
    )?;

    Ok(Showcase {
        people: ids.len(),
        records,
        requests: 4,
        duplicate_pair: (id(PAIR_KEEP), id(PAIR_OTHER)),
        legal_hold: hold.id,
        breach: breach.id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FixedClock;
    use crate::store::merge::DuplicatePair;
    use crate::store::notify::{NotifyCause, NotifyFilter};
    use crate::store::requests::{RequestFilter, RequestStatus};
    use crate::store::subjects::SubjectSort;

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

    #[test]
    fn a_clash_is_settled_without_drawing_again() {
        // The same seed drawn twice: the second crowd clashes with the first on every
        // person, and is made distinct without changing what is drawn after it.
        let mut unique = Unique::default();
        let mut first = Rng::new(11);
        let firsts: Vec<SubjectFields> =
            (0..50).map(|_| unique.person(&mut first, false)).collect();
        let mut again = Rng::new(11);
        let seconds: Vec<SubjectFields> =
            (0..50).map(|_| unique.person(&mut again, false)).collect();
        assert_eq!(
            first.next_u64(),
            again.next_u64(),
            "the same numbers were drawn"
        );
        for (a, b) in firsts.iter().zip(&seconds) {
            assert_ne!(a.name, b.name);
            assert_ne!(normalise_email(&a.email), normalise_email(&b.email));
            assert!(a.phone.is_empty() || normalise_phone(&a.phone) != normalise_phone(&b.phone));
            assert!(
                !b.name.ends_with(" Nordmann"),
                "moved to Nordmann: {}",
                b.name
            );
        }
    }

    fn demo(lang: Lang) -> (tempfile::TempDir, Register, Summary) {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(FixedClock::at("2026-03-02T09:00:00Z"));
        let mut reg = Register::create_unencrypted(&dir.path().join("demo"), clock).unwrap();
        let summary = fill(
            &mut reg,
            &Options {
                subjects: 300,
                seed: 2026,
                lang,
                batch: 100,
                showcase: true,
            },
            |_| {},
        )
        .unwrap();
        (dir, reg, summary)
    }

    #[test]
    fn the_demo_shows_everything_in_its_language_with_one_deliberate_duplicate() {
        for lang in [Lang::En, Lang::Nb] {
            let (_dir, mut reg, summary) = demo(lang);
            let show = summary.showcase.clone().expect("the showcase");
            assert_eq!(summary.subjects, 300, "{lang:?}");
            let people = reg
                .list_subjects(0, 10_000, SubjectSort::Name, false)
                .unwrap()
                .items;
            assert_eq!(people.len(), 300);

            // No two people share a name, an address or a number, but the pair.
            let (keep, other) = show.duplicate_pair;
            assert_eq!(
                reg.duplicate_pairs().unwrap(),
                [DuplicatePair {
                    first: keep,
                    second: other,
                    by_email: false,
                    by_phone: true
                }],
                "{lang:?}"
            );
            let mut names: Vec<String> = people.iter().map(|p| p.name.to_lowercase()).collect();
            names.sort();
            names.dedup();
            assert_eq!(names.len(), 300, "{lang:?}: a name twice");
            let pair: Vec<&str> = people
                .iter()
                .filter(|p| p.id == keep || p.id == other)
                .map(|p| p.name.as_str())
                .collect();
            assert_eq!(pair, ["Ingrid M. Solheim", "Ingrid Solheim"]);

            // Requests: overdue, due within the week, extended, waiting for identity.
            let deadlines = reg.request_deadlines().unwrap();
            assert!(deadlines.overdue >= 1, "{lang:?}");
            assert!(deadlines.due_soon >= 1, "{lang:?}");
            assert!(deadlines.extension_reminders >= 1, "{lang:?}");
            let open = reg.requests(RequestFilter::Open).unwrap();
            assert_eq!(open.len(), show.requests);
            assert!(open.iter().any(|r| r.status == RequestStatus::Extended));
            let waiting: Vec<_> = open
                .iter()
                .filter(|r| r.verified_on.is_none())
                .filter(|r| {
                    reg.request_view(r.id)
                        .unwrap()
                        .actions
                        .iter()
                        .any(|a| a.action == "identity_requested")
                })
                .collect();
            assert_eq!(waiting.len(), 1, "{lang:?}");

            // Consents, a withdrawal, and an objection under assessment.
            let mut kinds = HashSet::new();
            let mut assessed = 0;
            for p in &people {
                for c in reg.consents_of(p.id).unwrap() {
                    kinds.insert(c.kind);
                }
                if !reg.objections_pending(p.id).unwrap().is_empty() {
                    assert!(p.restricted, "restricted while it is assessed");
                    assessed += 1;
                }
            }
            assert_eq!(kinds.len(), 3, "{lang:?}: {kinds:?}");
            assert_eq!(assessed, 1);

            // A legal hold; records due, from a withdrawal and a closed recruitment.
            assert_eq!(reg.holds(false).unwrap()[0].id, show.legal_hold);
            let due = reg.retention_due(None).unwrap();
            let triggers: HashSet<RetentionTrigger> = due
                .groups
                .iter()
                .flat_map(|g| &g.items)
                .map(|i| i.trigger)
                .collect();
            for t in [
                RetentionTrigger::Unsubscribed,
                RetentionTrigger::ApplicationClosed,
                RetentionTrigger::Collected,
            ] {
                assert!(triggers.contains(&t), "{lang:?}: {t:?} in {triggers:?}");
            }

            // Art. 19 tasks, from a rectification and from the objection's restriction.
            let causes: HashSet<NotifyCause> = reg
                .notifications(NotifyFilter::Open)
                .unwrap()
                .into_iter()
                .map(|n| n.cause)
                .collect();
            assert!(causes.contains(&NotifyCause::Rectification), "{causes:?}");
            assert!(causes.contains(&NotifyCause::Restriction), "{causes:?}");

            // An open breach, its clock running, the seminar's people linked.
            let breaches = reg.open_breaches().unwrap();
            assert_eq!(breaches.len(), 1);
            let b = &breaches[0];
            assert_eq!(b.id, show.breach);
            assert!(b.clock.running && !b.clock.overdue);
            assert!(b.linked_people > 0);

            // In the demo's language.
            let title = b.facts.title.as_str();
            let activities: Vec<String> = reg
                .activities()
                .unwrap()
                .into_iter()
                .map(|a| a.activity.name)
                .collect();
            match lang {
                Lang::En => {
                    assert!(title.starts_with("Participant list"), "{title}");
                    assert!(activities.iter().any(|a| a == "Newsletter"));
                }
                Lang::Nb => {
                    assert!(title.starts_with("Deltakerlisten"), "{title}");
                    assert!(activities.iter().any(|a| a == "Nyhetsbrev"));
                    // Norwegian names only: the crowd's, and the showcase's.
                    let story: Vec<String> =
                        STORY.iter().map(|p| p.fields(Lang::Nb).name).collect();
                    for p in &people {
                        let first = p.name.split(' ').next().unwrap();
                        assert!(
                            NORWEGIAN_FIRST.contains(&first) || story.contains(&p.name),
                            "{}",
                            p.name
                        );
                        assert!(!p.phone.starts_with("+44"), "{}", p.phone);
                    }
                    let notes: Vec<String> = open.iter().map(|r| r.notes.clone()).collect();
                    assert!(notes.iter().any(|n| n.starts_with("Ber om")), "{notes:?}");
                }
            }

            // The deliberate pair merges, and then nothing is left to merge.
            let preview = reg.merge_preview(keep, other).unwrap();
            assert!(preview.moves.records > 0);
            reg.merge_subjects(keep, other, "the same person, from the course portal")
                .unwrap();
            assert!(reg.duplicate_pairs().unwrap().is_empty());
        }
    }

    #[test]
    fn without_the_showcase_the_demo_is_the_crowd_alone() {
        let dir = tempfile::tempdir().unwrap();
        let clock = std::sync::Arc::new(FixedClock::at("2026-03-02T09:00:00Z"));
        let mut reg = Register::create_unencrypted(&dir.path().join("demo"), clock).unwrap();
        let summary = fill(
            &mut reg,
            &Options {
                subjects: 40,
                seed: 7,
                lang: Lang::En,
                batch: 20,
                showcase: false,
            },
            |_| {},
        )
        .unwrap();
        assert_eq!(summary.subjects, 40);
        assert!(summary.showcase.is_none());
        assert!(reg.requests(RequestFilter::All).unwrap().is_empty());
        assert!(reg.breaches().unwrap().is_empty());
        assert!(reg.duplicate_pairs().unwrap().is_empty());
    }
}
