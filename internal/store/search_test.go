package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"gongkai/internal/org"
	"gongkai/internal/search"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// putItem inserts a published item directly, as the publishing service
// would leave it.
func putItem(t *testing.T, db *store.DB, id int64, o *org.Org, col *org.Column, state string, live int, validity string, published time.Time, title, body, docNo string) {
	t.Helper()
	ctx := t.Context()
	pub := timeArg(db, published)
	if err := db.ExecForTest(ctx, insertItemSQL(db), id, o.ID, state, live, fmt.Sprintf("%s/2026-%05d", o.Code, id), col.ID, title, validity, pub, pub, pub); err != nil {
		t.Fatalf("insert item: %v", err)
	}
	if err := db.ExecForTest(ctx, `INSERT INTO item_versions (item_id, number, title, body, column_id, doc_no, genre, disclosure, created_at, updated_at)
		VALUES (?, 1, ?, ?, ?, ?, '通知', 'proactive', ?, ?)`, id, title, body, col.ID, docNo, pub, pub); err != nil {
		t.Fatalf("insert version: %v", err)
	}
}

// putOrgColumn makes the org MZJ (随州市民政局) with a list column 通知公告.
func putOrgColumn(t *testing.T, db *store.DB) (*org.Org, *org.Column) {
	t.Helper()
	ctx := t.Context()
	o := &org.Org{Code: "MZJ", Name: "随州市民政局", Site: org.Site{PathPrefix: "mzj"}}
	col := &org.Column{Kind: org.ColumnList, Slug: "tzgg", Name: "通知公告", Visible: true}
	if err := db.Update(ctx, func(tx *store.Tx) error {
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		col.OrgID = o.ID
		return tx.CreateColumn(ctx, col)
	}); err != nil {
		t.Fatal(err)
	}
	return o, col
}

func insertItemSQL(db *store.DB) string {
	q := `INSERT INTO items (id, org_id, state, current_version, live_version, index_no, column_id, title, validity, last_published_at, created_at, updated_at)`
	if db.Dialect() == store.Postgres {
		q += ` OVERRIDING SYSTEM VALUE`
	}
	return q + ` VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?)`
}

func TestSearchFindsPublishedItemsOnly(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		o := &org.Org{Code: "MZJ", Name: "随州市民政局", Site: org.Site{PathPrefix: "mzj"}}
		other := &org.Org{Code: "JYJ", Name: "随州市教育局", Site: org.Site{PathPrefix: "jyj"}}
		col := &org.Column{Kind: org.ColumnList, Slug: "tzgg", Name: "通知公告", Visible: true}
		col2 := &org.Column{Kind: org.ColumnList, Slug: "tzgg", Name: "通知公告", Visible: true}
		err := db.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
			if err := tx.CreateOrg(ctx, other); err != nil {
				return err
			}
			col.OrgID, col2.OrgID = o.ID, other.ID
			if err := tx.CreateColumn(ctx, col); err != nil {
				return err
			}
			return tx.CreateColumn(ctx, col2)
		})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
		putItem(t, db, 1, o, col, "published", 1, "valid", now, "关于发放城乡低保资金的通知", "<p>根据随民发〔2026〕12号文件，本月发放<b>低保</b>资金。</p>", "随民发〔2026〕12号")
		putItem(t, db, 2, o, col, "published", 1, "repealed", now.AddDate(-3, 0, 0), "低保工作旧规定", "<p>旧的低保规定。</p>", "")
		putItem(t, db, 3, o, col, "withdrawn", 1, "valid", now, "已撤回的低保通知", "<p>低保</p>", "")
		putItem(t, db, 4, o, col, "draft", 0, "valid", now, "草稿：低保", "<p>低保</p>", "")
		putItem(t, db, 5, other, col2, "published", 1, "valid", now, "学生资助政策", "<p>城乡低保家庭学生可申请资助。</p>", "")
		n, err := db.SyncSearch(ctx)
		if err != nil || n != 5 {
			t.Fatalf("SyncSearch() = %d, %v; want 5 items looked at", n, err)
		}
		ids := func(q string, f search.Filter) []int64 {
			t.Helper()
			hits, total, err := db.Search(ctx, search.ParseQuery(q), f, now)
			if err != nil {
				t.Fatalf("Search(%q): %v", q, err)
			}
			if total < len(hits) {
				t.Errorf("total %d < hits %d", total, len(hits))
			}
			var out []int64
			for _, h := range hits {
				out = append(out, h.ItemID)
			}
			return out
		}
		tests := []struct {
			name  string
			query string
			f     search.Filter
			want  []int64
		}{
			{"title match first, repealed and old last, drafts and withdrawn never", "低保", search.Filter{}, []int64{1, 5, 2}},
			{"one site only", "低保", search.Filter{OrgIDs: []int64{o.ID}}, []int64{1, 2}},
			{"one character", "保", search.Filter{OrgIDs: []int64{other.ID}}, []int64{5}},
			{"document number found whole", "随民发[2026]12号", search.Filter{}, []int64{1}},
			{"index number found whole", "MZJ/2026-00002", search.Filter{}, []int64{2}},
			{"year filter", "低保", search.Filter{Year: 2023}, []int64{2}},
			{"all words must match", "低保 资助", search.Filter{}, []int64{5}},
			{"no match", "教育局长", search.Filter{}, nil},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got := ids(tt.query, tt.f)
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("Search(%q) = %v, want %v", tt.query, got, tt.want)
				}
			})
		}
		// Withdrawing removes the item at the next sync.
		if err := db.ExecForTest(ctx, `UPDATE items SET state = 'withdrawn', updated_at = ? WHERE id = 1`, timeArg(db, now.Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		if _, err := db.SyncSearch(ctx); err != nil {
			t.Fatal(err)
		}
		if got := ids("低保通知", search.Filter{}); len(got) != 0 {
			t.Errorf("withdrawn item still found: %v", got)
		}
	})
}

