"""Saves through a real Jupyter server keep the usage figure equal to what ``du -sxB1`` says.

A JupyterLab save writes more than the notebook: the first save makes the checkpoint folder
and the checkpoint, every Ctrl+S writes the checkpoint again (POST .../checkpoints), and the
atomic write's temporary file may grow the folder. The panel once said 99% while du said 110%,
because only the notebook was counted. Each figure here must come from the update that follows
the save (scanned_at unchanged), and equal a du-style count of home made by the test.
"""

from __future__ import annotations

import base64
import inspect
import json
import os
import stat
import subprocess

import pytest
from jupyter_server.services.contents.filemanager import (
    AsyncFileContentsManager,
    FileContentsManager,
)

from jupyterlab_datalake.home.saves import watch_saves
from jupyterlab_datalake.home.usage import UsageMonitor
from jupyterlab_datalake.tests import test_usage_api as usage_tests

MiB = 1024**2
CHECKPOINT = "notebooks/.ipynb_checkpoints/analysis-checkpoint.ipynb"


def du_style(root) -> dict[str, int]:
    """Home as du -sx counts it: st_blocks * 512 of every entry, folders and the root
    included, a hard-linked file once, nothing from another device; with files and folders."""
    root_st = os.lstat(root)
    used, files, dirs = root_st.st_blocks * 512, 0, 1
    seen: set[int] = set()
    stack = [os.fspath(root)]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                st = os.lstat(entry.path)
                if st.st_dev != root_st.st_dev:
                    continue
                if stat.S_ISDIR(st.st_mode):
                    dirs += 1
                    stack.append(entry.path)
                elif st.st_nlink > 1:
                    if st.st_ino in seen:
                        continue
                    seen.add(st.st_ino)
                    files += 1
                else:
                    files += 1
                used += st.st_blocks * 512
    return {"used": used, "files": files, "dirs": dirs}


def counted(usage: dict) -> dict[str, int]:
    return {key: usage[key] for key in ("used", "files", "dirs")}


def notebook(text_bytes: int) -> dict:
    # Random-looking text, so that no file system can store it in fewer blocks than its size.
    text = os.urandom(text_bytes // 2).hex()
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "markdown", "id": "c1", "metadata": {}, "source": text}],
    }


@pytest.fixture
def home(jp_root_dir):
    # Home is the file browser's root, as on the platform, so saves land in home.
    (jp_root_dir / "notebooks").mkdir()
    (jp_root_dir / "data").mkdir()
    (jp_root_dir / "data" / "sales.csv").write_bytes(os.urandom(2 * MiB))
    return jp_root_dir


# The usage tests' server config and usage reply, written once.
datalake_overrides = usage_tests.datalake_overrides
get_usage = usage_tests.get_usage


async def save(jp_fetch, path: str, content: dict) -> None:
    body = {"type": "notebook", "format": "json", "content": content}
    response = await jp_fetch(
        "api", "contents", *path.split("/"), method="PUT", body=json.dumps(body)
    )
    assert response.code in (200, 201)


async def create_checkpoint(jp_fetch, path: str) -> None:
    response = await jp_fetch(
        "api", "contents", *path.split("/"), "checkpoints", method="POST", body=""
    )
    assert response.code == 201


async def test_three_growing_saves_count_what_du_counts(jp_fetch, home):
    scanned = await get_usage(jp_fetch)
    assert counted(scanned) == du_style(home)
    previous = scanned
    for size in (64 * 1024, 600 * 1024, 3 * MiB):
        # The save: the first one creates the notebook, .ipynb_checkpoints and the checkpoint.
        await save(jp_fetch, "notebooks/analysis.ipynb", notebook(size))
        usage = await get_usage(jp_fetch)
        assert usage["scanned_at"] == scanned["scanned_at"], "the save must not cause a rescan"
        assert usage["updated_at"] > previous["updated_at"], "the save's update must be applied"
        assert counted(usage) == du_style(home)
        previous = usage

        # What JupyterLab sends next on Ctrl+S: the checkpoint, now as large as the notebook.
        await create_checkpoint(jp_fetch, "notebooks/analysis.ipynb")
        usage = await get_usage(jp_fetch)
        assert usage["scanned_at"] == scanned["scanned_at"]
        assert usage["updated_at"] > previous["updated_at"]
        assert counted(usage) == du_style(home)
        checkpoint = next(f for f in usage["largest_files"] if f["path"] == CHECKPOINT)
        assert checkpoint["bytes"] == os.lstat(home / CHECKPOINT).st_blocks * 512
        previous = usage

    percent = round(100.0 * du_style(home)["used"] / (20 * MiB), 2)
    assert previous["percent"] == percent
    # A rescan finds nothing the updates missed.
    assert counted(await get_usage(jp_fetch, refresh=True)) == counted(previous)
    # And the test's count is du's.
    du = subprocess.run(["du", "-sxB1", str(home)], capture_output=True, text=True, check=True)
    assert previous["used"] == int(du.stdout.split()[0])


