package translog_test

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"gongkai/internal/translog"
)

// testContent returns the public content of item i.
func testContent(i int) translog.Content {
	return translog.Content{
		Title:       fmt.Sprintf("关于第%d号事项的公告", i),
		Body:        fmt.Sprintf("<p>第%d号事项正文。</p>", i),
		Metadata:    map[string]string{"index_no": fmt.Sprintf("11421300MB1234567X/2024-%05d", i), "validity": "valid"},
		Attachments: []translog.Digest{{byte(i)}},
	}
}

// contentLeaf returns leaf i of a log whose leaves record testContent(i),
// or content when it is not nil.
func contentLeaf(t testing.TB, i int, content *translog.Content) translog.Leaf {
	t.Helper()
	c := testContent(i)
	if content != nil {
		c = *content
	}
	h, err := translog.ContentHash(c)
	if err != nil {
		t.Fatalf("ContentHash(item %d): %v", i, err)
	}
	return translog.Leaf{
		OrgID: 1, OrgCode: "11421300MB1234567X", ItemID: int64(i + 1), Version: 1,
		Action: translog.ActionPublish, Time: time.Date(2024, 1, 1, 0, 0, i, 0, time.UTC), ContentHash: h,
	}
}

// server is what a verifier talks to: a log and its signing key.
type server struct {
	t    testing.TB
	log  *translog.MemStore
	skey string
}

// newServer returns a log of n leaves recording testContent, except that
// item rewrite (if ≥ 0) records changed content.
func newServer(t testing.TB, skey string, n, rewrite int) *server {
	t.Helper()
	s := &server{t: t, log: new(translog.MemStore), skey: skey}
	for i := range n {
		var c *translog.Content
		if i == rewrite {
			changed := testContent(i)
			changed.Body = "<p>改过的正文。</p>"
			c = &changed
		}
		if _, err := s.log.Append(contentLeaf(t, i, c)); err != nil {
			s.t.Fatalf("append leaf %d: %v", i, err)
		}
	}
	return s
}

// evidence returns what the server sends for leaf index at tree size, to a
// verifier that saw a tree of prevSize before.
func (s *server) evidence(size, index, prevSize int64) translog.Evidence {
	s.t.Helper()
	note, err := translog.Sign(checkpointAt(s.t, s.log, size), s.skey)
	if err != nil {
		s.t.Fatalf("sign checkpoint of size %d: %v", size, err)
	}
	leaf, err := s.log.Leaf(index)
	if err != nil {
		s.t.Fatalf("leaf %d: %v", index, err)
	}
	incl, err := translog.ProveRecord(size, index, s.log)
	if err != nil {
		s.t.Fatalf("prove leaf %d in %d: %v", index, size, err)
	}
	var cons translog.TreeProof
	if prevSize <= size {
		if cons, err = translog.ProveTree(size, prevSize, s.log); err != nil {
			s.t.Fatalf("prove tree %d in %d: %v", prevSize, size, err)
		}
	}
	c := testContent(int(index))
	return translog.Evidence{Note: note, Index: index, Leaf: leaf, Inclusion: incl, Consistency: cons, Content: &c}
}

