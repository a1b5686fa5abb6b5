"""Cells are trimmed alike from a CSV and from a workbook: a workbook's cells are trimmed as they
are read (workbooks.column_texts), so staging trims only the CSV's, and both load the same values."""

import pytest

from tests.corpus_support import rows, write_xlsx
from tests.exports_fixture import GOOD_ROWS, table, write_csv
from warehouse.load.loader import load

# Blanks at the ends of text, enum, date and number cells: spaces, a tab, a line break, the
# full-width space; a cell of blanks only is an empty cell.
PADDED = {
    "project_name": " \u3000纵三路 道路工程\t",
    "sector": "基础设施\u3000",
    "start_date": " 2024-03-01 ",
    "planned_land_mu": "\t30.5\n",
    "lead": "\u3000 \t",
}


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_blanks_at_the_ends_of_cells_are_trimmed_from_csv_and_workbook_alike(tmp_path, good_dir, form):
    projects = [dict(GOOD_ROWS["projects"][0], **PADDED), *GOOD_ROWS["projects"][1:]]
    (good_dir / "项目台账导出.csv").unlink()
    if form == "csv":
        write_csv(good_dir / "项目.csv", table("projects", projects))
    else:
        write_xlsx(good_dir / "项目.xlsx", {"项目": table("projects", projects)})
    result = load(good_dir, tmp_path / "w.duckdb")
    assert result.ok, result.errors
    [first] = rows(
        tmp_path / "w.duckdb",
        "SELECT project_name, sector, start_date::VARCHAR, planned_land_mu::VARCHAR, lead "
        "FROM raw.projects WHERE project_id = 'P1'",
    )
    assert first == ("纵三路 道路工程", "基础设施", "2024-03-01", "30.5000", None)
