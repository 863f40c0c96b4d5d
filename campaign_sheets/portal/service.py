"""The portal as a library: receive a file, keep it, check it, store its rows; read them back.

The web app and `rollup --db` both go through `Portal`, so the command line and the browser share
one store. A submission is the bytes as received (content-addressed: the same bytes again are the
same submission), its report, and the rollup's rows of it; the latest accepted submission of a
campaign is the campaign's current state: of its accepted submissions (a team's own, for a team user;
everyone's, for analysts), the one with the latest data (`data_as_of`, its last day with a KPI figure),
then the later upload. The others are its earlier versions, listed as superseded in the portfolio.
A file that is no campaign workbook (unknown template, a blank template, a rollup's output) is
recorded with its reason and no campaign.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from ..portfolio.merge import Merger, Superseded
from ..portfolio.summary import FileSummary, import_judged, reduce
from ..read.guard import Limits
from ..read.importer import import_workbook
from ..report import file_entry
from . import codec, db
from .store import FileStore, sha256_of

SUBMISSION_COLUMNS = ("id", "sha256", "filename", "size", "submitted_at", "submitted_by", "source", "status", "accepted",
                      "code", "message", "campaign_id", "data_as_of", "template", "locale", "errors", "warnings", "alerts")


@dataclass
class Filters:
    """The rollup's filters, for the portfolio."""

    since: dt.date | None = None
    until: dt.date | None = None
    scenario: str | None = None
    lead: str | None = None
    status: str | None = None      # clean | warnings | errors
    by: tuple[str, ...] = ()

    def keep(self, s: FileSummary) -> bool:
        c = s.campaign
        return ((self.scenario is None or c.get("scenario") == self.scenario)
                and (self.lead is None or c.get("lead") == self.lead)
                and (self.status is None or s.status == self.status))


