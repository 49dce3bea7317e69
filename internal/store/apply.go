package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gongkai/internal/apply"
	"gongkai/internal/workday"
)

// day stores a calendar day as 'YYYY-MM-DD', the zero day as ”.
func day(d workday.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// dayCol scans a day stored by day.
type dayCol struct{ d *workday.Date }

func (c dayCol) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("scan day: unsupported type %T", src)
	}
	if s == "" {
		*c.d = workday.Date{}
		return nil
	}
	d, err := workday.Parse(s)
	if err != nil {
		return err
	}
	*c.d = d
	return nil
}

const applicationCols = `id, org_id, tracking_no, code_hash, channel, applicant_kind, name, id_type, id_number, credit_code, legal_rep, contact, org_type,
	phone, email, address, postcode, description, doc_no, index_no, form, way, submitted_at, received_on, handler_id, state,
	outcome, outcome_reason, outcome_note, answered_on, due_on, due_provisional, late, fingerprint, digest, created_at, updated_at`

func scanApplication(sc interface{ Scan(...any) error }, a *apply.Application) error {
	p := &a.Applicant
	return sc.Scan(&a.ID, &a.OrgID, &a.TrackingNo, &a.CodeHash, &a.Channel, &p.Kind, &p.Name, &p.IDType, &p.IDNumber, &p.CreditCode, &p.LegalRep, &p.Contact, &p.OrgType,
		&p.Phone, &p.Email, &p.Address, &p.Postcode, &a.Description, &a.DocNo, &a.IndexNo, &a.Form, &a.Way, timeCol{&a.SubmittedAt}, dayCol{&a.ReceivedOn},
		idCol{&a.HandlerID}, &a.State, &a.Outcome.Category, &a.Outcome.Reason, &a.Outcome.Note, dayCol{&a.Outcome.AnsweredOn}, dayCol{&a.DueOn},
		&a.DueProvisional, &a.Late, &a.Fingerprint, &a.Digest, timeCol{&a.CreatedAt}, timeCol{&a.UpdatedAt})
}

func (tx *Tx) applicationWhere(ctx context.Context, what string, where string, args ...any) (*apply.Application, error) {
	var a apply.Application
	err := scanApplication(tx.queryRow(ctx, `SELECT `+applicationCols+` FROM apply_applications WHERE `+where, args...), &a)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("application", what)
	}
	if err != nil {
		return nil, fmt.Errorf("select application %s: %w", what, err)
	}
	if a.Events, err = tx.ApplicationEvents(ctx, a.ID); err != nil {
		return nil, err
	}
	return &a, nil
}

// Application returns the application with id and its events, or an error
// wrapping apperr.ErrNotFound.
func (tx *Tx) Application(ctx context.Context, id int64) (*apply.Application, error) {
	return tx.applicationWhere(ctx, fmt.Sprint(id), `id = ?`, id)
}

// ApplicationByTracking returns the application with the tracking number.
func (tx *Tx) ApplicationByTracking(ctx context.Context, no string) (*apply.Application, error) {
	return tx.applicationWhere(ctx, "by tracking number", `tracking_no = ?`, no)
}

// RecentByFingerprint returns the newest application of org with the
// fingerprint created at or after since.
func (tx *Tx) RecentByFingerprint(ctx context.Context, orgID int64, fp string, since time.Time) (*apply.Application, bool, error) {
	var id int64
	err := tx.queryRow(ctx, `SELECT id FROM apply_applications WHERE org_id = ? AND fingerprint = ? AND created_at >= ? ORDER BY id DESC LIMIT 1`,
		orgID, fp, tx.t(since)).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("select application by fingerprint: %w", err)
	}
	a, err := tx.Application(ctx, id)
	return a, err == nil, err
}

