package translog

import (
	"fmt"
	"slices"
	"sync"

	"gongkai/internal/apperr"
)

// MemStore is a log held in memory: leaf texts and stored hashes in slices.
// It is a real, complete implementation of the storage this package needs,
// for tests and examples in any package and for tools that build a log
// from scratch; it loses everything when the process ends. The zero value
// is an empty log. It is safe for concurrent use and must not be copied
// after first use.
type MemStore struct {
	mu     sync.Mutex
	leaves [][]byte // guarded by mu; leaves[i] is leaf i's text
	hashes []Hash   // guarded by mu; hashes[i] has stored-hash index i
}

// Size returns the number of leaves.
func (m *MemStore) Size() int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return int64(len(m.leaves))
}

// Append appends leaves and returns what was stored, including the new size
// and root. If a leaf is invalid nothing is appended and the error wraps
// ErrInvalidLeaf.
func (m *MemStore) Append(leaves ...Leaf) (Appended, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, err := Append(int64(len(m.leaves)), leaves, HashReaderFunc(m.readHashesLocked))
	if err != nil {
		return Appended{}, err
	}
	if a.HashStart != int64(len(m.hashes)) {
		return Appended{}, fmt.Errorf("translog: memory log has %d stored hashes, append starts at %d", len(m.hashes), a.HashStart)
	}
	m.leaves = append(m.leaves, a.Leaves...)
	m.hashes = append(m.hashes, a.Hashes...)
	return a, nil
}

// Leaf returns the text of leaf index. An index outside the log gives an
// error wrapping apperr.ErrNotFound.
func (m *MemStore) Leaf(index int64) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if index < 0 || index >= int64(len(m.leaves)) {
		return nil, fmt.Errorf("translog: leaf %d of %d: %w", index, len(m.leaves), apperr.ErrNotFound)
	}
	return slices.Clone(m.leaves[index]), nil
}

// ReadHashes implements HashReader. An index not yet stored gives an error
// wrapping apperr.ErrNotFound.
func (m *MemStore) ReadHashes(indexes []int64) ([]Hash, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.readHashesLocked(indexes)
}

func (m *MemStore) readHashesLocked(indexes []int64) ([]Hash, error) {
	out := make([]Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m.hashes)) {
			return nil, fmt.Errorf("translog: stored hash %d of %d: %w", x, len(m.hashes), apperr.ErrNotFound)
		}
		out[i] = m.hashes[x]
	}
	return out, nil
}
