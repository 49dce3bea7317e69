package imagemeta_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"slices"
	"testing"

	"gongkai/internal/screening/imagemeta"
)

var update = flag.Bool("update", false, "rewrite testdata/gps.jpg and testdata/gps.png")

// The fixtures are a JPEG and a PNG as a phone or an editor leaves them:
// EXIF with a GPS position and an orientation, XMP, IPTC, a comment, a
// JFXX thumbnail segment and bytes after the end of the image; PNG text,
// international text, compressed text, time and eXIf chunks. They are
// written by this generator:
//
//	go test ./internal/screening/imagemeta -run TestFixtures -args -update

func picture() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for y := range 24 {
		for x := range 32 {
			img.Set(x, y, color.RGBA{uint8(x * 8), uint8(y * 10), 128, 255})
		}
	}
	return img
}

// gpsTIFF returns a little-endian TIFF structure with IFD0 (Make,
// orientation 6, a GPS pointer) and a GPS IFD with latitude and longitude.
func gpsTIFF() []byte {
	le := binary.LittleEndian
	b := []byte("II*\x00")
	b = le.AppendUint32(b, 8)
	entry := func(b []byte, tag, typ uint16, count, value uint32) []byte {
		b = le.AppendUint16(b, tag)
		b = le.AppendUint16(b, typ)
		b = le.AppendUint32(b, count)
		return le.AppendUint32(b, value)
	}
	b = le.AppendUint16(b, 2) // IFD0 at 8: 30 bytes; GPS IFD at 38
	b = entry(b, 0x0112, 3, 1, 6)
	b = entry(b, 0x8825, 4, 1, 38)
	b = le.AppendUint32(b, 0)
	b = le.AppendUint16(b, 4) // GPS IFD: 54 bytes; rationals at 92
	b = entry(b, 1, 2, 2, uint32('N'))
	b = entry(b, 2, 5, 3, 92)
	b = entry(b, 3, 2, 2, uint32('E'))
	b = entry(b, 4, 5, 3, 116)
	b = le.AppendUint32(b, 0)
	for _, v := range []uint32{31, 1, 41, 1, 4200, 100, 113, 1, 22, 1, 1800, 100} {
		b = le.AppendUint32(b, v)
	}
	return b
}

func segment(marker byte, body []byte) []byte {
	out := []byte{0xFF, marker}
	out = binary.BigEndian.AppendUint16(out, uint16(len(body)+2))
	return append(out, body...)
}

func makeJPEG(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, picture(), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	enc := buf.Bytes()
	meta := slices.Concat(
		segment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")),
		segment(0xE1, append([]byte("Exif\x00\x00"), gpsTIFF()...)),
		segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>31,41.7N</exif:GPSLatitude></x:xmpmeta>")),
		segment(0xED, []byte("Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x78\x00\x08caption!")),
		segment(0xFE, []byte("taken at the applicant's home")),
		segment(0xE0, []byte("JFXX\x00\x13thumbnail-bytes")),
	)
	out := slices.Concat(enc[:2], meta, enc[2:])
	return append(out, []byte("trailing data a phone appended")...)
}

func chunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

func makePNG(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, picture()); err != nil {
		t.Fatal(err)
	}
	enc := buf.Bytes()
	at := 8 + 25 // after the signature and IHDR
	meta := slices.Concat(
		chunk("eXIf", gpsTIFF()),
		chunk("tEXt", []byte("Comment\x00taken at the applicant's home")),
		chunk("iTXt", []byte("Author\x00\x00\x00zh\x00\x00王某")),
		chunk("zTXt", []byte("Location\x00\x00x\x9c\x03\x00\x00\x00\x00\x01")),
		chunk("tIME", []byte{0x07, 0xE8, 9, 15, 10, 30, 0}),
	)
	return slices.Concat(enc[:at], meta, enc[at:])
}

func TestFixtures(t *testing.T) {
	if !*update {
		for _, name := range []string{"testdata/gps.jpg", "testdata/gps.png"} {
			if _, err := os.Stat(name); err != nil {
				t.Fatalf("%v (run with -args -update to create it)", err)
			}
		}
		return
	}
	if err := os.WriteFile("testdata/gps.jpg", makeJPEG(t), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/gps.png", makePNG(t), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return img
}

func samePixels(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			r1, g1, b1, a1 := a.At(x, y).RGBA()
			r2, g2, b2, a2 := b.At(x, y).RGBA()
			if r1 != r2 || g1 != g2 || b1 != b2 || a1 != a2 {
				return false
			}
		}
	}
	return true
}

func TestInspectFindsGPSAndOtherMetadata(t *testing.T) {
	for _, name := range []string{"gps.jpg", "gps.png"} {
		info, err := imagemeta.Inspect(readFixture(t, name))
		if err != nil {
			t.Fatalf("Inspect(%s) error = %v", name, err)
		}
		if !info.EXIF || !info.GPS || !info.Other || info.Orientation != 6 {
			t.Errorf("Inspect(%s) = %+v, want EXIF, GPS, other metadata and orientation 6", name, info)
		}
	}
}

