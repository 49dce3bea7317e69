package store_test

import (
	"reflect"
	"testing"
	"time"

	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// TestItemPagesReadWhatOneByOneReads: the batch read gives each public
// item what the single reads give (the live version, every version, the
// live version's attachments only, its log entries), gives only the item
// for one that is withdrawn or was never published, and leaves out an id
// with no item.
func TestItemPagesReadWhatOneByOneReads(t *testing.T) {
	storetest.Run(t, func(t *testing.T, db *store.DB) {
		ctx := t.Context()
		o, col := putOrgColumn(t, db)
		at := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
		putItem(t, db, 1, o, col, "published", 1, "valid", at, "通知一", "<p>一</p>", "")
		putItem(t, db, 2, o, col, "published", 1, "valid", at, "通知二", "<p>二</p>", "")
		putItem(t, db, 3, o, col, "withdrawn", 1, "valid", at, "通知三", "<p>三</p>", "")
		putItem(t, db, 4, o, col, "draft", 0, "valid", at, "通知四", "<p>四</p>", "")
		exec := func(q string, args ...any) {
			t.Helper()
			if err := db.ExecForTest(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
		}
		// Item 1 has a second, live version with its own attachments.
		exec(`INSERT INTO item_versions (item_id, number, title, body, column_id, change_note, disclosure, created_at, updated_at)
			VALUES (1, 2, '通知一（修订）', '<p>一改</p>', ?, '更正日期', 'proactive', ?, ?)`, col.ID, timeArg(db, at), timeArg(db, at))
		exec(`UPDATE items SET live_version = 2, current_version = 2 WHERE id = 1`)
		for i, v := range []int{1, 2, 2} {
			exec(`INSERT INTO attachments (item_id, version, name, content_type, size, sha256, sort, created_at, caption, is_map)
				VALUES (1, ?, ?, 'application/pdf', 10, ?, ?, ?, '', false)`, v, []string{"旧.pdf", "乙.pdf", "甲.pdf"}[i],
				[]string{"aa", "bb", "cc"}[i], 30-10*i, timeArg(db, at))
		}
		for i, v := range []int{1, 2} {
			exec(`INSERT INTO translog_leaves (idx, org_id, item_id, version, action, text, created_at) VALUES (?, ?, 1, ?, 'publish', ?, ?)`,
				i, o.ID, v, []string{"leaf 0", "leaf 1"}[i], timeArg(db, at))
		}

		got, err := db.ItemPages(ctx, []int64{4, 1, 99, 3, 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 || got[99] != nil {
			t.Fatalf("ItemPages gave %d items (99 present: %v), want 4", len(got), got[99] != nil)
		}
		for _, id := range []int64{1, 2, 3, 4} {
			p := got[id]
			it, err := db.Item(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(p.Item, *it) {
				t.Errorf("item %d = %+v, want %+v", id, p.Item, *it)
			}
			if id >= 3 {
				if p.Live != nil || p.Versions != nil || p.Atts != nil || p.Leaves != nil {
					t.Errorf("item %d (not public) came with its content: %+v", id, p)
				}
				continue
			}
			live, err := db.ItemVersion(ctx, id, it.Live)
			if err != nil {
				t.Fatal(err)
			}
			vs, _ := db.ItemVersions(ctx, id)
			atts, _ := db.ItemAttachments(ctx, id, it.Live)
			leaves, _ := db.ItemLeaves(ctx, id)
			if p.Live == nil || !reflect.DeepEqual(*p.Live, *live) {
				t.Errorf("item %d live version = %+v, want %+v", id, p.Live, live)
			}
			if !reflect.DeepEqual(p.Versions, vs) || !reflect.DeepEqual(p.Atts, atts) || !reflect.DeepEqual(p.Leaves, leaves) {
				t.Errorf("item %d:\nversions %+v\natts %+v\nleaves %+v\nwant\n%+v\n%+v\n%+v", id, p.Versions, p.Atts, p.Leaves, vs, atts, leaves)
			}
		}
		if n := len(got[1].Atts); n != 2 || got[1].Atts[0].Name != "甲.pdf" {
			t.Errorf("item 1 attachments = %+v, want 甲.pdf then 乙.pdf", got[1].Atts)
		}
		if len(got[1].Versions) != 2 || len(got[1].Leaves) != 2 {
			t.Errorf("item 1: %d versions, %d leaves; want 2 and 2", len(got[1].Versions), len(got[1].Leaves))
		}
		if _, err := db.ItemPages(ctx, make([]int64, 501)); err == nil {
			t.Error("ItemPages took 501 ids")
		}
	})
}
