"""The ``storyline`` command: ingest and analyse; list and show articles, stories, statements, actors,
propositions, positions and shifts; search, export, serve, webhooks, translation models, settings and
report, over one store."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from storyline.interfaces.export import EXPORTERS, export_store
from storyline.jobs.contract import StageReport, UpdateOptions
from storyline.records import (
    GivenMetadata,
    IngestOutcome,
    PositionPoint,
    Proposition,
    PropositionReading,
    StoredArticle,
)
from storyline.settings import SettingsError, as_ini, settings
from storyline.store import Store
from storyline.views.actors import actor_ids_named
from storyline.views.search import search_view

if TYPE_CHECKING:
    from storyline.pipeline import IngestReport

T = TypeVar("T")
app = typer.Typer(help="Follow a contested news story across the world's press.", no_args_is_help=True, add_completion=False)
console = Console()
err_console = Console(stderr=True)

# A string, not a Path: a Path would fold the "//" of postgresql://host/db.
DbOption = Annotated[str, typer.Option("--db", envvar="STORYLINE_DB",
                                       help="SQLite file, or PostgreSQL URL (postgresql://user:password@host/db), of the store.")]
DEFAULT_DB = "storyline.db"


@app.callback()
def _check_settings() -> None:
    """Read the settings file first, so a mistake in it is one clear line, not a traceback later."""
    try:
        settings()
    except SettingsError as error:
        err_console.print(f"[red]Bad settings:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error


def _shown(db: str) -> str:
    """The store as a message may name it: a URL's password masked."""
    from sqlalchemy.engine import make_url

    from storyline.store.base import database_url

    return db if "://" not in db else make_url(database_url(db)).render_as_string(hide_password=True)


