package publish_test

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gongkai/internal/account"
	"gongkai/internal/apperr"
	"gongkai/internal/audit"
	"gongkai/internal/job"
	"gongkai/internal/org"
	"gongkai/internal/publish"
	"gongkai/internal/screening"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
	"gongkai/internal/translog"
)

// world is a database with two bureaus, their columns and one staff user
// per role in the first bureau.
type world struct {
	db      *store.DB
	clock   *storetest.Clock
	svc     *publish.Service
	bureau  *org.Org
	other   *org.Org
	col     *org.Column
	topic   *org.Column
	page    *org.Column
	otherC  *org.Column
	officer account.Actor
	officr2 account.Actor
	section account.Actor
	review  account.Actor
	publshr account.Actor
	rivalP  account.Actor // publisher of the other bureau
}

// eachDB runs fn on SQLite and, when configured, PostgreSQL, with a clock
// the test controls.
func eachDB(t *testing.T, opts publish.Options, fn func(t *testing.T, w *world)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		ck := &storetest.Clock{}
		fn(t, newWorld(t, store.Options{DataDir: filepath.Join(t.TempDir(), "data"), Now: ck.Now}, ck, opts))
	})
	t.Run("postgres", func(t *testing.T) {
		u := storetest.PostgresURL(t)
		t.Parallel()
		ck := &storetest.Clock{}
		fn(t, newWorld(t, store.Options{URL: storetest.CreateSchema(t, u), Now: ck.Now}, ck, opts))
	})
}

