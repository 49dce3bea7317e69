package workday_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"gongkai/internal/apperr"
	"gongkai/internal/workday"
)

// dates parses each of ss or fails the test.
func dates(t testing.TB, ss ...string) []workday.Date {
	t.Helper()
	var out []workday.Date
	for _, s := range ss {
		out = append(out, mustParse(t, s))
	}
	return out
}

func TestAdd(t *testing.T) {
	tests := []struct {
		name         string
		from         string
		n            int
		want         string
		wantHolidays []string
		wantMakeup   []string
		wantMissing  []int
	}{
		{name: "zero days is the start date itself", from: "2023-01-21", n: 0, want: "2023-01-21"},
		{name: "start day is not counted", from: "2025-03-10", n: 1, want: "2025-03-11"},
		{name: "Friday plus one skips the weekend", from: "2025-03-07", n: 1, want: "2025-03-10"},
		{
			name: "across the year end", from: "2023-12-28", n: 5, want: "2024-01-05",
			wantHolidays: []string{"2024-01-01"},
		},
		{
			name: "across the 2023 Spring Festival", from: "2023-01-20", n: 20, want: "2023-02-22",
			wantHolidays: []string{"2023-01-21", "2023-01-22", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-01-27"},
			wantMakeup:   []string{"2023-01-28", "2023-01-29"},
		},
		{
			name: "starting on a holiday", from: "2024-02-12", n: 1, want: "2024-02-18",
			wantHolidays: []string{"2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16", "2024-02-17"},
			wantMakeup:   []string{"2024-02-18"},
		},
		{name: "starting on a make-up Sunday", from: "2024-02-18", n: 1, want: "2024-02-19"},
		{
			name: "starting on a make-up Saturday, next day also make-up", from: "2023-01-28", n: 1, want: "2023-01-29",
			wantMakeup: []string{"2023-01-29"},
		},
		{
			name: "Friday before a make-up Saturday", from: "2026-02-13", n: 1, want: "2026-02-14",
			wantMakeup: []string{"2026-02-14"},
		},
		{
			name: "art. 33 reply across National Day 2025", from: "2025-09-26", n: 20, want: "2025-10-30",
			wantHolidays: []string{"2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08"},
			wantMakeup:   []string{"2025-09-28", "2025-10-11"},
		},
		{
			name: "into a year not in the calendar", from: "2027-12-20", n: 10, want: "2028-01-03",
			wantMissing: []int{2028},
		},
		{
			name: "late December waits for the next notice", from: "2027-12-22", n: 1, want: "2027-12-23",
		},
		{
			name: "late December passes into the open week", from: "2027-12-24", n: 1, want: "2027-12-27",
			wantMissing: []int{2028},
		},
		{
			name: "from a year before the calendar, on a day a later notice lists", from: "2018-12-28", n: 1, want: "2018-12-29",
			wantMakeup: []string{"2018-12-29"}, wantMissing: []int{2018},
		},
	}
	cal := workday.Embedded()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := mustParse(t, tt.from)
			got, err := cal.Add(from, tt.n)
			if err != nil {
				t.Fatalf("Add(%s, %d) error = %v", tt.from, tt.n, err)
			}
			if got.To.String() != tt.want || got.Days != tt.n || got.From != from {
				t.Errorf("Add(%s, %d) = %s (%d days from %s), want %s", tt.from, tt.n, got.To, got.Days, got.From, tt.want)
			}
			if diff := cmp.Diff(dates(t, tt.wantHolidays...), got.Holidays, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Add(%s, %d).Holidays (-want +got):\n%s", tt.from, tt.n, diff)
			}
			if diff := cmp.Diff(dates(t, tt.wantMakeup...), got.Makeup, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Add(%s, %d).Makeup (-want +got):\n%s", tt.from, tt.n, diff)
			}
			if diff := cmp.Diff(tt.wantMissing, got.Missing, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("Add(%s, %d).Missing (-want +got):\n%s", tt.from, tt.n, diff)
			}
			if got.Provisional != (len(tt.wantMissing) > 0) {
				t.Errorf("Add(%s, %d).Provisional = %v, want %v", tt.from, tt.n, got.Provisional, len(tt.wantMissing) > 0)
			}
			if tt.n > 0 && !cal.IsWorkday(got.To) {
				t.Errorf("Add(%s, %d) = %s, which is not a working day", tt.from, tt.n, got.To)
			}
		})
	}
}

