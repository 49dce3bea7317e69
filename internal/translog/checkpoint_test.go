package translog_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"gongkai/internal/translog"
)

// newTestKey returns a fresh key pair named origin.
func newTestKey(t testing.TB, origin string) (skey, vkey string) {
	t.Helper()
	skey, vkey, err := translog.NewKey(origin)
	if err != nil {
		t.Fatalf("NewKey(%q): %v", origin, err)
	}
	return skey, vkey
}

func TestCheckpointText(t *testing.T) {
	c := translog.Checkpoint{Origin: testOrigin, Size: 10000, Root: translog.Hash{0xab, 31: 0x01}}
	const want = "gongkai.example.gov.cn/log\n10000\nqwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\n"
	got, err := c.MarshalText()
	if err != nil || string(got) != want {
		t.Fatalf("MarshalText() = %q, %v; want %q", got, err, want)
	}
	back, err := translog.ParseCheckpoint(got)
	if err != nil || back != c {
		t.Errorf("ParseCheckpoint(%q) = %+v, %v; want %+v", got, back, err, c)
	}

	bad := []string{
		"",
		strings.TrimSuffix(want, "\n"),
		want + "extension line\n",
		"\n10000\nqwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\n",
		"has space/log\n10000\nqwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\n",
		"a+b/log\n10000\nqwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\n",
		"gongkai.example.gov.cn/log\n010000\nqwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\n",
		"gongkai.example.gov.cn/log\n-1\nqwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\n",
		"gongkai.example.gov.cn/log\n10000\nqwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE\n",
		"gongkai.example.gov.cn/log\n10000\nqwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n",
		"go.sum database tree\n10000\nqwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAE=\n\n",
	}
	for _, s := range bad {
		if c, err := translog.ParseCheckpoint([]byte(s)); !errors.Is(err, translog.ErrInvalidCheckpoint) {
			t.Errorf("ParseCheckpoint(%q) = %+v, %v; want ErrInvalidCheckpoint", s, c, err)
		}
	}
	for _, c := range []translog.Checkpoint{{Origin: "", Size: 1}, {Origin: testOrigin, Size: -1}, {Origin: "a b", Size: 1}} {
		if _, err := c.MarshalText(); !errors.Is(err, translog.ErrInvalidCheckpoint) {
			t.Errorf("MarshalText(%+v) error = %v, want ErrInvalidCheckpoint", c, err)
		}
	}
}

func TestSignOpen(t *testing.T) {
	skey, vkey := newTestKey(t, testOrigin)
	if !strings.HasPrefix(vkey, testOrigin+"+") || !strings.HasPrefix(skey, "PRIVATE+KEY+"+testOrigin+"+") {
		t.Fatalf("NewKey(%q) = %q, %q; want keys named after the origin", testOrigin, "PRIVATE+KEY+…", vkey)
	}
	m, _ := newLog(t, 100)
	c := checkpointAt(t, m, 100)
	msg, err := translog.Sign(c, skey)
	if err != nil {
		t.Fatalf("Sign() error = %v", err)
	}
	body, _ := c.MarshalText() // c was just signed, so it is valid
	if !bytes.HasPrefix(msg, append(body, "\n— "+testOrigin+" "...)) {
		t.Errorf("Sign() = %q, want the body, a blank line and a signature line", msg)
	}
	got, err := translog.Open(msg, vkey)
	if err != nil || got != c {
		t.Errorf("Open(Sign(c)) = %+v, %v; want %+v", got, err, c)
	}

	// A cosignature by another key (a witness) does not matter.
	wskey, _ := newTestKey(t, "witness.example.org")
	ws, err := note.NewSigner(wskey)
	if err != nil {
		t.Fatalf("note.NewSigner: %v", err)
	}
	n, err := note.Open(msg, note.VerifierList(mustVerifier(t, vkey)))
	if err != nil {
		t.Fatalf("note.Open: %v", err)
	}
	cosigned, err := note.Sign(n, ws)
	if err != nil {
		t.Fatalf("note.Sign: %v", err)
	}
	if got, err := translog.Open(cosigned, vkey); err != nil || got != c {
		t.Errorf("Open(cosigned) = %+v, %v; want %+v", got, err, c)
	}
}

func mustVerifier(t testing.TB, vkey string) note.Verifier {
	t.Helper()
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatalf("note.NewVerifier(%q): %v", vkey, err)
	}
	return v
}

