package admin

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
	"gongkai/internal/screening/imagemeta"
	"gongkai/internal/web"
)

// Pre-publication screening in the staff UI (issue 4): the findings on the
// item page, highlighted in the body's text and listed with their place;
// masking a finding or a spreadsheet column and overriding with a reason
// for the confidentiality reviewer; the site group's sensitive-word list
// for administrators of a root org.

// FindingReader reads stored findings. *store.DB implements it.
type FindingReader interface {
	ItemFindings(ctx context.Context, itemID int64, version int) ([]publish.Finding, error)
}

// screenPanel is the findings part of the item page.
type screenPanel struct {
	Findings []findingRow
	Open     int
	Blocking int
	// CanResolve is set for a confidentiality reviewer of the item's org
	// while it awaits that review: mask and override buttons show.
	CanResolve bool
	// Body is the body's text as screening read it, cut at the open
	// findings of the body so the template can mark them (escaped).
	Body    []textPiece
	Columns []columnForm
	// MaskAll offers masking every open personal finding of one part (the
	// item's fields, or an .xlsx or .docx attachment) in one action.
	MaskAll []maskAllTarget
	// OverrideFor and OverrideReason keep what was typed when an override
	// was refused.
	OverrideFor    int64
	OverrideReason string
	// Column form values typed when a column mask was refused.
	ColumnForm columnForm
	// Caption and IsMap keep the upload form's image fields when an
	// upload was refused.
	Caption string
	IsMap   bool
}

type findingRow struct {
	publish.Finding
	KindLabel string
	Where     string // the place, formatted for people
}

type textPiece struct {
	Text string
	ID   int64 // the finding marked by this piece; 0 for plain text
}

type maskAllTarget struct {
	AttID int64 // 0: the item's own fields
	Label string
	Count int
}

// columnForm offers masking one column of a sheet of a .xlsx attachment.
type columnForm struct {
	AttID    int64
	AttName  string
	Sheet    string
	Column   string
	FirstRow int
	Kind     screening.Kind
	Count    int // open findings in the column
}

// ColumnKinds lists what a column can be masked as, for the select.
func (screenPanel) ColumnKinds() []struct {
	Kind  screening.Kind
	Label string
} {
	return publish.ColumnKinds
}

// screenPanel builds the findings part of the item page for the current
// version. The item was loaded with loadItem, so the actor may see it.
func (h *handler) screenPanel(ctx context.Context, act account.Actor, it *publish.Item, cur *publish.Version, atts []publish.Attachment, path []int64) (screenPanel, error) {
	var p screenPanel
	if h.Pub.Findings == nil {
		return p, nil
	}
	fs, err := h.Pub.Findings.ItemFindings(ctx, it.ID, cur.Number)
	if err != nil {
		return p, err
	}
	p.CanResolve = it.State == publish.StateConfidentialityReview && act.Has(account.RoleReviewer, path)
	names := map[int64]string{}
	xlsx := map[int64]bool{}
	for _, a := range atts {
		names[a.ID] = a.Name
		xlsx[a.ID] = strings.HasSuffix(a.ContentType, "spreadsheetml.sheet")
	}
	var body []publish.Finding
	maskable := map[int64]bool{0: true}
	for _, a := range atts {
		maskable[a.ID] = strings.HasSuffix(a.ContentType, "spreadsheetml.sheet") || strings.HasSuffix(a.ContentType, "wordprocessingml.document")
	}
	all := map[int64]int{}
	cols := map[string]*columnForm{}
	var order []string
	for _, f := range fs {
		if f.AttachmentID != 0 && names[f.AttachmentID] == "" {
			continue // a finding of a file no longer attached (masked or removed)
		}
		p.Findings = append(p.Findings, findingRow{Finding: f, KindLabel: publish.KindLabel(f.Kind), Where: f.Place.String()})
		if f.Status != publish.FindingOpen {
			continue
		}
		p.Open++
		if f.Blocking() {
			p.Blocking++
		}
		if f.Length > 0 && maskable[f.AttachmentID] && publish.Personal(f.Kind) {
			all[f.AttachmentID]++
		}
		if f.AttachmentID == 0 && f.Place.Field == "body" && f.Length > 0 {
			body = append(body, f)
		}
		if c := f.Column(); c != "" && xlsx[f.AttachmentID] {
			k := fmt.Sprintf("%d\x00%s\x00%s", f.AttachmentID, f.Place.Sheet, c)
			if cols[k] == nil {
				cols[k] = &columnForm{AttID: f.AttachmentID, AttName: names[f.AttachmentID], Sheet: f.Place.Sheet, Column: c, Kind: f.Kind, FirstRow: 1 << 30}
				order = append(order, k)
			}
			cf := cols[k]
			cf.Count++
			cf.FirstRow = min(cf.FirstRow, max(f.Row(), 1))
		}
	}
	for _, k := range order {
		p.Columns = append(p.Columns, *cols[k])
	}
	if n := all[0]; n > 1 {
		p.MaskAll = append(p.MaskAll, maskAllTarget{Label: "标题和正文", Count: n})
	}
	for _, a := range atts {
		if n := all[a.ID]; n > 1 {
			p.MaskAll = append(p.MaskAll, maskAllTarget{AttID: a.ID, Label: a.Name, Count: n})
		}
	}
	if len(body) > 0 {
		p.Body = markText(extract.HTMLText(cur.Body), body)
	}
	return p, nil
}

