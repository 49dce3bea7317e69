package translog

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"slices"
	"unicode/utf8"
)

// Content is the public content of one version of an item, as the public
// JSON API serves it. Every string is used byte for byte: nothing is
// trimmed, normalised or converted, so the publisher and a verifier that
// reads the JSON compute the same ContentHash.
type Content struct {
	// Title is the item's title.
	Title string
	// Body is the item's body as published (sanitised HTML).
	Body string
	// Metadata holds the catalog metadata (index number, document number,
	// dates, classifications, validity, …) as key → value. A key with an
	// empty value differs from an absent key.
	Metadata map[string]string
	// Attachments holds the SHA-256 of each attachment's bytes. Their order
	// does not count: the hash covers them sorted, so a verifier does not
	// depend on the order an API lists them in. Repeated digests count.
	Attachments []Digest
}

// contentHeader starts every content encoding. A future incompatible
// encoding would change it.
const contentHeader = "gongkai content v1\n"

// ContentHash returns the SHA-256 of the canonical encoding of c, described
// in the package comment. It fails if a string in c is not valid UTF-8,
// because such a string would not survive the JSON a verifier reads.
func ContentHash(c Content) (Digest, error) {
	b, err := c.encode()
	if err != nil {
		return Digest{}, err
	}
	return sha256.Sum256(b), nil
}

// encode returns the canonical encoding of c.
func (c Content) encode() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(contentHeader)
	if err := putString(&b, "title", c.Title); err != nil {
		return nil, err
	}
	if err := putString(&b, "body", c.Body); err != nil {
		return nil, err
	}

	// Keys in increasing byte order (Go's string order), which is also
	// the order of their UTF-8 bytes in any other language.
	keys := make([]string, 0, len(c.Metadata))
	for k := range c.Metadata {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	putUint64(&b, uint64(len(keys)))
	for _, k := range keys {
		if err := putString(&b, "metadata key", k); err != nil {
			return nil, err
		}
		if err := putString(&b, "metadata value of "+k, c.Metadata[k]); err != nil {
			return nil, err
		}
	}

	atts := slices.Clone(c.Attachments)
	slices.SortFunc(atts, func(x, y Digest) int { return bytes.Compare(x[:], y[:]) })
	putUint64(&b, uint64(len(atts)))
	for _, d := range atts {
		b.Write(d[:])
	}
	return b.Bytes(), nil
}

// putString writes s prefixed by its length in bytes, so that no choice of
// strings can be read back in two ways.
func putString(b *bytes.Buffer, field, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("translog: content %s is not valid UTF-8", field)
	}
	putUint64(b, uint64(len(s)))
	b.WriteString(s)
	return nil
}

// putUint64 writes v as 8 bytes, big-endian.
func putUint64(b *bytes.Buffer, v uint64) {
	b.Write(binary.BigEndian.AppendUint64(nil, v))
}
