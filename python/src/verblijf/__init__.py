"""The Dutch rules on skilled migration as code.

- ``assess(case, date=None, lang="en")``: one person or a household, given as a dict or as YAML or JSON text (the
  case format of ``docs/case-format.md``); returns the assessment as a dict, shown as a summary in a notebook;
- ``assess_table(table, explain=False)``: a roster (the columns of ``docs/roster-format.md``) as a pyarrow Table or
  RecordBatch, a pandas DataFrame or a polars DataFrame, assessed in Rust on every core; returns the results in the
  same kind of frame, one row per person;
- ``params(date=None)``: the parameters of the law in force on a date;
- ``simulate(table, reform)``: a roster under the law and under a reform (the YAML of ``verblijf simulate``),
  compared.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import html as _html
import json as _json
import os as _os
import warnings as _warnings
from typing import Any, Optional, Union

from . import _verblijf

__all__ = [
    "assess",
    "assess_table",
    "params",
    "simulate",
    "report",
    "Assessment",
    "Report",
    "RosterWarning",
    "ReformWarning",
    "ENGINE_VERSION",
]

ENGINE_VERSION: str = _verblijf.ENGINE_VERSION

_LANGS = ("en", "nl")


class RosterWarning(UserWarning):
    """Rows of a roster that could not be used (they are left out of the results)."""


class ReformWarning(UserWarning):
    """A reform whose dates touch no row of the roster: it cannot change any outcome."""


def _json_default(o: Any) -> Any:
    if isinstance(o, (_dt.date, _dt.datetime)):
        return o.isoformat()[:10]
    if isinstance(o, _decimal.Decimal):
        return str(o)
    raise TypeError(f"{type(o).__name__} is not a value of the case format")


def _date_text(date: Any, field: str = "date") -> Optional[str]:
    if date is None:
        return None
    if isinstance(date, (_dt.date, _dt.datetime)):
        return date.isoformat()[:10]
    if isinstance(date, str):
        return date
    raise TypeError(f"{field}: expected a date or YYYY-MM-DD text, found {type(date).__name__}")


def _lang(lang: str) -> str:
    if lang not in _LANGS:
        raise ValueError(f"lang: expected 'en' or 'nl', found {lang!r}")
    return lang


_LABELS = {
    "en": {
        "eligible": "eligible",
        "not_eligible": "not eligible",
        "unknown": "unknown",
        "not_applicable": "not applicable",
        "scheme": "Scheme",
        "outcome": "Outcome",
        "why": "Deciding check",
        "eligible_for": "Eligible for",
        "none": "none",
        "person": "Person",
        "date": "Reference date",
        "params": "Parameters",
    },
    "nl": {
        "eligible": "komt in aanmerking",
        "not_eligible": "komt niet in aanmerking",
        "unknown": "onbekend",
        "not_applicable": "niet van toepassing",
        "scheme": "Regeling",
        "outcome": "Uitkomst",
        "why": "Beslissende toets",
        "eligible_for": "Komt in aanmerking voor",
        "none": "geen",
        "person": "Persoon",
        "date": "Peildatum",
        "params": "Parameters",
    },
}

_SCHEMES = {
    "en": {
        "highly_skilled_migrant": "Highly skilled migrant",
        "eu_blue_card": "EU Blue Card",
        "orientation_year": "Orientation year",
        "regeling_hoogopgeleiden": "Highly educated persons scheme (2009)",
        "zoekjaar_afgestudeerden": "Search year for graduates (2009)",
        "self_employed": "Self-employed",
    },
    "nl": {
        "highly_skilled_migrant": "Kennismigrant",
        "eu_blue_card": "Europese blauwe kaart",
        "orientation_year": "Zoekjaar hoogopgeleiden",
        "regeling_hoogopgeleiden": "Regeling hoogopgeleiden (2009)",
        "zoekjaar_afgestudeerden": "Zoekjaar afgestudeerden (2009)",
        "self_employed": "Zelfstandige",
    },
}

_COLOURS = {
    "eligible": "#1a7f37",
    "not_eligible": "#b42318",
    "unknown": "#9a6700",
    "not_applicable": "#57606a",
}


def _deciding_reason(decision: dict, lang: str) -> str:
    """The reason of the check that decided: the first that failed, else the first unknown, else none."""
    checks = decision.get("checks") or []
    for status in ("fail", "unknown"):
        for c in checks:
            if c.get("status") == status:
                reason = c.get("reason") or {}
                return reason.get(lang) or reason.get("en") or c.get("code", "")
    return ""


def _assessment_html(a: dict, lang: str) -> str:
    L = _LABELS[lang]
    S = _SCHEMES[lang]
    e = _html.escape
    receipt = a.get("receipt") or {}
    eligible = a.get("eligible") or []
    rows = []
    for d in a.get("decisions") or []:
        outcome = d.get("outcome", "")
        colour = _COLOURS.get(outcome, "#57606a")
        rows.append(
            "<tr>"
            f"<td>{e(S.get(d.get('scheme', ''), d.get('scheme', '')))}</td>"
            f'<td style="color:{colour};font-weight:600">{e(L.get(outcome, outcome))}</td>'
            f"<td>{e(_deciding_reason(d, lang))}</td>"
            "</tr>"
        )
    head = []
    if a.get("person"):
        head.append(f"<b>{L['person']}</b>: {e(str(a['person']))}")
    if receipt.get("reference_date"):
        head.append(f"<b>{L['date']}</b>: {e(str(receipt['reference_date']))}")
    elig = ", ".join(S.get(s, s) for s in eligible) or L["none"]
    head.append(f"<b>{L['eligible_for']}</b>: {e(elig)}")
    foot = f"{e(str(receipt.get('engine', '')))} · {L['params']} {e(str(receipt.get('params_hash', ''))[:12])}"
    return (
        '<div class="verblijf-assessment">'
        f"<p>{' · '.join(head)}</p>"
        "<table>"
        f"<thead><tr><th>{L['scheme']}</th><th>{L['outcome']}</th><th>{L['why']}</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody>"
        "</table>"
        f'<p style="color:#57606a;font-size:smaller">{foot}</p>'
        "</div>"
    )


class Assessment(dict):
    """The JSON answer of an assessment, as a dict (``verblijf check --json`` gives the same), shown in a notebook
    as the result page's summary and decisions in the language asked for."""

    def __init__(self, answer: dict, lang: str = "en"):
        super().__init__(answer)
        self.lang = lang

    @property
    def outcomes(self) -> dict:
        """Each scheme's outcome: ``{"highly_skilled_migrant": "eligible", ...}`` (for a household: per member)."""
        if "members" in self:
            return {
                m.get("person") or m.get("id") or str(i): {
                    d["scheme"]: d["outcome"] for d in (m.get("assessment") or {}).get("decisions", [])
                }
                for i, m in enumerate(self["members"])
            }
        return {d["scheme"]: d["outcome"] for d in self.get("decisions", [])}

    def _repr_html_(self) -> str:
        if "members" in self:
            return "".join(
                _assessment_html(m.get("assessment") or {}, self.lang) for m in self["members"]
            )
        return _assessment_html(self, self.lang)


