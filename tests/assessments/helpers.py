import datetime
import re
from html import unescape

from django.core import mail

from atout.assessments.models import Referent

LINK_RE = re.compile(r"https?://\S+/avis/([\w-]+)/")


def link_token(message) -> str:
    """The one-time token in an emailed referent link."""
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def last_token(to: str) -> str:
    message = [m for m in mail.outbox if to in m.to][-1]
    return link_token(message)


def spent(token_owner_email: str, seconds: int) -> None:
    """The referent took ``seconds`` to read and answer (moves the opening time back)."""
    referent = Referent.objects.get(email=token_owner_email)
    referent.opened_at = referent.opened_at - datetime.timedelta(seconds=seconds)
    referent.save(update_fields=["opened_at"])


def answers_form(codes, value) -> dict[str, str]:
    return {f"item-{code}": str(value) for code in codes}


def text(response) -> str:
    """The page as a person reads it (entities decoded)."""
    return unescape(response.content.decode())


def tampered(token: str) -> str:
    """The same token with its last character changed (never equal to the original)."""
    return token[:-1] + ("B" if token.endswith("A") else "A")