def _open(db: str) -> Store:
    try:
        return Store(db)
    except Exception as exc:  # a corrupt file, a foreign database, a server that does not answer: say so
        err_console.print(f"[red]Cannot open the store at {escape(_shown(db))}:[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc


def _bar(title: str) -> Progress:
    """A progress bar with its count, rate and elapsed time, on standard error."""
    return Progress(SpinnerColumn(), TextColumn(f"[bold]{title}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[rate]}"),
                    TimeElapsedColumn(), console=err_console)


def _advance(progress: Progress, task, n: int, unit: str) -> None:
    progress.advance(task, n)
    done, elapsed = progress.tasks[task].completed, progress.tasks[task].elapsed or 1e-9
    progress.update(task, rate=f"{done / elapsed:.1f}{unit}")


@app.command()
def ingest(
    inputs: Annotated[list[str], typer.Argument(help="Files, folders, .jsonl, http(s) article or RSS/Atom feed URLs.")],
    db: DbOption = DEFAULT_DB,
    outlet: Annotated[str | None, typer.Option(help="Outlet name for inputs that do not say.")] = None,
    country: Annotated[str | None, typer.Option(help="ISO country code for inputs that do not say.")] = None,
    url: Annotated[str | None, typer.Option(help="Original URL, when ingesting one saved page.")] = None,
    language: Annotated[str | None, typer.Option(help="ISO language code, to skip detection.")] = None,
    published: Annotated[str | None, typer.Option(help="Publication date, for inputs that do not say.")] = None,
    max_bytes: Annotated[int | None, typer.Option(help="Largest input accepted, in bytes (default: [ingest] max_bytes, 10 MiB).")] = None,
    timeout: Annotated[float | None, typer.Option(help="Seconds to wait for a URL (default: [ingest] fetch_timeout_seconds, 20).")] = None,
    queue: Annotated[bool, typer.Option(help="Queue a task per input for `storyline worker` processes (PostgreSQL store).")] = False,
) -> None:
    """Ingest articles; one bad input never stops the batch, and re-running resumes."""
    given = GivenMetadata(url=url, outlet=outlet, country=country, language=language, published=published,
                          published_source="--published" if published else None)
    store = _open(db)
    if queue:
        from storyline.jobs.queue import enqueue_ingest

        with store:
            queued = _queued(lambda: enqueue_ingest(store, inputs, given))
        console.print(f"Queued {queued} input(s) for ingest; each worker that ingests one then queues the analysis.")
        return
    from storyline.pipeline import (  # extraction libraries load only to ingest
        Ingestor,
        IngestSettings,
    )

    limits = {name: value for name, value in (('max_bytes', max_bytes), ('timeout', timeout)) if value is not None}
    ingestor = Ingestor(store, IngestSettings(given=given, **limits))
    progress = _bar("Ingesting")
    with progress:
        task = progress.add_task("ingest", total=None, rate="")

        def advance(outcome: IngestOutcome) -> None:
            _advance(progress, task, 1, " articles/s")
            done = progress.tasks[task].completed
            if task_total := progress.tasks[task].total:
                progress.update(task, total=max(task_total, done))

        report = ingestor.run(inputs, on_outcome=advance, on_total=lambda total: progress.update(task, total=total))
    _print_report(report)
    store.close()
    if report.failures:
        raise typer.Exit(1)


def _print_report(report: IngestReport) -> None:
    rate = len(report.outcomes) / report.seconds if report.seconds else 0.0
    console.print(
        f"[bold]Run {report.run_id}:[/bold] {report.count('stored')} stored, {report.count('copy')} linked as copies, "
        f"{report.count('unchanged')} already in the store, {report.count('failed')} failed "
        f"({len(report.outcomes)} inputs in {report.seconds:.1f} s, {rate:.1f}/s)."
    )
    if report.skipped_unsupported:
        suffixes = sorted({Path(p).suffix or "(none)" for p in report.skipped_unsupported})
        console.print(f"Skipped {len(report.skipped_unsupported)} file(s) of unsupported type ({', '.join(suffixes)}).")
    if report.failures:
        table = Table(title="Failed inputs", show_lines=False, title_style="bold red")
        table.add_column("input", overflow="fold")
        table.add_column("reason", overflow="fold")
        for outcome in report.failures:
            table.add_row(escape(outcome.origin), escape(outcome.detail))
        console.print(table)


def _articles_table(articles: list[StoredArticle], title: str = "Articles") -> Table:
    table = Table(title=title)
    for column, style in (("id", "dim"), ("title", "bold"), ("outlet", ""), ("country", ""), ("date", ""), ("lang", ""), ("words", "")):
        table.add_column(column, style=style, overflow="fold", no_wrap=column in ("date", "lang", "id"),
                         ratio=4 if column == "title" else None, justify="right" if column in ("id", "words") else "left")
    for a in articles:
        outlet = (a.outlet or "—") + (" ◆" if a.outlet_state_affiliated else "")
        table.add_row(str(a.id), escape(a.title or "(untitled)"), escape(outlet), a.country or "—", a.published or "unknown",
                      a.language or "?", str(a.word_count))
    return table


class _StageBars:
    """The update's progress: one Rich bar per stage, with its rate, and its report printed after it."""

    def __init__(self):
        self.progress: Progress | None = None
        self.task = None

    def start(self, title: str, total: int) -> None:
        self.progress = None
        if not total:
            return  # a stage with nothing to do draws no bar
        self.progress = _bar(title)
        self.progress.start()
        self.task = self.progress.add_task(title, total=total, rate="")

    def advance(self, n: int) -> None:
        _advance(self.progress, self.task, n, "/s")

    def finish(self, report: StageReport) -> None:
        if self.progress is not None:
            self.progress.stop()
        for line in report.summary:
            console.print(escape(line))
        for line in report.warnings:
            console.print(f"[yellow]{escape(line)}[/yellow]")
        for item, reason in report.failures:
            err_console.print(f"[red]{escape(item.capitalize())} failed in {report.stage}[/red]: {escape(reason)}")
        if report.failures:
            err_console.print("They are left out until the analysis changes (a new Storyline version); see `storyline failures`.")

    def waiting(self, holder: str) -> None:
        console.print(f"Another analysis holds this store ({escape(holder)}); waiting for it to finish ...")


def _update(store: Store, options: UpdateOptions | None = None, only: tuple[str, ...] | None = None) -> None:
    # spaCy and the encoders load only for the commands that need them
    from storyline.jobs.contract import LeaseLost
    from storyline.jobs.update import update

    try:
        update(store, options or UpdateOptions(), _StageBars(), only)
    except LeaseLost as lost:  # what it saved is kept; the analysis that took over carries on
        err_console.print(f"[red]Analysis stopped:[/red] {escape(str(lost))}")
        raise typer.Exit(1) from lost


@app.command()
def analyze(
    db: DbOption = DEFAULT_DB,
    since: Annotated[str | None, typer.Option(help="Only articles ingested on or after this date (YYYY-MM-DD).")] = None,
    redo: Annotated[bool, typer.Option(help="Analyse again articles already analysed.")] = False,
    libretranslate: Annotated[str | None, typer.Option(
        help="URL of a LibreTranslate server for languages Apertium and local Argos models do not cover "
             "(or set STORYLINE_LIBRETRANSLATE_URL).")] = None,
    queue: Annotated[bool, typer.Option(help="Queue a reading per new article for any `storyline worker`, then the update "
                                              "for one of them (PostgreSQL store).")] = False,
) -> None:
    """Bring the store up to date: translate, find statements and their speakers, judge stances on
    accepted propositions, place articles in stories, send alerts; resumable, a no-op when nothing is new."""
    with _open(db) as store:
        if queue:
            from storyline.jobs.queue import enqueue_analysis

            fresh = _queued(lambda: enqueue_analysis(store))
            console.print("Queued the articles' readings and the analysis." if fresh
                          else "Queued the articles' readings; an analysis is already waiting in the queue, it will save them too.")
            return
        _update(store, UpdateOptions(since=since, redo=redo, libretranslate=libretranslate))


def _queued(enqueue: Callable[[], T]) -> T:
    """What enqueueing returned, or the reason it could not (a SQLite store, a server that refuses)."""
    try:
        return enqueue()
    except ValueError as error:
        err_console.print(f"[red]Cannot queue:[/red] {escape(str(error))}")
        raise typer.Exit(2) from error


@app.command()
def worker(
    db: DbOption = DEFAULT_DB,
    queue: Annotated[list[str] | None, typer.Option(help="Only these queues: ingest, reading, analysis (all if absent).")] = None,
    until_idle: Annotated[bool, typer.Option(help="Stop once the queues are empty, rather than wait for more.")] = False,
) -> None:
    """Run queued tasks (from `ingest --queue`, `analyze --queue`) on a PostgreSQL store; start as
    many as you like, on any machines. A killed worker's task goes back in the queue."""
    from storyline.jobs.queue import QUEUES, run_worker

    chosen = queue or list(QUEUES)
    if unknown := set(chosen) - set(QUEUES):
        err_console.print(f"[red]No queue named {', '.join(sorted(unknown))}[/red]: the queues are {', '.join(QUEUES)}.")
        raise typer.Exit(2)
    import logging

    # procrastinate says, per task, when it starts, succeeds, fails or is retried.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S", stream=sys.stderr)
    with _open(db) as store:
        _queued(lambda: run_worker(store, chosen, until_idle))


@app.command()
def statements(
    db: DbOption = DEFAULT_DB,
    speaker: Annotated[str | None, typer.Option(help="Only this speaker (any spelling).")] = None,
    since: Annotated[str | None, typer.Option(help="Only statements dated on or after this date.")] = None,
    story: Annotated[int | None, typer.Option(help="Only statements in this story's articles (id from `storyline stories`).")] = None,
) -> None:
    """Who said what, when, where: each statement with its speaker, role, date and outlet."""
    with _open(db) as store:
        members = None
        if story is not None:
            chosen = store.story(story)
            if chosen is None:
                err_console.print(f"[red]No story {story}.[/red] See `storyline stories`.")
                raise typer.Exit(2)
            members = chosen.articles
        rows = store.statements(actor_ids_named(store, speaker), since, article_ids=members)
    table = Table(title=f"{len(rows)} statement(s)")
    for column in ("date", "speaker", "role", "kind", "statement", "outlet", "art."):
        table.add_column(column, overflow="fold", no_wrap=column in ("date", "art."), ratio=5 if column == "statement" else None)
    for st in rows:
        when = f"{st.date or '?'}{'' if st.date_kind == 'event' else '*'}"
        table.add_row(when, escape(st.speaker), escape(st.role or ""), st.kind, escape(st.text), escape(st.outlet or "—"), str(st.article_id))
    table.caption = "* dated by the article, not by the text around the statement"
    console.print(table)


@app.command()
def actors(db: DbOption = DEFAULT_DB) -> None:
    """Everyone quoted: name, other spellings, roles with their dates, statements and the outlets quoting them."""
    with _open(db) as store:
        rows = store.actors()
    table = Table(title=f"{len(rows)} actor(s)")
    for column in ("name", "aliases", "roles", "statements", "quoted by"):
        table.add_column(column, overflow="fold")
    for actor in rows:
        roles = "; ".join(dict.fromkeys(f"{r.role} ({r.date or 'undated'})" for r in actor.roles))
        aliases = ", ".join(a for a in actor.aliases if a != actor.name)
        table.add_row(escape(actor.name), escape(aliases), escape(roles), str(actor.statements), escape(", ".join(actor.outlets) or "—"))
    console.print(table)


def _proposition_or_exit(store: Store, reference: str) -> Proposition:
    from storyline.positions.queries import find_proposition

    proposition = find_proposition(store, reference)
    if proposition is None:
        known = "; ".join(f"{p.id}: {p.text}" for p in store.propositions()) or "none yet (add one with `storyline propose`)"
        err_console.print(f"[red]No single proposition matches {reference!r}.[/red] Known: {escape(known)}")
        raise typer.Exit(2)
    return proposition


@app.command()
def propose(
    texts: Annotated[list[str], typer.Argument(help='Propositions in plain words: "Ukraine should give up territory for NATO membership".')],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Name one or more propositions and judge every stored statement's stance on them."""
    short = [t for t in texts if len(t.split()) < 3]
    if short:
        err_console.print(f"[red]A proposition needs a few words (who should do or be what):[/red] {escape(', '.join(short))}")
        raise typer.Exit(2)
    with _open(db) as store:
        ids = [store.add_proposition(text.strip(), origin="user") for text in texts]
        _update(store, only=("vectors", "stances", "shifts", "alerts"))
        for proposition in store.propositions(ids=ids):
            console.print(f"Proposition {proposition.id}: {escape(proposition.text)}")
            _print_reading(store.proposition_reading(proposition.id))


@app.command()
def propositions(
    db: DbOption = DEFAULT_DB,
    suggest: Annotated[bool, typer.Option(help="Propose propositions from claims that recur across articles.")] = False,
    accept: Annotated[int | None, typer.Option(help="Accept a proposed proposition (by id) and judge statements on it.")] = None,
    drop: Annotated[int | None, typer.Option(help="Drop a proposition (by id); its stances stay until it is deleted by a merge.")] = None,
    rename: Annotated[int | None, typer.Option(help="Reword a proposition (by id), with --to.")] = None,
    to: Annotated[str | None, typer.Option(help="The new wording, for --rename.")] = None,
    merge: Annotated[int | None, typer.Option(help="Fold this proposition (by id) into the one given with --into.")] = None,
    into: Annotated[int | None, typer.Option(help="The proposition that --merge folds into.")] = None,
) -> None:
    """List propositions; suggest, accept, rename, merge or drop them."""
    with _open(db) as store:
        try:
            if suggest:
                from storyline.positions.proposals import (
                    suggest as suggest_propositions,
                )

                known = {p.text for p in store.propositions()}
                for text, count, articles_ in suggest_propositions(store.statements(), known):
                    store.add_proposition(text, origin="proposed", status="proposed")
                    console.print(f"Proposed ({count} statements, {articles_} articles): {escape(text)}")
            if accept is not None:
                store.update_proposition(accept, status="accepted")
            if drop is not None:
                store.update_proposition(drop, status="dropped")
            if rename is not None:
                if not to:
                    err_console.print("[red]--rename needs --to with the new wording.[/red]")
                    raise typer.Exit(2)
                store.update_proposition(rename, text=to.strip())
            if merge is not None:
                if into is None:
                    err_console.print("[red]--merge needs --into with the proposition to keep.[/red]")
                    raise typer.Exit(2)
                store.merge_propositions(merge, into)
        except KeyError as exc:
            err_console.print(f"[red]No proposition with id {exc.args[0]}.[/red]")
            raise typer.Exit(2) from exc
        if accept is not None or rename is not None or merge is not None:
            _update(store, only=("vectors", "stances", "shifts", "alerts"))
        rows = store.propositions()
    table = Table(title=f"{len(rows)} proposition(s)")
    for column in ("id", "proposition", "origin", "status", "stances"):
        table.add_column(column, overflow="fold")
    for p in rows:
        table.add_row(str(p.id), escape(p.text), p.origin, p.status, str(p.stances))
    console.print(table)


_STANCE_STYLE = {"support": "green", "oppose": "red", "mixed": "yellow"}


def _when(point: PositionPoint) -> str:
    date_ = point.statement.date or "undated"
    return f"before {date_}" if point.statement.date_kind == "earlier" else date_


@app.command()
def positions(
    proposition: Annotated[str, typer.Argument(help="Proposition id, or words of its wording.")],
    db: DbOption = DEFAULT_DB,
    actor: Annotated[str | None, typer.Option(help="Only this actor (any spelling).")] = None,
) -> None:
    """A proposition's timeline: date, actor, stance, quote, outlet; then where each actor stands now."""
    from storyline.positions.queries import shifts, timeline

    with _open(db) as store:
        chosen = _proposition_or_exit(store, proposition)
        actor_ids = actor_ids_named(store, actor)
        points = timeline(store, chosen.id, actor_ids)
        found = [s for s in shifts(store, chosen.id) if actor_ids is None or s.after.statement.actor_id in actor_ids]
        reading = store.proposition_reading(chosen.id, actor_ids=actor_ids)
    _print_reading(reading)
    table = Table(title=escape(chosen.text))
    for column in ("date", "actor", "stance", "conf.", "quote", "decided by", "outlet", "art."):
        table.add_column(column, overflow="fold", ratio=5 if column == "quote" else None)
    for p in points:
        style = _STANCE_STYLE[p.stance]
        table.add_row(_when(p), escape(p.statement.speaker), f"[{style}]{p.stance}[/{style}]", f"{p.confidence:.2f}",
                      escape(p.statement.text), escape(", ".join(w for w in (p.anchor, *p.cues) if w)), escape(p.statement.outlet or "—"),
                      str(p.statement.article_id))
    console.print(table)
    latest: dict[str, PositionPoint] = {}
    for p in points:
        latest[p.statement.speaker] = p
    side_by_side = Table(title="Where each actor stands (latest dated statement)")
    for column in ("actor", "stance", "as of", "statements"):
        side_by_side.add_column(column)
    for name, p in sorted(latest.items()):
        style = _STANCE_STYLE[p.stance]
        side_by_side.add_row(escape(name), f"[{style}]{p.stance}[/{style}]", _when(p), str(sum(q.statement.speaker == name for q in points)))
    console.print(side_by_side)
    _print_shifts(found)


def _print_reading(reading: PropositionReading) -> None:
    """How many statements were read and judged, and the nearest that took no side: an empty list explains itself."""
    console.print(f"Read {reading.considered} statement(s): {reading.judged} near enough to the proposition to judge, "
                  f"{reading.stances} took a side.")
    if reading.nearest_unsided:
        table = Table(title="Nearest statements that took no side")
        for column in ("actor", "statement", "similarity", "P(no side)", "art."):
            table.add_column(column, overflow="fold", ratio=5 if column == "statement" else None)
        for statement, similarity, neutral in reading.nearest_unsided:
            table.add_row(escape(statement.speaker), escape(statement.text), f"{similarity:.2f}", f"{neutral:.2f}", str(statement.article_id))
        console.print(table)


def _print_shifts(found: list) -> None:
    table = Table(title=f"{len(found)} shift(s), walk-back(s) and contradiction(s)")
    for column in ("kind", "actor", "from", "to", "why", "the press says"):
        table.add_column(column, overflow="fold")
    for s in found:
        table.add_row(s.kind, escape(s.actor), f"{_when(s.before)} {s.before.stance}: {escape(s.before.statement.text[:80])}",
                      f"{_when(s.after)} {s.after.stance}: {escape(s.after.statement.text[:80])}", escape(s.reason), escape(s.reported or "—"))
    console.print(table)


@app.command()
def shifts(
    db: DbOption = DEFAULT_DB,
    since: Annotated[str | None, typer.Option(help="Only shifts whose later end is on or after this date.")] = None,
    proposition: Annotated[str | None, typer.Option(help="Only this proposition (id or words).")] = None,
) -> None:
    """Every shift, walk-back and contradiction in the store's positions."""
    from storyline.positions.queries import shifts as find_shifts

    with _open(db) as store:
        chosen = _proposition_or_exit(store, proposition) if proposition else None
        found = find_shifts(store, chosen.id if chosen else None, since)
    _print_shifts(found)


def _headline(text: str, language: str | None) -> str:
    """A headline, marked where it is a title no translation covered."""
    return f"{text} ({language}, untranslated)" if text and language else text


@app.command()
def stories(db: DbOption = DEFAULT_DB) -> None:
    """Story lines, newest activity first: headline, dates, events, articles, countries and outlets."""
    with _open(db) as store:
        rows = store.stories()
    table = Table(title=f"{len(rows)} story line(s)")
    for column in ("id", "headline", "from", "to", "events", "articles", "countries", "outlets"):
        table.add_column(column, overflow="fold")
    for s in rows:
        table.add_row(str(s.id), escape(_headline(s.label, s.label_language)), s.first_date or "?", s.last_date or "?", str(len(s.events)), str(len(s.articles)),
                      ", ".join(s.countries) or "—", escape(", ".join(s.outlets) or "—"))
    console.print(table)


@app.command()
def story(story_id: Annotated[int, typer.Argument(help="Story id from `storyline stories`.")], db: DbOption = DEFAULT_DB) -> None:
    """One story: summary with citations, sections, events on a timeline, and takes by country and outlet."""
    from storyline.views.stories import story_view

    with _open(db) as store:
        view = story_view(store, story_id)
        if view is None:
            err_console.print(f"[red]No story {story_id}.[/red] See `storyline stories`.")
            raise typer.Exit(2)
    chosen, by_id = view.story, view.by_id
    console.print(Panel(escape(_headline(chosen.label, chosen.label_language) or "(unlabelled)"), title=f"Story {chosen.id}: {chosen.first_date or '?'} to {chosen.last_date or '?'}"))
    console.print("[bold]Summary[/bold]")
    for n, sentence in enumerate(view.summary, 1):
        source = by_id[sentence.article_id]
        via = (f", translated by {sentence.translated_by}" if sentence.translated_by
               else f", untranslated ({sentence.language})" if sentence.language else "")
        cite = escape(f"[article {sentence.article_id}, {source.outlet or 'outlet unknown'}, chars {sentence.start}-{sentence.end}{via}]")
        console.print(f" {n}. {escape(sentence.text)} [dim]{cite}[/dim]")
    if found := view.sections():
        console.print("[bold]Sections[/bold]")
        for section in found:
            console.print(f" • {escape(section.label or 'Also reported')}: " + " ".join(f"“{escape(s.text)}” [dim]{escape(f'[article {s.article_id}]')}[/dim]"
                                                                   for s in section.sentences[:2]))
    timeline = Table(title="Events")
    for column in ("event", "date", "article", "outlet", "country", "title"):
        timeline.add_column(column, overflow="fold")
    for event in view.events():
        if event.headline and len(event.articles) > 1:
            timeline.add_row(str(event.id), event.date or "undated", "", "", "",
                             f"[bold]{escape(_headline(event.headline.text, event.headline.language))}[/bold]")
        for article in sorted(event.articles, key=lambda a: (a.published or "9999", a.id)):
            timeline.add_row(str(event.id), article.published or "undated", str(article.id), escape(article.outlet or "—"),
                             article.country or "—", escape(article.title or ""))
    console.print(timeline)
    table = Table(title="Alternative takes: who covered it, whom they quote, what only they carry")
    for column in ("country", "outlet", "first", "articles", "quotes", "only here", "leaves out"):
        table.add_column(column, overflow="fold")
    for take in view.takes:
        outlet = (take.outlet or "unknown") + (" ◆ state-affiliated" if take.state_affiliated else "")
        table.add_row(take.country or "—", escape(outlet), take.first_date or "?", ", ".join(map(str, take.articles)),
                      escape(", ".join(take.speakers) or "—"), escape(", ".join(take.only_here) or "—"), escape(", ".join(take.left_out) or "—"))
    console.print(table)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="Words to find in articles and statements.")],
    db: DbOption = DEFAULT_DB,
    semantic: Annotated[bool, typer.Option(help="Rank articles by meaning (embeddings) instead of words.")] = False,
    limit: Annotated[int, typer.Option(help="How many hits.")] = 20,
) -> None:
    """Full-text search over articles and statements, or semantic search over articles."""
    with _open(db) as store:
        found = search_view(store, query, semantic, limit)
        if semantic:
            if not found and not store.article_vectors()[0]:
                err_console.print("[yellow]No article vectors yet: run `storyline analyze` first.[/yellow]")
                raise typer.Exit(1)
        hits = [(f"{h.score:.2f}" if semantic else f"{h.score:.1f}", h.kind + (f" ({escape(h.speaker)})" if h.speaker else ""),
                 f"#{h.article_id} {escape(h.title or '(untitled)')} · {escape(h.outlet or 'unknown outlet')} · {(h.published or 'undated')[:10]}",
                 escape(h.snippet)) for h in found]
    table = Table(title=f"{len(hits)} hit(s) for {escape(query)!r}")
    for column in ("score", "kind", "article", "text"):
        table.add_column(column, overflow="fold")
    for row in hits:
        table.add_row(*row)
    console.print(table)


