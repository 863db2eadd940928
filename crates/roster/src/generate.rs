//! A deterministic synthetic population in the roster format: the same seed and size give the same file. Ages,
//! degrees, salaries, permits and households are spread so that every decision meets both outcomes: single
//! applicants, couples and families of highly skilled migrants, orientation-year holders and students.

use std::io::Write;

use chrono::{Datelike, Days, NaiveDate};

use crate::row::COLUMNS;

/// SplitMix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len() as u64) as usize]
    }
}

fn base() -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, 1, 1).unwrap_or_default()
}

fn days(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new((-n) as u64)).unwrap_or(d)
    }
}

/// The 30-plus criterion by year (euro a month), to spread salaries around it.
fn level(year: i32) -> i64 {
    match year {
        ..=2015 => 4189,
        2016 => 4240,
        2017 => 4324,
        2018 => 4404,
        2019 => 4500,
        2020 => 4612,
        2021 => 4752,
        2022 => 4840,
        2023 => 5008,
        2024 => 5331,
        2025 => 5688,
        _ => 5942,
    }
}

const NATIONALITIES: &[&str] = &[
    "IN", "CN", "US", "TR", "BR", "ZA", "RU", "IR", "EG", "PK", "NG", "UA", "JP", "KR", "MX",
];

/// Writes `n` people to `out`, with the header, with reference dates from 2015 to 2026.
pub fn write_population<W: Write>(n: u64, seed: u64, out: W) -> std::io::Result<()> {
    write_population_between(
        n,
        seed,
        base(),
        NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
        out,
    )
}

