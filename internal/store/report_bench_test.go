package store_test

import (
	"fmt"
	"os"
	"testing"
	"time"

	"gongkai/internal/report"
	"gongkai/internal/store"
	"gongkai/internal/store/storetest"
)

// benchRows is the size of the annual report benchmark: this many
// applications and this many items in one org (issue 8: under 2 seconds).
const benchRows = 1_000_000

// BenchmarkAnnualReport computes the tables of a year with 1,000,000
// applications and 1,000,000 items on each backend. Generating the data
// takes a while, so it runs only with GONGKAI_BENCH_REPORT=1:
//
//	GONGKAI_BENCH_REPORT=1 GONGKAI_TEST_DATABASE_URL=postgres://... \
//	  go test ./internal/store -run '^$' -bench AnnualReport -benchtime 5x
func BenchmarkAnnualReport(b *testing.B) {
	if os.Getenv("GONGKAI_BENCH_REPORT") != "1" {
		b.Skip("set GONGKAI_BENCH_REPORT=1 to generate 1,000,000 applications and items and time the annual report")
	}
	b.Run("sqlite", func(b *testing.B) { benchAnnualReport(b, storetest.OpenSQLite(b)) })
	b.Run("postgres", func(b *testing.B) { benchAnnualReport(b, storetest.OpenPostgres(b, storetest.PostgresURL(b))) })
}

