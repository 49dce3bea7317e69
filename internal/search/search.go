// Package search turns Chinese government text into index terms and user
// queries into the same terms, so that SQLite FTS5 and PostgreSQL tsvector
// can index and match them without a Chinese word segmenter or a database
// extension. It also cuts highlighted snippets. It holds no SQL.
//
// Terms:
//   - a run of Han characters gives every overlapping pair (bigram) and
//     every single character (unigram), so any one- or multi-character
//     query matches;
//   - Latin letters and digits give lower-cased words;
//   - index numbers (索引号, e.g. 011043240/2017-00123) and document numbers
//     (文号, e.g. 随民发〔2017〕12号) also give one exact term each, so they
//     are found as a whole.
//
// Every term consists of letters and digits only (separators inside exact
// terms become "x"), so neither database's tokenizer splits it again.
package search

import (
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	// 索引号: an org code (9 or 18 characters, digits and capitals, an
	// optional hyphen), a slash, a year or year-month, a hyphen and a
	// serial.
	indexNoRe = regexp.MustCompile(`[0-9A-Z]{6,18}(?:-[0-9A-Z])?/(?:19|20)[0-9]{2}(?:[0-9]{2})?-[0-9]{3,6}`)
	// 文号: an issuer abbreviation of Han characters, the year in 〔〕,
	// [] or （）, and a number with 号.
	docNoRe = regexp.MustCompile(`\p{Han}{1,12}[〔\[［（(](?:19|20)[0-9]{2}[〕\]］）)][0-9]{1,5}号`)
	// The same, anchored at the end, for the windows findNumbers cuts.
	indexNoEnd = regexp.MustCompile(`[0-9A-Z]{6,18}(?:-[0-9A-Z])?/(?:19|20)[0-9]{2}(?:[0-9]{2})?-[0-9]{3,6}$`)
	docNoEnd   = regexp.MustCompile(`\p{Han}{1,12}[〔\[［（(](?:19|20)[0-9]{2}[〕\]］）)][0-9]{1,5}号$`)
)

// findNumbers finds index and document numbers. Running the expressions
// over a whole body is slow (Unicode classes at every position), so it
// looks only around the characters every such number has: the slash of
// an index number and the 号 that ends a document number.
func findNumbers(text string) (indexNos, docNos []string) {
	for i := 0; i < len(text); i++ {
		switch {
		case text[i] == '/':
			// Serial after the slash: year, optional month, hyphen, up to 6 digits.
			end := i + 1
			for end < len(text) && end < i+14 && (text[end] >= '0' && text[end] <= '9' || text[end] == '-') {
				end++
			}
			start := max(0, i-20)
			for start > 0 && !utf8.RuneStart(text[start]) {
				start--
			}
			for e := end; e > i; e-- {
				if m := indexNoEnd.FindString(text[start:e]); m != "" {
					indexNos = append(indexNos, m)
					break
				}
			}
		case strings.HasPrefix(text[i:], "号"):
			end := i + len("号")
			start := max(0, i-60)
			for start > 0 && !utf8.RuneStart(text[start]) {
				start--
			}
			if m := docNoEnd.FindString(text[start:end]); m != "" {
				docNos = append(docNos, m)
			}
		}
	}
	return indexNos, docNos
}

// exact encodes an index or document number as one term.
func exact(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte('x')
		}
	}
	return b.String()
}

// normalizeDocNo makes the bracket forms of a document number the same.
func normalizeDocNo(s string) string {
	return strings.NewReplacer("〔", "[", "〕", "]", "［", "[", "］", "]", "（", "[", "）", "]", "(", "[", ")", "]").Replace(s)
}

// Tokens returns the index terms of text, in order of appearance, with
// repeats (a term's frequency matters for ranking).
func Tokens(text string) []string {
	out := make([]string, 0, utf8.RuneCountInString(text)*2)
	indexNos, docNos := findNumbers(text)
	for _, m := range indexNos {
		out = append(out, exact(m))
	}
	for _, m := range docNos {
		out = append(out, docNoTerms(m)...)
	}
	return appendWords(out, text)
}

// maxIssuer is the longest issuer abbreviation a document number term
// keeps (随民发, 鄂政办发, 国办公开办函 …).
const maxIssuer = 6

// docNoTerms returns the exact terms of a document number. Where the
// issuer abbreviation starts is not marked in running text (…关于印发随民发
// 〔2017〕12号…), so every issuer suffix of two to six characters gets a
// term; a query uses the last six characters it was given.
func docNoTerms(m string) []string {
	m = normalizeDocNo(m)
	i := strings.IndexByte(m, '[')
	issuer, rest := []rune(m[:i]), m[i:]
	var out []string
	for k := 2; k <= len(issuer) && k <= maxIssuer; k++ {
		out = append(out, exact(string(issuer[len(issuer)-k:])+rest))
	}
	if len(issuer) == 1 {
		out = append(out, exact(m))
	}
	return out
}

// docNoQueryTerm is the exact term for a document number typed as a query.
func docNoQueryTerm(m string) string {
	m = normalizeDocNo(m)
	i := strings.IndexByte(m, '[')
	issuer := []rune(m[:i])
	if len(issuer) > maxIssuer {
		issuer = issuer[len(issuer)-maxIssuer:]
	}
	return exact(string(issuer) + m[i:])
}