@app.command()
def serve(
    db: DbOption = DEFAULT_DB,
    host: Annotated[str, typer.Option(help="Address to listen on; 127.0.0.1 keeps it on this machine.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    write_token: Annotated[str | None, typer.Option(
        envvar="STORYLINE_WRITE_TOKEN", help="Accept POST /api/ingest from callers that send this bearer token.")] = None,
    deliver_alerts: Annotated[bool, typer.Option(help="Deliver webhook alerts in the background while serving.")] = True,
    access_log: Annotated[bool, typer.Option(help="Log each request on the console.")] = True,
    public_url: Annotated[str | None, typer.Option(
        envvar="STORYLINE_PUBLIC_URL", help="The address readers reach this server at (behind a proxy, say), for the links in "
                                            "Atom feeds; http://HOST:PORT if absent. Never taken from a request's Host header.")] = None,
) -> None:
    """Serve the web pages and the REST API over the store (read-only without a write token); OpenAPI docs at /docs."""
    import uvicorn

    from storyline.interfaces.api import create_app

    _open(db).close()  # a store that cannot be opened fails here, with its reason, not in the first request
    app_ = create_app(db, write_token=write_token, deliver_alerts=deliver_alerts, public_url=public_url or f"http://{host}:{port}")
    uvicorn.run(app_, host=host, port=port, log_level="info", access_log=access_log)


