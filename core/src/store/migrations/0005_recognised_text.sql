-- Schema 5: text recognised in a record's file (OCR of a scan), page by page, in versions. A new run adds a
-- version; the earlier ones stay. Only a finished run is written, so no partial text is ever read as complete.
CREATE TABLE recognised (
    id        INTEGER PRIMARY KEY,
    kind      TEXT    NOT NULL,
    record_id INTEGER NOT NULL,
    version   INTEGER NOT NULL,
    languages TEXT    NOT NULL,
    at        TEXT    NOT NULL,
    UNIQUE (kind, record_id, version)
);
CREATE TABLE recognised_page (
    recognised_id INTEGER NOT NULL REFERENCES recognised (id),
    page          INTEGER NOT NULL,   -- from 1
    width         INTEGER NOT NULL,   -- of the page picture OCR read, in pixels
    height        INTEGER NOT NULL,
    text          TEXT    NOT NULL,
    words         TEXT    NOT NULL,   -- JSON: each word's box, line, confidence and text
    placement     TEXT,               -- JSON: the matrix placing a PDF page's picture on its page, when known
    problem       TEXT,               -- why this page has no text: a code (unreadable, crashed, timed_out, …)
    detail        TEXT    NOT NULL DEFAULT '',   -- what the reader said, where it said anything
    PRIMARY KEY (recognised_id, page)
);
