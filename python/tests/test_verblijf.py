"""The Python package `verblijf`, installed from its wheel, used as an analyst would."""

import datetime
import pathlib
import warnings

import pyarrow as pa
import pytest

import verblijf

ROOT = pathlib.Path(__file__).resolve().parents[2]
ENGINEER = (ROOT / "examples" / "engineer-29.yaml").read_text(encoding="utf-8")
SCHEMES = [
    "highly_skilled_migrant",
    "eu_blue_card",
    "orientation_year",
    "regeling_hoogopgeleiden",
    "zoekjaar_afgestudeerden",
    "self_employed",
]

# A small roster: three people on their own and a household of two (a highly skilled migrant and a partner).
ROSTER = {
    "id": ["p1", "p2", "p3", "h1", "h2"],
    "household": [None, None, None, "hh", "hh"],
    "reference_date": [datetime.date(2026, 3, 2)] * 5,
    "birth_date": [
        datetime.date(1996, 9, 14),
        datetime.date(1980, 1, 1),
        datetime.date(2001, 5, 5),
        datetime.date(1985, 2, 2),
        datetime.date(1987, 3, 3),
    ],
    "nationality": ["IN", "US", "BR", "TR", "TR"],
    "recognised_sponsor": [True, True, False, True, None],
    "gross_monthly_salary": [4500.0, 6200.0, 3000.0, 6500.0, None],
    "contract_end": ["2028-04-30", "indefinite", "2027-01-01", "indefinite", None],
    "application_kind": ["first", "first", "first", "current_permit", None],
    "scheme": ["highly_skilled_migrant", "highly_skilled_migrant", "highly_skilled_migrant", None, None],
    "permit_kind": [None, None, None, "highly_skilled_migrant", "family_member"],
    "permit_from": [None, None, None, datetime.date(2024, 1, 1), datetime.date(2024, 2, 1)],
    "permit_until": [None, None, None, datetime.date(2029, 1, 1), datetime.date(2029, 1, 1)],
    "sponsor": [None, None, None, None, "h1"],
    "partner": [None, None, None, "h2", "h1"],
}


def single_case(i):
    """Row i of ROSTER (one of the people on their own) as a case dict."""
    r = {k: v[i] for k, v in ROSTER.items()}
    job = {
        "recognised_sponsor": r["recognised_sponsor"],
        "gross_monthly_salary": r["gross_monthly_salary"],
        "contract_end": r["contract_end"],
    }
    return {
        "reference_date": r["reference_date"],
        "person": {
            "id": r["id"],
            "birth_date": r["birth_date"],
            "nationality": r["nationality"],
            "job_offer": job,
        },
        "application": {"kind": r["application_kind"], "scheme": r["scheme"]},
    }


def test_assess_takes_yaml_text_and_gives_the_json_answer_with_a_notebook_summary():
    a = verblijf.assess(ENGINEER)
    assert a["person"] == "engineer-29"
    assert a.outcomes["highly_skilled_migrant"] == "eligible"
    assert "highly_skilled_migrant" in a["eligible"]
    assert a["receipt"]["params_hash"]
    html = a._repr_html_()
    assert "Highly skilled migrant" in html and "eligible" in html
    nl = verblijf.assess(ENGINEER, lang="nl")._repr_html_()
    assert "Kennismigrant" in nl and "Peildatum" in nl


def test_assess_takes_a_dict_with_dates_and_a_date_that_moves_the_reference_date():
    case = single_case(0)
    a = verblijf.assess(case)
    assert a["receipt"]["reference_date"] == "2026-03-02"
    later = verblijf.assess(case, date=datetime.date(2027, 6, 1))
    assert later["receipt"]["reference_date"] == "2027-06-01"


def test_a_bad_case_raises_value_error_naming_the_field():
    case = single_case(0)
    case["person"]["job_offer"]["gross_monthly_salary"] = -12
    with pytest.raises(ValueError, match="gross_monthly_salary"):
        verblijf.assess(case)
    with pytest.raises(ValueError, match="lang"):
        verblijf.assess(ENGINEER, lang="de")
    with pytest.raises(ValueError, match="date"):
        verblijf.assess(ENGINEER, date="2026-02-30")