/// Writes `n` people to `out`, with reference dates between `from` and `to`.
pub fn write_population_between<W: Write>(
    n: u64,
    seed: u64,
    from: NaiveDate,
    to: NaiveDate,
    out: W,
) -> std::io::Result<()> {
    let span = (to - from).num_days().max(0) as u64 + 1;
    let mut w =
        csv::WriterBuilder::new().from_writer(std::io::BufWriter::with_capacity(1 << 16, out));
    let io = |e: csv::Error| std::io::Error::other(e.to_string());
    w.write_record(COLUMNS.iter().map(|(c, _)| *c))
        .map_err(io)?;
    let mut rng = Rng(seed ^ 0x0005_EED0_F7E5);
    let mut written = 0u64;
    let mut household = 0u64;
    let mut row: Vec<String> = vec![String::new(); COLUMNS.len()];
    let col = |name: &str| COLUMNS.iter().position(|(c, _)| *c == name).unwrap_or(0);
    let (
        c_id,
        c_hh,
        c_ref,
        c_birth,
        c_nat,
        c_lvl,
        c_prov,
        c_grad,
        c_rl,
        c_re,
        c_rp,
        c_sponsor_ok,
        c_salary,
        c_start,
        c_end,
        c_pk,
        c_pf,
        c_pu,
        c_spons,
        c_partner,
        c_pform,
        c_rfrom,
        c_parent,
        c_role,
    ) = (
        col("id"),
        col("household"),
        col("reference_date"),
        col("birth_date"),
        col("nationality"),
        col("education_level"),
        col("education_provenance"),
        col("graduation_date"),
        col("ranking_list"),
        col("ranking_edition"),
        col("ranking_position"),
        col("recognised_sponsor"),
        col("gross_monthly_salary"),
        col("contract_start"),
        col("contract_end"),
        col("permit_kind"),
        col("permit_from"),
        col("permit_until"),
        col("sponsor"),
        col("partner"),
        col("partnership_form"),
        col("relationship_from"),
        col("parent"),
        col("role"),
    );
    while written < n {
        household += 1;
        let reference = days(from, rng.below(span) as i64);
        let year = reference.year();
        let kind = rng.below(100);
        let left = n - written;
        let size = match kind {
            0..=54 => 1,
            55..=79 => 2,
            80..=89 => 3 + rng.below(2),
            _ => 1,
        }
        .min(left);
        let hh = format!("h{household}");
        let main = format!("p{}", written + 1);
        let nationality = rng.pick(NATIONALITIES);
        for member in 0..size {
            row.iter_mut().for_each(String::clear);
            let id = format!("p{}", written + 1);
            row[c_id] = id.clone();
            if size > 1 {
                row[c_hh] = hh.clone();
            }
            row[c_ref] = reference.to_string();
            row[c_nat] = nationality.into();
            if member == 0 {
                let age = 22 + rng.below(34) as i64;
                let birth = days(reference, -(age * 365 + rng.below(365) as i64));
                row[c_birth] = birth.to_string();
                let grad = days(reference, -((rng.below(12 * 365)) as i64 + 30));
                row[c_lvl] = rng
                    .pick(&["master", "master", "master", "bachelor", "phd"])
                    .into();
                let dutch = rng.chance(35);
                row[c_prov] = (if dutch { "dutch_accredited" } else { "foreign" }).into();
                row[c_grad] = grad.max(days(birth, 20 * 365)).to_string();
                if !dutch && rng.chance(50) {
                    row[c_rl] = rng.pick(&["the", "qs", "arwu"]).into();
                    row[c_re] = grad.year().to_string();
                    row[c_rp] = (1 + rng.below(400)).to_string();
                }
                if (90..95).contains(&kind) {
                    // An orientation-year holder.
                    let from = days(reference, -(rng.below(300) as i64));
                    row[c_pk] = "orientation_year".into();
                    row[c_pf] = from.to_string();
                    row[c_pu] = days(from, 364).to_string();
                } else if kind >= 95 {
                    let from = days(reference, -(rng.below(1200) as i64));
                    row[c_pk] = "study".into();
                    row[c_pf] = from.to_string();
                    row[c_pu] = days(from, 1460).to_string();
                } else {
                    row[c_sponsor_ok] = (if rng.chance(95) { "true" } else { "false" }).into();
                    let factor = 55 + rng.below(90) as i64; // 55 % to 145 % of the 30-plus level
                    let cents = level(year) * factor + rng.below(100) as i64;
                    row[c_salary] = format!("{}.{:02}", cents / 100, cents % 100);
                    let start = days(reference, rng.below(120) as i64);
                    row[c_start] = start.to_string();
                    row[c_end] = if rng.chance(40) {
                        "indefinite".into()
                    } else {
                        days(start, 365 * (1 + rng.below(6) as i64)).to_string()
                    };
                    if rng.chance(5) {
                        row[c_role] = rng
                            .pick(&[
                                "scientific_researcher",
                                "phd_researcher",
                                "physician_in_training",
                                "guest_lecturer",
                            ])
                            .into();
                    }
                    if rng.chance(50) {
                        let from = days(reference, -(rng.below(1500) as i64));
                        row[c_pk] = "highly_skilled_migrant".into();
                        row[c_pf] = from.to_string();
                        row[c_pu] = days(from, 365 * (1 + rng.below(5) as i64)).to_string();
                    }
                }
            } else if member == 1 {
                let age = 21 + rng.below(35) as i64;
                row[c_birth] = days(reference, -(age * 365 + rng.below(365) as i64)).to_string();
                row[c_partner] = main.clone();
                row[c_pform] = rng.pick(&["married", "registered", "unmarried"]).into();
                row[c_rfrom] = days(reference, -(rng.below(15 * 365) as i64)).to_string();
                let from = days(reference, -(rng.below(900) as i64));
                row[c_pk] = "family_member".into();
                row[c_pf] = from.to_string();
                row[c_pu] = days(from, 365 * (1 + rng.below(5) as i64)).to_string();
                row[c_spons] = main.clone();
            } else {
                row[c_birth] = days(reference, -(rng.below(17 * 365) as i64)).to_string();
                row[c_parent] = main.clone();
                let from = days(reference, -(rng.below(900) as i64));
                row[c_pk] = "family_member".into();
                row[c_pf] = from.to_string();
                row[c_pu] = days(from, 365 * (1 + rng.below(5) as i64)).to_string();
                row[c_spons] = main.clone();
            }
            w.write_record(&row).map_err(io)?;
            written += 1;
        }
    }
    w.flush()
}
