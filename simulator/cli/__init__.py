"""The command line. `main.py` builds the parser; `errors.py` turns failures into one line and a code."""
