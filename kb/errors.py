"""Typed errors. Each names the file or value at fault and the fix; the CLI prints them."""


class KbError(Exception):
    """Base of every error kb reports to a user."""


class UnreadableFile(KbError):
    """A corpus file that cannot be read: skipped, the rest still loads. `kind` is the short
    reason the ingest summary counts ("encrypted", "binary", "empty", ...)."""

    def __init__(self, message: str, kind: str = "unreadable") -> None:
        super().__init__(message)
        self.kind = kind


class IndexMissing(KbError):
    pass


class EmptyCorpus(KbError):
    """The corpus folder holds no document kb can read: there is nothing to build an index of."""


class IndexProblem(KbError):
    """The current index cannot be used. `previous` names an intact older generation, if any,
    that `kb restore` can make current again."""

    def __init__(self, message: str, previous: str | None = None) -> None:
        super().__init__(message)
        self.previous = previous


class StaleIndex(IndexProblem):
    """The index was built for another model, other settings or another corpus."""


class DamagedIndex(IndexProblem):
    pass


class IndexWriteFailed(KbError):
    """A build could not be written (disk full, no permission); the previous index stays current."""


class BadQuery(KbError):
    pass


class IndexBusy(KbError):
    pass