def _case_text(case: Any) -> str:
    if isinstance(case, bytes):
        return case.decode("utf-8")
    if isinstance(case, str):
        if "\n" not in case and case.endswith((".yaml", ".yml", ".json")) and _os.path.exists(case):
            with open(case, encoding="utf-8") as f:
                return f.read()
        return case
    if isinstance(case, dict):
        return _json.dumps(case, default=_json_default)
    raise TypeError(
        f"case: expected a dict or YAML or JSON text, found {type(case).__name__}"
    )


def assess(case: Union[dict, str, bytes], date: Any = None, lang: str = "en") -> Assessment:
    """Assesses one person or a household.

    ``case`` is a dict in the case format, or its YAML or JSON text (or the path of such a file); ``date``
    (a ``datetime.date`` or ``YYYY-MM-DD``) replaces the case's reference date; ``lang`` (``"en"`` or ``"nl"``)
    is the language the notebook summary is shown in (the answer holds every reason in both). A bad case raises
    ``ValueError`` naming the field.
    """
    lang = _lang(lang)
    text = _verblijf.assess_json(_case_text(case), _date_text(date))
    return Assessment(_json.loads(text), lang=lang)


def params(date: Any = None) -> dict:
    """The parameters in force on a date (default: today): ``{"date", "params_hash", "params": [{"id", "title",
    "unit", "value"}]}``, as the web API's ``/api/v1/params`` gives them."""
    d = _date_text(date) or _dt.date.today().isoformat()
    return _json.loads(_verblijf.params_json(d))


