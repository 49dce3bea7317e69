package export_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"gongkai/internal/apply"
	"gongkai/internal/report"
	"gongkai/internal/report/export"
)

func sampleDoc() *export.Doc {
	in := report.Input{Year: 2026, Rules: report.DocCounts{Issued: 1, Valid: 3}, Normative: report.DocCounts{Issued: 4, Repealed: 1, Valid: 9}}
	in.Add(report.RowNew, report.Person, 10)
	in.Add(report.RowNew, report.Legal, 2)
	in.Add(report.RowCarriedIn, report.Person, 1)
	in.Add(report.RowDisclosed, report.Person, 6)
	in.Add(string(apply.UnavailableNotHeld), report.Person, 3)
	in.Add(report.RowPartial, report.Legal, 2)
	in.Add(report.RowCarriedOut, report.Person, 2)
	in.Cases[report.Reconsideration][report.Upheld] = 1
	in.Cases[report.LawsuitDirect][report.Pending] = 1
	r := report.Build(in, map[string]report.Manual{
		report.KeyLicensing: {Value: "120", Source: "省政务服务网"},
		report.KeyFees:      {Value: "3.25", Source: "财务科"},
	})
	return &export.Doc{OrgName: "随州市民政局", OrgCode: "42130021", Year: 2026, Report: r, Status: report.StatusDraft,
		Narrative: report.Narrative{Overview: "第一段。\n\n第二段<script>", Problems: "问题一。", Other: "未收取信息处理费。"}}
}

// labels are texts every output must contain: headings and the longest,
// easiest to mistype labels of the template.
var labels = []string{
	"二、主动公开政府信息情况", "第二十条第（八）项", "本年收费金额（单位：万元）",
	"（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
	"2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "四、结转下年度继续办理",
	"四、政府信息公开行政复议、行政诉讼情况", "未经复议直接起诉", "复议后起诉",
}

func TestHTML(t *testing.T) {
	d := sampleDoc()
	d.Report = report.Build(report.Input{Year: 2026}, map[string]report.Manual{report.RequestKey(report.RowNew, report.Person): {Value: "5", Source: "登记簿"}})
	var b bytes.Buffer
	if err := export.HTML(&b, d, export.HTMLOptions{Checks: true}); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for _, want := range append(labels, "@page { size: A4", "随州市民政局2026年政府信息公开工作年度报告", "表格勾稽关系不一致", `class="num manual mismatch"`, "来源：登记簿", "&lt;script&gt;") {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
	if strings.Contains(s, "<script") {
		t.Errorf("HTML contains a script element")
	}
	b.Reset()
	if err := export.HTML(&b, d, export.HTMLOptions{StylesheetURL: "/static/x/report.css"}); err != nil {
		t.Fatal(err)
	}
	if s := b.String(); strings.Contains(s, "<style") || strings.Contains(s, "style=") || strings.Contains(s, "勾稽关系不一致") {
		t.Errorf("served HTML has inline style or staff checks")
	}
}

func TestXLSX(t *testing.T) {
	var b bytes.Buffer
	if err := export.XLSX(&b, sampleDoc()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != 3 {
		t.Fatalf("sheets = %v", sheets)
	}
	var all strings.Builder
	for _, s := range sheets {
		rows, err := f.GetRows(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			all.WriteString(strings.Join(r, "|") + "\n")
		}
	}
	for _, want := range labels {
		if !strings.Contains(all.String(), want) {
			t.Errorf("xlsx lacks %q", want)
		}
	}
	merged, err := f.GetMergeCells(sheets[1])
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{"A3:C5": false, "D3:J3": false, "D4:D5": false, "E4:I4": false, "J4:J5": false, "A8:A29": false}
	for _, m := range merged {
		if _, ok := want[m.GetStartAxis()+":"+m.GetEndAxis()]; ok {
			want[m.GetStartAxis()+":"+m.GetEndAxis()] = true
		}
	}
	for k, ok := range want {
		if !ok {
			t.Errorf("table 三 lacks merged range %s (have %d ranges)", k, len(merged))
		}
	}
	for _, c := range []struct{ sheet, cell, want string }{
		{sheets[1], "D6", "10"}, {sheets[1], "J6", "12"}, {sheets[1], "D7", "1"}, {sheets[1], "J30", "2"},
		{sheets[0], "B16", "3.25"}, {sheets[0], "B9", "120"}, {sheets[2], "A6", "1"}, {sheets[2], "I6", "1"}, {sheets[2], "J6", "1"},
	} {
		got, err := f.GetCellValue(c.sheet, c.cell)
		if err != nil || got != c.want {
			t.Errorf("%s!%s = %q, %v; want %q", c.sheet, c.cell, got, err, c.want)
		}
	}
}

func TestDOCX(t *testing.T) {
	var b bytes.Buffer
	if err := export.DOCX(&b, sampleDoc()); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var xml string
	for _, f := range zr.File {
		if f.Name == "word/document.xml" {
			rc, _ := f.Open()
			data, _ := io.ReadAll(rc)
			rc.Close()
			xml = string(data)
		}
	}
	for _, want := range append(labels, "一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项", "w:vMerge", "w:gridSpan", "来源：财务科", "第二段&lt;script&gt;") {
		if !strings.Contains(xml, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
}

func TestJSON(t *testing.T) {
	var b bytes.Buffer
	if err := export.JSON(&b, sampleDoc()); err != nil {
		t.Fatal(err)
	}
	var got export.JSONReport
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Tables) != 3 || got.Values[report.RequestKey(report.RowNew, report.AllTypes)] != "12" || got.Values[report.KeyFees] != "3.25" {
		t.Errorf("JSON = %+v", got)
	}
	if len(got.Values) != len(report.Keys()) || len(got.Manual) != 2 {
		t.Errorf("JSON has %d values, %d manual", len(got.Values), len(got.Manual))
	}
}

// TestOpensInLibreOffice converts the .docx and .xlsx to PDF with
// LibreOffice headless, as an office would open them. It skips unless
// soffice is installed (Debian: libreoffice-writer-nogui,
// libreoffice-calc-nogui).
func TestOpensInLibreOffice(t *testing.T) {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		t.Skip("soffice not installed; install libreoffice-writer-nogui and libreoffice-calc-nogui to run")
	}
	dir := t.TempDir()
	d := sampleDoc()
	for name, write := range map[string]func(io.Writer, *export.Doc) error{"report.docx": export.DOCX, "report.xlsx": export.XLSX} {
		var b bytes.Buffer
		if err := write(&b, d); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.CommandContext(t.Context(), soffice, "--headless", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
			"--convert-to", "pdf", "--outdir", filepath.Join(dir, "out-"+name), filepath.Join(dir, name))
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("soffice %s: %v\n%s", name, err, out)
		}
		pdf, err := os.ReadFile(filepath.Join(dir, "out-"+name, strings.TrimSuffix(name, filepath.Ext(name))+".pdf"))
		if err != nil {
			t.Fatalf("%s was not converted: %v\n%s", name, err, out)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF")) || len(pdf) < 2000 {
			t.Errorf("%s: PDF of %d bytes", name, len(pdf))
		}
		if pdftotext, err := exec.LookPath("pdftotext"); err == nil {
			txt, err := exec.Command(pdftotext, "-layout", filepath.Join(dir, "out-"+name, strings.TrimSuffix(name, filepath.Ext(name))+".pdf"), "-").Output()
			if err == nil && !strings.Contains(strings.ReplaceAll(string(txt), " ", ""), "结转下年度继续办理") {
				t.Errorf("%s: PDF text lacks the table labels:\n%.500s", name, txt)
			}
		}
	}
}
