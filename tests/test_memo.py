"""The bounded memo behind the page cache and the sentence memos."""

from __future__ import annotations

from storyline.memo import Memo, forget_all


def test_the_least_recently_used_entry_leaves_first_and_forget_all_empties_every_memo():
    pages, vectors = Memo[str](2), Memo[int](10)
    pages.put("/stories/1", "a")
    pages.put("/stories/2", "b")
    assert pages.get("/stories/1") == "a"  # now the most recent
    pages.put("/search?q=nato", "c")
    assert pages.get("/stories/2") is None and pages.get("/stories/1") == "a" and pages.get("/search?q=nato") == "c"
    vectors.put("sentence", 1)
    forget_all()
    assert pages.get("/stories/1") is None and vectors.get("sentence") is None


def test_through_computes_only_the_keys_not_kept_each_once_in_one_batch():
    phrases, batches = Memo[str](10), []

    def upper(keys):
        batches.append(keys)
        return [k.upper() for k in keys]

    assert phrases.through(["a", "b"], upper) == ["A", "B"]
    assert phrases.through(["c", "a", "c", "d"], upper) == ["C", "A", "C", "D"]
    assert batches == [["a", "b"], ["c", "d"]]