def _kind(table: Any) -> str:
    module = type(table).__module__.split(".")[0]
    name = type(table).__name__
    if module == "pandas" and name == "DataFrame":
        return "pandas"
    if module == "polars" and name == "DataFrame":
        return "polars"
    if module == "pyarrow" and name == "RecordBatch":
        return "pyarrow.RecordBatch"
    if module == "pyarrow" and name == "Table":
        return "pyarrow.Table"
    if hasattr(table, "__arrow_c_stream__"):
        return "arrow"
    raise TypeError(
        "table: expected a pyarrow Table or RecordBatch, a pandas or polars DataFrame, or an object with "
        f"__arrow_c_stream__, found {type(table).__module__}.{name}"
    )


def _to_arrow(table: Any, kind: str):
    import pyarrow as pa

    if kind == "pandas":
        return pa.Table.from_pandas(table, preserve_index=False)
    if kind == "polars":
        return table.to_arrow()
    if kind == "pyarrow.RecordBatch":
        return pa.Table.from_batches([table])
    if kind == "arrow":
        return pa.table(table)
    return table


def _from_arrow(result, kind: str):
    if kind == "pandas":
        return result.to_pandas()
    if kind == "polars":
        import polars as pl

        return pl.from_arrow(result)
    if kind == "pyarrow.RecordBatch":
        import pyarrow as pa

        combined = result.combine_chunks()
        batches = combined.to_batches()
        if batches:
            return batches[0]
        return pa.RecordBatch.from_pylist([], schema=result.schema)
    return result


def _rejects_table(rejects: list):
    import pyarrow as pa

    return pa.table(
        {
            "row": pa.array([r[0] for r in rejects], pa.uint64()),
            "id": pa.array([r[1] for r in rejects], pa.string()),
            "column": pa.array([r[2] for r in rejects], pa.string()),
            "reason": pa.array([r[3] for r in rejects], pa.string()),
        }
    )


def assess_table(
    table: Any,
    explain: bool = False,
    *,
    threads: Optional[int] = None,
    rejects: bool = False,
    reform: Union[str, dict, None] = None,
):
    """Assesses every person of a roster, under the law in force or, with ``reform`` (as for ``simulate``), under
    the reform.

    ``table`` has the roster columns (``docs/roster-format.md``; only ``id`` and ``reference_date`` are required)
    and is a pyarrow Table or RecordBatch, a pandas DataFrame or a polars DataFrame; dates may be dates or
    ``YYYY-MM-DD`` text. The rows are assessed in Rust over the Arrow buffers, on ``threads`` threads (default:
    every core), without holding the GIL. Returns the result columns (``id``, ``household``, the dates, ``eligible``,
    one outcome per scheme, the salary criterion and margin, the right to work, the next deadline, and with
    ``explain`` the full assessment as JSON) in the same kind of frame, one row per person in input order.

    A row that cannot be used is left out and named in a ``RosterWarning``; with ``rejects=True`` the result is a
    pair ``(results, rejected)``, ``rejected`` being a frame of ``row`` (from 1), ``id``, ``column`` and ``reason``.
    An unknown column, or a column of a type that cannot hold a roster value, raises ``ValueError`` naming it.
    """
    kind = _kind(table)
    arrow_table = _to_arrow(table, kind)
    reform_text = None if reform is None else _reform_text(reform)
    result, rejected = _verblijf.assess_arrow(arrow_table, explain, threads, reform_text)
    out = _from_arrow(result, kind)
    if rejects:
        return out, _from_arrow(_rejects_table(rejected), kind)
    if rejected:
        first = "; ".join(
            f"row {r[0]}: " + (f"column `{r[2]}`: " if r[2] else "") + r[3] for r in rejected[:3]
        )
        more = f" (and {len(rejected) - 3} more)" if len(rejected) > 3 else ""
        _warnings.warn(
            f"{len(rejected)} rows left out: {first}{more}; pass rejects=True to get them all",
            RosterWarning,
            stacklevel=2,
        )
    return out


