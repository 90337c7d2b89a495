"""Every configurable value, read once from the environment.

Nothing else in the code reads os.environ: a new knob is added here, documented in
docs/operations.md, and imported where needed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The embedded database of a checkout: the only one demo data goes into without being asked.
DEFAULT_DB_URL = f"sqlite:///{PROJECT_ROOT / 'data' / 'netsign.db'}"


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def _env_int(name: str, default: int) -> int:
    return int(_env(name, str(default)))


def _env_decimal(name: str, default: str) -> Decimal:
    # A tolerance is a quantity of m²: never a float (FEATURES §5.7).
    text = _env(name, default)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{name}={text!r} is not a decimal number") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{name}={text!r} must be a number >= 0")
    return value


def _env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    value = _env(name, default).strip().lower()
    if value not in choices:
        raise ValueError(f"{name}={value!r} must be one of {', '.join(choices)}")
    return value


SURVEY_IMPORT_MODES = ("query", "file")
FUND_KEY_RULES = ("area", "ratio")


@dataclass(frozen=True)
class Settings:
    # Embedded SQLite by default; PostgreSQL in production (postgresql+psycopg2://...).
    db_url: str = field(default_factory=lambda: _env("NETSIGN_DB_URL", DEFAULT_DB_URL))
    # Empty: Reflex keeps state on disk with one worker. Set: Redis, and Reflex runs 2×cores+1 workers.
    redis_url: str = field(default_factory=lambda: _env("NETSIGN_REDIS_URL", ""))
    port: int = field(default_factory=lambda: _env_int("NETSIGN_PORT", 8000))
    # The city whose name prefixes case types (【长沙市】商品房预售签约) and picks local rules.
    city: str = field(default_factory=lambda: _env("NETSIGN_CITY", "长沙市"))
    timezone: str = field(default_factory=lambda: _env("NETSIGN_TIMEZONE", "Asia/Shanghai"))
    # The city's administrative division code, part of every contract number (YS430100-2026-000017).
    city_code: str = field(default_factory=lambda: _env("NETSIGN_CITY_CODE", "430100"))
    # Scans, contracts and ID copies: never under Reflex's public upload directory.
    private_dir: Path = field(
        default_factory=lambda: Path(_env("NETSIGN_PRIVATE_DIR", str(PROJECT_ROOT / "data" / "private")))
    )
    session_hours: int = field(default_factory=lambda: _env_int("NETSIGN_SESSION_HOURS", 8))
    # A session nobody used for this long ends, whatever its lifetime says.
    session_idle_minutes: int = field(default_factory=lambda: _env_int("NETSIGN_SESSION_IDLE_MINUTES", 30))
    lockout_attempts: int = field(default_factory=lambda: _env_int("NETSIGN_LOCKOUT_ATTEMPTS", 5))
    lockout_minutes: int = field(default_factory=lambda: _env_int("NETSIGN_LOCKOUT_MINUTES", 15))
    # Extension packages with further case types (their models, admins and flows), comma-separated.
    extensions: tuple[str, ...] = field(
        default_factory=lambda: tuple(p.strip() for p in _env("NETSIGN_EXTENSIONS", "").split(",") if p.strip())
    )
    # The address printed in every document's QR code and verify link (/verify/<code>): the
    # console as the public reaches it, e.g. https://wq.example.gov.cn; no trailing slash.
    public_url: str = field(
        default_factory=lambda: _env("NETSIGN_PUBLIC_URL", f"http://localhost:{_env_int('NETSIGN_PORT', 8000)}").rstrip("/")
    )
    # The filing authority's signing key and certificate chain (python -m netsign_console.documents keys).
    keys_dir: Path = field(default_factory=lambda: Path(_env("NETSIGN_KEYS_DIR", str(PROJECT_ROOT / "data" / "keys"))))
    # A TrueType CJK font (a .ttc collection is fine) embedded in every PDF; Debian: fonts-wqy-zenhei.
    pdf_font: Path = field(
        default_factory=lambda: Path(_env("NETSIGN_PDF_FONT", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"))
    )
    # Requests per minute one client (IP address) may make to the public verify page.
    verify_rate_limit: int = field(default_factory=lambda: _env_int("NETSIGN_VERIFY_RATE_LIMIT", 30))
    # 销售单价 = 毛坯单价 + 装修单价 (shell_plus_decoration) or typed room by room (typed) (SURV-06).
    sale_price_rule: str = field(default_factory=lambda: _env("NETSIGN_SALE_PRICE_RULE", "shell_plus_decoration"))
    # SURV-15: 建筑面积 = 套内面积 + 分摊面积 within ± this many m² (GB/T 17986; unverified, so configurable).
    # Also the tolerance of a building's area against the sum of its rooms (a warning only).
    area_tolerance: Decimal = field(default_factory=lambda: _env_decimal("NETSIGN_AREA_TOLERANCE", "0.01"))
    # SURV-01: how this city's survey filings take their survey: "query" (查询导入: pick a result of the
    # survey office's library by its 测绘宗号) or "file" (文件导入: the filing case uploads the file).
    survey_import_mode: str = field(
        default_factory=lambda: _env_choice("NETSIGN_SURVEY_IMPORT_MODE", "query", SURVEY_IMPORT_MODES)
    )
    # 重点监管资金 (FUND-02, FEATURES §5 decision 3): the city's rule. "area": Σ 建筑面积 of the
    # supervised rooms × the regulator's standard per m²; "ratio": 项目预售总额 × the regulator's
    # ratio (both set in the console: 重点监管资金标准). An agreement keeps what it was computed with.
    fund_key_rule: str = field(default_factory=lambda: _env_choice("NETSIGN_FUND_KEY_RULE", "area", FUND_KEY_RULES))
    # Who delivers SMS (FEATURES §5 decision 6): "outbox" (the local implementation: the
    # regulator's 短信发件箱, nothing leaves the console) or "package.module:ClassName" of a provider.
    sms_sender: str = field(default_factory=lambda: _env("NETSIGN_SMS_SENDER", "outbox"))
    # Mixed into the hash of every SMS code; empty: a random one kept in keys_dir/sms-pepper.key.
    sms_pepper: str = field(default_factory=lambda: _env("NETSIGN_SMS_PEPPER", ""))
    # Seconds before another code may be sent to the same phone for the same thing.
    sms_resend_seconds: int = field(default_factory=lambda: _env_int("NETSIGN_SMS_RESEND_SECONDS", 60))
    # Seal images (印章, SIGN-12): PNG or JPEG, at most this many bytes and pixels a side.
    seal_max_bytes: int = field(default_factory=lambda: _env_int("NETSIGN_SEAL_MAX_BYTES", 1024 * 1024))
    seal_max_pixels: int = field(default_factory=lambda: _env_int("NETSIGN_SEAL_MAX_PIXELS", 2000))
    # Demo accounts have a published password: they go into the embedded default database
    # only, or wherever this is set to 1 explicitly (never implied by a production URL).
    load_demo: bool = field(default_factory=lambda: _env("NETSIGN_LOAD_DEMO", "0") == "1")

    @property
    def is_sqlite(self) -> bool:
        return self.db_url.startswith("sqlite")

    def demo_allowed(self, db_url: str | None = None) -> bool:
        return self.load_demo or (db_url or self.db_url) == DEFAULT_DB_URL


settings = Settings()
