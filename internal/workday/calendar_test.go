package workday_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/workday"
)

// section8 is every day off (放假) and make-up working day (调休上班) of the
// State Council notices for 2023 to 2026, as verified in REGULATIONS.md §8.
var section8 = []struct {
	year     int
	holidays []string
	makeup   []string
}{
	{
		year: 2023,
		holidays: []string{ // 27
			"2022-12-31", "2023-01-01", "2023-01-02", "2023-01-21", "2023-01-22", "2023-01-23",
			"2023-01-24", "2023-01-25", "2023-01-26", "2023-01-27", "2023-04-05", "2023-04-29",
			"2023-04-30", "2023-05-01", "2023-05-02", "2023-05-03", "2023-06-22", "2023-06-23",
			"2023-06-24", "2023-09-29", "2023-09-30", "2023-10-01", "2023-10-02", "2023-10-03",
			"2023-10-04", "2023-10-05", "2023-10-06",
		},
		makeup: []string{ // 7
			"2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25", "2023-10-07",
			"2023-10-08",
		},
	},
	{
		year: 2024,
		holidays: []string{ // 28
			"2024-01-01", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14",
			"2024-02-15", "2024-02-16", "2024-02-17", "2024-04-04", "2024-04-05", "2024-04-06",
			"2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04", "2024-05-05", "2024-06-10",
			"2024-09-15", "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02", "2024-10-03",
			"2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07",
		},
		makeup: []string{ // 8
			"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14",
			"2024-09-29", "2024-10-12",
		},
	},
	{
		year: 2025,
		holidays: []string{ // 28
			"2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01",
			"2025-02-02", "2025-02-03", "2025-02-04", "2025-04-04", "2025-04-05", "2025-04-06",
			"2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04", "2025-05-05", "2025-05-31",
			"2025-06-01", "2025-06-02", "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04",
			"2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
		},
		makeup: []string{ // 5
			"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11",
		},
	},
	{
		year: 2026,
		holidays: []string{ // 33
			"2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17",
			"2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23",
			"2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01", "2026-05-02", "2026-05-03",
			"2026-05-04", "2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25",
			"2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04",
			"2026-10-05", "2026-10-06", "2026-10-07",
		},
		makeup: []string{ // 6
			"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
		},
	},
}

// mustParse parses s or fails the test.
func mustParse(t testing.TB, s string) workday.Date {
	t.Helper()
	d, err := workday.Parse(s)
	if err != nil {
		t.Fatalf("parse test date: %v", err)
	}
	return d
}

// TestSection8 pins every listed day of 2023-2026 and checks that every other
// day of those years is a plain weekend day or workday.
func TestSection8(t *testing.T) {
	cal := workday.Embedded()
	listed := map[workday.Date]workday.DayKind{}
	for _, tt := range section8 {
		for _, s := range tt.holidays {
			listed[mustParse(t, s)] = workday.KindHoliday
		}
		for _, s := range tt.makeup {
			listed[mustParse(t, s)] = workday.KindMakeup
		}
	}
	for d := workday.NewDate(2022, time.December, 31); d.Year() <= 2026; d = d.AddDays(1) {
		want, ok := listed[d]
		if !ok {
			want = workday.KindWorkday
			if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
				want = workday.KindWeekend
			}
		}
		if got := cal.Kind(d); got != want {
			t.Errorf("Kind(%s) = %s, want %s", d, got, want)
		}
		if got, want := cal.IsWorkday(d), want.IsWorkday(); got != want {
			t.Errorf("IsWorkday(%s) = %v, want %v", d, got, want)
		}
	}
}

// TestSection8Years checks that the built-in schedules for 2023-2026 list
// exactly the days of §8, cite a notice, and are not marked secondary.
func TestSection8Years(t *testing.T) {
	cal := workday.Embedded()
	for _, tt := range section8 {
		y, ok := cal.Year(tt.year)
		if !ok {
			t.Fatalf("Year(%d) missing", tt.year)
		}
		if diff := cmp.Diff(tt.holidays, dateStrings(y.Holidays)); diff != "" {
			t.Errorf("Year(%d).Holidays (-want +got):\n%s", tt.year, diff)
		}
		if diff := cmp.Diff(tt.makeup, dateStrings(y.Makeup)); diff != "" {
			t.Errorf("Year(%d).Makeup (-want +got):\n%s", tt.year, diff)
		}
		if y.Secondary {
			t.Errorf("Year(%d).Secondary = true, want false for §8 data", tt.year)
		}
		if len(y.Notices) == 0 || y.Notices[0].URL == "" || y.Notices[0].Published.IsZero() {
			t.Errorf("Year(%d).Notices = %+v, want the notice with its address and date", tt.year, y.Notices)
		}
	}
}