@app.command()
def articles(db: DbOption = DEFAULT_DB, limit: Annotated[int, typer.Option(min=1, help="How many to list.")] = 50,
             offset: Annotated[int, typer.Option(min=0, help="How many of the newest to skip.")] = 0) -> None:
    """List stored articles, newest first (◆ marks state-affiliated outlets); says how many there are."""
    with _open(db) as store:
        shown, total = store.articles(limit=limit, offset=offset), store.article_count()
    title = f"Articles {offset + 1}–{offset + len(shown)} of {total:,}" if shown else f"No articles at offset {offset} of {total:,}"
    table = _articles_table(shown, title)
    if offset + len(shown) < total:
        table.caption = f"{total - offset - len(shown):,} more: --offset {offset + len(shown)}"
    console.print(table)


@app.command()
def show(
    article_id: Annotated[int, typer.Argument(help="Article id from `storyline articles`.")],
    db: DbOption = DEFAULT_DB,
    summary: Annotated[bool, typer.Option(help="No time to read? Three sentences that cover it, with their offsets.")] = False,
    english: Annotated[bool, typer.Option(help="Print the English translation instead of the original text.")] = False,
) -> None:
    """Print one clean article with the evidence behind its metadata."""
    with _open(db) as store:
        article = store.article(article_id)
        translation = store.translation(article_id) if article else None
    if article is None:
        err_console.print(f"[red]No article with id {article_id}.[/red]")
        raise typer.Exit(1)
    meta = Table.grid(padding=(0, 2))
    meta.add_column(style="bold")
    meta.add_column(overflow="fold")
    rows = [
        ("Outlet", f"{article.outlet or 'unknown'}{' (state-affiliated)' if article.outlet_state_affiliated else ''}"
                   f"  [dim]{article.outlet_evidence or 'no evidence in the text or URL'}[/dim]"),
        ("Country", article.country or "unknown"),
        ("Language", f"{article.language or 'unknown'} ({article.language_confidence:.2f})"
                     + (f", paragraphs in {', '.join(article.languages())}" if len(article.languages()) > 1 else "")),
        ("English", "original" if article.language == "en" else
                    f"translated by {translation.backend}" if translation else _untranslated(article.language)),
        ("Published", f"{article.published or 'unknown'} ({article.published_confidence:.2f}, {article.published_method})"
                      f"  [dim]{escape(article.published_evidence)}[/dim]"),
        ("Source", escape(article.url or article.origin)),
        ("Words", str(article.word_count)),
    ]
    for label, value in rows:
        meta.add_row(label, value)
    console.print(Panel(meta, title=escape(article.title or "(untitled)"), title_align="left"))
    if summary:
        from storyline.stories.summaries import summarize

        for sentence in summarize([article], size=3, translations={article.id: translation} if translation else None):
            console.print(f" • {escape(sentence.text)} [dim]{escape(f'[chars {sentence.start}-{sentence.end}]')}[/dim]")
        return
    if english and translation is None and article.language != "en":
        err_console.print(f"[yellow]{_untranslated(article.language)}: showing the original.[/yellow]")
    body, paragraphs = (translation.text, translation.paragraphs()) if english and translation else (article.text, article.paragraphs)
    for p in paragraphs:
        text = escape(body[p.start:p.end])
        console.print(f"[bold]{text}[/bold]" if p.kind == "heading" else text, end="\n\n")
    if article.removed:
        removed = Table(title="Removed as noise", title_style="dim")
        removed.add_column("line", overflow="fold", style="dim")
        removed.add_column("why", overflow="fold", style="dim")
        for line in article.removed:
            removed.add_row(escape(line.text[:160]), line.reason)
        console.print(removed)
    for copy in article.copies:
        console.print(f"[dim]Copy: {escape(copy.url or copy.origin)} ({copy.outlet or 'unknown outlet'}, similarity {copy.similarity:.2f})[/dim]")


