"""Jabber/XMPP ids are written like e-mail addresses: they are reported as `jabber`, never as `email`."""

from __future__ import annotations

import pytest

from oniondex.entities import extract_entities


def found(page_factory, html: str) -> set[tuple[str, str]]:
    return {(e.type, e.value) for e in extract_entities(page_factory(html), "2026-01-01T00:00:00Z")}


@pytest.mark.parametrize(
    "html",
    [
        "<p>Jabber: IceMan@jabber.example.org</p>",
        "<p>XMPP/Jabber - iceman@chat.example.net</p>",
        "<p>contact me (jabber): iceman@chat.example.net</p>",
        "<p>JID iceman@chat.example.net</p>",
        "<p>Jabber ID: iceman@chat.example.net</p>",
        '<a href="xmpp:iceman@chat.example.net">chat</a>',
        "<p>Write to iceman@exploit.im for prices</p>",
        "<p>Write to iceman@xmpp.example.org for prices</p>",
    ],
)
def test_labelled_or_hosted_jabber_ids_are_not_emails(page_factory, html: str) -> None:
    entities = found(page_factory, html)
    assert ("jabber", next(v for t, v in entities if t == "jabber")) in entities
    assert not any(t == "email" for t, _ in entities)


def test_email_and_jabber_on_one_line_keep_their_own_labels(page_factory) -> None:
    entities = found(page_factory, "<p>Jabber: ice@chat.example.net | Email: sales@shop.example.com</p>")
    assert ("jabber", "ice@chat.example.net") in entities
    assert ("email", "sales@shop.example.com") in entities


@pytest.mark.parametrize(
    "html",
    [
        "<p>Email: sales@shop.example.com</p>",
        "<p>jabber is down, mail sales@shop.example.com instead</p>",
        "<p>Jabber users: use the form.\nOrders: sales@shop.example.com</p>",
    ],
)
def test_plain_emails_stay_emails(page_factory, html: str) -> None:
    assert found(page_factory, html) == {("email", "sales@shop.example.com")}
