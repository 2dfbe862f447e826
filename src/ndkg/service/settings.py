"""Settings of the web service, read from ``NDKG_*`` environment variables.

>>> ServiceSettings(home="out", cors_origins="https://a.example, https://b.example").cors_origins
['https://a.example', 'https://b.example']
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Where the build is, where to listen, which web origins may call the service, its limits
    (see ``docs/limits.md``) and who may write (see ``docs/writes.md``)."""

    # Errors never repeat the input: it may be the write token.
    model_config = SettingsConfigDict(env_prefix="NDKG_", extra="ignore", hide_input_in_errors=True)

    home: Path = Field(default=Path("build"), description="Build folder holding `current`.")
    backend: str | None = Field(
        default=None,
        description="SPARQL endpoint serving the published graph (`ndkg publish`), used "
        "instead of the build's own store; the build still gives the named questions.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["*"],
        description="Origins allowed to call the service from a browser; `*` allows all.",
    )
    query_timeout: float = Field(
        default=10.0, gt=0, description="Seconds a query may run before its worker is stopped."
    )
    write_timeout: float = Field(
        default=60.0, gt=0, description="Seconds a write may take, SHACL validation included."
    )
    query_workers: int = Field(
        default=2, ge=1, le=64,
        description="Query worker processes, and the most long queries running at once.",
    )
    quick_workers: int = Field(
        default=1, ge=1, le=64,
        description="Query worker processes kept beyond those for queries that finish quickly.",
    )
    quick_seconds: float = Field(
        default=0.5, gt=0,
        description="Seconds after which a running query counts as long.",
    )
    client_long_queries: int = Field(
        default=1, ge=1, description="Long queries one client (address) may run at once."
    )
    worker_memory: int = Field(
        default=2 * 2**30, ge=0,
        description="Address space of each query worker, in bytes (0: no limit).",
    )
    query_queue: int = Field(
        default=8, ge=0, description="Requests that may wait for a busy worker; more get 503."
    )
    write_queue: int = Field(
        default=16, ge=0, description="Writes that may wait for their turn; more get 503."
    )
    token_attempts: int = Field(
        default=10, ge=1,
        description="Wrong write tokens one client may send per `token_window`; then 429.",
    )
    token_window: float = Field(
        default=60.0, gt=0, description="Seconds over which wrong write tokens are counted."
    )
    public_url: str | None = Field(
        default=None,
        description="The service's public base URL, which relative IRIs in writes resolve "
        "against (default: http://HOST:PORT).",
    )
    max_body_bytes: int = Field(default=5 * 2**20, ge=1024, description="Largest request body.")
    max_query_length: int = Field(
        default=100_000, ge=100, description="Longest query or update, in characters."
    )
    max_query_depth: int = Field(
        default=200, ge=1, description="Deepest nesting of brackets in a query or update."
    )
    max_data_depth: int = Field(
        default=100, ge=1, description="Deepest nesting of objects and arrays in JSON sent."
    )
    max_result_rows: int = Field(
        default=10_000, ge=1, description="Rows (or triples) of a result; the rest is cut off."
    )
    answer_cache_bytes: int = Field(
        default=64 * 2**20, ge=0,
        description="Memory for answers kept for repeated queries and questions (0: none).",
    )
    service_allowlist: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description="Endpoints that SERVICE and LOAD may contact (exact IRIs); none by default.",
    )
    write_token: SecretStr | None = Field(
        default=None, description="Bearer token that writes need; writes are off without one."
    )
    write_token_file: Path | None = Field(
        default=None, description="A file holding the write token, instead of `write_token`."
    )
    shapes: Path | None = Field(
        default=None, description="SHACL shapes for writes (default: the build's `shapes/`)."
    )

    @field_validator("home", "shapes", "write_token_file")
    @classmethod
    def _resolve(cls, path: Path | None) -> Path | None:
        """Resolve a path once, where the settings are read: a relative path, a link or a
        ``..`` then names the same folder for every part of the service."""
        return None if path is None else path.resolve()

    @field_validator("cors_origins", "service_allowlist", mode="before")
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

    @field_validator("public_url")
    @classmethod
    def _check_public_url(cls, url: str | None) -> str | None:
        """Refuse anything but an http(s) URL, and drop a final slash."""
        if url is not None:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
                raise ValueError(f"not a base URL: {url!r} (expected e.g. https://example.org)")
            url = url.rstrip("/")
        return url

    @property
    def base_url(self) -> str:
        """The public base URL: ``public_url``, or ``http://HOST:PORT``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return self.public_url or f"http://{host}:{self.port}"

    @field_validator("backend")
    @classmethod
    def _check_backend(cls, backend: str | None) -> str | None:
        """Refuse anything but an http(s) URL."""
        if backend is not None:
            parts = urlsplit(backend)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"not a SPARQL endpoint URL: {backend!r}")
        return backend

    @field_validator("service_allowlist")
    @classmethod
    def _check_endpoints(cls, endpoints: list[str]) -> list[str]:
        """Refuse anything but absolute http(s) IRIs."""
        for endpoint in endpoints:
            parts = urlsplit(endpoint)
            if parts.scheme not in ("http", "https") or not parts.netloc:
                raise ValueError(f"not an endpoint IRI: {endpoint!r}")
        return endpoints

    @model_validator(mode="after")
    def _read_write_token(self) -> ServiceSettings:
        """Take the token from its file, and refuse an empty or short one."""
        if self.write_token_file is not None:
            if self.write_token is not None:
                raise ValueError("give the write token or a file holding it, not both")
            try:
                text = self.write_token_file.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                raise ValueError(f"cannot read the write token file: {exc}") from exc
            self.write_token = SecretStr(text)
        if self.write_token is not None and len(self.write_token.get_secret_value().strip()) < 16:
            raise ValueError("the write token must have at least 16 characters")
        return self
