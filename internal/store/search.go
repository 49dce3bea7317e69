package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/search"
)

// maxIndexedText caps how much of a very long document is indexed.
const maxIndexedText = 200_000

// epochDay counts days since 1970, for ranking by recency in SQL that
// both databases run the same way.
func epochDay(t time.Time) int { return int(t.Unix() / 86400) }

// TextSource returns the plain text of a stored file, given its SHA-256
// and name, for the search index. It returns an error only when the text
// should be asked for again later (the context ended); a file that has
// no text or cannot be read gives "".
type TextSource func(ctx context.Context, sha256, name string) (string, error)

// SetTextSource makes IndexItem index the text of attachments, asking src
// once per distinct file content. Without one, only attachment names are
// indexed.
func (db *DB) SetTextSource(src TextSource) { db.texts.Store(&src) }

// IndexItem puts the published version of an item into the search index,
// or removes the item when it is not public. It is idempotent.
func (db *DB) IndexItem(ctx context.Context, itemID int64) error {
	if err := db.extractAttachments(ctx, itemID); err != nil {
		return err
	}
	return db.Update(ctx, func(tx *Tx) error { return tx.indexItem(ctx, itemID) })
}

// extractAttachments stores the text of the item's public attachments
// whose text is not yet known. Extraction (a PDF can take a while) runs
// outside any transaction, so it never holds the writer.
func (db *DB) extractAttachments(ctx context.Context, itemID int64) error {
	src := db.texts.Load()
	if src == nil {
		return nil
	}
	type file struct{ sha, name string }
	var todo []file
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `
			SELECT a.sha256, MIN(a.name) FROM items i
			JOIN attachments a ON a.item_id = i.id AND a.version = i.live_version
			LEFT JOIN attachment_texts t ON t.sha256 = a.sha256
			WHERE i.id = ? AND i.live_version > 0 AND t.sha256 IS NULL
			GROUP BY a.sha256`, itemID)
		if err != nil {
			return fmt.Errorf("select attachments to extract: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var f file
			if err := rows.Scan(&f.sha, &f.name); err != nil {
				return err
			}
			todo = append(todo, f)
		}
		return rows.Err()
	})
	if err != nil {
		return err
	}
	for _, f := range todo {
		text, err := (*src)(ctx, f.sha, f.name)
		if err != nil {
			return fmt.Errorf("extract attachment %s: %w", f.name, err)
		}
		text = truncateUTF8(text, maxIndexedText)
		err = db.Update(ctx, func(tx *Tx) error {
			_, err := tx.exec(ctx, `INSERT INTO attachment_texts (sha256, text, extracted_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING`,
				f.sha, text, tx.t(tx.now))
			return err
		})
		if err != nil {
			return fmt.Errorf("store attachment text: %w", err)
		}
	}
	return nil
}

// truncateUTF8 cuts s to at most n bytes on a character boundary.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func (tx *Tx) indexItem(ctx context.Context, itemID int64) error {
	const q = `
		SELECT i.org_id, i.state, i.live_version, COALESCE(i.index_no, ''), i.validity, i.last_published_at,
			v.column_id, v.title, v.subtitle, v.summary, v.body, v.doc_no, v.issuer, v.topic, v.genre, v.keywords
		FROM items i
		LEFT JOIN item_versions v ON v.item_id = i.id AND v.number = i.live_version
		WHERE i.id = ?`
	var d search.Doc
	var state string
	var live int
	var colID sql.NullInt64
	var title, subtitle, summary, body, docNo, issuer, topic, keywords sql.NullString
	var genre sql.NullString
	err := tx.queryRow(ctx, q, itemID).Scan(&d.OrgID, &state, &live, &d.IndexNo, &d.Validity, timeCol{&d.PublishedAt},
		&colID, &title, &subtitle, &summary, &body, &docNo, &issuer, &topic, &genre, &keywords)
	if errors.Is(err, sql.ErrNoRows) {
		return tx.unindex(ctx, itemID)
	}
	if err != nil {
		return fmt.Errorf("select item %d for indexing: %w", itemID, err)
	}
	if live == 0 || state == "withdrawn" || !colID.Valid {
		return tx.unindex(ctx, itemID)
	}
	d.ItemID, d.ColumnID, d.Genre = itemID, colID.Int64, genre.String
	d.Title = strings.TrimSpace(title.String + " " + subtitle.String)
	d.Year = d.PublishedAt.Year()
	meta := strings.Join([]string{d.IndexNo, docNo.String, issuer.String, topic.String, genre.String, keywords.String}, " ")
	files, err := tx.attachmentTexts(ctx, itemID, live)
	if err != nil {
		return err
	}
	d.Text = truncateUTF8(strings.TrimSpace(summary.String+" "+search.PlainText(body.String)+" "+meta+files), maxIndexedText)
	return tx.putSearchDoc(ctx, d)
}