def test_assess_table_on_a_pandas_frame_gives_a_pandas_frame_whose_outcomes_match_single_assessments():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame(ROSTER)
    out = verblijf.assess_table(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out["id"]) == ["p1", "p2", "p3", "h1", "h2"]
    for i in range(3):
        single = verblijf.assess(single_case(i)).outcomes
        row = out.iloc[i]
        for s in SCHEMES:
            assert (row[s] or "") == (single.get(s) or ""), (row["id"], s)
    assert out.loc[out["id"] == "h2", "work_status"].item()
    assert out["reference_date"].iloc[0] == datetime.date(2026, 3, 2)


def test_assess_table_keeps_the_kind_of_frame_for_pyarrow_tables_record_batches_and_polars():
    table = pa.table(ROSTER)
    out = verblijf.assess_table(table)
    assert isinstance(out, pa.Table)
    assert out.num_rows == 5
    assert out.schema.field("reference_date").type == pa.date32()
    assert out.schema.field("hsm_margin").type == pa.decimal128(18, 2)
    batch = table.to_batches()[0]
    out_batch = verblijf.assess_table(batch)
    assert isinstance(out_batch, pa.RecordBatch)
    assert out_batch.to_pydict() == out.to_pydict()
    pl = pytest.importorskip("polars")
    out_polars = verblijf.assess_table(pl.from_arrow(table))
    assert isinstance(out_polars, pl.DataFrame)
    assert out_polars["id"].to_list() == out["id"].to_pylist()


def test_the_same_roster_as_text_or_typed_columns_gives_the_same_results():
    typed = pa.table(ROSTER)
    text = pa.table(
        {k: [None if v is None else (str(v).lower() if isinstance(v, bool) else str(v)) for v in vs] for k, vs in ROSTER.items()}
    )
    assert verblijf.assess_table(typed).to_pydict() == verblijf.assess_table(text).to_pydict()


def test_explain_adds_the_full_assessment_as_json():
    out = verblijf.assess_table(pa.table(ROSTER), explain=True)
    import json

    e = json.loads(out.column("explanation")[0].as_py())
    assert e["assessment"]["person"] == "p1"


def test_a_bad_value_is_left_out_with_a_warning_naming_its_row_and_column():
    roster = dict(ROSTER)
    roster["birth_date"] = ["1996-09-14", "1980-02-30", "2001-05-05", "1985-02-02", "1987-03-03"]
    with pytest.warns(verblijf.RosterWarning, match=r"row 2: column `birth_date`: expected a date"):
        out = verblijf.assess_table(pa.table(roster))
    assert "p2" not in out.column("id").to_pylist()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out, rejected = verblijf.assess_table(pa.table(roster), rejects=True)
    assert rejected.to_pylist() == [
        {"row": 2, "id": "p2", "column": "birth_date", "reason": 'expected a date YYYY-MM-DD, found "1980-02-30"'}
    ]


def test_an_unknown_column_raises_value_error_naming_it():
    with pytest.raises(ValueError, match="unknown column `salary`"):
        verblijf.assess_table(pa.table({"id": ["a"], "reference_date": ["2026-01-01"], "salary": ["5000"]}))
    with pytest.raises(TypeError, match="table"):
        verblijf.assess_table([1, 2, 3])


def test_params_gives_the_values_in_force_on_a_date():
    p = verblijf.params("2026-03-02")
    assert p["date"] == "2026-03-02"
    ids = {x["id"] for x in p["params"]}
    assert "hsm.salary_30plus" in ids
    assert p["params_hash"] == verblijf.assess(ENGINEER)["receipt"]["params_hash"]
    with pytest.raises(ValueError, match="date"):
        verblijf.params("not a date")


