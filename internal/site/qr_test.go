package site

import (
	"bytes"
	"testing"

	"gongkai/internal/qrcode"
)

// TestQRCacheDrawsTheAddressCode checks that the cache answers with the
// address's own code, the first time and from the cache. (The drawing
// itself is tested in package qrcode.)
func TestQRCacheDrawsTheAddressCode(t *testing.T) {
	var c qrCache
	for _, addr := range []string{"http://127.0.0.1/", "https://mzj.suizhou.gov.cn/zh-hant/item/123456", "http://example.cn/col/tzgg/page/2/"} {
		code, err := qrcode.Encode(addr)
		if err != nil {
			t.Fatal(err)
		}
		want := code.SVG()
		for i := range 2 {
			got, err := c.svg(addr)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s (request %d): the drawing is not the code of the address", addr, i+1)
			}
		}
	}
	if a, _ := c.svg("http://example.cn/a"); bytes.Equal(a, mustSVG(t, "http://example.cn/b")) {
		t.Error("two addresses drew the same code")
	}
}

func mustSVG(t *testing.T, addr string) []byte {
	t.Helper()
	code, err := qrcode.Encode(addr)
	if err != nil {
		t.Fatal(err)
	}
	return code.SVG()
}
