package apply_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/apply"
	"gongkai/internal/workday"
)

func day(s string) workday.Date {
	d, err := workday.Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

func days(ss ...string) []workday.Date {
	var out []workday.Date
	for _, s := range ss {
		out = append(out, day(s))
	}
	return out
}

// ev builds events tersely: kind, date and, for some kinds, a number or
// second date.
func received(on string) apply.Event { return apply.Event{Kind: apply.EvReceived, On: day(on)} }
func correction(on, until string) apply.Event {
	return apply.Event{Kind: apply.EvCorrectionRequested, On: day(on), Until: day(until), Note: "请说明所需信息的年份"}
}
func corrected(on string) apply.Event { return apply.Event{Kind: apply.EvCorrected, On: day(on)} }
func consult(on string) apply.Event {
	return apply.Event{Kind: apply.EvConsultStarted, On: day(on), Party: apply.PartyThird}
}
func opinion(on string) apply.Event { return apply.Event{Kind: apply.EvConsultEnded, On: day(on)} }
func extend(on string, n int) apply.Event {
	return apply.Event{Kind: apply.EvExtended, On: day(on), Days: n, Until: day(on), ActorName: "lingdao"}
}
func answered(on string) apply.Event { return apply.Event{Kind: apply.EvAnswered, On: day(on)} }

// TestCompute pins the statutory clock: 条例 art. 33 (20 working days from
// the day after receipt, one extension of at most 20), art. 30 (correction
// notice within 7 working days; the clock restarts from the corrected
// application), arts. 32–34 (consultation time excluded, at most the 15
// working days the consulted party has), across the Spring Festival,
// National Day and year ends, and provisional dates when a year is missing.
func TestCompute(t *testing.T) {
	tests := []struct {
		name   string
		events []apply.Event
		today  string

		wantDue           string // "" for none
		wantCorrectionDue string
		wantPaused        int
		wantExtension     int
		wantAwaiting      bool
		wantExpired       bool
		wantCorrLate      bool
		wantConsulting    bool
		wantLate          bool
		wantProvisional   bool
		wantHolidays      []workday.Date
		wantMakeup        []workday.Date
	}{
		{name: "20 working days counted from the next day", events: []apply.Event{received("2026-03-02")}, today: "2026-03-02",
			wantDue: "2026-03-30", wantCorrectionDue: "2026-03-11"},
		{name: "receipt on a Friday counts from Monday", events: []apply.Event{received("2026-03-06")}, today: "2026-03-06",
			wantDue: "2026-04-03", wantCorrectionDue: "2026-03-17"},
		{name: "Spring Festival 2026 is skipped and its make-up Saturdays count", events: []apply.Event{received("2026-02-10")}, today: "2026-02-10",
			wantDue: "2026-03-16", wantCorrectionDue: "2026-02-26",
			wantHolidays: days("2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"),
			wantMakeup:   days("2026-02-14", "2026-02-28")},
		{name: "Spring Festival 2025 with make-up Sundays and Saturdays", events: []apply.Event{received("2025-01-20")}, today: "2025-01-20",
			wantDue: "2025-02-21", wantCorrectionDue: "2025-02-05",
			wantHolidays: days("2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03", "2025-02-04"),
			wantMakeup:   days("2025-01-26", "2025-02-08")},
		{name: "Spring Festival 2023", events: []apply.Event{received("2023-01-10")}, today: "2023-01-10",
			wantDue: "2023-02-10", wantCorrectionDue: "2023-01-19",
			wantHolidays: days("2023-01-21", "2023-01-22", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26", "2023-01-27"),
			wantMakeup:   days("2023-01-28", "2023-01-29")},
		{name: "National Day 2025 with make-up days on both sides", events: []apply.Event{received("2025-09-26")}, today: "2025-09-26",
			wantDue: "2025-10-30", wantCorrectionDue: "2025-10-13",
			wantHolidays: days("2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04", "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08"),
			wantMakeup:   days("2025-09-28", "2025-10-11")},
		{name: "year end 2024 into New Year 2025", events: []apply.Event{received("2024-12-20")}, today: "2024-12-20",
			wantDue: "2025-01-20", wantCorrectionDue: "2024-12-31", wantHolidays: days("2025-01-01")},
		{name: "year end 2023 into New Year 2024", events: []apply.Event{received("2023-12-25")}, today: "2023-12-25",
			wantDue: "2024-01-23", wantCorrectionDue: "2024-01-04", wantHolidays: days("2024-01-01")},
		{name: "year end 2026 into 2027", events: []apply.Event{received("2026-12-20")}, today: "2026-12-20",
			wantDue: "2027-01-18", wantCorrectionDue: "2026-12-29", wantHolidays: days("2027-01-01", "2027-01-02", "2027-01-03")},
		{name: "a year without a schedule makes the due date provisional", events: []apply.Event{received("2027-12-20")}, today: "2027-12-20",
			wantDue: "2028-01-17", wantCorrectionDue: "2027-12-29", wantProvisional: true},
		{name: "not yet received: no due date", events: []apply.Event{{Kind: apply.EvSubmitted, On: day("2026-03-02")}}, today: "2026-03-03"},
		{name: "only the first receipt counts", events: []apply.Event{received("2026-03-02"), received("2026-03-09")}, today: "2026-03-09",
			wantDue: "2026-03-30", wantCorrectionDue: "2026-03-11"},

		{name: "awaiting correction: clock stopped", events: []apply.Event{received("2026-03-02"), correction("2026-03-05", "2026-03-20")}, today: "2026-03-10",
			wantCorrectionDue: "2026-03-11", wantAwaiting: true},
		{name: "correction period passed: not corrected in time", events: []apply.Event{received("2026-03-02"), correction("2026-03-05", "2026-03-20")}, today: "2026-03-23",
			wantCorrectionDue: "2026-03-11", wantAwaiting: true, wantExpired: true},
		{name: "corrected application restarts the clock across Qingming", events: []apply.Event{received("2026-03-02"), correction("2026-03-05", "2026-03-20"), corrected("2026-03-16")}, today: "2026-03-16",
			wantDue: "2026-04-14", wantCorrectionDue: "2026-03-11", wantHolidays: days("2026-04-04", "2026-04-05", "2026-04-06")},
		{name: "correction notice after 7 working days is flagged", events: []apply.Event{received("2026-03-02"), correction("2026-03-12", "2026-03-27")}, today: "2026-03-12",
			wantCorrectionDue: "2026-03-11", wantAwaiting: true, wantCorrLate: true},
		{name: "correction notice on the 7th working day is in time", events: []apply.Event{received("2026-03-02"), correction("2026-03-11", "2026-03-27")}, today: "2026-03-12",
			wantCorrectionDue: "2026-03-11", wantAwaiting: true},
		{name: "restart drops the consultation before it", events: []apply.Event{received("2026-03-02"), consult("2026-03-04"), opinion("2026-03-10"), correction("2026-03-11", "2026-03-20"), corrected("2026-03-13")}, today: "2026-03-13",
			wantDue: "2026-04-13", wantCorrectionDue: "2026-03-11", wantHolidays: days("2026-04-04", "2026-04-05", "2026-04-06")},

		{name: "consultation days do not count", events: []apply.Event{received("2026-03-02"), consult("2026-03-04"), opinion("2026-03-10")}, today: "2026-03-10",
			wantDue: "2026-04-03", wantCorrectionDue: "2026-03-11", wantPaused: 4},
		{name: "open consultation pauses up to today", events: []apply.Event{received("2026-03-02"), consult("2026-03-04")}, today: "2026-03-06",
			wantDue: "2026-04-01", wantCorrectionDue: "2026-03-11", wantPaused: 2, wantConsulting: true},
		{name: "consultation pause is capped at 15 working days", events: []apply.Event{received("2026-03-02"), consult("2026-03-04"), opinion("2026-04-20")}, today: "2026-04-20",
			wantDue: "2026-04-21", wantCorrectionDue: "2026-03-11", wantPaused: 15, wantHolidays: days("2026-04-04", "2026-04-05", "2026-04-06")},
		{name: "open consultation past its window stops pausing", events: []apply.Event{received("2026-03-02"), consult("2026-03-04")}, today: "2026-04-20",
			wantDue: "2026-04-21", wantCorrectionDue: "2026-03-11", wantPaused: 15, wantConsulting: true, wantHolidays: days("2026-04-04", "2026-04-05", "2026-04-06")},
		{name: "two consultations add up", events: []apply.Event{received("2026-03-02"), consult("2026-03-04"), opinion("2026-03-06"), consult("2026-03-10"), opinion("2026-03-12")}, today: "2026-03-12",
			wantDue: "2026-04-03", wantCorrectionDue: "2026-03-11", wantPaused: 4},
		{name: "a second consultation while one is open is ignored", events: []apply.Event{received("2026-03-02"), consult("2026-03-04"), consult("2026-03-05"), opinion("2026-03-10")}, today: "2026-03-10",
			wantDue: "2026-04-03", wantCorrectionDue: "2026-03-11", wantPaused: 4},
		{name: "opinion on the day of sending excludes nothing", events: []apply.Event{received("2026-03-02"), consult("2026-03-04"), opinion("2026-03-04")}, today: "2026-03-04",
			wantDue: "2026-03-30", wantCorrectionDue: "2026-03-11"},

		{name: "extension of 20 working days", events: []apply.Event{received("2026-03-02"), extend("2026-03-25", 20)}, today: "2026-03-25",
			wantDue: "2026-04-28", wantCorrectionDue: "2026-03-11", wantExtension: 20, wantHolidays: days("2026-04-04", "2026-04-05", "2026-04-06")},
		{name: "only one extension counts", events: []apply.Event{received("2026-03-02"), extend("2026-03-25", 2), extend("2026-03-26", 20)}, today: "2026-03-26",
			wantDue: "2026-04-01", wantCorrectionDue: "2026-03-11", wantExtension: 2},
		{name: "consultation and extension together", events: []apply.Event{received("2026-03-02"), consult("2026-03-04"), opinion("2026-03-10"), extend("2026-03-30", 3)}, today: "2026-03-30",
			wantDue: "2026-04-09", wantCorrectionDue: "2026-03-11", wantPaused: 4, wantExtension: 3, wantHolidays: days("2026-04-04", "2026-04-05", "2026-04-06")},

		{name: "a deferral under art. 35 sets a later deadline", events: []apply.Event{received("2026-03-02"), {Kind: apply.EvDeferred, On: day("2026-03-10"), Until: day("2026-05-29")}}, today: "2026-03-10",
			wantDue: "2026-05-29", wantCorrectionDue: "2026-03-11"},
		{name: "a deferral earlier than the statutory date changes nothing", events: []apply.Event{received("2026-03-02"), {Kind: apply.EvDeferred, On: day("2026-03-10"), Until: day("2026-03-20")}}, today: "2026-03-10",
			wantDue: "2026-03-30", wantCorrectionDue: "2026-03-11"},
		{name: "answered on the due day is in time", events: []apply.Event{received("2026-03-02"), answered("2026-03-30")}, today: "2026-04-10",
			wantDue: "2026-03-30", wantCorrectionDue: "2026-03-11"},
		{name: "answered after the due day is late", events: []apply.Event{received("2026-03-02"), answered("2026-03-31")}, today: "2026-04-10",
			wantDue: "2026-03-30", wantCorrectionDue: "2026-03-11", wantLate: true},
		{name: "events after the answer do not move the clock", events: []apply.Event{received("2026-03-02"), answered("2026-03-20"), extend("2026-03-25", 20)}, today: "2026-03-25",
			wantDue: "2026-03-30", wantCorrectionDue: "2026-03-11"},
	}
	cal := workday.Embedded()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := apply.Compute(cal, apply.ChannelOnline, tt.events, day(tt.today))
			got := c.Due.String()
			if c.Due.IsZero() {
				got = ""
			}
			if got != tt.wantDue {
				t.Errorf("Due = %q, want %q\nsteps:\n%s", got, tt.wantDue, strings.Join(c.Steps, "\n"))
			}
			gotCorr := c.CorrectionDue.String()
			if c.CorrectionDue.IsZero() {
				gotCorr = ""
			}
			if gotCorr != tt.wantCorrectionDue {
				t.Errorf("CorrectionDue = %q, want %q", gotCorr, tt.wantCorrectionDue)
			}
			type flags struct {
				Paused, Extension                                          int
				Awaiting, Expired, CorrLate, Consulting, Late, Provisional bool
			}
			gotF := flags{c.PausedDays, c.ExtensionDays, c.AwaitingCorrection, c.CorrectionExpired, c.CorrectionLate, c.Consulting, c.Late, c.Provisional}
			wantF := flags{tt.wantPaused, tt.wantExtension, tt.wantAwaiting, tt.wantExpired, tt.wantCorrLate, tt.wantConsulting, tt.wantLate, tt.wantProvisional}
			if diff := cmp.Diff(wantF, gotF); diff != "" {
				t.Errorf("clock flags (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantHolidays, c.Holidays, cmp.Comparer(func(a, b workday.Date) bool { return a == b })); diff != "" {
				t.Errorf("Holidays (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantMakeup, c.Makeup, cmp.Comparer(func(a, b workday.Date) bool { return a == b })); diff != "" {
				t.Errorf("Makeup (-want +got):\n%s", diff)
			}
			if len(c.Steps) == 0 {
				t.Errorf("no explanation steps")
			}
		})
	}
}

// TestComputeExplains checks that the explanation names the receipt rule,
// each clock event, the holidays crossed and the provisional year.
func TestComputeExplains(t *testing.T) {
	cal := workday.Embedded()
	c := apply.Compute(cal, apply.ChannelPost, []apply.Event{received("2026-02-10"), consult("2026-02-11"), opinion("2026-02-13"), extend("2026-03-02", 5)}, day("2026-03-02"))
	text := strings.Join(c.Steps, "\n")
	for _, want := range []string{"签收之日", "第三十一条", "征求第三方意见", "2个工作日不计入", "延长答复期限5个工作日", "批准人：lingdao",
		"2026-02-17", "调休上班日", "2026-02-14", "答复期限届满日：" + c.Due.String()} {
		if !strings.Contains(text, want) {
			t.Errorf("explanation lacks %q:\n%s", want, text)
		}
	}
	p := apply.Compute(cal, apply.ChannelFax, []apply.Event{received("2027-12-20")}, day("2027-12-20"))
	if !strings.Contains(strings.Join(p.Steps, "\n"), "2028年的国务院节假日安排尚未录入") || !slices.Equal(p.Missing, []int{2028}) {
		t.Errorf("provisional explanation missing: %v %v", p.Missing, p.Steps)
	}
}

// TestComputeUsesOverriddenYear shows that an administrator's schedule for
// a missing year makes the date final.
func TestComputeUsesOverriddenYear(t *testing.T) {
	y := workday.Year{Year: 2028, Notices: []workday.Notice{{Title: "国务院办公厅关于2028年部分节假日安排的通知"}},
		Holidays: days("2028-01-01", "2028-01-02", "2028-01-03")}
	cal, err := apply.Overlay(workday.Embedded(), []workday.Year{y})
	if err != nil {
		t.Fatal(err)
	}
	c := apply.Compute(cal, apply.ChannelInPerson, []apply.Event{received("2027-12-20")}, day("2027-12-20"))
	if c.Provisional || c.Due.String() != "2028-01-18" {
		t.Errorf("Due = %s provisional %v, want 2028-01-18 final", c.Due, c.Provisional)
	}
}

func TestStateOf(t *testing.T) {
	cal := workday.Embedded()
	tests := []struct {
		name      string
		events    []apply.Event
		delivered bool
		want      apply.State
	}{
		{"submitted online", nil, false, apply.StatePending},
		{"received", []apply.Event{received("2026-03-02")}, false, apply.StateOpen},
		{"awaiting correction", []apply.Event{received("2026-03-02"), correction("2026-03-03", "2026-03-10")}, false, apply.StateCorrection},
		{"consulting", []apply.Event{received("2026-03-02"), consult("2026-03-03")}, false, apply.StateConsulting},
		{"answered", []apply.Event{received("2026-03-02"), answered("2026-03-03")}, false, apply.StateAnswered},
		{"delivered", []apply.Event{received("2026-03-02"), answered("2026-03-03")}, true, apply.StateClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := apply.StateOf(apply.Compute(cal, apply.ChannelOnline, tt.events, day("2026-03-04")), tt.delivered); got != tt.want {
				t.Errorf("StateOf = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDueSoonAndOverdue(t *testing.T) {
	cal := workday.Embedded()
	c := apply.Compute(cal, apply.ChannelOnline, []apply.Event{received("2026-03-02")}, day("2026-03-02")) // due 2026-03-30 (Monday)
	tests := []struct {
		today         string
		soon, overdue bool
	}{
		{"2026-03-20", false, false},
		{"2026-03-25", true, false}, // 3 working days before
		{"2026-03-26", true, false},
		{"2026-03-30", true, false},
		{"2026-03-31", false, true},
	}
	for _, tt := range tests {
		if got := c.DueSoon(cal, day(tt.today)); got != tt.soon {
			t.Errorf("DueSoon(%s) = %v, want %v", tt.today, got, tt.soon)
		}
		if got := c.Overdue(day(tt.today)); got != tt.overdue {
			t.Errorf("Overdue(%s) = %v, want %v", tt.today, got, tt.overdue)
		}
	}
}

// TestSameDayCounting: an installation that counts the day of receipt
// (a setting, REGULATIONS.md §1.5 [U]) gets due dates one working day
// earlier when the day of receipt is a working day, and the same ones
// otherwise.
func TestSameDayCounting(t *testing.T) {
	cal := workday.Embedded()
	same := apply.Rules{Counting: apply.CountSameDay}
	tests := []struct {
		received, wantDue, wantCorr string
	}{
		{"2026-03-02", "2026-03-27", "2026-03-10"}, // Monday counts
		{"2026-03-07", "2026-04-03", "2026-03-17"}, // a Saturday does not
		{"2026-02-14", "2026-03-19", "2026-03-02"}, // a make-up Saturday does
		{"2026-02-17", "2026-03-20", "2026-03-03"}, // a Spring Festival day does not
	}
	for _, tt := range tests {
		c := same.Compute(cal, apply.ChannelInPerson, []apply.Event{received(tt.received)}, day(tt.received))
		if c.Due.String() != tt.wantDue || c.CorrectionDue.String() != tt.wantCorr {
			t.Errorf("received %s: due %s, correction due %s; want %s, %s", tt.received, c.Due, c.CorrectionDue, tt.wantDue, tt.wantCorr)
		}
		if !strings.Contains(strings.Join(c.Steps, "\n"), "当日起计算") {
			t.Errorf("received %s: the explanation does not name the convention", tt.received)
		}
	}
	if !apply.CountSameDay.Valid() || apply.Counting("x").Valid() {
		t.Error("Counting.Valid is wrong")
	}
}
