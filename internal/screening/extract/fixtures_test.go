package extract_test

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"flag"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"gongkai/internal/screening"
)

// The fixtures in testdata/ are real files written by the generators
// below, so a reviewer can see exactly what they hold and regenerate them:
//
//	go test ./internal/screening/extract -run TestFixtures -args -update
//
// Every personal number in them is synthetic: identity numbers use the
// prefecture code 99, which GB/T 2260 never assigns, with valid check
// digits; names are drawn from common characters; nothing belongs to a
// real person. The same generators also return what they planted and
// where, which the file-level tests check the extractors and detectors
// against.

var update = flag.Bool("update", false, "rewrite the files in testdata/")

// planted is one personal number a fixture holds, and where.
type planted struct {
	kind  screening.Kind
	place screening.Place
	value string
}

// anyParagraph in a planted place matches any paragraph number: excelize
// decides the order of the elements of the parts it writes.
const anyParagraph = -1

// fixture is one generated test file.
type fixture struct {
	name    string
	data    []byte
	planted []planted
	// blocking is whether screening the file must find something blocking.
	blocking bool
}

type synth struct{ r *rand.Rand }

func newSynth(seed uint64) *synth { return &synth{rand.New(rand.NewPCG(seed, 0x601ca1))} }

func (s *synth) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + s.r.IntN(10)))
	}
	return b.String()
}

// id returns an 18-character identity number with prefecture 99 and a
// valid GB 11643 check character.
func (s *synth) id() string {
	provinces := []string{"11", "31", "32", "33", "42", "44", "51", "61"}
	y := 1940 + s.r.IntN(65)
	m := 1 + s.r.IntN(12)
	d := 1 + s.r.IntN(28)
	first := fmt.Sprintf("%s99%02d%04d%02d%02d%s", provinces[s.r.IntN(len(provinces))], 1+s.r.IntN(20), y, m, d, s.digits(3))
	sum := 0
	for i := range 17 {
		sum += int(first[i]-'0') * ((1 << (17 - i)) % 11)
	}
	v := (12 - sum%11) % 11
	if v == 10 {
		return first + "X"
	}
	return first + string(rune('0'+v))
}

func (s *synth) mobile() string {
	prefixes := []string{"138", "139", "150", "186", "177", "199"}
	return prefixes[s.r.IntN(len(prefixes))] + s.digits(8)
}

// card returns a 19-digit UnionPay-style number passing Luhn.
func (s *synth) card() string {
	body := "6222" + s.digits(14)
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-i)%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return body + string(rune('0'+(10-sum%10)%10))
}

func (s *synth) name() string {
	surnames := []rune("王李张刘陈杨黄赵吴周徐孙胡朱高林何郭马罗")
	given := []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂")
	n := string(surnames[s.r.IntN(len(surnames))]) + string(given[s.r.IntN(len(given))])
	if s.r.IntN(2) == 0 {
		n += string(given[s.r.IntN(len(given))])
	}
	return n
}

// creditCode is a fixed, well-formed unified social credit code: public
// for organisations and never a finding.
const creditCode = "91420300MA4F0AB12X"

func fixtures(t *testing.T) []fixture {
	t.Helper()
	return []fixture{
		xlsxFixture(t),
		docxFixture(t),
		pdfFixture(),
		scannedPDFFixture(),
		csvFixture(t),
		htmlFixture(),
		textFixture(),
		imageFixture(t),
	}
}