// TestAddExplains checks the whole Result for one count across two years.
func TestAddExplains(t *testing.T) {
	got, err := workday.Embedded().Add(mustParse(t, "2023-12-20"), 20)
	if err != nil {
		t.Fatalf("Add error = %v", err)
	}
	want := workday.Result{
		From:     mustParse(t, "2023-12-20"),
		To:       mustParse(t, "2024-01-18"),
		Days:     20,
		Holidays: dates(t, "2024-01-01"),
		Years:    []int{2023, 2024},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Add(2023-12-20, 20) (-want +got):\n%s", diff)
	}
}

func TestAddRejects(t *testing.T) {
	cal := workday.Embedded()
	tests := []struct {
		name      string
		from      workday.Date
		n         int
		wantField string
	}{
		{name: "negative days", from: workday.NewDate(2024, 1, 2), n: -1, wantField: "days"},
		{name: "too many days", from: workday.NewDate(2024, 1, 2), n: workday.MaxDays + 1, wantField: "days"},
		{name: "zero date", from: workday.Date{}, n: 1, wantField: "from"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cal.Add(tt.from, tt.n)
			inv, ok := apperr.AsInvalid(err)
			if !ok {
				t.Fatalf("Add(%s, %d) error = %v, want *apperr.Invalid", tt.from, tt.n, err)
			}
			if inv.Fields[tt.wantField] == "" {
				t.Errorf("Add(%s, %d) error fields = %v, want a message for %q", tt.from, tt.n, inv.Fields, tt.wantField)
			}
		})
	}
}

func TestBetween(t *testing.T) {
	tests := []struct {
		name            string
		from, to        string
		want            int
		wantProvisional bool
	}{
		{name: "same day", from: "2024-05-06", to: "2024-05-06", want: 0},
		{name: "next working day", from: "2024-05-06", to: "2024-05-07", want: 1},
		// 04-28 (make-up), 04-29, 04-30, 05-06 to 05-10, 05-11 (make-up), 05-13.
		{name: "over Labour Day 2024 with two make-up days", from: "2024-04-26", to: "2024-05-13", want: 10},
		{name: "backwards is negative", from: "2024-05-13", to: "2024-04-26", want: -10},
		{name: "ending on a holiday counts to the last working day", from: "2023-09-27", to: "2023-10-06", want: 1},
		// 261 weekdays, 18 of them days off, plus 5 make-up days.
		{name: "a whole verified year", from: "2024-12-31", to: "2025-12-31", want: 248},
		{name: "into a year not in the calendar", from: "2027-12-31", to: "2028-01-05", want: 3, wantProvisional: true},
	}
	cal := workday.Embedded()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := cal.Between(mustParse(t, tt.from), mustParse(t, tt.to))
			if err != nil {
				t.Fatalf("Between(%s, %s) error = %v", tt.from, tt.to, err)
			}
			if got.Days != tt.want || got.Provisional != tt.wantProvisional {
				t.Errorf("Between(%s, %s) = %d (provisional %v), want %d (provisional %v)", tt.from, tt.to, got.Days, got.Provisional, tt.want, tt.wantProvisional)
			}
		})
	}
}

// TestBetweenInvertsAdd checks Between(from, Add(from, n).To) == n over
// every start day of 2023-2025 and the periods of the Regulations.
func TestBetweenInvertsAdd(t *testing.T) {
	cal := workday.Embedded()
	for from := workday.NewDate(2023, 1, 1); from.Year() < 2026; from = from.AddDays(1) {
		for _, n := range []int{0, 1, 7, 15, 20, 40} {
			r, err := cal.Add(from, n)
			if err != nil {
				t.Fatalf("Add(%s, %d) error = %v", from, n, err)
			}
			b, err := cal.Between(from, r.To)
			if err != nil {
				t.Fatalf("Between(%s, %s) error = %v", from, r.To, err)
			}
			if b.Days != n {
				t.Errorf("Between(%s, Add(%s, %d) = %s) = %d, want %d", from, from, n, r.To, b.Days, n)
			}
		}
	}
}

func TestBetweenRejects(t *testing.T) {
	cal := workday.Embedded()
	for _, tt := range []struct {
		name     string
		from, to workday.Date
	}{
		{name: "zero from", to: workday.NewDate(2024, 1, 1)},
		{name: "zero to", from: workday.NewDate(2024, 1, 1)},
		{name: "centuries apart", from: workday.NewDate(1900, 1, 1), to: workday.NewDate(2200, 1, 1)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := cal.Between(tt.from, tt.to); !errors.As(err, new(*apperr.Invalid)) {
				t.Errorf("Between(%s, %s) error = %v, want *apperr.Invalid", tt.from, tt.to, err)
			}
		})
	}
}

