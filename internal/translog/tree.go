package translog

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"gongkai/internal/apperr"
)

// Hash is a node hash of the Merkle tree (RFC 6962: SHA-256 with a 0x00
// prefix for leaves and 0x01 for interior nodes). Its String is base64.
type Hash = tlog.Hash

// HashReader reads stored hashes by their stored-hash index. ReadHashes must
// return exactly one hash per index, in the order asked, or an error. It
// takes no context: a store binds its context and transaction in a
// HashReaderFunc closure.
type HashReader = tlog.HashReader

// HashReaderFunc adapts a function to a HashReader.
type HashReaderFunc = tlog.HashReaderFunc

// RecordProof is an inclusion proof: the hashes that link one leaf to the
// root of a tree.
type RecordProof = tlog.RecordProof

// TreeProof is a consistency proof: the hashes that show a tree is an
// extension of an earlier, smaller tree.
type TreeProof = tlog.TreeProof

// Appended is what appending leaves to a log changes. A store writes it in
// the transaction that records the actions: Leaves[i] at leaf index
// First+i, Hashes[j] at stored-hash index HashStart+j. Nothing is
// overwritten, so both can be plain INSERTs whose primary key catches two
// writers that raced.
type Appended struct {
	// First is the index of the first new leaf: the size before appending.
	First int64
	// Leaves holds the canonical texts of the new leaves, in order.
	Leaves [][]byte
	// HashStart is the stored-hash index of Hashes[0].
	HashStart int64
	// Hashes holds the new stored hashes, in stored-hash index order.
	Hashes []Hash
	// Size is the size of the tree after appending.
	Size int64
	// Root is the tree hash after appending.
	Root Hash
}

// Append computes what appending leaves to a log of the given size stores
// and the new root. r must read the hashes stored for the first size
// leaves. Append writes nothing; the caller must hold the log's write lock
// (a write transaction that read size) until it has stored the result, or
// two appends may compute the same indexes. Appending no leaves returns the
// current root. An invalid leaf gives an error wrapping ErrInvalidLeaf; an
// error from r is wrapped with %w.
func Append(size int64, leaves []Leaf, r HashReader) (Appended, error) {
	if size < 0 {
		return Appended{}, fmt.Errorf("translog: append to negative size %d", size)
	}
	a := Appended{
		First:     size,
		Leaves:    make([][]byte, 0, len(leaves)),
		HashStart: tlog.StoredHashIndex(0, size),
	}
	o := &overlay{r: r, start: a.HashStart}
	for i, l := range leaves {
		n := size + int64(i)
		text, err := l.MarshalText()
		if err != nil {
			return Appended{}, fmt.Errorf("translog: append leaf %d: %w", n, err)
		}
		hs, err := tlog.StoredHashes(n, text, o)
		if err != nil {
			return Appended{}, fmt.Errorf("translog: append leaf %d: %w", n, err)
		}
		a.Leaves = append(a.Leaves, text)
		o.pending = append(o.pending, hs...)
	}
	a.Hashes = o.pending
	a.Size = size + int64(len(leaves))
	root, err := tlog.TreeHash(a.Size, o)
	if err != nil {
		return Appended{}, fmt.Errorf("translog: tree hash of size %d: %w", a.Size, err)
	}
	a.Root = root
	return a, nil
}

// overlay reads hashes below start from r and the others from pending, so
// that Append can compute with hashes it has not stored yet.
type overlay struct {
	r       HashReader
	start   int64
	pending []Hash
}

func (o *overlay) ReadHashes(indexes []int64) ([]Hash, error) {
	out := make([]Hash, len(indexes))
	var old []int64
	var pos []int
	for i, x := range indexes {
		switch {
		case x < o.start:
			old = append(old, x)
			pos = append(pos, i)
		case x-o.start < int64(len(o.pending)):
			out[i] = o.pending[x-o.start]
		default:
			return nil, fmt.Errorf("translog: stored hash %d is not computed yet", x)
		}
	}
	if len(old) == 0 {
		return out, nil
	}
	hs, err := o.r.ReadHashes(old)
	if err != nil {
		return nil, err
	}
	if len(hs) != len(old) {
		return nil, fmt.Errorf("translog: read %d hashes, got %d", len(old), len(hs))
	}
	for i, h := range hs {
		out[pos[i]] = h
	}
	return out, nil
}

// TreeHash returns the root hash of the tree of the first size leaves,
// reading at most 1 + log₂ size hashes from r. An error from r is wrapped
// with %w.
func TreeHash(size int64, r HashReader) (Hash, error) {
	if size < 0 {
		return Hash{}, fmt.Errorf("translog: tree hash of negative size %d", size)
	}
	h, err := tlog.TreeHash(size, r)
	if err != nil {
		return Hash{}, fmt.Errorf("translog: tree hash of size %d: %w", size, err)
	}
	return h, nil
}

// LeafHash returns the Merkle leaf hash of a leaf text (RFC 6962: SHA-256 of
// 0x00 followed by the text).
func LeafHash(text []byte) Hash { return tlog.RecordHash(text) }

