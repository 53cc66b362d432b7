"""Exit codes shared by every command, so that a scheduler or a script can act on them."""

EXIT_OK = 0
EXIT_USAGE = 2  # usage or configuration error
EXIT_PARTIAL = 3  # some items rejected, in conflict, or failed
EXIT_ABORTED = 4  # the run aborted before finishing its items
