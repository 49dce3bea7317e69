package translog_test

import (
	"testing"

	"gongkai/internal/translog"
)

// BenchmarkAppend appends one leaf at a time to a growing log, as a publish
// transaction does: encode, compute stored hashes and the new root.
func BenchmarkAppend(b *testing.B) {
	m, _ := newLog(b, 10_000)
	i := 10_000
	for b.Loop() {
		if _, err := m.Append(testLeaf(i)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkAppendBatch appends 100 leaves per call, as a bulk withdrawal
// would.
func BenchmarkAppendBatch(b *testing.B) {
	m, _ := newLog(b, 10_000)
	leaves := make([]translog.Leaf, 100)
	i := 10_000
	for b.Loop() {
		for j := range leaves {
			leaves[j] = testLeaf(i + j)
		}
		if _, err := m.Append(leaves...); err != nil {
			b.Fatal(err)
		}
		i += len(leaves)
	}
}

// BenchmarkProveRecord proves one leaf in a tree of 10,000, as the
// /log/proof endpoint would.
func BenchmarkProveRecord(b *testing.B) {
	m, _ := newLog(b, 10_000)
	var n int64
	for b.Loop() {
		if _, err := translog.ProveRecord(10_000, n%10_000, m); err != nil {
			b.Fatal(err)
		}
		n += 7919
	}
}

// BenchmarkVerify is the client's cost for one leaf: signature, inclusion,
// consistency and content hash.
func BenchmarkVerify(b *testing.B) {
	skey, vkey := newTestKey(b, testOrigin)
	s := newServer(b, skey, 10_000, -1)
	prev := checkpointAt(b, s.log, 5000)
	ev := s.evidence(10_000, 4321, 5000)
	for b.Loop() {
		if _, err := translog.Verify(vkey, &prev, ev); err != nil {
			b.Fatal(err)
		}
	}
}
