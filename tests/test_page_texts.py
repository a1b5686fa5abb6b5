"""What a page says to its reader names no file or folder of the server: a section chief cannot
open config/thresholds.toml or data/load_reports/; the page points to 口径说明 or a page instead."""

import re

import pytest

from tests.demo_app_fixture import demo_app_env, open_page, texts, unfold  # noqa: F401
from ui.navigation import PAGES

PATH = re.compile(r"(?:config|data|docs|queries|pages)/|\.(?:toml|py|sql|csv|json)\b")


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_no_server_path_in_what_a_page_says(demo_app_env, spec):
    at = open_page(spec.path, "admin")
    assert not at.exception
    if spec.definitions:  # 口径说明 is drawn only once opened
        assert not [t for t in texts(at) if f"**{spec.definitions[0]}**" in t]
        at = unfold(at, f"definitions_{spec.key}")
        assert [t for t in texts(at) if f"**{spec.definitions[0]}**" in t]
    said = [t for t in texts(at) + [i.value for i in at.info] + [w.value for w in at.warning] if PATH.search(t)]
    # 口径说明 quotes docs/metrics.md, whose command-line section names files for the administrator
    assert [t for t in said if "命令行" not in t and "python -m" not in t] == []


@pytest.mark.parametrize("spec", PAGES, ids=[p.key for p in PAGES])
def test_every_table_header_is_chinese(demo_app_env, spec):
    at = open_page(spec.path, "admin")
    english = {str(c) for frame in at.dataframe for c in frame.value.columns if re.fullmatch(r"[\x00-\x7f]+", str(c))}
    assert english == set()
