package translog

import (
	"errors"
	"fmt"
)

// Evidence is what a verifier fetches from the log's public endpoints to
// check one leaf against a signed checkpoint.
type Evidence struct {
	// Note is the signed checkpoint, as served.
	Note []byte
	// Index is the leaf's index in the log.
	Index int64
	// Leaf is the leaf text, as served.
	Leaf []byte
	// Inclusion proves leaf Index in the tree of Note.
	Inclusion RecordProof
	// Consistency proves that the tree of Note extends the verifier's
	// previous checkpoint. It is ignored when there is none.
	Consistency TreeProof
	// Content, when not nil, is the item's content as the public JSON API
	// serves it; its ContentHash must equal the leaf's.
	Content *Content
}

// Result is what Verify established.
type Result struct {
	// Checkpoint is the new checkpoint; it is set whenever its signature
	// verified.
	Checkpoint Checkpoint
	// Consistent reports that Checkpoint is signed and extends the
	// previous checkpoint (or there was none). Only then may a verifier
	// remember Checkpoint in place of the previous one.
	Consistent bool
	// Leaf is the parsed leaf; it is set when the leaf text is canonical.
	// Verify does not compare its item or version with anything: a caller
	// checking a given item must compare Leaf.ItemID and Leaf.Version.
	Leaf Leaf
}

// Verify checks evidence for one leaf against the log's public key vkey and
// the checkpoint the verifier saw before (nil if none). It returns nil only
// if all hold: Note is signed by vkey; its tree extends prev; Leaf is a
// canonical leaf text and is leaf Index of that tree; and, if Content is
// given, its ContentHash equals the leaf's.
//
// Each failure is reported by an error wrapping one of ErrBadSignature,
// ErrInvalidCheckpoint, ErrInconsistent (the log was rewritten or shrank),
// ErrInvalidLeaf, ErrNotIncluded or ErrContentMismatch. A bad signature stops
// the checks, since nothing else can then be trusted; the other checks all
// run and their failures are joined, so test each with errors.Is. A
// malformed vkey is a configuration error wrapping none of them.
func Verify(vkey string, prev *Checkpoint, ev Evidence) (Result, error) {
	var res Result
	c, err := Open(ev.Note, vkey)
	if err != nil {
		return res, err
	}
	res.Checkpoint = c

	var errs []error
	if prev == nil {
		res.Consistent = true
	} else if err := CheckTree(ev.Consistency, *prev, c); err != nil {
		errs = append(errs, err)
	} else {
		res.Consistent = true
	}

	// Inclusion is checked on the bytes as served, so a malformed leaf
	// that the log really contains is reported as malformed, not missing.
	if err := CheckRecord(ev.Inclusion, c, ev.Index, ev.Leaf); err != nil {
		errs = append(errs, err)
	}
	l, err := ParseLeaf(ev.Leaf)
	if err != nil {
		errs = append(errs, err)
		return res, errors.Join(errs...)
	}
	res.Leaf = l

	if ev.Content != nil {
		got, err := ContentHash(*ev.Content)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("%w: %v", ErrContentMismatch, err))
		case got != l.ContentHash:
			errs = append(errs, fmt.Errorf("%w: leaf %d records %s, content hashes to %s", ErrContentMismatch, ev.Index, l.ContentHash, got))
		}
	}
	return res, errors.Join(errs...)
}
