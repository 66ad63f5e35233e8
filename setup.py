"""Builds netcrm._core with CMake and says where the package is; its metadata is in pyproject.toml.
(Package layout is here, not in [tool.setuptools], which Debian 12's setuptools 66 calls beta.)

The CMake build directory is build/py-<interpreter tag> in the source tree and persists across pip
runs, so a rebuild after a small change recompiles only what changed. (pip >= 21.3 builds in the
source tree, so the directory is found again.)
"""

import os
import subprocess
import sys
from pathlib import Path

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class CMakeExtension(Extension):
    """An extension whose sources CMake knows; setuptools only learns its name."""

    def __init__(self, name: str) -> None:
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext: Extension) -> None:
        # Where setuptools will look for the built file; CMake writes the module straight there.
        target = Path(self.get_ext_fullpath(ext.name)).resolve()
        build_dir = ROOT / "build" / f"py-{sys.implementation.cache_tag}"
        configure = [
            "cmake", "-S", str(ROOT), "-B", str(build_dir),
            "-DCMAKE_BUILD_TYPE=Release",
            "-DNETCRM_BUILD_TESTS=OFF",
            "-DNETCRM_INSTALL=OFF",
            f"-DPython_EXECUTABLE={sys.executable}",
            f"-DNETCRM_PYTHON_OUTPUT_DIR={target.parent}",
        ]
        # Configure only when the arguments changed: `cmake --build` re-runs it by itself when a
        # CMakeLists.txt changes, and a needless configure costs seconds on every pip run.
        stamp = build_dir / "setup-py-configure-args"
        wanted = "\n".join(configure)
        if not (build_dir / "CMakeCache.txt").exists() or not stamp.exists() or stamp.read_text() != wanted:
            subprocess.run(configure, check=True)
            stamp.write_text(wanted)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL") or str(os.cpu_count() or 1)
        subprocess.run(["cmake", "--build", str(build_dir), "--target", "_core", "--parallel", jobs], check=True)
        if not target.exists():
            raise RuntimeError(f"CMake built _core, but not as {target}: does the module suffix match "
                               f"this interpreter's EXT_SUFFIX?")


class CleanBuildPy(build_py):
    """Empties setuptools' build/lib first: setuptools never does, so a module deleted from python/
    would still ship in every later wheel. The extension stays, so CMake need not relink it."""

    def run(self) -> None:
        build_lib = Path(self.build_lib).resolve()
        if build_lib.is_dir() and build_lib.is_relative_to(ROOT / "build"):
            ext_cmd = self.get_finalized_command("build_ext")
            keep = {Path(ext_cmd.get_ext_fullpath(e.name)).resolve() for e in self.distribution.ext_modules}
            for f in build_lib.rglob("*"):
                if f.is_file() and f not in keep:
                    f.unlink()
        super().run()


entry_points = {}
if (ROOT / "python" / "netcrm" / "__main__.py").exists():
    entry_points["console_scripts"] = ["netcrm = netcrm.__main__:main"]

# setuptools' own scratch space goes under build/ too, not into python/ (egg-info) or beside it.
(ROOT / "build" / "setuptools").mkdir(parents=True, exist_ok=True)
setup(
    package_dir={"": "python"},
    packages=find_packages(where="python"),  # subpackages too, as they are added
    # Stubs and the PEP 561 marker ship with the package so type checkers see _core's signatures.
    package_data={"netcrm": ["py.typed", "_core.pyi"]},
    ext_modules=[CMakeExtension("netcrm._core")],
    cmdclass={"build_py": CleanBuildPy, "build_ext": CMakeBuild},
    entry_points=entry_points,
    options={
        "build": {"build_base": "build/setuptools"},
        "egg_info": {"egg_base": "build/setuptools"},
    },
)
