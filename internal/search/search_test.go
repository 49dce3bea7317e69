package search_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/search"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"han run gives unigrams and bigrams", "民政局", []string{"民", "民政", "政", "政局", "局"}},
		{"latin and digits are lower-cased words", "GB 11643-1999 ICP", []string{"gb", "11643", "1999", "icp"}},
		{"index number is also one exact term", "索引号：011043240/2017-00123", []string{"011043240x2017x00123", "索", "索引", "引", "引号", "号", "011043240", "2017", "00123"}},
		{"document number brackets are normalised", "随民发〔2017〕12号", []string{"民发x2017x12号", "随民发x2017x12号", "随", "随民", "民", "民发", "发", "2017", "12", "号"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, search.Tokens(tt.text)); diff != "" {
				t.Errorf("Tokens(%q) (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}

func TestQueryTermsAreIndexTerms(t *testing.T) {
	doc := "随州市民政局关于印发随民发〔2017〕12号文件的通知，索引号011043240/2017-00123，GB标准。"
	index := search.Tokens(doc)
	tests := []struct {
		query string
		want  bool
	}{
		{"民政局", true},
		{"民", true},
		{"随民发[2017]12号", true},
		{"随民发（2017）12号", true},
		{"011043240/2017-00123", true},
		{"gb", true},
		{"通知 民政", true},
		{"教育局", false},
		{"随民发〔2017〕13号", false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q := search.ParseQuery(tt.query)
			if q.Empty() {
				t.Fatalf("ParseQuery(%q) is empty", tt.query)
			}
			all := true
			for _, term := range q.Terms {
				all = all && slices.Contains(index, term)
			}
			if all != tt.want {
				t.Errorf("query %q terms %v all in index = %v, want %v", tt.query, q.Terms, all, tt.want)
			}
		})
	}
	if !search.ParseQuery("  ，。 ").Empty() {
		t.Error("punctuation-only query is not empty")
	}
}

func TestSnippetHighlightsAndCuts(t *testing.T) {
	text := strings.Repeat("前文。", 60) + "所有公开的信息均由局保密工作领导小组审查后发布。" + strings.Repeat("后文。", 60)
	segs := search.Snippet(text, search.ParseQuery("保密 审查"), 40)
	var b strings.Builder
	for _, s := range segs {
		if s.Match {
			b.WriteString("[" + s.Text + "]")
		} else {
			b.WriteString(s.Text)
		}
	}
	got := b.String()
	if !strings.Contains(got, "[保密]工作领导小组[审查]") || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("Snippet = %q", got)
	}
}

func FuzzTokensAndQuery(f *testing.F) {
	for _, s := range []string{"民政局", "011043240/2017-00123", "随民发〔2017〕12号", "a", "", "\xff", "𠀀𠀁"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tok := range search.Tokens(s) {
			if tok == "" || strings.ContainsAny(tok, " \t\n'\"&|!():*") {
				t.Fatalf("Tokens(%q) gave unsafe term %q", s, tok)
			}
		}
		q := search.ParseQuery(s)
		for _, term := range q.Terms {
			if term == "" || strings.ContainsAny(term, " \t\n'\"&|!():*") {
				t.Fatalf("ParseQuery(%q) gave unsafe term %q", s, term)
			}
		}
		search.Snippet(s, q, 20)
	})
}

func ExampleParseQuery() {
	q := search.ParseQuery("民政局 随民发〔2017〕12号")
	fmt.Println(q.Terms)
	// Output: [随民发x2017x12号 民政 政局]
}

func BenchmarkTokens(b *testing.B) {
	text := strings.Repeat("随州市民政局根据市委、市政府对政府信息工作的要求，结合工作实际，认真做好政务信息公开。索引号011043240/2017-00123。", 500)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		search.Tokens(text)
	}
}
