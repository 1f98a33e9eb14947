"""Find in this folder and below, against a real S3 server (Ceph RGW): matches in sub-folders,
step by step with a cursor, a count of what was searched, and the bound it stops at."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from jupyterlab_datalake.lake import search as search_module
from jupyterlab_datalake.tests import test_lake_browser as browser_tests
from jupyterlab_datalake.tests.test_lake_browser import call, put

home = browser_tests.home
datalake_overrides = browser_tests.datalake_overrides


async def search(jp_fetch, prefix: str, q: str, **extra) -> tuple[int, dict]:
    params = {"area": "shared", "prefix": prefix, "q": q, **{k: str(v) for k, v in extra.items()}}
    return await call(jp_fetch, "objects", "search", params=params)


async def search_all(jp_fetch, prefix: str, q: str, **extra) -> tuple[list[dict], list[dict]]:
    steps, cursor = [], None
    while True:
        code, step = await search(
            jp_fetch, prefix, q, **({"cursor": cursor} if cursor else {}), **extra
        )
        assert code == 200, step
        steps.append(step)
        cursor = step["next_cursor"]
        if not cursor:
            return [m for s in steps for m in s["matches"]], steps


async def test_finds_names_below_in_steps(jp_fetch, folder, s3_client, monkeypatch):
    base = f"shared/{folder}/"
    keys = [f"{base}data/part-{i:03d}.csv" for i in range(30)]
    keys += [f"{base}deep/er/Report-Q3.CSV", f"{base}deep/report q3 notes.txt", f"{base}top.txt"]
    keys += [f"{base}deep/reports/"]  # a folder marker: found by its folder name
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda k: put(s3_client, k), keys))
    put(s3_client, f"shared/{folder}-other/report.txt")  # beside the folder, not below it
    monkeypatch.setattr(search_module, "STEP", 10)
    matches, steps = await search_all(jp_fetch, folder, "REPORT")
    assert [m["path"] for m in matches] == [
        "deep/er/Report-Q3.CSV",
        "deep/report q3 notes.txt",
        "deep/reports/",
    ]
    assert matches[2]["folder"] is True and matches[0]["name"] == "Report-Q3.CSV"
    assert len(steps) == 4  # 34 objects, 10 a step
    assert [s["searched"] for s in steps] == [10, 20, 30, 34]
    assert not steps[-1]["bounded"]
    matches, _ = await search_all(jp_fetch, f"{folder}/data", "part-02")
    assert len(matches) == 10


async def test_folders_without_a_marker_are_found_once(jp_fetch, folder, s3_client, monkeypatch):
    # Folders that exist only as the keys below them, as S3 tools make them; one object a step,
    # so that the keys of a/2024/ come in two steps and the cursor alone says it was reported.
    base = f"shared/{folder}/"
    keys = ["a/2024-notes.txt", "a/2024/x.csv", "a/2024/y.csv", "b/2024-old/z.csv", "c/w.txt"]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda k: put(s3_client, base + k), keys))
    monkeypatch.setattr(search_module, "STEP", 1)
    matches, steps = await search_all(jp_fetch, folder, "2024")
    assert [(m["path"], m["folder"]) for m in matches] == [
        ("a/2024-notes.txt", False),
        ("a/2024/", True),
        ("b/2024-old/", True),
    ]
    assert len(steps) == 5
    assert matches[1]["key"] == f"{base}a/2024/" and matches[1]["name"] == "2024"


async def test_stops_at_the_bound_and_says_so(jp_fetch, folder, s3_client, monkeypatch):
    base = f"shared/{folder}/"
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: put(s3_client, f"{base}f-{i:03d}.csv"), range(25)))
    monkeypatch.setattr(search_module, "STEP", 7)
    matches, steps = await search_all(jp_fetch, folder, "f-", bound=12)
    assert steps[-1]["bounded"] is True
    assert steps[-1]["searched"] == 12 and steps[-1]["bound"] == 12
    assert [m["name"] for m in matches] == [f"f-{i:03d}.csv" for i in range(12)]
    # A bound exactly at the end is not reported as one: nothing was left unsearched.
    _, steps = await search_all(jp_fetch, folder, "f-", bound=25)
    assert steps[-1]["searched"] == 25


async def test_bad_requests_are_refused(jp_fetch, folder):
    code, body = await search(jp_fetch, folder, " ")
    assert code == 400 and "Say what to search for" in body["message"]
    code, body = await search(jp_fetch, folder, "x", cursor="not-a-cursor")
    assert code == 400 and "cursor" in body["message"]
    code, body = await search(jp_fetch, folder, "x", bound="many")
    assert code == 400
