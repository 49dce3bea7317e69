package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gongkai/internal/account"
	"gongkai/internal/app"
	"gongkai/internal/apply"
	"gongkai/internal/backup"
	"gongkai/internal/config"
	"gongkai/internal/demo"
	"gongkai/internal/publish"
	"gongkai/internal/store/storetest"
)

// writer publishes items and submits applications through the services
// until stopped, the way staff and the public do while a backup runs.
type writer struct {
	e         *env
	published atomic.Int64
	submitted atomic.Int64
}

func (w *writer) actors(t *testing.T) map[string]account.Actor {
	t.Helper()
	as := map[string]account.Actor{}
	for _, name := range []string{"xinxiyuan", "kezhang", "baomi", "bangongshi"} {
		u, err := w.e.app.DB.UserByName(t.Context(), name)
		if err != nil {
			t.Fatalf("user %s: %v", name, err)
		}
		as[name] = account.ActorFor(u, "")
	}
	return as
}

// publishOne takes one new item through the whole review to the site.
func publishOne(ctx context.Context, svc *publish.Service, as map[string]account.Actor, orgID, colID int64, title string) error {
	it, err := svc.Create(ctx, as["xinxiyuan"], orgID, publish.Draft{Title: title, Body: "<p>" + title + "的正文。</p>", ColumnID: colID,
		Issuer: "随州市民政局", Genre: "通知", Topic: "民政、扶贫、救灾", Disclosure: publish.DiscloseProactive,
		WrittenDate: "2026-02-27", FormedDate: "2026-02-27"})
	if err != nil {
		return fmt.Errorf("create: %w", err)
	}
	for _, step := range []func() error{
		func() error { return svc.Submit(ctx, as["xinxiyuan"], it.ID) },
		func() error { return svc.SectionApprove(ctx, as["kezhang"], it.ID) },
		func() error { return svc.Approve(ctx, as["baomi"], it.ID) },
		func() error { return svc.Publish(ctx, as["bangongshi"], it.ID) },
	} {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// run writes until ctx ends, and reports the first error.
func (w *writer) run(ctx context.Context, t *testing.T, wg *sync.WaitGroup, errs chan<- error) {
	as := w.actors(t)
	bureau := w.e.org("42130021")
	col := w.e.column("42130021", "tzgg")
	for g := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				if err := publishOne(context.WithoutCancel(ctx), w.e.app.Publish, as, bureau.ID, col.ID, fmt.Sprintf("负载测试通知%d-%d", g, i)); err != nil {
					errs <- fmt.Errorf("publish: %w", err)
					return
				}
				w.published.Add(1)
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ctx.Err() == nil; i++ {
			a := &apply.Application{OrgID: bureau.ID, Applicant: apply.Applicant{Kind: apply.ApplicantPerson, Name: "测试申请人", IDType: apply.IDResident,
				IDNumber: "11010519491231002X", Phone: "13900000001", Address: "湖北省随州市（测试）"},
				Description: fmt.Sprintf("负载测试申请%d", i), Form: apply.FormElectronic, Way: apply.WayOnline}
			if _, err := w.e.app.Apply.Submit(context.WithoutCancel(ctx), a, nil); err != nil {
				errs <- fmt.Errorf("submit application: %w", err)
				return
			}
			w.submitted.Add(1)
		}
	}()
}

// waitFor waits until cond holds, failing on a writer's error or after
// half a minute.
func waitFor(t *testing.T, errs <-chan error, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		select {
		case err := <-errs:
			t.Fatalf("writer: %v", err)
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("the writers made no progress in 30 s")
		}
	}
}