class Portal:
    def __init__(self, engine: Engine, store: FileStore, spec_dir: list[str] | None = None,
                 limits: Limits | None = None) -> None:
        self.engine, self.store, self.spec_dir, self.limits = engine, store, spec_dir, limits or Limits()
        self._role_cache: dict[str, dict[str, Any]] = {}
        self._current_cache: dict[str | None, tuple[tuple, list[FileSummary]]] = {}   # user -> (db stamp, summaries)

    @classmethod
    def open(cls, db_url: str, store_dir: str | Path, spec_dir: list[str] | None = None,
             limits: Limits | None = None) -> "Portal":
        """Connect, bring the schema up to date, open the file store."""
        engine = db.make_engine(db_url)
        db.upgrade(engine)
        return cls(engine, FileStore(store_dir), spec_dir, limits)

    # -- writing -------------------------------------------------------------------------
    def submit(self, received: Path, filename: str, user: str | None = None, lang: str = "en",
               source: str = "portal", today: dt.date | None = None) -> tuple[dict[str, Any], bool]:
        """Keep, check and store one received file: (the submission, True if new). Never raises for bad input."""
        sha, stored, found = self.receive(received, user)
        if found is not None:
            return found, False
        summary, entry = check_file(stored, self.spec_dir, lang, self.limits, today or dt.date.today())
        return self.record(sha, stored, filename, summary, entry, user, source)

    def receive(self, received: Path, user: str | None) -> tuple[str, Path, dict[str, Any] | None]:
        """(sha256, the stored file, this sender's existing submission of these bytes or None)."""
        sha = sha256_of(received)
        found = self.by_sha(sha, user)
        return sha, (self.store.path(sha) if found is not None else self.store.put_file(received, sha)), found

    def record(self, sha: str, stored: Path, filename: str, summary: FileSummary, entry: dict[str, Any],
               user: str | None = None, source: str = "portal") -> tuple[dict[str, Any], bool]:
        """Store a checked file's submission and rows in one transaction (the same bytes twice: the first)."""
        summary = _renamed(summary, filename)
        entry = {**entry, "path": filename, "issues": [{**i, "file": filename} for i in entry["issues"]]}   # never the server's path
        accepted = summary.status in ("clean", "warnings")
        row = {"sha256": sha, "filename": filename[:255], "size": stored.stat().st_size,
               "submitted_at": dt.datetime.now(dt.timezone.utc), "submitted_by": user or "", "source": source,
               "status": summary.status, "accepted": accepted, "code": summary.code, "message": summary.message,
               "campaign_id": summary.campaign.get("campaign_id"), "data_as_of": _date(summary.campaign.get("data_as_of")),
               "template": summary.campaign.get("template"),
               "locale": summary.campaign.get("locale"), "errors": summary.counts.get("error", 0),
               "warnings": summary.counts.get("warning", 0), "alerts": summary.counts.get("alert", 0),
               "report": codec.plain(entry), "summary": codec.dump(summary)}
        batches = _row_batches(summary, self._roles(row["template"]))   # built before the write lock is taken
        try:
            with self.engine.begin() as conn:
                sid = conn.execute(db.submissions.insert().values(**row)).inserted_primary_key[0]
                for table, rows in batches:
                    conn.execute(table.insert(), [{"submission_id": sid, **r} for r in rows])
        except IntegrityError:   # the same bytes from the same sender arrived through another worker meanwhile
            found = self.by_sha(sha, user)
            if found is None:
                raise
            return found, False
        return {"id": sid, **{k: row[k] for k in SUBMISSION_COLUMNS if k != "id"}, "report": row["report"]}, True

    def record_path(self, path: str | Path, summary: FileSummary, user: str | None = None) -> tuple[dict[str, Any], bool]:
        """`rollup --db`: a file the command line summarised (in a pool or on Dask), kept and stored
        without reading it again; its report is the rollup's issue rows."""
        p = Path(path)
        sha = sha256_of(p)
        found = self.by_sha(sha, user)
        if found is not None:
            return found, False
        stored = self.store.put_file(p, sha)
        issues = summary.tables.get("issues", {})
        keys = [k for k in ("severity", "code", "sheet", "cell", "message") if k in issues]
        entry = {"path": p.name, "template": summary.campaign.get("template"), "version": summary.campaign.get("version"),
                 "locale": summary.campaign.get("locale"), "valid": summary.status in ("clean", "warnings"),
                 "unreadable": summary.status == "rejected", "counts": summary.counts,
                 "issues": [dict(zip(keys, values)) for values in zip(*(issues[k] for k in keys))] if keys else []}
        return self.record(sha, stored, p.name, summary, entry, user, source="rollup")

    def forget_specs(self) -> None:
        """An admin changed the uploaded templates: what was derived from them is read again."""
        self._role_cache.clear()

    def _roles(self, template: str | None) -> dict[str, Any]:
        """The rollup roles of a template this server knows (which columns are a task's status and end)."""
        if not template:
            return {}
        if template not in self._role_cache:
            from ..spec.loader import load_spec

            try:
                self._role_cache[template] = load_spec(template, spec_dir=self.spec_dir).index.roles
            except Exception:   # noqa: BLE001 - a template only the file carries: rows keep their JSON only
                self._role_cache[template] = {}
        return self._role_cache[template]

    # -- reading -------------------------------------------------------------------------
    def by_sha(self, sha: str, user: str | None = None) -> dict[str, Any] | None:
        """The submission of these bytes by this sender (each sender has their own record of a file)."""
        s = db.submissions
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(s).where(s.c.sha256 == sha, s.c.submitted_by == (user or ""))).mappings().first()
        return _public(row) if row else None

    def submission(self, sid: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(db.submissions).where(db.submissions.c.id == sid)).mappings().first()
        return _public(row) if row else None

    def submissions(self, user: str | None = None, campaign_id: str | None = None, limit: int = 200,
                    offset: int = 0) -> list[dict[str, Any]]:
        """Newest first; `user` limits to one sender's submissions."""
        cols = [db.submissions.c[k] for k in SUBMISSION_COLUMNS]
        q = sa.select(*cols).order_by(db.submissions.c.id.desc()).limit(limit).offset(offset)
        if user is not None:
            q = q.where(db.submissions.c.submitted_by == user)
        if campaign_id is not None:
            q = q.where(db.submissions.c.campaign_id == campaign_id)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(sa.func.count()).select_from(db.submissions)).scalar_one()

    def _current_ids(self, user: str | None = None, accepted: bool = True) -> sa.Select:
        """The current submission of each campaign (`CURRENT_ORDER`: the latest data, then the latest
        upload, of its accepted ones; with `accepted=False`, of all it read, a file with errors too);
        with `user`, of that sender's own (a team's view is never replaced by another team's file that
        happens to name the same campaign)."""
        s = db.submissions
        ranked = sa.select(s.c.id, sa.func.row_number().over(partition_by=s.c.campaign_id, order_by=_current_order())
                           .label("rank")).where(s.c.campaign_id.is_not(None))
        if accepted:
            ranked = ranked.where(s.c.accepted.is_(True))
        if user is not None:
            ranked = ranked.where(s.c.submitted_by == user)
        ranked = ranked.subquery()
        return sa.select(ranked.c.id).where(ranked.c.rank == 1)

    def current(self, user: str | None = None) -> list[FileSummary]:
        """The current state of every campaign: the summary of its latest accepted submission. Kept
        until a submission arrives (decoding thousands of summaries on every page view is the slow part;
        the rollup's merge only reads them)."""
        s = db.submissions
        with self.engine.connect() as conn:
            stamp = tuple(conn.execute(sa.select(sa.func.max(s.c.id), sa.func.count()).select_from(s)).one())
            kept = self._current_cache.get(user)
            if kept is not None and kept[0] == stamp:
                return kept[1]
            q = sa.select(s.c.summary).where(s.c.id.in_(self._current_ids(user))).order_by(s.c.campaign_id)
            found = [codec.load(r[0]) for r in conn.execute(q)]
        if len(self._current_cache) >= 64:
            self._current_cache.clear()
        self._current_cache[user] = (stamp, found)
        return found

    def _latest(self, campaign_id: str, user: str | None) -> sa.Select:
        """The campaign's current submission (see `_current_ids`)."""
        s = db.submissions
        q = sa.select(s).where(s.c.campaign_id == campaign_id, s.c.accepted.is_(True)).order_by(*_current_order()).limit(1)
        return q if user is None else q.where(s.c.submitted_by == user)

    def current_submission(self, campaign_id: str, user: str | None = None) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(self._latest(campaign_id, user)).mappings().first()
        return _public(row) if row else None

    def asked_date(self, campaign_id: str, user: str | None = None) -> dt.date | None:
        """The date the campaign's current state was judged on (its summary's `today`); None for a
        summary made before it was kept."""
        merger = self.campaign_merger(campaign_id, user)
        facts = merger.campaigns[0] if merger is not None and merger.campaigns else {}
        return _date(facts.get("today"))

    def campaign_merger(self, campaign_id: str, user: str | None = None) -> Merger | None:
        """The rollup of one campaign's current state (its facts and labels), None without one."""
        q = self._latest(campaign_id, user).with_only_columns(db.submissions.c.summary)
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            return None
        merger = Merger()
        merger.add(codec.load(row[0]))
        return merger

    def kpi_history(self, campaign_id: str, user: str | None = None) -> list[dict[str, Any]]:
        """The KPI series of every accepted submission of a campaign (how figures changed between files)."""
        k, s = db.kpi_series, db.submissions
        q = (sa.select(k.c.submission_id, k.c.date, k.c.channel, k.c.kpi, k.c.value)
             .join(s, s.c.id == k.c.submission_id)
             .where(k.c.campaign_id == campaign_id, s.c.accepted.is_(True)).order_by(k.c.submission_id, k.c.date))
        if user is not None:
            q = q.where(s.c.submitted_by == user)
        with self.engine.connect() as conn:
            return [codec.plain(dict(r)) for r in conn.execute(q).mappings()]

    def status_counts(self, user: str | None = None) -> dict[str, int]:
        """What each campaign's most current file says (clean / warnings / errors), by the same rule
        as its current state (`_current_ids`) but over every file read, so a newer file with errors
        shows; the files that could not be read at all (rejected) and those that are no campaign
        workbook (not_campaign)."""
        s = db.submissions
        apart = s.c.status.in_(("rejected", "not_campaign"))
        q = sa.select(s.c.status, sa.func.count()).where(sa.or_(s.c.id.in_(self._current_ids(user, accepted=False)),
                                                                apart))
        if user is not None:
            q = q.where(s.c.submitted_by == user)
        with self.engine.connect() as conn:
            found = dict(conn.execute(q.group_by(s.c.status)).all())
        return {k: int(found.get(k, 0)) for k in ("clean", "warnings", "errors", "rejected", "not_campaign")}

    def issue_history(self, campaign_id: str, user: str | None = None) -> list[dict[str, Any]]:
        """Issue counts by code for each submission of a campaign: how its problems were fixed over time."""
        i, s = db.issues, db.submissions
        q = (sa.select(i.c.submission_id, i.c.severity, i.c.code, sa.func.count().label("count"))
             .join(s, s.c.id == i.c.submission_id).where(s.c.campaign_id == campaign_id)
             .group_by(i.c.submission_id, i.c.severity, i.c.code).order_by(i.c.submission_id, i.c.code))
        if user is not None:
            q = q.where(s.c.submitted_by == user)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(q).mappings()]

    def portfolio(self, filters: Filters | None = None, user: str | None = None) -> Merger:
        """The rollup of the current states, merged exactly as `campaign-sheets rollup` merges files."""
        filters = filters or Filters()
        merger = Merger(since=filters.since, until=filters.until)
        for s in self.current(user):
            if filters.keep(s):
                merger.add(s)
        self._superseded(merger, user)
        merger.files.sort(key=lambda f: f["file"])
        return merger

    def _superseded(self, merger: Merger, user: str | None) -> None:
        """The earlier versions of the portfolio's campaigns, listed as superseded with the file that is
        current (the rule of `_current_ids`, applied here to the same rows)."""
        s = db.submissions
        shown = {c.get("campaign_id") for c in merger.campaigns}
        if not shown:
            return
        q = (sa.select(s.c.id, s.c.filename, s.c.campaign_id, s.c.status, s.c.errors, s.c.warnings, s.c.alerts,
                       s.c.data_as_of).where(s.c.accepted.is_(True), s.c.campaign_id.is_not(None))
             .order_by(s.c.campaign_id, *_current_order()))
        if user is not None:
            q = q.where(s.c.submitted_by == user)
        current: dict[str, Any] = {}
        with self.engine.connect() as conn:
            for r in conn.execute(q).mappings():
                cid = r["campaign_id"]
                if cid not in shown:
                    continue
                top = current.setdefault(cid, r)   # the first of each campaign in this order is its current one
                if top is r:
                    continue
                why = Superseded(cid, _version_name(top), "later_data" if _date(top["data_as_of"]) != _date(r["data_as_of"])
                                 else "later_upload", _date(r["data_as_of"]), _date(top["data_as_of"]))
                merger.supersede({"file": _version_name(r), "status": r["status"], "code": None, "message": None,
                                  "campaign_id": cid, "error": r["errors"], "warning": r["warnings"], "alert": r["alerts"]},
                                 why)

    def stored_path(self, submission: dict[str, Any]) -> Path:
        return self.store.path(submission["sha256"])

    def blank(self, template: str, lang: str) -> bytes:
        """A blank workbook of a spec this server knows."""
        import tempfile

        from ..build import build_workbook

        with tempfile.TemporaryDirectory() as tmp:
            path = build_workbook(template, Path(tmp) / "blank.xlsx", lang=lang, spec_dir=self.spec_dir)
            return Path(path).read_bytes()


