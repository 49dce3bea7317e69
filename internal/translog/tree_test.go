package translog_test

import (
	"crypto/sha256"
	"errors"
	"math/bits"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/apperr"
	"gongkai/internal/translog"
)

const testOrigin = "gongkai.example.gov.cn/log"

// newLog returns a log of n test leaves, appended one at a time, and their
// texts.
func newLog(t testing.TB, n int) (*translog.MemStore, [][]byte) {
	t.Helper()
	m := new(translog.MemStore)
	texts := make([][]byte, 0, n)
	for i := range n {
		a, err := m.Append(testLeaf(i))
		if err != nil {
			t.Fatalf("append leaf %d: %v", i, err)
		}
		texts = append(texts, a.Leaves...)
	}
	return m, texts
}

// checkpointAt returns the unsigned checkpoint of the first size leaves of m.
func checkpointAt(t testing.TB, m *translog.MemStore, size int64) translog.Checkpoint {
	t.Helper()
	root, err := translog.TreeHash(size, m)
	if err != nil {
		t.Fatalf("TreeHash(%d): %v", size, err)
	}
	return translog.Checkpoint{Origin: testOrigin, Size: size, Root: root}
}

// rfc6962Root computes the Merkle tree hash of RFC 6962, section 2.1,
// directly from its definition, independently of tlog.
func rfc6962Root(leaves [][]byte) translog.Hash {
	switch len(leaves) {
	case 0:
		return sha256.Sum256(nil)
	case 1:
		return sha256.Sum256(append([]byte{0x00}, leaves[0]...))
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	l, r := rfc6962Root(leaves[:k]), rfc6962Root(leaves[k:])
	return sha256.Sum256(slices.Concat([]byte{0x01}, l[:], r[:]))
}

func TestAppendMatchesRFC6962(t *testing.T) {
	const n = 10_000
	m := new(translog.MemStore)
	var texts [][]byte
	for i := range n {
		a, err := m.Append(testLeaf(i))
		if err != nil {
			t.Fatalf("Append(leaf %d) error = %v", i, err)
		}
		if a.First != int64(i) || a.Size != int64(i+1) || len(a.Leaves) != 1 {
			t.Fatalf("Append(leaf %d) = First %d, Size %d, %d leaves; want %d, %d, 1", i, a.First, a.Size, len(a.Leaves), i, i+1)
		}
		texts = append(texts, a.Leaves[0])
		// The definition costs O(n) per size; check every size early on
		// and a sample later.
		if i < 300 || i%997 == 0 || i == n-1 {
			if want := rfc6962Root(texts); a.Root != want {
				t.Fatalf("Append(leaf %d).Root = %s, want %s", i, a.Root, want)
			}
		}
	}
	if m.Size() != n {
		t.Errorf("Size() = %d, want %d", m.Size(), n)
	}
	for _, size := range []int64{0, 1, 2, 3, 5000, n} {
		got, err := translog.TreeHash(size, m)
		if want := rfc6962Root(texts[:size]); err != nil || got != want {
			t.Errorf("TreeHash(%d) = %s, %v; want %s", size, got, err, want)
		}
	}
	text, err := m.Leaf(1234)
	if err != nil || string(text) != string(texts[1234]) {
		t.Errorf("Leaf(1234) = %q, %v; want %q", text, err, texts[1234])
	}
	if _, err := m.Leaf(n); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("Leaf(%d) error = %v, want ErrNotFound", n, err)
	}
}