// restore unpacks archive into a new data directory and opens it.
func restore(t *testing.T, archive []byte) *app.App {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(bytes.NewReader(archive), dir); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	a, err := app.New(t.Context(), config.Config{DataDir: dir}, app.Options{HashParams: account.TestHashParams})
	if err != nil {
		t.Fatalf("open the restored data: %v", err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

// checkIntact verifies the audit chain and the publication log.
func checkIntact(t *testing.T, what string, a *app.App) {
	t.Helper()
	if n, err := a.DB.VerifyAudit(t.Context()); err != nil {
		t.Errorf("%s: audit chain: %v (%d verified)", what, err, n)
	}
	if _, err := a.DB.VerifyLog(t.Context()); err != nil {
		t.Errorf("%s: publication log: %v", what, err)
	}
}

// TestBackupUnderWriteLoadRestores backs up while items are published and
// applications submitted, restores into an empty directory, and checks
// the copy: a consistent state between the start and the end of the load,
// with its audit chain and publication log intact and its files present.
// A second backup at rest must restore to exactly the same row counts.
func TestBackupUnderWriteLoadRestores(t *testing.T) {
	e := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data")})
	ctx := t.Context()
	if err := demo.LoadItems(ctx, e.app.DB, e.app.Publish, e.clock.Now()); err != nil {
		t.Fatalf("demo items: %v", err)
	}
	officer := e.browser()
	officer.loginFull("xinxiyuan")
	r := officer.post("/admin/items", e.itemForm("带附件的通知", "<p>附件</p>"))
	expect(t, "create", r, http.StatusSeeOther)
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n")
	expect(t, "upload", officer.upload(r.location+"/attachments", "file", "名单.pdf", pdf), http.StatusSeeOther)

	before, err := e.app.DB.TableCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	w := &writer{e: e}
	loadCtx, stop := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	w.run(loadCtx, t, &wg, errs)
	waitFor(t, errs, func() bool { return w.published.Load() >= 3 && w.submitted.Load() >= 3 })
	var buf bytes.Buffer
	m, err := e.app.Backup(ctx, &buf)
	if err != nil {
		t.Fatalf("Backup under load: %v", err)
	}
	// Keep writing a little after the copy, then stop.
	n := w.published.Load()
	waitFor(t, errs, func() bool { return w.published.Load() >= n+2 })
	stop()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("writer: %v", err)
	}
	after, err := e.app.DB.TableCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if m.Database != "sqlite" || m.Files < 1 {
		t.Errorf("manifest = %+v, want the SQLite database and the attachment", m)
	}

	got := restore(t, buf.Bytes())
	checkIntact(t, "backup under load", got)
	counts, err := got.DB.TableCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"items", "applications", "audit_log", "translog_leaves"} {
		if counts[table] < before[table] || counts[table] > after[table] {
			t.Errorf("restored %s has %d rows, want between %d (load start) and %d (load end)", table, counts[table], before[table], after[table])
		}
	}
	if counts["items"] == before["items"] {
		t.Errorf("the backup holds none of the items published under load (%d rows)", counts["items"])
	}
	if _, err := os.Stat(filepath.Join(got.Config.DataDir, "files")); err != nil {
		t.Errorf("restored data has no files: %v", err)
	}

	// At rest: the restored copy equals the original, table by table.
	var rest bytes.Buffer
	if _, err := e.app.Backup(ctx, &rest); err != nil {
		t.Fatalf("Backup at rest: %v", err)
	}
	same := restore(t, rest.Bytes())
	checkIntact(t, "backup at rest", same)
	want, _ := e.app.DB.TableCounts(ctx)
	gotCounts, _ := same.DB.TableCounts(ctx)
	if diff := cmp.Diff(want, gotCounts); diff != "" {
		t.Errorf("row counts of the restored database (-original +restored):\n%s", diff)
	}
	// The attachment's bytes came back.
	atts, err := same.DB.TableCounts(ctx)
	if err != nil || atts["attachments"] == 0 {
		t.Fatalf("restored attachments: %v %v", atts["attachments"], err)
	}
}

func TestRestoreRefusesANonEmptyDirectory(t *testing.T) {
	e := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data")})
	var buf bytes.Buffer
	if _, err := e.app.Backup(t.Context(), &buf); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keep.txt"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Restore(bytes.NewReader(buf.Bytes()), dir); err != backup.ErrNotEmpty {
		t.Errorf("Restore into a non-empty directory = %v, want ErrNotEmpty", err)
	}
	if _, err := backup.Restore(bytes.NewReader([]byte("not a backup")), filepath.Join(t.TempDir(), "new")); err == nil {
		t.Error("Restore of garbage succeeded")
	}
}

func TestDailyBackupKeepsTheNewest(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "backups")
	e := newEnv(t, config.Config{DataDir: filepath.Join(t.TempDir(), "data"), BackupDir: dir, BackupKeep: 2})
	for range 3 {
		if err := e.app.Jobs.Schedule(t.Context()); err != nil {
			t.Fatalf("Schedule: %v", err)
		}
		if _, err := e.app.Jobs.RunDue(t.Context()); err != nil {
			t.Fatalf("RunDue: %v", err)
		}
		e.clock.Add(24 * time.Hour)
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, de := range des {
		names = append(names, de.Name())
	}
	want := []string{"gongkai-backup-20260303T010000Z.tar.gz", "gongkai-backup-20260304T010000Z.tar.gz"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("backups kept (-want +got):\n%s", diff)
	}
}

// TestBackupOnPostgresHoldsTheFilesAndNamesPgDump checks that the archive
// of a PostgreSQL installation has the files and tells how to dump the
// database, which it does not hold.
func TestBackupOnPostgresHoldsTheFilesAndNamesPgDump(t *testing.T) {
	u := storetest.PostgresURL(t)
	e := newEnv(t, config.Config{DatabaseURL: storetest.CreateSchema(t, u), DataDir: filepath.Join(t.TempDir(), "data")})
	officer := e.browser()
	officer.loginFull("xinxiyuan")
	r := officer.post("/admin/items", e.itemForm("带附件的通知", "<p>附件</p>"))
	expect(t, "create", r, http.StatusSeeOther)
	expect(t, "upload", officer.upload(r.location+"/attachments", "file", "名单.pdf", []byte("%PDF-1.4\n%%EOF\n")), http.StatusSeeOther)
	var buf bytes.Buffer
	m, err := e.app.Backup(t.Context(), &buf)
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if m.Database != "postgres" || m.Files != 1 || !strings.Contains(m.PgDumpHint, "pg_dump") {
		t.Errorf("manifest = %+v, want postgres, one file and the pg_dump hint", m)
	}
	dir := filepath.Join(t.TempDir(), "restored")
	if _, err := backup.Restore(bytes.NewReader(buf.Bytes()), dir); err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, backup.DBFile)); err == nil {
		t.Error("the PostgreSQL archive holds a SQLite database")
	}
}
