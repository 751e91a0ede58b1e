"""Translation into English: backends, and the job that keeps a sentence map to the original."""
