"""Story digests: each story whose articles changed (joined, were translated, parsed again) has
its summary and sections computed again and stored, so its page reads them instead of encoding
every sentence of the story on each view."""

from __future__ import annotations

from collections.abc import Sequence

from storyline.jobs.contract import Job, StageReport


class DigestsJob(Job):
    name = "digests"
    title = "Story summaries"

    def pending(self) -> Sequence[tuple[int, str]]:
        from storyline.stories import DIGEST_RECIPE

        return self.store.stories_to_digest(DIGEST_RECIPE)

    def item_key(self, item: tuple[int, str]) -> str:
        return f"story {item[0]}"

    def process(self, batch: Sequence[tuple[int, str]], report: StageReport) -> None:
        from storyline.analysis import ANALYSIS_VERSION
        from storyline.stories.digests import digest

        for story_id, inputs in batch:
            story = self.store.story(story_id)
            if story is None:
                continue  # gone since the list was read (stories placed afresh)
            articles = [self.store.article(i) for i in story.articles]
            self.store.save_story_digest(digest(story_id, inputs, articles, self.store.translations(list(story.articles)),
                                                self.store.parses(story.articles, ANALYSIS_VERSION)))
            report.counts["stories"] += 1

    def describe(self, report: StageReport) -> None:
        if report.counts["stories"]:
            report.summary.append(f"Summarised {report.counts['stories']} story line(s) whose articles changed, "
                                  f"in {report.seconds:.1f} s.")
