"""The at-risk reply through a real server says why each watched place it lists nothing for is
absent: kept on the home volume, missing here, or the same folder as another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def places(tmp_path: Path) -> dict[str, Path]:
    kept = tmp_path / "tmp"  # on the same disk as home, as /tmp is when home is no volume
    kept.mkdir()
    (kept / "notes.txt").write_text("kept with home")
    alias = tmp_path / "var-tmp"
    alias.symlink_to(kept)
    return {"kept": kept, "alias": alias, "missing": tmp_path / "no-such-place"}


@pytest.fixture
def datalake_overrides(places, jp_root_dir):
    return {
        "home_dir": str(jp_root_dir),
        "watched_paths": [str(places[name]) for name in ("kept", "alias", "missing")],
    }


async def test_a_place_on_the_home_volume_is_reported_kept_with_the_reason(jp_fetch, places):
    body = json.loads((await jp_fetch("datalake", "at-risk")).body)
    (kept,) = body["locations"]
    assert kept["path"] == str(places["kept"])
    assert kept["persistent"] is True
    assert kept["reason"].startswith("on your home volume (")
    # Kept: nothing of it is listed as lost, though the user has a file there.
    assert (kept["entries"], kept["entry_count"]) == ([], 0)
    assert body["skipped"] == [
        {"path": str(places["alias"]), "same_as": str(places["kept"])},
        {"path": str(places["missing"]), "same_as": None},
    ]
