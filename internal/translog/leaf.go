package translog

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Action is what happened to an item that a leaf records. The values are what
// the leaf text, the database and the logs show.
type Action string

const (
	// ActionPublish records that an item was first published (发布).
	ActionPublish Action = "publish"
	// ActionUpdate records that a published item was replaced by a new
	// public version.
	ActionUpdate Action = "update"
	// ActionValidity records a change of validity (有效性): valid,
	// expired or repealed.
	ActionValidity Action = "validity"
	// ActionWithdraw records that an item was withdrawn from the site.
	ActionWithdraw Action = "withdraw"
)

// valid reports whether a is one of the actions above.
func (a Action) valid() bool {
	switch a {
	case ActionPublish, ActionUpdate, ActionValidity, ActionWithdraw:
		return true
	}
	return false
}

// Digest is a SHA-256 hash. Its text form is 64 lowercase hexadecimal digits,
// as sha256sum prints it.
type Digest [sha256.Size]byte

// String returns d as 64 lowercase hexadecimal digits.
func (d Digest) String() string { return hex.EncodeToString(d[:]) }

// MarshalText returns d as 64 lowercase hexadecimal digits, so that a Digest
// appears as a string in JSON.
func (d Digest) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses 64 lowercase hexadecimal digits into d.
func (d *Digest) UnmarshalText(b []byte) error {
	v, err := ParseDigest(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// ParseDigest parses 64 lowercase hexadecimal digits. Upper case is refused
// so that every digest has exactly one text form.
func ParseDigest(s string) (Digest, error) {
	var d Digest
	if len(s) != hex.EncodedLen(len(d)) || strings.ToLower(s) != s {
		return Digest{}, fmt.Errorf("translog: malformed sha256 digest %q", s)
	}
	if _, err := hex.Decode(d[:], []byte(s)); err != nil {
		return Digest{}, fmt.Errorf("translog: malformed sha256 digest %q", s)
	}
	return d, nil
}

// Leaf is one entry of the log: an action on one version of one item. Its
// canonical text (MarshalText) is what the Merkle tree commits to.
type Leaf struct {
	// OrgID is the database ID of the organisation that owns the item; > 0.
	OrgID int64
	// OrgCode is the organisation's code as it appears in index numbers:
	// 1 to 128 bytes of UTF-8 with no white space or control characters.
	OrgCode string
	// ItemID is the database ID of the item; > 0.
	ItemID int64
	// Version is the item's version number the action concerns; ≥ 1.
	Version int
	// Action is what happened.
	Action Action
	// Time is when it happened. The leaf keeps it in UTC to the second:
	// MarshalText truncates anything finer, so two leaves whose times
	// differ by less than a second in the same second encode alike.
	Time time.Time
	// ContentHash is ContentHash of the public content of the version the
	// action concerns (for ActionWithdraw, the content withdrawn). It must
	// not be the zero Digest.
	ContentHash Digest
}

// leafHeader is the first line of every leaf text. A future incompatible
// format would change it.
const leafHeader = "gongkai leaf v1"

// timeLayout is RFC 3339 in UTC with second precision and a literal Z.
const timeLayout = "2006-01-02T15:04:05Z"

// maxOrgCode bounds OrgCode in bytes.
const maxOrgCode = 128

// maxLeafText bounds the length of a leaf text that ParseLeaf accepts; a
// canonical leaf is far shorter.
const maxLeafText = 1024

// Validate reports whether l may be encoded, naming the first field that
// breaks a rule. The error wraps ErrInvalidLeaf.
func (l Leaf) Validate() error {
	switch {
	case l.OrgID <= 0:
		return fmt.Errorf("%w: org ID %d is not positive", ErrInvalidLeaf, l.OrgID)
	case !validOrgCode(l.OrgCode):
		return fmt.Errorf("%w: org code %q is empty, longer than %d bytes, or has spaces or control characters", ErrInvalidLeaf, l.OrgCode, maxOrgCode)
	case l.ItemID <= 0:
		return fmt.Errorf("%w: item ID %d is not positive", ErrInvalidLeaf, l.ItemID)
	case l.Version < 1:
		return fmt.Errorf("%w: version %d is less than 1", ErrInvalidLeaf, l.Version)
	case !l.Action.valid():
		return fmt.Errorf("%w: unknown action %q", ErrInvalidLeaf, l.Action)
	case l.Time.IsZero() || l.Time.UTC().Year() < 1 || l.Time.UTC().Year() > 9999:
		return fmt.Errorf("%w: time %v is zero or outside years 1 to 9999", ErrInvalidLeaf, l.Time)
	case l.ContentHash == Digest{}:
		return fmt.Errorf("%w: content hash is zero", ErrInvalidLeaf)
	}
	return nil
}

func validOrgCode(s string) bool {
	if s == "" || len(s) > maxOrgCode || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// MarshalText returns the canonical text of l, the exact bytes the log
// hashes and serves. The format is given in the package comment. It returns
// an error wrapping ErrInvalidLeaf when l fails Validate.
func (l Leaf) MarshalText() ([]byte, error) {
	if err := l.Validate(); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(leafHeader + "\n")
	fmt.Fprintf(&b, "org %d\n", l.OrgID)
	fmt.Fprintf(&b, "org-code %s\n", l.OrgCode)
	fmt.Fprintf(&b, "item %d\n", l.ItemID)
	fmt.Fprintf(&b, "version %d\n", l.Version)
	fmt.Fprintf(&b, "action %s\n", l.Action)
	fmt.Fprintf(&b, "time %s\n", l.Time.UTC().Truncate(time.Second).Format(timeLayout))
	fmt.Fprintf(&b, "content-sha256 %s\n", l.ContentHash)
	return b.Bytes(), nil
}

// UnmarshalText sets l from a canonical leaf text; see ParseLeaf.
func (l *Leaf) UnmarshalText(text []byte) error {
	v, err := ParseLeaf(text)
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// leafKeys are the keys of the lines after the header, in their fixed order.
var leafKeys = [...]string{"org", "org-code", "item", "version", "action", "time", "content-sha256"}

// ParseLeaf parses a leaf text. It accepts only the canonical form, the one
// MarshalText produces, so that one leaf has exactly one text and one hash:
// fixed line order, single spaces, decimal numbers without signs or leading
// zeros, lowercase hex, a final newline and nothing after it. Errors wrap
// ErrInvalidLeaf.
func ParseLeaf(text []byte) (Leaf, error) {
	if len(text) > maxLeafText {
		return Leaf{}, fmt.Errorf("%w: text is longer than %d bytes", ErrInvalidLeaf, maxLeafText)
	}
	s, ok := strings.CutSuffix(string(text), "\n")
	if !ok {
		return Leaf{}, fmt.Errorf("%w: text does not end in a newline", ErrInvalidLeaf)
	}
	lines := strings.Split(s, "\n")
	if lines[0] != leafHeader {
		return Leaf{}, fmt.Errorf("%w: first line is not %q", ErrInvalidLeaf, leafHeader)
	}
	lines = lines[1:]
	if len(lines) != len(leafKeys) {
		return Leaf{}, fmt.Errorf("%w: %d lines after the header, want %d", ErrInvalidLeaf, len(lines), len(leafKeys))
	}
	vals := make([]string, len(leafKeys))
	for i, line := range lines {
		k, v, ok := strings.Cut(line, " ")
		if !ok || k != leafKeys[i] {
			return Leaf{}, fmt.Errorf("%w: line %d is not %q followed by a space", ErrInvalidLeaf, i+2, leafKeys[i])
		}
		vals[i] = v
	}

	var l Leaf
	var err error
	if l.OrgID, err = strconv.ParseInt(vals[0], 10, 64); err != nil {
		return Leaf{}, fmt.Errorf("%w: org %q is not a number", ErrInvalidLeaf, vals[0])
	}
	l.OrgCode = vals[1]
	if l.ItemID, err = strconv.ParseInt(vals[2], 10, 64); err != nil {
		return Leaf{}, fmt.Errorf("%w: item %q is not a number", ErrInvalidLeaf, vals[2])
	}
	if l.Version, err = strconv.Atoi(vals[3]); err != nil {
		return Leaf{}, fmt.Errorf("%w: version %q is not a number", ErrInvalidLeaf, vals[3])
	}
	l.Action = Action(vals[4])
	if l.Time, err = time.Parse(timeLayout, vals[5]); err != nil {
		return Leaf{}, fmt.Errorf("%w: time %q is not RFC 3339 UTC to the second", ErrInvalidLeaf, vals[5])
	}
	if l.ContentHash, err = ParseDigest(vals[6]); err != nil {
		return Leaf{}, fmt.Errorf("%w: %v", ErrInvalidLeaf, err)
	}

	// Re-encoding catches every other non-canonical spelling (leading
	// zeros, "+7", "-0") and the field rules, in one place.
	canon, err := l.MarshalText()
	if err != nil {
		return Leaf{}, err
	}
	if !bytes.Equal(canon, text) {
		return Leaf{}, fmt.Errorf("%w: text is not in canonical form", ErrInvalidLeaf)
	}
	return l, nil
}