// attachmentTexts returns the names and known texts of a version's
// attachments, each introduced by 附件 so a snippet from one reads as such.
func (tx *Tx) attachmentTexts(ctx context.Context, itemID int64, version int) (string, error) {
	rows, err := tx.query(ctx, `
		SELECT a.name, COALESCE(t.text, '') FROM attachments a
		LEFT JOIN attachment_texts t ON t.sha256 = a.sha256
		WHERE a.item_id = ? AND a.version = ? ORDER BY a.sort, a.id`, itemID, version)
	if err != nil {
		return "", fmt.Errorf("select attachment texts: %w", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var name, text string
		if err := rows.Scan(&name, &text); err != nil {
			return "", err
		}
		b.WriteString(" 附件 " + name + " " + strings.Join(strings.Fields(text), " "))
	}
	return b.String(), rows.Err()
}

func (tx *Tx) putSearchDoc(ctx context.Context, d search.Doc) error {
	titleTerms := strings.Join(search.Tokens(d.Title), " ")
	bodyTerms := strings.Join(append(search.Tokens(d.Text), filterTerms(d)...), " ")
	cols := `item_id, org_id, column_id, year, pub_day, genre, validity, index_no, published_at, title, text, title_terms, body_terms, tsv, indexed_at`
	update := `ON CONFLICT (item_id) DO UPDATE SET org_id = excluded.org_id, column_id = excluded.column_id, year = excluded.year,
		pub_day = excluded.pub_day, genre = excluded.genre, validity = excluded.validity, index_no = excluded.index_no,
		published_at = excluded.published_at, title = excluded.title, text = excluded.text, title_terms = excluded.title_terms,
		body_terms = excluded.body_terms, tsv = excluded.tsv, indexed_at = excluded.indexed_at`
	args := []any{d.ItemID, d.OrgID, d.ColumnID, d.Year, epochDay(d.PublishedAt), d.Genre, d.Validity, d.IndexNo, tx.t(d.PublishedAt),
		d.Title, d.Text, titleTerms, bodyTerms}
	var err error
	switch tx.dialect {
	case Postgres:
		// The terms become lexemes as they are (a tsvector literal goes
		// through no parser or dictionary), with positions so that title
		// lexemes can carry weight A and body lexemes B.
		_, err = tx.exec(ctx, `INSERT INTO search_docs (`+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS tsvector), ?) `+update,
			append(args, tsvectorLiteral(search.Tokens(d.Title), append(search.Tokens(d.Text), filterTerms(d)...)), tx.t(tx.now))...)
	default:
		_, err = tx.exec(ctx, `INSERT INTO search_docs (`+cols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', ?) `+update,
			append(args, tx.t(tx.now))...)
		if err == nil {
			_, err = tx.exec(ctx, `DELETE FROM search_fts WHERE rowid = ?`, d.ItemID)
		}
		if err == nil {
			_, err = tx.exec(ctx, `INSERT INTO search_fts (rowid, title_terms, body_terms) VALUES (?, ?, ?)`, d.ItemID, titleTerms, bodyTerms)
		}
	}
	if err != nil {
		return fmt.Errorf("index item %d: %w", d.ItemID, err)
	}
	return nil
}