func TestVerify(t *testing.T) {
	const n = 1000
	skey, vkey := newTestKey(t, testOrigin)
	otherSkey, _ := newTestKey(t, testOrigin)
	honest := newServer(t, skey, n, -1)
	rewritten := newServer(t, skey, n, 100) // same key: the server itself rewrote history
	seen := checkpointAt(t, honest.log, 500)
	empty := checkpointAt(t, honest.log, 0)

	tests := []struct {
		name           string
		prev           *translog.Checkpoint
		ev             translog.Evidence
		wantErrs       []error // each must match; nil means success
		wantConsistent bool
	}{
		{name: "first use", ev: honest.evidence(n, 42, 0), wantConsistent: true},
		{name: "after an earlier checkpoint", prev: &seen, ev: honest.evidence(n, 700, 500), wantConsistent: true},
		{name: "leaf before the earlier checkpoint", prev: &seen, ev: honest.evidence(n, 3, 500), wantConsistent: true},
		{name: "same checkpoint again", prev: &seen, ev: honest.evidence(500, 499, 500), wantConsistent: true},
		{name: "earlier checkpoint of the empty log", prev: &empty, ev: honest.evidence(1, 0, 0), wantConsistent: true},
		{name: "without content", ev: func() translog.Evidence {
			ev := honest.evidence(n, 42, 0)
			ev.Content = nil
			return ev
		}(), wantConsistent: true},
		{
			name:     "signed by another key",
			ev:       withNote(honest.evidence(n, 42, 0), mustSign(t, checkpointAt(t, honest.log, n), otherSkey)),
			wantErrs: []error{translog.ErrBadSignature},
		},
		{
			name:     "checkpoint text modified",
			ev:       withNote(honest.evidence(n, 42, 0), bytes.Replace(mustSign(t, checkpointAt(t, honest.log, n), skey), []byte("\n1000\n"), []byte("\n1001\n"), 1)),
			wantErrs: []error{translog.ErrBadSignature},
		},
		{
			name:           "leaf tampered",
			ev:             withLeaf(honest.evidence(n, 42, 0), mustMarshal(t, contentLeaf(t, 42, &translog.Content{Title: "别的"}))),
			wantErrs:       []error{translog.ErrNotIncluded, translog.ErrContentMismatch},
			wantConsistent: true,
		},
		{
			name: "leaf claimed at another index",
			ev: func() translog.Evidence {
				ev := honest.evidence(n, 42, 0)
				ev.Index = 43
				return ev
			}(),
			wantErrs:       []error{translog.ErrNotIncluded},
			wantConsistent: true,
		},
		{
			name:           "leaf not canonical",
			ev:             withLeaf(honest.evidence(n, 42, 0), bytes.Replace(honest.evidence(n, 42, 0).Leaf, []byte("version 1"), []byte("version 01"), 1)),
			wantErrs:       []error{translog.ErrInvalidLeaf, translog.ErrNotIncluded},
			wantConsistent: true,
		},
		{
			name: "content changed on the site",
			ev: func() translog.Evidence {
				ev := honest.evidence(n, 42, 0)
				ev.Content.Metadata["validity"] = "repealed"
				return ev
			}(),
			wantErrs:       []error{translog.ErrContentMismatch},
			wantConsistent: true,
		},
		{
			name: "content not valid UTF-8",
			ev: func() translog.Evidence {
				ev := honest.evidence(n, 42, 0)
				ev.Content.Title = "\xff"
				return ev
			}(),
			wantErrs:       []error{translog.ErrContentMismatch},
			wantConsistent: true,
		},
		{
			name:     "history rewritten before the earlier checkpoint",
			prev:     &seen,
			ev:       rewritten.evidence(n, 700, 500),
			wantErrs: []error{translog.ErrInconsistent},
		},
		{
			name:     "rewritten leaf served with its new content",
			prev:     &seen,
			ev:       withContent(rewritten.evidence(n, 100, 500), nil),
			wantErrs: []error{translog.ErrInconsistent},
		},
		{
			name:     "log shrank",
			prev:     &seen,
			ev:       honest.evidence(400, 42, 500), // no proof: 500 > 400
			wantErrs: []error{translog.ErrInconsistent},
		},
		{
			name: "consistency proof missing",
			prev: &seen,
			ev: func() translog.Evidence {
				ev := honest.evidence(n, 42, 500)
				ev.Consistency = nil
				return ev
			}(),
			wantErrs: []error{translog.ErrInconsistent},
		},
		{
			name:     "several failures at once",
			prev:     &seen,
			ev:       withLeaf(rewritten.evidence(n, 700, 500), mustMarshal(t, contentLeaf(t, 700, &translog.Content{}))),
			wantErrs: []error{translog.ErrInconsistent, translog.ErrNotIncluded, translog.ErrContentMismatch},
		},
	}
	all := []error{translog.ErrBadSignature, translog.ErrInvalidCheckpoint, translog.ErrInconsistent,
		translog.ErrInvalidLeaf, translog.ErrNotIncluded, translog.ErrContentMismatch}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := translog.Verify(vkey, tt.prev, tt.ev)
			for _, kind := range all {
				want := false
				for _, w := range tt.wantErrs {
					want = want || w == kind
				}
				if got := errors.Is(err, kind); got != want {
					t.Errorf("Verify() error = %v; errors.Is(err, %q) = %t, want %t", err, kind, got, want)
				}
			}
			if res.Consistent != tt.wantConsistent {
				t.Errorf("Verify().Consistent = %t, want %t", res.Consistent, tt.wantConsistent)
			}
			if err == nil {
				if want := checkpointAt(t, honest.log, res.Checkpoint.Size); res.Checkpoint != want {
					t.Errorf("Verify().Checkpoint = %+v, want %+v", res.Checkpoint, want)
				}
				if res.Leaf.ItemID != tt.ev.Index+1 {
					t.Errorf("Verify().Leaf.ItemID = %d, want %d", res.Leaf.ItemID, tt.ev.Index+1)
				}
			}
		})
	}

	if _, err := translog.Verify("not a key", nil, honest.evidence(n, 1, 0)); err == nil {
		t.Error("Verify(malformed vkey) error = nil, want error")
	}
}

func withNote(ev translog.Evidence, note []byte) translog.Evidence { ev.Note = note; return ev }
func withLeaf(ev translog.Evidence, leaf []byte) translog.Evidence { ev.Leaf = leaf; return ev }
func withContent(ev translog.Evidence, c *translog.Content) translog.Evidence {
	ev.Content = c
	return ev
}

func mustSign(t testing.TB, c translog.Checkpoint, skey string) []byte {
	t.Helper()
	msg, err := translog.Sign(c, skey)
	if err != nil {
		t.Fatalf("Sign(%+v): %v", c, err)
	}
	return msg
}

func mustMarshal(t testing.TB, l translog.Leaf) []byte {
	t.Helper()
	text, err := l.MarshalText()
	if err != nil {
		t.Fatalf("MarshalText(%+v): %v", l, err)
	}
	return text
}
