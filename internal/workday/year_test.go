package workday_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/apperr"
	"gongkai/internal/workday"
)

// validInput is the 2026 notice as an administrator might type it.
func validInput() workday.YearInput {
	return workday.YearInput{
		Year: " 2026 ",
		Notices: []workday.NoticeInput{{
			Title:     "国务院办公厅关于2026年部分节假日安排的通知",
			Published: "2025-11-04",
			URL:       "https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm",
		}},
		Holidays: "2026-01-01..2026-01-03\n2026-02-15 至 2026-02-23，2026-04-04~2026-04-06、2026-05-01..2026-05-05\n" +
			"2026-06-19..2026-06-21 2026-09-25..2026-09-27 2026-10-01..2026-10-07",
		Makeup: "2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10",
	}
}

func TestParseYear(t *testing.T) {
	got, err := workday.ParseYear(validInput())
	if err != nil {
		t.Fatalf("ParseYear error = %v", err)
	}
	want, _ := workday.Embedded().Year(2026)
	want.Origin, want.Secondary = "", false
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ParseYear (-want +got):\n%s", diff)
	}
}

func TestParseYearRejects(t *testing.T) {
	tests := []struct {
		name      string
		edit      func(in *workday.YearInput)
		wantField string
		wantMsg   string
	}{
		{
			name:      "year not a number",
			edit:      func(in *workday.YearInput) { in.Year = "二〇二六" },
			wantField: "year", wantMsg: "四位数字",
		},
		{
			name:      "year out of range",
			edit:      func(in *workday.YearInput) { in.Year = "20026" },
			wantField: "year", wantMsg: "2000年至2999年",
		},
		{
			name:      "date outside the year",
			edit:      func(in *workday.YearInput) { in.Holidays += " 2027-01-01" },
			wantField: "holidays", wantMsg: "2027-01-01不在2026年内",
		},
		{
			name:      "previous year before its last week",
			edit:      func(in *workday.YearInput) { in.Makeup += " 2025-12-20" },
			wantField: "makeup", wantMsg: "2025-12-20不在2026年内",
		},
		{
			name:      "date both day off and make-up day",
			edit:      func(in *workday.YearInput) { in.Makeup += " 2026-02-21" },
			wantField: "makeup", wantMsg: "2026-02-21同时列为放假日期和调休上班日期",
		},
		{
			name:      "make-up day on a weekday",
			edit:      func(in *workday.YearInput) { in.Makeup += " 2026-03-02" },
			wantField: "makeup", wantMsg: "2026-03-02是星期一，调休上班日应为星期六或星期日",
		},
		{
			name:      "date listed twice",
			edit:      func(in *workday.YearInput) { in.Holidays += " 2026-01-02" },
			wantField: "holidays", wantMsg: "2026-01-02重复",
		},
		{
			name:      "unreadable date",
			edit:      func(in *workday.YearInput) { in.Holidays += " 2026年1月1日" },
			wantField: "holidays", wantMsg: "无法识别“2026年1月1日”",
		},
		{
			name:      "range backwards",
			edit:      func(in *workday.YearInput) { in.Holidays = "2026-01-03..2026-01-01" },
			wantField: "holidays", wantMsg: "结束日期早于开始日期",
		},
		{
			name:      "range too long",
			edit:      func(in *workday.YearInput) { in.Holidays = "2026-01-01..2026-12-31" },
			wantField: "holidays", wantMsg: "超过31天",
		},
		{
			name:      "no days off",
			edit:      func(in *workday.YearInput) { in.Holidays = " " },
			wantField: "holidays", wantMsg: "请至少填写一个放假日期",
		},
		{
			name:      "no notice",
			edit:      func(in *workday.YearInput) { in.Notices = nil },
			wantField: "notices.0.title", wantMsg: "请填写通知标题",
		},
		{
			name:      "empty title",
			edit:      func(in *workday.YearInput) { in.Notices[0].Title = "  " },
			wantField: "notices.0.title", wantMsg: "请填写通知标题",
		},
		{
			name:      "address not on the web",
			edit:      func(in *workday.YearInput) { in.Notices[0].URL = "www.gov.cn/x.htm" },
			wantField: "notices.0.url", wantMsg: "http://",
		},
		{
			name:      "published date unreadable",
			edit:      func(in *workday.YearInput) { in.Notices[0].Published = "2025年11月4日" },
			wantField: "notices.0.published", wantMsg: "YYYY-MM-DD",
		},
		{
			name:      "published after the year",
			edit:      func(in *workday.YearInput) { in.Notices[0].Published = "2027-01-05" },
			wantField: "notices.0.published", wantMsg: "不应晚于2026年12月31日",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := validInput()
			tt.edit(&in)
			_, err := workday.ParseYear(in)
			inv, ok := apperr.AsInvalid(err)
			if !ok {
				t.Fatalf("ParseYear error = %v, want *apperr.Invalid", err)
			}
			if msg := inv.Fields[tt.wantField]; !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("ParseYear error fields = %q, want %q to contain %q", inv.Fields, tt.wantField, tt.wantMsg)
			}
		})
	}
}

// TestParseYearLastWeekOfDecember accepts days of the year before that a New
// Year break may take, as in the 2019 notice.
func TestParseYearLastWeekOfDecember(t *testing.T) {
	y, err := workday.ParseYear(workday.YearInput{
		Year:     "2019",
		Notices:  []workday.NoticeInput{{Title: "国务院办公厅关于2019年部分节假日安排的通知"}},
		Holidays: "2018-12-30..2019-01-01",
		Makeup:   "2018-12-29",
	})
	if err != nil {
		t.Fatalf("ParseYear error = %v", err)
	}
	if got := dateStrings(y.Holidays); !cmp.Equal(got, []string{"2018-12-30", "2018-12-31", "2019-01-01"}) {
		t.Errorf("ParseYear holidays = %v", got)
	}
}

func TestNewRejects(t *testing.T) {
	y2024 := mustYear(t, 2024)
	if _, err := workday.New(y2024, y2024); err == nil {
		t.Errorf("New with 2024 twice succeeded")
	}
	bad := y2024
	bad.Makeup = append(bad.Makeup, mustParse(t, "2024-03-04"))
	_, err := workday.New(bad)
	if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["makeup"] == "" {
		t.Errorf("New with a Monday make-up day error = %v, want *apperr.Invalid for makeup", err)
	}
	if _, err := workday.Embedded().WithYear(bad); err == nil {
		t.Errorf("WithYear with a Monday make-up day succeeded")
	}
}

// TestCalendarIsolated checks that a calendar shares no slices with its
// callers, which is what makes it safe to share.
func TestCalendarIsolated(t *testing.T) {
	y := mustYear(t, 2025)
	cal, err := workday.New(y)
	if err != nil {
		t.Fatalf("New error = %v", err)
	}
	newYear := mustParse(t, "2025-01-01")
	y.Holidays[0] = mustParse(t, "2025-03-03")
	got, _ := cal.Year(2025)
	got.Holidays[1] = mustParse(t, "2025-03-04")
	cal.Years()[0].Holidays[2] = mustParse(t, "2025-03-05")
	if cal.Kind(newYear) != workday.KindHoliday || cal.Kind(mustParse(t, "2025-03-03")) != workday.KindWorkday {
		t.Errorf("changing the Year passed to New changed the calendar")
	}
	again, _ := cal.Year(2025)
	if again.Holidays[1] == mustParse(t, "2025-03-04") || again.Holidays[2] == mustParse(t, "2025-03-05") {
		t.Errorf("changing a returned Year changed the calendar")
	}
}
