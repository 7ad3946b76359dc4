"""The login flow: an anti-DDoS queue waited out, the login form filled (its CSRF token and hidden fields
kept), a captcha answered by a person (never by oniondex), success checked; the cookies come back.

Everything goes through the `httpx.Client` given, which the caller binds to the site's own Tor circuit;
the flow never leaves the site's host (a form or redirect pointing elsewhere is refused).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpx
import lxml.html

from oniondex.page import Page
from oniondex.sessions.model import LoginProfile, StoredCookie
from oniondex.sessions.walls import WallRules, classify_wall

# The person's answer to a captcha image (its bytes and content type).
CaptchaSolver = Callable[[bytes, str], str]
MAX_QUEUE_WAITS = 5
MAX_QUEUE_WAIT = 10.0
MAX_REDIRECTS = 5
_CAPTCHA_IMG = ".//img[contains(translate(@src,'CAPTCHA','captcha'),'captcha') or contains(@class,'captcha')]"


class LoginFailed(RuntimeError):
    """The login did not succeed; the message says where it stopped."""


@dataclass(frozen=True)
class Credentials:
    username: str = ""
    password: str = ""


def log_in(
    client: httpx.Client,
    base: str,
    profile: LoginProfile,
    credentials: Credentials,
    rules: WallRules,
    solve_captcha: CaptchaSolver | None = None,
) -> tuple[StoredCookie, ...]:
    host = urlsplit(base).hostname or ""
    response = _past_queue(client, urljoin(base, profile.login_path), host, rules)
    tree = lxml.html.fromstring(response.content)
    form = _form(tree, profile)
    fields = _fields(form)
    user_field, pass_field = _credential_fields(form, profile)
    if pass_field:
        fields[user_field], fields[pass_field] = credentials.username, credentials.password
    captcha = form.cssselect(profile.captcha_image) if profile.captcha_image else form.xpath(_CAPTCHA_IMG)
    if captcha:
        if solve_captcha is None:
            raise LoginFailed("the login has a captcha: a person must run `oniondex session login`")
        image = _get(client, urljoin(str(response.url), captcha[0].get("src", "")), host)
        fields[_captcha_field(form, profile, user_field)] = solve_captcha(
            image.content, image.headers.get("Content-Type", "")
        )
    action = urljoin(str(response.url), form.get("action") or str(response.url))
    _same_host(action, host)
    landed = _follow(client, client.request((form.get("method") or "post").upper(), action, data=fields), host)
    _check_success(landed, profile, rules)
    return tuple(
        StoredCookie(c.name, c.value or "", c.domain, c.path, c.secure, c.expires)
        for c in client.cookies.jar
        if c.domain.lstrip(".") == host
    )


def _past_queue(client: httpx.Client, url: str, host: str, rules: WallRules) -> httpx.Response:
    for _ in range(MAX_QUEUE_WAITS):
        response = _get(client, url, host)
        wall = classify_wall(_page(response), rules)
        if wall is None or wall.kind != "queue":
            return response
        refresh = response.headers.get("Refresh", "3").split(";", 1)[0]
        time.sleep(min(float(refresh or 3), MAX_QUEUE_WAIT))
    raise LoginFailed(f"still in the anti-DDoS queue after {MAX_QUEUE_WAITS} tries")


def _page(response: httpx.Response) -> Page:
    return Page(
        str(response.url), response.content, response.headers.get("Content-Type", "text/html"), response.status_code
    )


def _get(client: httpx.Client, url: str, host: str) -> httpx.Response:
    _same_host(url, host)
    return _follow(client, client.get(url), host)


def _follow(client: httpx.Client, response: httpx.Response, host: str) -> httpx.Response:
    for _ in range(MAX_REDIRECTS):
        if not response.is_redirect:
            return response
        target = urljoin(str(response.url), response.headers["Location"])
        _same_host(target, host)
        response = client.get(target)
    raise LoginFailed(f"more than {MAX_REDIRECTS} redirects")


def _same_host(url: str, host: str) -> None:
    if (urlsplit(url).hostname or "").lower() != host:
        raise LoginFailed(f"the login points off the site ({url}): refused")


def _form(tree: lxml.html.HtmlElement, profile: LoginProfile) -> lxml.html.FormElement:
    if profile.form:
        found = tree.cssselect(profile.form)
    else:
        found = tree.xpath("//form[.//input[@type='password']]") or tree.xpath(f"//form[{_CAPTCHA_IMG}]")
    if not found:
        raise LoginFailed(f"no login form ({profile.form or 'a form with a password or captcha'}) on the page")
    return found[0]


def _fields(form: lxml.html.FormElement) -> dict[str, str]:
    """Every named input's value as the page gives it: the CSRF token and other hidden fields go back."""
    return {el.get("name"): el.get("value", "") for el in form.xpath(".//input[@name]") if el.get("type") != "submit"}


def _credential_fields(form: lxml.html.FormElement, profile: LoginProfile) -> tuple[str, str]:
    password = profile.password_field or next(iter(form.xpath(".//input[@type='password']/@name")), "")
    if not password:
        return "", ""  # a captcha-only form: its text field is the captcha's
    texts = form.xpath(".//input[not(@type) or @type='text' or @type='email']/@name")
    return profile.username_field or next(iter(texts), ""), password


def _captcha_field(form: lxml.html.FormElement, profile: LoginProfile, user_field: str) -> str:
    if profile.captcha_field:
        return profile.captcha_field
    texts = [n for n in form.xpath(".//input[not(@type) or @type='text']/@name") if n != user_field]
    named = [n for n in texts if any(word in n.lower() for word in ("captcha", "answer", "code"))]
    if not (named or texts):
        raise LoginFailed("no field for the captcha's answer: give the login profile's captcha_field")
    return (named or texts)[0]


def _check_success(response: httpx.Response, profile: LoginProfile, rules: WallRules) -> None:
    if profile.success:
        if not lxml.html.fromstring(response.content or b"<html/>").cssselect(profile.success):
            raise LoginFailed(f"logged-in check {profile.success!r} not found after the login ({response.url})")
        return
    wall = classify_wall(_page(response), rules)
    if wall is not None:
        raise LoginFailed(f"the login landed on a {wall.kind} page ({response.url})")


def tor_client(site: str, proxy_setting: str, timeout: float = 60.0) -> httpx.Client:
    """An httpx client for one site, through its Tor client and on its own circuit (the crawl's SOCKS
    username for the site), so the login and the crawl share one circuit and nothing else does."""
    from crawler.middlewares.tor_proxy import circuit_username, parse_proxies, proxy_for
    from crawler.settings import USER_AGENT

    scheme, rest = proxy_for(site, parse_proxies(proxy_setting)).split("://", 1)
    proxy = f"{scheme}://{circuit_username(site)}:x@{rest}"
    headers = {"User-Agent": USER_AGENT}
    return httpx.Client(proxy=proxy, timeout=timeout, follow_redirects=False, headers=headers, trust_env=False)
