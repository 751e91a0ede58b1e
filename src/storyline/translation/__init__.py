"""Translation into English: backends, and sentence-by-sentence translation with a map to the original."""