// markText cuts text at the spans of findings (sorted, non-overlapping as
// screening returns them; others are skipped). The pieces are rendered by
// the template, escaped; nothing here becomes template.HTML.
func markText(text string, fs []publish.Finding) []textPiece {
	fs = slices.Clone(fs)
	slices.SortFunc(fs, func(a, b publish.Finding) int { return a.Offset - b.Offset })
	var out []textPiece
	last := 0
	for _, f := range fs {
		if f.Offset < last || f.End() > len(text) {
			continue
		}
		if f.Offset > last {
			out = append(out, textPiece{Text: text[last:f.Offset]})
		}
		out = append(out, textPiece{Text: text[f.Offset:f.End()], ID: f.ID})
		last = f.End()
	}
	if last < len(text) {
		out = append(out, textPiece{Text: text[last:]})
	}
	return out
}

func (h *handler) maskAll(w http.ResponseWriter, r *http.Request) error {
	it, _, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	err = h.Pub.Service.MaskAll(r.Context(), actor(r), it.ID, web.FormID(r, "att"))
	return h.screenDone(w, r, it, err, "已遮盖全部个人信息，并已重新检查", func(p *itemShowPage) {})
}

func (h *handler) findingMask(w http.ResponseWriter, r *http.Request) error {
	it, _, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	fid, err := web.PathID(r, "fid")
	if err != nil {
		return err
	}
	err = h.Pub.Service.MaskFinding(r.Context(), actor(r), it.ID, fid)
	return h.screenDone(w, r, it, err, "已遮盖，并已重新检查", func(p *itemShowPage) {})
}

func (h *handler) findingOverride(w http.ResponseWriter, r *http.Request) error {
	it, _, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	fid, err := web.PathID(r, "fid")
	if err != nil {
		return err
	}
	reason := r.PostFormValue("override_reason")
	err = h.Pub.Service.Override(r.Context(), actor(r), it.ID, fid, reason)
	return h.screenDone(w, r, it, err, "已放行，理由已记录", func(p *itemShowPage) {
		p.Screen.OverrideFor, p.Screen.OverrideReason = fid, reason
	})
}

func (h *handler) columnMask(w http.ResponseWriter, r *http.Request) error {
	it, _, _, err := h.loadItem(r)
	if err != nil {
		return err
	}
	attID, err := web.PathID(r, "att")
	if err != nil {
		return err
	}
	f := columnForm{AttID: attID, Sheet: strings.TrimSpace(r.PostFormValue("sheet")), Column: strings.TrimSpace(r.PostFormValue("column")),
		Kind: screening.Kind(r.PostFormValue("kind"))}
	f.FirstRow, _ = strconv.Atoi(strings.TrimSpace(r.PostFormValue("first_row")))
	err = h.Pub.Service.MaskColumn(r.Context(), actor(r), it.ID, attID, f.Sheet, f.Column, f.FirstRow, f.Kind)
	return h.screenDone(w, r, it, err, "已按列遮盖，新文件已替换原附件并重新检查", func(p *itemShowPage) {
		p.Screen.ColumnForm = f
	})
}

// screenDone redirects to the item after a screening action, or shows
// the item page again with the messages next to their fields (422) or the
// state conflict (409), keeping what was typed.
func (h *handler) screenDone(w http.ResponseWriter, r *http.Request, it *publish.Item, err error, done string, keep func(*itemShowPage)) error {
	inv, invalid := apperr.AsInvalid(err)
	if !invalid && !publish.IsInvalidTransition(err) {
		if err != nil {
			return err
		}
		redirect(w, r, itemURL(it.ID)+"#screening", done)
		return nil
	}
	cur, o, path, lerr := h.loadItem(r)
	if lerr != nil {
		return lerr
	}
	p, perr := h.itemShowPage(w, r, cur, o, path)
	if perr != nil {
		return perr
	}
	status := http.StatusUnprocessableEntity
	p.Errors = map[string]string{}
	if invalid {
		for k, m := range inv.Fields {
			switch k {
			case "override_reason", "column", "first_row", "kind":
				p.Errors[k] = m
			default:
				p.Errors[""] = m
			}
		}
	} else {
		status = http.StatusConflict
		p.Errors[""] = fmt.Sprintf("此信息当前为“%s”，只有待保密审查的信息可以遮盖或放行；可能已由他人处理。", cur.State.Label())
	}
	keep(&p)
	return h.tmpl.Render(w, status, "item/show", p)
}

