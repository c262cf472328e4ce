"""The installed package: its layout, public names and version."""

from __future__ import annotations

import importlib.metadata
import pathlib
import sysconfig

import sectigo_revoke
from sectigo_revoke import _native


def test_installed_package_is_tested() -> None:
    # The suite must exercise the wheel as a user installs it, not the source tree.
    site_packages = pathlib.Path(sysconfig.get_paths()["purelib"]).resolve()
    package = pathlib.Path(sectigo_revoke.__file__).resolve().parent

    assert package.parent == site_packages


def test_native_module_is_abi3() -> None:
    native = pathlib.Path(_native.__file__ or "")

    assert _native.__name__ == "sectigo_revoke._native"
    assert native.name.endswith(".abi3.so")


def test_typing_files_shipped() -> None:
    package = pathlib.Path(sectigo_revoke.__file__).parent

    assert (package / "py.typed").is_file()
    assert (package / "_native.pyi").is_file()


def test_version_matches_distribution() -> None:
    assert sectigo_revoke.__version__ == importlib.metadata.version("sectigo-revoke")
    assert sectigo_revoke.__version__ == "0.1.0"


def test_public_names_exported() -> None:
    for name in sectigo_revoke.__all__:
        assert hasattr(sectigo_revoke, name), name
    assert "Client" in sectigo_revoke.__all__
    assert "_native" not in sectigo_revoke.__all__
    assert sectigo_revoke.DEFAULT_TIMEOUT == 30.0
    assert sectigo_revoke.DEFAULT_CONNECT_TIMEOUT == 10.0
