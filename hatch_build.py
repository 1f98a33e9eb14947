"""Wheel build hook: compile the scan's per-folder loop (jupyterlab_datalake/home/_walker.c).

With a C compiler the library goes into the source tree (where the tests find it, as the
built labextension does) and into the wheel, which is then tagged for this platform. Without
one the wheel stays pure Python and the scan uses its Python loop, which counts the same.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sysconfig

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class WalkerBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        home = os.path.join(self.root, "jupyterlab_datalake", "home")
        # Loaded by path: the package itself needs jupyter_server, which a build lacks.
        spec = importlib.util.spec_from_file_location(
            "walker_build", os.path.join(home, "walker_build.py")
        )
        builder = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(builder)
        target = os.path.join(home, builder.LIBRARY)
        try:
            built = builder.build(target)
        except subprocess.CalledProcessError as exc:
            raise RuntimeError(f"compiling {builder.SOURCE} failed:\n{exc.stderr}") from exc
        if built is None:
            self.app.display_warning("no C compiler: the home scan uses its pure-Python loop")
            return
        build_data["force_include"][built] = f"jupyterlab_datalake/home/{builder.LIBRARY}"
        build_data["pure_python"] = False
        # ctypes loads it: any Python 3 on this platform, no ABI of CPython's involved.
        platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        build_data["tag"] = f"py3-none-{platform}"