func TestAppendBatchEqualsOneByOne(t *testing.T) {
	one, _ := newLog(t, 100)
	batch := new(translog.MemStore)
	var leaves []translog.Leaf
	for i := range 100 {
		leaves = append(leaves, testLeaf(i))
	}
	// Batches of several sizes, so that a batch crosses subtree boundaries
	// and reads hashes it has not stored yet.
	for _, k := range []int{1, 2, 5, 8, 17, 30, 37} {
		if _, err := batch.Append(leaves[:k]...); err != nil {
			t.Fatalf("Append(%d leaves) error = %v", k, err)
		}
		leaves = leaves[k:]
	}
	if batch.Size() != 100 {
		t.Fatalf("Size() = %d, want 100", batch.Size())
	}
	for _, size := range []int64{1, 8, 45, 100} {
		if w, g := checkpointAt(t, one, size), checkpointAt(t, batch, size); w != g {
			t.Errorf("root after %d leaves in batches = %s, one by one = %s", size, g.Root, w.Root)
		}
	}

	// What Append returns is what a store writes.
	a, err := translog.Append(100, []translog.Leaf{testLeaf(100), testLeaf(101)}, one)
	if err != nil {
		t.Fatalf("Append(100, 2 leaves) error = %v", err)
	}
	b, err := batch.Append(testLeaf(100), testLeaf(101))
	if err != nil {
		t.Fatalf("MemStore.Append(2 leaves) error = %v", err)
	}
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("Append and MemStore.Append differ (-Append +MemStore):\n%s", diff)
	}
	// A tree of n leaves stores ⌊n/2^l⌋ hashes at each level l, in all
	// 2n − popcount(n); new hashes continue that numbering.
	stored := func(n int) int64 { return int64(2*n - bits.OnesCount(uint(n))) }
	if a.HashStart != stored(100) || a.HashStart+int64(len(a.Hashes)) != stored(102) {
		t.Errorf("Append(100, 2 leaves) stores hashes [%d, %d), want [%d, %d)",
			a.HashStart, a.HashStart+int64(len(a.Hashes)), stored(100), stored(102))
	}
}

func TestAppendErrors(t *testing.T) {
	m, _ := newLog(t, 10)
	bad := testLeaf(10)
	bad.Version = 0
	if _, err := m.Append(testLeaf(10), bad); !errors.Is(err, translog.ErrInvalidLeaf) {
		t.Errorf("Append(invalid leaf) error = %v, want ErrInvalidLeaf", err)
	}
	if m.Size() != 10 {
		t.Errorf("Size() after failed append = %d, want 10", m.Size())
	}
	// A store that lost hashes: the reader's error comes back wrapped.
	if _, err := translog.Append(20, []translog.Leaf{testLeaf(20)}, m); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("Append(size beyond the store) error = %v, want ErrNotFound from the reader", err)
	}
	if _, err := translog.Append(-1, nil, m); err == nil {
		t.Error("Append(-1, …) error = nil, want error")
	}
	a, err := translog.Append(10, nil, m)
	if want := checkpointAt(t, m, 10).Root; err != nil || a.Size != 10 || a.Root != want || len(a.Hashes) != 0 {
		t.Errorf("Append(10, no leaves) = %+v, %v; want size 10, root %s, no hashes", a, err, want)
	}
}

func TestInclusionProofs(t *testing.T) {
	const n = 10_000
	m, texts := newLog(t, n)
	for _, size := range []int64{1, 2, 3, 7, 8, 9, 255, 1024, 4097, n} {
		c := checkpointAt(t, m, size)
		step := max(1, size/500)
		for index := int64(0); index < size; index += step {
			p, err := translog.ProveRecord(size, index, m)
			if err != nil {
				t.Fatalf("ProveRecord(%d, %d) error = %v", size, index, err)
			}
			if err := translog.CheckRecord(p, c, index, texts[index]); err != nil {
				t.Fatalf("CheckRecord(ProveRecord(%d, %d)) = %v", size, index, err)
			}
		}
		last := size - 1
		p, err := translog.ProveRecord(size, last, m)
		if err != nil {
			t.Fatalf("ProveRecord(%d, %d) error = %v", size, last, err)
		}
		if err := translog.CheckRecord(p, c, last, texts[last]); err != nil {
			t.Errorf("CheckRecord(ProveRecord(%d, %d)) = %v", size, last, err)
		}
	}
}

