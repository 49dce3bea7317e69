package screening_test

import (
	"errors"
	"strings"
	"sync"
	"testing"

	"gongkai/internal/apperr"
	"gongkai/internal/screening"
)

func mustWordList(t *testing.T, words ...screening.Word) *screening.WordList {
	t.Helper()
	wl, err := screening.NewWordList(words)
	if err != nil {
		t.Fatalf("NewWordList(%v): %v", words, err)
	}
	return wl
}

func TestWordListMatches(t *testing.T) {
	wl := mustWordList(t,
		screening.Word{Text: "he"},
		screening.Word{Text: "she", Severity: screening.SeverityBlocking},
		screening.Word{Text: "his"},
		screening.Word{Text: "hers"},
		screening.Word{Text: "敏感"},
		screening.Word{Text: "敏感词", Severity: screening.SeverityBlocking},
		screening.Word{Text: "词汇"},
		screening.Word{Text: "𠮷野家"}, // outside the Basic Multilingual Plane
		screening.Word{Text: "Ünïcode"},
	)
	tests := []struct {
		name string
		text string
		want []string
	}{
		{name: "classic overlapping patterns keep the leftmost longest", text: "ushers", want: []string{"she"}},
		{name: "longest at the same start", text: "hers", want: []string{"hers"}},
		{name: "Chinese longest match", text: "这是敏感词汇表", want: []string{"敏感词"}},
		{name: "shorter word when the longer is incomplete", text: "敏感度", want: []string{"敏感"}},
		{name: "ASCII case folded", text: "SHE said HIS", want: []string{"SHE", "HIS"}},
		{name: "non-ASCII letters match exactly", text: "Ünïcode ünïcode", want: []string{"Ünïcode"}},
		{name: "supplementary plane", text: "去𠮷野家吃饭", want: []string{"𠮷野家"}},
		{name: "failure links across a partial match", text: "敏敏感词", want: []string{"敏感词"}},
		{name: "no match", text: "政务公开", want: nil},
		{name: "invalid UTF-8 around a word", text: "\xff敏感\xe6\x95", want: []string{"敏感"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := screening.Scan(tt.text, screening.Options{Words: wl, Kinds: []screening.Kind{screening.KindSensitiveWord}})
			var got []string
			for _, f := range fs {
				got = append(got, tt.text[f.Offset:f.End()])
				if f.Excerpt != tt.text[f.Offset:f.End()] {
					t.Errorf("excerpt = %q, want the word %q", f.Excerpt, tt.text[f.Offset:f.End()])
				}
			}
			if !equalStrings(got, tt.want) {
				t.Errorf("Scan(%q) words = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestWordListSeverity(t *testing.T) {
	wl := mustWordList(t,
		screening.Word{Text: "甲"},
		screening.Word{Text: "乙", Severity: screening.SeverityBlocking},
		screening.Word{Text: "乙", Severity: screening.SeverityWarning},
		screening.Word{Text: " 丙 ", Severity: screening.SeverityWarning},
		screening.Word{Text: "丙", Severity: screening.SeverityBlocking},
	)
	if wl.Len() != 3 {
		t.Errorf("Len() = %d, want 3 after deduplication", wl.Len())
	}
	want := map[string]screening.Severity{"甲": screening.SeverityWarning, "乙": screening.SeverityBlocking, "丙": screening.SeverityBlocking}
	for _, f := range screening.Scan("甲乙丙", screening.Options{Words: wl}) {
		w := f.Excerpt
		if f.Severity != want[w] {
			t.Errorf("severity of %s = %s, want %s", w, f.Severity, want[w])
		}
	}
}

func TestNewWordListRejects(t *testing.T) {
	tests := []struct {
		name  string
		words []screening.Word
	}{
		{name: "empty word", words: []screening.Word{{Text: "好"}, {Text: "  "}}},
		{name: "invalid UTF-8", words: []screening.Word{{Text: "\xff\xfe"}}},
		{name: "replacement character", words: []screening.Word{{Text: "a\uFFFDb"}}},
		{name: "unknown severity", words: []screening.Word{{Text: "好", Severity: "fatal"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := screening.NewWordList(tt.words)
			inv, ok := apperr.AsInvalid(err)
			if !ok {
				t.Fatalf("NewWordList(%v) error = %v, want *apperr.Invalid", tt.words, err)
			}
			if inv.Fields["words"] == "" {
				t.Errorf("NewWordList(%v) fields = %v, want a message for words", tt.words, inv.Fields)
			}
		})
	}
}

func TestEmptyWordList(t *testing.T) {
	wl := mustWordList(t)
	if got := screening.Scan("任何文字", screening.Options{Words: wl}); len(got) != 0 {
		t.Errorf("Scan with an empty list = %v, want none", got)
	}
}

func TestParseWords(t *testing.T) {
	text := "# 敏感词表\n甲词\n乙词\t阻断\n丙词,提醒\n\n丁词，blocking\n"
	got, err := screening.ParseWords(text)
	if err != nil {
		t.Fatalf("ParseWords: %v", err)
	}
	want := []screening.Word{
		{Text: "甲词"},
		{Text: "乙词", Severity: screening.SeverityBlocking},
		{Text: "丙词", Severity: screening.SeverityWarning},
		{Text: "丁词", Severity: screening.SeverityBlocking},
	}
	if len(got) != len(want) {
		t.Fatalf("ParseWords = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("ParseWords word %d = %v, want %v", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"甲词\tfatal", ",阻断"} {
		if _, err := screening.ParseWords(bad); !errors.As(err, new(*apperr.Invalid)) {
			t.Errorf("ParseWords(%q) error = %v, want *apperr.Invalid", bad, err)
		}
	}
}

// TestWordListConcurrentUse runs scans in parallel on one list; run with
// -race to check that scanning does not write shared state.
func TestWordListConcurrentUse(t *testing.T) {
	wl := mustWordList(t, randomWords(2000, cjkRange(), 9)...)
	text := strings.Repeat("随州市民政局政务公开工作年度报告", 200)
	want := len(screening.Scan(text, screening.Options{Words: wl}))
	var wg sync.WaitGroup
	results := make([]int, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = len(screening.Scan(text, screening.Options{Words: wl}))
		}()
	}
	wg.Wait()
	for i, n := range results {
		if n != want {
			t.Errorf("goroutine %d found %d, want %d", i, n, want)
		}
	}
}

// TestWordListAgainstNaive compares the automaton with a plain search on
// generated words and text: every occurrence of a word must be covered by
// a reported word (overlapping matches are resolved leftmost-longest).
func TestWordListAgainstNaive(t *testing.T) {
	alphabet := []rune("甲乙丙丁戊己庚辛壬癸ab")
	words := randomWords(60, alphabet, 11)
	wl := mustWordList(t, words...)
	text := []rune{}
	for i := range 5000 {
		text = append(text, alphabet[(i*7+i*i/3)%len(alphabet)])
	}
	s := string(text)
	got := screening.Scan(s, screening.Options{Words: wl})
	covered := make([]bool, len(s))
	for _, f := range got {
		for i := f.Offset; i < f.End(); i++ {
			covered[i] = true
		}
		found := false
		for _, w := range words {
			if s[f.Offset:f.End()] == w.Text {
				found = true
			}
		}
		if !found {
			t.Errorf("reported %q, which is not a word", s[f.Offset:f.End()])
		}
	}
	for _, w := range words {
		for off := 0; ; {
			k := strings.Index(s[off:], w.Text)
			if k < 0 {
				break
			}
			start := off + k
			if !covered[start] && !covered[start+len(w.Text)-1] {
				t.Errorf("occurrence of %q at %d is not reported or overlapped", w.Text, start)
			}
			off = start + 1
		}
	}
	if len(got) == 0 {
		t.Fatal("no words found; the test text is too sparse")
	}
}
