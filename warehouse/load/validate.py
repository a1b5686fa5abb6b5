"""Every validation rule of the contract, run as SQL over the typed tables.

Each finding becomes an Issue naming file, sheet, row (as the clerk sees it), the column as
the file spells it, the value as written, and the reason in Chinese.
"""

from __future__ import annotations

import copy
from dataclasses import asdict, dataclass

import duckdb

from warehouse.contract import LEDGER_BY_NAME, LEDGERS, REFERENCES, ROW_RULES, Ledger
from warehouse.load.parallel import each_on_own_cursor
from warehouse.load.typing_sql import cell_checks

MAX_PER_RULE = 200  # rows listed per rule; the count of the rest is reported


@dataclass(frozen=True)
class Issue:
    level: str  # 错误 | 警告
    file: str
    sheet: str
    row: int | None
    column: str
    value: str
    reason: str

    def as_dict(self) -> dict:
        return asdict(self)


ERROR, WARNING = "错误", "警告"


class Validator:
    def __init__(self, con: duckdb.DuckDBPyConnection, present: set[str]):
        self.con = con
        self.present = present  # ledgers that have at least one piece
        self.issues: list[Issue] = []
        self.pieces = {
            row[0]: row[1:]
            for row in con.execute("SELECT piece, file, coalesce(sheet, ''), spelled FROM stage.pieces").fetchall()
        }

    # -- reporting -------------------------------------------------------------------------
    def _add(self, level, ledger: Ledger, column: str, rows, reason: str, total: int) -> None:
        header = ledger.column(column).header
        for piece, row, value in rows:
            file, sheet, spelled = self.pieces[piece]
            self.issues.append(
                Issue(level, file, sheet, row, spelled.get(column, header), "" if value is None else str(value), reason)
            )
        if total > len(rows):
            self.issues.append(
                Issue(level, "", "", None, header, "", f"{ledger.title}：同类问题另有{total - len(rows)}条未逐条列出")
            )

    def _find(
        self,
        level,
        ledger: Ledger,
        column: str,
        where: str,
        reason: str,
        table: str | None = None,
        total: int | None = None,
        bound: dict | None = None,
    ) -> None:
        source = table or f"typed.{ledger.name}"
        if total is None:
            total = self.con.execute(f"SELECT count(*) FROM {source} WHERE {where}", bound or {}).fetchone()[0]
        if not total:
            return
        rows = self.con.execute(
            f'SELECT _piece, _row, "r_{column}" FROM {source} WHERE {where} ORDER BY _piece, _row LIMIT $listed',
            {**(bound or {}), "listed": MAX_PER_RULE},
        ).fetchall()
        self._add(level, ledger, column, rows, reason, total)

    def _find_each(self, level, ledger: Ledger, checks: list[tuple[str, str, str, dict]]) -> None:
        """_find for many (column, where, reason, bound values) of one ledger: one scan counts them
        all, and only the rules something broke are read row by row (265 rules, 10 scans)."""
        if not checks:
            return
        bound: dict = {}
        for *_, values in checks:
            for name, value in values.items():
                if bound.setdefault(name, value) != value:
                    raise ValueError(f"two rules of {ledger.name} bind ${name} to different values")
        counts = self.con.execute(
            "SELECT " + ", ".join(f"count_if({where})" for _, where, _, _ in checks) + f" FROM typed.{ledger.name}",
            bound,
        ).fetchone()
        for (column, where, reason, values), total in zip(checks, counts):
            self._find(level, ledger, column, where, reason, total=total, bound=values)

    # -- the rules ---------------------------------------------------------------------------
    def run(self) -> list[Issue]:
        """Every rule; independent groups run two at a time, each on a cursor of its own, and
        their issues are joined in the order a single pass gives them."""
        jobs: list[tuple[str, tuple]] = []
        for ledger in LEDGERS:
            if ledger.name in self.present:
                jobs.append(("_ledger_rules", (ledger,)))
            elif ledger.required:
                jobs.append(("_missing", (ledger,)))
        rules_of = {
            name: [(r.column, r.where, r.reason, r.bound) for r in ROW_RULES if r.ledger == name]
            for name in dict.fromkeys(r.ledger for r in ROW_RULES)
        }
        jobs += [
            ("_find_each", (ERROR, LEDGER_BY_NAME[name], checks))
            for name, checks in rules_of.items()
            if name in self.present
        ]
        jobs += [("_reference", (ref,)) for ref in REFERENCES]
        jobs.append(("_site_capacity", ()))
        for issues in each_on_own_cursor(self.con, self._job, jobs):
            self.issues += issues
        return self.issues

    def _job(self, cursor, job: tuple[str, tuple]) -> list[Issue]:
        """One group of rules on its own cursor, with its own issue list."""
        method, args = job
        worker = copy.copy(self)
        worker.con, worker.issues = cursor, []
        getattr(worker, method)(*args)
        return worker.issues

    def _missing(self, ledger: Ledger) -> None:
        self.issues.append(
            Issue(ERROR, "", "", None, "", "", f"缺少必需的台账：{ledger.title}（没有文件或工作表的表头符合该台账）")
        )

    def _ledger_rules(self, ledger: Ledger) -> None:
        self._find_each(ERROR, ledger, [(col.name, *check) for col in ledger.columns for check in cell_checks(col)])
        self._find_each(
            WARNING,
            ledger,
            [(name, f'"r_{name}" IS NULL', f"{ledger.column(name).header}为空", {}) for name in ledger.warn_missing],
        )
        self._duplicate_keys(ledger)

    def _duplicate_keys(self, ledger: Ledger) -> None:
        keys = ", ".join(f'"{k}"' for k in ledger.key)
        required = " AND ".join(f'"{k}" IS NOT NULL' for k in ledger.key if ledger.column(k).required) or "true"
        first = ledger.key[0]
        same_key = " AND ".join(f't."{k}" IS NOT DISTINCT FROM r."{k}"' for k in ledger.key)
        # The keys that repeat are found by grouping first, and only their rows sorted for the
        # window: sorting every row cost three times as much (payments at 100x).
        rows = self.con.execute(f"""
            WITH repeated AS (SELECT {keys} FROM typed.{ledger.name} WHERE {required} GROUP BY ALL HAVING count(*) > 1)
            SELECT _piece, _row, "r_{first}", first_piece, first_row FROM (
                SELECT _piece, _row, "r_{first}",
                       first_value(_piece) OVER w AS first_piece, first_value(_row) OVER w AS first_row,
                       row_number() OVER w AS n
                FROM typed.{ledger.name} t SEMI JOIN repeated r ON ({same_key}) WHERE {required}
                WINDOW w AS (PARTITION BY {keys} ORDER BY _piece, _row))
            WHERE n > 1 ORDER BY _piece, _row""").fetchall()
        what = "、".join(ledger.column(k).header for k in ledger.key)
        for piece, row, value, first_piece, first_row in rows[:MAX_PER_RULE]:
            first_file, first_sheet, _ = self.pieces[first_piece]
            where = first_file + (f"［{first_sheet}］" if first_sheet else "")
            self._add(ERROR, ledger, first, [(piece, row, value)], f"{what}重复：与 {where} 第{first_row}行 相同", 1)
        if len(rows) > MAX_PER_RULE:
            self._add(ERROR, ledger, first, [], f"{what}重复", len(rows) - MAX_PER_RULE)

    def _reference(self, ref) -> None:
        if ref.ledger not in self.present or ref.target not in self.present:
            return
        ledger, target = LEDGER_BY_NAME[ref.ledger], LEDGER_BY_NAME[ref.target]
        where = (
            f'"{ref.column}" IS NOT NULL AND "{ref.column}" NOT IN '
            f'(SELECT "{ref.target_column}" FROM typed.{ref.target} WHERE "{ref.target_column}" IS NOT NULL)'
        )
        header = target.column(ref.target_column).header
        self._find(ERROR, ledger, ref.column, where, f"{header}在{target.title}中不存在")

    def _site_capacity(self) -> None:
        if not {"resettlement_sites", "resettlement_units"} <= self.present:
            return
        rows = self.con.execute("""
            SELECT s._piece, s._row, s.r_total_units, count(*) AS n
            FROM typed.resettlement_sites s JOIN typed.resettlement_units u ON u.site_id = s.site_id
            WHERE s.total_units IS NOT NULL
            GROUP BY ALL HAVING count(*) > any_value(s.total_units) ORDER BY 1, 2""").fetchall()
        ledger = LEDGER_BY_NAME["resettlement_sites"]
        for piece, row, value, n in rows:
            self._add(
                ERROR,
                ledger,
                "total_units",
                [(piece, row, value)],
                f"安置房源台账中该安置项目有{n}条房源，超过房源套数{value}",
                1,
            )