def check_file(stored: Path, spec_dir: list[str] | None, lang: str, limits: Limits,
               today: dt.date) -> tuple[FileSummary, dict[str, Any]]:
    """Read and check one stored file: its rollup summary and its report entry. Pure and picklable, so
    the server runs it in a process pool (the checking is CPU work; the database write stays put)."""
    result = import_judged(stored, today, spec_dir=spec_dir, lang=lang, limits=limits, errors="report")
    return reduce(result, today, None), file_entry(result.report, result.meta, unreadable=result.unreadable is not None)


def annotated_bytes(stored: Path, spec_dir: list[str] | None, lang: str, limits: Limits) -> bytes:
    """The annotated copy of a stored file (picklable: the server makes it in its process pool)."""
    import tempfile

    from ..annotate import annotate

    result = import_workbook(stored, spec_dir=spec_dir, lang=lang, limits=limits, errors="report")
    with tempfile.TemporaryDirectory() as tmp:
        return annotate(stored, result.report, tmp, lang=lang, limits=limits).read_bytes()


def brief_of(stored: Path, spec_dir: list[str] | None, lang: str | None, date: dt.date | None = None) -> Any:
    """The daily brief of a stored file at `date` (the date its summary was judged on, so the campaign
    page and the brief under it agree; None: its last day with data). Picklable: made in the server's
    process pool."""
    from ..brief import brief_for

    return brief_for(stored, date=date, lang=lang, spec_dir=spec_dir)


