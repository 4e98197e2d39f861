"""Packs the top-level resources/ folder (fonts, catalogs, icons, the sample catalog) into the
wheel as pos_app/resources/, where resource_path() finds an installed copy. Everything else is
declared in pyproject.toml; this file exists because pyproject.toml cannot map a folder that
sits outside the package into it."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["pos_app", "pos_app.*"]), "pos_app.resources"],
    package_dir={"pos_app.resources": "resources"},
    package_data={"pos_app.resources": ["**/*"]},
)
