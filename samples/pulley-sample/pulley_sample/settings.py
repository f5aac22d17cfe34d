"""Reads the [app:main] section of the INI file named by $PULLEY_SETTINGS, as PasteDeploy does."""

import configparser
import os
from pathlib import Path

ENVIRONMENT_VARIABLE = "PULLEY_SETTINGS"


def path():
    value = os.environ.get(ENVIRONMENT_VARIABLE)
    if not value:
        raise RuntimeError(f"${ENVIRONMENT_VARIABLE} must name the settings INI file")
    return Path(value)


def load(ini=None):
    """The [app:main] keys as a dict; %(here)s is the INI file's directory, as in PasteDeploy."""
    ini = Path(ini) if ini else path()
    parser = configparser.ConfigParser(
        defaults={"here": str(ini.parent.resolve()), "__file__": str(ini.resolve())}
    )
    with ini.open(encoding="utf-8") as stream:
        parser.read_file(stream)
    if not parser.has_section("app:main"):
        raise RuntimeError(f"{ini} has no [app:main] section")
    return {key: parser.get("app:main", key) for key in parser.options("app:main")}
