"""The build hook that puts the sample portfolio inside the package.

The sample lives once in the repository, in data/dongcheng/ (the guide keeps data at the top level).
A wheel carries it as portfolio_graph/sample_data/dongcheng, copied there at build time; an
editable install reads the checkout's copy instead (see ``portfolio_graph.sample.package_data``).
Everything else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

SAMPLE = Path(__file__).resolve().parent / "data" / "dongcheng"


class BuildPyWithSample(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads data/ from the checkout
        if not SAMPLE.is_dir():
            raise SystemExit(f"the sample portfolio {SAMPLE} is missing: build from a checkout or an sdist")
        target = Path(self.build_lib) / "portfolio_graph" / "sample_data" / SAMPLE.name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPyWithSample})
