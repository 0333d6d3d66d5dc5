"""Practice loops: answering a question again (redo.py) and drilling one question or one competency
(drill.py), saved as sessions like any round; sessions.py starts drills from the store."""
