"""An investigator's session for one site: cookies, or credentials with a login profile."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StoredCookie:
    name: str
    value: str
    domain: str
    path: str = "/"
    secure: bool = False
    expires: int | None = None


@dataclass(frozen=True)
class LoginProfile:
    """How to log in: the form (CSS selector), its field names, the captcha, and what success looks like.
    Empty fields are found on the page: the form with a password input, its text input before it."""

    login_path: str = "/login"
    form: str = ""
    username_field: str = ""
    password_field: str = ""
    captcha_image: str = ""  # CSS selector of the captcha <img>; default: an img whose src or class says captcha
    captcha_field: str = ""
    success: str = ""  # CSS selector that must match after the login; default: the page is not a wall


@dataclass(frozen=True)
class Session:
    name: str
    site: str  # the onion host; cookies travel to this host only
    cookies: tuple[StoredCookie, ...] = ()
    username: str = ""
    password: str = ""
    profile: LoginProfile | None = None
    delay: float | None = None  # seconds between this site's requests; None: ONIONDEX_SESSION_DELAY
    updated: str = ""

    @property
    def has_credentials(self) -> bool:
        return self.profile is not None and bool(self.username or self.profile.captcha_image)
