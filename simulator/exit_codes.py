"""The CLI's exit codes, a contract other programs rely on (see DESIGN.md)."""

OK = 0
FAILURE = 1  # anything else that went wrong
BAD_INPUT = 2  # with one line on stderr naming the file, line or field
