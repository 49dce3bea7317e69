// Package imagemeta removes metadata from JPEG and PNG files without
// touching their pixel data: EXIF (with the GPS position of the camera or
// phone), XMP, IPTC, comments, thumbnails and PNG text and time chunks.
// Photos taken by staff on their phones carry where they were taken; a
// published photo of a home visit must not.
//
// The image is never decoded and re-encoded, so there is no quality loss:
// the compressed data is copied byte for byte. For JPEG the orientation is
// kept in a minimal EXIF block holding that one tag, so a photo taken
// upright on a phone still shows upright. PNG orientation lives in eXIf
// and is dropped with it (browsers ignore it in PNG anyway).
package imagemeta

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrFormat is returned for data that is not a well-formed JPEG or PNG.
var ErrFormat = errors.New("not a well-formed JPEG or PNG image")

// Info is what an image carries besides its pixels.
type Info struct {
	Format string // "jpeg" or "png"
	// EXIF is set when an EXIF block is present.
	EXIF bool
	// GPS is set when the EXIF block has a GPS section.
	GPS bool
	// Other is set for XMP, IPTC (Photoshop), comments, JFIF thumbnails,
	// PNG text and time chunks, or other application segments.
	Other bool
	// Orientation is the EXIF orientation (1–8); 0 when absent.
	Orientation int
}

// HasMetadata reports whether Strip would remove anything of note.
func (i Info) HasMetadata() bool { return i.EXIF || i.GPS || i.Other }

// Inspect reports the metadata of a JPEG or PNG image.
func Inspect(data []byte) (Info, error) {
	switch {
	case bytes.HasPrefix(data, jpegSOI):
		info, _, err := jpeg(data, false)
		return info, err
	case bytes.HasPrefix(data, pngSignature):
		_, info, err := png(data, false)
		return info, err
	}
	return Info{}, ErrFormat
}

// Strip returns a copy of a JPEG or PNG image without its metadata, and
// what it had. Only whole segments or chunks are dropped; the compressed
// image data is copied unchanged. Bytes after the end of the image (where
// some phones append more pictures) are dropped too.
func Strip(data []byte) ([]byte, Info, error) {
	switch {
	case bytes.HasPrefix(data, jpegSOI):
		return jpegStrip(data)
	case bytes.HasPrefix(data, pngSignature):
		return png(data, true)
	}
	return nil, Info{}, ErrFormat
}

var (
	jpegSOI      = []byte{0xFF, 0xD8}
	pngSignature = []byte("\x89PNG\r\n\x1a\n")
)

func jpegStrip(data []byte) ([]byte, Info, error) {
	info, _, err := jpeg(data, false)
	if err != nil {
		return nil, info, err
	}
	_, out, err := jpeg(data, true)
	if err != nil {
		return nil, info, err
	}
	if info.Orientation > 1 {
		// The orientation block goes right after SOI and a leading JFIF
		// APP0, where EXIF belongs.
		at := 2
		if len(out) >= 4 && out[2] == 0xFF && out[3] == 0xE0 {
			at += 2 + int(binary.BigEndian.Uint16(out[4:6]))
		}
		o := orientationEXIF(info.Orientation)
		out = append(out[:at], append(o, out[at:]...)...)
	}
	return out, info, nil
}