// tsvectorLiteral writes terms as a PostgreSQL tsvector literal: each
// lexeme with its positions, title positions weighted A and body ones B.
// PostgreSQL keeps at most 256 positions per lexeme and none above 16383.
func tsvectorLiteral(title, body []string) string {
	type lexeme struct{ pos []string }
	lex := map[string]*lexeme{}
	var order []string
	add := func(term string, pos int, weight string) {
		l, ok := lex[term]
		if !ok {
			l = &lexeme{}
			lex[term] = l
			order = append(order, term)
		}
		if len(l.pos) < 256 && pos <= 16383 {
			l.pos = append(l.pos, fmt.Sprintf("%d%s", pos, weight))
		}
	}
	for i, t := range title {
		add(t, i+1, "A")
	}
	for i, t := range body {
		add(t, len(title)+i+1, "B")
	}
	var b strings.Builder
	for i, term := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		// Terms hold only letters and digits, so quoting needs no escapes.
		b.WriteString("'" + term + "'")
		if p := lex[term].pos; len(p) > 0 {
			b.WriteString(":" + strings.Join(p, ","))
		}
	}
	return b.String()
}

func (tx *Tx) unindex(ctx context.Context, itemID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM search_docs WHERE item_id = ?`, itemID); err != nil {
		return fmt.Errorf("unindex item %d: %w", itemID, err)
	}
	if tx.dialect == SQLite {
		if _, err := tx.exec(ctx, `DELETE FROM search_fts WHERE rowid = ?`, itemID); err != nil {
			return fmt.Errorf("unindex item %d: %w", itemID, err)
		}
	}
	return nil
}

// SyncSearch indexes every item changed since the last sync and returns
// how many it looked at. A periodic job runs it, so the index follows
// publishing within a minute even when nothing enqueued a direct update.
func (db *DB) SyncSearch(ctx context.Context) (int, error) {
	var ids []int64
	var newest time.Time
	err := db.View(ctx, func(tx *Tx) error {
		var since time.Time
		err := tx.queryRow(ctx, `SELECT synced_at FROM search_state WHERE id = 1`).Scan(timeCol{&since})
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("select search watermark: %w", err)
		}
		rows, err := tx.query(ctx, `SELECT id, updated_at FROM items WHERE updated_at >= ? ORDER BY updated_at`, tx.t(since))
		if err != nil {
			return fmt.Errorf("select changed items: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var at time.Time
			if err := rows.Scan(&id, timeCol{&at}); err != nil {
				return err
			}
			ids = append(ids, id)
			newest = at
		}
		return rows.Err()
	})
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	for _, id := range ids {
		if err := db.IndexItem(ctx, id); err != nil {
			return 0, err
		}
	}
	// Items changed at exactly the watermark are looked at again next
	// time (>=), which is harmless: indexing is idempotent.
	err = db.Update(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO search_state (id, synced_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET synced_at = excluded.synced_at`, tx.t(newest))
		return err
	})
	return len(ids), err
}

// filterTerms are index terms for the search filters (org, column, year,
// genre), so the full-text index itself narrows the matches: the best few
// hundred can then be chosen without scoring every match of a common word
// across the whole site group. No text yields them: the "z" prefix is
// followed by letters a query never produces next to the digits.
func filterTerms(d search.Doc) []string {
	return []string{fmt.Sprintf("zorg%d", d.OrgID), fmt.Sprintf("zcol%d", d.ColumnID), fmt.Sprintf("zyear%d", d.Year), genreTerm(d.Genre)}
}

func genreTerm(g string) string { return "zgenre" + hex.EncodeToString([]byte(g)) }

// candidates is how many of the best full-text matches are ranked further
// by validity and recency; deeper pages widen it.
const candidates = 400