func benchAnnualReport(b *testing.B, db *store.DB) {
	ctx := b.Context()
	start := time.Now()
	orgID, colID := benchOrg(b, db)
	exec := func(q string, args ...any) {
		b.Helper()
		if err := db.ExecForTest(ctx, q, args...); err != nil {
			b.Fatalf("generate data: %v\n%.200s", err, q)
		}
	}
	// Row generator: a recursive CTE works on both backends.
	gen := fmt.Sprintf(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) `, benchRows)
	pad := func(e string) string {
		return `CASE WHEN ` + e + ` < 10 THEN '0' ELSE '' END || CAST(` + e + ` AS TEXT)`
	}
	// Days spread over 2025 and 2026; a fifth still open.
	received := `CASE WHEN i % 3 = 0 THEN '2025' ELSE '2026' END || '-' || ` + pad("(i % 12 + 1)") + ` || '-' || ` + pad("(i % 28 + 1)")
	answered := `CASE WHEN i % 5 = 0 THEN '' WHEN i % 3 = 0 THEN '2026-01-' || ` + pad("(i % 28 + 1)") + ` ELSE '2026-12-' || ` + pad("(i % 28 + 1)") + ` END`
	outcomes := `CASE i % 7 WHEN 0 THEN 'disclosed' WHEN 1 THEN 'partial' WHEN 2 THEN 'refused' WHEN 3 THEN 'unavailable' WHEN 4 THEN 'not_processed' ELSE 'other' END`
	reasons := `CASE i % 7 WHEN 0 THEN '' WHEN 1 THEN '' WHEN 2 THEN 'third_party' WHEN 3 THEN 'not_held' WHEN 4 THEN 'repeated' ELSE 'other' END`
	kinds := `CASE WHEN i % 4 = 0 THEN 'person' ELSE 'org' END`
	types := `CASE i % 4 WHEN 0 THEN '' WHEN 1 THEN 'business' WHEN 2 THEN 'legal' ELSE 'other' END`
	late := `i % 11 = 0`
	now := `'2026-01-01T00:00:00.000000Z'`
	published := `'2026-' || ` + pad("(i % 12 + 1)") + ` || '-' || ` + pad("(i % 28 + 1)") + ` || 'T02:00:00.000000Z'`
	if db.Dialect() == store.Postgres {
		now = `CAST(` + now + ` AS TIMESTAMPTZ)`
		published = `CAST(` + published + ` AS TIMESTAMPTZ)`
	} else {
		late = `CASE WHEN i % 11 = 0 THEN 1 ELSE 0 END`
	}
	if db.Dialect() == store.Postgres {
		// The page cache's row triggers (migration 0009) would bump one
		// counter row a million times; they are not what is measured.
		exec(`ALTER TABLE items DISABLE TRIGGER USER`)
	}
	exec(gen+`INSERT INTO apply_applications (org_id, tracking_no, code_hash, channel, applicant_kind, name, org_type, description, form, way,
		submitted_at, received_on, state, outcome, outcome_reason, answered_on, late, fingerprint, digest, created_at, updated_at)
		SELECT ?, 'B' || CAST(i AS TEXT), 'h', 'online', `+kinds+`, '申请人', `+types+`, '所需信息', 'paper', 'post', `+now+`, `+received+`,
		CASE WHEN i % 5 = 0 THEN 'open' ELSE 'closed' END, CASE WHEN i % 5 = 0 THEN '' ELSE `+outcomes+` END,
		CASE WHEN i % 5 = 0 THEN '' ELSE `+reasons+` END, `+answered+`, `+late+`, 'fp', 'dg', `+now+`, `+now+` FROM n`, orgID)
	exec(gen+`INSERT INTO items (org_id, state, current_version, live_version, index_no, column_id, title, validity, validity_date,
		first_published_at, last_published_at, created_at, updated_at)
		SELECT ?, 'published', 1, 1, 'I' || CAST(i AS TEXT), ?, '文件', CASE WHEN i % 97 = 0 THEN 'repealed' ELSE 'valid' END,
		CASE WHEN i % 97 = 0 THEN '2026-06-01' ELSE '' END, `+published+`, `+published+`, `+now+`, `+now+` FROM n`, orgID, colID)
	exec(`INSERT INTO item_versions (item_id, number, title, body, column_id, genre, disclosure, created_at, updated_at)
		SELECT id, 1, '文件', '正文', ?, CASE WHEN id % 50 = 0 THEN '规章' WHEN id % 50 = 1 THEN '规范性文件' ELSE '工作动态' END,
		'proactive', `+now+`, `+now+` FROM items WHERE org_id = ?`, colID, orgID)
	exec(`INSERT INTO apply_cases (application_id, org_id, kind, filed_on, result, decided_on, created_at, updated_at)
		SELECT id, org_id, CASE id % 3 WHEN 0 THEN 'reconsideration' WHEN 1 THEN 'lawsuit_direct' ELSE 'lawsuit_after' END,
		'2026-03-01', CASE id % 4 WHEN 0 THEN 'upheld' WHEN 1 THEN 'corrected' WHEN 2 THEN 'other' ELSE 'pending' END,
		CASE WHEN id % 4 = 3 THEN '' ELSE '2026-09-01' END, `+now+`, `+now+` FROM apply_applications WHERE org_id = ? AND id % 1000 = 0`, orgID)
	if db.Dialect() == store.Postgres {
		// What autovacuum does shortly after a bulk load: statistics, and
		// the visibility map that lets index-only scans skip the table.
		exec(`VACUUM ANALYZE apply_applications`)
		exec(`VACUUM ANALYZE items`)
		exec(`VACUUM ANALYZE item_versions`)
	} else {
		exec(`ANALYZE`)
	}
	b.Logf("%s: generated %d applications and %d items in %s", db.Dialect(), benchRows, benchRows, time.Since(start).Round(time.Second))

	var r *report.Report
	for b.Loop() {
		in, err := db.ReportInput(ctx, orgID, 2026)
		if err != nil {
			b.Fatal(err)
		}
		r = report.Build(in, nil)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/report")
	b.Logf("%s: 2026 tables: new %s, carried in %s, handled %s, carried out %s, rules issued %s, mismatches %d",
		db.Dialect(), r.Values[report.RequestKey(report.RowNew, report.AllTypes)].Text, r.Values[report.RequestKey(report.RowCarriedIn, report.AllTypes)].Text,
		r.Values[report.RequestKey(report.RowHandled, report.AllTypes)].Text, r.Values[report.RequestKey(report.RowCarriedOut, report.AllTypes)].Text,
		r.Values[report.KeyRulesIssued].Text, len(r.Mismatches))
}

func benchOrg(b *testing.B, db *store.DB) (int64, int64) {
	f := newReportFixtureTB(b, db, "42130021")
	return f.orgID, f.colID
}
