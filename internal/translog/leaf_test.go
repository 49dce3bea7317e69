package translog_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"gongkai/internal/translog"
)

// testLeaf returns a valid leaf that differs for each i.
func testLeaf(i int) translog.Leaf {
	var d translog.Digest
	d[0] = byte(i)
	d[1] = byte(i >> 8)
	d[2] = byte(i >> 16)
	d[31] = 1
	actions := []translog.Action{translog.ActionPublish, translog.ActionUpdate, translog.ActionValidity, translog.ActionWithdraw}
	return translog.Leaf{
		OrgID:       int64(1 + i%7),
		OrgCode:     "11421300MB1234567X",
		ItemID:      int64(1000 + i),
		Version:     1 + i%3,
		Action:      actions[i%len(actions)],
		Time:        time.Date(2024, 5, 1, 8, 30, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute),
		ContentHash: d,
	}
}

// goldenLeaf and goldenLeafText pin the leaf format: changing it breaks
// every published proof.
var goldenLeaf = translog.Leaf{
	OrgID:       12,
	OrgCode:     "11421300MB1234567X",
	ItemID:      345,
	Version:     3,
	Action:      translog.ActionPublish,
	Time:        time.Date(2024, 5, 1, 16, 30, 5, 999_000_000, time.FixedZone("CST", 8*3600)),
	ContentHash: translog.Digest{0xab, 0xcd, 31: 0xef},
}

const goldenLeafText = `gongkai leaf v1
org 12
org-code 11421300MB1234567X
item 345
version 3
action publish
time 2024-05-01T08:30:05Z
content-sha256 abcd0000000000000000000000000000000000000000000000000000000000ef
`

func TestLeafMarshalText(t *testing.T) {
	got, err := goldenLeaf.MarshalText()
	if err != nil {
		t.Fatalf("MarshalText() error = %v", err)
	}
	if string(got) != goldenLeafText {
		t.Errorf("MarshalText() =\n%s\nwant\n%s", got, goldenLeafText)
	}
}

func TestParseLeafRoundTrip(t *testing.T) {
	leaves := []translog.Leaf{
		goldenLeaf,
		testLeaf(0),
		testLeaf(12345),
		{OrgID: 1<<63 - 1, OrgCode: "随州市民政局", ItemID: 1, Version: 1 << 30, Action: translog.ActionWithdraw,
			Time: time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC), ContentHash: translog.Digest{31: 1}},
	}
	for _, l := range leaves {
		text, err := l.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%+v) error = %v", l, err)
		}
		got, err := translog.ParseLeaf(text)
		if err != nil {
			t.Fatalf("ParseLeaf(%q) error = %v", text, err)
		}
		want := l
		want.Time = l.Time.UTC().Truncate(time.Second)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ParseLeaf(%q) mismatch (-want +got):\n%s", text, diff)
		}
		if got.Time.Location() != time.UTC {
			t.Errorf("ParseLeaf(%q).Time location = %v, want UTC", text, got.Time.Location())
		}
		again, err := got.MarshalText()
		if err != nil || !bytes.Equal(again, text) {
			t.Errorf("MarshalText(ParseLeaf(%q)) = %q, %v; want the same text", text, again, err)
		}
	}
}

