package store_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/screening"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestScreeningStorage stores findings with their place, replaces open
// ones while keeping masked and overridden ones, moves them to a
// replacement attachment, and keeps a site group's word list.
func TestScreeningStorage(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		o := &org.Org{Code: "42130021", Name: "随州市民政局", Site: org.Site{PathPrefix: "mzj"}}
		c := &org.Column{Kind: org.ColumnList, Slug: "tzgg", Name: "通知公告", Visible: true}
		it := &publish.Item{State: publish.StateDraft, Current: 1, Validity: publish.ValidityValid, Title: "测试"}
		att := &publish.Attachment{Version: 1, Name: "名单.xlsx", ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			Size: 10, SHA256: "aa", Caption: "说明", IsMap: true}
		cell := publish.Finding{Version: 1, Status: publish.FindingOpen, Finding: screening.Finding{
			Kind: screening.KindIDNumber, Severity: screening.SeverityBlocking, Confidence: screening.ConfidenceHigh,
			Location: "名单.xlsx 发放名单!C3", Offset: 0, Length: 18, Excerpt: "3299**********9413", Message: "身份证号",
			Place: screening.Place{File: "名单.xlsx", Sheet: "发放名单", Cell: "C3"}}}
		body := publish.Finding{Version: 1, Status: publish.FindingOpen, Finding: screening.Finding{
			Kind: screening.KindMobile, Severity: screening.SeverityBlocking, Confidence: screening.ConfidenceHigh,
			Location: "body", Offset: 12, Length: 11, Excerpt: "138****5678", Place: screening.Place{Field: "body"}}}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
			c.OrgID, it.OrgID = o.ID, o.ID
			if err := tx.CreateColumn(ctx, c); err != nil {
				return err
			}
			it.ColumnID = c.ID
			if err := tx.CreateItem(ctx, it); err != nil {
				return err
			}
			att.ItemID = it.ID
			if err := tx.AddAttachment(ctx, att); err != nil {
				return err
			}
			cell.ItemID, cell.AttachmentID, body.ItemID = it.ID, att.ID, it.ID
			if err := tx.AddFinding(ctx, &cell); err != nil {
				return err
			}
			return tx.AddFinding(ctx, &body)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.ItemFindings(ctx, it.ID, 1)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]publish.Finding{cell, body}, got); diff != "" {
			t.Fatalf("stored findings (-want +got):\n%s", diff)
		}
		atts, err := db.ItemAttachments(ctx, it.ID, 1)
		if err != nil || len(atts) != 1 || atts[0].Caption != "说明" || !atts[0].IsMap {
			t.Fatalf("attachment caption and map flag = %+v, %v", atts, err)
		}

		// Override the body finding, mask the cell, replace the file.
		repl := &publish.Attachment{Name: "名单.xlsx", ContentType: att.ContentType, Size: 11, SHA256: "bb"}
		err = db.Update(ctx, func(tx *store.Tx) error {
			body.Status, body.OverrideReason, body.OverrideBy, body.OverrideByName = publish.FindingOverridden, "单位电话", 7, "保密员"
			if err := tx.SaveFinding(ctx, &body); err != nil {
				return err
			}
			cell.Status = publish.FindingMasked
			if err := tx.SaveFinding(ctx, &cell); err != nil {
				return err
			}
			if err := tx.ReplaceAttachment(ctx, att.ID, repl); err != nil {
				return err
			}
			if err := tx.MoveFindings(ctx, att.ID, repl.ID); err != nil {
				return err
			}
			return tx.DeleteOpenFindings(ctx, it.ID, 1, repl.ID)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err = db.ItemFindings(ctx, it.ID, 1)
		if err != nil || len(got) != 2 {
			t.Fatalf("findings after resolving = %v, %v", got, err)
		}
		if got[0].Status != publish.FindingMasked || got[0].AttachmentID != repl.ID {
			t.Errorf("masked cell finding = %+v, want masked under attachment %d", got[0], repl.ID)
		}
		if got[1].Status != publish.FindingOverridden || got[1].OverrideReason != "单位电话" {
			t.Errorf("overridden finding = %+v", got[1])
		}
		atts, err = db.ItemAttachments(ctx, it.ID, 1)
		if err != nil || len(atts) != 1 || atts[0].SHA256 != "bb" || atts[0].Sort != att.Sort {
			t.Fatalf("attachments after replace = %+v, %v", atts, err)
		}

		// Word lists per site group; duplicates keep the blocking entry.
		words := []screening.Word{{Text: "测试词", Severity: screening.SeverityWarning}, {Text: "测试词", Severity: screening.SeverityBlocking}, {Text: "另一词"}}
		if err := db.Update(ctx, func(tx *store.Tx) error { return tx.SetScreeningWords(ctx, o.ID, words) }); err != nil {
			t.Fatal(err)
		}
		gotWords, err := db.ScreeningWords(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []screening.Word{{Text: "另一词", Severity: screening.SeverityWarning}, {Text: "测试词", Severity: screening.SeverityBlocking}}
		if diff := cmp.Diff(want, gotWords); diff != "" {
			t.Errorf("word list (-want +got):\n%s", diff)
		}
	})
}
