-- Schema 4: "Erase for good" erases from the search index too. Without FTS5's secure-delete (SQLite 3.42 and
-- later; a persistent setting of the table), a deleted row leaves its terms in the index pages (`search_data`)
-- behind delete markers until a merge. 'optimize' merges the index once, so what records trashed or edited
-- before this migration left behind is gone as well.
INSERT INTO search (search, rank) VALUES ('secure-delete', 1);
INSERT INTO search (search) VALUES ('optimize');