func timeArg(db *store.DB, t time.Time) any {
	if db.Dialect() == store.Postgres {
		return t.UTC()
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000Z")
}

// TestSearchIndexesAttachmentText checks that attachments are indexed by
// name and text, that a file's text is asked for once per content however
// many items hold it, and that a failed extraction stores nothing and is
// retried.
func TestSearchIndexesAttachmentText(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		o, col := putOrgColumn(t, db)
		now := time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)
		sha := strings.Repeat("ab", 32)
		for id := int64(1); id <= 2; id++ {
			putItem(t, db, id, o, col, "published", 1, "valid", now, fmt.Sprintf("通知%d", id), "<p>详见附件。</p>", "")
			if err := db.ExecForTest(ctx, `INSERT INTO attachments (item_id, version, name, content_type, size, sha256, created_at) VALUES (?, 1, ?, 'application/pdf', 10, ?, ?)`,
				id, "救助名单.pdf", sha, timeArg(db, now)); err != nil {
				t.Fatal(err)
			}
		}
		asked := 0
		fail := true
		db.SetTextSource(func(ctx context.Context, s, name string) (string, error) {
			asked++
			if s != sha || name != "救助名单.pdf" {
				t.Errorf("asked for %s %s", s, name)
			}
			if fail {
				return "", context.DeadlineExceeded
			}
			return "特困供养人员名单\n共计十二户", nil
		})
		if err := db.IndexItem(ctx, 1); err == nil {
			t.Fatal("IndexItem succeeded although the text could not be extracted")
		}
		fail = false
		for id := int64(1); id <= 2; id++ {
			if err := db.IndexItem(ctx, id); err != nil {
				t.Fatal(err)
			}
		}
		if asked != 2 {
			t.Errorf("text asked for %d times, want 2 (one failure, then once for both items)", asked)
		}
		for _, q := range []string{"特困供养", "十二户", "救助名单"} {
			hits, _, err := db.Search(ctx, search.ParseQuery(q), search.Filter{}, now)
			if err != nil || len(hits) != 2 {
				t.Errorf("Search(%q) = %d hits, %v; want both items", q, len(hits), err)
			}
		}
	})
}
