"""Database tables. Schema changes go through an Alembic migration in ``migrations/versions``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    mapped_column,
    relationship,
    validates,
)

from storyline.lang.names import surname_key


class Base(DeclarativeBase):
    pass


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    origin: Mapped[str] = mapped_column(Text)
    raw_hash: Mapped[str] = mapped_column(String(64), unique=True)
    text_hash: Mapped[str] = mapped_column(String(64), index=True)
    raw_kind: Mapped[str] = mapped_column(String(8))
    raw_text: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text, index=True)
    author: Mapped[str | None] = mapped_column(Text)
    outlet_name: Mapped[str | None] = mapped_column(Text, index=True)
    outlet_domain: Mapped[str | None] = mapped_column(Text)
    outlet_state_affiliated: Mapped[bool] = mapped_column(Boolean, default=False)
    outlet_evidence: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    language: Mapped[str | None] = mapped_column(String(8), index=True)
    language_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    published: Mapped[str | None] = mapped_column(String(16), index=True)
    published_confidence: Mapped[float] = mapped_column(Float, default=0.0)
    published_method: Mapped[str] = mapped_column(String(32))
    published_evidence: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer)
    removed_json: Mapped[str] = mapped_column(Text, default="[]")
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)
    # Version of the analysis that last ran on this article; NULL until analysed. A rerun picks up the rest.
    analyzed_version: Mapped[int | None] = mapped_column(Integer, index=True)

    paragraphs: Mapped[list[ParagraphRow]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="ParagraphRow.idx"
    )
    copies: Mapped[list[CopyRow]] = relationship(back_populates="article", cascade="all, delete-orphan")


class ParagraphRow(Base):
    __tablename__ = "paragraphs"
    __table_args__ = (UniqueConstraint("article_id", "idx"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    idx: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(8))
    language: Mapped[str | None] = mapped_column(String(8))

    article: Mapped[ArticleRow] = relationship(back_populates="paragraphs")


class CopyRow(Base):
    """Another input carrying an article already stored: syndicated, re-scraped or exact duplicates."""

    __tablename__ = "copies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(Text)
    raw_hash: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    outlet_name: Mapped[str | None] = mapped_column(Text)
    similarity: Mapped[float] = mapped_column(Float)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)

    article: Mapped[ArticleRow] = relationship(back_populates="copies")


class FailureRow(Base):
    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    origin: Mapped[str] = mapped_column(Text, index=True)
    reason: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    inputs: Mapped[str] = mapped_column(Text)
    stored: Mapped[int] = mapped_column(Integer, default=0)
    copies: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)


class OutletLineRow(Base):
    """Short lines seen per site or folder, to learn each outlet's recurring furniture."""

    __tablename__ = "outlet_lines"
    __table_args__ = (Index("ix_outlet_lines_key_fingerprint", "key", "fingerprint"),)

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(16), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)


class ActorRow(Base):
    """A person or organisation that speaks, once across the whole store whatever the spelling."""

    __tablename__ = "actors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    # The name's surname skeleton (lang.names), so a spelling a person types finds its actor in SQL.
    surname_key: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)

    aliases: Mapped[list[ActorAliasRow]] = relationship(cascade="all, delete-orphan")
    roles: Mapped[list[ActorRoleRow]] = relationship(cascade="all, delete-orphan")

    @validates("name")
    def _keyed(self, _key: str, name: str) -> str:
        self.surname_key = surname_key(name)
        return name


