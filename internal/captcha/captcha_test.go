package captcha_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"gongkai/internal/captcha"
)

// solve answers a question by parsing it, as a person would.
func solve(t *testing.T, q string) int {
	t.Helper()
	nums := map[string]int{}
	for i, d := range []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"} {
		nums[d] = i
	}
	parse := func(s string) int {
		switch r := []rune(s); {
		case len(r) == 1:
			return nums[s]
		case len(r) == 2 && r[0] == '十':
			return 10 + nums[string(r[1])]
		case len(r) == 2:
			return nums[string(r[0])] * 10
		default:
			return nums[string(r[0])]*10 + nums[string(r[2])]
		}
	}
	q = strings.TrimSuffix(q, "等于几？")
	if a, b, ok := strings.Cut(q, "加"); ok {
		return parse(a) + parse(b)
	}
	a, b, _ := strings.Cut(q, "减")
	return parse(a) - parse(b)
}

func TestVerify(t *testing.T) {
	now := time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s := captcha.New([]byte("0123456789abcdef"), clock)
	for range 50 {
		c := s.New()
		ans := solve(t, c.Question)
		if ans < 0 || ans > 30 {
			t.Fatalf("%s = %d, out of range", c.Question, ans)
		}
		if s.Verify(c.Token, strconv.Itoa(ans+1)) {
			t.Fatalf("wrong answer accepted for %s", c.Question)
		}
		if !s.Verify(c.Token, strconv.Itoa(ans)) {
			t.Fatalf("right answer %d refused for %s", ans, c.Question)
		}
		if s.Verify(c.Token, strconv.Itoa(ans)) {
			t.Fatal("a used token was accepted again")
		}
	}
	c := s.New()
	other := captcha.New([]byte("fedcba9876543210"), clock)
	if other.Verify(c.Token, strconv.Itoa(solve(t, c.Question))) {
		t.Error("token accepted under another secret")
	}
	now = now.Add(31 * time.Minute)
	if s.Verify(c.Token, strconv.Itoa(solve(t, c.Question))) {
		t.Error("expired token accepted")
	}
	if s.Verify("garbage", "1") {
		t.Error("garbage token accepted")
	}
}

func TestChineseAnswers(t *testing.T) {
	s := captcha.New([]byte("0123456789abcdef"), nil)
	for range 200 {
		c := s.New()
		n := solve(t, c.Question)
		words := map[int]string{0: "零", 1: "一", 2: "二", 3: "三", 4: "四", 5: "五", 6: "六", 7: "七", 8: "八", 9: "九", 10: "十"}
		var w string
		switch {
		case n <= 10:
			w = words[n]
		case n < 20:
			w = "十" + words[n-10]
		case n%10 == 0:
			w = words[n/10] + "十"
		default:
			w = words[n/10] + "十" + words[n%10]
		}
		if !s.Verify(c.Token, w) {
			t.Fatalf("%s answered %q refused", c.Question, w)
		}
	}
	c := s.New()
	full := strings.Map(func(r rune) rune { return r - '0' + '０' }, strconv.Itoa(solve(t, c.Question)))
	if !s.Verify(c.Token, full) {
		t.Errorf("full-width digits %q refused", full)
	}
}
