"""The save patch (home/saves.py) wraps jupyter_server's ContentsManager.save, which has no
hook for a failed save: these tests fail when the core method it wraps changes shape, before
a user meets a save that breaks."""

from __future__ import annotations

import inspect

import pytest
from jupyter_server.services.contents.filemanager import (
    AsyncFileContentsManager,
    FileContentsManager,
)
from jupyter_server.services.contents.manager import (
    AsyncContentsManager,
    ContentsManager,
)

from jupyterlab_datalake.home.saves import CHECKPOINT_PARAMETERS, SAVE_PARAMETERS, patch_save
from jupyterlab_datalake.home.usage import UsageMonitor


@pytest.mark.parametrize(
    "manager",
    [ContentsManager, AsyncContentsManager, FileContentsManager, AsyncFileContentsManager],
)
@pytest.mark.parametrize(
    "method, passed",
    [("save", SAVE_PARAMETERS), ("create_checkpoint", CHECKPOINT_PARAMETERS)],
)
def test_core_methods_take_what_the_patches_pass_on(manager, method, passed):
    """The two patches of jupyter_server pass these parameters on; a change of the core's
    signature fails here rather than at a user's save."""
    parameters = list(inspect.signature(getattr(manager, method)).parameters.values())
    assert [p.name for p in parameters] == ["self", *passed]
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD for p in parameters)


@pytest.mark.parametrize("manager", [FileContentsManager, AsyncFileContentsManager])
async def test_the_patched_save_still_saves(manager, tmp_path):
    contents = manager(root_dir=str(tmp_path))
    patch_save(contents, UsageMonitor(str(tmp_path), None))
    assert contents.save.__wrapped__ is not None
    model = await contents.save({"type": "file", "format": "text", "content": "hi"}, "a.txt")
    assert model["name"] == "a.txt"
    assert (tmp_path / "a.txt").read_text() == "hi"
