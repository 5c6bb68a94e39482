"""SMTP: the settings (storypack.toml and STORYPACK_SMTP_* variables) and one connection that delivers
one message to one recipient at a time, telling a refused recipient from a lost connection.

The password comes only from the environment (STORYPACK_SMTP_PASSWORD), never from a file. Mail goes
out over TLS (`starttls`, the default, or `tls`); `none` (no encryption) is allowed only to a server on
this machine (localhost, 127.0.0.1, ::1).
"""

from __future__ import annotations

import difflib
import smtplib
import ssl
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from generator.errors import StorypackError, UsageError

CONFIG_FILE = "storypack.toml"
KEYS = ("host", "port", "security", "user", "sender", "cafile", "timeout")
"""The keys of [smtp] in storypack.toml; each may also come from STORYPACK_SMTP_<KEY> (which wins)."""
PASSWORD = "STORYPACK_SMTP_PASSWORD"
SECURITY = {"starttls": 587, "tls": 465, "none": 25}
"""Each way of connecting and its usual port."""
LOOPBACK = ("localhost", "127.0.0.1", "::1")


class SendFailed(StorypackError):
    """The server could not be reached, refused the sender or the login, or TLS failed (exit code 1)."""


class Refused(Exception):
    """The server refused this recipient (or this message for them): the others still get it."""

    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


class ConnectionLost(Exception):
    """The connection was lost before the server accepted the message."""


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server."""

    host: str | None = None
    port: int | None = None
    security: str = "starttls"
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    sender: str | None = None
    """The From address, e.g. 'Halyard operations reviews <opsreview@example.com>' (default: the meeting's lead)."""
    cafile: str | None = None
    """Certificates to trust besides the system's (a PEM file), e.g. for a company's own CA."""
    timeout: float = 30.0

    @property
    def effective_port(self) -> int:
        """Return the port: the one given, else the usual one for `security`."""
        return self.port or SECURITY[self.security]


def load_settings(project: Path, environ: Mapping[str, str]) -> SmtpSettings:
    """Return the SMTP settings of storypack.toml in `project` (if any), overridden by the environment."""
    values: dict[str, object] = {}
    path = project / CONFIG_FILE
    if path.is_file():
        values.update(_read_config(path))
    for key in KEYS:
        if environ.get(f"STORYPACK_SMTP_{key.upper()}"):
            values[key] = environ[f"STORYPACK_SMTP_{key.upper()}"]
    settings = SmtpSettings(
        host=_text(values, "host"), port=_port(values), security=_text(values, "security") or "starttls",
        user=_text(values, "user"), password=environ.get(PASSWORD) or None, sender=_text(values, "sender"),
        cafile=_text(values, "cafile"), timeout=_number(values, "timeout") or 30.0)
    if settings.security not in SECURITY:
        raise UsageError(f"SMTP security {settings.security!r} is not one of: {', '.join(SECURITY)}")
    return settings


def _read_config(path: Path) -> dict[str, object]:
    """Return the [smtp] table of storypack.toml, or raise a UsageError saying what is wrong with it."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: {exc}") from None
    table = data.get("smtp", {})
    if not isinstance(table, dict):
        raise UsageError(f"{path}: [smtp] must be a table of settings")
    if "password" in table:
        raise UsageError(f"{path}: the SMTP password must not be kept in a file; remove it and set {PASSWORD} "
                         "in the environment")
    for key in table:
        if key not in KEYS:
            close = difflib.get_close_matches(key, KEYS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"the keys are: {', '.join(KEYS)}"
            raise UsageError(f"{path}: unknown key {key!r} in [smtp]; {hint}")
    return dict(table)


def _text(values: Mapping[str, object], key: str) -> str | None:
    value = values.get(key)
    return None if value is None or value == "" else str(value)


def _number(values: Mapping[str, object], key: str) -> float | None:
    value = values.get(key)
    if value is None or value == "":
        return None
    try:
        return float(str(value))
    except ValueError:
        raise UsageError(f"SMTP {key} {value!r} is not a number") from None


def _port(values: Mapping[str, object]) -> int | None:
    number = _number(values, "port")
    if number is not None and (number != int(number) or not 0 < number < 65536):
        raise UsageError(f"SMTP port {values['port']!r} is not a port number (1-65535)")
    return None if number is None else int(number)


class Mailer:
    """One connection to the server (a context manager): `send` delivers one message to one recipient."""

    def __init__(self, settings: SmtpSettings) -> None:
        if not settings.host:
            raise UsageError("no SMTP server: set host in the [smtp] table of storypack.toml, or STORYPACK_SMTP_HOST")
        if settings.security == "none" and settings.host not in LOOPBACK:
            raise UsageError(f"security = none would send to {settings.host} unencrypted; use starttls or tls "
                             "(none is only for a server on this machine)")
        if settings.user and not settings.password:
            raise UsageError(f"SMTP user {settings.user!r} needs a password: set {PASSWORD}")
        self.settings = settings
        self.client: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        s = self.settings
        context = ssl.create_default_context(cafile=s.cafile) if s.security != "none" else None
        where = f"{s.host}:{s.effective_port}"
        try:
            if s.security == "tls":
                self.client = smtplib.SMTP_SSL(s.host or "", s.effective_port, timeout=s.timeout, context=context)
            else:
                self.client = smtplib.SMTP(s.host or "", s.effective_port, timeout=s.timeout)
            self.client.ehlo()
            if s.security == "starttls":
                self.client.starttls(context=context)
                self.client.ehlo()
            if s.user:
                self.client.login(s.user, s.password or "")
        except smtplib.SMTPAuthenticationError as exc:
            self._close()
            raise SendFailed(f"{where} refused the login of {s.user!r}: {_reply(exc)}") from None
        except smtplib.SMTPNotSupportedError:
            self._close()
            raise SendFailed(f"{where} does not offer STARTTLS; set security = tls or ask its administrator") from None
        except ssl.SSLError as exc:
            self._close()
            raise SendFailed(f"TLS with {where} failed: {exc.reason or exc}") from None
        except (OSError, smtplib.SMTPException) as exc:
            self._close()
            raise SendFailed(f"cannot connect to the SMTP server {where}: {exc}") from None
        return self

    def send(self, data: bytes, sender: str, recipient: str) -> None:
        """Deliver `data` to `recipient`; raise Refused (this recipient only) or ConnectionLost (stop the run)."""
        if self.client is None:
            raise ConnectionLost("not connected")
        try:
            self.client.sendmail(sender, [recipient], data)
        except smtplib.SMTPSenderRefused as exc:
            raise SendFailed(f"the server refused the sender {sender}: {_reply(exc)}") from None
        except smtplib.SMTPRecipientsRefused as exc:
            code, message = exc.recipients.get(recipient, (0, b"refused"))
            raise Refused(f"{code} {message.decode('utf-8', 'replace')}") from None
        except smtplib.SMTPServerDisconnected as exc:
            self.client = None
            raise ConnectionLost(str(exc) or "the server closed the connection") from None
        except smtplib.SMTPResponseException as exc:
            raise Refused(_reply(exc)) from None
        except OSError as exc:
            self.client = None
            raise ConnectionLost(str(exc)) from None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        if self.client is not None:
            try:
                self.client.quit()
            except (OSError, smtplib.SMTPException):
                pass
        self._close()

    def _close(self) -> None:
        if self.client is not None:
            try:
                self.client.close()
            except OSError:
                pass
        self.client = None


def _reply(exc: smtplib.SMTPResponseException) -> str:
    """Return the server's reply as 'CODE text'."""
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {text}"
