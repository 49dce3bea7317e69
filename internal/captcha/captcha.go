// Package captcha is a text challenge for public forms that works without
// JavaScript and without images: a small sum written in Chinese numerals
// ("三加五等于几？"), which a screen reader reads aloud like any other text, so
// the challenge is its own accessible alternative. The answer may be typed
// in Arabic or Chinese numerals. Challenges are stateless: the token carries
// the expiry and an HMAC of the answer, so any node with the secret can
// check it; a per-node memory of used tokens stops replays within the
// expiry. It depends only on the standard library.
package captcha

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Challenge is one question and the token to send back with the answer.
type Challenge struct {
	Question string
	Token    string
}

// Service issues and checks challenges. Safe for concurrent use.
type Service struct {
	secret []byte
	now    func() time.Time
	ttl    time.Duration

	mu   sync.Mutex
	used map[string]time.Time // token → expiry; guarded by mu
}

// New returns a Service signing with secret (at least 16 bytes; the same
// on every node). Challenges expire after 30 minutes.
func New(secret []byte, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{secret: secret, now: now, ttl: 30 * time.Minute, used: map[string]time.Time{}}
}

var digits = []string{"零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}

func numeral(n int) string {
	switch {
	case n <= 10:
		return digits[n]
	case n < 20:
		return "十" + digits[n-10]
	}
	s := digits[n/10] + "十"
	if n%10 != 0 {
		s += digits[n%10]
	}
	return s
}

func randInt(n int) int {
	v, err := rand.Int(rand.Reader, big.NewInt(int64(n)))
	if err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return int(v.Int64())
}

// New returns a fresh challenge: an addition or a subtraction of numbers
// up to twenty with a result from 0 to 30.
func (s *Service) New() Challenge {
	a, b := randInt(20)+1, randInt(10)+1
	var q string
	var ans int
	if randInt(2) == 0 {
		q, ans = numeral(a)+"加"+numeral(b)+"等于几？", a+b
	} else {
		if b > a {
			a, b = b, a
		}
		q, ans = numeral(a)+"减"+numeral(b)+"等于几？", a-b
	}
	exp := s.now().Add(s.ttl).Unix()
	nonce := make([]byte, 12)
	if _, err := rand.Read(nonce); err != nil {
		panic(err)
	}
	msg := make([]byte, 8, 8+len(nonce))
	binary.BigEndian.PutUint64(msg, uint64(exp))
	msg = append(msg, nonce...)
	tok := append(msg, s.mac(msg, ans)...)
	return Challenge{Question: q, Token: base64.RawURLEncoding.EncodeToString(tok)}
}

func (s *Service) mac(msg []byte, answer int) []byte {
	m := hmac.New(sha256.New, s.secret)
	m.Write(msg)
	m.Write([]byte(strconv.Itoa(answer)))
	return m.Sum(nil)[:16]
}

// Verify reports whether answer solves the challenge of token, which must
// not have expired or been used before. A token is used up by a correct
// answer only, so a typo can be corrected with the same question.
func (s *Service) Verify(token, answer string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 8+12+16 {
		return false
	}
	exp := time.Unix(int64(binary.BigEndian.Uint64(b[:8])), 0)
	now := s.now()
	if now.After(exp) {
		return false
	}
	n, ok := parseAnswer(answer)
	if !ok || !hmac.Equal(b[20:], s.mac(b[:20], n)) {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, e := range s.used {
		if now.After(e) {
			delete(s.used, k)
		}
	}
	if _, dup := s.used[token]; dup {
		return false
	}
	s.used[token] = exp
	return true
}

// parseAnswer reads a number written in Arabic digits (half or full width)
// or in Chinese numerals up to 九十九.
func parseAnswer(s string) (int, bool) {
	s = strings.TrimSpace(s)
	s = strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0
	}
	val := func(r string) int {
		for i, d := range digits[:10] {
			if d == r {
				return i
			}
		}
		switch r {
		case "〇":
			return 0
		case "两":
			return 2
		}
		return -1
	}
	rs := strings.Split(s, "")
	switch {
	case len(rs) == 1 && rs[0] == "十":
		return 10, true
	case len(rs) == 1:
		v := val(rs[0])
		return v, v >= 0
	case len(rs) == 2 && rs[0] == "十":
		v := val(rs[1])
		return 10 + v, v >= 0
	case len(rs) == 2 && rs[1] == "十":
		v := val(rs[0])
		return v * 10, v > 0
	case len(rs) == 3 && rs[1] == "十":
		a, b := val(rs[0]), val(rs[2])
		return a*10 + b, a > 0 && b >= 0
	}
	return 0, false
}
