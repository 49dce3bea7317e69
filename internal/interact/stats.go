package interact

import (
	"slices"

	"gongkai/internal/workday"
)

// Filter selects messages for lists and statistics.
type Filter struct {
	OrgIDs    []int64 // nil: every org; empty: none
	Open      bool    // only those not answered or rejected
	State     State
	Kind      Kind
	Published bool         // only those on the public list
	Query     string       // words in the public subject, question or answer (public list)
	From, To  workday.Date // day of receipt, inclusive; zero: unbounded
	Limit     int
	Offset    int
}

// Figures are counts of messages for an org (or all) over a period.
type Figures struct {
	Received int // submitted in the period
	Answered int // of those, answered
	Rejected int // of those, refused as out of scope
	Open     int // of those, still open
	Late     int // answered after the deadline
	Overdue  int // open past the deadline as of the day of the figures

	AnswerDaysTotal int // working days from receipt to answer, summed
	ByKind          map[Kind]int
	ByLevel         map[Level]int // satisfaction ratings
	Rated           int
}

// AvgAnswerDays is the average answer time in working days; 0 when
// nothing was answered.
func (f Figures) AvgAnswerDays() float64 {
	if f.Answered == 0 {
		return 0
	}
	return float64(f.AnswerDaysTotal) / float64(f.Answered)
}

// Satisfaction is the share of ratings that are 满意 or 基本满意, in
// percent; 0 when nothing was rated.
func (f Figures) Satisfaction() float64 {
	if f.Rated == 0 {
		return 0
	}
	return float64(f.ByLevel[LevelSatisfied]+f.ByLevel[LevelBasic]) * 100 / float64(f.Rated)
}

// add counts m into f.
func (f *Figures) add(cal *workday.Calendar, m *Message, today workday.Date) {
	if f.ByKind == nil {
		f.ByKind, f.ByLevel = map[Kind]int{}, map[Level]int{}
	}
	f.Received++
	f.ByKind[m.Kind]++
	switch m.State {
	case StateAnswered:
		f.Answered++
		f.AnswerDaysTotal += AnswerDays(cal, m.ReceivedOn, m.AnsweredOn)
		if m.Late {
			f.Late++
		}
	case StateRejected:
		f.Rejected++
	default:
		f.Open++
		if !m.DueOn.IsZero() && today.After(m.DueOn) {
			f.Overdue++
		}
	}
	if m.Rating != nil {
		f.Rated++
		f.ByLevel[m.Rating.Level]++
	}
}

// Stats are the statistics of public interaction for the annual report
// and the dashboard: overall, by org and by month of receipt ("2026-03").
type Stats struct {
	Total   Figures
	ByOrg   map[int64]Figures
	ByMonth map[string]Figures
}

// Months lists the months present, in order.
func (s Stats) Months() []string {
	out := make([]string, 0, len(s.ByMonth))
	for k := range s.ByMonth {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// Summarize computes the statistics of msgs (with their ratings) as of
// today. It is pure; the store supplies the messages of the period.
func Summarize(cal *workday.Calendar, msgs []Message, today workday.Date) Stats {
	s := Stats{ByOrg: map[int64]Figures{}, ByMonth: map[string]Figures{}}
	for i := range msgs {
		m := &msgs[i]
		s.Total.add(cal, m, today)
		f := s.ByOrg[m.OrgID]
		f.add(cal, m, today)
		s.ByOrg[m.OrgID] = f
		month := m.ReceivedOn.String()
		if len(month) >= 7 {
			month = month[:7]
		}
		g := s.ByMonth[month]
		g.add(cal, m, today)
		s.ByMonth[month] = g
	}
	return s
}
