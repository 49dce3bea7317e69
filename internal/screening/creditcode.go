package screening

// creditCodeChars is the alphabet of the unified social credit code
// (统一社会信用代码), GB 32100-2015: digits and upper-case letters without
// I, O, S, V and Z. A character's value is its index.
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights are the weights of positions 1–17 (3^i mod 31).
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

func creditCodeValue(c byte) int {
	for i := 0; i < len(creditCodeChars); i++ {
		if creditCodeChars[i] == c {
			return i
		}
	}
	return -1
}

// ValidCreditCode reports whether s is a well-formed unified social credit
// code (统一社会信用代码) of GB 32100-2015: 18 characters from the code's
// alphabet (upper case only; callers normalise input first), the
// administrative division code in positions 3–8 made of digits, and a
// matching check character. Credit codes identify organisations and are
// public, so Scan never reports them; forms use this to validate a field.
func ValidCreditCode(s string) bool {
	if len(s) != 18 {
		return false
	}
	for i := 2; i < 8; i++ {
		if s[i]-'0' >= 10 {
			return false
		}
	}
	sum := 0
	for i, w := range creditCodeWeights {
		v := creditCodeValue(s[i])
		if v < 0 {
			return false
		}
		sum += v * w
	}
	check := (31 - sum%31) % 31
	return creditCodeValue(s[17]) == check
}