def warm(spec_dir: list[str] | None) -> None:
    """In a checking process: import the reader and load the shipped specs once (not on the first upload)."""
    import time

    from ..spec.loader import available_specs, load_spec

    for name in available_specs(spec_dir):
        try:
            load_spec(name, spec_dir=spec_dir)
        except Exception:   # noqa: BLE001 - a broken spec is reported when a file needs it
            pass
    time.sleep(0.2)   # hold this worker so each of the pool's processes gets one warm-up


def _renamed(summary: FileSummary, filename: str) -> FileSummary:
    """The summary as the portal shows it: the sender's file name, not a path on this machine
    (a copy: the rollup that made it keeps its own)."""
    import dataclasses

    stored = summary.path
    campaign = dict(summary.campaign)
    if campaign.get("source_file") == stored:
        campaign["source_file"] = filename
    tables = dict(summary.tables)
    if "issues" in tables and "file" in tables["issues"]:
        tables["issues"] = {**tables["issues"], "file": [filename] * len(tables["issues"]["file"])}
    return dataclasses.replace(summary, path=filename, campaign=campaign, tables=tables)


def _current_order() -> tuple:
    """How a campaign's submissions rank for its current state: the latest data first (a submission
    without a KPI figure last), then the latest upload."""
    s = db.submissions
    return (s.c.data_as_of.is_(None), s.c.data_as_of.desc(), s.c.id.desc())


