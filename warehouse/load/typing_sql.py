"""The typed layer: SQL that turns staged text into typed values, and finds the cells it cannot.

Expressions are generated from the contract's column definitions (identifiers and constants
of ours, never file content); values always travel as data.
"""

from __future__ import annotations

import duckdb

from warehouse.contract import EARLIEST_YEAR, LATEST_YEAR, Column, Ledger

# Excel's error values (#N/A from a failed VLOOKUP …): a formula's failure, never data.
EXCEL_ERRORS = (
    "#NULL!",
    "#DIV/0!",
    "#VALUE!",
    "#REF!",
    "#NAME?",
    "#NUM!",
    "#N/A",
    "#GETTING_DATA",
    "#SPILL!",
    "#CALC!",
    "#FIELD!",
    "#BLOCKED!",
    "#CONNECT!",
    "#BUSY!",
    "#UNKNOWN!",
)

MACROS = r"""
CREATE OR REPLACE MACRO parse_date(s) AS
    CASE WHEN regexp_full_match(s, '\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{4}\.\d{1,2}\.\d{1,2}|\d{4}年\d{1,2}月\d{1,2}日')
         THEN TRY_CAST(regexp_replace(s, '^(\d{4})\D(\d{1,2})\D(\d{1,2})\D?$', '\1-\2-\3') AS DATE) END;
-- Thousands separators (comma or space) only between groups of three digits: '10,5' is a
-- decimal comma, not 105, and is left unreadable (NULL) rather than read wrong.
CREATE OR REPLACE MACRO number_text(s) AS
    CASE WHEN regexp_full_match(s, '[+-]?(\d{1,3}(,\d{3})+|\d{1,3}( \d{3})+|\d+)(\.\d+)?')
         THEN replace(replace(s, ',', ''), ' ', '') END;
CREATE OR REPLACE MACRO is_number(s) AS coalesce(regexp_full_match(number_text(s), '[+-]?\d+(\.\d+)?'), false);
-- LibreOffice shows most of its own errors as Err:501 … Err:539 (an .ods keeps them so).
-- Every cell of every column is asked: a byte-range test of the first character first ("starts
-- with #" or "starts with Err:") is a third of the cost of the list itself, which is left for
-- the few cells that pass it.
CREATE OR REPLACE MACRO is_excel_error(s) AS
    (s >= '#' AND s < '$' AND s IN ({excel_errors}))
    OR (s >= 'Err:' AND s < 'Err;' AND regexp_full_match(s, 'Err:\d{3}'));
CREATE OR REPLACE MACRO decimals_of(s) AS
    length(rtrim(coalesce(nullif(regexp_extract(number_text(s), '\.(\d+)$', 1), ''), ''), '0'));
CREATE OR REPLACE MACRO parse_bool(s) AS
    CASE WHEN lower(s) IN ('是', 'y', '1', 'true') THEN true
         WHEN lower(s) IN ('否', 'n', '0', 'false') THEN false END;
"""

assert all(e.startswith("#") for e in EXCEL_ERRORS)  # is_excel_error's first test relies on it

DATE_FORMATS = "2025-03-05、2025/3/5、2025.03.05、2025年3月5日或Excel日期"


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(MACROS.replace("{excel_errors}", _quote(EXCEL_ERRORS)))


