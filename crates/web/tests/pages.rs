//! The check's pages as a person meets them, over real HTTP: a result that starts with its summary, no personal
//! data in a link, answers kept only until deleted, Dutch amounts and dates on Dutch pages, no English text from the
//! catalogue on a Dutch page, and an unknown role refused naming the field.

mod common;

use common::*;

const EN: &str = include_str!("../i18n/en.txt");
const NL: &str = include_str!("../i18n/nl.txt");

const ENGINEER: &[u8] = b"role=worker&lang=en&date=2026-03-02&birth_date=1996-09-14&recognised_sponsor=yes&salary=4500&work_role=regular";

fn location(r: &Reply) -> String {
    r.headers
        .lines()
        .find_map(|l| l.strip_prefix("location: "))
        .expect("a redirect")
        .trim()
        .to_string()
}

async fn submit(s: &Server, form: &[u8]) -> Reply {
    request(
        s,
        "POST",
        "/check",
        "application/x-www-form-urlencoded",
        form,
    )
    .await
}

fn texts(source: &str) -> Vec<(&str, &str)> {
    source
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .collect()
}

#[tokio::test]
async fn the_result_link_holds_an_unguessable_id_and_no_birth_date_or_salary() {
    let s = start().await;
    let r = submit(&s, ENGINEER).await;
    assert_eq!(r.status, 303, "{}", r.body);
    let to = location(&r);
    assert!(to.starts_with("/result?id="), "{to}");
    assert!(
        !to.contains("1996") && !to.contains("4500") && !to.contains("c="),
        "{to}"
    );
    let id = to["/result?id=".len()..].split('&').next().expect("id");
    assert_eq!(id.len(), 32, "a random UUID: {id}");
    let page = get(&s, &to).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(
        page.headers.contains("cache-control: no-store"),
        "{}",
        page.headers
    );
    assert!(
        page.body.contains("kept on this server only"),
        "the page says how the answers are kept"
    );
}

#[tokio::test]
async fn the_result_starts_with_one_sentence_that_says_what_the_person_qualifies_for_and_how_they_may_work(
) {
    let s = start().await;
    let page = get(&s, &location(&submit(&s, ENGINEER).await)).await;
    let summary = page
        .body
        .find("class=\"sentence\"")
        .expect("a summary sentence");
    let first_decision = page.body.find("class=\"decision\"").expect("a decision");
    assert!(
        summary < first_decision,
        "the summary comes before the decisions"
    );
    let sentence = &page.body[summary
        ..page.body[summary..]
            .find("</p>")
            .map(|e| summary + e)
            .expect("end")];
    assert!(
        sentence.contains("You qualify for highly skilled migrant"),
        "{sentence}"
    );
    assert!(sentence.contains("work: only"), "{sentence}");
    assert!(sentence.contains("next date:"), "{sentence}");
    // The answers are recapped, with a way back to change them that carries no answer either.
    assert!(
        page.body
            .contains("<dt>Gross monthly salary (euro)</dt><dd>4500</dd>"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("href=\"/check?answers="),
        "{}",
        page.body
    );
    // Checks that did not decide are folded; codes are not shown; citations link the law; print needs no script.
    assert!(page.body.contains("<details>"));
    assert!(!page.body.contains("HSM-SPONSOR") && !page.body.contains("class=\"code\""));
    assert!(page.body.contains(">art. 3.30a lid 1 Vb 2000</a>"));
    assert!(!page.body.contains("javascript:") && !page.body.contains("break-all"));
    assert!(page.body.contains("@media print"));
}

#[tokio::test]
async fn change_your_answers_opens_the_form_filled_in_with_them() {
    let s = start().await;
    let to = location(&submit(&s, ENGINEER).await);
    let id = to["/result?id=".len()..]
        .split('&')
        .next()
        .expect("id")
        .to_string();
    let form = get(&s, &format!("/check?answers={id}&lang=nl")).await;
    assert_eq!(form.status, 200);
    assert!(
        form.body.contains("name=\"salary\" value=\"4500\""),
        "{}",
        form.body
    );
    assert!(form.body.contains("value=\"1996-09-14\""));
    assert!(form.body.contains("lang=\"nl\""));
}

#[tokio::test]
async fn deleted_answers_are_gone_and_their_link_says_so() {
    let s = start().await;
    let to = location(&submit(&s, ENGINEER).await);
    let id = to["/result?id=".len()..]
        .split('&')
        .next()
        .expect("id")
        .to_string();
    let gone = request(
        &s,
        "POST",
        "/result/delete",
        "application/x-www-form-urlencoded",
        format!("id={id}&lang=nl").as_bytes(),
    )
    .await;
    assert_eq!(gone.status, 200);
    assert!(
        gone.body.contains("Uw antwoorden zijn gewist"),
        "{}",
        gone.body
    );
    let again = get(&s, &to).await;
    assert_eq!(again.status, 404);
    assert!(
        again.body.contains("is not kept any more"),
        "{}",
        again.body
    );
    assert_eq!(
        get(&s, &format!("/check?answers={id}")).await.status,
        200,
        "a new, empty form"
    );
}

#[tokio::test]
async fn an_unknown_role_is_refused_with_a_page_naming_the_field() {
    let s = start().await;
    let r = submit(&s, b"role=astronaut&lang=en&date=2026-03-02").await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("The field “role” is “astronaut”"),
        "{}",
        r.body
    );
    let r = get(&s, "/check?role=%3Cb%3Eboss&lang=nl").await;
    assert_eq!(r.status, 422);
    assert!(
        r.body.contains("Het veld ‘role’ is ‘&#60;b&#62;boss’"),
        "escaped: {}",
        r.body
    );
}

