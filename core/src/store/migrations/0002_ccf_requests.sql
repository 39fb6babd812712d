-- Schema 2: CCF review requests (drafts for counsel). Same shape as the other record tables.
CREATE TABLE ccf_request (
    id         INTEGER PRIMARY KEY,
    state      TEXT NOT NULL,
    sort_key   TEXT NOT NULL DEFAULT '',
    trashed_at TEXT
);
