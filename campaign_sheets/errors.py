"""One exception hierarchy. Bad cells never raise (they become report issues);
only unusable inputs raise, and the CLI maps each class to an exit code."""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any


class CampaignSheetsError(Exception):
    """Base of every error this package raises on purpose. One made with `of(key, ...)` carries
    its text's key and parameters, so a caller shows it in its user's language (`text(lang)`)."""

    exit_code = 2

    def __init__(self, message: str = "", *, path: str | None = None, key: str | None = None,
                 params: dict[str, Any] | None = None) -> None:
        self.key, self.params = key, params if params is not None else {}
        if key is not None and not message:
            from .i18n import t

            message = t(key, "en", **self.params)
        super().__init__(message)
        self.message = message
        self.path = path

    @classmethod
    def of(cls, key: str, *, path: str | os.PathLike | None = None, **params: Any) -> "CampaignSheetsError":
        """The error whose text is i18n `key` with `params`."""
        return cls(key=key, params=params, path=None if path is None else str(path))

    def text(self, lang: str) -> str:
        """The message in `lang` (as raised, for an error made from plain text)."""
        if self.key is None:
            return self.message
        from .i18n import t

        return t(self.key, lang, **self.params)

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


@dataclass(frozen=True)
class SpecProblem:
    """One problem in a spec file: where (file, line, dotted path) and what."""

    file: str
    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class SpecError(CampaignSheetsError):
    """A spec file that cannot be used; carries every problem found at once."""

    def __init__(self, problems: list[SpecProblem], *, path: str | None = None) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems), path=None)
        self.path = path


class SpecNotFound(CampaignSheetsError):
    """No shipped or local spec matches the name given."""


class FormulaSyntaxError(CampaignSheetsError):
    """A spec formula that does not parse or names an unknown column."""


class WorkbookFileError(CampaignSheetsError):
    """An input workbook that cannot be read at all (not an xlsx, corrupt, encrypted...)."""

    def __init__(self, message: str, *, path: str | None = None, code: str = "file-unreadable",
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(message, path=path)
        self.code = code
        self.params = params if params is not None else {}   # what the message was made from

    @classmethod
    def of(cls, code: str, path: str | os.PathLike, lang: str, reason: str | None = None,  # type: ignore[override]
           **params: Any) -> WorkbookFileError:
        """The error for file code `code`, its message in `lang` from i18n `file.<code>` (with
        `file.reason.<reason>` filled in as {reason}); {name} defaults to the file's name."""
        from .i18n import t

        if reason is not None:
            params["reason"] = t("file.reason." + reason, lang, **params)
        params.setdefault("name", os.path.basename(str(path)))
        return cls(t("file." + code, lang, **params), path=str(path), code=code, params=params)


class OutputError(CampaignSheetsError):
    """An output that cannot be written (would overwrite an input, bad extension...)."""


class OutputExists(OutputError):
    """The output path already holds something this command did not write earlier: left as it is
    unless the user says --force (see `outputs.check_overwrite`)."""

    code = "output-exists"


class OutputHoldsData(OutputExists):
    """The output path holds a filled campaign workbook (or a folder of them): left as it is even
    with --force, unless the user also says --discard-data."""

    code = "output-holds-data"
