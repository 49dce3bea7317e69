package workday_test

import (
	"fmt"

	"gongkai/internal/apperr"
	"gongkai/internal/workday"
)

// The reply to an application received on 2025-09-26 is due 20 working days
// later (Regulations on Open Government Information, art. 33). The count
// starts on 2025-09-27 and crosses the National Day break of 2025.
func ExampleCalendar_Add() {
	cal := workday.Embedded()
	received, _ := workday.Parse("2025-09-26")
	r, err := cal.Add(received, 20)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("due:", r.To)
	fmt.Println("days off skipped:", len(r.Holidays), "from", r.Holidays[0], "to", r.Holidays[len(r.Holidays)-1])
	fmt.Println("make-up days counted:", r.Makeup)
	fmt.Println("schedules used:", r.Years, "provisional:", r.Provisional)
	// Output:
	// due: 2025-10-30
	// days off skipped: 8 from 2025-10-01 to 2025-10-08
	// make-up days counted: [2025-09-28 2025-10-11]
	// schedules used: [2025] provisional: false
}

// A count that reaches a year whose notice is not in the calendar yet is
// still made, skipping weekends only, and says so.
func ExampleCalendar_Add_provisional() {
	cal := workday.Embedded()
	received, _ := workday.Parse("2027-12-20")
	r, _ := cal.Add(received, 20)
	fmt.Println(r.To, "provisional:", r.Provisional, "missing:", r.Missing)
	// Output:
	// 2028-01-17 provisional: true missing: [2028]
}

func ExampleCalendar_Kind() {
	cal := workday.Embedded()
	for _, s := range []string{"2024-02-09", "2024-02-10", "2024-02-18", "2024-02-24"} {
		d, _ := workday.Parse(s)
		fmt.Println(s, cal.Kind(d))
	}
	// Output:
	// 2024-02-09 workday
	// 2024-02-10 holiday
	// 2024-02-18 makeup-workday
	// 2024-02-24 weekend
}

// Working days left until a due date, and how late a reply was.
func ExampleCalendar_Between() {
	cal := workday.Embedded()
	today, _ := workday.Parse("2025-10-20")
	due, _ := workday.Parse("2025-10-30")
	left, _ := cal.Between(today, due)
	fmt.Println("working days left:", left.Days)

	sent, _ := workday.Parse("2025-11-04")
	late, _ := cal.Between(due, sent)
	fmt.Println("working days late:", late.Days)
	// Output:
	// working days left: 8
	// working days late: 3
}

// An administrator adds the next year's notice; the calendar with it is a
// new value, and the old one is unchanged.
func ExampleCalendar_WithYear() {
	cal := workday.Embedded()
	y, err := workday.ParseYear(workday.YearInput{
		Year:     "2028",
		Notices:  []workday.NoticeInput{{Title: "国务院办公厅关于2028年部分节假日安排的通知"}},
		Holidays: "2028-01-01..2028-01-03",
		Makeup:   "",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	next, err := cal.WithYear(y)
	if err != nil {
		fmt.Println(err)
		return
	}
	newYear, _ := workday.Parse("2028-01-03")
	fmt.Println(cal.Kind(newYear), next.Kind(newYear))
	// Output:
	// workday holiday
}

// What an administrator sees when the form is wrong: one message per field,
// in Simplified Chinese.
func ExampleParseYear() {
	_, err := workday.ParseYear(workday.YearInput{
		Year:     "2028",
		Notices:  []workday.NoticeInput{{Title: "国务院办公厅关于2028年部分节假日安排的通知"}},
		Holidays: "2028-01-01..2028-01-03",
		Makeup:   "2028-01-03 2028-01-05",
	})
	if inv, ok := apperr.AsInvalid(err); ok {
		fmt.Println(inv.Fields["makeup"])
	}
	// Output:
	// 2028-01-03同时列为放假日期和调休上班日期；2028-01-05是星期三，调休上班日应为星期六或星期日
}
