"""One settings object: every `TRASA_*` environment variable the program reads.

- `TRASA_CACHE_DIR`: downloaded road graphs (osmnx); default the user cache folder,
  e.g. `~/.cache/trasa`.
- `TRASA_DATA_DIR`: the embedded database and other files Trasa keeps; default the
  user data folder, e.g. `~/.local/share/trasa`.
- `TRASA_LOG_LEVEL`: logging level of the command line; default `WARNING`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from platformdirs import user_cache_path, user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "trasa"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRASA_", extra="ignore", frozen=True)

    cache_dir: Path = Field(default_factory=lambda: user_cache_path(APP_NAME))
    data_dir: Path = Field(default_factory=lambda: user_data_path(APP_NAME))
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "WARNING"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings read from the environment once per process."""
    return Settings()