// CreateApplication inserts a and sets its ID and timestamps.
func (tx *Tx) CreateApplication(ctx context.Context, a *apply.Application) error {
	a.CreatedAt, a.UpdatedAt = tx.now, tx.now
	p := a.Applicant
	id, err := tx.insert(ctx, `INSERT INTO apply_applications (org_id, tracking_no, code_hash, channel, applicant_kind, name, id_type, id_number, credit_code,
		legal_rep, contact, org_type, phone, email, address, postcode, description, doc_no, index_no, form, way, submitted_at, received_on, handler_id,
		state, outcome, outcome_reason, outcome_note, answered_on, due_on, due_provisional, late, fingerprint, digest, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.OrgID, a.TrackingNo, a.CodeHash, a.Channel, p.Kind, p.Name, p.IDType, p.IDNumber, p.CreditCode, p.LegalRep, p.Contact, p.OrgType,
		p.Phone, p.Email, p.Address, p.Postcode, a.Description, a.DocNo, a.IndexNo, a.Form, a.Way, tx.t(a.SubmittedAt), day(a.ReceivedOn), nullID(a.HandlerID),
		a.State, a.Outcome.Category, a.Outcome.Reason, a.Outcome.Note, day(a.Outcome.AnsweredOn), day(a.DueOn), a.DueProvisional, a.Late,
		a.Fingerprint, a.Digest, tx.t(a.CreatedAt), tx.t(a.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert application: %w", err)
	}
	a.ID = id
	return nil
}

// UpdateApplication saves the handler, state, outcome and cached clock.
func (tx *Tx) UpdateApplication(ctx context.Context, a *apply.Application) error {
	a.UpdatedAt = tx.now
	_, err := tx.exec(ctx, `UPDATE apply_applications SET received_on = ?, handler_id = ?, state = ?, outcome = ?, outcome_reason = ?, outcome_note = ?,
		answered_on = ?, due_on = ?, due_provisional = ?, late = ?, updated_at = ? WHERE id = ?`,
		day(a.ReceivedOn), nullID(a.HandlerID), a.State, a.Outcome.Category, a.Outcome.Reason, a.Outcome.Note, day(a.Outcome.AnsweredOn),
		day(a.DueOn), a.DueProvisional, a.Late, tx.t(a.UpdatedAt), a.ID)
	if err != nil {
		return fmt.Errorf("update application %d: %w", a.ID, err)
	}
	return nil
}

// ApplicationFilter selects applications for staff lists.
type ApplicationFilter struct {
	OrgIDs []int64 // required: the orgs the reader may see
	Open   bool    // only those not yet answered
	State  apply.State
	Limit  int
}

// Applications returns the applications matching f, the open ones by due
// date (undated last), the others newest first. Events are not loaded.
func (tx *Tx) Applications(ctx context.Context, f ApplicationFilter) ([]apply.Application, error) {
	if len(f.OrgIDs) == 0 {
		return nil, nil
	}
	q := `SELECT ` + applicationCols + ` FROM apply_applications WHERE org_id IN (` + placeholders(len(f.OrgIDs)) + `)`
	args := make([]any, 0, len(f.OrgIDs)+2)
	for _, id := range f.OrgIDs {
		args = append(args, id)
	}
	if f.Open {
		q += ` AND state NOT IN ('answered', 'closed')`
	}
	if f.State != "" {
		q += ` AND state = ?`
		args = append(args, f.State)
	}
	q += ` ORDER BY CASE WHEN due_on = '' THEN 1 ELSE 0 END, due_on, id DESC`
	if f.Limit > 0 {
		q += fmt.Sprintf(` LIMIT %d`, f.Limit)
	}
	return tx.applications(ctx, q, args...)
}

func (tx *Tx) applications(ctx context.Context, q string, args ...any) ([]apply.Application, error) {
	rows, err := tx.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("select applications: %w", err)
	}
	defer rows.Close()
	var out []apply.Application
	for rows.Next() {
		var a apply.Application
		if err := scanApplication(rows, &a); err != nil {
			return nil, fmt.Errorf("scan application: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// OpenApplications returns every application not yet answered, with
// events.
func (tx *Tx) OpenApplications(ctx context.Context) ([]apply.Application, error) {
	out, err := tx.applications(ctx, `SELECT `+applicationCols+` FROM apply_applications WHERE state NOT IN ('answered', 'closed') ORDER BY id`)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Events, err = tx.ApplicationEvents(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// ApplicationEvents returns the events of an application in order.
func (tx *Tx) ApplicationEvents(ctx context.Context, appID int64) ([]apply.Event, error) {
	rows, err := tx.query(ctx, `SELECT id, application_id, kind, on_day, at, actor_id, actor_name, note, days, party, until_day
		FROM apply_events WHERE application_id = ? ORDER BY id`, appID)
	if err != nil {
		return nil, fmt.Errorf("select events of application %d: %w", appID, err)
	}
	defer rows.Close()
	var out []apply.Event
	for rows.Next() {
		var e apply.Event
		if err := rows.Scan(&e.ID, &e.ApplicationID, &e.Kind, dayCol{&e.On}, timeCol{&e.At}, &e.ActorID, &e.ActorName, &e.Note, &e.Days, &e.Party, dayCol{&e.Until}); err != nil {
			return nil, fmt.Errorf("scan event: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AddEvent inserts e and sets its ID.
func (tx *Tx) AddEvent(ctx context.Context, e *apply.Event) error {
	if e.At.IsZero() {
		e.At = tx.now
	}
	id, err := tx.insert(ctx, `INSERT INTO apply_events (application_id, kind, on_day, at, actor_id, actor_name, note, days, party, until_day)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ApplicationID, e.Kind, day(e.On), tx.t(e.At), e.ActorID, e.ActorName, e.Note, e.Days, e.Party, day(e.Until))
	if err != nil {
		return fmt.Errorf("insert event: %w", err)
	}
	e.ID = id
	return nil
}

