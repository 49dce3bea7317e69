package screening_test

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"gongkai/internal/screening"
)

// benchText returns about size bytes of plain Chinese text: the seed report
// repeated, with a few numbers (dates, amounts, phone and identity
// numbers) mixed in every paragraph, as a long list or report would have.
func benchText(b *testing.B, size int) string {
	b.Helper()
	seed, err := os.ReadFile("testdata/seed-suizhou-minzheng-2017.txt")
	if err != nil {
		b.Fatalf("read seed: %v", err)
	}
	paras := strings.Split(string(seed), "\n")
	g := newGen(7)
	var sb strings.Builder
	sb.Grow(size + 4096)
	for i := 0; sb.Len() < size; i++ {
		sb.WriteString(paras[i%len(paras)])
		switch i % 5 {
		case 0:
			sb.WriteString("发布日期：2023-12-31，金额1234.56万元。")
		case 1:
			sb.WriteString("联系电话：0722-3335678，手机" + g.mobile() + "。")
		case 2:
			sb.WriteString("身份证号" + g.id18(false) + "，索引号011043240/2017-00123。")
		case 3:
			sb.WriteString("随民发〔2017〕12号，共" + g.digits(4) + "户。")
		}
		sb.WriteByte('\n')
	}
	return sb.String()
}

// randomWords returns n distinct words of 2–4 characters drawn uniformly
// from alphabet, deterministically.
func randomWords(n int, alphabet []rune, seed uint64) []screening.Word {
	r := rand.New(rand.NewPCG(seed, 1))
	seen := map[string]bool{}
	var words []screening.Word
	for len(words) < n {
		l := 2 + r.IntN(3)
		var sb strings.Builder
		for range l {
			sb.WriteRune(alphabet[r.IntN(len(alphabet))])
		}
		w := sb.String()
		if seen[w] {
			continue
		}
		seen[w] = true
		sev := screening.SeverityWarning
		if r.IntN(4) == 0 {
			sev = screening.SeverityBlocking
		}
		words = append(words, screening.Word{Text: w, Severity: sev})
	}
	return words
}

// cjkRange is the CJK Unified Ideographs block of GB 18030 (一 to 龥).
func cjkRange() []rune {
	var rs []rune
	for r := rune(0x4E00); r <= 0x9FA5; r++ {
		rs = append(rs, r)
	}
	return rs
}

// seedRunes are the distinct Han characters of the text, so that words
// built from them share prefixes with it and exercise the automaton.
func seedRunes(text string) []rune {
	seen := map[rune]bool{}
	var rs []rune
	for _, r := range text {
		if r >= 0x4E00 && r <= 0x9FFF && !seen[r] {
			seen[r] = true
			rs = append(rs, r)
		}
	}
	return rs
}

// BenchmarkScan scans 4 MiB of Chinese text with every built-in detector
// and a 10,000-word list. "random-words" draws the words from the whole
// CJK block, like a real list of rare terms; "seed-charset-words" draws
// them from the characters of the text itself, the worst case for the
// automaton (many partial matches, hundreds of hits per MiB).
func BenchmarkScan(b *testing.B) {
	text := benchText(b, 4<<20)
	if !utf8.ValidString(text) {
		b.Fatal("bench text is not valid UTF-8")
	}
	for _, bc := range []struct {
		name     string
		alphabet []rune
	}{
		{"random-words", cjkRange()},
		{"seed-charset-words", seedRunes(text)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			wl, err := screening.NewWordList(randomWords(10000, bc.alphabet, 42))
			if err != nil {
				b.Fatalf("NewWordList: %v", err)
			}
			opts := screening.Options{Words: wl, Now: fixedNow, Location: "body"}
			b.SetBytes(int64(len(text)))
			b.ReportAllocs()
			var n int
			for b.Loop() {
				n = len(screening.Scan(text, opts))
			}
			b.ReportMetric(float64(n), "findings")
		})
	}
}

// BenchmarkNewWordList builds a 10,000-word list.
func BenchmarkNewWordList(b *testing.B) {
	words := randomWords(10000, cjkRange(), 42)
	for b.Loop() {
		if _, err := screening.NewWordList(words); err != nil {
			b.Fatalf("NewWordList: %v", err)
		}
	}
}