class ActorAliasRow(Base):
    __tablename__ = "actor_aliases"
    __table_args__ = (UniqueConstraint("actor_id", "alias"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text)


class ActorRoleRow(Base):
    """A role as one article gives it, dated by the statement it came with."""

    __tablename__ = "actor_roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(Text)
    date: Mapped[str | None] = mapped_column(String(16))


class StatementRow(Base):
    __tablename__ = "statements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    # None for an unnamed source ("experts", "a poll"): the statement is kept, no actor stands for it.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True, nullable=True)
    speaker: Mapped[str] = mapped_column(Text)  # the spelling this article uses
    kind: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    role: Mapped[str | None] = mapped_column(Text)
    # "introduced with a colon, in translation" outgrew 32 characters: PostgreSQL holds a VARCHAR to
    # its length, SQLite never did (migration 0019 widens them there only).
    cue: Mapped[str] = mapped_column(String(32).with_variant(Text(), "postgresql"))
    via: Mapped[str] = mapped_column(String(32).with_variant(Text(), "postgresql"))
    date: Mapped[str | None] = mapped_column(String(16), index=True)
    date_kind: Mapped[str] = mapped_column(String(8))


class PropositionRow(Base):
    """A yes/no claim that actors take sides on, named by a user or proposed from recurring statements."""

    __tablename__ = "propositions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    text: Mapped[str] = mapped_column(Text, unique=True)
    origin: Mapped[str] = mapped_column(String(16))  # user or proposed
    status: Mapped[str] = mapped_column(String(16))  # accepted, proposed or dropped
    # Statements up to this id have been judged against the proposition; newer ones wait.
    scored_through: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # What the stored shifts were computed from (see PositionStore.shift_inputs); None before any.
    shifts_of: Mapped[str | None] = mapped_column(Text, nullable=True)


class ShiftRow(Base):
    """A shift, walk-back or contradiction on one proposition, between the stances of two statements."""

    __tablename__ = "shifts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposition_id: Mapped[int] = mapped_column(ForeignKey("propositions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    actor: Mapped[str] = mapped_column(Text)
    before_statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    after_statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    reported: Mapped[str | None] = mapped_column(Text, nullable=True)
    after_date: Mapped[str | None] = mapped_column(String(32), nullable=True)


class StanceRow(Base):
    """One statement's stance on one proposition, with the words that decided it."""

    __tablename__ = "stances"
    __table_args__ = (UniqueConstraint("statement_id", "proposition_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    proposition_id: Mapped[int] = mapped_column(ForeignKey("propositions.id", ondelete="CASCADE"), index=True)
    stance: Mapped[str] = mapped_column(String(8))
    confidence: Mapped[float] = mapped_column(Float)
    anchor: Mapped[str] = mapped_column(Text)
    cues: Mapped[str] = mapped_column(Text)  # JSON list


class StatementVectorRow(Base):
    """A statement's embedding (English model), stored once: every proposition retrieves by it."""

    __tablename__ = "statement_vectors"

    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, unit length


class UnsidedRow(Base):
    """A statement retrieval found near a proposition that the stance reader judged to take no
    side on it: what explains an empty or thin position list."""

    __tablename__ = "unsided"
    __table_args__ = (UniqueConstraint("statement_id", "proposition_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statement_id: Mapped[int] = mapped_column(ForeignKey("statements.id", ondelete="CASCADE"), index=True)
    proposition_id: Mapped[int] = mapped_column(ForeignKey("propositions.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[float] = mapped_column(Float)
    neutral: Mapped[float] = mapped_column(Float)  # the reader's probability of no side


class ArticleParseRow(Base):
    """An article's parse (a spaCy DocBin), written with its statements by the analysis version that made it."""

    __tablename__ = "article_parses"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    offsets_json: Mapped[str] = mapped_column(Text)
    has_title: Mapped[bool] = mapped_column(Boolean)
    docbin: Mapped[bytes] = mapped_column(LargeBinary)


class ArticleReadingRow(Base):
    """Statements a queue worker read from an article (its speakers as the text names them), kept
    until the one analysis resolves them to actors and saves them; the parse waits in article_parses.
    A reading of another text (the article or its translation changed since) is not used."""

    __tablename__ = "article_readings"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    text_digest: Mapped[str] = mapped_column(String(64))
    statements_json: Mapped[str] = mapped_column(Text)


class TranslationRow(Base):
    """An article's English text, and which of its sentences came from which original sentence."""

    __tablename__ = "translations"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    source_language: Mapped[str] = mapped_column(String(8))
    backend: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    segments_json: Mapped[str] = mapped_column(Text)  # [[original start, end, translated start, end], ...]
    title: Mapped[str | None] = mapped_column(Text)  # the article's title in English
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ArticleVectorRow(Base):
    """An article's embedding (title and lead), stored once: clustering and semantic search read it."""

    __tablename__ = "article_vectors"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, unit length


class StoryRow(Base):
    """A story line: events linked over months by what they are about and who speaks in them."""

    __tablename__ = "stories"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(Text, default="")  # a headline: the most central article's title
    label_language: Mapped[str | None] = mapped_column(String(8))  # set when the label is a title left untranslated
    centroid: Mapped[bytes] = mapped_column(LargeBinary)  # float32 sum of member vectors (multilingual model)
    size: Mapped[int] = mapped_column(Integer, default=0)
    first_date: Mapped[str | None] = mapped_column(String(16))
    last_date: Mapped[str | None] = mapped_column(String(16), index=True)
    english_centroid: Mapped[bytes | None] = mapped_column(LargeBinary)  # sum over English members (English model)
    english_size: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[str] = mapped_column(Text, default="[]")  # JSON list


class StoryDigestRow(Base):
    """A story's summary and sections as the digests stage computed them, for the articles its `inputs` fingerprint."""

    __tablename__ = "story_digests"

    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), primary_key=True)
    inputs: Mapped[str] = mapped_column(String(64))
    summary_json: Mapped[str] = mapped_column(Text)
    sections_json: Mapped[str] = mapped_column(Text)


class EventRow(Base):
    """One happening, days to weeks long, reported by one or more articles."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    story_id: Mapped[int] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    centroid: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int] = mapped_column(Integer, default=0)
    first_date: Mapped[str | None] = mapped_column(String(16))
    last_date: Mapped[str | None] = mapped_column(String(16), index=True)
    actors: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of actor ids quoted in the event
    english_centroid: Mapped[bytes | None] = mapped_column(LargeBinary)
    english_size: Mapped[int] = mapped_column(Integer, default=0)
    languages: Mapped[str] = mapped_column(Text, default="[]")


class EventArticleRow(Base):
    __tablename__ = "event_articles"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    similarity: Mapped[float] = mapped_column(Float)


class WebhookRow(Base):
    """A URL that wants a POST for each new statement or position shift."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    url: Mapped[str] = mapped_column(Text)
    kinds: Mapped[str] = mapped_column(Text, default='["statement", "shift"]')  # JSON list of alert kinds
    secret: Mapped[str | None] = mapped_column(Text)  # signs each body with HMAC-SHA256
    allow_private: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    about: Mapped[str | None] = mapped_column(String(40))  # "story:ID", "actor:ID", "proposition:ID"; NULL: everything


class AlertRow(Base):
    """Something that happened once: a statement landed, a shift was found. The key makes it once."""

    __tablename__ = "alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)  # JSON body sent to webhooks
    created_at: Mapped[datetime] = mapped_column(DateTime)


class DeliveryRow(Base):
    """One alert owed to one webhook; next_attempt_at doubles as the lease of whoever is sending it."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("webhook_id", "alert_id"), Index("ix_deliveries_due", "status", "next_attempt_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    webhook_id: Mapped[int] = mapped_column(ForeignKey("webhooks.id", ondelete="CASCADE"), index=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending, delivered, failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime)


class DeliveryAttemptRow(Base):
    """The delivery log: every POST tried, with what came back."""

    __tablename__ = "delivery_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    status_code: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(Text)
    seconds: Mapped[float] = mapped_column(Float)


class ContentRevisionRow(Base):
    """One counter that triggers bump on any change to what the pages show: a cheap cache key."""

    __tablename__ = "content_revision"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)


class AlertWatermarkRow(Base):
    """The last statement id alerts were recorded for: each call reads only the statements after it."""

    __tablename__ = "alert_watermark"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    statements_through: Mapped[int] = mapped_column(Integer)


class AnalysisFailureRow(Base):
    """An item (an article, a statement under a proposition) one analysis stage could not handle:
    kept out of that stage until the analysis version changes, and shown to the user with its reason."""

    __tablename__ = "analysis_failures"
    __table_args__ = (UniqueConstraint("stage", "item", "analysis_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage: Mapped[str] = mapped_column(Text)
    item: Mapped[str] = mapped_column(Text)
    analysis_version: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text)
    failed_at: Mapped[datetime] = mapped_column(DateTime)


class LeaseRow(Base):
    """Who holds a store-wide lease (one analysis at a time), until when; a holder that died lets it lapse."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    holder: Mapped[str | None] = mapped_column(Text, nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