models_app = typer.Typer(help="Translation models and backends.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def models_list(
    libretranslate: Annotated[str | None, typer.Option(help="URL of a LibreTranslate server to ask too.")] = None,
) -> None:
    """Which languages each translation backend can put into English on this machine."""
    from storyline.translation.backends import TranslationError, available_backends

    table = Table(title="Translation into English")
    table.add_column("backend")
    table.add_column("languages", overflow="fold")
    for backend in available_backends(libretranslate):
        try:
            languages = ", ".join(sorted(backend.languages())) or "none installed"
        except TranslationError as exc:
            languages = f"[red]{escape(str(exc))}[/red]"
        table.add_row(backend.name, languages)
    console.print(table)


@models_app.command("add")
def models_add(path: Annotated[Path, typer.Argument(help="An Argos Translate model file (.argosmodel) on disk.")]) -> None:
    """Install an Argos Translate model from a file; nothing is downloaded."""
    if not path.is_file():
        err_console.print(f"[red]No such file: {escape(str(path))}[/red]")
        raise typer.Exit(1)
    try:
        import argostranslate.package
    except ImportError:
        err_console.print("[red]Argos Translate is not installed[/red]: pip install 'storyline[argos]', then add the model again.")
        raise typer.Exit(1) from None
    try:
        argostranslate.package.install_from_path(path)
    except Exception as exc:  # argos raises bare zipfile/OS errors for a bad file
        err_console.print(f"[red]Could not install {escape(path.name)}[/red]: {type(exc).__name__}: {escape(str(exc))}")
        raise typer.Exit(1) from exc
    console.print(f"Installed {escape(path.name)}; `storyline analyze` will translate with it.")


