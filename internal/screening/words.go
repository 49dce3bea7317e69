package screening

import (
	"slices"
	"strings"
	"unicode/utf8"

	"gongkai/internal/apperr"
)

// Word is one entry of a sensitive-word list.
type Word struct {
	Text string
	// Severity of a match; the zero value means SeverityWarning.
	Severity Severity
}

// WordList is a compiled sensitive-word list: an Aho–Corasick automaton
// over runes that finds every word in one pass over the text, however long
// the list. ASCII letters match regardless of case; other characters must
// match exactly. A WordList is immutable once built and safe for concurrent
// use; build it once and share it.
type WordList struct {
	words []Word // normalised and deduplicated; the index is the pattern id

	// symTab maps a rune below len(symTab) to its symbol; 0 means the rune
	// is in no word. Runes at or above len(symTab) are looked up in symMap.
	symTab []int32
	symMap map[rune]int32
	root   []int32   // transitions from the root state, by symbol; 0 means none
	states []acState // in breadth-first order; 0 is the root
	edges  []acEdge  // the transitions of each state, sorted by symbol
}

type acState struct {
	lo, hi int32 // edges[lo:hi] leave this state
	fail   int32 // longest proper suffix that is also a trie path
	out    int32 // id of the word ending here, or -1
	dict   int32 // nearest state on the fail chain with out >= 0, or 0
}

type acEdge struct {
	sym, next int32
}

// maxSymTab bounds the directly indexed rune table (256 KiB).
const maxSymTab = 0x10000

// NewWordList compiles words. Surrounding white space is trimmed; ASCII
// letters are folded to lower case; duplicates keep the more severe entry.
// It returns an *apperr.Invalid (field "words") for an empty word, text
// that is not valid UTF-8 or an unknown severity.
func NewWordList(words []Word) (*WordList, error) {
	wl := &WordList{}
	index := make(map[string]int, len(words))
	for i, w := range words {
		t := strings.TrimSpace(w.Text)
		switch {
		case t == "":
			return nil, apperr.Invalidf("words", "第%d个敏感词为空", i+1)
		case !utf8.ValidString(t) || strings.ContainsRune(t, utf8.RuneError):
			return nil, apperr.Invalidf("words", "第%d个敏感词含有无效字符", i+1)
		}
		sev := w.Severity
		switch sev {
		case "":
			sev = SeverityWarning
		case SeverityWarning, SeverityBlocking:
		default:
			return nil, apperr.Invalidf("words", "第%d个敏感词的级别无效", i+1)
		}
		t = foldASCII(t)
		if j, ok := index[t]; ok {
			if sev == SeverityBlocking {
				wl.words[j].Severity = sev
			}
			continue
		}
		index[t] = len(wl.words)
		wl.words = append(wl.words, Word{Text: t, Severity: sev})
	}
	wl.build()
	return wl, nil
}

// Len returns the number of distinct words in the list.
func (wl *WordList) Len() int { return len(wl.words) }

func foldASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i]-'A' < 26 {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if b[j]-'A' < 26 {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// build compiles wl.words into the automaton.
func (wl *WordList) build() {
	// Symbols: one per distinct rune, numbered from 1.
	maxRune := rune(0)
	for _, w := range wl.words {
		for _, r := range w.Text {
			maxRune = max(maxRune, r)
		}
	}
	wl.symTab = make([]int32, min(int(maxRune)+1, maxSymTab))
	nsym := int32(0)
	sym := func(r rune) int32 {
		if int(r) < len(wl.symTab) {
			if wl.symTab[r] == 0 {
				nsym++
				wl.symTab[r] = nsym
			}
			return wl.symTab[r]
		}
		if wl.symMap == nil {
			wl.symMap = map[rune]int32{}
		}
		if wl.symMap[r] == 0 {
			nsym++
			wl.symMap[r] = nsym
		}
		return wl.symMap[r]
	}
	seqs := make([][]int32, len(wl.words))
	for i, w := range wl.words {
		for _, r := range w.Text {
			seqs[i] = append(seqs[i], sym(r))
		}
	}
	// Upper-case ASCII letters share the symbols of their lower case.
	for r := 'A'; r <= 'Z'; r++ {
		if l := r + 'a' - 'A'; int(l) < len(wl.symTab) {
			wl.symTab[r] = wl.symTab[l]
		}
	}

	// The trie, built from the sequences in sorted order so that a node's
	// child with a given symbol, if any, is always its newest child.
	order := make([]int, len(seqs))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return slices.Compare(seqs[a], seqs[b]) })
	var (
		label       = []int32{0}
		firstChild  = []int32{-1}
		lastChild   = []int32{-1}
		nextSibling = []int32{-1}
		out         = []int32{-1}
	)
	for _, id := range order {
		node := int32(0)
		for _, x := range seqs[id] {
			if c := lastChild[node]; c >= 0 && label[c] == x {
				node = c
				continue
			}
			c := int32(len(label))
			label = append(label, x)
			firstChild = append(firstChild, -1)
			lastChild = append(lastChild, -1)
			nextSibling = append(nextSibling, -1)
			out = append(out, -1)
			if lastChild[node] < 0 {
				firstChild[node] = c
			} else {
				nextSibling[lastChild[node]] = c
			}
			lastChild[node] = c
			node = c
		}
		out[node] = int32(id)
	}

	// Renumber breadth first, laying out each state's edges together.
	n := len(label)
	bfs := make([]int32, 0, n) // trie node of each state
	newID := make([]int32, n)
	bfs = append(bfs, 0)
	for q := 0; q < len(bfs); q++ {
		for c := firstChild[bfs[q]]; c >= 0; c = nextSibling[c] {
			newID[c] = int32(len(bfs))
			bfs = append(bfs, c)
		}
	}
	wl.states = make([]acState, n)
	wl.edges = make([]acEdge, 0, n-1)
	wl.root = make([]int32, nsym+1)
	for s, node := range bfs {
		st := &wl.states[s]
		st.out = out[node]
		st.lo = int32(len(wl.edges))
		for c := firstChild[node]; c >= 0; c = nextSibling[c] {
			wl.edges = append(wl.edges, acEdge{label[c], newID[c]})
			if s == 0 {
				wl.root[label[c]] = newID[c]
			}
		}
		st.hi = int32(len(wl.edges))
	}

	// Failure and dictionary links, breadth first so that a state's fail
	// target (always shallower) is done before it.
	for s := range wl.states {
		st := wl.states[s]
		for _, e := range wl.edges[st.lo:st.hi] {
			f := int32(0)
			if s != 0 {
				f = wl.next(st.fail, e.sym)
			}
			child := &wl.states[e.next]
			child.fail = f
			if wl.states[f].out >= 0 {
				child.dict = f
			} else {
				child.dict = wl.states[f].dict
			}
		}
	}
}