func newWorld(t *testing.T, so store.Options, ck *storetest.Clock, opts publish.Options) *world {
	t.Helper()
	ctx := t.Context()
	db, err := store.Open(ctx, so)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	w := &world{db: db, clock: ck, svc: publish.NewService(db, opts)}
	err = db.Update(ctx, func(tx *store.Tx) error {
		city := &org.Org{Code: "42130000", Name: "随州市人民政府", Site: org.Site{PathPrefix: "szf"}}
		if err := tx.CreateOrg(ctx, city); err != nil {
			return err
		}
		w.bureau = &org.Org{ParentID: city.ID, Code: "42130021", Name: "随州市民政局", Site: org.Site{PathPrefix: "mzj"}}
		w.other = &org.Org{ParentID: city.ID, Code: "42130022", Name: "随州市教育局", Site: org.Site{PathPrefix: "jyj"}}
		for _, o := range []*org.Org{w.bureau, w.other} {
			if err := tx.CreateOrg(ctx, o); err != nil {
				return err
			}
		}
		w.col = &org.Column{OrgID: w.bureau.ID, Kind: org.ColumnList, Slug: "tzgg", Name: "通知公告", Visible: true}
		w.topic = &org.Column{OrgID: w.bureau.ID, Kind: org.ColumnTopic, Slug: "jzfp", Name: "精准扶贫", Visible: true}
		w.page = &org.Column{OrgID: w.bureau.ID, Kind: org.ColumnPage, Slug: "ldbz", Name: "领导班子", Visible: true}
		w.otherC = &org.Column{OrgID: w.other.ID, Kind: org.ColumnList, Slug: "tzgg", Name: "通知公告", Visible: true}
		for _, c := range []*org.Column{w.col, w.topic, w.page, w.otherC} {
			if err := tx.CreateColumn(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("create orgs: %v", err)
	}
	mk := func(id int64, name string, o *org.Org, r account.Role) account.Actor {
		return account.Actor{UserID: id, Name: name, Grants: []account.Grant{{OrgID: o.ID, Role: r}}}
	}
	w.officer = mk(1, "xinxiyuan", w.bureau, account.RoleOfficer)
	w.officr2 = mk(2, "xinxiyuan2", w.bureau, account.RoleOfficer)
	w.section = mk(3, "kezhang", w.bureau, account.RoleSection)
	w.review = mk(4, "baomi", w.bureau, account.RoleReviewer)
	w.publshr = mk(5, "bangongshi", w.bureau, account.RolePublisher)
	w.rivalP = mk(6, "jyj.bangongshi", w.other, account.RolePublisher)
	return w
}

func (w *world) draft(title string) publish.Draft {
	d := validDraft()
	d.Title, d.ColumnID, d.Columns = title, w.col.ID, []int64{w.topic.ID}
	return d
}

func (w *world) create(t *testing.T, title string) *publish.Item {
	t.Helper()
	it, err := w.svc.Create(t.Context(), w.officer, w.bureau.ID, w.draft(title))
	if err != nil {
		t.Fatalf("Create(%s): %v", title, err)
	}
	return it
}

// approve takes a draft through both reviews.
func (w *world) approve(t *testing.T, id int64) {
	t.Helper()
	ctx := t.Context()
	for _, step := range []struct {
		name string
		fn   func() error
	}{
		{"submit", func() error { return w.svc.Submit(ctx, w.officer, id) }},
		{"section approve", func() error { return w.svc.SectionApprove(ctx, w.section, id) }},
		{"approve", func() error { return w.svc.Approve(ctx, w.review, id) }},
	} {
		if err := step.fn(); err != nil {
			t.Fatalf("%s item %d: %v", step.name, id, err)
		}
	}
}

func (w *world) item(t *testing.T, id int64) *publish.Item {
	t.Helper()
	it, err := w.db.Item(t.Context(), id)
	if err != nil {
		t.Fatalf("Item(%d): %v", id, err)
	}
	return it
}

func (w *world) auditActions(t *testing.T, id int64) []audit.Action {
	t.Helper()
	recs, err := w.db.AuditRecords(t.Context(), audit.Filter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	var out []audit.Action
	for i := len(recs) - 1; i >= 0; i-- {
		if recs[i].ObjectType == "item" && recs[i].ObjectID == id {
			out = append(out, recs[i].Action)
		}
	}
	return out
}

func TestLifecycle(t *testing.T) {
	eachDB(t, publish.Options{}, func(t *testing.T, w *world) {
		ctx := t.Context()
		it := w.create(t, "关于开展社会救助政策宣传月活动的通知")

		// The author cannot pass its own confidentiality review even
		// holding the reviewer role.
		authorReviewer := w.officer
		authorReviewer.Grants = append(authorReviewer.Grants, account.Grant{OrgID: w.bureau.ID, Role: account.RoleReviewer})
		if err := w.svc.Submit(ctx, w.officer, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SectionApprove(ctx, w.section, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Approve(ctx, authorReviewer, it.ID); !errors.Is(err, publish.ErrOwnReview) {
			t.Fatalf("Approve by the author = %v, want ErrOwnReview", err)
		}
		if err := w.svc.Approve(ctx, w.review, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Publish(ctx, w.rivalP, it.ID); !errors.Is(err, apperr.ErrForbidden) {
			t.Fatalf("Publish by another bureau = %v, want forbidden", err)
		}
		if err := w.svc.Publish(ctx, w.publshr, it.ID); err != nil {
			t.Fatal(err)
		}
		got := w.item(t, it.ID)
		if got.State != publish.StatePublished || got.Live != 1 || got.IndexNo != "42130021/2026-00001" {
			t.Fatalf("after publish: state %s live %d index %q", got.State, got.Live, got.IndexNo)
		}
		if size, _ := w.db.LogSize(ctx); size != 1 {
			t.Fatalf("log size after publish = %d, want 1", size)
		}

		// An update goes through review while version 1 stays online.
		if err := w.svc.StartUpdate(ctx, w.officr2, it.ID); err != nil {
			t.Fatal(err)
		}
		got = w.item(t, it.ID)
		if got.State != publish.StateDraft || got.Live != 1 || got.Current != 2 {
			t.Fatalf("after StartUpdate: state %s live %d current %d", got.State, got.Live, got.Current)
		}
		v2, _ := w.db.ItemVersion(ctx, it.ID, 2)
		d := publish.DraftOf(v2)
		d.Body = "<p>更正后的正文</p>"
		if err := w.svc.Save(ctx, w.officr2, it.ID, v2.Rev, d); err == nil || !strings.Contains(err.Error(), "change_note") {
			t.Fatalf("Save of an update without change note = %v, want change_note invalid", err)
		}
		d.ChangeNote = "更正活动时间"
		if err := w.svc.Save(ctx, w.officr2, it.ID, v2.Rev, d); err != nil {
			t.Fatal(err)
		}
		// A second editor working from the old form loses, loudly.
		d.Title = "别人的标题"
		if err := w.svc.Save(ctx, w.officer, it.ID, v2.Rev, d); !errors.Is(err, publish.ErrStale) || !errors.Is(err, apperr.ErrConflict) {
			t.Fatalf("stale Save = %v, want ErrStale", err)
		}
		listed, _, err := w.db.Items(ctx, publish.Filter{Public: true, ColumnID: w.topic.ID})
		if err != nil || len(listed) != 1 || listed[0].Version.Number != 1 {
			t.Fatalf("public listing during update = %+v, %v; want version 1 in the topic column", listed, err)
		}
		// The officer who edited version 2 cannot review it either.
		editorReviewer := w.officr2
		editorReviewer.Grants = append(editorReviewer.Grants, account.Grant{OrgID: w.bureau.ID, Role: account.RoleReviewer})
		if err := w.svc.Submit(ctx, w.officr2, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SectionApprove(ctx, w.section, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Approve(ctx, editorReviewer, it.ID); !errors.Is(err, publish.ErrOwnReview) {
			t.Fatalf("Approve by an editor = %v, want ErrOwnReview", err)
		}
		if err := w.svc.Approve(ctx, w.review, it.ID); err != nil {
			t.Fatal(err)
		}
		w.clock.Add(24 * time.Hour)
		if err := w.svc.Publish(ctx, w.publshr, it.ID); err != nil {
			t.Fatal(err)
		}
		got = w.item(t, it.ID)
		if got.Live != 2 || got.IndexNo != "42130021/2026-00001" {
			t.Fatalf("after update: live %d index %q, want 2 and the same index", got.Live, got.IndexNo)
		}

		// Repeal and withdraw.
		if err := w.svc.SetValidity(ctx, w.publshr, it.ID, publish.ActRepeal, "2026-03-10"); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Withdraw(ctx, w.publshr, it.ID, ""); err == nil {
			t.Fatal("Withdraw without reason succeeded")
		}
		if err := w.svc.Withdraw(ctx, w.publshr, it.ID, "内容已合并到新通知"); err != nil {
			t.Fatal(err)
		}
		got = w.item(t, it.ID)
		if got.State != publish.StateWithdrawn || got.Validity != publish.ValidityRepealed || got.Reason != "内容已合并到新通知" {
			t.Fatalf("after withdraw: %+v", got)
		}
		listed, _, _ = w.db.Items(ctx, publish.Filter{Public: true})
		if len(listed) != 0 {
			t.Errorf("withdrawn item still listed publicly")
		}
		leaves, err := w.db.ItemLeaves(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, l := range leaves {
			acts = append(acts, l.Action)
		}
		if strings.Join(acts, ",") != "publish,update,validity,withdraw" {
			t.Errorf("log leaves = %v, want publish,update,validity,withdraw", acts)
		}
		wantAudit := []audit.Action{audit.ActItemCreate, audit.ActItemSubmit, audit.ActItemSectionApprove, audit.ActItemApprove, audit.ActItemPublish,
			audit.ActItemUpdate, audit.ActItemSave, audit.ActItemSubmit, audit.ActItemSectionApprove, audit.ActItemApprove, audit.ActItemPublishUpdate,
			audit.ActItemRepeal, audit.ActItemWithdraw}
		if got := w.auditActions(t, it.ID); !equalActions(got, wantAudit) {
			t.Errorf("audit trail = %v, want %v", got, wantAudit)
		}
		if _, err := w.db.VerifyAudit(ctx); err != nil {
			t.Errorf("VerifyAudit: %v", err)
		}
		// The stored log verifies against its own content.
		size, root, err := w.db.LogHead(ctx)
		if err != nil || size != 4 {
			t.Fatalf("LogHead = %d, %v", size, err)
		}
		p, err := w.db.LogProveRecord(ctx, size, leaves[1].Index)
		if err != nil {
			t.Fatal(err)
		}
		if err := translog.CheckRecord(p, translog.Checkpoint{Origin: "x", Size: size, Root: root}, leaves[1].Index, []byte(leaves[1].Text)); err != nil {
			t.Errorf("inclusion of leaf 1: %v", err)
		}
	})
}

func equalActions(a, b []audit.Action) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRejectReturnsToAuthorWithReason(t *testing.T) {
	eachDB(t, publish.Options{}, func(t *testing.T, w *world) {
		ctx := t.Context()
		it := w.create(t, "待退回的信息")
		if err := w.svc.Submit(ctx, w.officer, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.SectionApprove(ctx, w.section, it.ID); err != nil {
			t.Fatal(err)
		}
		err := w.svc.Reject(ctx, w.review, it.ID, " ")
		if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["reason"] == "" {
			t.Fatalf("Reject without reason = %v, want reason invalid", err)
		}
		if err := w.svc.Reject(ctx, w.review, it.ID, "附件含有个人身份证号，请删除"); err != nil {
			t.Fatal(err)
		}
		got := w.item(t, it.ID)
		if got.State != publish.StateDraft || got.Current != 2 || got.Reason != "附件含有个人身份证号，请删除" {
			t.Fatalf("after reject: state %s current %d reason %q", got.State, got.Current, got.Reason)
		}
		v1, _ := w.db.ItemVersion(ctx, it.ID, 1)
		v2, _ := w.db.ItemVersion(ctx, it.ID, 2)
		if v1.SubmittedAt.IsZero() || v1.SectionBy != "kezhang" {
			t.Errorf("rejected version lost its review record: %+v", v1)
		}
		if v2.AuthorID != w.officer.UserID || !v2.SubmittedAt.IsZero() || v2.Title != v1.Title {
			t.Errorf("new version is not a fresh copy for the author: %+v", v2)
		}
	})
}

func TestIndexNumbersPerOrgAndYearNeverReused(t *testing.T) {
	eachDB(t, publish.Options{}, func(t *testing.T, w *world) {
		ctx := t.Context()
		var got []string
		for i, title := range []string{"一", "二", "三"} {
			if i == 2 {
				w.clock.T = time.Date(2027, 1, 4, 2, 0, 0, 0, time.UTC)
			}
			it := w.create(t, title)
			w.approve(t, it.ID)
			if err := w.svc.Publish(ctx, w.publshr, it.ID); err != nil {
				t.Fatal(err)
			}
			got = append(got, w.item(t, it.ID).IndexNo)
			if i == 0 {
				// Withdrawing does not free the number.
				if err := w.svc.Withdraw(ctx, w.publshr, it.ID, "测试"); err != nil {
					t.Fatal(err)
				}
			}
		}
		want := []string{"42130021/2026-00001", "42130021/2026-00002", "42130021/2027-00001"}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("index numbers = %v, want %v", got, want)
		}
	})
}

func TestCreateChecksOrgAndColumns(t *testing.T) {
	eachDB(t, publish.Options{}, func(t *testing.T, w *world) {
		ctx := t.Context()
		if _, err := w.svc.Create(ctx, w.rivalP, w.bureau.ID, w.draft("越权")); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("Create in another bureau = %v, want forbidden", err)
		}
		if _, err := w.svc.Create(ctx, w.review, w.bureau.ID, w.draft("审查员")); !errors.Is(err, apperr.ErrForbidden) {
			t.Errorf("Create by a reviewer = %v, want forbidden", err)
		}
		d := w.draft("别人的栏目")
		d.ColumnID = w.otherC.ID
		if _, err := w.svc.Create(ctx, w.officer, w.bureau.ID, d); err == nil {
			t.Errorf("Create in another org's column succeeded")
		}
		d = w.draft("单页栏目")
		d.ColumnID = w.page.ID
		if _, err := w.svc.Create(ctx, w.officer, w.bureau.ID, d); err == nil {
			t.Errorf("Create in a single-page column succeeded")
		}
	})
}

func TestScheduledPublishingSurvivesRestart(t *testing.T) {
	eachDB(t, publish.Options{}, func(t *testing.T, w *world) {
		ctx := t.Context()
		it := w.create(t, "定时发布的信息")
		w.approve(t, it.ID)
		at := w.clock.Now().Add(2 * time.Hour)
		if err := w.svc.Schedule(ctx, w.publshr, it.ID, w.clock.Now().Add(-time.Minute)); err == nil {
			t.Fatal("Schedule in the past succeeded")
		}
		if err := w.svc.Schedule(ctx, w.publshr, it.ID, at); err != nil {
			t.Fatal(err)
		}
		// A new runner (as after a restart) picks the job up from the
		// database when it is due, not before.
		runner := func() *job.Runner {
			r := job.NewRunner(w.db, slog.New(slog.DiscardHandler), w.clock.Now)
			r.Handle(publish.JobScheduled, w.svc.RunScheduled)
			return r
		}
		if n, err := runner().RunDue(ctx); err != nil || n != 0 {
			t.Fatalf("RunDue before time = %d, %v", n, err)
		}
		if got := w.item(t, it.ID); got.State != publish.StateApproved || !got.ScheduledAt.Equal(at.Truncate(time.Second)) {
			t.Fatalf("before time: state %s scheduled %v", got.State, got.ScheduledAt)
		}
		w.clock.Add(2*time.Hour + time.Second)
		if n, err := runner().RunDue(ctx); err != nil || n != 1 {
			t.Fatalf("RunDue at time = %d, %v", n, err)
		}
		got := w.item(t, it.ID)
		if got.State != publish.StatePublished || !got.ScheduledAt.IsZero() || got.LastPublishedAt.Before(at) {
			t.Fatalf("after the job: state %s scheduled %v published %v", got.State, got.ScheduledAt, got.LastPublishedAt)
		}
	})
}

func TestScheduleCancelledByRejection(t *testing.T) {
	eachDB(t, publish.Options{}, func(t *testing.T, w *world) {
		ctx := t.Context()
		it := w.create(t, "排期后退回")
		w.approve(t, it.ID)
		if err := w.svc.Schedule(ctx, w.publshr, it.ID, w.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.Reject(ctx, w.publshr, it.ID, "发布前发现错别字"); err != nil {
			t.Fatal(err)
		}
		w.clock.Add(2 * time.Hour)
		r := job.NewRunner(w.db, slog.New(slog.DiscardHandler), w.clock.Now)
		r.Handle(publish.JobScheduled, w.svc.RunScheduled)
		if _, err := r.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		if got := w.item(t, it.ID); got.State != publish.StateDraft || got.Live != 0 {
			t.Fatalf("rejected item published by its old schedule: %+v", got)
		}
	})
}

// blockAll is a Screener that finds a marking in everything. The SQLite
// and PostgreSQL runs share it side by side, so it counts atomically.
type blockAll struct{ calls atomic.Int64 }

func (b *blockAll) Screen(ctx context.Context, in publish.ScreenInput) ([]screening.Finding, error) {
	b.calls.Add(1)
	if !strings.Contains(in.Text, "机密") {
		return nil, nil
	}
	return []screening.Finding{{Kind: screening.KindMarking, Severity: screening.SeverityBlocking, Excerpt: "机密"}}, nil
}

func TestScreenerBlocksPublicationAtomically(t *testing.T) {
	sc := &blockAll{}
	eachDB(t, publish.Options{Screener: sc}, func(t *testing.T, w *world) {
		ctx := t.Context()
		d := w.draft("含密级标志的信息")
		d.Body = "<p>本文件为机密文件</p>"
		it, err := w.svc.Create(ctx, w.officer, w.bureau.ID, d)
		if err != nil {
			t.Fatal(err)
		}
		w.approve(t, it.ID)
		err = w.svc.Publish(ctx, w.publshr, it.ID)
		var blocked *publish.BlockedError
		if !errors.As(err, &blocked) || len(blocked.Findings) != 1 {
			t.Fatalf("Publish = %v, want BlockedError", err)
		}
		if _, ok := apperr.AsInvalid(err); !ok {
			t.Errorf("BlockedError is not an *apperr.Invalid for the web layer")
		}
		got := w.item(t, it.ID)
		size, _ := w.db.LogSize(ctx)
		if got.State != publish.StateApproved || got.IndexNo != "" || size != 0 {
			t.Fatalf("blocked publish left state %s index %q log size %d", got.State, got.IndexNo, size)
		}
		ok := w.create(t, "普通信息")
		w.approve(t, ok.ID)
		if err := w.svc.Publish(ctx, w.publshr, ok.ID); err != nil {
			t.Fatalf("Publish of clean item: %v", err)
		}
	})
}

func TestAttachments(t *testing.T) {
	eachDB(t, publish.Options{}, func(t *testing.T, w *world) {
		ctx := t.Context()
		it := w.create(t, "带附件的信息")
		sha := strings.Repeat("ab", 32)
		bad := []publish.Attachment{
			{Name: "x.exe", ContentType: "application/x-msdownload", Size: 10, SHA256: sha},
			{Name: "", ContentType: "application/pdf", Size: 10, SHA256: sha},
			{Name: "big.pdf", ContentType: "application/pdf", Size: publish.MaxAttachment + 1, SHA256: sha},
		}
		for _, a := range bad {
			if err := w.svc.AddAttachment(ctx, w.officer, it.ID, &a); err == nil {
				t.Errorf("AddAttachment(%q, %s) succeeded", a.Name, a.ContentType)
			}
		}
		a := &publish.Attachment{Name: "名单.pdf", ContentType: "application/pdf", Size: 1234, SHA256: sha}
		if err := w.svc.AddAttachment(ctx, w.officr2, it.ID, a); err != nil {
			t.Fatal(err)
		}
		// The uploader became an editor: the version records it.
		v, _ := w.db.ItemVersion(ctx, it.ID, 1)
		if !v.EditedBy(w.officr2.UserID) {
			t.Errorf("uploader not recorded as editor: %v", v.Editors)
		}
		w.approve(t, it.ID)
		if err := w.svc.Publish(ctx, w.publshr, it.ID); err != nil {
			t.Fatal(err)
		}
		if err := w.svc.StartUpdate(ctx, w.officer, it.ID); err != nil {
			t.Fatal(err)
		}
		atts, _ := w.db.ItemAttachments(ctx, it.ID, 2)
		if len(atts) != 1 || atts[0].SHA256 != sha {
			t.Fatalf("update version attachments = %+v, want the copied one", atts)
		}
		if err := w.svc.RemoveAttachment(ctx, w.officer, it.ID, atts[0].ID); err != nil {
			t.Fatal(err)
		}
		if pub, err := w.db.PublicAttachment(ctx, sha); err != nil || pub.Version != 1 {
			t.Errorf("published attachment gone with the draft's: %+v, %v", pub, err)
		}
	})
}

// TestConcurrentPublishesKeepTheLogLinear publishes several items at once:
// every publish gets its own leaf and index number, and the stored tree
// proves each leaf.
func TestConcurrentPublishesKeepTheLogLinear(t *testing.T) {
	eachDB(t, publish.Options{}, func(t *testing.T, w *world) {
		ctx := t.Context()
		const n = 8
		ids := make([]int64, n)
		for i := range ids {
			it := w.create(t, "并发发布"+strings.Repeat("一", i+1))
			w.approve(t, it.ID)
			ids[i] = it.ID
		}
		errs := make(chan error, n)
		for _, id := range ids {
			go func() { errs <- w.svc.Publish(ctx, w.publshr, id) }()
		}
		for range ids {
			if err := <-errs; err != nil {
				t.Errorf("concurrent Publish: %v", err)
			}
		}
		size, root, err := w.db.LogHead(ctx)
		if err != nil || size != n {
			t.Fatalf("LogHead = %d, %v; want %d", size, err, n)
		}
		seenIdx := map[string]bool{}
		for _, id := range ids {
			it := w.item(t, id)
			if seenIdx[it.IndexNo] {
				t.Errorf("index number %s given twice", it.IndexNo)
			}
			seenIdx[it.IndexNo] = true
			leaves, err := w.db.ItemLeaves(ctx, id)
			if err != nil || len(leaves) != 1 {
				t.Fatalf("leaves of item %d = %v, %v", id, leaves, err)
			}
			p, err := w.db.LogProveRecord(ctx, size, leaves[0].Index)
			if err != nil {
				t.Fatal(err)
			}
			if err := translog.CheckRecord(p, translog.Checkpoint{Origin: "x", Size: size, Root: root}, leaves[0].Index, []byte(leaves[0].Text)); err != nil {
				t.Errorf("leaf of item %d: %v", id, err)
			}
		}
	})
}

func TestOnlyProactiveItemsArePublished(t *testing.T) {
	eachDB(t, publish.Options{}, func(t *testing.T, w *world) {
		ctx := t.Context()
		for _, mode := range []publish.Disclosure{publish.DiscloseOnRequest, publish.DiscloseWithheld} {
			d := w.draft("不主动公开的信息")
			d.Disclosure = mode
			it, err := w.svc.Create(ctx, w.officer, w.bureau.ID, d)
			if err != nil {
				t.Fatal(err)
			}
			w.approve(t, it.ID)
			if inv, ok := apperr.AsInvalid(w.svc.Publish(ctx, w.publshr, it.ID)); !ok || inv.Fields["disclosure"] == "" {
				t.Errorf("Publish of a %s item was not refused for its disclosure mode", mode)
			}
			if inv, ok := apperr.AsInvalid(w.svc.Schedule(ctx, w.publshr, it.ID, w.clock.Now().Add(time.Hour))); !ok || inv.Fields["disclosure"] == "" {
				t.Errorf("Schedule of a %s item was not refused for its disclosure mode", mode)
			}
			if got := w.item(t, it.ID); got.State != publish.StateApproved || got.Live != 0 {
				t.Errorf("refused item changed: %+v", got)
			}
		}
	})
}