def _untranslated(language: str | None) -> str:
    from storyline.translation.translate import untranslated_note

    return untranslated_note(language)


webhooks_app = typer.Typer(help="Webhooks told about each new statement and position shift.", no_args_is_help=True)
app.add_typer(webhooks_app, name="webhooks")


@webhooks_app.command("add")
def webhooks_add(
    url: Annotated[str, typer.Argument(help="The http(s) URL to POST alerts to.")],
    db: DbOption = DEFAULT_DB,
    kind: Annotated[list[str] | None, typer.Option(help="statement and/or shift (both if absent).")] = None,
    secret: Annotated[str | None, typer.Option(help="Sign each body: X-Storyline-Signature: sha256=HMAC(secret, body).")] = None,
    allow_private: Annotated[bool, typer.Option(help="Allow a loopback or private-network address (refused by default).")] = False,
    about: Annotated[str | None, typer.Option(help="Follow only story:ID, actor:ID or proposition:ID (everything if absent).")] = None,
) -> None:
    """Register a webhook; it hears about what lands from now on, not the store's past."""
    from storyline.alerts.outbox import KINDS, register_webhook

    with _open(db) as store:
        try:
            webhook_id = register_webhook(store, url, tuple(kind or KINDS), secret, allow_private, about)
        except ValueError as error:
            err_console.print(f"[red]Webhook refused:[/red] {escape(str(error))}")
            raise typer.Exit(2) from error
    console.print(f"Webhook {webhook_id}: {escape(url)}")


