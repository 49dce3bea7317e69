// Package inspect holds the rules of a site inspection as the national
// spot check of government websites applies them (REGULATIONS.md §5):
// broken links and attachments, pages with server errors, columns not
// updated in their expected interval, empty columns, images without alt
// text, and interaction left unanswered. Check is a pure function of a
// crawl result; the crawl itself is done by the caller (internal/app).
// The package imports no storage or HTTP package.
package inspect

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Class is a column's update class in the inspection indicators.
type Class string

const (
	// ClassNews is 动态、要闻类: updated within two weeks.
	ClassNews Class = "news"
	// ClassNotice is 通知公告、政策文件类: updated within six months.
	ClassNotice Class = "notice"
	// ClassOther has no interval unless the column sets one.
	ClassOther Class = "other"
)

// ClassOf classifies a column by its name, as an inspector reads it.
func ClassOf(name string) Class {
	for _, w := range []string{"动态", "要闻", "新闻", "工作信息"} {
		if strings.Contains(name, w) {
			return ClassNews
		}
	}
	for _, w := range []string{"通知", "公告", "政策", "文件"} {
		if strings.Contains(name, w) {
			return ClassNotice
		}
	}
	return ClassOther
}

// Kind names a kind of problem.
type Kind string

const (
	KindBrokenLink         Kind = "broken_link"         // an internal link or attachment that does not answer
	KindServerError        Kind = "server_error"        // a page answering with a server error
	KindBrokenExternal     Kind = "broken_external"     // a link to another site that does not answer
	KindStaleColumn        Kind = "stale_column"        // not updated within its interval
	KindEmptyColumn        Kind = "empty_column"        // a list column with nothing in it
	KindStaleHome          Kind = "stale_home"          // nothing new on the home page for two weeks
	KindMissingAlt         Kind = "missing_alt"         // an image without alt text
	KindStaleMessage       Kind = "stale_message"       // a message unanswered for three months
	KindOverdueMessage     Kind = "overdue_message"     // a message past its reply deadline
	KindOverdueApplication Kind = "overdue_application" // an application past its reply deadline
)

// Label is the kind's name in Chinese.
func (k Kind) Label() string {
	switch k {
	case KindBrokenLink:
		return "错误链接"
	case KindServerError:
		return "页面服务器错误"
	case KindBrokenExternal:
		return "外部链接不可用"
	case KindStaleColumn:
		return "栏目不更新"
	case KindEmptyColumn:
		return "空白栏目"
	case KindStaleHome:
		return "首页不更新"
	case KindMissingAlt:
		return "图片缺少替代文字"
	case KindStaleMessage:
		return "留言超过三个月未答复"
	case KindOverdueMessage:
		return "留言超期未答复"
	case KindOverdueApplication:
		return "依申请公开超期未答复"
	}
	return string(k)
}

// Page is one fetched page or file of the site.
type Page struct {
	URL    string // path on the site, or the outside address
	Status int    // HTTP status; 0 when the request failed
	Err    string // why the request failed, for outside links
	From   string // a page that links here ("" for the start page)
	// Images lists the page's images; only HTML pages have them.
	Images []Image
	// External is an address on another site.
	External bool
}

// Image is an <img> on a page.
type Image struct {
	Src    string
	Alt    string
	HasAlt bool // the alt attribute is present (alt="" marks decoration)
}

// Column is a column of the site with what the inspection needs.
type Column struct {
	Name, URL string
	// List is true for columns that list items (the only ones that can be
	// empty or stale).
	List bool
	// UpdateDays is the column's own interval; 0 takes the class default.
	UpdateDays int
	Items      int       // published items
	Latest     time.Time // the newest item's publication time; zero when none
}

// Crawl is what a crawl of one org's site found.
type Crawl struct {
	Org   string    // the org's name
	Start string    // the start address
	At    time.Time // when the crawl ran
	Pages []Page
	// Columns are the org's visible columns.
	Columns []Column
	// HomeLatest is the newest publication shown on the home page.
	HomeLatest time.Time
	// StaleMessages, OverdueMessages and OverdueApplications are counts
	// from the interaction and application registers as of At.
	StaleMessages, OverdueMessages, OverdueApplications int
}