// step returns the transition of state s on symbol x, or -1.
func (wl *WordList) step(s, x int32) int32 {
	if s == 0 {
		if n := wl.root[x]; n != 0 {
			return n
		}
		return -1
	}
	st := &wl.states[s]
	es := wl.edges[st.lo:st.hi]
	if len(es) <= 8 {
		for _, e := range es {
			if e.sym == x {
				return e.next
			}
		}
		return -1
	}
	i, ok := slices.BinarySearchFunc(es, x, func(e acEdge, x int32) int { return int(e.sym - x) })
	if !ok {
		return -1
	}
	return es[i].next
}

// next follows failure links from s until a transition on x exists and
// returns its target, or the root.
func (wl *WordList) next(s, x int32) int32 {
	for {
		if n := wl.step(s, x); n >= 0 {
			return n
		}
		if s == 0 {
			return 0
		}
		s = wl.states[s].fail
	}
}

// match is a word found in a text.
type match struct {
	start, end int
	id         int32
}

// scan returns the words of wl in s as findings, longest first where
// matches overlap, then leftmost.
func (wl *WordList) scan(s, loc string) []Finding {
	if len(wl.words) == 0 {
		return nil
	}
	var ms []match
	tab := wl.symTab
	var st int32
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		switch {
		case c < utf8.RuneSelf:
			r = rune(c)
			i++
		case c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
			// The common case in Chinese text, decoded inline. E0 and ED
			// leads need range checks and take the slow path.
			r = rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			i += 3
		default:
			var w int
			r, w = utf8.DecodeRuneInString(s[i:])
			i += w
		}
		var x int32
		if int(r) < len(tab) {
			x = tab[r]
		} else if wl.symMap != nil {
			x = wl.symMap[r]
		}
		if x == 0 {
			st = 0
			continue
		}
		if st == 0 {
			st = wl.root[x] // most characters start from the root: skip the call
		} else {
			st = wl.next(st, x)
		}
		if sp := &wl.states[st]; sp.out >= 0 || sp.dict != 0 {
			ms = wl.appendMatches(ms, st, i)
		}
	}
	if len(ms) == 0 {
		return nil
	}
	slices.SortFunc(ms, func(a, b match) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	out := make([]Finding, 0, len(ms))
	end := -1
	for _, m := range ms {
		if m.start < end {
			continue
		}
		w := wl.words[m.id]
		out = append(out, Finding{
			Kind: KindSensitiveWord, Severity: w.Severity, Confidence: ConfidenceHigh,
			Location: loc, Offset: m.start, Length: m.end - m.start,
			Excerpt: s[m.start:m.end], Message: "命中敏感词",
		})
		end = m.end
	}
	return out
}

// appendMatches appends every word ending at state st, which the text
// reached at byte end.
func (wl *WordList) appendMatches(ms []match, st int32, end int) []match {
	if id := wl.states[st].out; id >= 0 {
		ms = append(ms, match{end - len(wl.words[id].Text), end, id})
	}
	for d := wl.states[st].dict; d != 0; d = wl.states[d].dict {
		id := wl.states[d].out
		ms = append(ms, match{end - len(wl.words[id].Text), end, id})
	}
	return ms
}

// ParseWords reads a word list written one word per line, as an
// administrator types it: an optional severity follows a tab or comma
// ("blocking"/"阻断" or "warning"/"提醒"); blank lines and lines starting
// with # are skipped. It returns an *apperr.Invalid (field "words") naming
// the first bad line.
func ParseWords(text string) ([]Word, error) {
	var words []Word
	for n, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		w := Word{Text: line}
		if i := strings.LastIndexAny(line, "\t,，"); i >= 0 {
			_, sz := utf8.DecodeRuneInString(line[i:])
			w.Text = strings.TrimSpace(line[:i])
			switch strings.TrimSpace(line[i+sz:]) {
			case "blocking", "阻断":
				w.Severity = SeverityBlocking
			case "warning", "提醒", "":
				w.Severity = SeverityWarning
			default:
				return nil, apperr.Invalidf("words", "第%d行的级别无效，应为“阻断”或“提醒”", n+1)
			}
		}
		if w.Text == "" {
			return nil, apperr.Invalidf("words", "第%d行没有敏感词", n+1)
		}
		words = append(words, w)
	}
	return words, nil
}
