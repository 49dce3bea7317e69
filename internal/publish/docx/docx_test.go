package docx_test

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"strings"
	"testing"

	"gongkai/internal/publish"
	"gongkai/internal/publish/docx"
)

func read(t *testing.T, name string) *docx.Doc {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	d, err := docx.Read(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("Read(%s): %v", name, err)
	}
	return d
}

func TestReadNotice(t *testing.T) {
	d := read(t, "notice.docx")
	for _, want := range []string{
		"<h2>关于开展社会救助政策宣传月活动的通知</h2>",
		"<p>各县（市、区）民政局：</p>",
		"<strong>社会救助</strong>", "<em>通知</em>", "（不加粗）</p>",
		"<h3>一、活动内容</h3>",
		"<ul>\n<li>宣传最低生活保障政策</li>\n<li>宣传特困人员救助供养政策</li>\n</ul>",
		"<ol>\n<li>高度重视</li>\n<li>注重实效</li>\n</ol>",
		`<td rowspan="2">县（市、区）</td><td colspan="2">宣传场次</td>`,
		"<tr><td>集中</td><td>入户</td></tr>",
		"<tr><td>曾都区</td><td>3</td><td>12</td></tr>",
		`<a href="http://www.mca.gov.cn/">民政部网站</a>`,
		`<img src="docx-image:0" alt="社会救助政策宣传月标志">`,
		"随州市民政局<br>2026年2月27日",
	} {
		if !strings.Contains(d.HTML, want) {
			t.Errorf("HTML lacks %q; got:\n%s", want, d.HTML)
		}
	}
	for _, not := range []string{"仿宋", "<strong>（不加粗）", "<p></p>"} {
		if strings.Contains(d.HTML, not) {
			t.Errorf("HTML has %q", not)
		}
	}
	if len(d.Images) != 1 || d.Images[0].Name != "image1.png" || d.Images[0].Alt != "社会救助政策宣传月标志" {
		t.Fatalf("Images = %+v", d.Images)
	}
	if _, err := png.Decode(bytes.NewReader(d.Images[0].Data)); err != nil {
		t.Errorf("image is not the PNG in the document: %v", err)
	}
	// The converted body survives our sanitiser with its structure.
	clean, err := publish.Sanitize(strings.ReplaceAll(d.HTML, docx.ImageSrc(0), "/files/x/image1.png"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`rowspan="2"`, `colspan="2"`, "<ol>", `alt="社会救助政策宣传月标志"`} {
		if !strings.Contains(clean, want) {
			t.Errorf("sanitised body lacks %q:\n%s", want, clean)
		}
	}
}

func TestReadMinimal(t *testing.T) {
	d := read(t, "minimal.docx")
	if d.HTML != "<p>仅有一段文字。</p>\n" || len(d.Images) != 0 {
		t.Errorf("Read(minimal.docx) = %q, %d images", d.HTML, len(d.Images))
	}
}

func TestReadRefusesOtherFiles(t *testing.T) {
	for _, b := range [][]byte{[]byte("%PDF-1.7 not a zip"), {}, []byte("PK\x03\x04broken")} {
		if _, err := docx.Read(bytes.NewReader(b), int64(len(b))); !errors.Is(err, docx.ErrNotDocx) {
			t.Errorf("Read(%q) = %v, want ErrNotDocx", b, err)
		}
	}
}

// FuzzRead checks that no file makes the reader panic or hang, and that
// what it returns survives sanitising.
func FuzzRead(f *testing.F) {
	for _, name := range []string{"testdata/notice.docx", "testdata/minimal.docx"} {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := docx.Read(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			return
		}
		if _, err := publish.Sanitize(d.HTML); err != nil {
			t.Fatalf("Sanitize of converted body: %v", err)
		}
	})
}