// appendWords adds the bigrams, unigrams and Latin words of text.
func appendWords(out []string, text string) []string {
	var han []rune
	var word strings.Builder
	flushHan := func() {
		for i, r := range han {
			out = append(out, string(r))
			if i+1 < len(han) {
				out = append(out, string(han[i:i+2]))
			}
		}
		han = han[:0]
	}
	flushWord := func() {
		if word.Len() > 0 {
			out = append(out, word.String())
			word.Reset()
		}
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan()
			word.WriteRune(unicode.ToLower(r))
		default:
			flushHan()
			flushWord()
		}
	}
	flushHan()
	flushWord()
	return out
}

// Query is a parsed search query: groups of terms that must all match.
type Query struct {
	// Terms must all be present (AND). For Han text they are the bigrams
	// of each run (a one-character run gives its unigram), so 民政局
	// matches documents containing 民政 and 政局.
	Terms []string
	// Words are the query's words as typed, for highlighting.
	Words []string
}

// Empty reports whether the query has nothing to search for.
func (q Query) Empty() bool { return len(q.Terms) == 0 }

// ParseQuery parses what a reader typed. Spaces separate words; an index
// or document number is searched as a whole.
func ParseQuery(s string) Query {
	var q Query
	seen := map[string]bool{}
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			q.Terms = append(q.Terms, t)
		}
	}
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > 100 {
		s = string([]rune(s)[:100])
	}
	for _, m := range indexNoRe.FindAllString(s, -1) {
		add(exact(m))
		q.Words = append(q.Words, m)
		s = strings.Replace(s, m, " ", 1)
	}
	for _, m := range docNoRe.FindAllString(s, -1) {
		add(docNoQueryTerm(m))
		q.Words = append(q.Words, m)
		s = strings.Replace(s, m, " ", 1)
	}
	for _, w := range strings.FieldsFunc(s, func(r rune) bool {
		return !(unicode.Is(unicode.Han, r) || unicode.IsLetter(r) || unicode.IsDigit(r))
	}) {
		q.Words = append(q.Words, w)
		for _, run := range splitScript(w) {
			if !unicode.Is(unicode.Han, run[0]) {
				add(strings.ToLower(string(run)))
				continue
			}
			if len(run) == 1 {
				add(string(run))
			}
			for i := 0; i+1 < len(run); i++ {
				add(string(run[i : i+2]))
			}
		}
	}
	return q
}

// splitScript splits a word into runs of Han and of other characters.
func splitScript(w string) [][]rune {
	var runs [][]rune
	var cur []rune
	for _, r := range w {
		if len(cur) > 0 && unicode.Is(unicode.Han, r) != unicode.Is(unicode.Han, cur[0]) {
			runs = append(runs, cur)
			cur = nil
		}
		cur = append(cur, r)
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

// Segment is a piece of a snippet; Match pieces are highlighted.
type Segment struct {
	Text  string
	Match bool
}

// Snippet cuts about width characters of text around the first place a
// query word appears and marks every appearance of the words in it. With
// no match it returns the start of the text. The caller escapes Text.
func Snippet(text string, q Query, width int) []Segment {
	text = strings.Join(strings.Fields(text), " ")
	runes := []rune(text)
	if width <= 0 {
		width = 120
	}
	words := make([][]rune, 0, len(q.Words))
	for _, w := range q.Words {
		if w != "" {
			words = append(words, []rune(strings.ToLower(w)))
		}
	}
	lower := []rune(strings.ToLower(text))
	if len(lower) != len(runes) {
		lower = runes // case mapping changed lengths; match case-sensitively
	}
	first := -1
	for _, w := range words {
		if i := indexRunes(lower, w, 0); i >= 0 && (first < 0 || i < first) {
			first = i
		}
	}
	start := 0
	if first > width/3 {
		start = first - width/3
	}
	end := start + width
	if end > len(runes) {
		end = len(runes)
	}
	var segs []Segment
	if start > 0 {
		segs = append(segs, Segment{Text: "…"})
	}
	i := start
	for i < end {
		matched := 0
		for _, w := range words {
			if len(w) > matched && i+len(w) <= len(lower) && equalRunes(lower[i:i+len(w)], w) {
				matched = len(w)
			}
		}
		if matched > 0 {
			segs = append(segs, Segment{Text: string(runes[i : i+matched]), Match: true})
			i += matched
			continue
		}
		j := i + 1
		if len(segs) > 0 && !segs[len(segs)-1].Match && segs[len(segs)-1].Text != "…" {
			segs[len(segs)-1].Text += string(runes[i:j])
		} else {
			segs = append(segs, Segment{Text: string(runes[i:j])})
		}
		i = j
	}
	if end < len(runes) {
		segs = append(segs, Segment{Text: "…"})
	}
	return segs
}

func indexRunes(s, sub []rune, from int) int {
	for i := from; i+len(sub) <= len(s); i++ {
		if equalRunes(s[i:i+len(sub)], sub) {
			return i
		}
	}
	return -1
}

func equalRunes(a, b []rune) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Doc is what the search index keeps of a published item.
type Doc struct {
	ItemID, OrgID, ColumnID int64
	Year                    int
	Genre, Validity         string // validity: valid, expired or repealed
	IndexNo                 string
	PublishedAt             time.Time
	Title                   string
	Text                    string // plain text: summary, body and metadata, for snippets
}

// MaxCount is how far matches are counted; more are reported as more.
const MaxCount = 5000

// Filter narrows a search.
type Filter struct {
	OrgIDs   []int64 // nil: the whole site group
	ColumnID int64
	Year     int
	Genre    string
	Offset   int
	Limit    int
}

// Hit is one search result.
type Hit struct {
	Doc
}
