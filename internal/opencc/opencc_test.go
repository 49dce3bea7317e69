package opencc_test

import (
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/liuzl/gocc"

	"gongkai/internal/opencc"
)

// oracle converts with gocc itself, whose answers Convert must repeat.
func oracle(t testing.TB, conversion string) func(string) string {
	cc, err := gocc.New(conversion)
	if err != nil {
		t.Fatal(err)
	}
	return func(s string) string {
		out, err := cc.Convert(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
}

func converter(t testing.TB, conversion string) *opencc.Converter {
	c, err := opencc.New(conversion)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestConvertKnownPhrases(t *testing.T) {
	s2t, t2s := converter(t, "s2t"), converter(t, "t2s")
	tests := []struct {
		c        *opencc.Converter
		in, want string
	}{
		{s2t, "政府信息公开", "政府信息公開"},
		{s2t, "发布机构", "發佈機構"},
		{s2t, "里程和后面", "里程和後面"}, // 里 stays in 里程, 后 becomes 後
		{s2t, "头发", "頭髮"},
		{s2t, "", ""},
		{s2t, "ASCII <b>&amp;</b> 123", "ASCII <b>&amp;</b> 123"},
		{t2s, "資訊公開條例", "资讯公开条例"},
	}
	for _, tt := range tests {
		if got := tt.c.Convert(tt.in); got != tt.want {
			t.Errorf("Convert(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestConvertAgreesWithGocc checks whole documents, the documents cut at
// every few characters (so keys are cut in the middle), and random
// mixtures of dictionary words and ASCII.
func TestConvertAgreesWithGocc(t *testing.T) {
	for _, tt := range []struct{ conversion, file string }{
		{"s2t", "testdata/simplified.txt"},
		{"t2s", "testdata/traditional.txt"},
	} {
		b, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		want, c := oracle(t, tt.conversion), converter(t, tt.conversion)
		doc := string(b)
		check := func(s string) {
			t.Helper()
			if got, w := c.Convert(s), want(s); got != w {
				t.Fatalf("%s Convert(%q) =\n%q, gocc gives\n%q", tt.conversion, s, got, w)
			}
		}
		check(doc)
		runes := []rune(doc)
		for i := 0; i < len(runes); i += 37 {
			check(string(runes[i:min(len(runes), i+53)]))
		}
		rng := rand.New(rand.NewPCG(1, 2))
		for range 2000 {
			var sb strings.Builder
			for range rng.IntN(20) {
				switch rng.IntN(4) {
				case 0:
					sb.WriteString("ab 1")
				default:
					i := rng.IntN(len(runes))
					sb.WriteString(string(runes[i:min(len(runes), i+1+rng.IntN(6))]))
				}
			}
			check(sb.String())
		}
	}
}

// TestConvertKeepsTextAfterInvalidBytes: each byte that is not UTF-8
// becomes U+FFFD and the text after it stays. (gocc skips three bytes for
// each, losing the character that follows.)
func TestConvertKeepsTextAfterInvalidBytes(t *testing.T) {
	c := converter(t, "s2t")
	if got, want := c.Convert("发\xe5布\xff"), "發\uFFFD布\uFFFD"; got != want {
		t.Errorf("Convert = %q, want %q", got, want)
	}
}

// FuzzConvertAgreesWithGocc compares valid UTF-8 with gocc, and text with
// invalid bytes with the same text where each such byte is U+FFFD.
func FuzzConvertAgreesWithGocc(f *testing.F) {
	f.Add("政府信息公开工作年度报告")
	f.Add("发\xe5布")
	want, c := oracle(f, "s2t"), converter(f, "s2t")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			var sb strings.Builder
			for i := 0; i < len(s); {
				r, n := utf8.DecodeRuneInString(s[i:])
				sb.WriteRune(r)
				i += n
			}
			if got, w := c.Convert(s), c.Convert(sb.String()); got != w {
				t.Errorf("Convert(%q) = %q, but %q for its valid form", s, got, w)
			}
			return
		}
		if got, w := c.Convert(s), want(s); got != w {
			t.Errorf("Convert(%q) = %q, gocc gives %q", s, got, w)
		}
	})
}

func BenchmarkConvert(b *testing.B) {
	doc, err := os.ReadFile("testdata/simplified.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := string(doc)
	b.Run("opencc", func(b *testing.B) {
		c := converter(b, "s2t")
		b.SetBytes(int64(len(s)))
		for b.Loop() {
			c.Convert(s)
		}
	})
	b.Run("gocc", func(b *testing.B) {
		conv := oracle(b, "s2t")
		b.SetBytes(int64(len(s)))
		for b.Loop() {
			conv(s)
		}
	})
}
