package translog

import (
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Checkpoint describes the log at one moment: which log, how many leaves,
// and the root hash over them. Signed, it is the server's commitment that
// every later tree extends this one.
type Checkpoint struct {
	// Origin names the log, conventionally the site's host name followed
	// by "/log" ("gongkai.example.gov.cn/log"). It is also the name of
	// the key that signs the log's checkpoints, so it must be a valid
	// note key name: non-empty UTF-8 without spaces, control characters
	// or "+".
	Origin string
	// Size is the number of leaves.
	Size int64
	// Root is the tree hash of those leaves.
	Root Hash
}

// maxOrigin bounds Origin in bytes.
const maxOrigin = 256

// maxNote bounds a signed checkpoint in bytes; a real one is under 300.
const maxNote = 16 << 10

func validOrigin(s string) bool {
	if s == "" || len(s) > maxOrigin || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsControl(r) || r == '+' {
			return false
		}
	}
	return true
}

// MarshalText returns the checkpoint body, the text that is signed:
//
//	<origin>\n<size in decimal>\n<root in base64>\n
//
// It fails, wrapping ErrInvalidCheckpoint, if Origin is not a valid key name
// or Size is negative.
func (c Checkpoint) MarshalText() ([]byte, error) {
	if !validOrigin(c.Origin) {
		return nil, fmt.Errorf("%w: origin %q is empty, longer than %d bytes, or has spaces, control characters or '+'", ErrInvalidCheckpoint, c.Origin, maxOrigin)
	}
	if c.Size < 0 {
		return nil, fmt.Errorf("%w: negative size %d", ErrInvalidCheckpoint, c.Size)
	}
	return fmt.Appendf(nil, "%s\n%d\n%s\n", c.Origin, c.Size, c.Root), nil
}

// UnmarshalText sets c from a checkpoint body; see ParseCheckpoint.
func (c *Checkpoint) UnmarshalText(text []byte) error {
	v, err := ParseCheckpoint(text)
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// ParseCheckpoint parses a checkpoint body in exactly the form MarshalText
// writes: three lines and nothing else (no extension lines). It does not
// check a signature; use Open for text that comes from outside. Errors wrap
// ErrInvalidCheckpoint.
func ParseCheckpoint(text []byte) (Checkpoint, error) {
	s, ok := strings.CutSuffix(string(text), "\n")
	if !ok {
		return Checkpoint{}, fmt.Errorf("%w: text does not end in a newline", ErrInvalidCheckpoint)
	}
	lines := strings.Split(s, "\n")
	if len(lines) != 3 {
		return Checkpoint{}, fmt.Errorf("%w: %d lines, want 3", ErrInvalidCheckpoint, len(lines))
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return Checkpoint{}, fmt.Errorf("%w: size %q is not a canonical non-negative decimal", ErrInvalidCheckpoint, lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil || root.String() != lines[2] {
		return Checkpoint{}, fmt.Errorf("%w: root %q is not a base64 hash", ErrInvalidCheckpoint, lines[2])
	}
	c := Checkpoint{Origin: lines[0], Size: size, Root: root}
	if !validOrigin(c.Origin) {
		return Checkpoint{}, fmt.Errorf("%w: origin %q is not a valid key name", ErrInvalidCheckpoint, c.Origin)
	}
	return c, nil
}

// NewKey generates an Ed25519 key pair for signing the checkpoints of the
// log named origin. skey is secret: keep it out of logs, the database dump
// and the repository. vkey is public: publish it so verifiers can check
// checkpoints. Both are in the signed-note key encoding
// ("PRIVATE+KEY+<origin>+<hash>+<key>" and "<origin>+<hash>+<key>").
func NewKey(origin string) (skey, vkey string, err error) {
	if !validOrigin(origin) {
		return "", "", fmt.Errorf("%w: origin %q is not a valid key name", ErrInvalidCheckpoint, origin)
	}
	skey, vkey, err = note.GenerateKey(rand.Reader, origin)
	if err != nil {
		return "", "", fmt.Errorf("translog: generate key: %v", err)
	}
	return skey, vkey, nil
}

// Sign returns c as a signed note: the checkpoint body, a blank line and
// one signature line by skey. The key's name must equal c.Origin, or the
// error wraps ErrInvalidCheckpoint. A malformed skey is a configuration
// error and is reported as such (never with the key in the message).
func Sign(c Checkpoint, skey string) ([]byte, error) {
	s, err := note.NewSigner(skey)
	if err != nil {
		return nil, fmt.Errorf("translog: malformed signer key")
	}
	if s.Name() != c.Origin {
		return nil, fmt.Errorf("%w: origin %q differs from key name %q", ErrInvalidCheckpoint, c.Origin, s.Name())
	}
	body, err := c.MarshalText()
	if err != nil {
		return nil, err
	}
	msg, err := note.Sign(&note.Note{Text: string(body)}, s)
	if err != nil {
		return nil, fmt.Errorf("translog: sign checkpoint: %v", err)
	}
	return msg, nil
}

// Open verifies that msg is a checkpoint signed by vkey and returns it.
// Signatures by other keys are ignored, so a checkpoint may also carry
// witnesses' cosignatures. A missing, wrong or broken signature, or text
// changed after signing, gives an error wrapping ErrBadSignature; a body
// that is signed but malformed, or whose origin is not the key's name,
// wraps ErrInvalidCheckpoint. A malformed vkey is a configuration error
// wrapping neither.
func Open(msg []byte, vkey string) (Checkpoint, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("translog: malformed verifier key %q: %v", vkey, err)
	}
	if len(msg) > maxNote {
		return Checkpoint{}, fmt.Errorf("%w: signed checkpoint is longer than %d bytes", ErrBadSignature, maxNote)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: %v", ErrBadSignature, err)
	}
	c, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, err
	}
	if c.Origin != v.Name() {
		return Checkpoint{}, fmt.Errorf("%w: origin %q differs from key name %q", ErrInvalidCheckpoint, c.Origin, v.Name())
	}
	return c, nil
}