// stripMetadata returns the upload with EXIF (GPS above all), XMP, IPTC
// and comments removed when it is a JPEG or PNG image, and unchanged
// otherwise. An image that cannot be parsed is refused rather than stored
// with its metadata.
func stripMetadata(r io.Reader, field string) (io.Reader, error) {
	head := make([]byte, 8)
	n, err := io.ReadFull(r, head)
	head = head[:n]
	rest := io.MultiReader(bytes.NewReader(head), r)
	if err != nil || !(bytes.HasPrefix(head, []byte{0xFF, 0xD8}) || bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n"))) {
		return rest, nil
	}
	data, err := io.ReadAll(io.LimitReader(rest, publish.MaxAttachment+1))
	if err != nil {
		return nil, fmt.Errorf("read image upload: %w", err)
	}
	if len(data) > publish.MaxAttachment {
		return bytes.NewReader(data), nil // too large: AddAttachment refuses it
	}
	stripped, _, err := imagemeta.Strip(data)
	if err != nil {
		return nil, apperr.Invalidf(field, "无法读取此图片以清除其中的拍摄位置等信息，请另存为标准 JPEG 或 PNG 后再上传")
	}
	return bytes.NewReader(stripped), nil
}

// wordsPage is the sensitive-word list of a site group.
type wordsPage struct {
	basePage
	Roots  []org.Org // root orgs the actor administers
	Org    *org.Org
	Text   string
	Count  int
	Errors map[string]string
}

// wordsRoots returns the root orgs the actor administers.
func (h *handler) wordsRoots(r *http.Request) ([]org.Org, error) {
	orgs, err := h.Reader.Orgs(r.Context())
	if err != nil {
		return nil, err
	}
	var out []org.Org
	for _, o := range orgs {
		if o.ParentID == 0 && actor(r).Has(account.RoleAdmin, []int64{o.ID}) {
			out = append(out, o)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("word list: %w", apperr.ErrForbidden)
	}
	return out, nil
}

func (h *handler) wordsPage(w http.ResponseWriter, r *http.Request, status int, text string, errs map[string]string) error {
	roots, err := h.wordsRoots(r)
	if err != nil {
		return err
	}
	p := wordsPage{basePage: h.base(w, r, "敏感词表"), Roots: roots, Org: &roots[0], Errors: errs}
	if id := web.FormID(r, "org"); id != 0 {
		p.Org = nil
		for i := range roots {
			if roots[i].ID == id {
				p.Org = &roots[i]
			}
		}
		if p.Org == nil {
			return fmt.Errorf("word list of org %d: %w", id, apperr.ErrNotFound)
		}
	}
	words, err := h.Pub.Service.Words(r.Context(), actor(r), p.Org.ID)
	if err != nil {
		return err
	}
	p.Count = len(words)
	if errs == nil {
		var b strings.Builder
		for _, wd := range words {
			b.WriteString(wd.Text)
			if wd.Severity == screening.SeverityBlocking {
				b.WriteString("\t阻断")
			}
			b.WriteByte('\n')
		}
		text = b.String()
	}
	p.Text = text
	return h.tmpl.Render(w, status, "screening/words", p)
}

func (h *handler) wordsShow(w http.ResponseWriter, r *http.Request) error {
	return h.wordsPage(w, r, http.StatusOK, "", nil)
}

func (h *handler) wordsSave(w http.ResponseWriter, r *http.Request) error {
	text := r.PostFormValue("words")
	orgID := web.FormID(r, "org")
	err := h.Pub.Service.SetWords(r.Context(), actor(r), orgID, text)
	if inv, ok := apperr.AsInvalid(err); ok {
		return h.wordsPage(w, r, http.StatusUnprocessableEntity, text, inv.Fields)
	}
	if err != nil {
		return err
	}
	redirect(w, r, "/admin/screening/words?org="+strconv.FormatInt(orgID, 10), "已保存敏感词表")
	return nil
}

// blockingCount counts the open blocking findings of one version, for the
// review queue.
func (h *handler) blockingCount(ctx context.Context, itemID int64, version int) (int, error) {
	if h.Pub.Findings == nil {
		return 0, nil
	}
	fs, err := h.Pub.Findings.ItemFindings(ctx, itemID, version)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range fs {
		if fs[i].Blocking() {
			n++
		}
	}
	return n, nil
}