// Search finds published items matching every term of q, best first:
// title matches rank above body matches, and among the best full-text
// matches, recent and valid items above old, expired or repealed ones. It
// returns a page of hits and the number of matches, counted up to
// search.MaxCount+1.
func (db *DB) Search(ctx context.Context, q search.Query, f search.Filter, today time.Time) ([]search.Hit, int, error) {
	if q.Empty() || (f.OrgIDs != nil && len(f.OrgIDs) == 0) {
		return nil, 0, nil
	}
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 20
	}
	// Every term, then the filters, each as an index term.
	terms := append([]string(nil), q.Terms...)
	var orgs []string
	for _, id := range f.OrgIDs {
		orgs = append(orgs, fmt.Sprintf("zorg%d", id))
	}
	if f.ColumnID != 0 {
		terms = append(terms, fmt.Sprintf("zcol%d", f.ColumnID))
	}
	if f.Year != 0 {
		terms = append(terms, fmt.Sprintf("zyear%d", f.Year))
	}
	if f.Genre != "" {
		terms = append(terms, genreTerm(f.Genre))
	}
	pool := max(candidates, f.Offset+f.Limit)
	var q1, q2 string
	var args1, args2 []any
	switch db.dialect {
	case Postgres:
		var parts []string
		for _, t := range terms {
			parts = append(parts, `'`+t+`'`) // terms are letters and digits only
		}
		if len(orgs) > 0 {
			parts = append(parts, `('`+strings.Join(orgs, `' | '`)+`')`)
		}
		tsq := strings.Join(parts, " & ")
		// Ranking looks at the words only: ts_rank weighs the distance
		// between the query's lexemes, and the filter terms sit apart.
		var words []string
		for _, t := range q.Terms {
			words = append(words, `'`+t+`'`)
		}
		rankQ := strings.Join(words, " & ")
		// The newest matches are the candidates; ts_rank orders them.
		q1 = `
			SELECT d.item_id, d.org_id, d.column_id, d.year, d.genre, d.validity, d.index_no, d.published_at, d.title, d.text
			FROM (SELECT item_id FROM search_docs WHERE tsv @@ CAST(? AS tsquery) ORDER BY pub_day DESC LIMIT ?) c
			JOIN search_docs d ON d.item_id = c.item_id
			ORDER BY ts_rank(d.tsv, CAST(? AS tsquery)) * (CASE WHEN d.validity = 'valid' THEN 1.0 ELSE 0.3 END) / (1.0 + (? - d.pub_day) / 365.0 * 0.3) DESC, d.item_id DESC
			LIMIT ? OFFSET ?`
		args1 = []any{tsq, pool, rankQ, epochDay(today), f.Limit, f.Offset}
		q2 = `SELECT COUNT(*) FROM (SELECT 1 FROM search_docs WHERE tsv @@ CAST(? AS tsquery) LIMIT ?) c`
		args2 = []any{tsq, search.MaxCount + 1}
	default:
		var parts []string
		for _, t := range terms {
			parts = append(parts, `"`+t+`"`)
		}
		if len(orgs) > 0 {
			parts = append(parts, `("`+strings.Join(orgs, `" OR "`)+`")`)
		}
		match := strings.Join(parts, " AND ")
		// The newest matches (item ids grow as items are created; FTS5
		// walks them in that order and stops at the limit, so a common
		// word does not score every match) are the candidates, as on
		// PostgreSQL. bm25 (negative: better matches more so; title
		// terms weigh ten times body terms) with validity and recency
		// orders them.
		// The page is chosen first and only its rows' text is read.
		q1 = `
			SELECT d.item_id, d.org_id, d.column_id, d.year, d.genre, d.validity, d.index_no, d.published_at, d.title, d.text
			FROM (
				SELECT m.rid, m.score * (CASE WHEN c.validity = 'valid' THEN 1.0 ELSE 0.3 END) / (1.0 + (? - c.pub_day) / 365.0 * 0.3) AS rank
				FROM (SELECT rowid AS rid, bm25(search_fts, 10.0, 1.0) AS score FROM search_fts WHERE search_fts MATCH ? ORDER BY rowid DESC LIMIT ?) m
				JOIN search_docs c ON c.item_id = m.rid
				ORDER BY rank, m.rid DESC
				LIMIT ? OFFSET ?) top
			JOIN search_docs d ON d.item_id = top.rid
			ORDER BY top.rank, d.item_id DESC`
		args1 = []any{epochDay(today), match, pool, f.Limit, f.Offset}
		q2 = `SELECT COUNT(*) FROM (SELECT rowid FROM search_fts WHERE search_fts MATCH ? LIMIT ?)`
		args2 = []any{match, search.MaxCount + 1}
	}
	var hits []search.Hit
	total := 0
	err := db.View(ctx, func(tx *Tx) error {
		if err := tx.queryRow(ctx, q2, args2...).Scan(&total); err != nil {
			return fmt.Errorf("count search matches: %w", err)
		}
		rows, err := tx.query(ctx, q1, args1...)
		if err != nil {
			return fmt.Errorf("search: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var h search.Hit
			if err := rows.Scan(&h.ItemID, &h.OrgID, &h.ColumnID, &h.Year, &h.Genre, &h.Validity, &h.IndexNo, timeCol{&h.PublishedAt}, &h.Title, &h.Text); err != nil {
				return err
			}
			hits = append(hits, h)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return hits, total, nil
}
