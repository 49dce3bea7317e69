package screening_test

import (
	"os"
	"strings"
	"testing"

	"gongkai/internal/screening"
)

// corpusCase is one expanded line of testdata/corpus.txt.
type corpusCase struct {
	line int
	text string
	want []wantSpan // empty for a negative
}

type wantSpan struct {
	kind       screening.Kind
	conf       screening.Confidence // "" when the line does not say
	start, end int
}

// expansions is how many times a line with placeholders is expanded.
const expansions = 60

// loadCorpus reads testdata/corpus.txt, expands its placeholders with a
// deterministic generator and resolves the [[...]] markers into spans.
func loadCorpus(t *testing.T) []corpusCase {
	t.Helper()
	data, err := os.ReadFile("testdata/corpus.txt")
	if err != nil {
		t.Fatalf("read corpus: %v", err)
	}
	g := newGen(1)
	var cases []corpusCase
	for n, line := range strings.Split(string(data), "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		head, text, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("corpus line %d: no tab", n+1)
		}
		kind, conf, _ := strings.Cut(head, "/")
		times := 1
		if strings.Contains(text, "{") {
			times = expansions
		}
		for range times {
			expanded, err := expand(g, text)
			if err != nil {
				t.Fatalf("corpus line %d: %v", n+1, err)
			}
			c := corpusCase{line: n + 1}
			c.text, c.want = resolveSpans(expanded, screening.Kind(kind), screening.Confidence(conf))
			if kind == "none" && len(c.want) > 0 {
				t.Fatalf("corpus line %d: negative with a marked span", n+1)
			}
			if kind != "none" && len(c.want) == 0 {
				t.Fatalf("corpus line %d: positive without a marked span", n+1)
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// expand replaces every {name} in text.
func expand(g *gen, text string) (string, error) {
	var b strings.Builder
	for {
		i := strings.IndexByte(text, '{')
		if i < 0 {
			b.WriteString(text)
			return b.String(), nil
		}
		j := strings.IndexByte(text[i:], '}')
		v, err := g.placeholder(text[i+1 : i+j])
		if err != nil {
			return "", err
		}
		b.WriteString(text[:i])
		b.WriteString(v)
		text = text[i+j+1:]
	}
}

// corpusKinds are the kinds the corpus measures.
var corpusKinds = []screening.Kind{
	screening.KindIDNumber, screening.KindMobile, screening.KindBankCard, screening.KindEmail,
	screening.KindAddress, screening.KindMarking, screening.KindSensitiveWord,
}

func isKind(s string) bool {
	for _, k := range corpusKinds {
		if string(k) == s {
			return true
		}
	}
	return false
}

// resolveSpans removes the [[ ]] markers and returns their byte spans; a
// marker may name its own kind as [[kind:...]].
func resolveSpans(text string, kind screening.Kind, conf screening.Confidence) (string, []wantSpan) {
	var b strings.Builder
	var spans []wantSpan
	for {
		i := strings.Index(text, "[[")
		if i < 0 {
			b.WriteString(text)
			return b.String(), spans
		}
		j := strings.Index(text[i:], "]]")
		b.WriteString(text[:i])
		inner := text[i+2 : i+j]
		k, c := kind, conf
		if other, rest, ok := strings.Cut(inner, ":"); ok && isKind(other) {
			k, c, inner = screening.Kind(other), "", rest
		}
		start := b.Len()
		b.WriteString(inner)
		spans = append(spans, wantSpan{k, c, start, b.Len()})
		text = text[i+j+2:]
	}
}

// testWords is the word list of the corpus.
func testWords(t testing.TB) *screening.WordList {
	t.Helper()
	wl, err := screening.NewWordList([]screening.Word{
		{Text: "测试敏感词", Severity: screening.SeverityBlocking},
		{Text: "违禁品"},
		{Text: "赌博网站", Severity: screening.SeverityBlocking},
		{Text: "敏感词甲"},
		{Text: "BadWord"},
	})
	if err != nil {
		t.Fatalf("NewWordList: %v", err)
	}
	return wl
}

// TestCorpusPrecisionAndRecall scans every corpus case, prints precision
// and recall per kind, and fails when identity, mobile or card recall is
// below 0.99, when any kind's precision or recall is below 0.99, or when a
// negative line yields any finding.
func TestCorpusPrecisionAndRecall(t *testing.T) {
	cases := loadCorpus(t)
	opts := screening.Options{Now: fixedNow, Words: testWords(t), Location: "corpus"}
	type tally struct{ tp, fn, fp, wrongConf int }
	stats := map[screening.Kind]*tally{}
	for _, k := range corpusKinds {
		stats[k] = &tally{}
	}
	negatives, negativeHits := 0, 0
	for _, c := range cases {
		got := screening.Scan(c.text, opts)
		if len(c.want) == 0 {
			negatives++
		}
		matched := make([]bool, len(got))
		for _, w := range c.want {
			found := false
			for i, f := range got {
				if f.Kind == w.kind && f.Offset == w.start && f.End() == w.end {
					found, matched[i] = true, true
					if w.conf != "" && f.Confidence != w.conf {
						stats[w.kind].wrongConf++
						t.Errorf("line %d: %s confidence = %s, want %s in %q", c.line, f.Kind, f.Confidence, w.conf, screening.Mask(c.text, got))
					}
					break
				}
			}
			if found {
				stats[w.kind].tp++
			} else {
				stats[w.kind].fn++
				t.Logf("line %d: missed %s at [%d:%d] in %q; got %v", c.line, w.kind, w.start, w.end, c.text, got)
			}
		}
		for i, f := range got {
			if matched[i] {
				continue
			}
			stats[f.Kind].fp++
			if len(c.want) == 0 {
				negativeHits++
				t.Errorf("line %d: negative %q yields %v", c.line, c.text, f)
			} else {
				t.Logf("line %d: unexpected %v in %q", c.line, f, c.text)
			}
		}
	}
	t.Logf("%d cases, %d negatives", len(cases), negatives)
	t.Logf("%-15s %6s %6s %6s %9s %7s", "kind", "tp", "fn", "fp", "precision", "recall")
	for _, k := range corpusKinds {
		s := stats[k]
		precision := ratio(s.tp, s.tp+s.fp)
		recall := ratio(s.tp, s.tp+s.fn)
		t.Logf("%-15s %6d %6d %6d %9.4f %7.4f", k, s.tp, s.fn, s.fp, precision, recall)
		if s.tp+s.fn == 0 {
			t.Errorf("%s: no positive cases in the corpus", k)
		}
		if recall < 0.99 {
			t.Errorf("%s: recall = %.4f, want >= 0.99", k, recall)
		}
		if precision < 0.99 {
			t.Errorf("%s: precision = %.4f, want >= 0.99", k, precision)
		}
	}
	if negativeHits > 0 {
		t.Errorf("negatives yield %d findings, want 0", negativeHits)
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// TestScanSeedReportIsClean puts the seed document (the 2017 report of the
// Suizhou civil affairs bureau, Traditional Chinese as published) and its
// sentences about secrets through every detector: an ordinary report must
// not block, nor raise warnings.
func TestScanSeedReportIsClean(t *testing.T) {
	seed, err := os.ReadFile("testdata/seed-suizhou-minzheng-2017.txt")
	if err != nil {
		t.Fatalf("read seed: %v", err)
	}
	got := screening.Scan(string(seed), screening.Options{Now: fixedNow, Words: testWords(t), Location: "body"})
	for _, f := range got {
		t.Errorf("seed report: unexpected finding %v", f)
	}
}