@webhooks_app.command("list")
def webhooks_list(db: DbOption = DEFAULT_DB) -> None:
    """Webhooks with how many deliveries are pending, delivered and given up."""
    with _open(db) as store:
        hooks = store.webhooks()
    table = Table(title=f"{len(hooks)} webhook(s)")
    for column in ("id", "url", "kinds", "about", "signed", "pending", "delivered", "failed"):
        table.add_column(column, overflow="fold")
    for hook in hooks:
        table.add_row(str(hook.id), escape(hook.url), ", ".join(hook.kinds), hook.about or "everything", "yes" if hook.secret else "no",
                      str(hook.pending), str(hook.delivered), str(hook.failed))
    console.print(table)


@webhooks_app.command("remove")
def webhooks_remove(webhook_id: Annotated[int, typer.Argument(help="Id from `storyline webhooks list`.")], db: DbOption = DEFAULT_DB) -> None:
    """Remove a webhook and what it is still owed."""
    with _open(db) as store:
        if not store.remove_webhook(webhook_id):
            err_console.print(f"[red]No webhook with id {webhook_id}.[/red]")
            raise typer.Exit(2)
    console.print(f"Removed webhook {webhook_id}.")


@webhooks_app.command("log")
def webhooks_log(
    db: DbOption = DEFAULT_DB,
    webhook: Annotated[int | None, typer.Option(help="Only this webhook's deliveries.")] = None,
    limit: Annotated[int, typer.Option(help="How many attempts, newest first.")] = 50,
) -> None:
    """The delivery log: each POST tried, what came back, and where the delivery stands."""
    with _open(db) as store:
        attempts = store.delivery_log(webhook, limit)
    table = Table(title=f"{len(attempts)} attempt(s)")
    for column in ("when", "webhook", "delivery", "alert", "result", "seconds", "status now"):
        table.add_column(column, overflow="fold")
    for attempt in attempts:
        result = str(attempt.status_code) if attempt.error is None else escape(attempt.error)
        table.add_row(attempt.at.isoformat(timespec="seconds"), str(attempt.webhook_id), str(attempt.delivery_id),
                      escape(attempt.alert_key), result, f"{attempt.seconds:.2f}", attempt.status)
    console.print(table)


