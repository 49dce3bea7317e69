package inspect_test

import (
	"fmt"
	"testing"
	"time"

	"gongkai/internal/inspect"
)

var now = time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)

func days(n int) time.Time { return now.AddDate(0, 0, -n) }

// columns returns n list columns named name-i, last updated at latest.
func columns(n int, name string, items int, latest time.Time) []inspect.Column {
	var out []inspect.Column
	for i := range n {
		out = append(out, inspect.Column{Name: fmt.Sprintf("%s%d", name, i), URL: fmt.Sprintf("/col/%s%d", name, i), List: true, Items: items, Latest: latest})
	}
	return out
}

func TestCheck(t *testing.T) {
	tests := []struct {
		name      string
		crawl     inspect.Crawl
		wantKinds map[inspect.Kind]int
		wantVetos []string
	}{
		{name: "clean site", crawl: inspect.Crawl{HomeLatest: days(1), Pages: []inspect.Page{{URL: "/", Status: 200}},
			Columns: columns(3, "工作动态", 4, days(3))}},
		{name: "news column older than two weeks is stale", crawl: inspect.Crawl{HomeLatest: days(1), Columns: columns(1, "工作动态", 4, days(15))},
			wantKinds: map[inspect.Kind]int{inspect.KindStaleColumn: 1}},
		{name: "notice column within six months is fresh", crawl: inspect.Crawl{HomeLatest: days(1), Columns: columns(1, "通知公告", 4, days(170))}},
		{name: "notice column older than six months is stale", crawl: inspect.Crawl{HomeLatest: days(1), Columns: columns(1, "政策文件", 4, days(190))},
			wantKinds: map[inspect.Kind]int{inspect.KindStaleColumn: 1}},
		{name: "column's own interval wins", crawl: inspect.Crawl{HomeLatest: days(1), Columns: []inspect.Column{{Name: "工作动态", List: true, Items: 1, Latest: days(20), UpdateDays: 30}}}},
		{name: "other columns have no default interval", crawl: inspect.Crawl{HomeLatest: days(1), Columns: columns(1, "机构职能", 1, days(900))}},
		{name: "five stale news columns veto", crawl: inspect.Crawl{HomeLatest: days(1), Columns: columns(5, "要闻", 1, days(30))},
			wantKinds: map[inspect.Kind]int{inspect.KindStaleColumn: 5}, wantVetos: []string{"栏目不更新"}},
		{name: "four stale news columns do not veto", crawl: inspect.Crawl{HomeLatest: days(1), Columns: columns(4, "要闻", 1, days(30))},
			wantKinds: map[inspect.Kind]int{inspect.KindStaleColumn: 4}},
		{name: "ten stale columns of their own interval veto", crawl: inspect.Crawl{HomeLatest: days(1), Columns: func() []inspect.Column {
			cs := columns(10, "专题", 1, days(40))
			for i := range cs {
				cs[i].UpdateDays = 30
			}
			return cs
		}()}, wantKinds: map[inspect.Kind]int{inspect.KindStaleColumn: 10}, wantVetos: []string{"栏目不更新"}},
		{name: "five empty columns veto", crawl: inspect.Crawl{HomeLatest: days(1), Columns: columns(5, "栏目", 0, time.Time{})},
			wantKinds: map[inspect.Kind]int{inspect.KindEmptyColumn: 5}, wantVetos: []string{"栏目不更新"}},
		{name: "pages that are not lists are never empty", crawl: inspect.Crawl{HomeLatest: days(1), Columns: []inspect.Column{{Name: "机构职能"}}}},
		{name: "home page without news for two weeks vetoes", crawl: inspect.Crawl{HomeLatest: days(15)},
			wantKinds: map[inspect.Kind]int{inspect.KindStaleHome: 1}, wantVetos: []string{"首页不更新"}},
		{name: "a message unanswered for three months vetoes", crawl: inspect.Crawl{HomeLatest: days(1), StaleMessages: 1, OverdueMessages: 2, OverdueApplications: 1},
			wantKinds: map[inspect.Kind]int{inspect.KindStaleMessage: 1, inspect.KindOverdueMessage: 1, inspect.KindOverdueApplication: 1}, wantVetos: []string{"互动回应差"}},
		{name: "broken links, server errors, outside links and images", crawl: inspect.Crawl{HomeLatest: days(1), Pages: []inspect.Page{
			{URL: "/", Status: 200, Images: []inspect.Image{{Src: "/a.png"}, {Src: "/b.png", HasAlt: true}}},
			{URL: "/item/9", Status: 404, From: "/"},
			{URL: "/col/x", Status: 500, From: "/"},
			{URL: "https://example.cn/x", External: true, Status: 0, Err: "超时"},
			{URL: "https://example.cn/y", External: true, Status: 200},
		}}, wantKinds: map[inspect.Kind]int{inspect.KindBrokenLink: 1, inspect.KindServerError: 1, inspect.KindBrokenExternal: 1, inspect.KindMissingAlt: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := inspect.Check(tt.crawl, now)
			got := r.Counts()
			if len(got) != len(tt.wantKinds) {
				t.Errorf("Check() kinds = %v, want %v", got, tt.wantKinds)
			}
			for k, n := range tt.wantKinds {
				if got[k] != n {
					t.Errorf("Check() %s = %d, want %d (all %v)", k, got[k], n, got)
				}
			}
			var vetoes []string
			for _, v := range r.Vetoes {
				vetoes = append(vetoes, v.Rule)
			}
			if fmt.Sprint(vetoes) != fmt.Sprint(tt.wantVetos) && !(len(vetoes) == 0 && len(tt.wantVetos) == 0) {
				t.Errorf("Check() vetoes = %v, want %v", vetoes, tt.wantVetos)
			}
			if r.Failed() != (len(tt.wantVetos) > 0) {
				t.Errorf("Failed() = %v", r.Failed())
			}
		})
	}
}

func TestClassOf(t *testing.T) {
	for name, want := range map[string]inspect.Class{"工作动态": inspect.ClassNews, "民政要闻": inspect.ClassNews, "通知公告": inspect.ClassNotice,
		"政策文件": inspect.ClassNotice, "机构职能": inspect.ClassOther} {
		if got := inspect.ClassOf(name); got != want {
			t.Errorf("ClassOf(%s) = %s, want %s", name, got, want)
		}
	}
}
