package extract

import (
	"io"

	"gongkai/internal/screening"
	"gongkai/internal/screening/imagemeta"
)

// extractImage records what the map check and the metadata warning need:
// images have no text to scan.
func extractImage(doc *screening.Document, r io.ReaderAt, size int64) error {
	info := &screening.ImageInfo{Format: doc.Format}
	doc.Image = info
	if doc.Format != FormatJPEG && doc.Format != FormatPNG {
		return nil
	}
	data, err := readAll(r, size)
	if err != nil {
		return err
	}
	meta, err := imagemeta.Inspect(data)
	if err != nil {
		return nil // a damaged image still gets the map check
	}
	info.HasEXIF, info.HasGPS, info.HasOther = meta.EXIF, meta.GPS, meta.Other
	return nil
}
