"""The one place the acting user enters planflow, as `clock` is for time.

The OS login is what the operating system proves: the name of the process's real user id,
not the LOGNAME/USER variables (getpass reads those first, and anyone can set them).
PLANFLOW_USER only *claims* a name; services.identity decides whether the claim stands.

The web edge is the other way in: there the person is proven by a signed link or session
cookie (planflow.links), and `signed_in` holds them for the request. A web request never
inherits the server process's OS login as an identity, so it can never be the administrator.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class WebPerson:
    """A person whose identity a verified signature proves, for one web request."""

    person_id: int
    unit_code: str
    email: str

    @property
    def login(self) -> str:
        return f"web:{self.email}"


_web: ContextVar[WebPerson | None] = ContextVar("planflow_web_person", default=None)


def web_person() -> WebPerson | None:
    return _web.get()


@contextmanager
def signed_in(person: WebPerson) -> Iterator[None]:
    """Run the use cases inside as `person` (the web edge, after verifying a signature)."""
    token = _web.set(person)
    try:
        yield
    finally:
        _web.reset(token)


def os_login() -> str:
    """The login of the user running this process."""
    try:
        import pwd
    except ImportError:  # Windows: no uid database, the session's user name is what there is
        return getpass.getuser()
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:  # a uid with no passwd entry (some containers)
        return str(os.getuid())


def claimed_user() -> str:
    """The signed-in web person, else PLANFLOW_USER when set, else the OS login."""
    if (person := _web.get()) is not None:
        return person.login
    return os.environ.get("PLANFLOW_USER", "").strip() or os_login()


def claims_other() -> bool:
    """True when PLANFLOW_USER names someone other than the OS login (never on the web,
    where the identity is proven, not claimed)."""
    if _web.get() is not None:
        return False
    return claimed_user() != os_login()