def test_simulate_compares_a_roster_under_a_reform():
    reform = {
        "name": "30-plus threshold up",
        "overrides": [
            {"param": "hsm.salary_30plus", "from": "2026-01-01", "until": "2026-12-31", "percent": 200},
        ],
    }
    report = verblijf.simulate(pa.table(ROSTER), reform)
    assert report["people"] == 5
    assert report["flips_total"] >= 1
    assert report["baseline_hash"] != report["reform_hash"]


def test_simulate_warns_when_the_reform_dates_touch_no_row():
    reform = {
        "name": "a threshold for 2030",
        "overrides": [{"param": "hsm.salary_30plus", "from": "2030-01-01", "value": 9000}],
    }
    with pytest.warns(verblijf.ReformWarning, match="touches no row.*2030-01-01"):
        report = verblijf.simulate(pa.table(ROSTER), reform)
    assert report["flips_total"] == 0


def test_simulate_does_not_warn_when_the_reform_dates_touch_a_row():
    reform = {
        "name": "30-plus threshold up",
        "overrides": [{"param": "hsm.salary_30plus", "from": "2026-01-01", "percent": 200}],
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error", verblijf.ReformWarning)
        verblijf.simulate(pa.table(ROSTER), reform)


def test_assess_table_under_a_reform_gives_the_outcomes_simulate_counts_after_it():
    reform = {
        "name": "30-plus threshold doubled",
        "overrides": [{"param": "hsm.salary_30plus", "from": "2026-01-01", "percent": 200}],
    }
    before = verblijf.assess_table(pa.table(ROSTER))
    after = verblijf.assess_table(pa.table(ROSTER), reform=reform)
    report = verblijf.simulate(pa.table(ROSTER), reform)
    hsm = report["counts"]["highly_skilled_migrant"]
    for outcome, (n_before, n_after) in hsm.items():
        assert before.column("highly_skilled_migrant").to_pylist().count(outcome) == n_before
        assert after.column("highly_skilled_migrant").to_pylist().count(outcome) == n_after
    assert before.column("highly_skilled_migrant") != after.column("highly_skilled_migrant")


def test_simulate_gives_the_html_report_in_english_or_dutch():
    reform = {
        "name": "30-plus threshold doubled",
        "overrides": [{"param": "hsm.salary_30plus", "from": "2026-01-01", "percent": 200}],
    }
    en = verblijf.simulate(pa.table(ROSTER), reform, html="en")
    nl = verblijf.simulate(pa.table(ROSTER), reform, html="nl")
    assert en.startswith("<!doctype html>") and '<html lang="en">' in en
    assert '<html lang="nl">' in nl and "Kennismigrant" in nl and "Highly skilled migrant" in en
    with pytest.raises(ValueError, match="lang"):
        verblijf.simulate(pa.table(ROSTER), reform, html="de")


def test_report_shows_itself_in_a_notebook_and_saves_the_page_in_english_and_dutch(tmp_path):
    reform = {
        "name": "30-plus threshold doubled",
        "overrides": [{"param": "hsm.salary_30plus", "from": "2026-01-01", "percent": 200}],
    }
    nl = verblijf.report(pa.table(ROSTER), reform, lang="nl", path=tmp_path / "rapport.html")
    assert isinstance(nl, verblijf.Report) and nl.lang == "nl"
    saved = (tmp_path / "rapport.html").read_text(encoding="utf-8")
    assert saved == nl.html and '<html lang="nl">' in saved and "Kennismigrant" in saved
    # In a notebook the page sits in a frame of its own, escaped, so its styles do not reach the notebook.
    frame = nl._repr_html_()
    assert frame.startswith("<iframe") and "&lt;html lang=&quot;nl&quot;&gt;" in frame
    assert "<style>" not in frame
    en = verblijf.report(pa.table(ROSTER), reform)
    assert '<html lang="en">' in str(en) and "Highly skilled migrant" in str(en)
    with pytest.raises(ValueError, match="lang"):
        verblijf.report(pa.table(ROSTER), reform, lang="fr")
