package screening_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// The generators below make synthetic numbers for the tests. They compute
// check digits with their own code (not the package's), so a bug in one is
// not hidden by the same bug in the other. No real person's number is used:
// identity numbers use the prefecture code 99, which GB/T 2260 never
// assigns, and every other digit is pseudo-random from a fixed seed.

// testNow is the clock of every test: birth dates after it are invalid.
var testNow = time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

var provinces = []string{
	"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
	"41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
	"71", "81", "82", "83",
}

// gen draws synthetic values from a deterministic source.
type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, 0x5eed))} }

func (g *gen) digits(n int) string {
	var b strings.Builder
	for range n {
		b.WriteByte(byte('0' + g.r.IntN(10)))
	}
	return b.String()
}

// birthDate returns YYYYMMDD between 1930-01-01 and 2024-12-31.
func (g *gen) birthDate() time.Time {
	start := time.Date(1930, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(time.Date(2024, 12, 31, 0, 0, 0, 0, time.UTC).Sub(start).Hours() / 24)
	return start.AddDate(0, 0, g.r.IntN(days+1))
}

// idCheck computes the GB 11643-1999 check character: sum of digit times
// 2^(17-i) mod 11, then (12 - sum mod 11) mod 11, with 10 written X.
func idCheck(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		w := (1 << (17 - i)) % 11
		sum += int(first17[i]-'0') * w
	}
	v := (12 - sum%11) % 11
	if v == 10 {
		return 'X'
	}
	return byte('0' + v)
}

// id18 returns a valid 18-character identity number. With wantX the check
// character is X.
func (g *gen) id18(wantX bool) string {
	for {
		p := provinces[g.r.IntN(len(provinces))] + "99" + g.digits(2) + g.birthDate().Format("20060102") + g.digits(3)
		c := idCheck(p)
		if wantX == (c == 'X') {
			return p + string(c)
		}
	}
}

// id18BadCheck returns an identity number whose check character is wrong.
func (g *gen) id18BadCheck() string {
	id := g.id18(false)
	good := id[17]
	for {
		c := byte('0' + g.r.IntN(10))
		if c != good {
			return id[:17] + string(c)
		}
	}
}

// id15 returns an old 15-digit identity number.
func (g *gen) id15() string {
	for {
		d := g.birthDate()
		if d.Year() < 2000 {
			return provinces[g.r.IntN(len(provinces))] + "99" + g.digits(2) + d.Format("060102") + g.digits(3)
		}
	}
}

func (g *gen) mobile() string {
	return "1" + string(byte('3'+g.r.IntN(7))) + g.digits(9)
}

// luhnDigit returns the digit that completes body under the Luhn check.
func luhnDigit(body string) byte {
	sum := 0
	for i := 0; i < len(body); i++ {
		v := int(body[len(body)-1-i] - '0')
		if i%2 == 0 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return byte('0' + (10-sum%10)%10)
}

// card returns a Luhn-valid UnionPay-style number of n digits (62…).
func (g *gen) card(n int) string {
	body := "62" + g.digits(n-3)
	return body + string(luhnDigit(body))
}

// creditCode returns a valid all-digit or mixed unified social credit code.
func (g *gen) creditCode(allDigits bool) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	for {
		var b strings.Builder
		b.WriteString([]string{"11", "12", "13", "51", "52", "91", "92", "93"}[g.r.IntN(8)])
		b.WriteString("4213" + g.digits(2))
		for range 9 {
			if allDigits {
				b.WriteByte(chars[g.r.IntN(10)])
			} else {
				b.WriteByte(chars[g.r.IntN(len(chars))])
			}
		}
		s := b.String()
		sum := 0
		for i := range 17 {
			sum += strings.IndexByte(chars, s[i]) * weights[i]
		}
		c := chars[(31-sum%31)%31]
		if allDigits && c > '9' {
			continue
		}
		return s + string(c)
	}
}

// group writes s in groups of the given sizes joined by sep.
func group(s, sep string, sizes ...int) string {
	var parts []string
	for _, n := range sizes {
		parts = append(parts, s[:n])
		s = s[n:]
	}
	if s != "" {
		parts = append(parts, s)
	}
	return strings.Join(parts, sep)
}

// fullWidth turns ASCII digits and X into their full-width forms.
func fullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r - '0' + '０')
		case r == 'X':
			b.WriteRune('Ｘ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// placeholder expands one {name} of the corpus.
func (g *gen) placeholder(name string) (string, error) {
	switch name {
	case "id18":
		return g.id18(false), nil
	case "id18x":
		return g.id18(true), nil
	case "id18lowx":
		return strings.ToLower(g.id18(true)), nil
	case "id18sp":
		return group(g.id18(false), " ", 6, 8), nil
	case "id18fw":
		return fullWidth(g.id18(g.r.IntN(2) == 0)), nil
	case "id18bad":
		return g.id18BadCheck(), nil
	case "id15":
		return g.id15(), nil
	case "mobile":
		return g.mobile(), nil
	case "mobile-sp":
		return group(g.mobile(), " ", 3, 4), nil
	case "mobile-dash":
		return group(g.mobile(), "-", 3, 4), nil
	case "mobile86":
		return "86" + g.mobile(), nil
	case "mobile+86":
		return "+86" + g.mobile(), nil
	case "mobile+86sp":
		return "+86 " + group(g.mobile(), " ", 3, 4), nil
	case "mobile0086":
		return "0086-" + group(g.mobile(), "-", 3, 4), nil
	case "mobilefw":
		return fullWidth(g.mobile()), nil
	case "card16":
		return g.card(16), nil
	case "card17":
		return g.card(17), nil
	case "card19":
		return g.card(19), nil
	case "card16sp":
		return group(g.card(16), " ", 4, 4, 4), nil
	case "card19sp":
		return group(g.card(19), " ", 4, 4, 4, 4), nil
	case "card16dash":
		return group(g.card(16), "-", 4, 4, 4), nil
	case "credit":
		return g.creditCode(false), nil
	case "creditdigits":
		return g.creditCode(true), nil
	case "landline":
		return "0" + string(byte('1'+g.r.IntN(9))) + g.digits(2) + "-" + string(byte('2'+g.r.IntN(7))) + g.digits(6), nil
	case "date":
		return g.birthDate().Format("20060102"), nil
	}
	return "", fmt.Errorf("unknown placeholder {%s}", name)
}
