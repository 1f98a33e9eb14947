"""Wheel build hook: compile the package's C parts (see jupyterlab_datalake/native_build.py):
the scan's per-folder loop (home/_walker.c) and the MD5 of download parts (transfers/_md5lanes.c).

With a C compiler the libraries go into the source tree (where the tests find them, as the
built labextension does) and into the wheel, which is then tagged for this platform. Without
one the wheel stays pure Python: the scan uses its Python loop and downloads hashlib, with the
same results.
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
        package = os.path.join(self.root, "jupyterlab_datalake")
        # Loaded by path: the package itself needs jupyter_server, which a build lacks.
        spec = importlib.util.spec_from_file_location(
            "native_build", os.path.join(package, "native_build.py")
        )
        builder = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(builder)
        for folder, source, library in builder.PARTS:
            target = os.path.join(package, folder, library)
            try:
                built = builder.build(target, os.path.join(package, folder, source))
            except subprocess.CalledProcessError as exc:
                raise RuntimeError(f"compiling {source} failed:\n{exc.stderr}") from exc
            if built is None:
                self.app.display_warning(f"no C compiler: {source} is not built")
                return
            build_data["force_include"][built] = f"jupyterlab_datalake/{folder}/{library}"
        build_data["pure_python"] = False
        # ctypes loads it: any Python 3 on this platform, no ABI of CPython's involved.
        platform = sysconfig.get_platform().replace("-", "_").replace(".", "_")
        build_data["tag"] = f"py3-none-{platform}"