func dateStrings(ds []workday.Date) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

func TestKindNamedDays(t *testing.T) {
	tests := []struct {
		name string
		day  string
		want workday.DayKind
	}{
		{name: "2024 Spring Festival eve is a working day", day: "2024-02-09", want: workday.KindWorkday},
		{name: "2025 Spring Festival eve is a day off", day: "2025-01-28", want: workday.KindHoliday},
		{name: "Qingming on a Wednesday", day: "2023-04-05", want: workday.KindHoliday},
		{name: "New Year break starting in the year before", day: "2022-12-31", want: workday.KindHoliday},
		{name: "weekend next to a one-day New Year", day: "2023-12-30", want: workday.KindWeekend},
		{name: "make-up Sunday", day: "2024-02-04", want: workday.KindMakeup},
		{name: "make-up Saturday", day: "2026-02-28", want: workday.KindMakeup},
		{name: "ordinary Monday", day: "2025-03-10", want: workday.KindWorkday},
		{name: "ordinary Saturday", day: "2025-03-08", want: workday.KindWeekend},
		{name: "secondary-source year 2020, extended Spring Festival", day: "2020-01-31", want: workday.KindHoliday},
		{name: "2020-02-01 stopped being a make-up day after the extension", day: "2020-02-01", want: workday.KindHoliday},
		{name: "2019 make-up day in December 2018", day: "2018-12-29", want: workday.KindMakeup},
		{name: "year not in the calendar falls back to the weekday", day: "2031-10-01", want: workday.KindWorkday},
	}
	cal := workday.Embedded()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cal.Kind(mustParse(t, tt.day)); got != tt.want {
				t.Errorf("Kind(%s) = %s, want %s", tt.day, got, tt.want)
			}
		})
	}
}

func TestEmbeddedYears(t *testing.T) {
	cal := workday.Embedded()
	var got []int
	for _, y := range cal.Years() {
		got = append(got, y.Year)
		if err := y.Validate(); err != nil {
			t.Errorf("Year %d: Validate() = %v", y.Year, err)
		}
		if y.Origin == "" || len(y.Notices) == 0 || y.Notices[0].Title == "" {
			t.Errorf("Year %d: no origin or notice title: %+v", y.Year, y)
		}
		if verified := y.Year >= 2023 && y.Year <= 2026; y.Secondary == verified {
			t.Errorf("Year %d: Secondary = %v, want %v", y.Year, y.Secondary, !verified)
		}
	}
	want := []int{2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Embedded().Years() (-want +got):\n%s", diff)
	}
}

func TestCovers(t *testing.T) {
	cal := workday.Embedded()
	tests := []struct {
		day  string
		want bool
	}{
		{day: "2018-12-24", want: false},
		{day: "2019-01-01", want: true},
		{day: "2026-12-31", want: true}, // 2027 is in the calendar
		{day: "2027-12-24", want: true},
		{day: "2027-12-25", want: false}, // the 2028 notice may still move it
		{day: "2028-01-01", want: false},
	}
	for _, tt := range tests {
		if got := cal.Covers(mustParse(t, tt.day)); got != tt.want {
			t.Errorf("Covers(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
	only2024, err := workday.New(mustYear(t, 2024))
	if err != nil {
		t.Fatalf("New(2024) error = %v", err)
	}
	for _, tt := range []struct {
		day  string
		want []int
	}{
		{day: "2024-06-01", want: nil},
		{day: "2024-12-30", want: []int{2025}},
		{day: "2023-12-30", want: []int{2023}},
		{day: "2025-12-30", want: []int{2025, 2026}},
	} {
		if got := only2024.Missing(mustParse(t, tt.day)); !cmp.Equal(got, tt.want) {
			t.Errorf("Missing(%s) = %v, want %v", tt.day, got, tt.want)
		}
	}
}