func TestParseLeafRejectsNonCanonical(t *testing.T) {
	// Each case edits the golden text; every edit must be refused, so
	// that one leaf has exactly one text and one hash.
	tests := []struct {
		name     string
		old, new string
	}{
		{name: "no final newline", old: "ef\n", new: "ef"},
		{name: "extra final newline", old: "ef\n", new: "ef\n\n"},
		{name: "trailing line", old: "ef\n", new: "ef\nextra 1\n"},
		{name: "carriage returns", old: "\n", new: "\r\n"},
		{name: "other header", old: "gongkai leaf v1", new: "gongkai leaf v2"},
		{name: "lines swapped", old: "item 345\nversion 3", new: "version 3\nitem 345"},
		{name: "two spaces", old: "org 12", new: "org  12"},
		{name: "tab", old: "org 12", new: "org\t12"},
		{name: "trailing space", old: "org 12\n", new: "org 12 \n"},
		{name: "leading zero", old: "item 345", new: "item 0345"},
		{name: "plus sign", old: "version 3", new: "version +3"},
		{name: "zero org", old: "org 12", new: "org 0"},
		{name: "negative item", old: "item 345", new: "item -345"},
		{name: "version zero", old: "version 3", new: "version 0"},
		{name: "unknown action", old: "action publish", new: "action delete"},
		{name: "upper-case action", old: "action publish", new: "action Publish"},
		{name: "time offset", old: "08:30:05Z", new: "16:30:05+08:00"},
		{name: "time fraction", old: "08:30:05Z", new: "08:30:05.999Z"},
		{name: "time lower-case z", old: "08:30:05Z", new: "08:30:05z"},
		{name: "upper-case hex", old: "abcd", new: "ABCD"},
		{name: "short hash", old: "abcd", new: "abc"},
		{name: "zero hash", old: "abcd0000000000000000000000000000000000000000000000000000000000ef", new: strings.Repeat("0", 64)},
		{name: "space in org code", old: "567X", new: "567 X"},
		{name: "empty org code", old: "org-code 11421300MB1234567X", new: "org-code "},
		{name: "missing key", old: "org 12\n", new: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(goldenLeafText, tt.old) {
				t.Fatalf("golden text does not contain %q", tt.old)
			}
			text := strings.Replace(goldenLeafText, tt.old, tt.new, 1)
			l, err := translog.ParseLeaf([]byte(text))
			if !errors.Is(err, translog.ErrInvalidLeaf) {
				t.Errorf("ParseLeaf(%q) = %+v, %v; want error wrapping ErrInvalidLeaf", text, l, err)
			}
		})
	}
}

func TestLeafValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*translog.Leaf)
	}{
		{name: "zero org ID", edit: func(l *translog.Leaf) { l.OrgID = 0 }},
		{name: "empty org code", edit: func(l *translog.Leaf) { l.OrgCode = "" }},
		{name: "org code with newline", edit: func(l *translog.Leaf) { l.OrgCode = "A\nitem 1" }},
		{name: "org code with ideographic space", edit: func(l *translog.Leaf) { l.OrgCode = "随州\u3000民政" }},
		{name: "org code not UTF-8", edit: func(l *translog.Leaf) { l.OrgCode = "\xff" }},
		{name: "org code too long", edit: func(l *translog.Leaf) { l.OrgCode = strings.Repeat("x", 129) }},
		{name: "negative item ID", edit: func(l *translog.Leaf) { l.ItemID = -1 }},
		{name: "version zero", edit: func(l *translog.Leaf) { l.Version = 0 }},
		{name: "empty action", edit: func(l *translog.Leaf) { l.Action = "" }},
		{name: "zero time", edit: func(l *translog.Leaf) { l.Time = time.Time{} }},
		{name: "year 0", edit: func(l *translog.Leaf) { l.Time = time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC) }},
		{name: "year 10000", edit: func(l *translog.Leaf) { l.Time = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }},
		{name: "zero content hash", edit: func(l *translog.Leaf) { l.ContentHash = translog.Digest{} }},
	}
	if err := goldenLeaf.Validate(); err != nil {
		t.Fatalf("Validate(golden) = %v, want nil", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := goldenLeaf
			tt.edit(&l)
			if err := l.Validate(); !errors.Is(err, translog.ErrInvalidLeaf) {
				t.Errorf("Validate() = %v, want error wrapping ErrInvalidLeaf", err)
			}
			if text, err := l.MarshalText(); !errors.Is(err, translog.ErrInvalidLeaf) {
				t.Errorf("MarshalText() = %q, %v; want error wrapping ErrInvalidLeaf", text, err)
			}
		})
	}
}

func TestParseDigest(t *testing.T) {
	const s = "abcd0000000000000000000000000000000000000000000000000000000000ef"
	d, err := translog.ParseDigest(s)
	if err != nil || d != goldenLeaf.ContentHash || d.String() != s {
		t.Errorf("ParseDigest(%q) = %v, %v; want %v", s, d, err, goldenLeaf.ContentHash)
	}
	for _, bad := range []string{"", s[:63], s + "0", strings.ToUpper(s), "g" + s[1:], " " + s[1:]} {
		if d, err := translog.ParseDigest(bad); err == nil {
			t.Errorf("ParseDigest(%q) = %v, want error", bad, d)
		}
	}
}