func TestTamperedLeafFailsInclusion(t *testing.T) {
	const n = 10_000
	m, texts := newLog(t, n)
	c := checkpointAt(t, m, n)
	const index = 1234
	p, err := translog.ProveRecord(n, index, m)
	if err != nil {
		t.Fatalf("ProveRecord(%d, %d) error = %v", n, index, err)
	}

	l, err := translog.ParseLeaf(texts[index])
	if err != nil {
		t.Fatalf("ParseLeaf(leaf %d) error = %v", index, err)
	}
	withdrawn := l
	withdrawn.Action = translog.ActionWithdraw
	otherContent := l
	otherContent.ContentHash[5] ^= 1
	later := l
	later.Time = l.Time.Add(1e9)
	for name, tl := range map[string]translog.Leaf{"action": withdrawn, "content": otherContent, "time": later} {
		text, err := tl.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(tampered %s) error = %v", name, err)
		}
		if err := translog.CheckRecord(p, c, index, text); !errors.Is(err, translog.ErrNotIncluded) {
			t.Errorf("CheckRecord(leaf with changed %s) = %v, want ErrNotIncluded", name, err)
		}
	}

	tests := []struct {
		name  string
		p     translog.RecordProof
		c     translog.Checkpoint
		index int64
		text  []byte
	}{
		{name: "right leaf, wrong index", p: p, c: c, index: index + 1, text: texts[index]},
		{name: "neighbour's leaf", p: p, c: c, index: index, text: texts[index+1]},
		{name: "index beyond tree", p: p, c: c, index: n, text: texts[index]},
		{name: "negative index", p: p, c: c, index: -1, text: texts[index]},
		{name: "proof shortened", p: p[:len(p)-1], c: c, index: index, text: texts[index]},
		{name: "proof extended", p: append(slices.Clone(p), p[0]), c: c, index: index, text: texts[index]},
		{name: "other root", p: p, c: checkpointAt(t, m, n-1), index: index, text: texts[index]},
		{name: "empty proof", p: nil, c: c, index: index, text: texts[index]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := translog.CheckRecord(tt.p, tt.c, tt.index, tt.text); !errors.Is(err, translog.ErrNotIncluded) {
				t.Errorf("CheckRecord() = %v, want ErrNotIncluded", err)
			}
		})
	}
}

func TestConsistencyProofs(t *testing.T) {
	const n = 10_000
	m, _ := newLog(t, n)
	sizes := []int64{0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 100, 255, 256, 257, 1000, 1023, 1024, 1025, 4095, 4096, 4097, 5000, 8191, 8192, 8193, 9999, n}
	cps := make(map[int64]translog.Checkpoint)
	for _, s := range sizes {
		cps[s] = checkpointAt(t, m, s)
	}
	for i, older := range sizes {
		for _, newer := range sizes[i:] {
			p, err := translog.ProveTree(newer, older, m)
			if err != nil {
				t.Fatalf("ProveTree(%d, %d) error = %v", newer, older, err)
			}
			if err := translog.CheckTree(p, cps[older], cps[newer]); err != nil {
				t.Fatalf("CheckTree(ProveTree(%d, %d)) = %v", newer, older, err)
			}
			if older > 0 && older < newer {
				bad := slices.Clone(p)
				bad[len(bad)/2][0] ^= 1
				if err := translog.CheckTree(bad, cps[older], cps[newer]); !errors.Is(err, translog.ErrInconsistent) {
					t.Fatalf("CheckTree(altered proof %d → %d) = %v, want ErrInconsistent", older, newer, err)
				}
			}
		}
	}
}

