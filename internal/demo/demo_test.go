package demo_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"gongkai/internal/demo"
)

// TestReportIsTheSeedInSimplifiedChinese checks the demo's 2017 report
// against the seed: line for line and character for character, after the
// seed's pinyin annotations are removed; every character that differs is a
// Traditional one that never appears in our text, and half-width
// punctuation became full-width.
func TestReportIsTheSeedInSimplifiedChinese(t *testing.T) {
	raw, err := os.ReadFile("testdata/suizhou-minzheng-2017.txt")
	if err != nil {
		t.Fatal(err)
	}
	pinyin := regexp.MustCompile(`\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)`)
	seed := strings.Split(string(raw), "\n")
	ours := strings.Split(strings.TrimRight(demo.Report2017(), "\n"), "\n")
	if len(ours) < 15 {
		t.Fatalf("report has %d lines, want the 15 lines of the report body", len(ours))
	}
	if strings.ContainsAny(demo.Report2017(), "()") {
		t.Error("report still contains parentheses (pinyin annotations)")
	}
	traditional := map[rune]bool{}
	for i, line := range ours {
		s := []rune(pinyin.ReplaceAllString(seed[i], ""))
		o := []rune(line)
		if len(s) != len(o) {
			t.Fatalf("line %d: %d characters, seed has %d", i+1, len(o), len(s))
		}
		for j := range s {
			if s[j] == o[j] {
				continue
			}
			switch s[j] {
			case ',', ':', ';':
				if want := map[rune]rune{',': '，', ':': '：', ';': '；'}[s[j]]; o[j] != want {
					t.Errorf("line %d col %d: %q for %q, want %q", i+1, j, o[j], s[j], want)
				}
			default:
				traditional[s[j]] = true
			}
		}
	}
	if len(traditional) < 50 {
		t.Errorf("only %d characters converted; the seed is in Traditional characters", len(traditional))
	}
	for _, r := range demo.Report2017() {
		if traditional[r] {
			t.Errorf("report contains Traditional character %q", r)
		}
	}
	for _, want := range []string{"所有公开的信息均由局保密工作领导小组审查后发布", "随州市人民政府网站公开民政信息50余条", "“开展地名普查，共建文明随州”"} {
		if !strings.Contains(demo.Report2017(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
