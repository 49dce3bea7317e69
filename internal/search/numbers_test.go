package search

import (
	"slices"
	"strings"
	"testing"
)

// FuzzFindNumbersMatchesWholeTextSearch checks that looking only around
// slashes and 号 finds the numbers a search of the whole text finds.
func FuzzFindNumbersMatchesWholeTextSearch(f *testing.F) {
	for _, s := range []string{
		"索引号：011043240/2017-00123，文号：随民发〔2017〕12号",
		"11441700007280420Y/2021-00050 和 0142768-8/2022-00185",
		"鄂政办发[2019]3号、国办公开办函（2021）30号",
		"关于印发随民发〔2017〕12号文件的通知", "/", "号", "a/2017-001",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		idx, doc := findNumbers(s)
		for _, m := range indexNoRe.FindAllString(s, -1) {
			if !slices.ContainsFunc(idx, func(d string) bool { return strings.HasSuffix(d, m) }) {
				t.Errorf("index number %q in %q not found (found %v)", m, s, idx)
			}
		}
		// The whole-text search cannot overlap matches; the local one
		// may start earlier, so a match may carry more issuer characters.
		for _, m := range docNoRe.FindAllString(s, -1) {
			if !slices.ContainsFunc(doc, func(d string) bool { return strings.HasSuffix(d, m) }) {
				t.Errorf("document number %q in %q not found (found %v)", m, s, doc)
			}
		}
	})
}
