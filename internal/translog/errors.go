package translog

import "errors"

// The failure kinds below are what a verifier reports. Errors returned by
// this package wrap at most one of them, except [Verify], which may join
// several (test each with errors.Is). The wrapping error says which index,
// size or field was at fault.
var (
	// ErrInvalidLeaf reports a leaf whose fields break the rules of the
	// format, or a leaf text that is not in canonical form.
	ErrInvalidLeaf = errors.New("translog: invalid leaf")
	// ErrInvalidCheckpoint reports a checkpoint body that is not in the
	// format described in the package comment, or whose origin differs
	// from the name of the key that signs it.
	ErrInvalidCheckpoint = errors.New("translog: invalid checkpoint")
	// ErrBadSignature reports a signed checkpoint that is malformed, not
	// signed by the expected key, or whose text was changed after signing.
	ErrBadSignature = errors.New("translog: bad checkpoint signature")
	// ErrNotIncluded reports that an inclusion proof does not show the
	// leaf at the claimed index of the tree.
	ErrNotIncluded = errors.New("translog: leaf not included in tree")
	// ErrInconsistent reports that a newer tree does not extend an older
	// one: the log was rewritten, shrank, or belongs to another origin.
	ErrInconsistent = errors.New("translog: tree not consistent with earlier tree")
	// ErrContentMismatch reports that content recomputed from the public
	// item differs from the content hash recorded in the leaf.
	ErrContentMismatch = errors.New("translog: content hash mismatch")
)
