package translog_test

import (
	"crypto/sha256"
	"encoding/binary"
	"testing"

	"gongkai/internal/translog"
)

// TestContentHashEncoding spells the encoding out byte by byte, as a
// verifier written in another language would, and pins the result.
func TestContentHashEncoding(t *testing.T) {
	attA := translog.Digest{0x01}
	attB := translog.Digest{0x02}
	c := translog.Content{
		Title:       "关于公布2024年低保标准的通知",
		Body:        "<p>正文</p>",
		Metadata:    map[string]string{"index_no": "11421300MB1234567X/2024-00001", "doc_no": "随民发〔2024〕1号", "validity": ""},
		Attachments: []translog.Digest{attB, attA},
	}

	var b []byte
	str := func(s string) {
		b = binary.BigEndian.AppendUint64(b, uint64(len(s)))
		b = append(b, s...)
	}
	b = append(b, "gongkai content v1\n"...)
	str(c.Title)
	str(c.Body)
	b = binary.BigEndian.AppendUint64(b, 3)
	str("doc_no")
	str(c.Metadata["doc_no"])
	str("index_no")
	str(c.Metadata["index_no"])
	str("validity")
	str("")
	b = binary.BigEndian.AppendUint64(b, 2)
	b = append(b, attA[:]...)
	b = append(b, attB[:]...)
	want := translog.Digest(sha256.Sum256(b))

	got, err := translog.ContentHash(c)
	if err != nil {
		t.Fatalf("ContentHash() error = %v", err)
	}
	if got != want {
		t.Errorf("ContentHash() = %s, want %s", got, want)
	}
	// Pinned: changing the encoding breaks every published leaf.
	const pinned = "ee3d5f34769af5ea260df1283a38a79cbdadbfc06fed31bc8c21bddc1891bda1"
	if got.String() != pinned {
		t.Errorf("ContentHash() = %s, pinned value %s", got, pinned)
	}
}

func TestContentHashDistinguishes(t *testing.T) {
	// Each pair differs only in where bytes fall between fields; a
	// concatenation without lengths would hash them alike.
	tests := []struct {
		name string
		a, b translog.Content
	}{
		{name: "title and body boundary",
			a: translog.Content{Title: "ab", Body: "c"},
			b: translog.Content{Title: "a", Body: "bc"}},
		{name: "metadata key and value boundary",
			a: translog.Content{Metadata: map[string]string{"ab": "c"}},
			b: translog.Content{Metadata: map[string]string{"a": "bc"}}},
		{name: "empty value versus absent key",
			a: translog.Content{Metadata: map[string]string{"validity": ""}},
			b: translog.Content{}},
		{name: "metadata versus body",
			a: translog.Content{Body: "x"},
			b: translog.Content{Metadata: map[string]string{"x": ""}}},
		{name: "one metadata pair versus two",
			a: translog.Content{Metadata: map[string]string{"a": "b", "c": "d"}},
			b: translog.Content{Metadata: map[string]string{"a": "b\x00\x00\x00\x00\x00\x00\x00\x01c\x00\x00\x00\x00\x00\x00\x00\x01d"}}},
		{name: "repeated attachment",
			a: translog.Content{Attachments: []translog.Digest{{1}}},
			b: translog.Content{Attachments: []translog.Digest{{1}, {1}}}},
		{name: "changed body",
			a: translog.Content{Title: "t", Body: "低保标准每人每月700元"},
			b: translog.Content{Title: "t", Body: "低保标准每人每月600元"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ha, errA := translog.ContentHash(tt.a)
			hb, errB := translog.ContentHash(tt.b)
			if errA != nil || errB != nil {
				t.Fatalf("ContentHash errors = %v, %v", errA, errB)
			}
			if ha == hb {
				t.Errorf("ContentHash(%+v) = ContentHash(%+v) = %s, want different", tt.a, tt.b, ha)
			}
		})
	}
}

func TestContentHashIgnoresOrder(t *testing.T) {
	a := translog.Content{
		Metadata:    map[string]string{"a": "1", "b": "2", "c": "3"},
		Attachments: []translog.Digest{{3}, {1}, {2}},
	}
	b := translog.Content{
		Metadata:    map[string]string{"c": "3", "a": "1", "b": "2"},
		Attachments: []translog.Digest{{1}, {2}, {3}},
	}
	ha, _ := translog.ContentHash(a) // both inputs are valid UTF-8
	hb, _ := translog.ContentHash(b)
	if ha != hb {
		t.Errorf("ContentHash differs with attachment order: %s, %s", ha, hb)
	}
	if a.Attachments[0] != (translog.Digest{3}) {
		t.Errorf("ContentHash reordered its argument's attachments: %v", a.Attachments)
	}
	empty, _ := translog.ContentHash(translog.Content{})
	withEmpty, _ := translog.ContentHash(translog.Content{Metadata: map[string]string{}, Attachments: []translog.Digest{}})
	if empty != withEmpty {
		t.Errorf("ContentHash(nil maps) = %s, ContentHash(empty maps) = %s, want equal", empty, withEmpty)
	}
}

func TestContentHashRejectsInvalidUTF8(t *testing.T) {
	for _, c := range []translog.Content{
		{Title: "\xff"},
		{Body: "ok\xc3"},
		{Metadata: map[string]string{"\xfe": "v"}},
		{Metadata: map[string]string{"k": "\xed\xa0\x80"}}, // a UTF-16 surrogate
	} {
		if h, err := translog.ContentHash(c); err == nil {
			t.Errorf("ContentHash(%+v) = %s, want error", c, h)
		}
	}
}
