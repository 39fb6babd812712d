-- Schema 3: the disclosure log, one record per bundle exported (what was shared, with whom, which file).
CREATE TABLE disclosure (
    id         INTEGER PRIMARY KEY,
    state      TEXT NOT NULL,
    sort_key   TEXT NOT NULL DEFAULT '',
    trashed_at TEXT
);