// Problem is one thing the inspection found.
type Problem struct {
	Kind   Kind   `json:"kind"`
	Where  string `json:"where"`  // address or column
	Detail string `json:"detail"` // in Chinese
	Veto   bool   `json:"veto"`   // by itself enough to fail the site (单项否决)
}

// Veto is a single-veto rule that the site breaks.
type Veto struct {
	Rule   string `json:"rule"` // the indicator, as §5.2 names it
	Detail string `json:"detail"`
}

// Report is the inspection's result.
type Report struct {
	Pages    int
	Problems []Problem
	Vetoes   []Veto
}

// Failed reports whether a single-veto rule is broken: the site would be
// judged 不合格 in a national spot check.
func (r Report) Failed() bool { return len(r.Vetoes) > 0 }

// Counts returns the number of problems per kind.
func (r Report) Counts() map[Kind]int {
	m := map[Kind]int{}
	for _, p := range r.Problems {
		m[p.Kind]++
	}
	return m
}

const (
	newsDays     = 14 // 动态、要闻类 and the home page: two weeks
	noticeMonths = 6  // 通知公告、政策文件类: six months
)

// interval returns when a column must have been updated last, as of now,
// and whether it has an interval at all.
func interval(c Column, now time.Time) (time.Time, Class, bool) {
	if c.UpdateDays > 0 {
		return now.AddDate(0, 0, -c.UpdateDays), ClassOf(c.Name), true
	}
	switch cl := ClassOf(c.Name); cl {
	case ClassNews:
		return now.AddDate(0, 0, -newsDays), cl, true
	case ClassNotice:
		return now.AddDate(0, -noticeMonths, 0), cl, true
	default:
		return time.Time{}, cl, false
	}
}

// Check applies the rules to a crawl as of now.
//
// 政府网站与政务新媒体检查指标 (国办秘函〔2019〕19号, REGULATIONS.md §5.2),
// single-veto items: 首页不更新 — nothing new on the home page in two weeks;
// 栏目不更新 — five or more 动态、要闻 (two weeks) or 通知公告、政策文件 (six
// months) columns not updated, or ten or more columns not updated within
// their interval, or five or more empty columns; 互动回应差 — messages
// unanswered for more than three months. Broken links, server errors and
// missing alt text are deductions, not vetoes.
func Check(c Crawl, now time.Time) Report {
	r := Report{}
	for _, p := range c.Pages {
		if !p.External {
			r.Pages++
		}
		switch {
		case p.External && (p.Status == 0 || p.Status >= 400):
			r.Problems = append(r.Problems, Problem{Kind: KindBrokenExternal, Where: p.URL, Detail: failure(p)})
		case !p.External && p.Status >= 500:
			r.Problems = append(r.Problems, Problem{Kind: KindServerError, Where: p.URL, Detail: failure(p)})
		case !p.External && (p.Status == 0 || p.Status >= 400):
			r.Problems = append(r.Problems, Problem{Kind: KindBrokenLink, Where: p.URL, Detail: failure(p)})
		}
		for _, img := range p.Images {
			if !img.HasAlt {
				r.Problems = append(r.Problems, Problem{Kind: KindMissingAlt, Where: p.URL, Detail: "图片 " + img.Src + " 没有 alt 属性"})
			}
		}
	}
	var staleClassed, staleAll, empty int
	for _, col := range c.Columns {
		if !col.List {
			continue
		}
		if col.Items == 0 {
			empty++
			r.Problems = append(r.Problems, Problem{Kind: KindEmptyColumn, Where: col.URL, Detail: "栏目“" + col.Name + "”没有任何信息"})
			continue
		}
		since, class, ok := interval(col, now)
		if !ok || !col.Latest.Before(since) {
			continue
		}
		staleAll++
		if class != ClassOther {
			staleClassed++
		}
		r.Problems = append(r.Problems, Problem{Kind: KindStaleColumn, Where: col.URL,
			Detail: fmt.Sprintf("栏目“%s”最近一次更新在 %s，应在 %s 之后更新", col.Name, day(col.Latest), day(since))})
	}
	if since := now.AddDate(0, 0, -newsDays); c.HomeLatest.Before(since) {
		d := "首页两周内没有新发布的信息"
		if !c.HomeLatest.IsZero() {
			d += "（最近一次 " + day(c.HomeLatest) + "）"
		}
		r.Problems = append(r.Problems, Problem{Kind: KindStaleHome, Where: c.Start, Detail: d, Veto: true})
		r.Vetoes = append(r.Vetoes, Veto{Rule: "首页不更新", Detail: d})
	}
	switch {
	case staleClassed >= 5:
		r.Vetoes = append(r.Vetoes, Veto{Rule: "栏目不更新", Detail: fmt.Sprintf("%d 个动态要闻类或通知公告、政策文件类栏目未按期更新（5 个即否决）", staleClassed)})
	case staleAll >= 10:
		r.Vetoes = append(r.Vetoes, Veto{Rule: "栏目不更新", Detail: fmt.Sprintf("%d 个栏目应更新而未更新（10 个即否决）", staleAll)})
	}
	if empty >= 5 {
		r.Vetoes = append(r.Vetoes, Veto{Rule: "栏目不更新", Detail: fmt.Sprintf("%d 个空白栏目（5 个即否决）", empty)})
	}
	if c.StaleMessages > 0 {
		d := fmt.Sprintf("%d 条留言超过三个月未答复", c.StaleMessages)
		r.Problems = append(r.Problems, Problem{Kind: KindStaleMessage, Where: "公众互动", Detail: d, Veto: true})
		r.Vetoes = append(r.Vetoes, Veto{Rule: "互动回应差", Detail: d})
	}
	if c.OverdueMessages > 0 {
		r.Problems = append(r.Problems, Problem{Kind: KindOverdueMessage, Where: "公众互动", Detail: fmt.Sprintf("%d 条留言已超过答复期限", c.OverdueMessages)})
	}
	if c.OverdueApplications > 0 {
		r.Problems = append(r.Problems, Problem{Kind: KindOverdueApplication, Where: "依申请公开", Detail: fmt.Sprintf("%d 件申请已超过答复期限", c.OverdueApplications)})
	}
	slices.SortStableFunc(r.Problems, func(a, b Problem) int {
		if a.Veto != b.Veto {
			if a.Veto {
				return -1
			}
			return 1
		}
		return strings.Compare(string(a.Kind), string(b.Kind))
	})
	return r
}