func TestRewrittenHistoryFailsConsistency(t *testing.T) {
	const n = 10_000
	honest, _ := newLog(t, n)
	seen := checkpointAt(t, honest, 5000) // what a verifier saw earlier

	// The same log, except that leaf 2500 now records other content.
	rewritten := new(translog.MemStore)
	for i := range n {
		l := testLeaf(i)
		if i == 2500 {
			l.ContentHash[7] ^= 0x80
		}
		if _, err := rewritten.Append(l); err != nil {
			t.Fatalf("append leaf %d: %v", i, err)
		}
	}

	for _, size := range []int64{5000, 5001, 7000, n} {
		p, err := translog.ProveTree(size, seen.Size, rewritten)
		if err != nil {
			t.Fatalf("ProveTree(%d, %d) error = %v", size, seen.Size, err)
		}
		if err := translog.CheckTree(p, seen, checkpointAt(t, rewritten, size)); !errors.Is(err, translog.ErrInconsistent) {
			t.Errorf("CheckTree(seen 5000, rewritten %d) = %v, want ErrInconsistent", size, err)
		}
		// The honest log passes the same check.
		p, err = translog.ProveTree(size, seen.Size, honest)
		if err != nil {
			t.Fatalf("ProveTree(%d, %d) error = %v", size, seen.Size, err)
		}
		if err := translog.CheckTree(p, seen, checkpointAt(t, honest, size)); err != nil {
			t.Errorf("CheckTree(seen 5000, honest %d) = %v, want nil", size, err)
		}
	}

	// A rewrite after the seen checkpoint is no rewrite of what was seen.
	if p, err := translog.ProveTree(n, 2500, rewritten); err != nil {
		t.Fatalf("ProveTree(%d, 2500) error = %v", n, err)
	} else if err := translog.CheckTree(p, checkpointAt(t, honest, 2500), checkpointAt(t, rewritten, n)); err != nil {
		t.Errorf("CheckTree(seen 2500, rewritten after it) = %v, want nil", err)
	}

	shrunk := checkpointAt(t, honest, 4999)
	if err := translog.CheckTree(nil, seen, shrunk); !errors.Is(err, translog.ErrInconsistent) || !strings.Contains(err.Error(), "shrank") {
		t.Errorf("CheckTree(seen 5000, size 4999) = %v, want ErrInconsistent saying the tree shrank", err)
	}
	otherOrigin := checkpointAt(t, honest, n)
	otherOrigin.Origin = "other.example.gov.cn/log"
	if err := translog.CheckTree(nil, seen, otherOrigin); !errors.Is(err, translog.ErrInconsistent) {
		t.Errorf("CheckTree(other origin) = %v, want ErrInconsistent", err)
	}
	fakeEmpty := translog.Checkpoint{Origin: testOrigin, Size: 0, Root: seen.Root}
	if err := translog.CheckTree(nil, fakeEmpty, seen); !errors.Is(err, translog.ErrInconsistent) {
		t.Errorf("CheckTree(empty tree with non-empty root) = %v, want ErrInconsistent", err)
	}
}

func TestProveRanges(t *testing.T) {
	m, _ := newLog(t, 10)
	for _, c := range [][2]int64{{10, 10}, {10, -1}, {0, 0}, {5, 7}} {
		if _, err := translog.ProveRecord(c[0], c[1], m); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("ProveRecord(%d, %d) error = %v, want ErrNotFound", c[0], c[1], err)
		}
	}
	for _, c := range [][2]int64{{10, 11}, {10, -1}, {0, 1}} {
		if _, err := translog.ProveTree(c[0], c[1], m); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("ProveTree(%d, %d) error = %v, want ErrNotFound", c[0], c[1], err)
		}
	}
	// A size beyond what is stored: the store's error comes through.
	if _, err := translog.ProveRecord(20, 3, m); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("ProveRecord(20, 3) on a log of 10 error = %v, want ErrNotFound from the reader", err)
	}
	if _, err := translog.TreeHash(11, m); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("TreeHash(11) on a log of 10 error = %v, want ErrNotFound from the reader", err)
	}
}

func TestProofText(t *testing.T) {
	m, _ := newLog(t, 1000)
	p, err := translog.ProveRecord(1000, 321, m)
	if err != nil {
		t.Fatalf("ProveRecord error = %v", err)
	}
	text := translog.FormatProof(p)
	if got := strings.Count(string(text), "\n"); got != len(p) {
		t.Errorf("FormatProof(%d hashes) has %d lines", len(p), got)
	}
	got, err := translog.ParseProof(text)
	if err != nil {
		t.Fatalf("ParseProof(%q) error = %v", text, err)
	}
	if !slices.Equal(got, p) {
		t.Errorf("ParseProof(FormatProof(p)) = %v, want %v", got, p)
	}
	if got, err := translog.ParseProof(nil); err != nil || len(got) != 0 {
		t.Errorf("ParseProof(empty) = %v, %v; want empty proof", got, err)
	}

	first := p[0].String()
	bad := []string{
		first,                                // no final newline
		first + "\n\n",                       // blank line
		first + " \n",                        // trailing space
		strings.TrimRight(first, "=") + "\n", // unpadded
		first[:40] + "\n",                    // short
		"!" + first[1:] + "\n",               // not base64
		strings.Repeat(first+"\n", 129),      // too many
	}
	for _, s := range bad {
		if got, err := translog.ParseProof([]byte(s)); err == nil {
			t.Errorf("ParseProof(%q) = %v, want error", s, got)
		}
	}
}
