"""The one place the acting user enters planflow, as `clock` is for time.

The OS login is what the operating system proves: the name of the process's real user id,
not the LOGNAME/USER variables (getpass reads those first, and anyone can set them).
PLANFLOW_USER only *claims* a name; services.identity decides whether the claim stands.
"""

from __future__ import annotations

import getpass
import os


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
    """PLANFLOW_USER when set, else the OS login."""
    return os.environ.get("PLANFLOW_USER", "").strip() or os_login()


def claims_other() -> bool:
    """True when PLANFLOW_USER names someone other than the OS login."""
    return claimed_user() != os_login()