def _version_name(row: Any) -> str:
    """A submission as the portfolio's files list names it: its file name and its number (a team
    often sends each version under the same name)."""
    return f"{row['filename']} (#{row['id']})"


def _public(row: Any) -> dict[str, Any]:
    d = dict(row)
    d.pop("summary", None)
    return d


def _num(v: Any) -> float | None:
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _int(v: Any) -> int | None:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _date(v: Any) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else None


def _text(v: Any) -> str | None:
    return None if v is None else str(v)


def _rows(columns: dict[str, list]) -> list[dict[str, Any]]:
    keys = list(columns)
    return [dict(zip(keys, values)) for values in zip(*(columns[k] for k in keys))] if keys else []


def _row_batches(s: FileSummary, roles: dict[str, Any]) -> list[tuple[Any, list[dict[str, Any]]]]:
    """The rollup's rows of one submission, by row table (without the submission id, not yet known)."""
    c = s.campaign
    out: list[tuple[Any, list[dict[str, Any]]]] = []
    if c and s.status not in ("rejected", "not_campaign"):
        out.append((db.facts, [dict(
            campaign_id=c.get("campaign_id"), name=_text(c.get("name")), code=_text(c.get("code")),
            scenario=_text(c.get("scenario")), lead=_text(c.get("lead")), start=_date(c.get("start")), end=_date(c.get("end")),
            budget=_num(c.get("budget")), budget_planned=_num(c.get("budget_planned")),
            budget_actual=_num(c.get("budget_actual")), tasks_total=_int(c.get("tasks_total")),
            tasks_done=_int(c.get("tasks_done")), tasks_overdue=_int(c.get("tasks_overdue")),
            risks_open_high=_int(c.get("risks_open_high")), attainment=_num(c.get("attainment")), data=codec.plain(c),
            data_as_of=_date(c.get("data_as_of")), tasks_unfinished_at_close=_int(c.get("tasks_unfinished_at_close")))]))
    task_role, risk_role = roles.get("tasks"), roles.get("risks")
    makers = {
        "budget": lambda r: {"category": _text(r.get("category")), "category_label": _text(r.get("category_label")),
                             "planned": _num(r.get("planned")), "actual": _num(r.get("actual"))},
        "tasks": lambda r: {"status": _text(r.get(task_role.status)) if task_role else None,
                            "end": _date(r.get(task_role.end)) if task_role else None,
                            "slippage_days": _int(r.get("slippage_days")), "data": codec.plain(r)},
        "risks": lambda r: {"level": _text(r.get("level")), "status": _text(r.get(risk_role.status)) if risk_role else None,
                            "data": codec.plain(r)},
        "kpi_series": lambda r: {"date": _date(r.get("date")), "channel": _text(r.get("channel")), "kpi": _text(r.get("kpi")),
                                 "value": _num(r.get("value")), "target": _num(r.get("target")),
                                 "status": _text(r.get("status"))},
        "channels": lambda r: {"channel": _text(r.get("channel")), "budget": _num(r.get("budget"))},
        "issues": lambda r: {"severity": r.get("severity"), "code": r.get("code"), "sheet": _text(r.get("sheet")),
                             "cell": _text(r.get("cell")), "message": _text(r.get("message"))},
    }
    for key, table in db.ROW_TABLES.items():
        rows = _rows(s.tables.get(key, {}))
        if rows:
            out.append((table, [{"campaign_id": r.get("campaign_id", c.get("campaign_id")), **makers[key](r)} for r in rows]))
    return out


__all__ = ["Portal", "Filters", "SUBMISSION_COLUMNS", "check_file", "annotated_bytes", "brief_of"]