func TestOpenRejects(t *testing.T) {
	skey, vkey := newTestKey(t, testOrigin)
	otherSkey, _ := newTestKey(t, testOrigin) // same name, another key
	m, _ := newLog(t, 100)
	c := checkpointAt(t, m, 100)
	msg, err := translog.Sign(c, skey)
	if err != nil {
		t.Fatalf("Sign() error = %v", err)
	}
	byOther, err := translog.Sign(c, otherSkey)
	if err != nil {
		t.Fatalf("Sign(other key) error = %v", err)
	}
	root := c.Root.String()
	edit := func(old, new string) []byte {
		if !bytes.Contains(msg, []byte(old)) {
			t.Fatalf("signed checkpoint %q does not contain %q", msg, old)
		}
		return bytes.Replace(msg, []byte(old), []byte(new), 1)
	}
	sigLine := msg[bytes.Index(msg, []byte("\n\n"))+2:]

	tests := []struct {
		name string
		msg  []byte
	}{
		{name: "signed by another key", msg: byOther},
		{name: "size changed", msg: edit("\n100\n", "\n99\n")},
		{name: "size grown", msg: edit("\n100\n", "\n1000\n")},
		{name: "root changed", msg: edit(root, "AAAA"+root[4:])},
		{name: "origin changed", msg: edit(testOrigin+"\n", "other.example.gov.cn/log\n")},
		{name: "line added", msg: edit("=\n\n", "=\nextra\n\n")},
		{name: "signature bit flipped", msg: edit(string(sigLine), flipSignature(t, string(sigLine)))},
		{name: "no signature", msg: msg[:bytes.Index(msg, []byte("\n\n"))+1]},
		{name: "body only, signature line dropped", msg: edit(string(sigLine), "")},
		{name: "empty", msg: nil},
		{name: "huge", msg: append(bytes.Repeat([]byte("x"), 20<<10), msg...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := translog.Open(tt.msg, vkey)
			if !errors.Is(err, translog.ErrBadSignature) {
				t.Errorf("Open(%q) = %+v, %v; want ErrBadSignature", tt.msg, got, err)
			}
		})
	}

	// A signed body that breaks the format, or names another origin.
	s, err := note.NewSigner(skey)
	if err != nil {
		t.Fatalf("note.NewSigner: %v", err)
	}
	for _, text := range []string{
		"go.sum database tree\n100\n" + root + "\n",
		"other.example.gov.cn/log\n100\n" + root + "\n",
		testOrigin + "\n100\n" + root + "\nextension\n",
	} {
		signed, err := note.Sign(&note.Note{Text: text}, s)
		if err != nil {
			t.Fatalf("note.Sign(%q): %v", text, err)
		}
		if got, err := translog.Open(signed, vkey); !errors.Is(err, translog.ErrInvalidCheckpoint) {
			t.Errorf("Open(signed %q) = %+v, %v; want ErrInvalidCheckpoint", text, got, err)
		}
	}

	// Configuration errors are not a bad signature.
	if _, err := translog.Open(msg, "not a key"); err == nil || errors.Is(err, translog.ErrBadSignature) {
		t.Errorf("Open(malformed vkey) error = %v, want a configuration error", err)
	}
	if _, err := translog.Sign(c, "PRIVATE+KEY+broken"); err == nil || strings.Contains(err.Error(), "broken") {
		t.Errorf("Sign(malformed skey) error = %v, want an error that does not echo the key", err)
	}
	other := c
	other.Origin = "other.example.gov.cn/log"
	if _, err := translog.Sign(other, skey); !errors.Is(err, translog.ErrInvalidCheckpoint) {
		t.Errorf("Sign(origin ≠ key name) error = %v, want ErrInvalidCheckpoint", err)
	}
	if _, _, err := translog.NewKey("has space"); !errors.Is(err, translog.ErrInvalidCheckpoint) {
		t.Errorf("NewKey(%q) error = %v, want ErrInvalidCheckpoint", "has space", err)
	}
}

// flipSignature returns a signature line ("— name base64\n") with one bit of
// the Ed25519 signature flipped, keeping the key hash, so that the verifier
// is found and rejects it.
func flipSignature(t *testing.T, line string) string {
	t.Helper()
	prefix, b64, ok := strings.Cut(strings.TrimSuffix(line, "\n"), " "+testOrigin+" ")
	if !ok {
		t.Fatalf("signature line %q has no name", line)
	}
	sig, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatalf("signature line %q: %v", line, err)
	}
	sig[len(sig)-1] ^= 1
	return prefix + " " + testOrigin + " " + base64.StdEncoding.EncodeToString(sig) + "\n"
}