// AddDelivery inserts d.
func (tx *Tx) AddDelivery(ctx context.Context, d *apply.Delivery) error {
	d.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO apply_deliveries (application_id, way, on_day, note, actor_name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		d.ApplicationID, d.Way, day(d.On), d.Note, d.ActorName, tx.t(d.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert delivery: %w", err)
	}
	d.ID = id
	return nil
}

// Deliveries returns the deliveries of an application.
func (tx *Tx) Deliveries(ctx context.Context, appID int64) ([]apply.Delivery, error) {
	rows, err := tx.query(ctx, `SELECT id, application_id, way, on_day, note, actor_name, created_at FROM apply_deliveries WHERE application_id = ? ORDER BY id`, appID)
	if err != nil {
		return nil, fmt.Errorf("select deliveries: %w", err)
	}
	defer rows.Close()
	var out []apply.Delivery
	for rows.Next() {
		var d apply.Delivery
		if err := rows.Scan(&d.ID, &d.ApplicationID, &d.Way, dayCol{&d.On}, &d.Note, &d.ActorName, timeCol{&d.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan delivery: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// AddNotice inserts n.
func (tx *Tx) AddApplyNotice(ctx context.Context, n *apply.Notice) error {
	n.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO apply_notices (application_id, category, title, body, actor_name, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
		n.ApplicationID, n.Category, n.Title, n.Body, n.ActorName, tx.t(n.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert notice: %w", err)
	}
	n.ID = id
	return nil
}

// Notices returns the reply notices of an application, oldest first.
func (tx *Tx) ApplyNotices(ctx context.Context, appID int64) ([]apply.Notice, error) {
	rows, err := tx.query(ctx, `SELECT id, application_id, category, title, body, actor_name, created_at FROM apply_notices WHERE application_id = ? ORDER BY id`, appID)
	if err != nil {
		return nil, fmt.Errorf("select notices: %w", err)
	}
	defer rows.Close()
	var out []apply.Notice
	for rows.Next() {
		var n apply.Notice
		if err := rows.Scan(&n.ID, &n.ApplicationID, &n.Category, &n.Title, &n.Body, &n.ActorName, timeCol{&n.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan notice: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// NoticeTemplate returns org's template for category c.
func (tx *Tx) NoticeTemplate(ctx context.Context, orgID int64, c apply.Category) (string, bool, error) {
	var body string
	err := tx.queryRow(ctx, `SELECT body FROM apply_notice_templates WHERE org_id = ? AND category = ?`, orgID, c).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("select notice template: %w", err)
	}
	return body, true, nil
}

// SaveNoticeTemplate stores org's template for category c.
func (tx *Tx) SaveNoticeTemplate(ctx context.Context, orgID int64, c apply.Category, body string) error {
	_, err := tx.exec(ctx, `INSERT INTO apply_notice_templates (org_id, category, body, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (org_id, category) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, orgID, c, body, tx.t(tx.now))
	if err != nil {
		return fmt.Errorf("save notice template: %w", err)
	}
	return nil
}

// AddAttachment inserts at.
func (tx *Tx) AddApplyAttachment(ctx context.Context, at *apply.Attachment) error {
	at.CreatedAt = tx.now
	id, err := tx.insert(ctx, `INSERT INTO apply_attachments (application_id, kind, name, content_type, size, sha256, path, screening, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, at.ApplicationID, at.Kind, at.Name, at.ContentType, at.Size, at.SHA256, at.Path, at.Screening, tx.t(at.CreatedAt))
	if err != nil {
		return fmt.Errorf("insert attachment: %w", err)
	}
	at.ID = id
	return nil
}

// Attachments returns the attachments of an application.
func (tx *Tx) ApplyAttachments(ctx context.Context, appID int64) ([]apply.Attachment, error) {
	rows, err := tx.query(ctx, `SELECT id, application_id, kind, name, content_type, size, sha256, path, screening, created_at
		FROM apply_attachments WHERE application_id = ? ORDER BY id`, appID)
	if err != nil {
		return nil, fmt.Errorf("select attachments: %w", err)
	}
	defer rows.Close()
	var out []apply.Attachment
	for rows.Next() {
		var at apply.Attachment
		if err := rows.Scan(&at.ID, &at.ApplicationID, &at.Kind, &at.Name, &at.ContentType, &at.Size, &at.SHA256, &at.Path, &at.Screening, timeCol{&at.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan attachment: %w", err)
		}
		out = append(out, at)
	}
	return out, rows.Err()
}

const caseCols = `id, application_id, org_id, kind, body, filed_on, result, decided_on, note, created_at, updated_at`

func scanCase(sc interface{ Scan(...any) error }, c *apply.Case) error {
	return sc.Scan(&c.ID, &c.ApplicationID, &c.OrgID, &c.Kind, &c.Body, dayCol{&c.FiledOn}, &c.Result, dayCol{&c.DecidedOn}, &c.Note,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt})
}

// Case returns the case with id.
func (tx *Tx) ApplyCase(ctx context.Context, id int64) (*apply.Case, error) {
	var c apply.Case
	err := scanCase(tx.queryRow(ctx, `SELECT `+caseCols+` FROM apply_cases WHERE id = ?`, id), &c)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("case", id)
	}
	if err != nil {
		return nil, fmt.Errorf("select case %d: %w", id, err)
	}
	return &c, nil
}

// Cases returns the cases of an application.
func (tx *Tx) ApplyCases(ctx context.Context, appID int64) ([]apply.Case, error) {
	rows, err := tx.query(ctx, `SELECT `+caseCols+` FROM apply_cases WHERE application_id = ? ORDER BY id`, appID)
	if err != nil {
		return nil, fmt.Errorf("select cases: %w", err)
	}
	defer rows.Close()
	var out []apply.Case
	for rows.Next() {
		var c apply.Case
		if err := scanCase(rows, &c); err != nil {
			return nil, fmt.Errorf("scan case: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveCase inserts c, or updates it when it has an ID.
func (tx *Tx) SaveApplyCase(ctx context.Context, c *apply.Case) error {
	c.UpdatedAt = tx.now
	if c.ID == 0 {
		c.CreatedAt = tx.now
		id, err := tx.insert(ctx, `INSERT INTO apply_cases (application_id, org_id, kind, body, filed_on, result, decided_on, note, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, c.ApplicationID, c.OrgID, c.Kind, c.Body, day(c.FiledOn), c.Result, day(c.DecidedOn), c.Note,
			tx.t(c.CreatedAt), tx.t(c.UpdatedAt))
		if err != nil {
			return fmt.Errorf("insert case: %w", err)
		}
		c.ID = id
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE apply_cases SET kind = ?, body = ?, filed_on = ?, result = ?, decided_on = ?, note = ?, updated_at = ? WHERE id = ?`,
		c.Kind, c.Body, day(c.FiledOn), c.Result, day(c.DecidedOn), c.Note, tx.t(c.UpdatedAt), c.ID)
	if err != nil {
		return fmt.Errorf("update case %d: %w", c.ID, err)
	}
	return nil
}

// CalendarYears returns the stored holiday schedules.
func (tx *Tx) CalendarYears(ctx context.Context) ([]workday.Year, error) {
	rows, err := tx.query(ctx, `SELECT year, data FROM calendar_years ORDER BY year`)
	if err != nil {
		return nil, fmt.Errorf("select calendar years: %w", err)
	}
	defer rows.Close()
	var out []workday.Year
	for rows.Next() {
		var n int
		var data string
		if err := rows.Scan(&n, &data); err != nil {
			return nil, fmt.Errorf("scan calendar year: %w", err)
		}
		var y workday.Year
		if err := json.Unmarshal([]byte(data), &y); err != nil {
			return nil, fmt.Errorf("decode calendar year %d: %w", n, err)
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// SaveCalendarYear stores y, replacing a stored schedule for its year.
func (tx *Tx) SaveCalendarYear(ctx context.Context, y workday.Year, by string) error {
	b, err := json.Marshal(y)
	if err != nil {
		return fmt.Errorf("encode calendar year: %w", err)
	}
	_, err = tx.exec(ctx, `INSERT INTO calendar_years (year, data, updated_by, updated_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (year) DO UPDATE SET data = excluded.data, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		y.Year, string(b), by, tx.t(tx.now))
	if err != nil {
		return fmt.Errorf("save calendar year %d: %w", y.Year, err)
	}
	return nil
}

// AddNotification stores n unless the same warning exists.
func (tx *Tx) AddApplyNotification(ctx context.Context, n *apply.Notification) (bool, error) {
	n.CreatedAt = tx.now
	res, err := tx.exec(ctx, `INSERT INTO apply_notifications (org_id, user_id, application_id, kind, message, day, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, user_id, application_id, kind, day) DO NOTHING`,
		n.OrgID, n.UserID, n.ApplicationID, n.Kind, n.Message, day(n.Day), tx.t(n.CreatedAt))
	if err != nil {
		return false, fmt.Errorf("insert notification: %w", err)
	}
	k, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("insert notification: %w", err)
	}
	return k == 1, nil
}

// Notifications returns the newest warnings for userID or the offices of
// orgIDs.
func (tx *Tx) ApplyNotifications(ctx context.Context, orgIDs []int64, userID int64, limit int) ([]apply.Notification, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	args := []any{}
	for _, id := range orgIDs {
		args = append(args, id)
	}
	args = append(args, userID)
	rows, err := tx.query(ctx, fmt.Sprintf(`SELECT id, org_id, user_id, application_id, kind, message, day, created_at FROM apply_notifications
		WHERE org_id IN (%s) AND user_id IN (0, ?) ORDER BY id DESC LIMIT %d`, placeholders(len(orgIDs)), limit), args...)
	if err != nil {
		return nil, fmt.Errorf("select notifications: %w", err)
	}
	defer rows.Close()
	var out []apply.Notification
	for rows.Next() {
		var n apply.Notification
		if err := rows.Scan(&n.ID, &n.OrgID, &n.UserID, &n.ApplicationID, &n.Kind, &n.Message, dayCol{&n.Day}, timeCol{&n.CreatedAt}); err != nil {
			return nil, fmt.Errorf("scan notification: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// UpdateApply runs fn in one write transaction.
func (db *DB) UpdateApply(ctx context.Context, fn func(apply.Tx) error) error {
	return db.Update(ctx, func(tx *Tx) error { return fn(tx) })
}

// ViewApply runs fn in a read-only transaction.
func (db *DB) ViewApply(ctx context.Context, fn func(apply.Tx) error) error {
	return db.View(ctx, func(tx *Tx) error { return fn(tx) })
}

// Application returns the application with id and its events.
func (db *DB) Application(ctx context.Context, id int64) (out *apply.Application, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.Application(ctx, id); return err })
	return out, err
}

// Applications returns the applications of orgIDs (open ones only when
// open is set), soonest due first, with their events.
func (db *DB) Applications(ctx context.Context, orgIDs []int64, open bool, limit int) (out []apply.Application, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		if out, err = tx.Applications(ctx, ApplicationFilter{OrgIDs: orgIDs, Open: open, Limit: limit}); err != nil {
			return err
		}
		return tx.loadEvents(ctx, out)
	})
	return out, err
}

// loadEvents fills in the events of apps with one query per 500.
func (tx *Tx) loadEvents(ctx context.Context, apps []apply.Application) error {
	at := map[int64]int{}
	for i := range apps {
		at[apps[i].ID] = i
	}
	for lo := 0; lo < len(apps); lo += 500 {
		hi := min(lo+500, len(apps))
		args := make([]any, 0, hi-lo)
		for _, a := range apps[lo:hi] {
			args = append(args, a.ID)
		}
		rows, err := tx.query(ctx, `SELECT id, application_id, kind, on_day, at, actor_id, actor_name, note, days, party, until_day
			FROM apply_events WHERE application_id IN (`+placeholders(len(args))+`) ORDER BY id`, args...)
		if err != nil {
			return fmt.Errorf("select events: %w", err)
		}
		for rows.Next() {
			var e apply.Event
			if err := rows.Scan(&e.ID, &e.ApplicationID, &e.Kind, dayCol{&e.On}, timeCol{&e.At}, &e.ActorID, &e.ActorName, &e.Note, &e.Days, &e.Party, dayCol{&e.Until}); err != nil {
				rows.Close()
				return fmt.Errorf("scan event: %w", err)
			}
			a := &apps[at[e.ApplicationID]]
			a.Events = append(a.Events, e)
		}
		if err := rows.Close(); err != nil {
			return err
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// ApplicationRecords returns what is kept with an application besides its
// events: reply notices, deliveries, attachments and cases.
func (db *DB) ApplicationRecords(ctx context.Context, id int64) (ns []apply.Notice, ds []apply.Delivery, as []apply.Attachment, cs []apply.Case, err error) {
	err = db.View(ctx, func(tx *Tx) error {
		if ns, err = tx.ApplyNotices(ctx, id); err != nil {
			return err
		}
		if ds, err = tx.Deliveries(ctx, id); err != nil {
			return err
		}
		if as, err = tx.ApplyAttachments(ctx, id); err != nil {
			return err
		}
		cs, err = tx.ApplyCases(ctx, id)
		return err
	})
	return ns, ds, as, cs, err
}

// ApplyCasesOf returns the reconsideration and litigation cases of orgIDs,
// for the annual report's table 四 (apply.Tally4).
func (db *DB) ApplyCasesOf(ctx context.Context, orgIDs []int64) (out []apply.Case, err error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	args := make([]any, len(orgIDs))
	for i, id := range orgIDs {
		args[i] = id
	}
	err = db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+caseCols+` FROM apply_cases WHERE org_id IN (`+placeholders(len(args))+`) ORDER BY filed_on, id`, args...)
		if err != nil {
			return fmt.Errorf("select cases: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c apply.Case
			if err := scanCase(rows, &c); err != nil {
				return fmt.Errorf("scan case: %w", err)
			}
			out = append(out, c)
		}
		return rows.Err()
	})
	return out, err
}

// ApplyNotifications returns the newest deadline warnings for userID and
// the offices of orgIDs.
func (db *DB) ApplyNotifications(ctx context.Context, orgIDs []int64, userID int64, limit int) (out []apply.Notification, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.ApplyNotifications(ctx, orgIDs, userID, limit); return err })
	return out, err
}

// CalendarYears returns the administrators' holiday schedules.
func (db *DB) CalendarYears(ctx context.Context) (out []workday.Year, err error) {
	err = db.View(ctx, func(tx *Tx) error { out, err = tx.CalendarYears(ctx); return err })
	return out, err
}

// NoticeTemplate returns org's reply notice template for c, if stored.
func (db *DB) NoticeTemplate(ctx context.Context, orgID int64, c apply.Category) (body string, ok bool, err error) {
	err = db.View(ctx, func(tx *Tx) error { body, ok, err = tx.NoticeTemplate(ctx, orgID, c); return err })
	return body, ok, err
}