// ProveRecord returns the proof that leaf index is in the tree of the given
// size. An index outside [0, size) gives an error wrapping
// apperr.ErrNotFound; an error from r is wrapped with %w.
func ProveRecord(size, index int64, r HashReader) (RecordProof, error) {
	if index < 0 || index >= size {
		return nil, fmt.Errorf("translog: leaf %d is not in a tree of size %d: %w", index, size, apperr.ErrNotFound)
	}
	p, err := tlog.ProveRecord(size, index, r)
	if err != nil {
		return nil, fmt.Errorf("translog: prove leaf %d in tree of size %d: %w", index, size, err)
	}
	return p, nil
}

// CheckRecord reports whether p proves that text is leaf index of the tree
// c describes. A failure wraps ErrNotIncluded.
func CheckRecord(p RecordProof, c Checkpoint, index int64, text []byte) error {
	if index < 0 || index >= c.Size {
		return fmt.Errorf("%w: leaf %d is outside a tree of size %d", ErrNotIncluded, index, c.Size)
	}
	if err := tlog.CheckRecord(p, c.Size, c.Root, index, tlog.RecordHash(text)); err != nil {
		return fmt.Errorf("%w: proof for leaf %d in tree of size %d does not check: %v", ErrNotIncluded, index, c.Size, err)
	}
	return nil
}

// ProveTree returns the proof that the tree of oldSize leaves is a prefix of
// the tree of size leaves. For oldSize 0 the proof is empty. An oldSize
// outside [0, size] gives an error wrapping apperr.ErrNotFound; an error from
// r is wrapped with %w.
func ProveTree(size, oldSize int64, r HashReader) (TreeProof, error) {
	if oldSize < 0 || oldSize > size {
		return nil, fmt.Errorf("translog: tree of size %d is not a prefix of a tree of size %d: %w", oldSize, size, apperr.ErrNotFound)
	}
	if oldSize == 0 {
		return TreeProof{}, nil
	}
	p, err := tlog.ProveTree(size, oldSize, r)
	if err != nil {
		return nil, fmt.Errorf("translog: prove tree of size %d in tree of size %d: %w", oldSize, size, err)
	}
	return p, nil
}

// emptyRoot is the hash of the tree with no leaves (RFC 6962, 2.1: the
// SHA-256 of the empty string).
var emptyRoot = Hash(sha256.Sum256(nil))

// CheckTree reports whether p proves that the tree described by newer
// extends the one described by older: same origin, no fewer leaves, and the
// first older.Size leaves unchanged. A failure wraps ErrInconsistent.
func CheckTree(p TreeProof, older, newer Checkpoint) error {
	switch {
	case older.Origin != newer.Origin:
		return fmt.Errorf("%w: origin %q differs from earlier origin %q", ErrInconsistent, newer.Origin, older.Origin)
	case newer.Size < older.Size:
		return fmt.Errorf("%w: tree shrank from %d to %d leaves", ErrInconsistent, older.Size, newer.Size)
	case older.Size == 0:
		if older.Root != emptyRoot || len(p) != 0 {
			return fmt.Errorf("%w: earlier tree of size 0 has a root or proof that an empty tree cannot have", ErrInconsistent)
		}
		return nil
	}
	if err := tlog.CheckTree(p, newer.Size, newer.Root, older.Size, older.Root); err != nil {
		return fmt.Errorf("%w: tree of size %d does not extend tree of size %d: %v", ErrInconsistent, newer.Size, older.Size, err)
	}
	return nil
}

// maxProofHashes bounds the hashes ParseProof accepts. Neither kind of proof
// has more than 64 hashes for any tree an int64 can count.
const maxProofHashes = 128

// FormatProof returns the text form of a proof: each hash in base64 on a
// line of its own, each line ending in a newline. An empty proof is empty
// text. It accepts a RecordProof or a TreeProof.
func FormatProof(p []Hash) []byte {
	var b bytes.Buffer
	for _, h := range p {
		b.WriteString(h.String())
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// ParseProof parses the text form of a proof written by FormatProof. The
// result may be assigned to a RecordProof or a TreeProof.
func ParseProof(text []byte) ([]Hash, error) {
	if len(text) == 0 {
		return []Hash{}, nil
	}
	if text[len(text)-1] != '\n' {
		return nil, fmt.Errorf("translog: malformed proof: no final newline")
	}
	lines := bytes.Split(text[:len(text)-1], []byte("\n"))
	if len(lines) > maxProofHashes {
		return nil, fmt.Errorf("translog: malformed proof: %d hashes, more than %d", len(lines), maxProofHashes)
	}
	p := make([]Hash, len(lines))
	for i, line := range lines {
		// ParseHash alone would accept other spellings of the same bytes.
		if len(line) != base64.StdEncoding.EncodedLen(len(Hash{})) {
			return nil, fmt.Errorf("translog: malformed proof: line %d is not a base64 hash", i+1)
		}
		h, err := tlog.ParseHash(string(line))
		if err != nil || h.String() != string(line) {
			return nil, fmt.Errorf("translog: malformed proof: line %d is not a base64 hash", i+1)
		}
		p[i] = h
	}
	return p, nil
}
