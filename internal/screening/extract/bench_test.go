package extract_test

import (
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/screening"
	"gongkai/internal/screening/extract"
)

// BenchmarkScanXLSX extracts and scans a 10,000-row recipient list (70,000
// cells) and masks its name column, as the submit path and the reviewer's
// one-click action do.
func BenchmarkScanXLSX(b *testing.B) {
	s := newSynth(9)
	f := excelize.NewFile()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	for r := 1; r <= 10_000; r++ {
		cell, _ := excelize.CoordinatesToCellName(1, r)
		if err := sw.SetRow(cell, []any{r, s.name(), s.id(), s.mobile(), s.card(), "520.00", "2024-09-15"}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	x := extract.New(extract.Limits{})
	defer x.Close()
	b.Run("scan", func(b *testing.B) {
		var n int
		for b.Loop() {
			fs, err := x.Scan(b.Context(), "list.xlsx", data, scanOpts())
			if err != nil {
				b.Fatal(err)
			}
			n = len(fs)
		}
		b.ReportMetric(float64(n), "findings")
	})
	b.Run("mask-column", func(b *testing.B) {
		for b.Loop() {
			if _, err := extract.MaskColumn(data, extract.ColumnMask{Sheet: "Sheet1", Column: "B", Kind: screening.KindName}, extract.Limits{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
