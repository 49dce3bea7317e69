package site

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/skip2/go-qrcode"
)

// TestQRCodeSVGDrawsEveryModule reads the drawn runs back into a bitmap
// and compares it with the encoder's, module by module.
func TestQRCodeSVGDrawsEveryModule(t *testing.T) {
	var c qrCache
	for _, addr := range []string{"http://127.0.0.1/", "https://mzj.suizhou.gov.cn/zh-hant/item/123456", "http://example.cn/col/tzgg/?page=2"} {
		svg, err := c.svg(addr)
		if err != nil {
			t.Fatal(err)
		}
		code, err := qrcode.New(addr, qrcode.Medium)
		if err != nil {
			t.Fatal(err)
		}
		want := code.Bitmap()
		got := make([][]bool, len(want))
		for i := range got {
			got[i] = make([]bool, len(want))
		}
		for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(string(svg), -1) {
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			n, _ := strconv.Atoi(m[3])
			for i := range n {
				got[y][x+i] = true
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: drawn modules differ from the code", addr)
		}
		if again, _ := c.svg(addr); string(again) != string(svg) {
			t.Errorf("%s: cached drawing differs", addr)
		}
	}
}
