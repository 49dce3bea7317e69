package blob_test

import (
	"errors"
	"io"
	"strings"
	"testing"

	"gongkai/internal/apperr"
	"gongkai/internal/blob"
)

func TestPutOpen(t *testing.T) {
	l := blob.NewLocal(t.TempDir())
	sum, size, err := l.Put(strings.NewReader("随州市民政局"), 100)
	if err != nil {
		t.Fatal(err)
	}
	if size != 18 || len(sum) != 64 {
		t.Fatalf("Put = %s, %d", sum, size)
	}
	again, _, err := l.Put(strings.NewReader("随州市民政局"), 100)
	if err != nil || again != sum {
		t.Fatalf("second Put = %s, %v; want the same hash", again, err)
	}
	f, err := l.Open(sum)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(f)
	f.Close()
	if string(b) != "随州市民政局" {
		t.Errorf("Open read %q", b)
	}
	if _, _, err := l.Put(strings.NewReader(strings.Repeat("x", 101)), 100); !errors.Is(err, blob.ErrTooLarge) {
		t.Errorf("Put over the limit = %v, want ErrTooLarge", err)
	}
	for _, bad := range []string{"", "../../etc/passwd", strings.Repeat("0", 64)} {
		if _, err := l.Open(bad); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want not found", bad, err)
		}
	}
}
