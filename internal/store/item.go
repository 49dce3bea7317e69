package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gongkai/internal/publish"
	"gongkai/internal/workday"
)

// UpdatePublish runs fn in one write transaction.
func (db *DB) UpdatePublish(ctx context.Context, fn func(publish.Tx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

const itemCols = `i.id, i.org_id, o.code, i.state, i.current_version, i.live_version, i.index_no, i.column_id, i.title,
	i.validity, i.validity_date, i.first_published_at, i.last_published_at, i.scheduled_at, i.reason, i.created_by, i.created_at, i.updated_at`

const itemFrom = ` FROM items i JOIN orgs o ON o.id = i.org_id`

func scanItem(sc interface{ Scan(...any) error }, it *publish.Item) error {
	var vdate string
	err := sc.Scan(&it.ID, &it.OrgID, &it.OrgCode, &it.State, &it.Current, &it.Live, strCol{&it.IndexNo}, &it.ColumnID, &it.Title,
		&it.Validity, &vdate, timeCol{&it.FirstPublishedAt}, timeCol{&it.LastPublishedAt}, timeCol{&it.ScheduledAt},
		&it.Reason, &it.CreatedBy, timeCol{&it.CreatedAt}, timeCol{&it.UpdatedAt})
	if err != nil {
		return err
	}
	it.ValidityDate = parseDay(vdate)
	return nil
}

func parseDay(s string) workday.Date {
	if s == "" {
		return workday.Date{}
	}
	d, err := workday.Parse(s)
	if err != nil {
		return workday.Date{}
	}
	return d
}

func dayText(d workday.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func joinIDs(ids []int64) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return strings.Join(parts, ",")
}

func splitIDs(s string) []int64 {
	var out []int64
	for _, p := range strings.Split(s, ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(p), 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}

// Item returns the item with id, or an error wrapping apperr.ErrNotFound.
func (tx *Tx) Item(ctx context.Context, id int64) (*publish.Item, error) {
	var it publish.Item
	err := scanItem(tx.queryRow(ctx, `SELECT `+itemCols+itemFrom+` WHERE i.id = ?`, id), &it)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("item", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select item %d: %w", id, err)
	}
	return &it, nil
}

// CreateItem inserts it and sets its ID, org code and timestamps.
func (tx *Tx) CreateItem(ctx context.Context, it *publish.Item) error {
	it.CreatedAt, it.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `
		INSERT INTO items (org_id, state, current_version, live_version, index_no, column_id, title, validity, validity_date,
			first_published_at, last_published_at, scheduled_at, reason, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		it.OrgID, it.State, it.Current, it.Live, nullStr(it.IndexNo), it.ColumnID, it.Title, it.Validity, dayText(it.ValidityDate),
		tx.nt(it.FirstPublishedAt), tx.nt(it.LastPublishedAt), tx.nt(it.ScheduledAt), it.Reason, it.CreatedBy, tx.t(it.CreatedAt), tx.t(it.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert item: %w", err)
	}
	it.ID = id
	if err := tx.queryRow(ctx, `SELECT code FROM orgs WHERE id = ?`, it.OrgID).Scan(&it.OrgCode); err != nil {
		return fmt.Errorf("select org code: %w", err)
	}
	return nil
}

// SaveItem stores every field of it except its org and creation time.
func (tx *Tx) SaveItem(ctx context.Context, it *publish.Item) error {
	it.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `
		UPDATE items SET state = ?, current_version = ?, live_version = ?, index_no = ?, column_id = ?, title = ?, validity = ?,
			validity_date = ?, first_published_at = ?, last_published_at = ?, scheduled_at = ?, reason = ?, updated_at = ?
		WHERE id = ?`,
		it.State, it.Current, it.Live, nullStr(it.IndexNo), it.ColumnID, it.Title, it.Validity, dayText(it.ValidityDate),
		tx.nt(it.FirstPublishedAt), tx.nt(it.LastPublishedAt), tx.nt(it.ScheduledAt), it.Reason, tx.t(it.UpdatedAt), it.ID)
	if err != nil {
		return fmt.Errorf("update item %d: %w", it.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("item", it.ID)
	}
	return nil
}

const versionCols = `item_id, number, rev, title, subtitle, summary, body, source, author, column_id, extra_columns, doc_no, issuer,
	topic, genre, written_date, formed_date, disclosure, keywords, change_note, author_id, author_name, editors, created_at, updated_at,
	submitted_at, section_by, section_at, review_by, review_at, published_at`

func scanVersion(sc interface{ Scan(...any) error }, v *publish.Version) error {
	var cols, editors, written, formed string
	err := sc.Scan(&v.ItemID, &v.Number, &v.Rev, &v.Title, &v.Subtitle, &v.Summary, &v.Body, &v.Source, &v.Author, &v.ColumnID, &cols,
		&v.DocNo, &v.Issuer, &v.Topic, &v.Genre, &written, &formed, &v.Disclosure, &v.Keywords, &v.ChangeNote, &v.AuthorID, &v.AuthorName,
		&editors, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}, timeCol{&v.SubmittedAt}, &v.SectionBy, timeCol{&v.SectionAt},
		&v.ReviewBy, timeCol{&v.ReviewAt}, timeCol{&v.PublishedAt})
	if err != nil {
		return err
	}
	v.Columns, v.Editors = splitIDs(cols), splitIDs(editors)
	v.WrittenDate, v.FormedDate = parseDay(written), parseDay(formed)
	return nil
}

// Version returns version number of item itemID.
func (tx *Tx) Version(ctx context.Context, itemID int64, number int) (*publish.Version, error) {
	var v publish.Version
	err := scanVersion(tx.queryRow(ctx, `SELECT `+versionCols+` FROM item_versions WHERE item_id = ? AND number = ?`, itemID, number), &v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("item version", fmt.Sprintf("%d/%d", itemID, number))
	}
	if err != nil {
		return nil, fmt.Errorf("select item %d version %d: %w", itemID, number, err)
	}
	return &v, nil
}

// Versions returns every version of an item, newest first.
func (tx *Tx) Versions(ctx context.Context, itemID int64) ([]publish.Version, error) {
	rows, err := tx.query(ctx, `SELECT `+versionCols+` FROM item_versions WHERE item_id = ? ORDER BY number DESC`, itemID)
	if err != nil {
		return nil, fmt.Errorf("select versions of item %d: %w", itemID, err)
	}
	defer rows.Close()
	var out []publish.Version
	for rows.Next() {
		var v publish.Version
		if err := scanVersion(rows, &v); err != nil {
			return nil, fmt.Errorf("scan version: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// AddVersion inserts v and sets its timestamps.
func (tx *Tx) AddVersion(ctx context.Context, v *publish.Version) error {
	v.CreatedAt, v.UpdatedAt = tx.now, tx.now
	_, err := tx.exec(ctx, `
		INSERT INTO item_versions (`+versionCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		v.ItemID, v.Number, v.Rev, v.Title, v.Subtitle, v.Summary, v.Body, v.Source, v.Author, v.ColumnID, joinIDs(v.Columns),
		v.DocNo, v.Issuer, v.Topic, v.Genre, dayText(v.WrittenDate), dayText(v.FormedDate), v.Disclosure, v.Keywords, v.ChangeNote,
		v.AuthorID, v.AuthorName, joinIDs(v.Editors), tx.t(v.CreatedAt), tx.t(v.UpdatedAt), tx.nt(v.SubmittedAt), v.SectionBy,
		tx.nt(v.SectionAt), v.ReviewBy, tx.nt(v.ReviewAt), tx.nt(v.PublishedAt))
	if err != nil {
		return fmt.Errorf("insert item %d version %d: %w", v.ItemID, v.Number, err)
	}
	return nil
}

// SaveVersion stores v if its stored rev is still wantRev; otherwise it
// returns publish.ErrStale, which wraps apperr.ErrConflict.
func (tx *Tx) SaveVersion(ctx context.Context, v *publish.Version, wantRev int) error {
	v.UpdatedAt = tx.now
	res, err := tx.exec(ctx, `
		UPDATE item_versions SET rev = ?, title = ?, subtitle = ?, summary = ?, body = ?, source = ?, author = ?, column_id = ?,
			extra_columns = ?, doc_no = ?, issuer = ?, topic = ?, genre = ?, written_date = ?, formed_date = ?, disclosure = ?,
			keywords = ?, change_note = ?, editors = ?, updated_at = ?, submitted_at = ?, section_by = ?, section_at = ?,
			review_by = ?, review_at = ?, published_at = ?
		WHERE item_id = ? AND number = ? AND rev = ?`,
		v.Rev, v.Title, v.Subtitle, v.Summary, v.Body, v.Source, v.Author, v.ColumnID, joinIDs(v.Columns), v.DocNo, v.Issuer,
		v.Topic, v.Genre, dayText(v.WrittenDate), dayText(v.FormedDate), v.Disclosure, v.Keywords, v.ChangeNote, joinIDs(v.Editors),
		tx.t(v.UpdatedAt), tx.nt(v.SubmittedAt), v.SectionBy, tx.nt(v.SectionAt), v.ReviewBy, tx.nt(v.ReviewAt), tx.nt(v.PublishedAt),
		v.ItemID, v.Number, wantRev)
	if err != nil {
		return fmt.Errorf("update item %d version %d: %w", v.ItemID, v.Number, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return publish.ErrStale
	}
	return nil
}

// Topics returns the configurable topic classification, in order.
func (tx *Tx) Topics(ctx context.Context) ([]string, error) {
	rows, err := tx.query(ctx, `SELECT name FROM item_topics ORDER BY sort, name`)
	if err != nil {
		return nil, fmt.Errorf("select topics: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// AddTopic adds a topic to the classification list.
func (tx *Tx) AddTopic(ctx context.Context, name string, sort int) error {
	if _, err := tx.exec(ctx, `INSERT INTO item_topics (name, sort) VALUES (?, ?)`, name, sort); err != nil {
		return fmt.Errorf("insert topic: %w", err)
	}
	return nil
}

// RemoveTopic removes a topic from the classification list.
func (tx *Tx) RemoveTopic(ctx context.Context, name string) error {
	res, err := tx.exec(ctx, `DELETE FROM item_topics WHERE name = ?`, name)
	if err != nil {
		return fmt.Errorf("delete topic: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("topic", name)
	}
	return nil
}

// SetItemColumns replaces the columns the item's live version appears in.
func (tx *Tx) SetItemColumns(ctx context.Context, itemID int64, columns []int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM item_columns WHERE item_id = ?`, itemID); err != nil {
		return fmt.Errorf("clear item columns: %w", err)
	}
	seen := map[int64]bool{}
	for _, c := range columns {
		if seen[c] {
			continue
		}
		seen[c] = true
		if _, err := tx.exec(ctx, `INSERT INTO item_columns (item_id, column_id) VALUES (?, ?)`, itemID, c); err != nil {
			return fmt.Errorf("insert item column: %w", err)
		}
	}
	return nil
}

// NextIndexSerial allocates the next index-number serial of an org for a
// year. The counter row is updated in the caller's transaction, so a
// rolled-back publish gives its serial back and a committed one never
// repeats.
func (tx *Tx) NextIndexSerial(ctx context.Context, orgID int64, year int) (int, error) {
	var n int
	err := tx.queryRow(ctx, `
		INSERT INTO index_counters (org_id, year, last) VALUES (?, ?, 1)
		ON CONFLICT (org_id, year) DO UPDATE SET last = index_counters.last + 1
		RETURNING last`, orgID, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("allocate index number: %w", mapErr(tx.dialect, err))
	}
	return n, nil
}

const attCols = `id, item_id, version, name, content_type, size, sha256, sort, created_at, caption, is_map`

func scanAtt(sc interface{ Scan(...any) error }, a *publish.Attachment) error {
	return sc.Scan(&a.ID, &a.ItemID, &a.Version, &a.Name, &a.ContentType, &a.Size, &a.SHA256, &a.Sort, timeCol{&a.CreatedAt}, &a.Caption, &a.IsMap)
}

// Attachments returns the attachments of one version of an item, in order.
func (tx *Tx) Attachments(ctx context.Context, itemID int64, version int) ([]publish.Attachment, error) {
	rows, err := tx.query(ctx, `SELECT `+attCols+` FROM attachments WHERE item_id = ? AND version = ? ORDER BY sort, id`, itemID, version)
	if err != nil {
		return nil, fmt.Errorf("select attachments: %w", err)
	}
	defer rows.Close()
	var out []publish.Attachment
	for rows.Next() {
		var a publish.Attachment
		if err := scanAtt(rows, &a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddAttachment inserts a and sets its ID, sort order and time.
func (tx *Tx) AddAttachment(ctx context.Context, a *publish.Attachment) error {
	a.CreatedAt = tx.now
	if err := tx.queryRow(ctx, `SELECT COALESCE(MAX(sort), 0) + 10 FROM attachments WHERE item_id = ? AND version = ?`, a.ItemID, a.Version).Scan(&a.Sort); err != nil {
		return fmt.Errorf("next attachment sort: %w", err)
	}
	id, err := tx.insert(ctx, `
		INSERT INTO attachments (item_id, version, name, content_type, size, sha256, sort, created_at, caption, is_map)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.ItemID, a.Version, a.Name, a.ContentType, a.Size, a.SHA256, a.Sort, tx.t(a.CreatedAt), a.Caption, a.IsMap)
	if err != nil {
		return fmt.Errorf("insert attachment: %w", err)
	}
	a.ID = id
	return nil
}

// RemoveAttachment deletes an attachment of one version.
func (tx *Tx) RemoveAttachment(ctx context.Context, itemID int64, version int, id int64) error {
	res, err := tx.exec(ctx, `DELETE FROM attachments WHERE id = ? AND item_id = ? AND version = ?`, id, itemID, version)
	if err != nil {
		return fmt.Errorf("delete attachment %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound("attachment", id)
	}
	return nil
}

// CopyAttachments gives version to of an item the attachments of version from.
func (tx *Tx) CopyAttachments(ctx context.Context, itemID int64, from, to int) error {
	_, err := tx.exec(ctx, `
		INSERT INTO attachments (item_id, version, name, content_type, size, sha256, sort, created_at, caption, is_map)
		SELECT item_id, ?, name, content_type, size, sha256, sort, ?, caption, is_map
		FROM attachments WHERE item_id = ? AND version = ?
		ORDER BY sort, id`, to, tx.t(tx.now), itemID, from)
	if err != nil {
		return fmt.Errorf("copy attachments of item %d: %w", itemID, err)
	}
	return nil
}

// Items lists items matching f with their version (the live one for
// public listings, the current one for staff), and the total count.
func (tx *Tx) Items(ctx context.Context, f publish.Filter) ([]publish.Listed, int, error) {
	var where []string
	var args []any
	verJoin := `v.number = i.current_version`
	if f.Public {
		verJoin = `v.number = i.live_version`
		where = append(where, `i.live_version > 0`, `i.state <> 'withdrawn'`)
	}
	if f.OrgIDs != nil {
		if len(f.OrgIDs) == 0 {
			return nil, 0, nil
		}
		where = append(where, `i.org_id IN (`+placeholders(len(f.OrgIDs))+`)`)
		for _, id := range f.OrgIDs {
			args = append(args, id)
		}
	}
	if len(f.States) > 0 {
		where = append(where, `i.state IN (`+placeholders(len(f.States))+`)`)
		for _, s := range f.States {
			args = append(args, s)
		}
	}
	if f.ColumnID != 0 {
		if f.Public {
			where = append(where, `i.id IN (SELECT item_id FROM item_columns WHERE column_id = ?)`)
		} else {
			where = append(where, `i.column_id = ?`)
		}
		args = append(args, f.ColumnID)
	}
	if f.Query != "" {
		where = append(where, `(v.title LIKE ? OR i.index_no = ? OR v.doc_no LIKE ?)`)
		args = append(args, "%"+escapeLike(f.Query)+"%", f.Query, "%"+escapeLike(f.Query)+"%")
	}
	if f.Topic != "" {
		where = append(where, `v.topic = ?`)
		args = append(args, f.Topic)
	}
	if f.Genre != "" {
		where = append(where, `v.genre = ?`)
		args = append(args, f.Genre)
	}
	if f.Validity != "" {
		where = append(where, `i.validity = ?`)
		args = append(args, f.Validity)
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 20
	}
	from := ` FROM items i JOIN item_versions v ON v.item_id = i.id AND ` + verJoin
	if len(where) > 0 {
		from += ` WHERE ` + strings.Join(where, ` AND `)
	}
	order := ` ORDER BY i.updated_at DESC, i.id DESC`
	if f.Public {
		order = ` ORDER BY i.first_published_at DESC, i.id DESC`
	}
	return tx.listedPage(ctx, from, order, verJoin, args, f.Limit, f.Offset)
}

// listedPage reads one page of a listing: the count, then the page's
// item ids (from, the FROM and WHERE clauses over items i and versions v,
// in order), then those items with their versions (joined by verJoin).
// Counting and choosing apart keeps a deep page of a long column from
// carrying every matching row's body through a sort.
func (tx *Tx) listedPage(ctx context.Context, from, order, verJoin string, args []any, limit, offset int) ([]publish.Listed, int, error) {
	total := 0
	if err := tx.queryRow(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count items: %w", err)
	}
	if total == 0 || offset >= total {
		return nil, total, nil
	}
	ids, err := tx.queryIDs(ctx, `SELECT i.id`+from+order+` LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil || len(ids) == 0 {
		return nil, total, err
	}
	out, err := tx.listedRows(ctx, ids, verJoin, order)
	return out, total, err
}

// listedRows reads the items ids with their versions (joined by verJoin),
// in order.
func (tx *Tx) listedRows(ctx context.Context, ids []int64, verJoin, order string) ([]publish.Listed, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	idArgs := make([]any, len(ids))
	for i, id := range ids {
		idArgs[i] = id
	}
	q := `SELECT ` + itemCols + `, ` + prefixed("v.", versionCols) + itemFrom + ` JOIN item_versions v ON v.item_id = i.id AND ` + verJoin +
		` WHERE i.id IN (` + placeholders(len(ids)) + `)` + order
	rows, err := tx.query(ctx, q, idArgs...)
	if err != nil {
		return nil, fmt.Errorf("select items: %w", err)
	}
	defer rows.Close()
	var out []publish.Listed
	for rows.Next() {
		var l publish.Listed
		var it = &l.Item
		var v = &l.Version
		var vdate, cols, editors, written, formed string
		err := rows.Scan(&it.ID, &it.OrgID, &it.OrgCode, &it.State, &it.Current, &it.Live, strCol{&it.IndexNo}, &it.ColumnID, &it.Title,
			&it.Validity, &vdate, timeCol{&it.FirstPublishedAt}, timeCol{&it.LastPublishedAt}, timeCol{&it.ScheduledAt},
			&it.Reason, &it.CreatedBy, timeCol{&it.CreatedAt}, timeCol{&it.UpdatedAt},
			&v.ItemID, &v.Number, &v.Rev, &v.Title, &v.Subtitle, &v.Summary, &v.Body, &v.Source, &v.Author, &v.ColumnID, &cols,
			&v.DocNo, &v.Issuer, &v.Topic, &v.Genre, &written, &formed, &v.Disclosure, &v.Keywords, &v.ChangeNote, &v.AuthorID, &v.AuthorName,
			&editors, timeCol{&v.CreatedAt}, timeCol{&v.UpdatedAt}, timeCol{&v.SubmittedAt}, &v.SectionBy, timeCol{&v.SectionAt},
			&v.ReviewBy, timeCol{&v.ReviewAt}, timeCol{&v.PublishedAt})
		if err != nil {
			return nil, fmt.Errorf("scan item: %w", err)
		}
		it.ValidityDate = parseDay(vdate)
		v.Columns, v.Editors = splitIDs(cols), splitIDs(editors)
		v.WrittenDate, v.FormedDate = parseDay(written), parseDay(formed)
		out = append(out, l)
	}
	return out, rows.Err()
}

// queryIDs returns the first column of q's rows.
func (tx *Tx) queryIDs(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("select ids: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

func placeholders(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

func prefixed(p, cols string) string {
	parts := strings.Split(cols, ",")
	for i, c := range parts {
		parts[i] = p + strings.TrimSpace(c)
	}
	return strings.Join(parts, ", ")
}

// escapeLike makes % and _ literal; both backends treat backslash as the
// default LIKE escape only on PostgreSQL, so the characters are dropped.
func escapeLike(s string) string {
	return strings.NewReplacer("%", "", "_", "").Replace(s)
}

// PublicAttachment returns a published attachment with the given SHA-256:
// one attached to the live version of an item that is not withdrawn.
func (tx *Tx) PublicAttachment(ctx context.Context, sha string) (*publish.Attachment, error) {
	var a publish.Attachment
	err := scanAtt(tx.queryRow(ctx, `
		SELECT `+prefixed("a.", attCols)+`
		FROM attachments a JOIN items i ON i.id = a.item_id AND a.version = i.live_version
		WHERE a.sha256 = ? AND i.state <> 'withdrawn'
		ORDER BY a.id LIMIT 1`, sha), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("attachment", sha)
	}
	if err != nil {
		return nil, fmt.Errorf("select attachment: %w", err)
	}
	return &a, nil
}

// AttachmentByID returns one attachment.
func (tx *Tx) AttachmentByID(ctx context.Context, id int64) (*publish.Attachment, error) {
	var a publish.Attachment
	err := scanAtt(tx.queryRow(ctx, `SELECT `+attCols+` FROM attachments WHERE id = ?`, id), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("attachment", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select attachment %d: %w", id, err)
	}
	return &a, nil
}

// Read helpers in a transaction of their own, for pages.

// Item returns the item with id.
func (db *DB) Item(ctx context.Context, id int64) (out *publish.Item, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Item(ctx, id); return err })
	return out, err
}

// ItemVersion returns version n of an item.
func (db *DB) ItemVersion(ctx context.Context, id int64, n int) (out *publish.Version, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Version(ctx, id, n); return err })
	return out, err
}

// ItemVersions returns every version of an item, newest first.
func (db *DB) ItemVersions(ctx context.Context, id int64) (out []publish.Version, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Versions(ctx, id); return err })
	return out, err
}

// ItemAttachments returns the attachments of one version of an item.
func (db *DB) ItemAttachments(ctx context.Context, id int64, version int) (out []publish.Attachment, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Attachments(ctx, id, version); return err })
	return out, err
}

// Items lists items matching f, and the total count.
func (db *DB) Items(ctx context.Context, f publish.Filter) (out []publish.Listed, total int, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, total, err = tx.Items(ctx, f); return err })
	return out, total, err
}

// Topics returns the topic classification list.
func (db *DB) Topics(ctx context.Context) (out []string, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Topics(ctx); return err })
	return out, err
}

// PublicAttachment returns a published attachment by SHA-256.
func (db *DB) PublicAttachment(ctx context.Context, sha string) (out *publish.Attachment, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.PublicAttachment(ctx, sha); return err })
	return out, err
}

// Attachment returns one attachment by ID.
func (db *DB) Attachment(ctx context.Context, id int64) (out *publish.Attachment, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.AttachmentByID(ctx, id); return err })
	return out, err
}
