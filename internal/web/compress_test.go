package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

func TestAcceptsReadsQualityValues(t *testing.T) {
	tests := []struct {
		header, coding string
		want           bool
	}{
		{"gzip, deflate, br", "br", true},
		{"gzip, deflate", "br", false},
		{"br;q=0, gzip", "br", false},
		{"br;q=0.0, gzip", "gzip", true},
		{"BR;Q=0.5", "br", true},
		{"*", "br", true},
		{"*;q=0", "gzip", false},
		{"*, br;q=0", "br", false},
		{"br;q=0, *", "br", false},
		{"gzip;q=0, *", "br", true},
		{"", "gzip", false},
	}
	for _, tt := range tests {
		if got := Accepts(tt.header, tt.coding); got != tt.want {
			t.Errorf("Accepts(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
		}
	}
}

func TestCompressedPrefersBrotliAndUnpacks(t *testing.T) {
	page := []byte(strings.Repeat("<p>关于调整城乡最低生活保障标准的通知</p>\n", 100))
	c := NewCompressed(page, 5)
	body, enc := c.For("gzip, br")
	got, err := io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
	if enc != "br" || err != nil || !bytes.Equal(got, page) || len(body) >= len(page)/4 {
		t.Errorf("brotli: encoding %q, %d of %d bytes, %v", enc, len(body), len(page), err)
	}
	body, enc = c.For("gzip")
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil || enc != "gzip" {
		t.Fatalf("gzip: encoding %q, %v", enc, err)
	}
	if got, _ := io.ReadAll(zr); !bytes.Equal(got, page) {
		t.Error("gzip copy does not unpack to the page")
	}
	if body, enc := c.For("identity"); enc != "" || !bytes.Equal(body, page) {
		t.Errorf("identity: encoding %q", enc)
	}
	if _, enc := NewCompressed([]byte("<p>短</p>"), 5).For("br"); enc != "" {
		t.Errorf("a tiny body was compressed (%q)", enc)
	}
}
