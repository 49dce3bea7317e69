package workday

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gongkai/internal/apperr"
)

// Bounds on the years a calendar accepts; they catch typing mistakes, not
// rules of law.
const (
	MinYear = 2000
	MaxYear = 2999
)

// carryFrom is the first day of December of the year before that a year's
// notice may list. The New Year break can begin, and its make-up day fall, in
// the last days of December (the 2019 notice: "2018年12月30日至2019年1月1日放假
// 调休，共3天。2018年12月29日（星期六）上班"), so the last week of December is
// left open until the next year's notice is known.
const carryFrom = 25

// Notice is a State Council notice that a year's schedule comes from.
type Notice struct {
	// Title is the notice's title, such as
	// 国务院办公厅关于2024年部分节假日安排的通知. Required.
	Title string `json:"title"`
	// DocNo is the document number (发文字号), such as 国办发明电〔2023〕7号;
	// empty when not known.
	DocNo string `json:"doc_no,omitempty"`
	// Published is the day the notice was published; zero when not known.
	Published Date `json:"published,omitzero"`
	// URL is where the notice is published, normally on www.gov.cn; empty
	// when not known.
	URL string `json:"url,omitempty"`
}

// Year is one year's official holiday schedule: the days off (放假) and the
// make-up working days (调休上班) that the State Council notice for that year
// announces, and where they were taken from.
//
// A Year is plain data; Validate checks it, and New and WithYear refuse a
// Year that does not pass. Holidays and Makeup may list days of the last week
// of December of the year before (see carryFrom); they need not be sorted.
type Year struct {
	// Year is the year the notice is for.
	Year int `json:"year"`
	// Notices are the yearly notice and any later notice that changed it
	// (the 2019 Labour Day change, the 2020 Spring Festival extension), in
	// the order they were published. At least one.
	Notices []Notice `json:"notices"`
	// Secondary is true when the day lists were taken from a secondary
	// source (another program's data) rather than checked against the
	// notice text.
	Secondary bool `json:"secondary"`
	// Origin says where the day lists were taken from, for maintainers.
	Origin string `json:"origin,omitempty"`
	// Holidays are the days off announced (放假), weekends included when
	// the notice names them.
	Holidays []Date `json:"holidays"`
	// Makeup are the weekend days announced as working days (调休上班).
	Makeup []Date `json:"makeup"`
}

// Validate reports whether y is a usable schedule. It returns nil or an
// *apperr.Invalid whose fields are "year", "holidays", "makeup" and, for the
// i-th notice, "notices.i.title", "notices.i.url" and "notices.i.published",
// with messages in Simplified Chinese. It checks that every date lies in the
// year (or its last week of December before), that no date is listed twice
// or both as a day off and as a make-up working day, and that every make-up
// working day is a Saturday or a Sunday.
func (y Year) Validate() error {
	return y.problems().err()
}

func (y Year) problems() problems {
	p := problems{}
	if y.Year < MinYear || y.Year > MaxYear {
		p.add("year", "年份应在%d年至%d年之间", MinYear, MaxYear)
	}
	if len(y.Notices) == 0 {
		p.add("notices.0.title", "请填写通知标题")
	}
	for i, n := range y.Notices {
		if strings.TrimSpace(n.Title) == "" {
			p.add(fmt.Sprintf("notices.%d.title", i), "请填写通知标题")
		}
		if n.URL != "" && !isWebURL(n.URL) {
			p.add(fmt.Sprintf("notices.%d.url", i), "通知网址应以 http:// 或 https:// 开头")
		}
		if !n.Published.IsZero() && n.Published.Year() > y.Year && p["year"] == nil {
			p.add(fmt.Sprintf("notices.%d.published", i), "发布日期不应晚于%d年12月31日", y.Year)
		}
	}
	if len(y.Holidays) == 0 {
		p.add("holidays", "请至少填写一个放假日期")
	}
	holiday := map[Date]bool{}
	for _, d := range y.Holidays {
		if p.checkDay("holidays", y.Year, d, holiday) {
			holiday[d] = true
		}
	}
	makeup := map[Date]bool{}
	for _, d := range y.Makeup {
		if !p.checkDay("makeup", y.Year, d, makeup) {
			continue
		}
		makeup[d] = true
		if holiday[d] {
			p.add("makeup", "%s同时列为放假日期和调休上班日期", d)
		} else if !d.isWeekend() {
			p.add("makeup", "%s是%s，调休上班日应为星期六或星期日", d, weekdayNames[d.Weekday()])
		}
	}
	return p
}

