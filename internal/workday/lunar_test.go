package workday_test

import (
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"gongkai/internal/workday"
)

// lunarOnlyHolidays are weekend days that lunar-go lists as days off because
// the notice joins a holiday to the weekend ("与周末连休") without naming them.
// The built-in data follow the notice text (REGULATIONS.md §8) and call them
// weekend days; either way they are not working days.
var lunarOnlyHolidays = map[string]bool{
	"2019-04-06": true, "2019-04-07": true, // 清明节：4月5日放假，与周末连休
	"2019-06-08": true, "2019-06-09": true, // 端午节：6月7日放假，与周末连休
	"2019-09-14": true, "2019-09-15": true, // 中秋节：9月13日放假，与周末连休
	"2023-12-30": true, "2023-12-31": true, // 2024 元旦：1月1日放假，与周末连休
	"2024-06-08": true, "2024-06-09": true, // 端午节：6月10日放假，与周末连休
}

// TestAgainstLunarGo cross-checks every day of the built-in years, and the
// last week of December before the first, against lunar-go's HolidayUtil, an
// independent source for 2023-2026 and the source of the other years.
func TestAgainstLunarGo(t *testing.T) {
	cal := workday.Embedded()
	years := cal.Years()
	first := workday.NewDate(years[0].Year-1, time.December, 25)
	last := workday.NewDate(years[len(years)-1].Year, time.December, 31)
	for d := first; !d.After(last); d = d.AddDays(1) {
		want := lunarKind(d)
		got := cal.Kind(d)
		if got == workday.KindWeekend && want == workday.KindHoliday && lunarOnlyHolidays[d.String()] {
			continue
		}
		if got != want {
			t.Errorf("Kind(%s) = %s, lunar-go says %s", d, got, want)
		}
	}
}

func lunarKind(d workday.Date) workday.DayKind {
	h := HolidayUtil.GetHolidayByYmd(d.Year(), int(d.Month()), d.Day())
	switch {
	case h == nil && (d.Weekday() == time.Saturday || d.Weekday() == time.Sunday):
		return workday.KindWeekend
	case h == nil:
		return workday.KindWorkday
	case h.IsWork():
		return workday.KindMakeup
	default:
		return workday.KindHoliday
	}
}