async def test_a_hard_linked_notebook_is_counted_once(jp_fetch, home):
    (home / "notebooks" / "shared.ipynb").write_text(json.dumps(notebook(1024)))
    (home / "backup").mkdir()
    os.link(home / "notebooks" / "shared.ipynb", home / "backup" / "shared.ipynb")
    scanned = await get_usage(jp_fetch)
    await save(jp_fetch, "notebooks/shared.ipynb", notebook(MiB))
    usage = await get_usage(jp_fetch)
    assert usage["scanned_at"] == scanned["scanned_at"]
    assert os.lstat(home / "backup" / "shared.ipynb").st_size > MiB, "saved in place"
    assert counted(usage) == du_style(home)


async def test_a_new_folder_counts_as_a_folder(jp_fetch, home):
    scanned = await get_usage(jp_fetch)
    body = json.dumps({"type": "directory"})
    await jp_fetch("api", "contents", "notebooks", "drafts", method="PUT", body=body)
    usage = await get_usage(jp_fetch)
    assert usage["scanned_at"] == scanned["scanned_at"]
    assert usage["updated_at"] > scanned["updated_at"]
    assert counted(usage) == du_style(home)


async def test_a_chunked_upload_counts_every_chunk(jp_fetch, home):
    # JupyterLab uploads a large file in chunks; the pre-save hook runs at the first, the
    # post-save hook at the last.
    scanned = await get_usage(jp_fetch)
    for chunk in (1, 2, -1):
        body = {
            "type": "file",
            "format": "base64",
            "chunk": chunk,
            "content": base64.b64encode(os.urandom(MiB)).decode(),
        }
        await jp_fetch("api", "contents", "data", "big.bin", method="PUT", body=json.dumps(body))
    usage = await get_usage(jp_fetch)
    assert (home / "data" / "big.bin").stat().st_size == 3 * MiB
    assert usage["scanned_at"] == scanned["scanned_at"]
    assert counted(usage) == du_style(home)


@pytest.mark.parametrize("manager", [FileContentsManager, AsyncFileContentsManager])
async def test_checkpoints_are_counted_with_sync_and_async_managers(manager, tmp_path):
    # The core's sync save calls create_checkpoint without awaiting it: the patch must keep
    # it sync there, or the first checkpoint is never written.
    home = os.path.realpath(tmp_path)
    monitor = UsageMonitor(home, None, processes=1)
    scanned_at = (await monitor.get())["scanned_at"]
    contents = manager(root_dir=home)
    watch_saves(contents, monitor)
    model = {"type": "notebook", "format": "json", "content": notebook(200 * 1024)}
    await contents.save(model, "a.ipynb")
    assert os.path.isfile(os.path.join(home, ".ipynb_checkpoints", "a-checkpoint.ipynb"))
    assert counted(monitor.to_json()) == du_style(home)

    model["content"] = notebook(MiB)
    await contents.save(model, "a.ipynb")
    checkpoint = contents.create_checkpoint("a.ipynb")
    if inspect.iscoroutinefunction(manager.create_checkpoint):
        checkpoint = await checkpoint
    assert checkpoint["id"] == "checkpoint"
    assert counted(monitor.to_json()) == du_style(home)
    assert monitor.scanned_at == scanned_at, "counted by the updates, not by a rescan"
