package cli

import (
	"context"
	"fmt"

	"gongkai/internal/app"
	"gongkai/internal/org"
)

// loadBulkItems adds n generated items to the demo bureau's list columns
// and indexes them for search, for load tests (`gongkai demo --items N`).
func loadBulkItems(ctx context.Context, e *env, a *app.App, n int) error {
	bureau, err := a.DB.OrgByCode(ctx, "42130021")
	if err != nil {
		return fmt.Errorf("the demo bureau is missing: load the demo first: %w", err)
	}
	cols, err := a.DB.Columns(ctx, bureau.ID)
	if err != nil {
		return err
	}
	var ids []int64
	for _, c := range cols {
		if c.Kind == org.ColumnList && c.Visible && c.Slug != "zwgk" && c.Slug != "xxgknb" && c.Slug != "gzhd" {
			ids = append(ids, c.ID)
		}
	}
	err = a.DB.BulkItems(ctx, bureau.ID, bureau.Code, ids, n, a.DB.Now(), func(done int) {
		fmt.Fprintf(e.stderr, "\rgenerated %d of %d items", done, n)
	})
	fmt.Fprintln(e.stderr)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, "indexing for search…")
	if _, err := a.DB.SyncSearch(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "added %d generated items to %s\n", n, bureau.Name)
	return nil
}
