package extract_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
)

// The submit path scans an attachment; the reviewer masks the name column
// and the cells with findings in two actions; the new version scans clean.
func ExampleExtractor_Scan() {
	ctx := context.Background()
	x := extract.New(extract.Limits{})
	defer x.Close()
	opts := screening.Options{Now: func() time.Time { return time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC) }}

	data, err := os.ReadFile("testdata/subsidy-list.xlsx")
	if err != nil {
		panic(err)
	}
	findings, err := x.Scan(ctx, "subsidy-list.xlsx", data, opts)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(findings), "findings, blocking:", screening.HasBlocking(findings))
	fmt.Println(findings[0].Location, findings[0].Kind, findings[0].Excerpt)

	masked, err := extract.MaskColumn(data, extract.ColumnMask{Sheet: "发放名单", Column: "B", FirstRow: 3, Kind: screening.KindName}, extract.Limits{})
	if err != nil {
		panic(err)
	}
	// MaskColumn changed column B only, so the findings' spans in the
	// other cells still hold.
	masked, err = extract.MaskXLSX(masked, findings, extract.Limits{})
	if err != nil {
		panic(err)
	}
	again, err := x.Scan(ctx, "subsidy-list.xlsx", masked, opts)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(again), "findings, blocking:", screening.HasBlocking(again))
	// Output:
	// 63 findings, blocking: true
	// subsidy-list.xlsx 发放名单!C3 id_number 3299**********9413
	// 0 findings, blocking: false
}
