//! A household's permits and deadlines drawn on a date axis, as SVG: one row per person, a bar per permit, a
//! numbered marker per deadline, and a numbered list under the chart so that it prints legibly.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use crate::case::{Case, PermitKind, Person};
use crate::decision::{Day, ShortDay};
use crate::household::{kind_text, last_day, HouseholdAssessment, WorkStatus};
use crate::text::Lang;

const WIDTH: f64 = 1200.0;
const LEFT: f64 = 190.0;
const RIGHT: f64 = 30.0;
const LANE: f64 = 26.0;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn colour(k: PermitKind) -> &'static str {
    match k {
        PermitKind::HighlySkilledMigrant => "#1f6feb",
        PermitKind::EuBlueCard => "#0a3d91",
        PermitKind::IntraCorporateTransferee => "#6f42c1",
        PermitKind::OrientationYear
        | PermitKind::ZoekjaarAfgestudeerden
        | PermitKind::RegelingHoogopgeleiden => "#bf8700",
        PermitKind::Study => "#8250df",
        PermitKind::FamilyMember => "#1a7f37",
        PermitKind::SelfEmployed | PermitKind::StartUp => "#bc4c00",
        PermitKind::ScientificResearcher | PermitKind::PaidEmployment => "#0969da",
        PermitKind::PermanentResidence | PermitKind::EuLongTermResident => "#57606a",
    }
}

fn work_colour(w: WorkStatus) -> &'static str {
    match w {
        WorkStatus::Free => "#1a7f37",
        WorkStatus::NotAllowed => "#cf222e",
        _ => "#9a6700",
    }
}

/// Splits text into lines of at most `width` characters, at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Draws the household, each row labelled with the member's id. Pure: the same inputs give the same picture.
pub fn svg(case: &Case, h: &HouseholdAssessment, lang: Lang) -> String {
    svg_named(case, h, lang, &|_| None)
}

/// Draws the household, each row labelled with `name(id)` where it gives one (a person's name, or "You" in the
/// page's language), else the member's id.
pub fn svg_named(
    case: &Case,
    h: &HouseholdAssessment,
    lang: Lang,
    name: &dyn Fn(&str) -> Option<String>,
) -> String {
    let r = case.reference_date;
    let members = case.members();
    let axis = Axis::new(case, h, &members);
    let (lo, hi) = (axis.lo, axis.hi);
    let x = |d: NaiveDate| axis.x(d);
    let mut rows = rows(&members, h, lang, lo);
    for row in &mut rows {
        if let Some(n) = name(&row.name) {
            row.label = n;
        }
    }

    let top = 78.0;
    let row_heights: Vec<f64> = rows
        .iter()
        .map(|row| row.lanes.len() as f64 * LANE + 34.0)
        .collect();
    let chart_bottom = top + row_heights.iter().sum::<f64>();
    let list_top = chart_bottom + 46.0;
    let list_height: f64 = h
        .deadlines
        .iter()
        .map(|d| 4.0 + 16.0 * wrap(d.what().get(lang), 120).len() as f64)
        .sum();
    let height = list_top + list_height + 40.0;
    let mut s = String::new();
    let title = if lang == Lang::En {
        "Permits and deadlines"
    } else {
        "Verblijfsvergunningen en termijnen"
    };
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{WIDTH}\" height=\"{height:.0}\" viewBox=\"0 0 {WIDTH} {height:.0}\" font-family=\"DejaVu Sans, Arial, sans-serif\" font-size=\"12\" role=\"img\" aria-label=\"{title}\">\n<defs><pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#ffffff\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#8c959f\" stroke-width=\"2\"/></pattern></defs>\n<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n<text x=\"20\" y=\"30\" font-size=\"20\" font-weight=\"bold\" fill=\"#1f2328\">{title}</text>\n<text x=\"20\" y=\"52\" fill=\"#57606a\">{} {}</text>\n",
        if lang == Lang::En { "Reference date" } else { "Peildatum" },
        Day(r, lang)
    );
    // Year grid.
    for year in lo.year()..=hi.year() {
        let Some(d) = NaiveDate::from_ymd_opt(year, 1, 1) else {
            continue;
        };
        let gx = x(d);
        let _ = write!(s, "<line x1=\"{gx:.1}\" y1=\"{top:.0}\" x2=\"{gx:.1}\" y2=\"{chart_bottom:.0}\" stroke=\"#d0d7de\"/>\n<text x=\"{gx:.1}\" y=\"{:.0}\" text-anchor=\"middle\" fill=\"#57606a\">{year}</text>\n", top - 8.0);
        for q in [4, 7, 10] {
            if let Some(qd) = NaiveDate::from_ymd_opt(year, q, 1) {
                if qd < hi {
                    let qx = x(qd);
                    let _ = writeln!(s, "<line x1=\"{qx:.1}\" y1=\"{top:.0}\" x2=\"{qx:.1}\" y2=\"{chart_bottom:.0}\" stroke=\"#eaeef2\"/>");
                }
            }
        }
    }
    // Rows.
    let mut y = top;
    for (row, rh) in rows.iter().zip(&row_heights) {
        draw_row(&mut s, row, y, &axis, h, lang);
        y += rh;
    }
    let _ = writeln!(s, "<line x1=\"20\" y1=\"{chart_bottom:.0}\" x2=\"{:.0}\" y2=\"{chart_bottom:.0}\" stroke=\"#8c959f\"/>", WIDTH - RIGHT);
    // The reference date.
    let rx = x(r);
    let _ = writeln!(s, "<line x1=\"{rx:.1}\" y1=\"{:.0}\" x2=\"{rx:.1}\" y2=\"{chart_bottom:.0}\" stroke=\"#cf222e\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>", top - 4.0);
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.0}\" fill=\"#cf222e\" font-size=\"11\">{}</text>",
        rx + 4.0,
        chart_bottom + 14.0,
        ShortDay(r, lang)
    );
    draw_deadline_list(&mut s, h, lang, list_top, name);
    s.push_str("</svg>\n");
    s
}

