package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"

	"gongkai/internal/account"
	"gongkai/internal/org"
)

// TestConcurrentWritesKeepTheAuditChain writes from many goroutines at
// once: on SQLite they queue on the single writer instead of failing with
// SQLITE_BUSY, on PostgreSQL the audit trail's lock keeps the chain linear.
func TestConcurrentWritesKeepTheAuditChain(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		bureau := e.org("42130021")
		var wg sync.WaitGroup
		errs := make(chan error, 40)
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := &org.Column{OrgID: bureau.ID, Kind: org.ColumnList, Slug: fmt.Sprintf("c%02d", i), Name: fmt.Sprintf("栏目%d", i), Visible: true}
				if err := e.app.Orgs.CreateColumn(t.Context(), account.System("test"), c); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("concurrent CreateColumn: %v", err)
		}
		cols, err := e.app.DB.Columns(t.Context(), bureau.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cols) != 15+40 {
			t.Errorf("bureau has %d columns, want %d", len(cols), 15+40)
		}
		if n, err := e.app.DB.VerifyAudit(t.Context()); err != nil {
			t.Errorf("audit chain after concurrent writes: %v (%d verified)", err, n)
		}
	})
}

func TestOrgCycleIsRefusedWithAMessage(t *testing.T) {
	eachBackend(t, func(t *testing.T, e *env) {
		b := e.browser()
		b.loginFull("admin")
		bureau, unit := e.org("42130021"), e.org("42130021-01")
		form := url.Values{"parent_id": {itoa(unit.ID)}, "code": {bureau.Code}, "name": {bureau.Name}, "path_prefix": {bureau.Site.PathPrefix}, "site_name": {bureau.Site.Name}}
		r := b.post("/admin/orgs/"+itoa(bureau.ID), form)
		if r.status != http.StatusUnprocessableEntity {
			t.Fatalf("moving the bureau under its own unit = %d, want 422", r.status)
		}
		mustContain(t, "org form", r.body, "不能把机构移到它自己或它的下级机构之下", `value="随州市民政局"`)
		if got := e.org("42130021"); got.ParentID != bureau.ParentID {
			t.Errorf("bureau moved to parent %d", got.ParentID)
		}
	})
}
