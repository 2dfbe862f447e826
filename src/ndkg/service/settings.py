"""Settings of the web service, read from ``NDKG_*`` environment variables.

>>> ServiceSettings(home="out", cors_origins="https://a.example, https://b.example").cors_origins
['https://a.example', 'https://b.example']
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Where the build is, where to listen and which web origins may call the service."""

    model_config = SettingsConfigDict(env_prefix="NDKG_", extra="ignore")

    home: Path = Field(default=Path("build"), description="Build folder holding `current`.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Origins allowed to call the service from a browser; `*` allows all.",
    )

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        """Accept a comma-separated string, as environment variables give it."""
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, origins: list[str]) -> list[str]:
        """Refuse anything but ``*`` or an origin such as ``https://example.org``."""
        for origin in origins:
            if origin == "*":
                continue
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                raise ValueError(
                    f"not a web origin: {origin!r} (expected e.g. https://example.org)"
                )
        return origins