/// The time axis: from the earliest permit still relevant (or a year before the reference date) to the last end
/// or deadline, in whole years, at most twelve.
struct Axis {
    lo: NaiveDate,
    hi: NaiveDate,
}

impl Axis {
    fn new(case: &Case, h: &HouseholdAssessment, members: &[&Person]) -> Axis {
        let r = case.reference_date;
        let mut lo = NaiveDate::from_ymd_opt(r.year() - 1, 1, 1).unwrap_or(r);
        let mut hi = NaiveDate::from_ymd_opt(r.year() + 2, 1, 1).unwrap_or(r);
        for p in members {
            for permit in &p.permits {
                if permit.until.is_none_or(|u| u.year() >= r.year() - 3) {
                    lo = lo.min(permit.from);
                }
                if let Some(u) = last_day(permit) {
                    hi = hi.max(u);
                }
            }
        }
        for d in &h.deadlines {
            hi = hi.max(d.date);
        }
        let lo = NaiveDate::from_ymd_opt(lo.year().max(r.year() - 6), 1, 1).unwrap_or(lo);
        let hi = NaiveDate::from_ymd_opt((hi.year() + 1).min(lo.year() + 12), 1, 1).unwrap_or(hi);
        Axis { lo, hi }
    }

    /// Where a date falls on the chart.
    fn x(&self, d: NaiveDate) -> f64 {
        let span = (self.hi - self.lo).num_days().max(1) as f64;
        LEFT + ((d - self.lo)
            .num_days()
            .clamp(0, (self.hi - self.lo).num_days()) as f64)
            / span
            * (WIDTH - LEFT - RIGHT)
    }
}

/// One person's row: their permits in lanes, so that overlapping permits do not hide each other.
struct Row<'a> {
    /// The member's id, which their deadlines name.
    name: String,
    /// What the row is labelled with.
    label: String,
    work: Option<(WorkStatus, String, Option<NaiveDate>)>,
    effective_end: Option<NaiveDate>,
    lanes: Vec<Vec<&'a crate::case::HeldPermit>>,
}

