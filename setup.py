"""Packages for setuptools (the rest of the configuration is in pyproject.toml).

The data folders profiles/, index_mappings/ and seeds/ stay at the top of the repository, where they are
edited, and are installed as oniondex.bundled.* (read with oniondex.bundled.bundled()).
"""

from setuptools import find_namespace_packages, setup

RUNTIME = ["oniondex*", "crawler*", "pipelines*", "sample_darknet*", "sample_telegram*", "web*"]
BUNDLED = {f"oniondex.bundled.{folder}": folder for folder in ("profiles", "index_mappings", "seeds")}

setup(
    packages=[*find_namespace_packages(include=RUNTIME), *BUNDLED],
    package_dir=BUNDLED,
)
