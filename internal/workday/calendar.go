package workday

import (
	"bytes"
	_ "embed" // for the built-in holiday data
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"
)

// DayKind is what kind of day a date is. Its values are what the CLI prints
// and what may be stored.
type DayKind string

// The kinds of day. A day is a working day when it is KindWorkday or
// KindMakeup.
const (
	// KindWorkday is a Monday to Friday that no notice makes a day off.
	KindWorkday DayKind = "workday"
	// KindWeekend is a Saturday or Sunday that no notice mentions.
	KindWeekend DayKind = "weekend"
	// KindHoliday is a day off announced by a notice (放假), on any day of
	// the week.
	KindHoliday DayKind = "holiday"
	// KindMakeup is a weekend day that a notice makes a working day
	// (调休上班).
	KindMakeup DayKind = "makeup-workday"
)

// IsWorkday reports whether days of kind k are working days.
func (k DayKind) IsWorkday() bool { return k == KindWorkday || k == KindMakeup }

// Calendar answers which days are working days, from the holiday schedules of
// the years it holds. A Calendar is never changed once built (WithYear
// returns a new one), so it is safe for concurrent use. The zero Calendar
// holds no years: it skips weekends only and marks every count provisional.
type Calendar struct {
	// years maps a year to its schedule, dates sorted, slices owned by the
	// Calendar.
	years map[int]Year
	// days holds KindHoliday or KindMakeup for every day some notice lists.
	// Where two notices list the same day (a late-December day), the later
	// year's notice decides.
	days map[Date]DayKind
}

// New returns a calendar holding the given years. It returns an error that
// wraps the year's *apperr.Invalid when a year does not pass Year.Validate,
// and an error when a year is given twice. The years are copied: changing
// them afterwards does not change the calendar.
func New(years ...Year) (*Calendar, error) {
	m := make(map[int]Year, len(years))
	for _, y := range years {
		if err := y.Validate(); err != nil {
			return nil, fmt.Errorf("check holiday schedule for %d: %w", y.Year, err)
		}
		if _, dup := m[y.Year]; dup {
			return nil, fmt.Errorf("workday: holiday schedule for %d given twice", y.Year)
		}
		m[y.Year] = cloneYear(y)
	}
	return build(m), nil
}

// embeddedData is the built-in schedule for every year from 2019, one JSON
// object per year (see the package comment for where the days come from).
//
//go:embed data/holidays.json
var embeddedData []byte

// Embedded returns a calendar of the schedules built into the binary. Call it
// once at startup and pass the calendar on; an administrator's corrections
// and later years are added with WithYear. It panics if the built-in data do
// not decode or validate, a programming error that the package's tests rule
// out.
func Embedded() *Calendar {
	c, err := decodeCalendar(embeddedData)
	if err != nil {
		panic(fmt.Sprintf("workday: built-in holiday data: %v", err))
	}
	return c
}

func decodeCalendar(data []byte) (*Calendar, error) {
	var years []Year
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&years); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return New(years...)
}

// WithYear returns a calendar that holds y in place of any schedule c has for
// the same year, and c's other years. c is unchanged. It returns an error
// wrapping y's *apperr.Invalid when y does not pass Year.Validate.
func (c *Calendar) WithYear(y Year) (*Calendar, error) {
	if err := y.Validate(); err != nil {
		return nil, fmt.Errorf("check holiday schedule for %d: %w", y.Year, err)
	}
	m := maps.Clone(c.years)
	if m == nil {
		m = map[int]Year{}
	}
	m[y.Year] = cloneYear(y)
	return build(m), nil
}

func build(years map[int]Year) *Calendar {
	c := &Calendar{years: years, days: map[Date]DayKind{}}
	for _, n := range slices.Sorted(maps.Keys(years)) {
		y := years[n]
		for _, d := range y.Holidays {
			c.days[d] = KindHoliday
		}
		for _, d := range y.Makeup {
			c.days[d] = KindMakeup
		}
	}
	return c
}

// cloneYear returns a deep copy of y with its dates sorted.
func cloneYear(y Year) Year {
	y.Notices = slices.Clone(y.Notices)
	y.Holidays = slices.Clone(y.Holidays)
	y.Makeup = slices.Clone(y.Makeup)
	sortDates(y.Holidays)
	sortDates(y.Makeup)
	return y
}

// Years returns copies of the schedules in c, oldest year first.
func (c *Calendar) Years() []Year {
	out := make([]Year, 0, len(c.years))
	for _, n := range slices.Sorted(maps.Keys(c.years)) {
		out = append(out, cloneYear(c.years[n]))
	}
	return out
}

// Year returns a copy of the schedule for year n, and whether c has one.
func (c *Calendar) Year(n int) (Year, bool) {
	y, ok := c.years[n]
	if !ok {
		return Year{}, false
	}
	return cloneYear(y), true
}

// Kind returns what kind of day d is. A day that no notice in c lists is a
// weekend day or a workday by its day of the week, also in years that c has
// no schedule for; Covers tells whether the answer is settled.
func (c *Calendar) Kind(d Date) DayKind {
	if k, ok := c.days[d]; ok {
		return k
	}
	if d.isWeekend() {
		return KindWeekend
	}
	return KindWorkday
}

// IsWorkday reports whether d is a working day: Monday to Friday and not a
// day off, or a make-up working day.
func (c *Calendar) IsWorkday(d Date) bool { return c.Kind(d).IsWorkday() }

// Covers reports whether c holds every schedule that decides what kind of
// day d is: the schedule of d's year and, in the last week of December, the
// next year's too, whose notice may move those days.
func (c *Calendar) Covers(d Date) bool { return len(c.Missing(d)) == 0 }

// Missing returns the years whose schedule decides what kind of day d is
// and that c lacks, ascending; nil when c covers d.
func (c *Calendar) Missing(d Date) []int {
	var out []int
	this, next, both := deciding(d)
	if _, ok := c.years[this]; !ok {
		out = append(out, this)
	}
	if _, ok := c.years[next]; both && !ok {
		out = append(out, next)
	}
	return out
}

// deciding returns the years whose notices decide the kind of d: d's own
// year and, in the last week of December, the next one.
func deciding(d Date) (this, next int, both bool) {
	this = d.Year()
	if d.Month() == time.December && d.Day() >= carryFrom {
		return this, this + 1, true
	}
	return this, 0, false
}
