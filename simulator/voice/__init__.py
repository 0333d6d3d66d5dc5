"""Voice: answers transcribed offline by Whisper base, their delivery measured, interviewers' voices."""