def _reform_text(reform: Union[str, dict]) -> str:
    if isinstance(reform, dict):
        return _json.dumps(reform, default=_json_default)
    if isinstance(reform, str) and "\n" not in reform and _os.path.exists(reform):
        with open(reform, encoding="utf-8") as f:
            return f.read()
    if isinstance(reform, str):
        return reform
    raise TypeError(f"reform: expected YAML text, a path or a dict, found {type(reform).__name__}")


def simulate(
    table: Any,
    reform: Union[str, dict],
    *,
    threads: Optional[int] = None,
    html: Optional[str] = None,
) -> Union[dict, str]:
    """A roster under the law and under a reform, compared: the figures ``verblijf simulate --json`` writes
    (``people``, ``counts`` per scheme and outcome before and after, ``flips_total``, the first ``flips`` with the
    check that decided them, the salary ``margins``, the parameter hashes of both sets).

    ``reform`` is the reform's YAML text (``name``, ``overrides``: see ``docs/roster-format.md``), the path of such a
    file, or the same as a dict. A ``ReformWarning`` says when no row's reference or filing date falls where the
    reform changes anything (so no outcome can change), as ``verblijf simulate`` does. With ``html="en"`` or
    ``html="nl"`` the result is the HTML report of ``verblijf simulate --out`` in that language instead (a
    self-contained page; ``IPython.display.HTML`` shows it in a notebook).
    """
    reform_text = _reform_text(reform)
    kind = _kind(table)
    arrow_table = _to_arrow(table, kind)
    if html is not None:
        _lang(html)
    text, left_out, untouched = _verblijf.simulate_json(arrow_table, reform_text, threads, html)
    report = text if html is not None else _json.loads(text)
    if untouched:
        _warnings.warn(untouched, ReformWarning, stacklevel=2)
    if left_out:
        _warnings.warn(f"{left_out} rows left out of the simulation", RosterWarning, stacklevel=2)
    return report


class Report:
    """The what-if report of a roster under a reform: the page ``verblijf simulate --out report.html`` writes.

    In a notebook it shows itself (in a frame of its own, so that its styles stay on the page); ``save(path)``
    writes it as a self-contained HTML file; ``html`` is the page's text.
    """

    def __init__(self, html: str, lang: str):
        self.html = html
        self.lang = lang

    def save(self, path: Any) -> None:
        """Writes the page to ``path`` (UTF-8)."""
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.html)

    def _repr_html_(self) -> str:
        return (
            '<iframe style="width:100%;height:900px;border:1px solid #d0d7de" srcdoc="'
            + _html.escape(self.html, quote=True)
            + '"></iframe>'
        )

    def __str__(self) -> str:
        return self.html


def report(
    table: Any,
    reform: Union[str, dict],
    *,
    lang: str = "en",
    threads: Optional[int] = None,
    path: Any = None,
) -> Report:
    """The what-if report of ``table`` under ``reform``, in English (``lang="en"``) or Dutch (``"nl"``): the counts
    per scheme before and after, the flips grouped by the check that decided them, the reform's parameters before
    and after, and the highly skilled migrants by age band, nationality, criterion and salary band.

    ``table`` and ``reform`` are as for :func:`simulate`, with the same warnings. With ``path`` the page is also
    written there. ``verblijf.report(roster, reform, lang="nl")`` as the last line of a notebook cell shows it.
    """
    _lang(lang)
    page = simulate(table, reform, threads=threads, html=lang)
    r = Report(page, lang)
    if path is not None:
        r.save(path)
    return r