#[tokio::test]
async fn a_dutch_page_reads_amounts_the_dutch_way() {
    let s = start().await;
    let mut results = Vec::new();
    for amount in ["5.500,00", "5500,00", "5500", "5.500", "€ 5.500"] {
        let form = format!("role=worker&lang=nl&date=2026-03-02&birth_date=1996-09-14&recognised_sponsor=yes&salary={}", amount.replace(' ', "+").replace('€', "%E2%82%AC"));
        let r = submit(&s, form.as_bytes()).await;
        assert_eq!(r.status, 303, "{amount}: {}", r.body);
        let page = get(&s, &location(&r)).await;
        results.push(page.body.contains("€ 5.500,00"));
    }
    assert!(results.iter().all(|r| *r), "{results:?}");
    let bad = submit(&s, b"role=worker&lang=nl&date=2026-03-02&salary=55.00.0").await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Verwacht een bedrag in euro zoals 5.200"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("placeholder=\"5.200,50\""));
}

#[tokio::test]
async fn a_dutch_page_writes_dates_the_dutch_way_and_its_errors_in_dutch() {
    let s = start().await;
    let r = submit(&s, b"role=worker&lang=nl&date=2026-03-02&birth_date=1996-09-14&recognised_sponsor=yes&salary=4500").await;
    let page = get(&s, &location(&r)).await;
    assert!(
        page.body.contains("Regels die gelden op 2 maart 2026."),
        "{}",
        page.body
    );
    assert!(page.body.contains("<dd>14 september 1996</dd>"));
    let bad = submit(
        &s,
        b"role=worker&lang=nl&date=2026-13-01&holiday_allowance=sometimes",
    )
    .await;
    assert_eq!(bad.status, 422);
    assert!(
        bad.body.contains("Verwacht een datum zoals 1 maart 2026"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("‘sometimes’ is geen van de keuzes"),
        "{}",
        bad.body
    );
}

#[tokio::test]
async fn a_dutch_page_holds_no_english_text_from_the_catalogue() {
    let s = start().await;
    let nl: std::collections::HashMap<&str, &str> = texts(NL).into_iter().collect();
    // Texts that read the same in both languages (names, "Check") are not English on a Dutch page.
    let english: Vec<&str> = texts(EN)
        .into_iter()
        .filter(|(k, v)| *k != "lang.other" && nl.get(k) != Some(v))
        .map(|(_, v)| v.split('{').next().unwrap_or(v).trim())
        .filter(|v| v.len() > 6)
        .collect();
    let worker = get(&s, &location(&submit(&s, b"role=worker&lang=nl&date=2026-03-02&birth_date=1996-09-14&recognised_sponsor=yes&salary=4500").await)).await;
    let partner = get(&s, &location(&submit(&s, b"role=partner&lang=nl&date=2025-06-01&birth_date=1992-02-11&sponsor_permit=highly_skilled_migrant&sponsor_birth_date=1994-08-20&partnership=married&sponsor_until=2026-08-31&permit_from=2023-10-15&permit_until=2028-10-14").await)).await;
    let pages = [
        get(&s, "/?lang=nl").await,
        get(&s, "/check?role=worker&lang=nl").await,
        get(&s, "/check?role=partner&lang=nl").await,
        get(&s, "/check?role=employer&lang=nl").await,
        worker,
        partner,
    ];
    for page in &pages {
        assert_eq!(page.status, 200, "{}", page.body);
        for e in &english {
            let escaped = e
                .replace('&', "&#38;")
                .replace('\'', "&#39;")
                .replace('"', "&#34;");
            assert!(
                !page.body.contains(e) && !page.body.contains(&escaped),
                "English {e:?} on a Dutch page: {}",
                page.body
            );
        }
    }
}

#[tokio::test]
async fn the_partner_form_asks_how_the_partners_live_together_and_a_worker_on_an_own_permit_has_no_partner_made_up(
) {
    let s = start().await;
    let r = submit(&s, b"role=partner&lang=en&date=2026-03-02&birth_date=1992-02-11&sponsor_permit=highly_skilled_migrant&sponsor_birth_date=1994-08-20&sponsor_until=2028-08-31").await;
    assert_ne!(r.status, 303, "accepted without the partnership");
    assert!(
        r.body
            .contains("Choose how you and your partner live together."),
        "{}",
        r.body
    );
    let r = submit(&s, b"role=employer&lang=en&date=2026-03-02&birth_date=1992-02-11&own_permit=highly_skilled_migrant&permit_from=2025-01-01&permit_until=2028-08-31").await;
    assert_eq!(r.status, 303, "{}", r.body);
    let page = get(&s, &location(&r)).await;
    assert!(page.body.contains("<svg"), "{}", page.body);
    assert!(
        !page.body.contains(">partner<"),
        "a partner nobody entered: {}",
        page.body
    );
}

#[tokio::test]
async fn the_timeline_names_each_row_by_its_part_in_the_pages_language() {
    let s = start().await;
    let form = "role=partner&date=2026-03-02&birth_date=1992-02-11&partnership=married&sponsor_permit=highly_skilled_migrant&sponsor_birth_date=1994-08-20&sponsor_until=2028-08-31";
    for (lang, you, partner) in [("en", ">You<", ">Partner<"), ("nl", ">U<", ">Partner<")] {
        let r = submit(&s, format!("{form}&lang={lang}").as_bytes()).await;
        assert_eq!(r.status, 303, "{}", r.body);
        let page = get(&s, &location(&r)).await;
        let svg = page
            .body
            .split("<svg")
            .nth(1)
            .unwrap_or_else(|| panic!("a timeline: {}", page.body));
        assert!(svg.contains(you) && svg.contains(partner), "{lang}: {svg}");
        assert!(
            !svg.contains(">you<") && !svg.contains(">partner<"),
            "{lang}: a row labelled with the form's internal id: {svg}"
        );
    }
    let r = submit(&s, b"role=employer&lang=nl&date=2026-03-02&birth_date=1992-02-11&own_permit=highly_skilled_migrant&permit_from=2025-01-01&permit_until=2028-08-31").await;
    let page = get(&s, &location(&r)).await;
    assert!(page.body.contains(">De werknemer<"), "{}", page.body);
}
