package site

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func TestHantConverterTouchesOnlyTextForPeople(t *testing.T) {
	c, err := newHantConverter()
	if err != nil {
		t.Fatal(err)
	}
	in := `<!DOCTYPE html><html lang="zh-CN"><head><title>政务公开</title><style>.发布{color:red}</style></head>` +
		`<body class="发布"><a href="/col/tzgg/" title="通知公告">通知公告</a> <a href="/static/x.css">样式</a> <a href="https://www.gov.cn/发布">外部</a>` +
		`<a href="/" hreflang="zh-Hans" lang="zh-Hans">简体</a><img src="/files/头发.png" alt="头发"><script>var 发布 = "发布";</script>` +
		`<p data-x="这里">这里有十公里，随州市民政局发布了文件。&lt;b&gt;</p><table><tr><td data-label="发布机构">民政局</td></tr></table><form action="/search"><input placeholder="请输入关键词"></form></body></html>`
	out, err := c.Page([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	got := string(out)
	for _, want := range []string{
		`lang="zh-Hant"`, "<title>政務公開</title>", `.发布{color:red}`, `class="发布"`,
		`href="/zh-hant/col/tzgg/"`, `title="通知公告"`, `href="/static/x.css"`, `href="https://www.gov.cn/发布"`,
		`href="/" hreflang="zh-Hans" lang="zh-Hans">简体</a>`, `src="/files/头发.png"`, `alt="頭髮"`, `var 发布 = "发布";`,
		`data-x="这里"`, `data-label="發佈機構"`, "這裏有十公里，隨州市民政局發佈了文件。&lt;b&gt;", `action="/zh-hant/search"`, `placeholder="請輸入關鍵詞"`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("converted page lacks %q\n%s", want, got)
		}
	}
	if strings.Contains(got, "檔案") {
		t.Error("文件 became 檔案: idiom-level conversion used")
	}
}

func BenchmarkHantPage(b *testing.B) {
	c, err := newHantConverter()
	if err != nil {
		b.Fatal(err)
	}
	page := []byte("<html><body>" + strings.Repeat("<p>随州市民政局根据市委、市政府对政府信息工作的要求，结合工作实际，认真做好政务信息公开。<a href=\"/col/tzgg/\">通知公告</a></p>", 200) + "</body></html>")
	b.SetBytes(int64(len(page)))
	for b.Loop() {
		if _, err := c.Page(page); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHantConverterKeepsRecentLongTexts: long texts (body paragraphs)
// are kept for the item's next address, as many as recentMax, oldest out
// first; what is kept is what OpenCC gives.
func TestHantConverterKeepsRecentLongTexts(t *testing.T) {
	c, err := newHantConverter()
	if err != nil {
		t.Fatal(err)
	}
	para := func(i int) string {
		return fmt.Sprintf("第%d段：", i) + strings.Repeat("根据有关规定，民政局发布了这条通知。", 12)
	}
	first := c.convert(para(0))
	if want := c.cc.Convert(para(0)); first != want || !strings.Contains(first, "發佈") {
		t.Fatalf("convert = %.60q, want OpenCC's %.60q", first, want)
	}
	if _, ok := c.recent.m[para(0)]; !ok {
		t.Fatal("a long text was not kept")
	}
	for i := 1; i <= recentMax; i++ {
		c.convert(para(i))
	}
	_, oldest := c.recent.m[para(0)]
	_, newest := c.recent.m[para(recentMax)]
	if oldest || !newest || len(c.recent.m) != recentMax || len(c.recent.keys) != recentMax {
		t.Errorf("after %d more texts: oldest kept %v, newest kept %v, %d kept", recentMax, oldest, newest, len(c.recent.m))
	}
}

// TestHantPageCopiesPlainTagsAsTheTokenWould: copying tags that name no
// attribute Page looks at gives the same page as building every tag's
// token, on rendered pages (testdata/pages) and on tags in other cases.
func TestHantPageCopiesPlainTagsAsTheTokenWould(t *testing.T) {
	c, err := newHantConverter()
	if err != nil {
		t.Fatal(err)
	}
	slow, err := newHantConverter()
	if err != nil {
		t.Fatal(err)
	}
	slow.everyTag = true
	pages := savedPages(t)
	pages["cases"] = []byte(`<HTML LANG="zh-CN"><Body><A HREF="/col/a/">甲</A><IMG SRC="/x.png" ALT="头发">` +
		`<SCRIPT>var 发布;</SCRIPT><Style>p{}</Style><div class="发布" id="后">后来</div><link rel="alternate" href="/feed.xml">` +
		`<p lang="zh-Hans">发布<b>发布</b></p><span aria-label="发布">后</span></Body></HTML>`)
	for name, page := range pages {
		got, err := c.Page(page)
		if err != nil {
			t.Fatal(err)
		}
		want, err := slow.Page(page)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: copying plain tags changed the page:\n%s\nwant\n%s", name, got, want)
		}
	}
	if !plainTag([]byte(`<div class="x">`)) || plainTag([]byte(`<a href="/">`)) || plainTag([]byte(`<SCRIPT>`)) || plainTag([]byte(`<td data-label="甲">`)) {
		t.Error("plainTag misjudged a tag")
	}
}
