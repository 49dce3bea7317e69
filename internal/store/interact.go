package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gongkai/internal/apperr"
	"gongkai/internal/interact"
	"gongkai/internal/workday"
)

// *Tx is what the interaction service reads and writes through.
var _ interact.Tx = (*Tx)(nil)

// UpdateInteract runs fn in one write transaction.
func (db *DB) UpdateInteract(ctx context.Context, fn func(interact.Tx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

// ViewInteract runs fn in one read-only transaction.
func (db *DB) ViewInteract(ctx context.Context, fn func(interact.Tx) error) error {
	return db.View(ctx, func(tx *Tx) error { return fn(tx) })
}

const messageCols = `id, org_id, query_no, code_hash, kind, subject, body, name, phone, email, consent, state, section, handler_id,
	reject_reason, submitted_at, received_on, due_on, deadline_days, answered_on, answered_at, late, published, public_name, public_subject,
	public_body, public_reply, fingerprint, created_at, updated_at`

func scanMessage(sc interface{ Scan(...any) error }, m *interact.Message) error {
	return sc.Scan(&m.ID, &m.OrgID, &m.QueryNo, &m.CodeHash, &m.Kind, &m.Subject, &m.Body, &m.Sender.Name, &m.Sender.Phone, &m.Sender.Email,
		&m.Consent, &m.State, &m.Section, idCol{&m.HandlerID}, &m.RejectReason, timeCol{&m.SubmittedAt}, dayCol{&m.ReceivedOn}, dayCol{&m.DueOn},
		&m.DeadlineDays, dayCol{&m.AnsweredOn}, timeCol{&m.AnsweredAt}, &m.Late, &m.Published, &m.PublicName, &m.PublicSubject, &m.PublicBody, &m.PublicReply,
		&m.Fingerprint, timeCol{&m.CreatedAt}, timeCol{&m.UpdatedAt})
}

func (tx *Tx) messageWhere(ctx context.Context, what, where string, args ...any) (*interact.Message, error) {
	var m interact.Message
	err := scanMessage(tx.queryRow(ctx, `SELECT `+messageCols+` FROM interact_messages WHERE `+where, args...), &m)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("message", what)
	}
	if err != nil {
		return nil, fmt.Errorf("select message %s: %w", what, err)
	}
	if err := tx.loadReplyRating(ctx, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

func (tx *Tx) loadReplyRating(ctx context.Context, m *interact.Message) error {
	var r interact.Reply
	err := tx.queryRow(ctx, `SELECT id, message_id, body, status, drafted_by, drafted_name, drafted_at, decided_by, decided_name, decided_at, note, publish
		FROM interact_replies WHERE message_id = ? ORDER BY id DESC LIMIT 1`, m.ID).Scan(&r.ID, &r.MessageID, &r.Body, &r.Status, &r.DraftedBy, &r.DraftedName,
		timeCol{&r.DraftedAt}, &r.DecidedBy, &r.DecidedName, timeCol{&r.DecidedAt}, &r.Note, &r.Publish)
	switch {
	case err == nil:
		m.Reply = &r
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("select reply of message %d: %w", m.ID, err)
	}
	var g interact.Rating
	err = tx.queryRow(ctx, `SELECT message_id, level, comment, at FROM interact_ratings WHERE message_id = ?`, m.ID).Scan(&g.MessageID, &g.Level, &g.Comment, timeCol{&g.At})
	switch {
	case err == nil:
		m.Rating = &g
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("select rating of message %d: %w", m.ID, err)
	}
	return nil
}

// Message returns the message with id, its latest reply and its rating.
func (tx *Tx) Message(ctx context.Context, id int64) (*interact.Message, error) {
	return tx.messageWhere(ctx, fmt.Sprint(id), `id = ?`, id)
}

// MessageByQueryNo returns the message with the query number.
func (tx *Tx) MessageByQueryNo(ctx context.Context, no string) (*interact.Message, error) {
	return tx.messageWhere(ctx, "by query number", `query_no = ?`, no)
}

// RecentMessageByFingerprint returns the newest message with the
// fingerprint created at or after since.
func (tx *Tx) RecentMessageByFingerprint(ctx context.Context, fp string, since time.Time) (*interact.Message, bool, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM interact_messages WHERE fingerprint = ? AND created_at >= ? ORDER BY id DESC LIMIT 1`, fp, tx.t(since)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("select message by fingerprint: %w", err)
	}
	m, err := tx.Message(ctx, id)
	return m, err == nil, err
}

// CreateMessage inserts m and sets its ID and timestamps.
func (tx *Tx) CreateMessage(ctx context.Context, m *interact.Message) error {
	m.CreatedAt, m.UpdatedAt = tx.now, tx.now
	id, err := tx.insert(ctx, `INSERT INTO interact_messages (org_id, query_no, code_hash, kind, subject, body, name, phone, email, consent, state,
		section, handler_id, reject_reason, submitted_at, received_on, due_on, deadline_days, answered_on, answered_at, late, published, public_name,
		public_subject, public_body, public_reply, fingerprint, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.OrgID, m.QueryNo, m.CodeHash, m.Kind, m.Subject, m.Body, m.Sender.Name, m.Sender.Phone, m.Sender.Email, m.Consent, m.State,
		m.Section, nullID(m.HandlerID), m.RejectReason, tx.t(m.SubmittedAt), day(m.ReceivedOn), day(m.DueOn), m.DeadlineDays, day(m.AnsweredOn), tx.nt(m.AnsweredAt),
		m.Late, m.Published, m.PublicName, m.PublicSubject, m.PublicBody, m.PublicReply, m.Fingerprint, tx.t(m.CreatedAt), tx.t(m.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert message: %w", err)
	}
	m.ID = id
	return nil
}

// UpdateMessage saves what handling changes: org, state, assignment,
// deadline, answer and the published texts. m.UpdatedAt must be the value
// read with the message: if the row was changed since (two staff members
// acting on it at once), nothing is saved and the error wraps
// apperr.ErrConflict.
func (tx *Tx) UpdateMessage(ctx context.Context, m *interact.Message) error {
	read := m.UpdatedAt
	res, err := tx.exec(ctx, `UPDATE interact_messages SET org_id = ?, state = ?, section = ?, handler_id = ?, reject_reason = ?, due_on = ?,
		deadline_days = ?, answered_on = ?, answered_at = ?, late = ?, published = ?, public_name = ?, public_subject = ?, public_body = ?,
		public_reply = ?, updated_at = ?
		WHERE id = ? AND updated_at = ?`,
		m.OrgID, m.State, m.Section, nullID(m.HandlerID), m.RejectReason, day(m.DueOn), m.DeadlineDays, day(m.AnsweredOn), tx.nt(m.AnsweredAt), m.Late, m.Published,
		m.PublicName, m.PublicSubject, m.PublicBody, m.PublicReply, tx.t(tx.now), m.ID, tx.t(read))
	if err != nil {
		return fmt.Errorf("update message %d: %w", m.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return fmt.Errorf("update message %d: %w", m.ID, err)
	}
	if n != 1 {
		return fmt.Errorf("message %d changed meanwhile: %w", m.ID, apperr.ErrConflict)
	}
	m.UpdatedAt = tx.now
	return nil
}

func (tx *Tx) messages(ctx context.Context, q string, args ...any) ([]interact.Message, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("select messages: %w", err)
	}
	defer rows.Close()
	var out []interact.Message
	for rows.Next() {
		var m interact.Message
		if err := scanMessage(rows, &m); err != nil {
			return nil, fmt.Errorf("scan message: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// OpenMessages returns every message not yet answered or rejected.
func (tx *Tx) OpenMessages(ctx context.Context) ([]interact.Message, error) {
	return tx.messages(ctx, `SELECT `+messageCols+` FROM interact_messages WHERE state NOT IN ('answered', 'rejected') ORDER BY id`)
}

// Messages returns the messages matching f: open ones by due date, the
// public list newest answer first. Ratings are loaded; replies are not.
func (tx *Tx) Messages(ctx context.Context, f interact.Filter) ([]interact.Message, error) {
	// One query with the ratings joined: lists and statistics read many
	// messages, and replies are not needed for them.
	q := `SELECT ` + prefixed("m.", messageCols) + `, g.level, g.comment, g.at
		FROM interact_messages m LEFT JOIN interact_ratings g ON g.message_id = m.id
		WHERE 1 = 1`
	var args []any
	if f.OrgIDs != nil {
		if len(f.OrgIDs) == 0 {
			return nil, nil
		}
		q += ` AND m.org_id IN (` + placeholders(len(f.OrgIDs)) + `)`
		for _, id := range f.OrgIDs {
			args = append(args, id)
		}
	}
	if f.Open {
		q += ` AND m.state NOT IN ('answered', 'rejected')`
	}
	if f.State != "" {
		q += ` AND m.state = ?`
		args = append(args, f.State)
	}
	if f.Kind != "" {
		q += ` AND m.kind = ?`
		args = append(args, f.Kind)
	}
	if f.Published {
		q += ` AND m.published = ?`
		args = append(args, true)
	}
	if f.Query != "" {
		like := "%" + interactLike(f.Query) + "%"
		q += ` AND (m.public_subject LIKE ? ESCAPE '\' OR m.public_body LIKE ? ESCAPE '\' OR m.public_reply LIKE ? ESCAPE '\')`
		args = append(args, like, like, like)
	}
	if !f.From.IsZero() {
		q += ` AND m.received_on >= ?`
		args = append(args, day(f.From))
	}
	if !f.To.IsZero() {
		q += ` AND m.received_on <= ?`
		args = append(args, day(f.To))
	}
	if f.Published {
		q += ` ORDER BY m.answered_at DESC, m.id DESC`
	} else {
		q += ` ORDER BY CASE WHEN m.state IN ('answered', 'rejected') THEN 1 ELSE 0 END, m.due_on, m.id DESC`
	}
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.Limit, max(f.Offset, 0))
	}
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("select messages: %w", err)
	}
	defer rows.Close()
	var out []interact.Message
	for rows.Next() {
		var m interact.Message
		var level, comment sql.NullString
		var at time.Time
		if err := scanMessage(scanPlus{rows, []any{&level, &comment, timeCol{&at}}}, &m); err != nil {
			return nil, fmt.Errorf("scan message: %w", err)
		}
		if level.Valid {
			m.Rating = &interact.Rating{MessageID: m.ID, Level: interact.Level(level.String), Comment: comment.String, At: at}
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// scanPlus scans extra columns after those a scan function knows.
type scanPlus struct {
	sc    interface{ Scan(...any) error }
	extra []any
}

func (s scanPlus) Scan(dest ...any) error { return s.sc.Scan(append(dest, s.extra...)...) }

// interactLike escapes the LIKE wildcards in s (with \ as the escape).
func interactLike(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '%' || r == '_' || r == '\\' {
			out = append(out, '\\')
		}
		out = append(out, r)
	}
	return string(out)
}

// AddMessageEvent inserts e and sets its ID.
func (tx *Tx) AddMessageEvent(ctx context.Context, e *interact.Event) error {
	if e.At.IsZero() {
		e.At = tx.now
	}
	id, err := tx.insert(ctx, `INSERT INTO interact_events (message_id, action, at, actor_id, actor_name, note, from_org_id, to_org_id, internal)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.MessageID, e.Action, tx.t(e.At), e.ActorID, e.ActorName, e.Note, e.FromOrgID, e.ToOrgID, e.Internal)
	if err != nil {
		return fmt.Errorf("insert message event: %w", err)
	}
	e.ID = id
	return nil
}

// MessageEvents returns the events of a message in order.
func (tx *Tx) MessageEvents(ctx context.Context, messageID int64) ([]interact.Event, error) {
	rows, err := tx.query(ctx, `SELECT id, message_id, action, at, actor_id, actor_name, note, from_org_id, to_org_id, internal
		FROM interact_events WHERE message_id = ? ORDER BY id`, messageID)
	if err != nil {
		return nil, fmt.Errorf("select events of message %d: %w", messageID, err)
	}
	defer rows.Close()
	var out []interact.Event
	for rows.Next() {
		var e interact.Event
		if err := rows.Scan(&e.ID, &e.MessageID, &e.Action, timeCol{&e.At}, &e.ActorID, &e.ActorName, &e.Note, &e.FromOrgID, &e.ToOrgID, &e.Internal); err != nil {
			return nil, fmt.Errorf("scan message event: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveReply inserts r, or updates it when it has an ID.
func (tx *Tx) SaveReply(ctx context.Context, r *interact.Reply) error {
	if r.ID == 0 {
		id, err := tx.insert(ctx, `INSERT INTO interact_replies (message_id, body, status, drafted_by, drafted_name, drafted_at, decided_by, decided_name,
			decided_at, note, publish) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.MessageID, r.Body, r.Status, r.DraftedBy, r.DraftedName, tx.t(r.DraftedAt),
			r.DecidedBy, r.DecidedName, tx.nt(r.DecidedAt), r.Note, r.Publish)
		if err != nil {
			return fmt.Errorf("insert reply: %w", err)
		}
		r.ID = id
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE interact_replies SET body = ?, status = ?, drafted_by = ?, drafted_name = ?, drafted_at = ?, decided_by = ?,
		decided_name = ?, decided_at = ?, note = ?, publish = ? WHERE id = ?`, r.Body, r.Status, r.DraftedBy, r.DraftedName, tx.t(r.DraftedAt),
		r.DecidedBy, r.DecidedName, tx.nt(r.DecidedAt), r.Note, r.Publish, r.ID)
	if err != nil {
		return fmt.Errorf("update reply %d: %w", r.ID, err)
	}
	return nil
}

// AddRating stores a rating; a second one for the message wraps
// apperr.ErrConflict.
func (tx *Tx) AddRating(ctx context.Context, r *interact.Rating) error {
	_, err := tx.exec(ctx, `INSERT INTO interact_ratings (message_id, level, comment, at) VALUES (?, ?, ?, ?)`, r.MessageID, r.Level, r.Comment, tx.t(r.At))
	if err != nil {
		return fmt.Errorf("insert rating: %w", err)
	}
	return nil
}

// InteractSettings returns an org's settings; an org without stored
// settings gets the defaults.
func (tx *Tx) InteractSettings(ctx context.Context, orgID int64) (interact.Settings, error) {
	s := interact.Settings{OrgID: orgID}
	err := tx.queryRow(ctx, `SELECT deadline_days FROM interact_settings WHERE org_id = ?`, orgID).Scan(&s.DeadlineDays)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return s, fmt.Errorf("select interact settings: %w", err)
	}
	return s, nil
}

// SaveInteractSettings stores an org's settings.
func (tx *Tx) SaveInteractSettings(ctx context.Context, s interact.Settings) error {
	_, err := tx.exec(ctx, `INSERT INTO interact_settings (org_id, deadline_days, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (org_id) DO UPDATE SET deadline_days = excluded.deadline_days, updated_at = excluded.updated_at`, s.OrgID, s.DeadlineDays, tx.t(tx.now))
	if err != nil {
		return fmt.Errorf("save interact settings: %w", err)
	}
	return nil
}

const consultationCols = `id, org_id, title, draft, link_url, start_on, end_on, summary, summary_state, summary_by, summary_at, approved_by, approved_at,
	summary_item_id, created_by, created_at, updated_at,
	(SELECT COUNT(*) FROM interact_comments k WHERE k.consultation_id = interact_consultations.id AND k.state = 'shown'),
	(SELECT COUNT(*) FROM interact_comments k WHERE k.consultation_id = interact_consultations.id AND k.state = 'pending')`

func scanConsultation(sc interface{ Scan(...any) error }, c *interact.Consultation) error {
	return sc.Scan(&c.ID, &c.OrgID, &c.Title, &c.Draft, &c.LinkURL, dayCol{&c.StartOn}, dayCol{&c.EndOn}, &c.Summary, &c.SummaryState, &c.SummaryBy,
		timeCol{&c.SummaryAt}, &c.ApprovedBy, timeCol{&c.ApprovedAt}, idCol{&c.SummaryItemID}, &c.CreatedBy, timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, &c.Comments, &c.PendingReviews)
}

// Consultation returns the consultation with id.
func (tx *Tx) Consultation(ctx context.Context, id int64) (*interact.Consultation, error) {
	var c interact.Consultation
	err := scanConsultation(tx.queryRow(ctx, `SELECT `+consultationCols+` FROM interact_consultations WHERE id = ?`, id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("consultation", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select consultation %d: %w", id, err)
	}
	return &c, nil
}

// Consultations returns the consultations of orgIDs (nil: all), newest
// first.
func (tx *Tx) Consultations(ctx context.Context, orgIDs []int64) ([]interact.Consultation, error) {
	q := `SELECT ` + consultationCols + ` FROM interact_consultations`
	var args []any
	if orgIDs != nil {
		if len(orgIDs) == 0 {
			return nil, nil
		}
		q += ` WHERE org_id IN (` + placeholders(len(orgIDs)) + `)`
		for _, id := range orgIDs {
			args = append(args, id)
		}
	}
	rows, err := tx.query(ctx, q+` ORDER BY start_on DESC, id DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("select consultations: %w", err)
	}
	defer rows.Close()
	var out []interact.Consultation
	for rows.Next() {
		var c interact.Consultation
		if err := scanConsultation(rows, &c); err != nil {
			return nil, fmt.Errorf("scan consultation: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveConsultation inserts c, or updates it when it has an ID.
func (tx *Tx) SaveConsultation(ctx context.Context, c *interact.Consultation) error {
	c.UpdatedAt = tx.now
	if c.ID == 0 {
		c.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO interact_consultations (org_id, title, draft, link_url, start_on, end_on, summary, summary_state,
			summary_by, summary_at, approved_by, approved_at, summary_item_id, created_by, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			c.OrgID, c.Title, c.Draft, c.LinkURL, day(c.StartOn), day(c.EndOn), c.Summary, c.SummaryState, c.SummaryBy, tx.nt(c.SummaryAt),
			c.ApprovedBy, tx.nt(c.ApprovedAt), nullID(c.SummaryItemID), c.CreatedBy, tx.t(c.CreatedAt), tx.t(c.UpdatedAt))
		if err != nil {
			return fmt.Errorf("insert consultation: %w", err)
		}
		c.ID = id
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE interact_consultations SET title = ?, draft = ?, link_url = ?, start_on = ?, end_on = ?, summary = ?, summary_state = ?,
		summary_by = ?, summary_at = ?, approved_by = ?, approved_at = ?, summary_item_id = ?, updated_at = ? WHERE id = ?`,
		c.Title, c.Draft, c.LinkURL, day(c.StartOn), day(c.EndOn), c.Summary, c.SummaryState, c.SummaryBy, tx.nt(c.SummaryAt), c.ApprovedBy,
		tx.nt(c.ApprovedAt), nullID(c.SummaryItemID), tx.t(c.UpdatedAt), c.ID)
	if err != nil {
		return fmt.Errorf("update consultation %d: %w", c.ID, err)
	}
	return nil
}

const commentCols = `id, consultation_id, name, phone, email, body, state, public_name, public_body, fingerprint, moderated_by, created_at`

func scanComment(sc interface{ Scan(...any) error }, c *interact.Comment) error {
	return sc.Scan(&c.ID, &c.ConsultationID, &c.Sender.Name, &c.Sender.Phone, &c.Sender.Email, &c.Body, &c.State, &c.PublicName, &c.PublicBody,
		&c.Fingerprint, &c.ModeratedBy, timeCol{&c.CreatedAt})
}

// Comment returns the comment with id.
func (tx *Tx) Comment(ctx context.Context, id int64) (*interact.Comment, error) {
	var c interact.Comment
	err := scanComment(tx.queryRow(ctx, `SELECT `+commentCols+` FROM interact_comments WHERE id = ?`, id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("comment", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select comment %d: %w", id, err)
	}
	return &c, nil
}

// Comments returns the comments of a consultation, oldest first; only the
// shown ones when shownOnly is set.
func (tx *Tx) Comments(ctx context.Context, consultationID int64, shownOnly bool) ([]interact.Comment, error) {
	q := `SELECT ` + commentCols + ` FROM interact_comments WHERE consultation_id = ?`
	if shownOnly {
		q += ` AND state = 'shown'`
	}
	rows, err := tx.query(ctx, q+` ORDER BY id`, consultationID)
	if err != nil {
		return nil, fmt.Errorf("select comments: %w", err)
	}
	defer rows.Close()
	var out []interact.Comment
	for rows.Next() {
		var c interact.Comment
		if err := scanComment(rows, &c); err != nil {
			return nil, fmt.Errorf("scan comment: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveComment inserts c, or updates its moderation when it has an ID.
func (tx *Tx) SaveComment(ctx context.Context, c *interact.Comment) error {
	if c.ID == 0 {
		if c.CreatedAt.IsZero() {
			c.CreatedAt = tx.now
		}
		id, err := tx.insert(ctx, `INSERT INTO interact_comments (consultation_id, name, phone, email, body, state, public_name, public_body, fingerprint,
			moderated_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ConsultationID, c.Sender.Name, c.Sender.Phone, c.Sender.Email, c.Body,
			c.State, c.PublicName, c.PublicBody, c.Fingerprint, c.ModeratedBy, tx.t(c.CreatedAt))
		if err != nil {
			return fmt.Errorf("insert comment: %w", err)
		}
		c.ID = id
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE interact_comments SET state = ?, public_name = ?, public_body = ?, moderated_by = ? WHERE id = ?`,
		c.State, c.PublicName, c.PublicBody, c.ModeratedBy, c.ID)
	if err != nil {
		return fmt.Errorf("update comment %d: %w", c.ID, err)
	}
	return nil
}

// RecentCommentByFingerprint reports whether a comment with the
// fingerprint was created at or after since.
func (tx *Tx) RecentCommentByFingerprint(ctx context.Context, fp string, since time.Time) (bool, error) {
	var n int
	err := tx.queryRow(ctx, `SELECT COUNT(*) FROM interact_comments WHERE fingerprint = ? AND created_at >= ?`, fp, tx.t(since)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("select comment by fingerprint: %w", err)
	}
	return n > 0, nil
}

// Read helpers for the staff and public pages.

// Messages returns the messages matching f.
func (db *DB) Messages(ctx context.Context, f interact.Filter) (out []interact.Message, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Messages(ctx, f); return err })
	return out, err
}

// PublishedMessage returns message id if it is on the public list, and an
// error wrapping apperr.ErrNotFound otherwise.
func (db *DB) PublishedMessage(ctx context.Context, id int64) (out *interact.Message, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		out, err = tx.Message(ctx, id)
		if err == nil && !out.Published {
			out, err = nil, notFound("message", id)
		}
		return err
	})
	return out, err
}

// Consultations returns the consultations of orgIDs (nil: all).
func (db *DB) Consultations(ctx context.Context, orgIDs []int64) (out []interact.Consultation, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Consultations(ctx, orgIDs); return err })
	return out, err
}

// Consultation returns the consultation with id.
func (db *DB) Consultation(ctx context.Context, id int64) (out *interact.Consultation, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Consultation(ctx, id); return err })
	return out, err
}

// Comments returns a consultation's comments (only shown ones when
// shownOnly).
func (db *DB) Comments(ctx context.Context, consultationID int64, shownOnly bool) (out []interact.Comment, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Comments(ctx, consultationID, shownOnly); return err })
	return out, err
}

// ItemLive reports whether item id is on the public site: it has a live
// version and is not withdrawn.
func (db *DB) ItemLive(ctx context.Context, id int64) (bool, error) {
	var live int
	var state string
	err := db.View(ctx, func(tx *Tx) error {
		return tx.queryRow(ctx, `SELECT live_version, state FROM items WHERE id = ?`, id).Scan(&live, &state)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("select item %d: %w", id, err)
	}
	return live > 0 && state != "withdrawn", nil
}

// InteractStats returns the statistics of the messages of orgIDs (nil:
// all) received from from to to inclusive (zero: unbounded), as of today,
// for the annual report and the dashboard.
func (db *DB) InteractStats(ctx context.Context, cal *workday.Calendar, orgIDs []int64, from, to, today workday.Date) (interact.Stats, error) {
	msgs, err := db.Messages(ctx, interact.Filter{OrgIDs: orgIDs, From: from, To: to})
	if err != nil {
		return interact.Stats{}, err
	}
	return interact.Summarize(cal, msgs, today), nil
}