fn rows<'a>(
    members: &[&'a Person],
    h: &HouseholdAssessment,
    lang: Lang,
    lo: NaiveDate,
) -> Vec<Row<'a>> {
    let mut rows: Vec<Row<'_>> = Vec::new();
    for (i, p) in members.iter().enumerate() {
        let mut lanes: Vec<Vec<&crate::case::HeldPermit>> = Vec::new();
        let mut permits: Vec<&crate::case::HeldPermit> = p
            .permits
            .iter()
            .filter(|h| last_day(h).is_none_or(|u| u >= lo))
            .collect();
        permits.sort_by_key(|h| h.from);
        for permit in permits {
            let slot = lanes.iter().position(|l| {
                l.last()
                    .is_some_and(|prev| last_day(prev).is_some_and(|u| u < permit.from))
            });
            match slot {
                Some(i) => lanes[i].push(permit),
                None => lanes.push(vec![permit]),
            }
        }
        if lanes.is_empty() {
            lanes.push(Vec::new());
        }
        let work = h.members.get(i).map(|m| {
            (
                m.work_rights.status,
                m.work_rights.status.short().get(lang).to_string(),
                m.work_rights.until,
            )
        });
        let effective_end = h.members.get(i).and_then(|m| m.work_rights.until);
        let id = p.id.clone().unwrap_or_else(|| format!("#{}", i + 1));
        rows.push(Row {
            label: id.clone(),
            name: id,
            work,
            effective_end,
            lanes,
        });
    }
    rows
}

/// Draws one person's row at height `y`: name and right to work, permit bars, and numbered deadline markers.
fn draw_row(
    s: &mut String,
    row: &Row<'_>,
    y: f64,
    axis: &Axis,
    h: &HouseholdAssessment,
    lang: Lang,
) {
    let _ = writeln!(
        s,
        "<line x1=\"20\" y1=\"{y:.0}\" x2=\"{:.0}\" y2=\"{y:.0}\" stroke=\"#8c959f\"/>",
        WIDTH - RIGHT
    );
    let _ = writeln!(s, "<text x=\"20\" y=\"{:.0}\" font-size=\"14\" font-weight=\"bold\" fill=\"#1f2328\">{}</text>", y + 20.0, esc(&row.label));
    if let Some((w, text, _)) = &row.work {
        let _ = writeln!(
            s,
            "<text x=\"20\" y=\"{:.0}\" font-size=\"11\" fill=\"{}\">{}</text>",
            y + 36.0,
            work_colour(*w),
            esc(text)
        );
    }
    if row.lanes.iter().all(|l| l.is_empty()) {
        let none = if lang == Lang::En {
            "no residence permit recorded"
        } else {
            "geen verblijfsvergunning bekend"
        };
        let _ = writeln!(
            s,
            "<text x=\"{:.0}\" y=\"{:.0}\" fill=\"#8c959f\" font-style=\"italic\">{none}</text>",
            LEFT + 8.0,
            y + 22.0
        );
    }
    for (li, lane) in row.lanes.iter().enumerate() {
        let by = y + 8.0 + li as f64 * LANE;
        for permit in lane {
            let x1 = axis.x(permit.from.max(axis.lo));
            let paper_end = last_day(permit);
            // A family permit ends with the sponsor's: draw what holds solid, the rest of the paper term hatched.
            let end = match (permit.kind, paper_end, row.effective_end) {
                (PermitKind::FamilyMember, Some(pe), Some(ee)) if ee < pe && ee >= permit.from => {
                    Some(ee)
                }
                _ => paper_end,
            };
            let x2 = end.map_or(WIDTH - RIGHT, |d| axis.x(d)).max(x1 + 3.0);
            if let (Some(pe), Some(e)) = (paper_end, end) {
                if pe > e {
                    let _ = writeln!(
                        s,
                        "<rect x=\"{x2:.1}\" y=\"{by:.0}\" width=\"{:.1}\" height=\"{:.0}\" rx=\"4\" fill=\"url(#hatch)\" stroke=\"{}\" stroke-dasharray=\"3 3\"><title>{}</title></rect>",
                        axis.x(pe) - x2,
                        LANE - 6.0,
                        colour(permit.kind),
                        esc(&format!("{} {}", if lang == Lang::En { "on paper until" } else { "op papier tot" }, Day(pe, lang)))
                    );
                }
            }
            let kind = kind_text(permit.kind);
            let label = format!(
                "{} {}–{}",
                kind.get(lang),
                ShortDay(permit.from, lang),
                end.map_or("…".to_string(), |d| ShortDay(d, lang).to_string())
            );
            let _ = writeln!(
                s,
                "<rect x=\"{x1:.1}\" y=\"{by:.0}\" width=\"{:.1}\" height=\"{:.0}\" rx=\"4\" fill=\"{}\" fill-opacity=\"{}\"><title>{}</title></rect>",
                x2 - x1,
                LANE - 6.0,
                colour(permit.kind),
                if end.is_some() { "0.9" } else { "0.55" },
                esc(&label)
            );
            let room = ((x2 - x1) / 6.6) as usize;
            if room >= 6 {
                let text: String = label.chars().take(room).collect();
                let _ = writeln!(
                    s,
                    "<text x=\"{:.1}\" y=\"{:.0}\" fill=\"#ffffff\" font-size=\"11\">{}</text>",
                    x1 + 5.0,
                    by + 14.0,
                    esc(&text)
                );
            }
        }
    }
    // Deadlines of this person: numbered diamonds under the bars.
    let my = y + row.lanes.len() as f64 * LANE + 20.0;
    let mut placed: Vec<f64> = Vec::new();
    for (n, d) in h.deadlines.iter().enumerate() {
        if d.person.as_deref() != Some(row.name.as_str()) || d.date > axis.hi {
            continue;
        }
        let mx = axis.x(d.date);
        // Markers closer than a label's width share a column: their numbers stack to the right.
        let crowd = placed.iter().filter(|p| (**p - mx).abs() < 14.0).count();
        placed.push(mx);
        let mx = mx + crowd as f64 * 14.0;
        let _ = writeln!(
            s,
            "<g><title>{} — {}</title><path d=\"M {mx:.1} {:.1} l 6 6 l -6 6 l -6 -6 z\" fill=\"#cf222e\"/><text x=\"{mx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"9.5\" fill=\"#1f2328\">{}</text></g>",
            d.date,
            esc(d.what().get(lang)),
            my - 6.0,
            my + 17.0,
            n + 1
        );
    }
}

