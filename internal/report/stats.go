package report

import (
	"gongkai/internal/apply"
	"gongkai/internal/workday"
)

// Stats are the figures of the statistics dashboard for one org (or an org
// and its subtree, such as the whole site group) and one calendar year.
type Stats struct {
	Year          int
	ItemsByMonth  [12]int64     // items first published, by month (China time)
	ItemsByColumn []ColumnCount // by primary column, largest first
	// Outcomes counts applications answered in the year by category, in
	// apply.Categories order.
	Outcomes [6]int64
	Received int64 // applications received in the year
	Answered int64 // answered in the year
	Late     int64 // of those, answered after the deadline
	Open     int64 // received by today and not answered
	Overdue  int64 // of the open ones, past their deadline today
	// Handled are the receipt and answer days of the applications answered
	// in the year, for the handling time.
	Handled []Handled
}

// Handled is one answered application's receipt and answer day.
type Handled struct{ Received, Answered string }

// AvgHandlingDays is the average number of working days from receipt to
// answer of the applications answered in the year (the statutory limit is
// 20 working days, 条例 art. 33), counted with cal; 0 when none.
func (s Stats) AvgHandlingDays(cal *workday.Calendar) float64 {
	var total, n int
	for _, h := range s.Handled {
		from, err1 := workday.Parse(h.Received)
		to, err2 := workday.Parse(h.Answered)
		if err1 != nil || err2 != nil {
			continue
		}
		res, err := cal.Between(from, to)
		if err != nil {
			continue
		}
		total += res.Days
		n++
	}
	if n == 0 {
		return 0
	}
	return float64(total) / float64(n)
}

// OutcomeLabels are the names of the outcome categories, in the order of
// Stats.Outcomes.
func OutcomeLabels() []string {
	var out []string
	for _, c := range apply.Categories() {
		out = append(out, c.Label())
	}
	return out
}

// CategoryIndex returns the position of c in Stats.Outcomes.
func CategoryIndex(c apply.Category) (int, bool) {
	for i, x := range apply.Categories() {
		if x == c {
			return i, true
		}
	}
	return 0, false
}
