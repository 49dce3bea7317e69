package web

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
)

// minCompress is the smallest body worth compressing.
const minCompress = 1024

// Compressed is a response body with its brotli and gzip encodings, each
// made on first use: a page written once and read by no one (a static
// export) costs no compression, and a page read often is compressed once.
// Safe for concurrent use.
type Compressed struct {
	body    []byte
	brLevel int

	gzOnce, brOnce sync.Once
	gz, br         []byte
}

// NewCompressed wraps body; brLevel is the brotli quality (0–11): about 5
// for pages made at run time, 9 for files compressed once per process.
func NewCompressed(body []byte, brLevel int) *Compressed {
	return &Compressed{body: body, brLevel: brLevel}
}

// Body is the uncompressed body.
func (c *Compressed) Body() []byte { return c.body }

// For returns the body to send for a request's Accept-Encoding header and
// its Content-Encoding ("" when sent as it is): brotli when the client
// takes it, else gzip, else the body itself.
func (c *Compressed) For(acceptEncoding string) (body []byte, encoding string) {
	if len(c.body) < minCompress || acceptEncoding == "" {
		return c.body, ""
	}
	if Accepts(acceptEncoding, "br") {
		c.brOnce.Do(func() {
			var b bytes.Buffer
			w := brotli.NewWriterLevel(&b, c.brLevel)
			w.Write(c.body)
			w.Close()
			c.br = b.Bytes()
		})
		return c.br, "br"
	}
	if Accepts(acceptEncoding, "gzip") {
		c.gzOnce.Do(func() {
			var b bytes.Buffer
			w, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
			w.Write(c.body)
			w.Close()
			c.gz = b.Bytes()
		})
		return c.gz, "gzip"
	}
	return c.body, ""
}

// Accepts reports whether an Accept-Encoding header allows the coding
// name, by name or by "*", and not with q=0 (RFC 9110, 12.5.3).
func Accepts(header, name string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != name && coding != "*" {
			continue
		}
		ok := true
		for p := range strings.SplitSeq(params, ";") {
			k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
			if strings.EqualFold(k, "q") {
				if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q <= 0 {
					ok = false
				}
			}
		}
		if coding == name {
			return ok // an explicit entry wins over "*"
		}
		star = ok
	}
	return star
}
