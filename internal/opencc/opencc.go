// Package opencc converts between Simplified and Traditional Chinese with
// OpenCC's dictionaries as github.com/liuzl/gocc loads them, and gives
// the same answer as gocc's Convert, only faster.
//
// gocc's Convert copies the rest of the text at every character to look
// it up (it is quadratic in the text's length) and builds a map of every
// match; a body of a few thousand characters took milliseconds. Here the
// same double-array tries are walked in place, a byte at a time.
package opencc

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/liuzl/da"
	"github.com/liuzl/gocc"
)

// Converter converts text one way: "s2t" or "t2s". Safe for concurrent
// use: it only reads the dictionaries.
type Converter struct {
	chains [][]*da.Dict
}

// New loads the conversion (one of gocc's names, e.g. "s2t").
func New(conversion string) (*Converter, error) {
	cc, err := gocc.New(conversion)
	if err != nil {
		return nil, fmt.Errorf("load OpenCC %s: %w", conversion, err)
	}
	c := &Converter{}
	for _, g := range cc.DictChains {
		for _, d := range g.Dicts {
			if d.Trie == nil {
				return nil, fmt.Errorf("load OpenCC %s: a dictionary has no trie", conversion)
			}
		}
		c.chains = append(c.chains, g.Dicts)
	}
	return c, nil
}

// Convert converts s. Like gocc, at each place it takes the longest key
// of the first dictionary of the group that has one there (phrases
// before single characters) and writes its first value; text no
// dictionary knows is copied. Each byte that is not UTF-8 becomes U+FFFD
// (gocc also drops the two bytes after it).
func (c *Converter) Convert(s string) string {
	for _, dicts := range c.chains {
		var out strings.Builder
		out.Grow(len(s) + len(s)/8)
		for j := 0; j < len(s); {
			if n, v := firstMatch(dicts, s[j:]); n > 0 {
				out.WriteString(v)
				j += n
				continue
			}
			r, size := utf8.DecodeRuneInString(s[j:])
			out.WriteRune(r)
			j += size
		}
		s = out.String()
	}
	return s
}

// firstMatch is the longest key that begins s in the first of dicts that
// has one, with its first value; 0 when none has.
func firstMatch(dicts []*da.Dict, s string) (int, string) {
	for _, d := range dicts {
		if n, v := longest(d, s); n > 0 {
			return n, v
		}
	}
	return 0, ""
}

// longest walks d's trie along s as cedar's Jump and Value do (a node's
// Value below zero encodes the base of its children; a key ends where a
// node, or its child by the zero byte, holds a value).
func longest(d *da.Dict, s string) (int, string) {
	a := d.Trie.Array
	from, n, val := 0, 0, -1
	for i := 0; i < len(s); i++ {
		if a[from].Value >= 0 {
			break // a leaf: no children
		}
		to := -(a[from].Value + 1) ^ int(s[i])
		if to < 0 || to >= len(a) || a[to].Check != from {
			break
		}
		from = to
		if v := a[to].Value; v >= 0 {
			n, val = i+1, v
		} else if b := -(v + 1); b >= 0 && b < len(a) && a[b].Check == to && a[b].Value >= 0 {
			n, val = i+1, a[b].Value
		}
	}
	if val < 0 || val >= len(d.Values) || len(d.Values[val]) == 0 {
		return 0, ""
	}
	return n, d.Values[val][0]
}
