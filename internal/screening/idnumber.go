package screening

import "time"

// civilDate is a calendar date without a time zone.
type civilDate struct{ year, month, day int }

func dateOf(t time.Time) civilDate {
	y, m, d := t.Date()
	return civilDate{y, int(m), d}
}

func (a civilDate) after(b civilDate) bool {
	if a.year != b.year {
		return a.year > b.year
	}
	if a.month != b.month {
		return a.month > b.month
	}
	return a.day > b.day
}

// atoi parses ASCII digits; the caller has checked them.
func atoi(d []byte) int {
	n := 0
	for _, c := range d {
		n = n*10 + int(c-'0')
	}
	return n
}

// validDate reports whether d (YYYYMMDD, ASCII digits) is a real calendar
// date from 1900-01-01 up to and including today.
func validDate(d []byte, today civilDate) bool {
	if len(d) != 8 || !allDigits(d) {
		return false
	}
	c := civilDate{atoi(d[0:4]), atoi(d[4:6]), atoi(d[6:8])}
	if c.year < 1900 || c.month < 1 || c.month > 12 || c.day < 1 {
		return false
	}
	if c.day > daysIn(c.year, c.month) {
		return false
	}
	return !c.after(today)
}

func daysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// validRegion reports whether the first two digits of d are a
// province-level division code of GB/T 2260 (plus 71 Taiwan, 81 Hong Kong,
// 82 Macao and 83, used on residence permits for Taiwan residents).
func validRegion(d []byte) bool {
	if len(d) < 6 || string(d[:6]) == "000000" {
		return false
	}
	switch p := atoi(d[:2]); {
	case p >= 11 && p <= 15, p >= 21 && p <= 23, p >= 31 && p <= 37,
		p >= 41 && p <= 46, p >= 50 && p <= 54, p >= 61 && p <= 65,
		p == 71, p == 81, p == 82, p == 83:
		return true
	}
	return false
}

// idWeights are the weights of ISO 7064 MOD 11-2 as used by GB 11643-1999.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

// idCheckChar returns the GB 11643-1999 check character for the first 17
// ASCII digits of d.
func idCheckChar(d []byte) byte {
	sum := 0
	for i, w := range idWeights {
		sum += int(d[i]-'0') * w
	}
	return "10X98765432"[sum%11]
}

// classifyID18 checks an 18-character identity number (ASCII digits, last
// may be 'X'). A wrong check character with a valid region and birth date is
// still reported, at low confidence: a typo does not make the number less
// personal.
//
// An all-digit string can pass both the identity check and the credit code
// check (one identity number in 31 does). A credit code rarely looks like
// a birth date in positions 7–14, so the identity check decides: when it
// passes the string is an identity number; when it fails but the credit
// code check passes, it is a credit code and not reported.
func (ns *numberScanner) classifyID18(d []byte) classification {
	if len(d) != 18 || !allDigits(d[:17]) || !(d[17] == 'X' || d[17]-'0' < 10) {
		return classification{}
	}
	if !validRegion(d) || !validDate(d[6:14], ns.today) {
		return classification{}
	}
	switch {
	case idCheckChar(d) == d[17]:
		return classification{KindIDNumber, ConfidenceHigh, "公民身份号码"}
	case ValidCreditCode(string(d)):
		return classification{}
	}
	return classification{KindIDNumber, ConfidenceLow, "疑似公民身份号码（校验码不符）"}
}

// classifyID15 checks an old 15-digit identity number: region, then a
// birth date YYMMDD in the 1900s, then a 3-digit sequence. The form has no
// check digit, so a match is low confidence.
func (ns *numberScanner) classifyID15(d []byte) classification {
	if len(d) != 15 || !allDigits(d) || !validRegion(d) {
		return classification{}
	}
	var date [8]byte
	date[0], date[1] = '1', '9'
	copy(date[2:], d[6:12])
	if !validDate(date[:], ns.today) {
		return classification{}
	}
	return classification{KindIDNumber, ConfidenceLow, "疑似15位旧版公民身份号码"}
}

// ValidIDNumber reports whether s is a well-formed 18-character resident
// identity number (GB 11643-1999): 17 ASCII digits and a check character
// (digit or X, upper or lower case) that matches, a province-level region
// code, and a birth date between 1900-01-01 and now. It does not say that
// the number was ever issued. Forms use it to check an applicant's number.
func ValidIDNumber(s string, now time.Time) bool {
	if len(s) != 18 {
		return false
	}
	d := []byte(s)
	if d[17] == 'x' {
		d[17] = 'X'
	}
	ns := numberScanner{today: dateOf(now)}
	return ns.classifyID18(d).conf == ConfidenceHigh
}
