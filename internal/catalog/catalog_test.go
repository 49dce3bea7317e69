package catalog_test

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/catalog"
)

var rows = []catalog.Row{
	{ItemID: 1, IndexNo: "42130021/2026-00001", Title: "关于调整城乡最低生活保障标准的通知", Issuer: "随州市民政局", Topic: "民政、扶贫、救灾",
		Genre: "规范性文件", DocNo: "随民发〔2026〕2号", WrittenDate: "2026-02-18", PublishedAt: time.Date(2026, 2, 18, 20, 0, 0, 0, time.UTC), Validity: "valid", URL: "http://x/item/1"},
	{ItemID: 2, Title: "=HYPERLINK(\"http://evil\")", Validity: "repealed", PublishedAt: time.Date(2025, 1, 2, 1, 0, 0, 0, time.UTC)},
}

func TestCSVHasBOMChineseHeaderAndNoFormulas(t *testing.T) {
	var buf bytes.Buffer
	if err := catalog.WriteCSV(&buf, rows); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\ufeff")) {
		t.Error("CSV lacks the byte-order mark Excel needs for Chinese")
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "索引号" || recs[1][1] != "关于调整城乡最低生活保障标准的通知" || recs[1][7] != "2026-02-19" || recs[1][8] != "有效" {
		t.Errorf("rows = %v", recs[:2])
	}
	if recs[2][1][0] != '\'' || recs[2][8] != "废止" {
		t.Errorf("formula not defused or validity wrong: %v", recs[2])
	}
}

func TestXLSXOpensWithTheRows(t *testing.T) {
	b, err := catalog.XLSX(rows, "随州市民政局政府信息公开目录")
	if err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, _ := f.GetCellValue("政府信息公开目录", "B3")
	if got != "关于调整城乡最低生活保障标准的通知" {
		t.Errorf("B3 = %q", got)
	}
	if formula, _ := f.GetCellFormula("政府信息公开目录", "B4"); formula != "" {
		t.Errorf("B4 holds formula %q", formula)
	}
}