func TestStripJPEGKeepsPixelsAndOrientationOnly(t *testing.T) {
	data := readFixture(t, "gps.jpg")
	out, info, err := imagemeta.Strip(data)
	if err != nil {
		t.Fatalf("Strip error = %v", err)
	}
	if !info.GPS {
		t.Errorf("Strip info = %+v, want GPS reported", info)
	}
	after, err := imagemeta.Inspect(out)
	if err != nil {
		t.Fatalf("Inspect(stripped) error = %v", err)
	}
	if after.GPS || after.Other || after.Orientation != 6 {
		t.Errorf("stripped JPEG metadata = %+v, want no GPS, nothing else, orientation 6 kept", after)
	}
	for _, leak := range []string{"31,41.7N", "applicant", "Photoshop", "JFXX", "trailing data", "xmpmeta"} {
		if bytes.Contains(out, []byte(leak)) {
			t.Errorf("stripped JPEG still contains %q", leak)
		}
	}
	if !samePixels(decode(t, data), decode(t, out)) {
		t.Error("stripped JPEG decodes to different pixels")
	}
	// The compressed data is copied, not re-encoded.
	sos := bytes.Index(data, []byte{0xFF, 0xDA})
	if !bytes.HasSuffix(out, data[sos:bytes.LastIndex(data, []byte{0xFF, 0xD9})+2]) {
		t.Error("stripped JPEG scan data differs from the original's")
	}
	if len(out) >= len(data) {
		t.Errorf("stripped JPEG is %d bytes, original %d", len(out), len(data))
	}
}

func TestStripPNGDropsMetadataChunks(t *testing.T) {
	data := readFixture(t, "gps.png")
	out, _, err := imagemeta.Strip(data)
	if err != nil {
		t.Fatalf("Strip error = %v", err)
	}
	after, err := imagemeta.Inspect(out)
	if err != nil {
		t.Fatalf("Inspect(stripped) error = %v", err)
	}
	if after.HasMetadata() {
		t.Errorf("stripped PNG metadata = %+v, want none", after)
	}
	for _, typ := range []string{"eXIf", "tEXt", "iTXt", "zTXt", "tIME"} {
		if bytes.Contains(out, []byte(typ)) {
			t.Errorf("stripped PNG still has a %s chunk", typ)
		}
	}
	if !samePixels(decode(t, data), decode(t, out)) {
		t.Error("stripped PNG decodes to different pixels")
	}
}

func TestStripCleanImageUnchanged(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, picture()); err != nil {
		t.Fatal(err)
	}
	out, info, err := imagemeta.Strip(buf.Bytes())
	if err != nil || info.HasMetadata() || !bytes.Equal(out, buf.Bytes()) {
		t.Errorf("Strip(clean PNG) = %d bytes, %+v, %v; want the same bytes and no metadata", len(out), info, err)
	}
	buf.Reset()
	if err := jpeg.Encode(&buf, picture(), nil); err != nil {
		t.Fatal(err)
	}
	out, info, err = imagemeta.Strip(buf.Bytes())
	if err != nil || info.HasMetadata() || !bytes.Equal(out, buf.Bytes()) {
		t.Errorf("Strip(clean JPEG) = %d bytes, %+v, %v; want the same bytes and no metadata", len(out), info, err)
	}
}

func TestStripRejectsMalformedImages(t *testing.T) {
	jpg := readFixture(t, "gps.jpg")
	pngData := readFixture(t, "gps.png")
	tests := []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"not an image", []byte("GIF89a....")},
		{"jpeg cut in a segment", jpg[:30]},
		{"jpeg cut in the scan", jpg[:len(jpg)-60]},
		{"png cut in a chunk", pngData[:40]},
		{"png chunk length past the end", append(append([]byte{}, pngData[:8]...), 0x7f, 0xff, 0xff, 0xff, 'I', 'H', 'D', 'R')},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := imagemeta.Strip(tt.data); !errors.Is(err, imagemeta.ErrFormat) {
				t.Errorf("Strip error = %v, want ErrFormat", err)
			}
		})
	}
}

func FuzzStrip(f *testing.F) {
	for _, name := range []string{"testdata/gps.jpg", "testdata/gps.png"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		out, _, err := imagemeta.Strip(data)
		if err != nil {
			return
		}
		// Stripping is idempotent and leaves nothing but the orientation.
		again, info, err := imagemeta.Strip(out)
		if err != nil {
			t.Fatalf("Strip(Strip(x)) error = %v", err)
		}
		if info.GPS || info.Other || !bytes.Equal(again, out) {
			t.Fatalf("Strip(Strip(x)) = %+v, changed %v", info, !bytes.Equal(again, out))
		}
	})
}