@webhooks_app.command("deliver")
def webhooks_deliver(db: DbOption = DEFAULT_DB) -> None:
    """Record new alerts and POST what is due now (for cron; `storyline serve` does it on its own)."""
    with _open(db) as store:
        from storyline.jobs.update import update

        counts = update(store, only=("alerts",))[0].counts
    console.print(f"{counts['new']} new alert(s); {counts['delivered']} delivered, {counts['retrying']} to retry, "
                  f"{counts['failed']} given up.")


@app.command()
def export(
    format: Annotated[str, typer.Option("--format", "-f", help="json, md, or csv (a zip of one CSV per table).")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write; standard output if absent.")] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Export the store: articles, statements, actors, propositions, positions and shifts."""
    if format not in EXPORTERS:
        err_console.print(f"[red]Unknown format {format!r}:[/red] choose one of {', '.join(EXPORTERS)}.")
        raise typer.Exit(2)
    with _open(db) as store:
        exported = export_store(store, format)
    data = exported.encode("utf-8") if isinstance(exported, str) else exported
    if output:
        output.write_bytes(data)
        err_console.print(f"Wrote {output}")
    elif isinstance(exported, str):
        typer.echo(exported)
    elif sys.stdout.isatty():
        err_console.print(f"[red]A {format} export is a zip:[/red] give --output FILE, or send standard output to a file.")
        raise typer.Exit(2)
    else:
        sys.stdout.buffer.write(data)


@app.command()
def failures(db: DbOption = DEFAULT_DB, run: Annotated[int | None, typer.Option(help="Run id; the latest if absent.")] = None) -> None:
    """Show what failed in an ingest run, and what the analysis could not handle, and why."""
    from storyline.analysis import ANALYSIS_VERSION

    with _open(db) as store:
        summary = store.run_summary(run)
        analysis = store.analysis_failures(ANALYSIS_VERSION)
    if summary is None:
        console.print("No ingest run yet.")
    else:
        table = Table(title=f"Run {summary.id}: {len(summary.failures)} failure(s)")
        table.add_column("input", overflow="fold")
        table.add_column("reason", overflow="fold")
        for failure in summary.failures:
            table.add_row(escape(failure.origin), escape(failure.reason))
        console.print(table)
    if analysis:
        table = Table(title=f"Analysis: {len(analysis)} item(s) left out until the analysis version changes")
        for column in ("stage", "item", "reason"):
            table.add_column(column, overflow="fold")
        for failure in analysis:
            table.add_row(failure.stage, escape(failure.item), escape(failure.reason))
        console.print(table)


@app.command("settings")
def show_settings() -> None:
    """Every threshold and limit in force, as a config file: copy it to storyline.cfg (or the file
    STORYLINE_CONFIG names) and change what you need."""
    print(as_ini(settings()), end="")


@app.command()
def report(db: DbOption = DEFAULT_DB) -> None:
    """What the store holds: articles with their outlet, country, date and language."""
    with _open(db) as store:
        counts = store.counts()
        stored = store.articles()
        last = store.run_summary()
        speakers = store.actors(limit=10)
    console.print(f"[bold]{counts['articles']} articles[/bold], {counts['copies']} linked copies, {counts['paragraphs']} paragraphs, "
                  f"{counts['statements']} statements by {counts['actors']} actors in {escape(_shown(db))}.")
    console.print(_articles_table(stored))
    dated = [a for a in stored if a.published]
    for a in stored:
        console.print(f"[dim]#{a.id} date: {escape(a.published_evidence)}; outlet: {escape(a.outlet_evidence or 'not named')}[/dim]")
    console.print(f"{len(dated)} of {len(stored)} dated; undated ones say so rather than guess.")
    if speakers:
        console.print("Most quoted: " + "; ".join(f"{escape(a.name)} ({a.statements}, {escape(a.roles[-1].role) if a.roles else a.kind})" for a in speakers))
    if last and last.failures:
        console.print(f"[red]Last run had {len(last.failures)} failure(s):[/red] see `storyline failures`.")


if __name__ == "__main__":
    app()
