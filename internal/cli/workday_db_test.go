package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"gongkai/internal/store"
	"gongkai/internal/workday"
)

// TestWorkdayUsesStoredYears: with --data, the holiday years an
// administrator stored (issue 5) replace the built-in ones.
func TestWorkdayUsesStoredYears(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	db, err := store.Open(t.Context(), store.Options{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	d, _ := workday.Parse("2028-01-03")
	y := workday.Year{Year: 2028, Notices: []workday.Notice{{Title: "国务院办公厅关于2028年部分节假日安排的通知"}}, Holidays: []workday.Date{d.AddDays(-2), d.AddDays(-1), d}}
	if err := db.Update(t.Context(), func(tx *store.Tx) error { return tx.SaveCalendarYear(t.Context(), y, "test") }); err != nil {
		t.Fatal(err)
	}
	db.Close()

	code, out, errOut := run(t, nil, "", "workday", "add", "--from", "2027-12-20", "--days", "20")
	if code != 0 || strings.TrimSpace(out) != "2028-01-17" || !strings.Contains(errOut, "provisional") {
		t.Errorf("built-in: exit %d, %q, %q; want 2028-01-17 provisional", code, out, errOut)
	}
	code, out, errOut = run(t, nil, "", "workday", "add", "--from", "2027-12-20", "--days", "20", "--data", dir)
	if code != 0 || strings.TrimSpace(out) != "2028-01-18" || errOut != "" {
		t.Errorf("with --data: exit %d, %q, %q; want 2028-01-18 final", code, out, errOut)
	}
	code, out, _ = run(t, nil, "", "workday", "is", "--data", dir, "2028-01-03")
	if code != 0 || strings.TrimSpace(out) != "holiday" {
		t.Errorf("workday is with --data: exit %d, %q; want holiday", code, out)
	}
	code, _, errOut = run(t, nil, "", "workday", "is", "--data", filepath.Join(t.TempDir(), "none"), "2028-01-03")
	if code != 2 || !strings.Contains(errOut, "no database") {
		t.Errorf("missing data directory: exit %d, %q; want 2", code, errOut)
	}
}