// TestFixtures writes the fixtures with -update and otherwise checks that
// testdata/ holds exactly what the generators make.
func TestFixtures(t *testing.T) {
	for _, fx := range fixtures(t) {
		path := filepath.Join("testdata", fx.name)
		if *update {
			if err := os.WriteFile(path, fx.data, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		switch fx.name {
		case "subsidy-list.xlsx", "notice.docx", "district-map.png":
			// Zip timestamps, excelize's and image/png's output may
			// change between runs and Go versions; the content tests
			// check these.
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("read fixture: %v (run with -update to create it)", err)
		}
		if !bytes.Equal(got, fx.data) {
			t.Errorf("%s differs from its generator; run go test -run TestFixtures -update", path)
		}
	}
}

// xlsxFixture is a civil affairs bureau's subsidy recipient list: a sheet
// of names, identity numbers, phones and bank cards, with harmless numbers
// (amounts, dates, a credit code) beside them, and a hidden second sheet.
func xlsxFixture(t *testing.T) fixture {
	s := newSynth(1)
	fx := fixture{name: "subsidy-list.xlsx", blocking: true}
	f := excelize.NewFile()
	const sheet = "发放名单"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		t.Fatal(err)
	}
	set := func(sheet, cell string, v any) {
		if err := f.SetCellValue(sheet, cell, v); err != nil {
			t.Fatal(err)
		}
	}
	set(sheet, "A1", "2024年第三季度城乡居民最低生活保障金发放名单")
	for i, h := range []string{"序号", "姓名", "公民身份号码", "联系电话", "银行卡号", "发放金额（元）", "发放日期"} {
		cell, _ := excelize.CoordinatesToCellName(i+1, 2)
		set(sheet, cell, h)
	}
	for i := range 20 {
		row := i + 3
		id, mob, card := s.id(), s.mobile(), s.card()
		set(sheet, fmt.Sprintf("A%d", row), i+1)
		set(sheet, fmt.Sprintf("B%d", row), s.name())
		set(sheet, fmt.Sprintf("C%d", row), id)
		set(sheet, fmt.Sprintf("D%d", row), mob)
		set(sheet, fmt.Sprintf("E%d", row), card)
		set(sheet, fmt.Sprintf("F%d", row), fmt.Sprintf("%d.00", 300+s.r.IntN(500)))
		set(sheet, fmt.Sprintf("G%d", row), "20240915")
		for _, p := range []planted{
			{screening.KindIDNumber, screening.Place{Sheet: sheet, Cell: fmt.Sprintf("C%d", row)}, id},
			{screening.KindMobile, screening.Place{Sheet: sheet, Cell: fmt.Sprintf("D%d", row)}, mob},
			{screening.KindBankCard, screening.Place{Sheet: sheet, Cell: fmt.Sprintf("E%d", row)}, card},
		} {
			p.place.File = fx.name
			fx.planted = append(fx.planted, p)
		}
	}
	set(sheet, "A24", "发放单位：随州市曾都区民政局（统一社会信用代码 "+creditCode+"）")
	set(sheet, "A25", "索引号：011043406/2024-00123")
	// A hidden sheet still ships inside the file.
	const hidden = "备用"
	if _, err := f.NewSheet(hidden); err != nil {
		t.Fatal(err)
	}
	id := s.id()
	set(hidden, "B7", "备注：户主 "+id)
	fx.planted = append(fx.planted, planted{screening.KindIDNumber, screening.Place{File: fx.name, Sheet: hidden, Cell: "B7"}, id})
	if err := f.SetSheetVisible(hidden, false); err != nil {
		t.Fatal(err)
	}
	// A text box over the sheet and the document properties ship with
	// the file too.
	boxMob := s.mobile()
	if err := f.AddShape(sheet, &excelize.Shape{
		Cell: "I3", Type: "rect", Width: 240, Height: 60,
		Paragraph: []excelize.RichTextRun{{Text: "咨询电话："}, {Text: boxMob}},
	}); err != nil {
		t.Fatal(err)
	}
	fx.planted = append(fx.planted, planted{screening.KindMobile, screening.Place{File: fx.name, Part: screening.PartDrawing, Paragraph: anyParagraph}, boxMob})
	propID := s.id()
	if err := f.SetDocProps(&excelize.DocProperties{Title: "低保金发放名单", Creator: "曾都区民政局", Description: "核对用，户主 " + propID}); err != nil {
		t.Fatal(err)
	}
	fx.planted = append(fx.planted, planted{screening.KindIDNumber, screening.Place{File: fx.name, Part: screening.PartProperties, Paragraph: anyParagraph}, propID})
	buf, err := f.WriteToBuffer()
	if err != nil {
		t.Fatal(err)
	}
	fx.data = buf.Bytes()
	return fx
}

// docxFixture is a notice with a header marking, body text, a table of
// recipients, a text box and a footer.
func docxFixture(t *testing.T) fixture {
	s := newSynth(2)
	fx := fixture{name: "notice.docx", blocking: true}
	esc := func(v string) string {
		var b bytes.Buffer
		if err := xml.EscapeText(&b, []byte(v)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	p := func(text string) string {
		return `<w:p><w:r><w:t xml:space="preserve">` + esc(text) + `</w:t></w:r></w:p>`
	}
	var body strings.Builder
	para := 0
	addP := func(text string) {
		para++
		body.WriteString(p(text))
	}
	addP("关于公布2024年临时救助对象的通知")
	mob := s.mobile()
	addP("各乡镇（街道）：现将临时救助对象名单公布如下，如有异议请致电 " + mob + " 反映。")
	fx.planted = append(fx.planted, planted{screening.KindMobile, screening.Place{File: fx.name, Paragraph: para}, mob})
	addP("文号：随曾民发〔2024〕15号，日期：2024年9月15日，金额 12000.00 元。")

	body.WriteString(`<w:tbl><w:tblPr/><w:tr>`)
	for _, h := range []string{"姓名", "公民身份号码", "银行卡号"} {
		para++
		body.WriteString(`<w:tc>` + p(h) + `</w:tc>`)
	}
	body.WriteString(`</w:tr>`)
	for row := 2; row <= 4; row++ {
		id, card := s.id(), s.card()
		body.WriteString(`<w:tr>`)
		for _, v := range []string{s.name(), id, card} {
			para++
			body.WriteString(`<w:tc>` + p(v) + `</w:tc>`)
		}
		body.WriteString(`</w:tr>`)
		fx.planted = append(fx.planted,
			planted{screening.KindIDNumber, screening.Place{File: fx.name, Paragraph: para - 1, Table: 1, Row: row, Column: 2}, id},
			planted{screening.KindBankCard, screening.Place{File: fx.name, Paragraph: para, Table: 1, Row: row, Column: 3}, card})
	}
	body.WriteString(`</w:tbl>`)

	// A text box, written as Word does: the DrawingML choice and the VML
	// fallback repeat the same text, which must be found once.
	boxID := s.id()
	box := `<w:txbxContent>` + p("联系人身份证 "+boxID) + `</w:txbxContent>`
	para++ // the outer paragraph holding the box comes after the box's own
	boxPara := para
	para++
	body.WriteString(`<w:p><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>` +
		box + `</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>` +
		box + `</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>见文本框。</w:t></w:r></w:p>`)
	fx.planted = append(fx.planted, planted{screening.KindIDNumber, screening.Place{File: fx.name, Part: screening.PartTextBox, Paragraph: boxPara}, boxID})
	addP("随州市曾都区民政局")

	footMob := s.mobile()
	ns := `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
		`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
		`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
		`xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="wps"`
	document := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<w:document ` + ns + `><w:body>` + body.String() +
		`<w:sectPr><w:headerReference w:type="default" r:id="rId1"/><w:footerReference w:type="default" r:id="rId2"/></w:sectPr></w:body></w:document>`
	header := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:hdr ` + ns + `>` + p("内部资料 注意保存") + `</w:hdr>`
	footer := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" + `<w:ftr ` + ns + `>` + p("经办人电话："+footMob) + `</w:ftr>`
	fx.planted = append(fx.planted, planted{screening.KindMobile, screening.Place{File: fx.name, Part: screening.PartFooter, Paragraph: 1}, footMob})
	propMob := s.mobile()
	fx.planted = append(fx.planted, planted{screening.KindMobile, screening.Place{File: fx.name, Part: screening.PartProperties, Paragraph: 2}, propMob})
	files := []struct{ name, body string }{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/></Relationships>`},
		{"word/document.xml", document},
		{"word/header1.xml", header},
		{"word/footer1.xml", footer},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>临时救助对象名单</dc:title><dc:creator>经办人 ` + propMob + `</dc:creator></cp:coreProperties>`},
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	fx.data = buf.Bytes()
	return fx
}

// pdfFixture is a two-page PDF with a Chinese text layer: page 1 a notice,
// page 2 a list with identity and phone numbers. The text uses the
// standard Chinese font STSong-Light with the UniGB-UCS2-H encoding (not
// embedded, as many government PDFs do) and a ToUnicode map.
func pdfFixture() fixture {
	s := newSynth(3)
	fx := fixture{name: "recipients.pdf", blocking: true}
	page1 := []string{
		"随州市曾都区民政局",
		"关于2024年第三季度特困人员供养金发放情况的公示",
		"根据《社会救助暂行办法》，现将发放情况公示如下。",
		"公示期：2024年9月15日至9月22日，文号：随曾民〔2024〕21号。",
	}
	page2 := []string{"序号 姓名 公民身份号码 联系电话"}
	for i := range 5 {
		id, mob := s.id(), s.mobile()
		page2 = append(page2, fmt.Sprintf("%d %s %s %s", i+1, s.name(), id, mob))
		fx.planted = append(fx.planted,
			planted{screening.KindIDNumber, screening.Place{File: fx.name, Page: 2}, id},
			planted{screening.KindMobile, screening.Place{File: fx.name, Page: 2}, mob})
	}
	fx.data = buildPDF([][]string{page1, page2}, false)
	return fx
}

// scannedPDFFixture is a one-page PDF holding only an image: a scan.
func scannedPDFFixture() fixture {
	return fixture{name: "scanned.pdf", data: buildPDF([][]string{nil}, true), blocking: true}
}

// buildPDF writes a PDF with one page per entry of pages, each line of
// text set in STSong-Light. With image set, each page shows a grey image
// instead of text.
func buildPDF(pages [][]string, image bool) []byte {
	var objs []string // objs[i] is object i+1
	add := func(s string) int { objs = append(objs, s); return len(objs) }
	stream := func(dict, data string) string {
		return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
	}
	catalog := add("") // filled below
	pagesObj := add("")
	var cmap strings.Builder
	cmap.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for hi := 0; hi < 256; hi += 100 {
		n := min(100, 256-hi)
		fmt.Fprintf(&cmap, "%d beginbfrange\n", n)
		for h := hi; h < hi+n; h++ {
			if h >= 0xD8 && h <= 0xDF {
				fmt.Fprintf(&cmap, "<%02X00> <%02X00> <FFFD>\n", h, h) // surrogates: not characters
				continue
			}
			fmt.Fprintf(&cmap, "<%02X00> <%02XFF> <%02X00>\n", h, h, h)
		}
		cmap.WriteString("endbfrange\n")
	}
	cmap.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	toUnicode := add(stream("", cmap.String()))
	descriptor := add("<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>")
	cidFont := add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor %d 0 R /DW 1000 >>", descriptor))
	font := add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", cidFont, toUnicode))
	var img int
	if image {
		px := strings.Repeat("\x90\xa0\xb0\xc0", 16) // 8×8 grey
		img = add(stream("/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8", px))
	}
	var kids []string
	for _, lines := range pages {
		var c strings.Builder
		if image {
			c.WriteString("q 595 0 0 842 0 0 cm /Im1 Do Q")
		} else {
			c.WriteString("BT /F1 12 Tf 16 TL 60 780 Td\n")
			for _, line := range lines {
				c.WriteString("<")
				for _, u := range utf16BE(line) {
					fmt.Fprintf(&c, "%04X", u)
				}
				c.WriteString("> Tj T*\n")
			}
			c.WriteString("ET")
		}
		content := add(stream("", c.String()))
		res := fmt.Sprintf("/Font << /F1 %d 0 R >>", font)
		if image {
			res += fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", img)
		}
		page := add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>", pagesObj, res, content))
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
	}
	objs[catalog-1] = fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R >>", pagesObj)
	objs[pagesObj-1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	var b bytes.Buffer
	b.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, catalog, xref)
	return b.Bytes()
}

func utf16BE(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			out = append(out, uint16(0xD800+(r>>10)), uint16(0xDC00+(r&0x3FF)))
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}

// csvFixture is a recipient list saved by Chinese Excel as CSV: GBK.
func csvFixture(t *testing.T) fixture {
	s := newSynth(4)
	fx := fixture{name: "recipients-gbk.csv", blocking: true}
	var b strings.Builder
	b.WriteString("序号,姓名,身份证号,手机号,金额,日期\r\n")
	for i := range 6 {
		id, mob := s.id(), s.mobile()
		fmt.Fprintf(&b, "%d,%s,%s,%s,%d.00,2024-09-%02d\r\n", i+1, s.name(), id, mob, 200+s.r.IntN(300), 1+i)
		fx.planted = append(fx.planted,
			planted{screening.KindIDNumber, screening.Place{File: fx.name, Row: i + 2, Column: 3}, id},
			planted{screening.KindMobile, screening.Place{File: fx.name, Row: i + 2, Column: 4}, mob})
	}
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(b.String())
	if err != nil {
		t.Fatal(err)
	}
	fx.data = []byte(gbk)
	return fx
}

// htmlFixture is a published page: a marking in a paragraph of its own, a
// phone in a table cell, an identity number split by bold tags, and digits
// in a script that nobody reads.
func htmlFixture() fixture {
	s := newSynth(5)
	fx := fixture{name: "notice.html", blocking: true}
	mob, id := s.mobile(), s.id()
	fx.data = []byte(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>关于征求意见的公告</title>
<script>var trackingId = "` + s.id() + `";</script><style>.x{}</style></head>
<body>
<p>机密★1年</p>
<p>在不涉及党和国家机密的前提下推行政务公开。</p>
<table><tr><td>联系人</td><td>` + mob + `</td></tr>
<tr><td>身份证</td><td><b>` + id[:6] + `</b>` + id[6:] + `</td></tr></table>
<p>索引号：011043406/2024-00123 统一社会信用代码：` + creditCode + ` 日期：20240915</p>
</body></html>
`)
	fx.planted = []planted{
		{screening.KindMobile, screening.Place{File: fx.name}, mob},
		{screening.KindIDNumber, screening.Place{File: fx.name}, id},
	}
	return fx
}

// textFixture is a plain UTF-8 text file.
func textFixture() fixture {
	s := newSynth(6)
	fx := fixture{name: "notes.txt", blocking: true}
	mob, card := s.mobile(), s.card()
	fx.data = []byte("会议纪要\n\n联系电话 " + mob + "\n退款账户 " + card + "\n文号 随曾政办发〔2024〕3号，索引号 011043406/2024-00077，金额 1380013800.00 元\n")
	fx.planted = []planted{
		{screening.KindMobile, screening.Place{File: fx.name, Line: 3}, mob},
		{screening.KindBankCard, screening.Place{File: fx.name, Line: 4}, card},
	}
	return fx
}

// imageFixture is a map without an approval number, as a PNG carrying an
// eXIf chunk with a GPS position and a text chunk.
func imageFixture(t *testing.T) fixture {
	img := image.NewGray(image.Rect(0, 0, 16, 16))
	for i := range img.Pix {
		img.Pix[i] = uint8(i * 7)
	}
	img.Set(1, 1, color.Gray{Y: 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	// Insert eXIf and tEXt after IHDR (8-byte signature + 25-byte IHDR).
	at := 8 + 25
	extra := append(pngChunk("eXIf", gpsTIFF()), pngChunk("tEXt", []byte("Comment\x00taken at the applicant's home"))...)
	data = slices.Concat(data[:at], extra, data[at:])
	return fixture{name: "district-map.png", data: data, blocking: true}
}

func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// gpsTIFF returns a little-endian TIFF structure with IFD0 (orientation 6
// and a GPS pointer) and a GPS IFD with a latitude and a longitude.
func gpsTIFF() []byte {
	le := binary.LittleEndian
	b := []byte("II*\x00")
	b = le.AppendUint32(b, 8)
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	// IFD0 at 8: 2 entries → 2+24+4 = 30 bytes; GPS IFD at 38.
	b = le.AppendUint16(b, 2)
	b = entry(b, 0x0112, 3, 1, 6)
	b = entry(b, 0x8825, 4, 1, 38)
	b = le.AppendUint32(b, 0)
	// GPS IFD at 38: 4 entries → 2+48+4 = 54 bytes; rationals at 92.
	b = le.AppendUint16(b, 4)
	b = entry(b, 1, 2, 2, uint32('N'))
	b = entry(b, 2, 5, 3, 92)
	b = entry(b, 3, 2, 2, uint32('E'))
	b = entry(b, 4, 5, 3, 116)
	b = le.AppendUint32(b, 0)
	for _, v := range []uint32{31, 1, 41, 1, 4200, 100, 113, 1, 22, 1, 1800, 100} {
		b = le.AppendUint32(b, v)
	}
	return b
}
