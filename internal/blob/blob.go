// Package blob keeps attachment bytes on local disk, outside the web root,
// under <data>/files/, each file named by the SHA-256 of its content: the
// same bytes are stored once, and a stored file never changes. Nothing is
// served from that directory directly; handlers look the file up by hash
// after checking who may see it.
package blob

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"gongkai/internal/apperr"
)

// Local stores files in a directory.
type Local struct {
	dir string
}

// NewLocal returns a store rooted at dir (created on first write).
func NewLocal(dir string) *Local { return &Local{dir: dir} }

// ErrTooLarge reports content over the limit given to Put.
var ErrTooLarge = errors.New("blob: content too large")

// Put stores what r yields, at most max bytes, and returns its SHA-256 (hex)
// and size. Content over max gives ErrTooLarge and stores nothing.
func (l *Local) Put(r io.Reader, max int64) (sum string, size int64, err error) {
	if err := os.MkdirAll(filepath.Join(l.dir, "tmp"), 0o750); err != nil {
		return "", 0, fmt.Errorf("create blob directory: %w", err)
	}
	f, err := os.CreateTemp(filepath.Join(l.dir, "tmp"), "upload-*")
	if err != nil {
		return "", 0, fmt.Errorf("create temporary file: %w", err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after a successful rename there is nothing left to remove
	h := sha256.New()
	size, err = io.Copy(io.MultiWriter(f, h), io.LimitReader(r, max+1))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", 0, fmt.Errorf("write upload: %w", err)
	}
	if size > max {
		return "", 0, ErrTooLarge
	}
	sum = hex.EncodeToString(h.Sum(nil))
	dst := l.path(sum)
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return "", 0, fmt.Errorf("create blob directory: %w", err)
	}
	if _, err := os.Stat(dst); err == nil {
		return sum, size, nil // the same content is already stored
	}
	if err := os.Rename(tmp, dst); err != nil {
		return "", 0, fmt.Errorf("store blob: %w", err)
	}
	return sum, size, nil
}

// Open opens the file with the given SHA-256. An unknown or malformed hash
// wraps apperr.ErrNotFound. The caller closes the file.
func (l *Local) Open(sum string) (*os.File, error) {
	if b, err := hex.DecodeString(sum); err != nil || len(b) != sha256.Size {
		return nil, fmt.Errorf("blob %q: %w", sum, apperr.ErrNotFound)
	}
	f, err := os.Open(l.path(sum))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("blob %s: %w", sum, apperr.ErrNotFound)
	}
	return f, err
}

// path spreads files over 256 directories by the first byte of the hash.
func (l *Local) path(sum string) string {
	return filepath.Join(l.dir, "files", sum[:2], sum)
}
