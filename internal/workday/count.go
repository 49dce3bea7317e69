package workday

import (
	"maps"
	"slices"

	"gongkai/internal/apperr"
)

// MaxDays is the largest number of working days Add counts: about twenty
// years, far beyond any period in the Regulations (at most 20 + 20 working
// days under art. 33), so that a mistyped number cannot tie up a request.
const MaxDays = 5000

// maxSpan is the largest number of calendar days Between walks, about a
// century.
const maxSpan = 36525

// Result is a count of working days and how it was reached, so that every
// due date can be explained: which days off were skipped, which make-up
// working days counted, which notices decided them and whether a year was
// missing.
type Result struct {
	// From is the day counting starts after (the day of receipt); it is
	// never counted itself.
	From Date
	// To is the last day counted: the due date for Add.
	To Date
	// Days is the number of working days after From up to and including
	// To; negative when To is before From (Between only).
	Days int
	// Holidays are the days off (放假) passed over, in order.
	Holidays []Date
	// Makeup are the make-up working days (调休上班) counted, in order.
	Makeup []Date
	// Years are the years whose schedule in the calendar decided a day
	// passed over, ascending; each names the notices to cite.
	Years []int
	// Provisional is true when a day passed over lies in a year that the
	// calendar has no schedule for (see Covers). There only weekends were
	// skipped, and the result may change once the notice is added.
	Provisional bool
	// Missing are the years that made the result provisional, ascending;
	// empty unless Provisional.
	Missing []int
}

// Add returns the date n working days after from: the day from itself does
// not count and counting starts the next day (see the package comment), so
// the result is always a working day when n > 0, and is from itself when n is
// 0. It returns an *apperr.Invalid (field "days") when n is negative or more
// than MaxDays, and (field "from") when from is the zero Date. A result that
// needed a year missing from c is returned with Provisional set, never
// refused.
//
// A reply is due, under the Regulations on Open Government Information
// (2019), art. 33, on Add(received, 20).To, and an extended reply on
// Add(received, 40).To.
func (c *Calendar) Add(from Date, n int) (Result, error) {
	if from.IsZero() {
		return Result{}, apperr.Invalidf("from", "请填写开始日期")
	}
	if n < 0 || n > MaxDays {
		return Result{}, apperr.Invalidf("days", "工作日天数应在0至%d之间", MaxDays)
	}
	w := c.walk(from)
	for w.days < n {
		w.step()
	}
	return w.result(from, w.day, 1), nil
}

// Between counts the working days after from up to and including to, with
// the same convention as Add, so that Between(from, Add(from, n).To).Days is
// n. When to is before from it counts the working days after to up to and
// including from, negated. Days remaining until a due date are
// Between(today, due).Days; a reply sent on day r is Between(due, r).Days
// working days late when that is positive. It returns an *apperr.Invalid
// (field "from" or "to") for a zero Date or dates more than about a century
// apart.
func (c *Calendar) Between(from, to Date) (Result, error) {
	switch {
	case from.IsZero():
		return Result{}, apperr.Invalidf("from", "请填写开始日期")
	case to.IsZero():
		return Result{}, apperr.Invalidf("to", "请填写结束日期")
	}
	lo, hi, sign := from, to, 1
	if to.Before(from) {
		lo, hi, sign = to, from, -1
	}
	if hi.Time().Sub(lo.Time()).Hours()/24 > maxSpan {
		return Result{}, apperr.Invalidf("to", "两个日期相隔不能超过一百年")
	}
	w := c.walk(lo)
	for w.day.Before(hi) {
		w.step()
	}
	return w.result(from, to, sign), nil
}

// walker steps through the days after a start date, tallying what it sees.
type walker struct {
	c        *Calendar
	day      Date // the last day stepped onto
	days     int  // working days stepped onto
	holidays []Date
	makeup   []Date
	used     map[int]bool // years with a schedule that decided a day
	missing  map[int]bool // years without one
}

func (c *Calendar) walk(from Date) *walker {
	return &walker{c: c, day: from, used: map[int]bool{}, missing: map[int]bool{}}
}

// step moves to the next day and tallies it.
func (w *walker) step() {
	w.day = w.day.AddDays(1)
	switch w.c.Kind(w.day) {
	case KindWorkday:
		w.days++
	case KindMakeup:
		w.days++
		w.makeup = append(w.makeup, w.day)
	case KindHoliday:
		w.holidays = append(w.holidays, w.day)
	}
	this, next, both := deciding(w.day)
	w.note(this)
	if both {
		w.note(next)
	}
}

func (w *walker) note(year int) {
	if _, ok := w.c.years[year]; ok {
		w.used[year] = true
	} else {
		w.missing[year] = true
	}
}

func (w *walker) result(from, to Date, sign int) Result {
	r := Result{
		From:     from,
		To:       to,
		Days:     sign * w.days,
		Holidays: w.holidays,
		Makeup:   w.makeup,
	}
	if len(w.used) > 0 {
		r.Years = slices.Sorted(maps.Keys(w.used))
	}
	if len(w.missing) > 0 {
		r.Provisional = true
		r.Missing = slices.Sorted(maps.Keys(w.missing))
	}
	return r
}
