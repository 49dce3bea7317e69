package publish_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/apperr"
	"gongkai/internal/blob"
	"gongkai/internal/publish"
	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
)

// screenOpts turns screening on with a file store in a temporary
// directory.
func screenOpts(t *testing.T) publish.Options {
	x := extract.New(extract.Limits{})
	t.Cleanup(func() { x.Close() })
	return publish.Options{Screen: publish.ScreenConfig{Extractor: x, Files: blob.NewLocal(filepath.Join(t.TempDir(), "files"))}}
}

func openFinding(t *testing.T, w *world, id int64, kind screening.Kind) publish.Finding {
	t.Helper()
	it := w.item(t, id)
	fs, err := w.db.ItemFindings(t.Context(), id, it.Current)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Kind == kind && f.Status == publish.FindingOpen {
			return f
		}
	}
	t.Fatalf("item %d has no open %s finding in %v", id, kind, fs)
	return publish.Finding{}
}

// TestScreeningWorkflow scans on submit, refuses approval while a blocking
// finding is open, lets only the org's confidentiality reviewer resolve
// findings during that review, and rescans a masked body so the findings
// left point at the right text.
func TestScreeningWorkflow(t *testing.T) {
	opts := screenOpts(t)
	eachDB(t, opts, func(t *testing.T, w *world) {
		ctx := t.Context()
		d := w.draft("含个人信息和密级标志的通知")
		d.Body = "<p>联系邮箱zhangsan@example.com，电话13812345678。</p><p>机密★1年</p>"
		it, err := w.svc.Create(ctx, w.officer, w.bureau.ID, d)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Submit(ctx, w.officer, it.ID); err != nil {
			t.Fatalf("Submit: %v", err)
		}
		mobile := openFinding(t, w, it.ID, screening.KindMobile)
		marking := openFinding(t, w, it.ID, screening.KindMarking)
		email := openFinding(t, w, it.ID, screening.KindEmail)
		if mobile.Excerpt != "138****5678" || mobile.Place.Field != "body" {
			t.Errorf("mobile finding = %+v", mobile)
		}

		tests := []struct {
			name    string
			run     func() error
			wantErr error
			field   string
		}{
			{name: "reviewer cannot resolve before section review is done",
				run: func() error { return w.svc.Override(ctx, w.review, it.ID, marking.ID, "已解密") }, wantErr: publish.ErrInvalidTransition},
			{name: "section head passes it on",
				run: func() error { return w.svc.SectionApprove(ctx, w.section, it.ID) }},
			{name: "approval refused while findings are open",
				run: func() error { return w.svc.Approve(ctx, w.review, it.ID) }, field: "screening"},
			{name: "officer cannot override",
				run: func() error { return w.svc.Override(ctx, w.officer, it.ID, marking.ID, "已解密") }, wantErr: apperr.ErrForbidden},
			{name: "officer cannot mask",
				run: func() error { return w.svc.MaskFinding(ctx, w.officer, it.ID, mobile.ID) }, wantErr: apperr.ErrForbidden},
			{name: "another bureau's publisher cannot mask",
				run: func() error { return w.svc.MaskFinding(ctx, w.rivalP, it.ID, mobile.ID) }, wantErr: apperr.ErrForbidden},
			{name: "override needs a reason",
				run: func() error { return w.svc.Override(ctx, w.review, it.ID, marking.ID, " ") }, field: "override_reason"},
			{name: "reviewer masks the e-mail address",
				run: func() error { return w.svc.MaskFinding(ctx, w.review, it.ID, email.ID) }},
			{name: "a masked finding cannot be masked again",
				run: func() error { return w.svc.MaskFinding(ctx, w.review, it.ID, email.ID) }, field: "finding"},
		}
		for _, tt := range tests {
			err := tt.run()
			switch {
			case tt.field != "":
				inv, ok := apperr.AsInvalid(err)
				if !ok || inv.Fields[tt.field] == "" {
					t.Fatalf("%s: error = %v, want invalid %s", tt.name, err, tt.field)
				}
			case !errors.Is(err, tt.wantErr) || (tt.wantErr == nil && err != nil):
				t.Fatalf("%s: error = %v, want %v", tt.name, err, tt.wantErr)
			}
		}

		// The body is a new revision with the address masked, and the
		// findings left were found again in it: their spans hold.
		v, err := w.db.ItemVersion(ctx, it.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(v.Body, "z***@example.com") || strings.Contains(v.Body, "zhangsan") || v.Rev < 2 {
			t.Fatalf("masked body = %q (rev %d)", v.Body, v.Rev)
		}
		text := extract.HTMLText(v.Body)
		marking = openFinding(t, w, it.ID, screening.KindMarking)
		if got := text[marking.Offset:marking.End()]; got != "机密★1年" {
			t.Errorf("marking span after masking = %q", got)
		}
		mobile = openFinding(t, w, it.ID, screening.KindMobile)
		if got := text[mobile.Offset:mobile.End()]; got != "13812345678" {
			t.Errorf("mobile span after masking = %q", got)
		}
		if err := w.svc.MaskFinding(ctx, w.review, it.ID, mobile.ID); err != nil {
			t.Fatalf("mask mobile: %v", err)
		}
		// The marking keeps its ID through the mobile's masking: a page
		// the reviewer opened before still posts to the right finding.
		if err := w.svc.Override(ctx, w.review, it.ID, marking.ID, "原件标志，文件已解密"); err != nil {
			t.Fatalf("override marking: %v", err)
		}
		if err := w.svc.Approve(ctx, w.review, it.ID); err != nil {
			t.Fatalf("Approve after resolving: %v", err)
		}
		if err := w.svc.Publish(ctx, w.publshr, it.ID); err != nil {
			t.Fatalf("Publish: %v", err)
		}
		acts := w.auditActions(t, it.ID)
		n := 0
		for _, a := range acts {
			if a == "screen_mask" || a == "screen_override" {
				n++
			}
		}
		if n != 3 {
			t.Errorf("audit actions %v: want two masks and one override", acts)
		}
	})
}

// TestScreeningMissingFile turns an attachment whose bytes are missing
// from the file store into a blocking manual-review finding instead of an
// error.
func TestScreeningMissingFile(t *testing.T) {
	eachDB(t, screenOpts(t), func(t *testing.T, w *world) {
		it := w.create(t, "附件丢失的信息")
		a := &publish.Attachment{Name: "名单.pdf", ContentType: "application/pdf", Size: 100, SHA256: strings.Repeat("ab", 32)}
		if err := w.svc.AddAttachment(t.Context(), w.officer, it.ID, a); err != nil {
			t.Fatalf("AddAttachment: %v", err)
		}
		f := openFinding(t, w, it.ID, screening.KindManualReview)
		if f.Severity != screening.SeverityBlocking || f.AttachmentID != a.ID || !strings.Contains(f.Message, "附件文件缺失") {
			t.Errorf("finding = %+v", f)
		}
	})
}

// TestScreeningMaskAttachments masks the personal numbers of a .docx
// attachment one finding at a time (each mask stores a new file in the
// original's place and rescans it), and refuses to mask a PDF, which the
// reviewer can only override or send back.
func TestScreeningMaskAttachments(t *testing.T) {
	opts := screenOpts(t)
	opts.Screen.Extractor.CacheDir = filepath.Join(os.TempDir(), "gongkai-test-cache", "gongkai", "pdfium")
	eachDB(t, opts, func(t *testing.T, w *world) {
		ctx := t.Context()
		it := w.create(t, "带附件的通知")
		for _, name := range []string{"notice.docx", "recipients.pdf"} {
			data, err := os.ReadFile("../screening/extract/testdata/" + name)
			if err != nil {
				t.Fatal(err)
			}
			sum, size, err := opts.Screen.Files.Put(bytes.NewReader(data), publish.MaxAttachment)
			if err != nil {
				t.Fatal(err)
			}
			ct := "application/pdf"
			if strings.HasSuffix(name, ".docx") {
				ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
			}
			a := &publish.Attachment{Name: name, ContentType: ct, Size: size, SHA256: sum}
			if err := w.svc.AddAttachment(ctx, w.officer, it.ID, a); err != nil {
				t.Fatalf("AddAttachment(%s): %v", name, err)
			}
		}
		if err := w.svc.Submit(ctx, w.officer, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SectionApprove(ctx, w.section, it.ID); err != nil {
			t.Fatal(err)
		}
		personal := map[screening.Kind]bool{screening.KindIDNumber: true, screening.KindMobile: true, screening.KindBankCard: true}
		masked, pdfTried := 0, false
		for {
			fs, err := w.db.ItemFindings(ctx, it.ID, 1)
			if err != nil {
				t.Fatal(err)
			}
			var next *publish.Finding
			for i := range fs {
				f := &fs[i]
				if f.Status == publish.FindingOpen && personal[f.Kind] && f.Place.File == "notice.docx" && next == nil {
					next = f
				}
				if f.Status == publish.FindingOpen && f.Place.File == "recipients.pdf" && f.Length > 0 && masked == 0 {
					err := w.svc.MaskFinding(ctx, w.review, it.ID, f.ID)
					if inv, ok := apperr.AsInvalid(err); !ok || !strings.Contains(inv.Fields["finding"], "不能自动遮盖") {
						t.Fatalf("MaskFinding on a PDF: %v", err)
					}
					pdfTried = true
				}
			}
			if next == nil {
				break
			}
			if err := w.svc.MaskFinding(ctx, w.review, it.ID, next.ID); err != nil {
				t.Fatalf("MaskFinding(%s %s): %v", next.Location, next.Kind, err)
			}
			if masked++; masked > 50 {
				t.Fatal("masking does not converge")
			}
		}
		if masked == 0 || !pdfTried {
			t.Fatalf("masked %d findings in notice.docx, tried the PDF: %v", masked, pdfTried)
		}
		atts, err := w.db.ItemAttachments(ctx, it.ID, 1)
		if err != nil || len(atts) != 2 || atts[0].Name != "notice.docx" {
			t.Fatalf("attachments after masking = %+v, %v", atts, err)
		}
		x := extract.New(extract.Limits{})
		defer x.Close()
		f, err := opts.Screen.Files.Open(atts[0].SHA256)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(f)
		f.Close()
		again, err := x.Scan(ctx, "notice.docx", data, screening.Options{Now: w.clock.Now})
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range again {
			if personal[g.Kind] {
				t.Errorf("masked notice.docx still has %s", g)
			}
		}
	})
}

// TestScreeningMaskAll masks every personal finding of a workbook, and of
// the body, in one action each.
func TestScreeningMaskAll(t *testing.T) {
	opts := screenOpts(t)
	eachDB(t, opts, func(t *testing.T, w *world) {
		ctx := t.Context()
		d := w.draft("发放名单")
		d.Body = "<p>联系人电话13812345678、13912345678，邮箱zhangsan@example.com。</p>"
		it, err := w.svc.Create(ctx, w.officer, w.bureau.ID, d)
		if err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile("../screening/extract/testdata/subsidy-list.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		sum, size, err := opts.Screen.Files.Put(bytes.NewReader(data), publish.MaxAttachment)
		if err != nil {
			t.Fatal(err)
		}
		a := &publish.Attachment{Name: "名单.xlsx", ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Size: size, SHA256: sum}
		if err := w.svc.AddAttachment(ctx, w.officer, it.ID, a); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Submit(ctx, w.officer, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SectionApprove(ctx, w.section, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.MaskAll(ctx, w.officer, it.ID, a.ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("officer MaskAll: %v, want forbidden", err)
		}
		for _, att := range []int64{a.ID, 0} {
			if err := w.svc.MaskAll(ctx, w.review, it.ID, att); err != nil {
				t.Fatalf("MaskAll(%d): %v", att, err)
			}
		}
		fs, err := w.db.ItemFindings(ctx, it.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		masked := 0
		for _, f := range fs {
			if f.Status == publish.FindingOpen && publish.Personal(f.Kind) {
				t.Errorf("still open after MaskAll: %s", f.Finding)
			}
			if f.Status == publish.FindingMasked {
				masked++
			}
		}
		if masked < 10 {
			t.Errorf("%d findings masked, want the workbook's and the body's", masked)
		}
		if err := w.svc.MaskAll(ctx, w.review, it.ID, 0); err == nil {
			t.Error("MaskAll with nothing left to mask succeeded")
		}
		v, err := w.db.ItemVersion(ctx, it.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(v.Body, "138****5678、139****5678") || strings.Contains(v.Body, "zhangsan") {
			t.Errorf("body after MaskAll = %q", v.Body)
		}
	})
}
