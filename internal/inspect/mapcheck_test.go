package inspect_test

import (
	"testing"

	"gongkai/internal/inspect"
	"gongkai/internal/publish"
)

func TestMapImages(t *testing.T) {
	sha := func(c string) string {
		s := ""
		for range 64 {
			s += c
		}
		return s
	}
	items := []inspect.MapSource{
		{ItemID: 1, OrgID: 7, Title: "区划调整公告", Body: `<p><img src="/files/` + sha("a") + `/quhua.png" alt="随州市行政区划图"></p><p>审图号：鄂S(2020)012号</p>` +
			`<p><img src="/files/` + sha("b") + `/photo.jpg" alt="救助站外景"></p>`,
			Attachments: []publish.Attachment{
				{SHA256: sha("c"), Name: "位置示意图.png", ContentType: "image/png"},
				{SHA256: sha("d"), Name: "附件.pdf", ContentType: "application/pdf", IsMap: true},
				{SHA256: sha("e"), Name: "图1.png", ContentType: "image/png", IsMap: true, Caption: "GS(2019)1822号"},
			}},
		{ItemID: 2, OrgID: 7, Title: "又一篇", Attachments: []publish.Attachment{{SHA256: sha("c"), Name: "位置示意图.png", ContentType: "image/png"}}},
	}
	got := inspect.MapImages(items)
	want := map[string]struct {
		missing bool
		uses    int
	}{sha("a"): {false, 1}, sha("c"): {true, 2}, sha("e"): {false, 1}}
	if len(got) != len(want) {
		t.Fatalf("MapImages() found %d images, want %d: %+v", len(got), len(want), got)
	}
	if !got[0].Missing() {
		t.Errorf("images without an approval number are not listed first: %+v", got)
	}
	for _, m := range got {
		w, ok := want[m.Key]
		if !ok {
			t.Errorf("unexpected map image %s (%s)", m.Name, m.Key)
			continue
		}
		if m.Missing() != w.missing || len(m.Uses) != w.uses {
			t.Errorf("%s: missing=%v uses=%d, want %v %d (approval %v)", m.Name, m.Missing(), len(m.Uses), w.missing, w.uses, m.Approval)
		}
	}
}