func failure(p Page) string {
	s := "无法访问"
	if p.Status > 0 {
		s = fmt.Sprintf("返回 HTTP %d", p.Status)
	} else if p.Err != "" {
		s += "：" + p.Err
	}
	if p.From != "" {
		s += "（链接所在页面 " + p.From + "）"
	}
	return s
}

func day(t time.Time) string {
	if t.IsZero() {
		return "（从未）"
	}
	return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
}

// RunState is where an inspection run is.
type RunState string

const (
	RunRunning RunState = "running"
	RunDone    RunState = "done"
	RunFailed  RunState = "failed"
)

// Label is the state's name in Chinese.
func (s RunState) Label() string {
	switch s {
	case RunRunning:
		return "检查中"
	case RunDone:
		return "已完成"
	case RunFailed:
		return "检查失败"
	}
	return string(s)
}

// JobRun is the background job that carries out one inspection run; its
// payload is RunPayload.
const JobRun = "inspect.run"

// RunPayload is the payload of JobRun.
type RunPayload struct {
	RunID int64 `json:"run_id"`
}

// Run is one inspection of an org's site, kept with its problems so the
// history shows how the site fared.
type Run struct {
	ID         int64
	OrgID      int64
	State      RunState
	Cause      string // "manual" or "scheduled"
	StartedBy  int64
	StartedAt  time.Time
	FinishedAt time.Time
	Done       int // pages fetched so far
	Known      int // pages known so far
	Pages      int
	Problems   int
	Vetoed     bool
	Vetoes     []string // the broken single-veto rules with their detail
	Error      string
}

// Percent is the run's progress, for the progress bar.
func (r Run) Percent() int {
	if r.State != RunRunning {
		return 100
	}
	if r.Known == 0 {
		return 0
	}
	return r.Done * 100 / r.Known
}