/// Draws the numbered list of deadlines under the chart.
fn draw_deadline_list(
    s: &mut String,
    h: &HouseholdAssessment,
    lang: Lang,
    list_top: f64,
    name: &dyn Fn(&str) -> Option<String>,
) {
    let heading = if lang == Lang::En {
        "Deadlines"
    } else {
        "Termijnen"
    };
    let _ = writeln!(s, "<text x=\"20\" y=\"{:.0}\" font-size=\"14\" font-weight=\"bold\" fill=\"#1f2328\">{heading}</text>", list_top - 8.0);
    let mut ly = list_top + 14.0;
    for (n, d) in h.deadlines.iter().enumerate() {
        let lines = wrap(d.what().get(lang), 120);
        let _ = write!(
            s,
            "<text x=\"20\" y=\"{ly:.0}\" fill=\"#1f2328\"><tspan font-weight=\"bold\">{}.</tspan> <tspan fill=\"#cf222e\">{}</tspan>  <tspan font-weight=\"bold\">{}</tspan>  {}",
            n + 1,
            ShortDay(d.date, lang),
            esc(&d
                .person
                .as_deref()
                .map(|p| name(p).unwrap_or_else(|| p.to_string()))
                .unwrap_or_default()),
            esc(lines.first().map(String::as_str).unwrap_or(""))
        );
        for l in lines.iter().skip(1) {
            let _ = write!(s, "<tspan x=\"170\" dy=\"16\">{}</tspan>", esc(l));
        }
        s.push_str("</text>\n");
        ly += 4.0 + 16.0 * lines.len() as f64;
    }
}
