// Package qrcode makes QR codes (ISO/IEC 18004) and draws them as SVG: the
// code of the current page that every public page carries, and the
// authenticator enrolment code. Encoding is rsc.io/qr's; this package adds
// the mask choice the standard asks for (rsc.io/qr always uses mask 0) and
// keeps the per-version layouts, which cost more than encoding, so a
// static export of 400,000 pages draws a code in about a tenth of a
// millisecond.
package qrcode

import (
	"errors"
	"fmt"
	"strconv"
	"sync"

	"rsc.io/qr/coding"
)

// level is error correction level M (15 % of the code may be lost), the
// usual choice for addresses shown on screen and paper.
const level = coding.M

// Code is a QR code symbol without its quiet zone.
type Code struct {
	Size int
	dark []bool // row-major, Size×Size
}

// Dark reports whether the module at column x, row y is dark.
func (c *Code) Dark(x, y int) bool { return c.dark[y*c.Size+x] }

// plans holds the module layout of each version and mask, built on first
// use. A plan is read-only once built, so encoders share it.
var plans [coding.MaxVersion + 1][8]struct {
	once sync.Once
	p    *coding.Plan
	err  error
}

func plan(v coding.Version, m coding.Mask) (*coding.Plan, error) {
	e := &plans[v][m]
	e.once.Do(func() { e.p, e.err = coding.NewPlan(v, level, m) })
	return e.p, e.err
}

// Encode makes the smallest code at level M that holds text, with the
// mask whose penalty is lowest (ISO/IEC 18004:2015, 7.8.3), so that
// scanners read it easily.
func Encode(text string) (*Code, error) {
	return encodeWith(text, func(int) bool { return true })
}

// encodeWith encodes text with the best of the masks use allows.
func encodeWith(text string, use func(mask int) bool) (*Code, error) {
	var enc coding.Encoding = coding.String(text)
	switch {
	case coding.Num(text).Check() == nil:
		enc = coding.Num(text)
	case coding.Alpha(text).Check() == nil:
		enc = coding.Alpha(text)
	}
	v := coding.Version(coding.MinVersion)
	for enc.Bits(v) > v.DataBytes(level)*8 {
		if v++; v > coding.MaxVersion {
			return nil, errors.New("make qr code: text too long")
		}
	}
	var best *Code
	bestScore := 0
	for m := range coding.Mask(8) {
		if !use(int(m)) {
			continue
		}
		p, err := plan(v, m)
		if err != nil {
			return nil, fmt.Errorf("make qr code: %w", err)
		}
		cc, err := p.Encode(enc)
		if err != nil {
			return nil, fmt.Errorf("make qr code: %w", err)
		}
		c := &Code{Size: cc.Size, dark: make([]bool, cc.Size*cc.Size)}
		for y := range cc.Size {
			row := cc.Bitmap[y*cc.Stride:]
			for x := range cc.Size {
				c.dark[y*cc.Size+x] = row[x/8]&(0x80>>(x%8)) != 0
			}
		}
		if s := c.penalty(); best == nil || s < bestScore {
			best, bestScore = c, s
		}
	}
	return best, nil
}

// penalty scores a masked symbol by the four rules of ISO/IEC 18004:2015,
// 7.8.3.1: runs of five or more modules of one colour (N1 = 3), 2×2
// blocks of one colour (N2 = 3), finder-like patterns 1:1:3:1:1 with four
// light modules on one side (N3 = 40), and the distance of the dark share
// from half (N4 = 10 per 5 %).
func (c *Code) penalty() int {
	n := c.Size
	score, dark := 0, 0
	// Lines are rows (module i*n+j) and then columns (module j*n+i).
	for _, stride := range [][2]int{{n, 1}, {1, n}} {
		for i := range n {
			run := 0
			var word uint16 // the last 11 modules, newest in bit 0
			prev := false
			for j := range n {
				d := c.dark[i*stride[0]+j*stride[1]]
				if j > 0 && d == prev {
					run++
				} else {
					if run >= 5 {
						score += 3 + run - 5
					}
					run = 1
				}
				prev = d
				word = (word<<1 | b2u(d)) & 0x7ff
				// 1011101 0000 and 0000 1011101, read left to right.
				if j >= 10 && (word == 0x5d0 || word == 0x05d) {
					score += 40
				}
			}
			if run >= 5 {
				score += 3 + run - 5
			}
		}
	}
	for y := range n {
		for x := range n {
			d := c.dark[y*n+x]
			if d {
				dark++
			}
			if x+1 < n && y+1 < n && d == c.dark[y*n+x+1] && d == c.dark[(y+1)*n+x] && d == c.dark[(y+1)*n+x+1] {
				score += 3
			}
		}
	}
	// k is how many whole 5 % steps the dark share is from 50 %.
	pct := dark * 100 / (n * n)
	k := pct - 50
	if k < 0 {
		k = -k
	}
	return score + k/5*10
}

func b2u(b bool) uint16 {
	if b {
		return 1
	}
	return 0
}

// Quiet is the light border around a symbol that scanners need, in
// modules (ISO/IEC 18004:2015, 6.3.8).
const Quiet = 4

// SVG draws the code with its quiet zone, one path of horizontal runs of
// dark modules: about half the size of one square per module.
func (c *Code) SVG() []byte {
	n := c.Size + 2*Quiet
	side := strconv.Itoa(n)
	b := make([]byte, 0, 2048+c.Size*c.Size/2)
	b = append(b, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 `...)
	b = append(b, side+" "+side+`" shape-rendering="crispEdges"><rect width="`+side+`" height="`+side+`" fill="#fff"/><path fill="#000" d="`...)
	for y := range c.Size {
		for x := 0; x < c.Size; x++ {
			if !c.Dark(x, y) {
				continue
			}
			run := 1
			for x+run < c.Size && c.Dark(x+run, y) {
				run++
			}
			b = append(b, 'M')
			b = strconv.AppendInt(b, int64(x+Quiet), 10)
			b = append(b, ' ')
			b = strconv.AppendInt(b, int64(y+Quiet), 10)
			b = append(b, 'h')
			b = strconv.AppendInt(b, int64(run), 10)
			b = append(b, "v1h-"...)
			b = strconv.AppendInt(b, int64(run), 10)
			b = append(b, 'z')
			x += run
		}
	}
	return append(b, `"/></svg>`...)
}
