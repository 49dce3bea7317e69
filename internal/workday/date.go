package workday

import (
	"cmp"
	"fmt"
	"time"
)

// Date is a civil date — a year, month and day with no time of day and no
// time zone — exchanged as "YYYY-MM-DD". The zero Date is not a valid date;
// IsZero reports it. Dates are comparable with == and usable as map keys.
type Date struct {
	y int
	m time.Month
	d int
}

// dateLayout is the only textual form of a Date.
const dateLayout = "2006-01-02"

// NewDate returns the date year-month-day. Out-of-range values are normalised
// as time.Date does: NewDate(2023, 2, 30) is 2023-03-02.
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the date of t in t's own location. To take the date of an
// instant in China, pass t.In(loc) with loc the Asia/Shanghai location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y: y, m: m, d: d}
}

// Parse reads a date written exactly as YYYY-MM-DD, such as "2024-02-09".
// The error names the text and the expected form, in English.
func Parse(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("bad date %q: want YYYY-MM-DD, like 2024-02-09", s)
	}
	return DateOf(t), nil
}

// String returns the date as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.y, int(d.m), d.d)
}

// MarshalText encodes the date as YYYY-MM-DD, so that JSON and forms carry it
// as a string. The zero Date encodes as the empty string.
func (d Date) MarshalText() ([]byte, error) {
	if d.IsZero() {
		return []byte{}, nil
	}
	return []byte(d.String()), nil
}

// UnmarshalText decodes YYYY-MM-DD; the empty string gives the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Year returns the year of d.
func (d Date) Year() int { return d.y }

// Month returns the month of d.
func (d Date) Month() time.Month { return d.m }

// Day returns the day of the month of d.
func (d Date) Day() int { return d.d }

// Time returns midnight at the start of d in UTC.
func (d Date) Time() time.Time { return time.Date(d.y, d.m, d.d, 0, 0, 0, 0, time.UTC) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Time().Weekday() }

// AddDays returns the date n calendar days after d (before it when n < 0).
func (d Date) AddDays(n int) Date { return NewDate(d.y, d.m, d.d+n) }

// Compare returns -1 if d is before e, 0 if they are the same date and +1 if
// d is after e.
func (d Date) Compare(e Date) int {
	if c := cmp.Compare(d.y, e.y); c != 0 {
		return c
	}
	if c := cmp.Compare(d.m, e.m); c != 0 {
		return c
	}
	return cmp.Compare(d.d, e.d)
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// isWeekend reports whether d is a Saturday or a Sunday.
func (d Date) isWeekend() bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// Equal reports whether d and e are the same date, like d == e; it lets
// github.com/google/go-cmp compare values that hold dates.
func (d Date) Equal(e Date) bool { return d == e }