// jpeg walks the segments of a JPEG. With write set it returns the image
// without metadata segments.
func jpeg(data []byte, write bool) (Info, []byte, error) {
	info := Info{Format: "jpeg"}
	var out []byte
	if write {
		out = make([]byte, 0, len(data))
		out = append(out, jpegSOI...)
	}
	i := 2
	for {
		// Markers may be preceded by fill bytes 0xFF.
		if i >= len(data) || data[i] != 0xFF {
			return info, nil, fmt.Errorf("%w: no marker at byte %d", ErrFormat, i)
		}
		for i < len(data) && data[i] == 0xFF {
			i++
		}
		if i >= len(data) {
			return info, nil, fmt.Errorf("%w: truncated", ErrFormat)
		}
		m := data[i]
		i++
		switch {
		case m == 0xD9: // EOI
			if write {
				out = append(out, 0xFF, 0xD9)
			}
			return info, out, nil
		case m >= 0xD0 && m <= 0xD7 || m == 0x01:
			if write {
				out = append(out, 0xFF, m)
			}
			continue
		}
		if i+2 > len(data) {
			return info, nil, fmt.Errorf("%w: truncated segment", ErrFormat)
		}
		n := int(binary.BigEndian.Uint16(data[i:]))
		if n < 2 || i+n > len(data) {
			return info, nil, fmt.Errorf("%w: bad segment length", ErrFormat)
		}
		body := data[i+2 : i+n]
		seg := data[i-2 : i+n]
		i += n
		keep := true
		switch {
		case m == 0xE0: // APP0: JFIF is kept, its JFXX thumbnail is not
			keep = bytes.HasPrefix(body, []byte("JFIF\x00"))
			if keep && len(body) >= 14 && (body[12] != 0 || body[13] != 0) {
				// JFIF with an embedded thumbnail: keep the header only.
				hdr := append([]byte(nil), body[:14]...)
				hdr[12], hdr[13] = 0, 0
				seg = append([]byte{0xFF, 0xE0, 0, 16}, hdr...)
				info.Other = true
			}
			if !keep {
				info.Other = true
			}
		case m == 0xE1: // APP1: EXIF or XMP
			keep = false
			if bytes.HasPrefix(body, []byte("Exif\x00\x00")) {
				info.EXIF = true
				orient, gps := parseEXIF(body[6:])
				info.GPS = info.GPS || gps
				if orient >= 1 && orient <= 8 {
					info.Orientation = orient
				}
			} else {
				info.Other = true
			}
		case m == 0xE2: // APP2: the ICC colour profile is kept, MPF and FlashPix are not
			keep = bytes.HasPrefix(body, []byte("ICC_PROFILE\x00"))
			if !keep {
				info.Other = true
			}
		case m == 0xEE: // APP14 Adobe: colour transform, needed to decode
			keep = bytes.HasPrefix(body, []byte("Adobe"))
			if !keep {
				info.Other = true
			}
		case m >= 0xE3 && m <= 0xEF, m == 0xFE: // other APPn (APP13 IPTC), COM
			keep = false
			info.Other = true
		}
		if write && keep {
			out = append(out, seg...)
		}
		if m == 0xDA { // SOS: entropy-coded data follows until the next marker
			j := i
			for j < len(data) {
				if data[j] == 0xFF && j+1 < len(data) && data[j+1] != 0x00 && !(data[j+1] >= 0xD0 && data[j+1] <= 0xD7) && data[j+1] != 0xFF {
					break
				}
				j++
			}
			if j >= len(data) {
				return info, nil, fmt.Errorf("%w: scan data runs to the end of the file", ErrFormat)
			}
			if write {
				out = append(out, data[i:j]...)
			}
			i = j
		}
	}
}

// parseEXIF reads the orientation and the presence of a GPS section from a
// TIFF structure (the EXIF block after "Exif\0\0").
func parseEXIF(t []byte) (orientation int, gps bool) {
	if len(t) < 8 {
		return 0, false
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, false
	}
	off := int(bo.Uint32(t[4:]))
	if off < 8 || off+2 > len(t) {
		return 0, false
	}
	n := int(bo.Uint16(t[off:]))
	for k := range n {
		e := off + 2 + 12*k
		if e+12 > len(t) {
			break
		}
		tag := bo.Uint16(t[e:])
		switch tag {
		case 0x0112: // Orientation, SHORT
			if bo.Uint16(t[e+2:]) == 3 {
				orientation = int(bo.Uint16(t[e+8:]))
			}
		case 0x8825: // GPSInfo IFD pointer
			p := int(bo.Uint32(t[e+8:]))
			if p >= 8 && p+2 <= len(t) && bo.Uint16(t[p:]) > 0 {
				gps = true
			}
		}
	}
	return orientation, gps
}

// orientationEXIF returns an APP1 segment with an EXIF block holding only
// the orientation tag.
func orientationEXIF(o int) []byte {
	seg := []byte{0xFF, 0xE1, 0, 34}
	seg = append(seg, "Exif\x00\x00"...)
	seg = append(seg, "MM\x00\x2a\x00\x00\x00\x08"...) // big-endian TIFF, IFD0 at 8
	seg = append(seg, 0, 1)                            // one entry
	seg = append(seg, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(o), 0, 0)
	seg = append(seg, 0, 0, 0, 0) // no next IFD
	return seg
}

// pngDropped are the ancillary chunks that carry metadata.
var pngDropped = map[string]bool{"eXIf": true, "tEXt": true, "iTXt": true, "zTXt": true, "tIME": true, "dSIG": true}

// png walks the chunks of a PNG. With write set it returns the image
// without metadata chunks.
func png(data []byte, write bool) ([]byte, Info, error) {
	info := Info{Format: "png"}
	var out []byte
	if write {
		out = make([]byte, 0, len(data))
		out = append(out, pngSignature...)
	}
	i := len(pngSignature)
	for {
		if i+12 > len(data) {
			return nil, info, fmt.Errorf("%w: truncated chunk", ErrFormat)
		}
		n := binary.BigEndian.Uint32(data[i:])
		if n > 1<<31-1 || int64(i)+12+int64(n) > int64(len(data)) {
			return nil, info, fmt.Errorf("%w: bad chunk length", ErrFormat)
		}
		typ := string(data[i+4 : i+8])
		end := i + 12 + int(n)
		switch {
		case typ == "eXIf":
			info.EXIF = true
			orient, gps := parseEXIF(data[i+8 : i+8+int(n)])
			info.GPS = info.GPS || gps
			if orient >= 1 && orient <= 8 {
				info.Orientation = orient
			}
		case pngDropped[typ]:
			info.Other = true
		case write:
			out = append(out, data[i:end]...)
		}
		i = end
		if typ == "IEND" {
			return out, info, nil
		}
	}
}