// checkDay records a problem with d in field and reports whether d is fit to
// be checked further.
func (p problems) checkDay(field string, year int, d Date, seen map[Date]bool) bool {
	switch {
	case d.IsZero():
		p.add(field, "日期不能为空")
		return false
	case seen[d]:
		p.add(field, "%s重复", d)
		return false
	case year >= MinYear && year <= MaxYear && !inNoticeYear(year, d):
		p.add(field, "%s不在%d年内（上一年只可填写12月%d日至31日）", d, year, carryFrom)
		return false
	}
	return true
}

// inNoticeYear reports whether the notice for year may list d.
func inNoticeYear(year int, d Date) bool {
	return d.Year() == year || (d.Year() == year-1 && d.Month() == time.December && d.Day() >= carryFrom)
}

var weekdayNames = [...]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

func isWebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// NoticeInput is a notice as an administrator types it into a form.
type NoticeInput struct {
	Title     string
	DocNo     string
	Published string // YYYY-MM-DD or empty
	URL       string
}

// YearInput is a year's schedule as an administrator types it into a form.
// Holidays and Makeup list dates written YYYY-MM-DD, separated by spaces,
// new lines, commas or 、; "2025-01-28..2025-02-04" (or with 至 or ~ between
// the dates) stands for every day from the first to the last, at most 31
// days.
type YearInput struct {
	Year     string
	Notices  []NoticeInput
	Holidays string
	Makeup   string
}

// ParseYear reads and checks a year's schedule typed by an administrator.
// It returns the Year, with dates sorted, or an *apperr.Invalid with the
// fields described at Year.Validate and a message in Simplified Chinese for
// each field that is wrong. The returned Year has Secondary false and no
// Origin; the caller may record who entered it there.
func ParseYear(in YearInput) (Year, error) {
	parse := problems{}
	var y Year
	if n, err := strconv.Atoi(strings.TrimSpace(in.Year)); err != nil {
		parse.add("year", "年份应写作四位数字，如2027")
	} else {
		y.Year = n
	}
	for i, ni := range in.Notices {
		n := Notice{
			Title: strings.TrimSpace(ni.Title),
			DocNo: strings.TrimSpace(ni.DocNo),
			URL:   strings.TrimSpace(ni.URL),
		}
		if s := strings.TrimSpace(ni.Published); s != "" {
			d, err := Parse(s)
			if err != nil {
				parse.add(fmt.Sprintf("notices.%d.published", i), "日期应写作YYYY-MM-DD，如2024-01-31")
			}
			n.Published = d
		}
		y.Notices = append(y.Notices, n)
	}
	y.Holidays = parse.dateList("holidays", in.Holidays)
	y.Makeup = parse.dateList("makeup", in.Makeup)
	sortDates(y.Holidays)
	sortDates(y.Makeup)

	// A field that did not parse keeps its parse message; checks of the
	// rest would only repeat it less clearly.
	for field, msgs := range y.problems() {
		if parse[field] == nil {
			parse[field] = msgs
		}
	}
	if err := parse.err(); err != nil {
		return Year{}, err
	}
	return y, nil
}

// rangeSep matches the ways of writing "from … to" between two dates.
var rangeSep = regexp.MustCompile(`\s*(\.\.|至|~|～)\s*`)

// maxRange is the longest run of days one range may stand for; the longest
// break so far is 9 days, and a cap keeps a typing mistake from listing years.
const maxRange = 31

// dateList parses a list of dates and ranges, recording problems in field.
func (p problems) dateList(field, s string) []Date {
	s = rangeSep.ReplaceAllString(s, "..")
	tokens := strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",，、;；", r)
	})
	var out []Date
	for _, tok := range tokens {
		first, last, isRange := strings.Cut(tok, "..")
		a, errA := Parse(first)
		b := a
		var errB error
		if isRange {
			b, errB = Parse(last)
		}
		switch {
		case errA != nil || errB != nil:
			p.add(field, "无法识别“%s”，日期应写作YYYY-MM-DD，如2024-01-31", tok)
		case b.Before(a):
			p.add(field, "“%s”的结束日期早于开始日期", tok)
		case b.Time().Sub(a.Time()) >= maxRange*24*time.Hour:
			p.add(field, "“%s”超过%d天，请分段填写", tok, maxRange)
		default:
			for d := a; !d.After(b); d = d.AddDays(1) {
				out = append(out, d)
			}
		}
	}
	return out
}

// problems collects messages per form field.
type problems map[string][]string

func (p problems) add(field, format string, args ...any) {
	p[field] = append(p[field], fmt.Sprintf(format, args...))
}

// err returns an *apperr.Invalid holding every message, or nil.
func (p problems) err() error {
	inv := &apperr.Invalid{}
	for field, msgs := range p {
		inv.Add(field, strings.Join(msgs, "；"))
	}
	return inv.Err()
}

func sortDates(ds []Date) {
	slices.SortFunc(ds, Date.Compare)
}
