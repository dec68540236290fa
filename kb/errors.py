"""Typed errors. Each names the file or value at fault and the fix; the CLI prints them."""


class KbError(Exception):
    """Base of every error kb reports to a user."""


class UnreadableFile(KbError):
    """A corpus file that cannot be read: skipped, the rest still loads."""


class IndexMissing(KbError):
    pass


class StaleIndex(KbError):
    """The index was built for another model, other settings or another corpus."""


class DamagedIndex(KbError):
    pass


class BadQuery(KbError):
    pass


class IndexBusy(KbError):
    pass
