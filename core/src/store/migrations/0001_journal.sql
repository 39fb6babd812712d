-- Schema 1 of the Redress journal. Shipped migrations are never edited: add 0002_… instead.
-- Each record table keeps the record's canonical JSON state (what the audit chain hashes), a sort key,
-- and trashed_at while it is in the trash.

CREATE TABLE audit (
    seq          INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    entity       TEXT    NOT NULL,
    entity_id    INTEGER,
    payload      TEXT,              -- the record's state after the change; NULL once purged
    payload_hash BLOB    NOT NULL,
    prev_hash    BLOB    NOT NULL,
    hash         BLOB    NOT NULL
);
CREATE INDEX audit_entity ON audit (entity, entity_id);

CREATE TABLE profile (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    state      TEXT NOT NULL,
    sort_key   TEXT NOT NULL DEFAULT '',
    trashed_at TEXT
);

-- Evidence content: one blob per distinct SHA-256, stored as ordered chunks so memory stays bounded.
CREATE TABLE blob (
    id     INTEGER PRIMARY KEY,
    sha256 BLOB UNIQUE,             -- set when the last chunk is written, inside the import transaction
    size   INTEGER NOT NULL DEFAULT 0,
    mime   TEXT    NOT NULL DEFAULT 'application/octet-stream'
);
CREATE TABLE blob_chunk (
    id      INTEGER PRIMARY KEY,
    blob_id INTEGER NOT NULL REFERENCES blob (id),
    seq     INTEGER NOT NULL,
    data    BLOB    NOT NULL,
    UNIQUE (blob_id, seq)
);

CREATE TABLE evidence (
    id         INTEGER PRIMARY KEY,
    blob_id    INTEGER NOT NULL REFERENCES blob (id),
    state      TEXT    NOT NULL,
    sort_key   TEXT    NOT NULL DEFAULT '',
    trashed_at TEXT
);
CREATE INDEX evidence_blob ON evidence (blob_id);

CREATE TABLE event (
    id         INTEGER PRIMARY KEY,
    state      TEXT NOT NULL,
    sort_key   TEXT NOT NULL DEFAULT '',
    trashed_at TEXT
);

CREATE TABLE contact (
    id         INTEGER PRIMARY KEY,
    state      TEXT NOT NULL,
    sort_key   TEXT NOT NULL DEFAULT '',
    trashed_at TEXT
);

CREATE TABLE deadline (
    id         INTEGER PRIMARY KEY,
    state      TEXT NOT NULL,
    sort_key   TEXT NOT NULL DEFAULT '',
    trashed_at TEXT
);

-- Full-text search across every kind; rows are kept in step with the records in the same transactions.
CREATE VIRTUAL TABLE search USING fts5 (
    kind UNINDEXED,
    record_id UNINDEXED,
    title,
    body,
    tokenize = 'unicode61 remove_diacritics 2'
);
