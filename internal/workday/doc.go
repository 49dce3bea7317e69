// Package workday is the working-day calendar: which days are working days
// under the State Council's holiday schedule, and what date lies a number of
// working days after another.
//
// Why working days matter: the Regulations on Open Government Information
// (2019) count their periods in working days — art. 33: "应当自收到申请之日起
// 20个工作日内予以答复；…延长的期限最长不得超过20个工作日"; art. 30: a
// correction request within 7 working days; arts. 32 and 34: third parties
// and other agencies answer within 15 working days.
//
// # Which days are working days
//
// The Measures on National Holidays and Memorial Days (全国年节及纪念日放假办法,
// revised 2024-11-10, in force 2025-01-01) fix the statutory holidays (art. 2),
// move a holiday that falls on a weekend to a working day (art. 6) and allow
// weekends to be swapped with working days to form longer breaks (art. 7).
// Every year the General Office of the State Council publishes a notice
// (国务院办公厅关于YYYY年部分节假日安排的通知) listing the days off (放假) and the
// weekend days that become working days (调休上班). A day is therefore a
// working day if it is Monday to Friday and not listed as a day off, or if it
// is listed as a make-up working day (REGULATIONS.md §8).
//
// A notice may also list the last days of December of the year before (the
// 2019 notice made 2018-12-29 a working day and 2018-12-30 and 31 days off).
// Such days are decided by the later notice, and the last week of December of
// a year counts as settled only when the next year's notice is in the
// calendar too.
//
// # Counting
//
// Add and Between start counting on the day after the first date: the day of
// receipt itself never counts, as in the Civil Code, art. 201 ("开始的当日不计入，
// 自下一日开始计算"), which is the default Gongkai chose where the Regulations
// are silent (REGULATIONS.md, "Decisions taken for Gongkai"). The n-th working
// day is always a working day, so the rule of art. 203 (a period ending on a
// holiday ends on the next working day) holds by construction. A caller that
// counts the day of receipt itself passes the day before it.
//
// A count that passes through a day whose year has no notice in the calendar
// is not refused: it skips only weekends there and marks the result
// Provisional, naming the missing years, because "a year without an official
// holiday schedule in the calendar makes every deadline that reaches into it
// provisional, and the UI says so" (REGULATIONS.md).
//
// # Data
//
// Embedded returns the calendar built into the binary from data/holidays.json:
// one entry per year from 2019 to 2027, with the notices it came from and a
// note on where its days were taken. 2023 to 2026 are the day lists verified
// in REGULATIONS.md §8; the other years come from github.com/6tail/lunar-go's
// HolidayUtil (v1.4.7) and are marked Secondary. A test compares every day of
// every built-in year with lunar-go. A day list names only the days a notice
// names: a weekend that a notice joins to a holiday ("与周末连休") stays a
// weekend day.
// Administrators add next year's notice each winter, or correct a year;
// ParseYear checks what they type, and WithYear returns a calendar with the
// year added or replaced. A Calendar is never modified after it is built, so
// it is safe for concurrent use.
//
// This is a domain package: it imports the standard library and
// gongkai/internal/apperr only, never storage, HTTP or other Gongkai packages.
package workday
