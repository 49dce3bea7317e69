package publish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/org"
	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
)

// Pre-publication screening (issue 4). Regulations on Open Government
// Information (2019), art. 17: information is reviewed for confidentiality
// before it is disclosed, and art. 15: information whose disclosure would
// harm a third party's lawful rights (personal data) is not disclosed. The
// scan runs when a version is submitted and when an attachment is added;
// its findings are stored per version and attachment, shown to the
// confidentiality reviewer, and every open blocking finding stops Approve
// and Publish until it is masked or overridden with a written reason.

// FindingStatus says what became of a stored finding.
type FindingStatus string

const (
	FindingOpen       FindingStatus = "open"       // waiting for the reviewer
	FindingMasked     FindingStatus = "masked"     // masked in a new revision or file
	FindingOverridden FindingStatus = "overridden" // let through by the reviewer, with a reason
)

// Label is the status's name in the staff UI.
func (s FindingStatus) Label() string {
	switch s {
	case FindingOpen:
		return "待处理"
	case FindingMasked:
		return "已遮盖"
	case FindingOverridden:
		return "已放行"
	}
	return string(s)
}

// Finding is a screening finding stored for one version of an item: in
// its own fields (AttachmentID 0) or in one of its attachments. Like
// screening.Finding it never holds the raw value; Offset and Length are
// valid only for the text of the version or file it was found in.
type Finding struct {
	screening.Finding
	ID           int64
	ItemID       int64
	Version      int
	AttachmentID int64
	Status       FindingStatus
	// OverrideReason, OverrideBy (user ID), OverrideByName and OverrideAt
	// record who let a finding through, and why.
	OverrideReason string
	OverrideBy     int64
	OverrideByName string
	OverrideAt     time.Time
	CreatedAt      time.Time
}

// Blocking reports whether the finding still stops publication.
func (f *Finding) Blocking() bool {
	return f.Status == FindingOpen && f.Severity == screening.SeverityBlocking
}

// Column returns the column letters of a spreadsheet finding ("C" for
// C4), or "" when the finding is not in a cell.
func (f *Finding) Column() string {
	if f.Place.Sheet == "" || f.Place.Cell == "" {
		return ""
	}
	c, err := extract.ColumnOf(f.Place.Cell)
	if err != nil {
		return ""
	}
	return c
}