// TestOverrideYear adds a year to a calendar that lacks it: the count that
// was provisional becomes final and skips the new year's holiday.
func TestOverrideYear(t *testing.T) {
	only2023, err := workday.New(mustYear(t, 2023))
	if err != nil {
		t.Fatalf("New(2023) error = %v", err)
	}
	from := mustParse(t, "2023-12-20")
	before, err := only2023.Add(from, 10)
	if err != nil {
		t.Fatalf("Add error = %v", err)
	}
	if before.To.String() != "2024-01-03" || !before.Provisional || !cmp.Equal(before.Missing, []int{2024}) {
		t.Errorf("without 2024: Add(2023-12-20, 10) = %s provisional %v missing %v, want 2024-01-03 provisional [2024]", before.To, before.Provisional, before.Missing)
	}

	with2024, err := only2023.WithYear(mustYear(t, 2024))
	if err != nil {
		t.Fatalf("WithYear(2024) error = %v", err)
	}
	after, err := with2024.Add(from, 10)
	if err != nil {
		t.Fatalf("Add error = %v", err)
	}
	if after.To.String() != "2024-01-04" || after.Provisional {
		t.Errorf("with 2024: Add(2023-12-20, 10) = %s provisional %v, want 2024-01-04 final", after.To, after.Provisional)
	}
	if _, ok := only2023.Year(2024); ok {
		t.Errorf("WithYear changed the calendar it was called on")
	}

	// Replacing a year: an administrator corrects 2024 by making
	// 2024-01-02 a day off as well.
	fixed := mustYear(t, 2024)
	fixed.Holidays = append(fixed.Holidays, mustParse(t, "2024-01-02"))
	corrected, err := with2024.WithYear(fixed)
	if err != nil {
		t.Fatalf("WithYear(corrected 2024) error = %v", err)
	}
	if got := corrected.Kind(mustParse(t, "2024-01-02")); got != workday.KindHoliday {
		t.Errorf("after correction Kind(2024-01-02) = %s, want holiday", got)
	}
	if got := with2024.Kind(mustParse(t, "2024-01-02")); got != workday.KindWorkday {
		t.Errorf("before correction Kind(2024-01-02) = %s, want workday", got)
	}
}

// mustYear returns the built-in schedule for year n.
func mustYear(t *testing.T, n int) workday.Year {
	t.Helper()
	y, ok := workday.Embedded().Year(n)
	if !ok {
		t.Fatalf("built-in calendar has no %d", n)
	}
	return y
}

func TestZeroCalendar(t *testing.T) {
	var cal workday.Calendar
	r, err := cal.Add(workday.NewDate(2024, time.February, 8), 1)
	if err != nil {
		t.Fatalf("Add error = %v", err)
	}
	if r.To.String() != "2024-02-09" || !r.Provisional || !cmp.Equal(r.Missing, []int{2024}) {
		t.Errorf("zero Calendar Add(2024-02-08, 1) = %+v, want 2024-02-09, provisional for 2024", r)
	}
	if _, err := cal.WithYear(mustYear(t, 2024)); err != nil {
		t.Errorf("zero Calendar WithYear error = %v", err)
	}
}

// FuzzAdd checks that Add never fails or panics for valid input, always ends
// on a working day, is inverted by Between, and is monotonic in both the
// start date and the number of days.
func FuzzAdd(f *testing.F) {
	f.Add(uint16(0), uint8(20))
	f.Add(uint16(1800), uint8(40))
	f.Add(uint16(3280), uint8(7))
	cal := workday.Embedded()
	base := workday.NewDate(2018, time.January, 1)
	f.Fuzz(func(t *testing.T, offset uint16, days uint8) {
		from, n := base.AddDays(int(offset)), int(days)
		r, err := cal.Add(from, n)
		if err != nil {
			t.Fatalf("Add(%s, %d) error = %v", from, n, err)
		}
		if n > 0 && !cal.IsWorkday(r.To) {
			t.Errorf("Add(%s, %d) = %s, not a working day", from, n, r.To)
		}
		if b, err := cal.Between(from, r.To); err != nil || b.Days != n {
			t.Errorf("Between(%s, %s) = %d, %v, want %d", from, r.To, b.Days, err, n)
		}
		more, err := cal.Add(from, n+1)
		if err != nil || !more.To.After(r.To) {
			t.Errorf("Add(%s, %d) = %s, not after Add(%s, %d) = %s (err %v)", from, n+1, more.To, from, n, r.To, err)
		}
		later, err := cal.Add(from.AddDays(1), n)
		if err != nil || later.To.Before(r.To) {
			t.Errorf("Add(%s, %d) = %s, before Add(%s, %d) = %s (err %v)", from.AddDays(1), n, later.To, from, n, r.To, err)
		}
	})
}