def _quote(values: tuple[str, ...]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


# Most cells are written the plain way: 2025-03-05, 1234.5. They take one simple pattern and a
# cast; every other spelling still goes the full way, so the values are the same either way
# (tests/test_typing_fast_paths.py) and the typed layer of a 100× load costs half as much.
PLAIN_DATE = r"\d{4}-\d{2}-\d{2}"
PLAIN_NUMBER = r"[+-]?\d+(\.\d+)?"


def typed_expression(col: Column) -> str:
    """SQL giving the column's typed value from r_<name>, NULL where it cannot be read."""
    return _plain_first(col, full_typed_expression(col))


def _plain_first(col: Column, full: str) -> str:
    raw = f'"r_{col.name}"'
    if col.type == "date":
        return f"CASE WHEN regexp_full_match({raw}, '{PLAIN_DATE}') THEN TRY_CAST({raw} AS DATE) ELSE {full} END"
    if col.type == "dec":
        # As written (元, or no money at all): a plain number with at most `scale` decimals beside
        # trailing zeros is cast straight to the column's type, exactly; a tenth of the cost of
        # going through DECIMAL(38, 10), which only a 万元 column still needs.
        as_written = (
            f"CASE WHEN regexp_full_match({raw}, '{_plain_decimal(col.scale)}') "
            f"THEN TRY_CAST({raw} AS DECIMAL(18, {col.scale})) ELSE {full} END"
        )
        if not col.money:
            return as_written
        scaled = _in_yuan(col, f"TRY_CAST({raw} AS DECIMAL(38, 10))")
        decimals = f"length(rtrim(split_part({raw}, '.', 2), '0'))"
        plain = (
            f"CASE WHEN {decimals} <= {_allowed_decimals(col)} THEN TRY_CAST({scaled} AS DECIMAL(18, {col.scale})) END"
        )
        in_wan = f"CASE WHEN regexp_full_match({raw}, '{PLAIN_NUMBER}') THEN {plain} ELSE {full} END"
        return f"CASE WHEN wan_{col.name} THEN {in_wan} ELSE {as_written} END"
    return full


def _plain_decimal(scale: int) -> str:
    """A plain number with at most `scale` decimals, not counting trailing zeros."""
    return rf"[+-]?\d+(\.\d{{1,{scale}}}0*)?" if scale else r"[+-]?\d+(\.0+)?"


def _in_yuan(col: Column, number: str) -> str:
    """A money column's number in 元 when the file wrote it in 万元; any other number as it is."""
    return f"({number} * CASE WHEN wan_{col.name} THEN 10000 ELSE 1 END)" if col.money else number


def _allowed_decimals(col: Column) -> str:
    return f"{col.scale} + CASE WHEN wan_{col.name} THEN 4 ELSE 0 END" if col.money else str(col.scale)


def full_typed_expression(col: Column) -> str:
    """The full reading of every spelling the contract allows (the plain fast path's reference)."""
    raw = f'"r_{col.name}"'
    if col.type == "text":
        return raw
    if col.type == "date":
        return f"parse_date({raw})"
    if col.type == "bool":
        return f"parse_bool({raw})"
    if col.type == "enum":
        return f"CASE WHEN {raw} IN ({_quote(col.values)}) THEN {raw} END"
    if col.type == "int":
        return (
            f"CASE WHEN regexp_full_match(number_text({raw}), '[+-]?\\d+') "
            f"THEN TRY_CAST(number_text({raw}) AS BIGINT) END"
        )
    if col.type == "dec":
        scaled = _in_yuan(col, f"TRY_CAST(number_text({raw}) AS DECIMAL(38, 10))")
        return (
            f"CASE WHEN is_number({raw}) AND decimals_of({raw}) <= {_allowed_decimals(col)} "
            f"THEN TRY_CAST({scaled} AS DECIMAL(18, {col.scale})) END"
        )
    raise ValueError(col.type)


def sql_type(col: Column) -> str:
    return {
        "text": "VARCHAR",
        "enum": "VARCHAR",
        "date": "DATE",
        "bool": "BOOLEAN",
        "int": "BIGINT",
        "dec": f"DECIMAL(18, {col.scale})",
    }[col.type]


def typed_columns(ledger: Ledger) -> str:
    """SELECT list of a ledger's typed values, from its r_<name> texts (and wan_<name> flags)."""
    return ", ".join(f'CAST({typed_expression(c)} AS {sql_type(c)}) AS "{c.name}"' for c in ledger.columns)


def typed_table_columns(ledger: Ledger) -> list[str]:
    """typed.<ledger>: provenance, each cell's text (and 万元 flag), then the typed values."""
    columns = ["_piece INTEGER", "_row BIGINT"]
    for col in ledger.columns:
        columns.append(f'"r_{col.name}" VARCHAR')
        if col.money:
            columns.append(f'"wan_{col.name}" BOOLEAN')
    columns.append("_is_totals BOOLEAN")
    return columns + [f'"{c.name}" {sql_type(c)}' for c in ledger.columns]


def _unreadable_reason(col: Column) -> str:
    if col.type == "date":
        return f"日期格式无法识别（应为{DATE_FORMATS}）"
    if col.type == "bool":
        return "应为是/否（也可写Y/N、1/0、true/false）"
    if col.type == "enum":
        return f"不是允许的取值（允许：{'、'.join(col.values)}）"
    if col.type == "int":
        return "不是整数"
    return f"不是有效数字，或小数位数超过{col.scale}位" + ("（万元金额最多6位小数）" if col.money else "")


def cell_checks(col: Column) -> list[tuple[str, str, dict]]:
    """(SQL condition over a typed row, Chinese reason, the condition's bound values) for one
    column's own rules. Names are written in; values are bound."""
    raw, value = f'"r_{col.name}"', f'"{col.name}"'
    checks: list[tuple[str, str, dict]] = []
    if col.required:
        checks.append((f"{raw} IS NULL", "必填项为空", {}))
    # Checked on every column, text too: "#N/A" is no project name. Reported once, as such.
    excel_error = "是Excel公式错误值，请修正公式或填写实际值"
    if col.type == "text":
        checks.append((f"is_excel_error({raw})", excel_error, {}))
    else:
        # An error value never reads as a date or number, so only the cells that did not read are
        # asked: a CASE evaluates is_excel_error on those rows alone (AND would on every row).
        unread = f"{value} IS NULL AND {raw} IS NOT NULL"
        checks.append((f"CASE WHEN {unread} THEN is_excel_error({raw}) ELSE false END", excel_error, {}))
        checks.append(
            (f"CASE WHEN {unread} THEN NOT is_excel_error({raw}) ELSE false END", _unreadable_reason(col), {})
        )
    if col.type == "date":
        checks.append(
            (
                f"year({value}) NOT BETWEEN $earliest_year AND $latest_year",
                f"日期超出合理范围（{EARLIEST_YEAR}—{LATEST_YEAR}年）",
                {"earliest_year": EARLIEST_YEAR, "latest_year": LATEST_YEAR},
            )
        )
    if col.minimum is not None:
        op, word = (">", "大于") if col.exclusive else (">=", "不小于")
        bound = f"minimum_{col.name}"
        checks.append((f"NOT ({value} {op} ${bound})", f"应{word}{col.minimum}", {bound: col.minimum}))
    return checks