// Row returns the row of a spreadsheet finding (4 for C4), or 0 when the
// finding is not in a cell.
func (f *Finding) Row() int {
	i := strings.IndexAny(f.Place.Cell, "0123456789")
	if f.Place.Sheet == "" || i < 0 {
		return 0
	}
	n := 0
	for _, c := range f.Place.Cell[i:] {
		if c < '0' || c > '9' || n > 10_000_000 {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// ScreenTx is what screening stores inside a publishing transaction.
// internal/store implements it as part of Tx.
type ScreenTx interface {
	// Findings returns every finding of one version of an item, in the
	// order they were stored.
	Findings(ctx context.Context, itemID int64, version int) ([]Finding, error)
	AddFinding(ctx context.Context, f *Finding) error
	// SaveFinding stores f's span, status and override fields.
	SaveFinding(ctx context.Context, f *Finding) error
	DeleteFinding(ctx context.Context, id int64) error
	// DeleteOpenFindings removes the open findings of one version and
	// attachment (0: the item's fields); masked and overridden ones stay
	// on record.
	DeleteOpenFindings(ctx context.Context, itemID int64, version int, attachmentID int64) error
	// MoveFindings re-files the findings of attachment from under to.
	MoveFindings(ctx context.Context, from, to int64) error
	// ReplaceAttachment puts a in place of attachment oldID of the same
	// version (same position) and removes oldID; it sets a's ID.
	ReplaceAttachment(ctx context.Context, oldID int64, a *Attachment) error
	// ScreeningWords returns the sensitive-word list of the site group
	// whose root org is rootID.
	ScreeningWords(ctx context.Context, rootID int64) ([]screening.Word, error)
	SetScreeningWords(ctx context.Context, rootID int64, words []screening.Word) error
}

// Files reads and stores attachment bytes. *blob.Local implements it.
type Files interface {
	Open(sum string) (*os.File, error)
	Put(r io.Reader, max int64) (sum string, size int64, err error)
}

// ScreenConfig turns on screening in a Service.
type ScreenConfig struct {
	// Extractor reads attachments; nil turns screening off.
	Extractor *extract.Extractor
	// Files holds the attachments' bytes.
	Files Files
}

func (c ScreenConfig) on() bool { return c.Extractor != nil && c.Files != nil }

// scanned is the result of scanning before a transaction: what was
// scanned (version and revision) and the findings per attachment (0 for
// the item's fields).
type scanned struct {
	version, rev int
	found        map[int64][]screening.Finding
}

// wordsAndNow reads the site group's word list and the clock.
func (s *Service) wordsAndNow(ctx context.Context, tx Tx, orgID int64) (screening.Options, error) {
	orgs, err := tx.Orgs(ctx)
	if err != nil {
		return screening.Options{}, err
	}
	path := org.Path(orgs, orgID)
	if len(path) == 0 {
		return screening.Options{}, fmt.Errorf("org %d: %w", orgID, apperr.ErrNotFound)
	}
	words, err := tx.ScreeningWords(ctx, path[0])
	if err != nil {
		return screening.Options{}, err
	}
	now := tx.Now()
	opts := screening.Options{Now: func() time.Time { return now }}
	if len(words) > 0 {
		wl, err := screening.NewWordList(words)
		if err != nil {
			return screening.Options{}, fmt.Errorf("word list of org %d: %w", path[0], err)
		}
		opts.Words = wl
	}
	return opts, nil
}

// scanFields scans the item's own fields of v.
func scanFields(v *Version, opts screening.Options) []screening.Finding {
	var out []screening.Finding
	for _, fl := range []struct{ name, text string }{{"title", v.Title}, {"subtitle", v.Subtitle}, {"summary", v.Summary}} {
		if fl.text == "" {
			continue
		}
		o := opts
		o.Location = fl.name
		for _, f := range screening.Scan(fl.text, o) {
			f.Place = screening.Place{Field: fl.name}
			out = append(out, f)
		}
	}
	return append(out, extract.ScanHTML("body", v.Body, opts)...)
}

// scanFile scans an attachment's stored bytes. An image gets the map check
// with what the uploader said about it (caption, marked as a map).
func (s *Service) scanFile(ctx context.Context, a *Attachment, opts screening.Options) ([]screening.Finding, error) {
	data, err := s.readFile(a.SHA256, a.Size)
	if errors.Is(err, apperr.ErrNotFound) {
		// The bytes are gone from the file store: nobody can check them,
		// so a reviewer must look (and the author upload them again).
		return []screening.Finding{screening.ManualReview(screening.Place{File: a.Name}, "附件文件缺失，无法检查")}, nil
	}
	if err != nil {
		return nil, err
	}
	return s.scanBytes(ctx, a, data, opts)
}

func (s *Service) scanBytes(ctx context.Context, a *Attachment, data []byte, opts screening.Options) ([]screening.Finding, error) {
	found, err := s.screen.Extractor.Scan(ctx, a.Name, data, opts)
	if err != nil {
		return nil, fmt.Errorf("scan attachment %q: %w", a.SHA256, err)
	}
	if !strings.HasPrefix(a.ContentType, "image/") {
		return found, nil
	}
	out := found[:0]
	for _, f := range found {
		if f.Kind != screening.KindMapWithoutApproval {
			out = append(out, f)
		}
	}
	place := screening.Place{File: a.Name}
	if f, ok := screening.CheckMap(screening.Image{Location: place.String(), FileName: a.Name, Caption: a.Caption, MarkedAsMap: a.IsMap}); ok {
		f.Place = place
		out = append(out, f)
	}
	return out, nil
}

func (s *Service) readFile(sum string, size int64) ([]byte, error) {
	f, err := s.screen.Files.Open(sum)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, size+1))
	if err != nil {
		return nil, fmt.Errorf("read attachment %s: %w", sum, err)
	}
	return data, nil
}

// scanForSubmit scans the current version of an item and its attachments
// before the submit transaction; nil when screening is off. It checks the
// transition first, so nobody can make the server scan what they may not
// submit.
func (s *Service) scanForSubmit(ctx context.Context, actor account.Actor, id int64) (*scanned, error) {
	if !s.screen.on() {
		return nil, nil
	}
	var v *Version
	var atts []Attachment
	var opts screening.Options
	err := s.store.UpdatePublish(ctx, func(tx Tx) error {
		st, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := Transition(st.it, st.cur, st.path, actor, ActSubmit); err != nil {
			return err
		}
		v = st.cur
		if atts, err = tx.Attachments(ctx, id, v.Number); err != nil {
			return err
		}
		opts, err = s.wordsAndNow(ctx, tx, st.it.OrgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	sc := &scanned{version: v.Number, rev: v.Rev, found: map[int64][]screening.Finding{0: scanFields(v, opts)}}
	for i := range atts {
		found, err := s.scanFile(ctx, &atts[i], opts)
		if err != nil {
			return nil, err
		}
		sc.found[atts[i].ID] = found
	}
	return sc, nil
}

// storeScan files the findings of sc for the item's current version,
// replacing the open findings of each scanned part. A new finding that
// matches one the reviewer already let through (same kind, place and
// excerpt) stays overridden.
func (s *Service) storeScan(ctx context.Context, tx Tx, st *state, sc *scanned) error {
	if sc == nil {
		return nil
	}
	if st.cur.Number != sc.version || st.cur.Rev != sc.rev {
		return fmt.Errorf("item %d changed while it was screened: %w", st.it.ID, ErrStale)
	}
	old, err := tx.Findings(ctx, st.it.ID, st.cur.Number)
	if err != nil {
		return err
	}
	atts, err := tx.Attachments(ctx, st.it.ID, st.cur.Number)
	if err != nil {
		return err
	}
	attached := map[int64]bool{0: true}
	for _, a := range atts {
		attached[a.ID] = true
	}
	for attID, found := range sc.found {
		if !attached[attID] {
			continue // removed while it was scanned
		}
		if err := refresh(ctx, tx, st.it.ID, st.cur.Number, attID, found, old); err != nil {
			return err
		}
	}
	return nil
}

// refresh replaces the open findings of one part of a version (old holds
// the version's findings) with found, the part's new scan. A finding
// found again (same kind, place and excerpt) keeps its ID with its new
// span, so a reviewer's page stays valid after another finding was
// masked; one the reviewer already let through stays overridden; open
// ones not found again are deleted.
func refresh(ctx context.Context, tx Tx, itemID int64, version int, attID int64, found []screening.Finding, old []Finding) error {
	overridden := map[string]bool{}
	open := map[string][]*Finding{}
	for i := range old {
		f := &old[i]
		if f.AttachmentID != attID {
			continue
		}
		switch f.Status {
		case FindingOverridden:
			overridden[findingKey(f.Finding)] = true
		case FindingOpen:
			k := findingKey(f.Finding)
			open[k] = append(open[k], f)
		}
	}
	for _, f := range found {
		k := findingKey(f)
		if overridden[k] {
			continue
		}
		if q := open[k]; len(q) > 0 {
			o := q[0]
			open[k] = q[1:]
			o.Offset, o.Length = f.Offset, f.Length
			if err := tx.SaveFinding(ctx, o); err != nil {
				return err
			}
			continue
		}
		if err := tx.AddFinding(ctx, &Finding{Finding: f, ItemID: itemID, Version: version, AttachmentID: attID, Status: FindingOpen}); err != nil {
			return err
		}
	}
	for _, q := range open {
		for _, o := range q {
			if err := tx.DeleteFinding(ctx, o.ID); err != nil {
				return err
			}
		}
	}
	return nil
}

func findingKey(f screening.Finding) string {
	return string(f.Kind) + "\x00" + f.Place.String() + "\x00" + f.Excerpt
}

// checkFindings refuses to approve or publish a version while one of its
// findings is blocking and open.
func checkFindings(ctx context.Context, tx Tx, st *state) error {
	fs, err := tx.Findings(ctx, st.it.ID, st.cur.Number)
	if err != nil {
		return err
	}
	n := 0
	for i := range fs {
		if fs[i].Blocking() {
			n++
		}
	}
	if n > 0 {
		return apperr.Invalidf("screening", "自动检查发现%d处须处理的问题（如个人信息、密级标志、未标审图号的地图），遮盖或由保密审查员说明理由放行后才能通过审查或发布", n)
	}
	return nil
}

// scanAttachment scans a new attachment before it is added; nil when
// screening is off.
func (s *Service) scanAttachment(ctx context.Context, actor account.Actor, id int64, a *Attachment) ([]screening.Finding, error) {
	if !s.screen.on() {
		return nil, nil
	}
	var opts screening.Options
	err := s.store.UpdatePublish(ctx, func(tx Tx) error {
		st, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if _, err := Transition(st.it, st.cur, st.path, actor, ActSave); err != nil {
			return err
		}
		opts, err = s.wordsAndNow(ctx, tx, st.it.OrgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	found, err := s.scanFile(ctx, a, opts)
	if err != nil {
		return nil, err
	}
	if found == nil {
		found = []screening.Finding{}
	}
	return found, nil
}

// reviewing checks that actor may resolve findings of the item now: a
// confidentiality reviewer of its org while it awaits confidentiality
// review.
// loadReviewing loads item id for a reviewer's action on its findings.
func (s *Service) loadReviewing(ctx context.Context, tx Tx, actor account.Actor, id int64) (*state, error) {
	st, err := s.load(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if err := reviewing(st, actor); err != nil {
		return nil, err
	}
	return st, nil
}

func reviewing(st *state, actor account.Actor) error {
	if st.path == nil {
		return fmt.Errorf("item %d has no org: %w", st.it.ID, apperr.ErrForbidden)
	}
	if err := actor.Require(st.path, account.RoleReviewer); err != nil {
		return err
	}
	if st.it.State != StateConfidentialityReview {
		return fmt.Errorf("resolve findings of an item that is %s: %w", st.it.State, ErrInvalidTransition)
	}
	return nil
}

// finding returns the open finding fid of the item's current version.
func finding(ctx context.Context, tx Tx, st *state, fid int64) (*Finding, []Finding, error) {
	fs, err := tx.Findings(ctx, st.it.ID, st.cur.Number)
	if err != nil {
		return nil, nil, err
	}
	for i := range fs {
		if fs[i].ID == fid {
			if fs[i].Status != FindingOpen {
				return nil, nil, apperr.Invalidf("finding", "此问题已处理（%s）", fs[i].Status.Label())
			}
			return &fs[i], fs, nil
		}
	}
	return nil, nil, fmt.Errorf("finding %d of item %d: %w", fid, st.it.ID, apperr.ErrNotFound)
}

// Override lets an open finding through: only a confidentiality reviewer
// of the item's org may, while the item awaits that review, and only with
// a written reason, which the audit trail keeps (art. 17: the reviewer
// answers for what is published).
func (s *Service) Override(ctx context.Context, actor account.Actor, id, fid int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.Invalidf("override_reason", "请填写放行理由，说明为什么此处可以公开")
	}
	if utf8.RuneCountInString(reason) > 1000 {
		return apperr.Invalidf("override_reason", "放行理由不能超过1000个字")
	}
	return s.store.UpdatePublish(ctx, func(tx Tx) error {
		st, err := s.loadReviewing(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		f, _, err := finding(ctx, tx, st, fid)
		if err != nil {
			return err
		}
		f.Status, f.OverrideReason, f.OverrideBy, f.OverrideByName, f.OverrideAt = FindingOverridden, reason, actor.UserID, actor.Name, tx.Now()
		if err := tx.SaveFinding(ctx, f); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, st.it, audit.ActScreenOverride,
			detail(st.it, st.cur, fmt.Sprintf("%s %s %s，理由：%s", f.Place.String(), kindLabel(f.Kind), f.Excerpt, reason))))
	})
}

// MaskFinding masks one open finding. In the item's own fields it makes a
// new revision of the version under review with the span masked; in a
// .xlsx or .docx attachment it stores a masked copy that takes the
// original's place in the version (the original is no longer attached, so
// it is never served). The changed part is scanned again, since offsets
// hold only for the text they came from.
func (s *Service) MaskFinding(ctx context.Context, actor account.Actor, id, fid int64) error {
	return s.mask(ctx, actor, id, func(st *state, fs []Finding) (int64, []*Finding, error) {
		for i := range fs {
			if fs[i].ID != fid {
				continue
			}
			f := &fs[i]
			if f.Status != FindingOpen {
				return 0, nil, apperr.Invalidf("finding", "此问题已处理（%s）", f.Status.Label())
			}
			if f.Length <= 0 {
				return 0, nil, apperr.Invalidf("finding", "此问题不能自动遮盖（如地图、无法读取的文件）；请退回作者修改，或说明理由后放行")
			}
			return f.AttachmentID, []*Finding{f}, nil
		}
		return 0, nil, fmt.Errorf("finding %d of item %d: %w", fid, id, apperr.ErrNotFound)
	})
}

// personalKinds are the findings MaskAll masks: personal data, whose mask
// hides the value. Markings, sensitive words and maps are not changed by
// masking; the reviewer sends them back or overrides them.
var personalKinds = map[screening.Kind]bool{screening.KindIDNumber: true, screening.KindMobile: true, screening.KindBankCard: true,
	screening.KindEmail: true, screening.KindAddress: true}

// Personal reports whether MaskAll masks findings of kind k.
func Personal(k screening.Kind) bool { return personalKinds[k] }

// MaskAll masks, in one action, every open finding of personal data in one
// part of the version under review: the item's own fields (attID 0) or
// one .xlsx or .docx attachment. It is MaskFinding for many findings at
// once, with one new revision or file and one audit record.
func (s *Service) MaskAll(ctx context.Context, actor account.Actor, id, attID int64) error {
	return s.mask(ctx, actor, id, func(st *state, fs []Finding) (int64, []*Finding, error) {
		var out []*Finding
		for i := range fs {
			f := &fs[i]
			if f.AttachmentID == attID && f.Status == FindingOpen && f.Length > 0 && personalKinds[f.Kind] {
				out = append(out, f)
			}
		}
		if len(out) == 0 {
			return 0, nil, apperr.Invalidf("finding", "这里没有可以自动遮盖的个人信息")
		}
		return attID, out, nil
	})
}

// mask masks the findings pick chooses, all in the item's fields
// (attachment 0) or all in one attachment.
func (s *Service) mask(ctx context.Context, actor account.Actor, id int64, pick func(*state, []Finding) (int64, []*Finding, error)) error {
	if !s.screen.on() {
		return apperr.Invalidf("finding", "未启用自动检查")
	}
	var chosen []*Finding
	var att *Attachment
	var opts screening.Options
	err := s.store.UpdatePublish(ctx, func(tx Tx) error {
		st, err := s.loadReviewing(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		fs, err := tx.Findings(ctx, id, st.cur.Number)
		if err != nil {
			return err
		}
		attID, picked, err := pick(st, fs)
		if err != nil {
			return err
		}
		chosen = picked
		if opts, err = s.wordsAndNow(ctx, tx, st.it.OrgID); err != nil {
			return err
		}
		if attID == 0 {
			return s.maskFields(ctx, tx, actor, st, chosen, opts)
		}
		atts, err := tx.Attachments(ctx, id, st.cur.Number)
		if err != nil {
			return err
		}
		for i := range atts {
			if atts[i].ID == attID {
				att = &atts[i]
			}
		}
		if att == nil {
			return fmt.Errorf("attachment %d of item %d: %w", attID, id, apperr.ErrNotFound)
		}
		return nil
	})
	if err != nil || att == nil {
		return err
	}
	data, err := s.readFile(att.SHA256, att.Size)
	if err != nil {
		return err
	}
	fs := make([]screening.Finding, len(chosen))
	ids := make([]int64, len(chosen))
	for i, f := range chosen {
		fs[i], ids[i] = f.Finding, f.ID
	}
	var masked []byte
	switch {
	case strings.HasSuffix(att.ContentType, "spreadsheetml.sheet"):
		masked, err = extract.MaskXLSX(data, fs, s.screen.Extractor.Limits())
	case strings.HasSuffix(att.ContentType, "wordprocessingml.document"):
		masked, err = extract.MaskDOCX(data, fs, s.screen.Extractor.Limits())
	default:
		return apperr.Invalidf("finding", "此类附件（%s）不能自动遮盖；请退回作者修改，或说明理由后放行", TypeLabel(att.ContentType))
	}
	if err != nil {
		return maskError(err)
	}
	return s.replaceMasked(ctx, actor, id, att, masked, opts, ids, "遮盖 "+describe(chosen))
}

// describe names masked findings for the audit trail: one by its place and
// kind, several by their count.
func describe(fs []*Finding) string {
	if len(fs) == 1 {
		return fmt.Sprintf("%s %s %s", fs[0].Place.String(), kindLabel(fs[0].Kind), fs[0].Excerpt)
	}
	where := fs[0].Place.File
	if where == "" {
		where = "正文等字段"
	}
	return fmt.Sprintf("%s中的%d处个人信息", where, len(fs))
}

// maskError turns a masking failure into a message for the reviewer.
func maskError(err error) error {
	if errors.Is(err, extract.ErrMaskIncomplete) {
		return apperr.Invalidf("finding", "遮盖后的文件中仍能找到原值（例如数据透视表或图表缓存中还有一份），不能自动处理；请退回作者修改原文件")
	}
	if errors.Is(err, extract.ErrUnreadable) || errors.Is(err, extract.ErrTooLarge) {
		return apperr.Invalidf("finding", "文件无法自动遮盖：%s", extract.Reason(err))
	}
	return fmt.Errorf("mask attachment: %w", err)
}

// maskFields masks fs in the item's own fields: a new revision of the
// version under review, then the fields are scanned again.
func (s *Service) maskFields(ctx context.Context, tx Tx, actor account.Actor, st *state, fs []*Finding, opts screening.Options) error {
	v := st.cur
	byField := map[string][]screening.Finding{}
	for _, f := range fs {
		byField[f.Place.Field] = append(byField[f.Place.Field], f.Finding)
	}
	for field, spans := range byField {
		switch field {
		case "body":
			v.Body = extract.MaskHTML(v.Body, spans)
		case "title":
			v.Title = screening.Mask(v.Title, spans)
		case "subtitle":
			v.Subtitle = screening.Mask(v.Subtitle, spans)
		case "summary":
			v.Summary = screening.Mask(v.Summary, spans)
		default:
			return apperr.Invalidf("finding", "此处不能自动遮盖")
		}
	}
	rev := v.Rev
	v.Rev++
	if err := tx.SaveVersion(ctx, v, rev); err != nil {
		return err
	}
	if _, ok := byField["title"]; ok {
		st.it.Title = v.Title
		if err := tx.SaveItem(ctx, st.it); err != nil {
			return err
		}
	}
	for _, f := range fs {
		f.Status = FindingMasked
		if err := tx.SaveFinding(ctx, f); err != nil {
			return err
		}
	}
	old, err := tx.Findings(ctx, st.it.ID, v.Number)
	if err != nil {
		return err
	}
	if err := refresh(ctx, tx, st.it.ID, v.Number, 0, scanFields(v, opts), old); err != nil {
		return err
	}
	return tx.AppendAudit(ctx, record(actor, st.it, audit.ActScreenMask,
		detail(st.it, v, fmt.Sprintf("%s（修订%d）", "遮盖 "+describe(fs), v.Rev))))
}

// ColumnKinds are what a column of a spreadsheet can be masked as, with
// their labels.
var ColumnKinds = []struct {
	Kind  screening.Kind
	Label string
}{
	{screening.KindName, "姓名（张*）"},
	{screening.KindIDNumber, "身份证号（4203**********1234）"},
	{screening.KindMobile, "手机号（138****5678）"},
	{screening.KindBankCard, "银行卡号（只留后四位）"},
	{screening.KindAddress, "住址"},
}

// MaskColumn masks a whole column of a sheet of a .xlsx attachment from
// firstRow down, each cell as kind (a column of names as 张*): one action
// for a list of subsidy recipients. The masked workbook replaces the
// original in the version under review, and is scanned again.
func (s *Service) MaskColumn(ctx context.Context, actor account.Actor, id, attID int64, sheet, column string, firstRow int, kind screening.Kind) error {
	if !s.screen.on() {
		return apperr.Invalidf("column", "未启用自动检查")
	}
	column = strings.ToUpper(strings.TrimSpace(column))
	known := false
	for _, k := range ColumnKinds {
		known = known || k.Kind == kind
	}
	inv := &apperr.Invalid{Fields: map[string]string{}}
	if !known {
		inv.Fields["kind"] = "请选择这一列的内容"
	}
	if _, err := extract.ColumnOf(column + "1"); err != nil || column == "" {
		inv.Fields["column"] = "请填写列号，如 B"
	}
	if firstRow < 1 || firstRow > 1_000_000 {
		inv.Fields["first_row"] = "请填写从第几行开始遮盖（标题和表头行之后）"
	}
	if len(inv.Fields) > 0 {
		return inv
	}
	var att *Attachment
	var opts screening.Options
	var ids []int64
	err := s.store.UpdatePublish(ctx, func(tx Tx) error {
		st, err := s.loadReviewing(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		atts, err := tx.Attachments(ctx, id, st.cur.Number)
		if err != nil {
			return err
		}
		for i := range atts {
			if atts[i].ID == attID {
				att = &atts[i]
			}
		}
		if att == nil {
			return fmt.Errorf("attachment %d of item %d: %w", attID, id, apperr.ErrNotFound)
		}
		if !strings.HasSuffix(att.ContentType, "spreadsheetml.sheet") {
			return apperr.Invalidf("column", "只有 Excel（.xlsx）附件可以按列遮盖")
		}
		fs, err := tx.Findings(ctx, id, st.cur.Number)
		if err != nil {
			return err
		}
		for i := range fs {
			f := &fs[i]
			if f.AttachmentID == attID && f.Status == FindingOpen && f.Place.Sheet == sheet && f.Place.Part == "" &&
				f.Column() == column && f.Row() >= firstRow {
				ids = append(ids, f.ID)
			}
		}
		opts, err = s.wordsAndNow(ctx, tx, st.it.OrgID)
		return err
	})
	if err != nil {
		return err
	}
	data, err := s.readFile(att.SHA256, att.Size)
	if err != nil {
		return err
	}
	masked, err := extract.MaskColumn(data, extract.ColumnMask{Sheet: sheet, Column: column, FirstRow: firstRow, Kind: kind}, s.screen.Extractor.Limits())
	if err != nil {
		if errors.Is(err, extract.ErrMaskIncomplete) || errors.Is(err, extract.ErrUnreadable) || errors.Is(err, extract.ErrTooLarge) {
			return maskError(err)
		}
		return apperr.Invalidf("column", "无法遮盖工作表“%s”的 %s 列，请核对工作表名和列号", sheet, column)
	}
	return s.replaceMasked(ctx, actor, id, att, masked, opts, ids,
		fmt.Sprintf("按列遮盖 %s %s!%s 列（第%d行起，%s）", att.Name, sheet, column, firstRow, kindLabel(kind)))
}

// replaceMasked stores masked as the new file of att, scans it, and in one
// transaction puts it in att's place, marks the findings ids masked and
// files the new scan.
func (s *Service) replaceMasked(ctx context.Context, actor account.Actor, id int64, att *Attachment, masked []byte, opts screening.Options, ids []int64, note string) error {
	sum, size, err := s.screen.Files.Put(strings.NewReader(string(masked)), MaxAttachment*2)
	if err != nil {
		return err
	}
	na := *att
	na.ID, na.SHA256, na.Size = 0, sum, size
	found, err := s.scanBytes(ctx, &na, masked, opts)
	if err != nil {
		return err
	}
	return s.store.UpdatePublish(ctx, func(tx Tx) error {
		st, err := s.loadReviewing(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		atts, err := tx.Attachments(ctx, id, st.cur.Number)
		if err != nil {
			return err
		}
		still := false
		for _, a := range atts {
			still = still || (a.ID == att.ID && a.SHA256 == att.SHA256)
		}
		if !still {
			return fmt.Errorf("attachment %d changed while masking: %w", att.ID, apperr.ErrConflict)
		}
		if err := tx.ReplaceAttachment(ctx, att.ID, &na); err != nil {
			return err
		}
		if err := tx.MoveFindings(ctx, att.ID, na.ID); err != nil {
			return err
		}
		old, err := tx.Findings(ctx, id, st.cur.Number)
		if err != nil {
			return err
		}
		for i := range old {
			for _, fid := range ids {
				if old[i].ID == fid && old[i].Status == FindingOpen {
					old[i].Status = FindingMasked
					if err := tx.SaveFinding(ctx, &old[i]); err != nil {
						return err
					}
				}
			}
		}
		if err := refresh(ctx, tx, id, st.cur.Number, na.ID, found, old); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, record(actor, st.it, audit.ActScreenMask, detail(st.it, st.cur, note)))
	})
}

// kindLabel names a finding's kind in Chinese.
func kindLabel(k screening.Kind) string {
	switch k {
	case screening.KindIDNumber:
		return "身份证号"
	case screening.KindMobile:
		return "手机号"
	case screening.KindBankCard:
		return "银行卡号"
	case screening.KindEmail:
		return "电子邮箱"
	case screening.KindAddress:
		return "住址"
	case screening.KindMarking:
		return "密级标志"
	case screening.KindSensitiveWord:
		return "敏感词"
	case screening.KindMapWithoutApproval:
		return "地图无审图号"
	case screening.KindManualReview:
		return "需人工审查"
	case screening.KindImageMetadata:
		return "图片元数据"
	case screening.KindName:
		return "姓名"
	}
	return string(k)
}

// KindLabel names a finding's kind in Chinese, for the staff UI.
func KindLabel(k screening.Kind) string { return kindLabel(k) }

// Words returns the sensitive-word list of the site group whose root org
// is rootID. Only an administrator of that root org may read it.
func (s *Service) Words(ctx context.Context, actor account.Actor, rootID int64) ([]screening.Word, error) {
	var out []screening.Word
	err := s.store.UpdatePublish(ctx, func(tx Tx) error {
		if err := requireRootAdmin(ctx, tx, actor, rootID); err != nil {
			return err
		}
		var err error
		out, err = tx.ScreeningWords(ctx, rootID)
		return err
	})
	return out, err
}

// SetWords replaces the sensitive-word list of the site group whose root
// org is rootID with the list typed in text (one word a line, an optional
// severity after a tab or comma: see screening.ParseWords). Only an
// administrator of the root org may; the change is audited.
func (s *Service) SetWords(ctx context.Context, actor account.Actor, rootID int64, text string) error {
	words, err := screening.ParseWords(text)
	if err != nil {
		return err
	}
	if len(words) > 100_000 {
		return apperr.Invalidf("words", "敏感词不能超过十万个")
	}
	if _, err := screening.NewWordList(words); err != nil {
		return err
	}
	return s.store.UpdatePublish(ctx, func(tx Tx) error {
		if err := requireRootAdmin(ctx, tx, actor, rootID); err != nil {
			return err
		}
		if err := tx.SetScreeningWords(ctx, rootID, words); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, audit.Record{ActorID: actor.UserID, ActorName: actor.Name, OrgID: rootID, Action: audit.ActScreenWords,
			ObjectType: "org", ObjectID: rootID, Detail: fmt.Sprintf("敏感词表共%d个词", len(words)), IP: actor.IP})
	})
}

func requireRootAdmin(ctx context.Context, tx Tx, actor account.Actor, rootID int64) error {
	orgs, err := tx.Orgs(ctx)
	if err != nil {
		return err
	}
	path := org.Path(orgs, rootID)
	if len(path) != 1 {
		return fmt.Errorf("word list of org %d, which is not a root: %w", rootID, apperr.ErrNotFound)
	}
	return actor.Require(path, account.RoleAdmin)
}
