// Package catalog is the disclosure catalog (政府信息公开目录) as the public
// reads and downloads it: one row per published item with its catalog
// metadata, filters by topic, genre, year, issuing organ and validity, and
// exports to CSV and .xlsx. Regulations on Open Government Information
// (2019), art. 12: the catalog includes each item's index, name, summary
// and date, and is kept up to date. It holds no SQL or HTTP.
package catalog

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// Filter selects catalog rows of one org.
type Filter struct {
	OrgID int64
	// OrgIDs, when set, lists the orgs of a site group catalog instead
	// of OrgID alone.
	OrgIDs   []int64
	Topic    string
	Genre    string
	Issuer   string
	Year     int    // year published; 0 for any
	Validity string // valid, expired, repealed; "" for any
	Offset   int
	Limit    int // 0 means 20; at most 10,000 for exports
}

// Row is one catalog entry.
type Row struct {
	ItemID      int64
	OrgID       int64
	OrgName     string // filled by the caller for group catalogs
	IndexNo     string // 索引号
	Title       string // 名称
	Summary     string // 内容概述
	Issuer      string // 发布机构
	Topic       string // 主题分类
	Genre       string // 体裁
	DocNo       string // 文号
	WrittenDate string // 成文日期, YYYY-MM-DD or ""
	PublishedAt time.Time
	Validity    string // valid, expired, repealed
	URL         string // filled by the caller
}

// Facets are the values the filters offer, from what is published.
type Facets struct {
	Topics  []string
	Genres  []string
	Issuers []string
	Years   []int
}

// ValidityLabel is the validity in Chinese.
func ValidityLabel(v string) string {
	switch v {
	case "valid":
		return "有效"
	case "expired":
		return "失效"
	case "repealed":
		return "废止"
	}
	return v
}

var header = []string{"索引号", "名称", "发布机构", "主题分类", "体裁", "文号", "成文日期", "发布日期", "有效性", "内容概述", "网址"}

func (r Row) cells(loc *time.Location) []string {
	return []string{r.IndexNo, r.Title, r.Issuer, r.Topic, r.Genre, r.DocNo, r.WrittenDate, r.PublishedAt.In(loc).Format("2006-01-02"), ValidityLabel(r.Validity), r.Summary, r.URL}
}

// china is China Standard Time; China has no daylight saving time.
var china = time.FixedZone("CST", 8*3600)

// WriteCSV writes rows as CSV in UTF-8 with a byte-order mark, which
// Excel and WPS need to read Chinese correctly.
func WriteCSV(w io.Writer, rows []Row) error {
	if _, err := w.Write([]byte("\ufeff")); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(sanitizeCells(r.cells(china))); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// sanitizeCells defuses spreadsheet formulas: a cell starting with = + -
// or @ would be evaluated when the file is opened.
func sanitizeCells(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		if c != "" && (c[0] == '=' || c[0] == '+' || c[0] == '-' || c[0] == '@') {
			c = "'" + c
		}
		out[i] = c
	}
	return out
}

// XLSX returns rows as an .xlsx workbook with one sheet 政府信息公开目录.
func XLSX(rows []Row, title string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "政府信息公开目录"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	if err := f.SetCellStr(sheet, "A1", title); err != nil {
		return nil, err
	}
	for i, h := range header {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		if err := f.SetCellStr(sheet, cell, h); err != nil {
			return nil, err
		}
	}
	for n, r := range rows {
		for i, c := range r.cells(china) {
			cell, _ := excelize.CoordinatesToCellName(i+1, n+3)
			// SetCellStr stores text, never a formula.
			if err := f.SetCellStr(sheet, cell, c); err != nil {
				return nil, err
			}
		}
	}
	widths := []float64{26, 48, 16, 16, 10, 20, 12, 12, 8, 40, 40}
	for i, wd := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, wd); err != nil {
			return nil, err
		}
	}
	if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, fmt.Errorf("write xlsx: %w", err)
	}
	return buf.Bytes(), nil
}
