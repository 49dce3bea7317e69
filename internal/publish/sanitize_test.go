package publish_test

import (
	"os"
	"strings"
	"testing"

	"gongkai/internal/apperr"
	"gongkai/internal/publish"
)

func TestSanitizeWordPaste(t *testing.T) {
	tests := []struct {
		file     string
		contains []string
		not      []string
	}{
		{
			file: "testdata/word-paste.html",
			contains: []string{
				"<h2>关于开展2026年度社会救助政策宣传月活动的通知</h2>",
				"<p>各县（市、区）民政局：</p>",
				"<b>社会救助</b>", "<i>通知</i>",
				"<li>宣传最低生活保障政策</li>",
				`<td rowspan="2">`, `<td colspan="2">`, "曾都区",
				`<a href="http://www.mca.gov.cn/" rel="nofollow">民政部网站</a>`, "（外部链接）",
				`alt="宣传月标志"`,
			},
			not: []string{"mso-", "style=", "<span", "<font", "o:p", "MsoNormal", "class=", "<script", "alert", "onclick",
				"font-family", "<p></p>", "<p>\u00a0</p>", "@font-face", "<h1", "v:shapes", "<!--"},
		},
		{
			file:     "testdata/wps-paste.html",
			contains: []string{"<p>随州市民政局关于公布养老机构名录的公告</p>", "<h2>一、名录</h2>", "<th>机构名称</th>", "<td>随州市社会福利院</td>"},
			not:      []string{"mso-", "style=", "<span", "<font", "wps-span", "<p></p>", "Times New Roman"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in, err := os.ReadFile(tt.file)
			if err != nil {
				t.Fatal(err)
			}
			got, err := publish.Sanitize(string(in))
			if err != nil {
				t.Fatalf("Sanitize: %v", err)
			}
			for _, w := range tt.contains {
				if !strings.Contains(got, w) {
					t.Errorf("Sanitize(%s) lacks %q; got:\n%s", tt.file, w, got)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(got, n) {
					t.Errorf("Sanitize(%s) keeps %q; got:\n%s", tt.file, n, got)
				}
			}
		})
	}
}

func TestSanitize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain text becomes paragraphs", "第一段\r\n\r\n第二段 1<2 且 3>2 不是标签", "<p>第一段</p>\n<p>第二段 1&lt;2 且 3&gt;2 不是标签</p>\n"},
		{"script only sanitises to nothing", "<script>alert(1)</script>", ""},
		{"empty spans and nbsp vanish", "<p><span>&nbsp;</span></p><p><span style='x'></span></p>", ""},
		{"javascript links lose their href", `<p><a href="javascript:alert(1)">点</a></p>`, "<p>点</p>"},
		{"event handlers go", `<p onclick="x()">文字</p>`, "<p>文字</p>"},
		{"iframes go", `<p>前</p><iframe src="http://x"></iframe>`, "<p>前</p>"},
		{"data URLs in images go", `<p><img src="data:image/png;base64,AAAA" alt="图"></p>`, `<p><img alt="图"/></p>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := publish.Sanitize(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Sanitize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func validDraft() publish.Draft {
	return publish.Draft{Title: "关于开展社会救助政策宣传月活动的通知", Body: "<p>正文</p>", ColumnID: 5, Issuer: "随州市民政局",
		Topic: "民政、扶贫、救灾", Genre: "通知", WrittenDate: "2026-02-27", FormedDate: "2026-02-27", Disclosure: publish.DiscloseProactive}
}

func TestDraftApply(t *testing.T) {
	topics := publish.DefaultTopics()
	tests := []struct {
		name     string
		edit     func(d *publish.Draft)
		isUpdate bool
		field    string // "" means valid
	}{
		{name: "valid draft", edit: func(d *publish.Draft) {}},
		{name: "title required", edit: func(d *publish.Draft) { d.Title = "  " }, field: "title"},
		{name: "title too long", edit: func(d *publish.Draft) { d.Title = strings.Repeat("长", 201) }, field: "title"},
		{name: "body required", edit: func(d *publish.Draft) { d.Body = "" }, field: "body"},
		{name: "body sanitising to nothing", edit: func(d *publish.Draft) { d.Body = "<script>x</script><span></span>" }, field: "body"},
		{name: "image without alt", edit: func(d *publish.Draft) { d.Body = `<p><img src="/a.png"></p>` }, field: "body"},
		{name: "column required", edit: func(d *publish.Draft) { d.ColumnID = 0 }, field: "column_id"},
		{name: "issuer required", edit: func(d *publish.Draft) { d.Issuer = "" }, field: "issuer"},
		{name: "topic from the list", edit: func(d *publish.Draft) { d.Topic = "自创分类" }, field: "topic"},
		{name: "genre from the list", edit: func(d *publish.Draft) { d.Genre = "散文" }, field: "genre"},
		{name: "written date format", edit: func(d *publish.Draft) { d.WrittenDate = "2026/02/27" }, field: "written_date"},
		{name: "written date required", edit: func(d *publish.Draft) { d.WrittenDate = "" }, field: "written_date"},
		{name: "formed date required for Art. 26", edit: func(d *publish.Draft) { d.FormedDate = "" }, field: "formed_date"},
		{name: "disclosure mode required", edit: func(d *publish.Draft) { d.Disclosure = "" }, field: "disclosure"},
		{name: "update needs a change note", edit: func(d *publish.Draft) {}, isUpdate: true, field: "change_note"},
		{name: "update with a change note", edit: func(d *publish.Draft) { d.ChangeNote = "更正联系电话" }, isUpdate: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDraft()
			tt.edit(&d)
			v := &publish.Version{Title: "旧标题"}
			err := d.Apply(v, topics, tt.isUpdate)
			if tt.field == "" {
				if err != nil {
					t.Fatalf("Apply() = %v, want nil", err)
				}
				if v.Title != strings.TrimSpace(d.Title) || v.WrittenDate.String() != "2026-02-27" {
					t.Errorf("Apply() did not copy the draft: %+v", v)
				}
				return
			}
			inv, ok := apperr.AsInvalid(err)
			if !ok || inv.Fields[tt.field] == "" {
				t.Fatalf("Apply() = %v, want a message for %s", err, tt.field)
			}
			if v.Title != "旧标题" {
				t.Errorf("Apply() changed the version although it failed")
			}
		})
	}
}

func TestPlainText(t *testing.T) {
	got := publish.PlainText("<h2>标题</h2><p>第一段<b>加粗</b></p><table><tr><td>甲</td><td>乙</td></tr></table><p><img src=\"/x\" alt=\"图一\"></p>")
	want := "标题\n第一段加粗\n甲\t乙\n[图片：图一]"
	if got != want {
		t.Errorf("PlainText() = %q, want %q", got, want)
	}
}
