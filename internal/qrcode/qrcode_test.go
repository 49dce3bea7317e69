package qrcode

import (
	"image"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

var texts = []string{
	"http://127.0.0.1/",
	"https://mzj.suizhou.gov.cn/zh-hant/item/123456",
	"http://example.cn/col/tzgg/page/17/",
	"otpauth://totp/%E9%9A%8F%E5%B7%9E%E5%B8%82%E6%B0%91%E6%94%BF%E5%B1%80:wang?algorithm=SHA1&digits=6&issuer=%E9%9A%8F%E5%B7%9E&period=30&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
	"12345678901234567890",     // numeric mode
	"HTTP://EXAMPLE.CN/ITEM/5", // alphanumeric mode
	"https://www.example.gov.cn/" + strings.Repeat("zh-hant/col/gzdt/", 20),
}

// render draws a code with its quiet zone, 4 pixels per module.
func render(c *Code) image.Image {
	const scale = 4
	n := (c.Size + 2*Quiet) * scale
	img := image.NewGray(image.Rect(0, 0, n, n))
	for y := range n {
		for x := range n {
			mx, my := x/scale-Quiet, y/scale-Quiet
			v := color.Gray{Y: 255}
			if mx >= 0 && my >= 0 && mx < c.Size && my < c.Size && c.Dark(mx, my) {
				v.Y = 0
			}
			img.SetGray(x, y, v)
		}
	}
	return img
}

// TestEncodeReadsBackWithAnotherDecoder scans each code with ZXing's
// decoder: the text that comes out is the text that went in.
func TestEncodeReadsBackWithAnotherDecoder(t *testing.T) {
	for _, text := range texts {
		c, err := Encode(text)
		if err != nil {
			t.Fatalf("Encode(%q): %v", text, err)
		}
		bmp, err := gozxing.NewBinaryBitmapFromImage(render(c))
		if err != nil {
			t.Fatal(err)
		}
		res, err := zxqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
		if err != nil {
			t.Fatalf("decode the code of %q: %v", text, err)
		}
		if res.GetText() != text {
			t.Errorf("decoded %q, want %q", res.GetText(), text)
		}
	}
}

// TestEncodeChoosesTheLowestPenaltyMask checks the mask choice against
// every mask, and that the choice is not always the same mask.
func TestEncodeChoosesTheLowestPenaltyMask(t *testing.T) {
	chosen := map[int]bool{}
	for _, text := range texts {
		c, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		got := c.penalty()
		masks := 0
		for m := range 8 {
			mc := encodeMask(t, text, m)
			if mc.penalty() < got {
				t.Errorf("%q: chosen code scores %d, mask %d scores %d", text, got, m, mc.penalty())
			}
			if mc.penalty() == got && equal(mc, c) {
				chosen[m] = true
				masks++
			}
		}
		if masks == 0 {
			t.Errorf("%q: the chosen code is none of the eight masked codes", text)
		}
	}
	if len(chosen) < 2 {
		t.Errorf("masks chosen = %v over %d texts, want more than one", chosen, len(texts))
	}
}

// TestPenaltyRules scores small symbols by hand.
func TestPenaltyRules(t *testing.T) {
	tests := []struct {
		name string
		rows []string
		want int
	}{
		// 5×5 all light: each of 5 rows and 5 columns is a run of 5 (3
		// each), 16 2×2 blocks (3 each), 0 % dark (50 % off: 10 steps).
		{"all light", []string{"00000", "00000", "00000", "00000", "00000"}, 10*3 + 16*3 + 100},
		// A checkerboard has no runs, no blocks, and is 13/25 = 52 % dark.
		{"checkerboard", []string{"10101", "01010", "10101", "01010", "10101"}, 0},
	}
	for _, tt := range tests {
		c := &Code{Size: len(tt.rows)}
		for _, r := range tt.rows {
			for _, ch := range r {
				c.dark = append(c.dark, ch == '1')
			}
		}
		if got := c.penalty(); got != tt.want {
			t.Errorf("%s: penalty = %d, want %d", tt.name, got, tt.want)
		}
	}
	// A finder-like pattern with four light modules after it, in an 11-wide row.
	c := &Code{Size: 11, dark: make([]bool, 121)}
	for i, ch := range "10111010000" {
		c.dark[5*11+i] = ch == '1'
	}
	with := c.penalty()
	c.dark[5*11+10] = true // no longer four light modules after it
	if without := c.penalty(); with-without < 40-6 {
		t.Errorf("finder-like pattern adds %d, want about 40", with-without)
	}
}

// TestSVGDrawsEveryModule reads the drawn runs back, module by module.
func TestSVGDrawsEveryModule(t *testing.T) {
	for _, text := range texts {
		c, err := Encode(text)
		if err != nil {
			t.Fatal(err)
		}
		svg := string(c.SVG())
		side := strconv.Itoa(c.Size + 2*Quiet)
		if !strings.Contains(svg, `viewBox="0 0 `+side+" "+side+`"`) {
			t.Errorf("%q: viewBox is not %s with the quiet zone: %.120s", text, side, svg)
		}
		got := &Code{Size: c.Size, dark: make([]bool, c.Size*c.Size)}
		for _, m := range regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`).FindAllStringSubmatch(svg, -1) {
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			n, _ := strconv.Atoi(m[3])
			for i := range n {
				got.dark[(y-Quiet)*c.Size+x-Quiet+i] = true
			}
		}
		if !equal(got, c) {
			t.Errorf("%q: drawn modules differ from the code", text)
		}
	}
}

func encodeMask(t *testing.T, text string, m int) *Code {
	t.Helper()
	c, err := encodeWith(text, func(mask int) bool { return mask == m })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func equal(a, b *Code) bool {
	if a.Size != b.Size {
		return false
	}
	for i := range a.dark {
		if a.dark[i] != b.dark[i] {
			return false
		}
	}
	return true
}

func BenchmarkEncodeSVG(b *testing.B) {
	for b.Loop() {
		c, err := Encode("https://mzj.suizhou.gov.cn/zh-hant/item/123456")
		if err != nil {
			b.Fatal(err)
		}
		c.SVG()
	}
}
